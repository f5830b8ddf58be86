"""街道画像: one street against the district — KPIs, rank history, categories, communities, circles."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from ..core import metrics
from . import analysis, outcomes, party, ranking, tables
from .context import Context

CIRCLE_COLUMNS = {"name_zh": "生活圈", "walk_minutes": "步行分钟", "launched_on": "建成日期", "facilities": "设施数",
                  "categories": "业态种类"}


def default_focus(ctx: Context) -> str:
    """The street shown when the link names none: the first filtered street, else the first street."""
    return ctx.state.streets[0] if ctx.state.streets else next(iter(ctx.choices.streets))


@dataclass(frozen=True)
class Standing:
    """The street's row of the ranking, the district's totals, the number of ranked streets and
    the district's tickets per 10,000 residents."""

    me: pd.Series
    district: pd.Series
    n_ranked: int
    district_per_10k: float


def standing(ctx: Context, code: str, ranked: pd.DataFrame) -> Standing:
    """The header and KPI cards: the street against the district (`ranked`: the page's ranking.ranked)."""
    counts = ranking.street_counts(ctx)
    ranked = ranked.set_index("street_code")
    district = metrics.totals(counts, ctx.settings)
    return Standing(ranked.loc[code], district, int(ranked["rank"].notna().sum()),
                    float(metrics.per_10k(district["tickets"], ranked["population"].sum())))


def rank_history(ctx: Context, code: str) -> pd.DataFrame:
    """月度排名走势: the street's ranked months (rows: month, street_code, score, rank)."""
    ranks = analysis.monthly_ranks(ranking.monthly_counts(ctx), ctx.settings)
    return ranks[ranks["street_code"] == code].dropna(subset=["rank"])


def categories(ctx: Context, code: str) -> pd.DataFrame:
    """诉求类别: the street's level-1 categories now and in the comparison window."""
    return ranking.category_growth(ctx, streets=[code])


def communities(ctx: Context, code: str) -> pd.DataFrame:
    """社区排行: the street's communities per 1,000 residents (display table; empty when none)."""
    comm = ranking.hotspot_communities(ctx, [code], min_population=0)
    return comm if comm.empty else tables.community_table(metrics.add_rates(comm, ctx.settings))


def circles(ctx: Context, code: str) -> pd.DataFrame:
    """辖区内的便民生活圈 (display table)."""
    return ctx.run("circles", streets=[code])[list(CIRCLE_COLUMNS)].rename(columns=CIRCLE_COLUMNS)


def party_standing(ctx: Context, code: str, ranked: pd.DataFrame) -> tuple[pd.Series, pd.Series] | None:
    """党建引领: the street's party metrics and the district's (None when the snapshot has no party data);
    `ranked` as for standing."""
    ps = party.street_metrics(ctx, ranked)
    if not ps.has_data:
        return None
    return ps.streets.set_index("street_code").loc[code], ps.district


def street_context(ctx: Context, code: str) -> Context:
    """The context narrowed to one street (its own filters otherwise kept)."""
    return replace(ctx, state=replace(ctx.state, streets=(code,)))


def outcome_standing(ctx: Context, code: str) -> tuple[outcomes.Leads, outcomes.Effects]:
    """成效评估 for the street: its leads and their follow-up, and the before/after estimates of its actions."""
    mine = street_context(ctx, code)
    return outcomes.leads(mine), outcomes.action_effects(mine)


def page(ctx: Context, focus: str | None = None) -> dict:
    """Every section of the page, as the page draws them (the bench times this)."""
    code = focus or default_focus(ctx)
    ranked = ranking.ranked(ctx)       # the KPI cards' and the party section's hotline ranking, worked out once
    return {"standing": standing(ctx, code, ranked), "rank_history": rank_history(ctx, code),
            "categories": categories(ctx, code), "communities": communities(ctx, code),
            "circles": circles(ctx, code), "party": party_standing(ctx, code, ranked),
            "outcomes": outcome_standing(ctx, code)}

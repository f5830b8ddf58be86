"""红墙先锋 · 党建引领: the streets on the party-building metrics beside their hotline 综合成绩, the
organisations per street, and the district's totals against its published figures.

Party metrics follow the time window and (where a page lists rows) the street filter; the
hotline's category filter does not apply: projects, pairings and meetings have no hotline category.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd

from ..core import metrics, reference
from . import ranking
from .context import Context

RANK_KEYS = ("report_on_time_rate", "whistle_close_rate", "close_hours_p50", "project_on_time_rate",
             "project_satisfaction", "pairing_coverage", "pairing_activity", "item_done_rate", "item_on_time_rate",
             "meeting_conversion", "proactive_share", "whistle_intensity")
HEADLINE_KEYS = ("report_on_time_rate", "whistle_close_rate", "project_on_time_rate", "pairing_coverage",
                 "item_done_rate", "proactive_share")


def horizon(ctx: Context) -> datetime:
    """The first moment after the data (midnight after 数据截至): later due times are not yet due."""
    return datetime.combine(ctx.choices.as_of + timedelta(days=1), time())


def quarter_start(day: date) -> date:
    """The first day of the quarter `day` falls in."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def party_params(ctx: Context) -> dict:
    """The parameters of party_street_metrics for the context's window."""
    return {"start": ctx.window.start, "end": ctx.window.end, "horizon": horizon(ctx),
            "report_minutes": ctx.settings.whistle_report_minutes, "quarter_start": quarter_start(ctx.window.end)}


@dataclass(frozen=True)
class PartyStreets:
    """Every street with its party counts, metrics, small-sample flags and hotline 综合成绩/rank;
    the district's row; the 吹哨强度 band; whether the snapshot holds any party data."""

    streets: pd.DataFrame
    district: pd.Series
    band: tuple[float, float]
    has_data: bool


def street_metrics(ctx: Context, ranked: pd.DataFrame | None = None) -> PartyStreets:
    """The party metrics of every street and of the district, with the hotline's ranking beside them
    (`ranked`: ranking.ranked(ctx) when the caller has it already)."""
    counts = metrics.add_party_rates(ctx.run("party_street_metrics", **party_params(ctx)), ctx.settings)
    district = counts[counts["street_code"].isna()].iloc[0]
    ranked = ranking.ranked(ctx) if ranked is None else ranked
    hotline = ranked[["street_code", "name_zh", "short_zh", "population", "score", "rank"]]
    # a left join on the street code, by reindexing (a merge took twice as long for 15 rows)
    party = counts[counts["street_code"].notna()].set_index("street_code").reindex(hotline["street_code"].to_numpy())
    streets = pd.concat([hotline.rename(columns={"rank": "hotline_rank"}), party.reset_index(drop=True)], axis=1)
    has_data = bool(district[["orgs", "whistles", "projects_due", "pairs_active", "items_planned", "meetings"]].sum())
    return PartyStreets(streets, district, metrics.intensity_band(streets["whistle_intensity"], ctx.settings), has_data)


def ranked_by(ps: PartyStreets, key: str) -> pd.DataFrame:
    """The streets ranked on one party metric (best first; below the floor: unranked, last)."""
    out = ps.streets.assign(party_rank=metrics.party_rank(ps.streets, key))
    return out.sort_values(["party_rank", "street_code"], na_position="last").reset_index(drop=True)


def band_position(value, band: tuple[float, float]) -> str:
    """Where a 吹哨强度 sits against the district's band: 偏低, 区间内 or 偏高 (— without a value)."""
    if pd.isna(value) or pd.isna(band[0]):
        return "—"
    return "偏低" if value < band[0] else "偏高" if value > band[1] else "区间内"


def published(ctx: Context) -> pd.DataFrame:
    """The snapshot's totals on the window's last day against the district's published figures."""
    mine = ctx.run("party_totals", as_of=ctx.window.end).set_index("key")["value"]
    ref = reference.party_figures()
    return ref.assign(snapshot=ref["key"].map(mine).fillna(0).astype("int64"),
                      ratio=lambda d: d["snapshot"] / d["value"])


def page(ctx: Context, key: str = RANK_KEYS[0]) -> dict:
    """Every section of the page, as the page draws them (the bench times this)."""
    ps = street_metrics(ctx)
    return {"streets": ps, "ranked": ranked_by(ps, key), "published": published(ctx)}

"""总览: what each section of the overview shows, given a Context."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import analysis, ranking, tables
from .context import Context

GROWTH_TOP = 8   # categories shown in 增长最多的类别


@dataclass(frozen=True)
class Kpis:
    """District (or selected streets') totals and metrics now, in the comparison window and a year ago."""

    cur: pd.Series
    prev: pd.Series
    yoy: pd.Series


def kpis(ctx: Context) -> Kpis:
    """The KPI cards: 工单量, the three rates and 综合成绩 with 环比 and 同比."""
    return Kpis(*(ranking.view_totals(ctx, w) for w in (ctx.window, ctx.previous, ctx.year_ago)))


@dataclass(frozen=True)
class Ranking:
    """The street ranking: all streets ranked, the display table (selected streets only, with a
    12-month sparkline) and the sentence naming who moved."""

    ranked: pd.DataFrame
    table: pd.DataFrame
    movers: str


def street_ranking(ctx: Context) -> Ranking:
    """街道排名."""
    ranked = ranking.ranked(ctx)
    trend = analysis.monthly_metric(ranking.monthly_counts(ctx), "score", ctx.settings)
    return Ranking(ranked, tables.ranking_table(ranked, trend, ctx.state.streets), analysis.movers_sentence(ranked))


def score_map(ctx: Context, ranked: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """综合成绩分布: the street shapes and each street's score (by street code), from `ranked` (the
    page's ranking.ranked, worked out once)."""
    return ranking.street_shapes(ctx), ranked.set_index("street_code")["score"]


def growing_categories(ctx: Context) -> pd.DataFrame:
    """增长最多的类别: level-1 categories by growth against the comparison window."""
    return analysis.category_changes(ranking.category_growth(ctx), top=GROWTH_TOP)


def page(ctx: Context) -> dict:
    """Every section of the page, as the page draws them (the bench times this)."""
    k, r = kpis(ctx), street_ranking(ctx)
    return {"kpis": k, "ranking": r, "map": score_map(ctx, r.ranked), "categories": growing_categories(ctx)}


def comparison_caption(ctx: Context) -> str:
    """What the KPI cards compare with: 环比 and 同比 windows, named once when they are the same
    (a 12-month window's previous period is the year before)."""
    prev, yoy = ctx.previous, ctx.year_ago
    if (prev.start, prev.end) == (yoy.start, yoy.end):
        return f"环比与同比均对比 {prev.label()}（12个月的窗口，上一期即去年同期）。"
    return f"环比对比 {prev.label()}，同比对比 {yoy.label()}。"

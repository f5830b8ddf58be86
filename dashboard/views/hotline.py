"""接诉即办: trends, categories, time limits, hotspots and the weekday × hour pattern (the lists staff work
from are on 诉求明细, views/tickets.py)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core import limits, metrics, periods
from . import analysis, ranking, tables
from .context import Context

HOTSPOT_MIN_POPULATION = 500  # smaller communities make per-1,000 rates jump: not ranked
ALL_CATEGORIES = "（全部一级类别）"


def default_grain(window: periods.Window) -> str:
    """Days for about six weeks or less, weeks up to about four months, else months."""
    return "day" if window.days <= 45 else "week" if window.days <= 120 else "month"


@dataclass(frozen=True)
class Trend:
    """Buckets of this window and of the comparison window (same grain), and this window's totals."""

    cur: pd.DataFrame
    prev: pd.DataFrame
    total: pd.Series


def trend(ctx: Context, grain: str) -> Trend:
    """工单与三率走势."""
    cur = analysis.complete_buckets(ranking.trend_counts(ctx, ctx.window, grain), ctx.window, grain)
    prev = analysis.complete_buckets(ranking.trend_counts(ctx, ctx.previous, grain), ctx.previous, grain)
    return Trend(metrics.add_rates(cur, ctx.settings), prev, metrics.totals(cur, ctx.settings))


@dataclass(frozen=True)
class Categories:
    """Level-1 growth (the drill's options) and what the chart shows: level 1, or the level-2
    categories of the drilled level-1 category."""

    level1: pd.DataFrame
    shown: pd.DataFrame


def categories(ctx: Context, drill: str | None = None) -> Categories:
    """诉求类别, with drill from level 1 to level 2."""
    l1 = ranking.category_growth(ctx)
    if drill in (None, ALL_CATEGORIES):
        return Categories(l1, l1)
    return Categories(l1, ranking.category_growth(ctx, level=2, categories=[drill]))


def handling(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """办理时效: per time-limit class, named as core/limits.py names it (for the chart), and its display table."""
    times = ctx.run("handling_times", **ctx.params())
    times.insert(0, "limit_class", times["limit_hours"].map(limits.label_for_hours))
    return times, tables.handling_table(times)


def hotspots(ctx: Context) -> pd.DataFrame:
    """热点社区: communities by tickets per 1,000 residents (display table)."""
    return tables.hotspot_table(ranking.hotspot_communities(ctx, ctx.state.streets, HOTSPOT_MIN_POPULATION))


def weekday_hour(ctx: Context) -> pd.DataFrame:
    """来电时段分布: tickets by weekday × hour."""
    return analysis.summed_over_streets(ctx.run("weekday_hour", **ctx.per_street_params()), ctx.state.streets,
                                        ["weekday", "hour"])


def page(ctx: Context, grain: str | None = None, drill: str | None = None) -> dict:
    """Every section of the page, as the page draws them (the bench times this)."""
    return {"trend": trend(ctx, grain or default_grain(ctx.window)), "categories": categories(ctx, drill),
            "handling": handling(ctx), "hotspots": hotspots(ctx), "weekday_hour": weekday_hour(ctx)}

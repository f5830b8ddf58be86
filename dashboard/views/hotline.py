"""接诉即办: trends, categories, time limits, hotspots, repeat complaints and the ticket list."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core import limits, metrics, periods
from . import analysis, ranking, tables
from .context import Context

TABLE_ROWS = 200             # the ticket list on screen shows the newest this many (the CSV has all)
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
    cur = analysis.complete_buckets(ctx.run("trend", **ctx.params(), grain=grain), ctx.window, grain)
    prev = analysis.complete_buckets(ctx.run("trend", **ctx.params(ctx.previous), grain=grain), ctx.previous, grain)
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
    return tables.hotspot_table(ctx.run("hotspot_communities", **ctx.params(),
                                        min_population=HOTSPOT_MIN_POPULATION))


def weekday_hour(ctx: Context) -> pd.DataFrame:
    """来电时段分布: tickets by weekday × hour."""
    return ctx.run("weekday_hour", **ctx.params())


@dataclass(frozen=True)
class RepeatList:
    """One repeat list: its query, tab and CSV name, rows, display table, empty text and note."""

    query: str
    name: str
    rows: pd.DataFrame
    table: pd.DataFrame | None
    empty: str
    note: str | None


REPEATS = (  # (query, tab and CSV name, table builder, what an empty list means, note)
    ("repeat_callers", "重复来电人", tables.repeat_callers_table, "所选范围内没有30天内来电3次及以上的来电人。",
     "来电人标识为号码的加密散列前8位，无法还原号码。"),
    ("repeat_places", "同一地点同类诉求", tables.repeat_places_table,
     "所选范围内没有30天内同一地点同类诉求3次及以上的情况。", None),
)


def repeats(ctx: Context) -> list[RepeatList]:
    """重复诉求 · 未诉先办线索 (staff only)."""
    out = []
    for query, name, build, empty, note in REPEATS:
        rows = ctx.run(query, **ctx.params())
        out.append(RepeatList(query, name, rows, None if rows.empty else build(rows), empty, note))
    return out


def ticket_list(ctx: Context) -> pd.DataFrame:
    """工单明细: the newest TABLE_ROWS tickets of the filtered view (staff only), blanks as words:
    an open ticket's 办结时间 says 未办结, not None."""
    return ticket_blanks(ctx.run("ticket_list", **ctx.params(), limit=TABLE_ROWS))


BLANKS = {"办结时间": "未办结", "社区": "未匹配社区", "满意度": "—", "主要内容": ""}


def ticket_blanks(df: pd.DataFrame) -> pd.DataFrame:
    """The ticket list with its blank cells named (BLANKS); 办结时间 as text, so it can say 未办结."""
    out = df.copy()
    if "办结时间" in out:
        closed = pd.to_datetime(out["办结时间"])
        out["办结时间"] = closed.dt.strftime("%Y-%m-%d %H:%M").astype(object)
    for col, word in BLANKS.items():
        if col in out:
            out[col] = out[col].astype(object).where(out[col].notna(), word)
    return out


def page(ctx: Context, grain: str | None = None, drill: str | None = None, staff: bool = True) -> dict:
    """Every section of the page, as the page draws them (the bench times this)."""
    out = {"trend": trend(ctx, grain or default_grain(ctx.window)), "categories": categories(ctx, drill),
           "handling": handling(ctx), "hotspots": hotspots(ctx), "weekday_hour": weekday_hour(ctx)}
    if staff:
        out |= {"repeats": repeats(ctx), "tickets": ticket_list(ctx)}
    return out

"""诉求明细 (staff only): the repeat-complaint leads (未诉先办) and the ticket list of the filtered view —
the lists staff work from, on a page of their own beside 接诉即办's analysis."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import ranking, tables
from .context import Context

TABLE_ROWS = 200             # the ticket list on screen shows the newest this many (the CSV has all)


def total(ctx: Context) -> int:
    """Tickets in the filtered view (the KPI count 总览 shows for the same filters)."""
    return int(ranking.view_totals(ctx)["tickets"])


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


def page(ctx: Context) -> dict:
    """Every section of the page, as the page draws them (the bench times this)."""
    return {"total": total(ctx), "repeats": repeats(ctx), "tickets": ticket_list(ctx)}

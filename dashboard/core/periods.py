"""Time windows: presets relative to the data's end date, and the comparison periods.

Presets are relative to the snapshot's 数据截至 date, not to the wall clock, so a
link to 近12个月 shows the latest twelve months of whatever data is live.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# URL value -> label; the order is the order in the sidebar
PRESETS = {
    "month": "本月",
    "prev_month": "上月",
    "3m": "近3个月",
    "12m": "近12个月",
    "ytd": "今年",
    "cycle": "考核月",
    "custom": "自定义",
}


@dataclass(frozen=True)
class Window:
    """An inclusive range of days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        """'2024-03-01 至 2024-03-31', or '2024年3月' for one calendar month."""
        if self.start.day == 1 and self.end == month_end(self.start):
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"


def month_end(d: date) -> date:
    """Last day of d's month."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: date, n: int) -> date:
    """d moved by n months, the day clipped to the target month's length."""
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def assessment_month(as_of: date, start_day: int) -> Window:
    """The latest complete assessment month ending on or before `as_of`.

    An assessment month runs from `start_day` of one month to the day before
    `start_day` of the next (the 19th to the 18th by default).
    """
    end = as_of.replace(day=1) + timedelta(days=start_day - 2)
    if end > as_of:
        end = add_months(end.replace(day=1), -1) + timedelta(days=start_day - 2)
    start = add_months(end + timedelta(days=1), -1)
    return Window(start, end)


def preset(name: str, as_of: date, cycle_start_day: int = 19) -> Window:
    """The window of a preset (a key of PRESETS other than 'custom')."""
    first = as_of.replace(day=1)
    if name == "month":
        return Window(first, as_of)
    if name == "prev_month":
        p = add_months(first, -1)
        return Window(p, month_end(p))
    if name == "3m":
        return Window(add_months(first, -2), as_of)
    if name == "12m":
        return Window(add_months(first, -11), as_of)
    if name == "ytd":
        return Window(date(as_of.year, 1, 1), as_of)
    if name == "cycle":
        return assessment_month(as_of, cycle_start_day)
    raise ValueError(f"unknown preset {name!r}")


def _whole_months(w: Window) -> int | None:
    """Number of calendar months `w` spans exactly, or None if it is not month-aligned."""
    if w.start.day != 1 or w.end != month_end(w.end):
        return None
    return (w.end.year - w.start.year) * 12 + w.end.month - w.start.month + 1


def previous(w: Window, cycle_start_day: int = 19) -> Window:
    """The period just before `w` used for 环比: the previous n months for month-aligned
    windows; for a window from a month's 1st to mid-month (data ending mid-month) the same
    days n months earlier; the previous assessment month for an assessment month; else the
    same number of days immediately before."""
    n = _whole_months(w)
    if n:
        start = add_months(w.start, -n)
        return Window(start, month_end(add_months(start, n - 1)))
    if w.start.day == 1:
        n = (w.end.year - w.start.year) * 12 + w.end.month - w.start.month + 1
        return Window(add_months(w.start, -n), add_months(w.end, -n))
    if w.start.day == cycle_start_day and w.end == add_months(w.start, 1) - timedelta(days=1):
        start = add_months(w.start, -1)
        return Window(start, w.start - timedelta(days=1))
    return Window(w.start - timedelta(days=w.days), w.start - timedelta(days=1))


def year_ago(w: Window) -> Window:
    """The same dates one year earlier (同比); Feb 29 maps to Feb 28."""
    start, end = add_months(w.start, -12), add_months(w.end, -12)
    if w.end == month_end(w.end):
        end = month_end(end)
    return Window(start, end)

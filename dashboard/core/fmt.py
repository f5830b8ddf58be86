"""Numbers the Chinese way: 万 for large counts, % for rates, 个百分点 for rate deltas; dates for display."""
from __future__ import annotations

import math

import pandas as pd


def _missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def count(n) -> str:
    """12,345 -> '1.23万'; below 10,000 with thousands separators; missing -> '—'."""
    if _missing(n):
        return "—"
    n = float(n)
    if abs(n) >= 1e8:
        return f"{n / 1e8:.2f}亿"
    if abs(n) >= 1e4:
        return f"{n / 1e4:.2f}万"
    return f"{n:,.0f}"


def rate(r, digits: int = 1) -> str:
    """0.9812 -> '98.1%'; missing -> '—'."""
    return "—" if _missing(r) else f"{100 * r:.{digits}f}%"


def points(d, digits: int = 1) -> str:
    """A rate difference: 0.003 -> '+0.3个百分点'; missing -> '—'."""
    if _missing(d):
        return "—"
    v = round(100 * d, digits)
    return f"{v:+.{digits}f}个百分点" if v else "持平"


def score(x) -> str:
    """综合成绩 with two decimals."""
    return "—" if _missing(x) else f"{x:.2f}"


def score_delta(d) -> str:
    """A score difference: '+0.35分'."""
    if _missing(d):
        return "—"
    return f"{d:+.2f}分" if round(d, 2) else "持平"


def change(cur, prev) -> str:
    """Relative change of a count: '+12.5%'; '新增' when prev is 0; '—' when unknown."""
    if _missing(cur) or _missing(prev):
        return "—"
    if prev == 0:
        return "新增" if cur else "持平"
    return f"{100 * (cur - prev) / prev:+.1f}%"


def per(x, digits: int = 1) -> str:
    """A per-capita value with fixed decimals."""
    return "—" if _missing(x) else f"{x:,.{digits}f}"


def day(v, missing: str = "—") -> str:
    """A date as 2026-10-31 (never midnight, never None); missing -> `missing`."""
    return missing if _missing(v) or pd.isna(v) else f"{pd.Timestamp(v):%Y-%m-%d}"


def minute(v, missing: str = "—") -> str:
    """A time as 2026-10-31 12:40; missing -> `missing`."""
    return missing if _missing(v) or pd.isna(v) else f"{pd.Timestamp(v):%Y-%m-%d %H:%M}"


def hours(h) -> str:
    """A duration in hours: '36.0小时'; missing -> '—'."""
    return "—" if _missing(h) else f"{h:,.1f}小时"


def hours_delta(d) -> str:
    """A difference of durations: '+2.5小时'."""
    return "—" if _missing(d) else (f"{d:+.1f}小时" if round(d, 1) else "持平")


def rank(r, n: int | None = None) -> str:
    """'第3位' (or '第3位 / 15'); '样本不足' when the row is unranked."""
    if _missing(r):
        return "样本不足"
    return f"第{int(r)}位" + (f" / {n}" if n else "")


def cut_count(df) -> str:
    """Rows of a LIMITed query with a `total` column: '12', or '前200 / 共1,234' when cut."""
    total = int(df["total"].iloc[0]) if len(df) else 0
    return f"{total:,}" if total == len(df) else f"前{len(df)} / 共{total:,}"


def signed(x, digits: int = 1) -> str:
    """A signed difference: '+12.3'; '—' when missing."""
    return "—" if _missing(x) else f"{x:+.{digits}f}"


def as_dates(values) -> list:
    """Dates (datetime.date, None where missing) from dates, timestamps or strings — for display."""
    return [None if pd.isna(v) else pd.Timestamp(v).date() for v in values]

"""Pure pandas steps between query results and what a page shows (no Streamlit, no SQL).

Each function takes the frames of named queries and returns a frame ready to draw,
so pages, briefing slides and exports assemble the same numbers the same way.
"""
from __future__ import annotations

from datetime import timedelta

import pandas as pd

from ..core import metrics, periods
from ..core.config import Settings, settings
from ..core.frames import with_columns


def ranked_streets(cur: pd.DataFrame, prev: pd.DataFrame, s: Settings | None = None) -> pd.DataFrame:
    """The street ranking: metrics, per-capita volume, rank, rank change and class.

    `cur`/`prev` are street_counts results for the window and the comparison window.
    rank_change > 0 means the street moved up.  Sorted by rank, unranked last.
    """
    s = s or settings()
    out = metrics.add_rates(cur, s)
    p = metrics.add_rates(prev, s)
    rank = metrics.rank(out)
    at = pd.Index(p["street_code"]).get_indexer(out["street_code"])      # each street's previous row; -1: none
    prev_rank = pd.Series(metrics.rank(p).array.take(at, allow_fill=True), index=out.index)
    score_change = out["score"].to_numpy() - p["score"].array.take(at, allow_fill=True).to_numpy()
    return with_columns(out, {
        "per_10k": metrics.per_10k(out["tickets"], out["population"]),
        "per_km2": metrics.per_km2(out["tickets"], out["area_km2"]),
        "rank": rank, "prev_rank": prev_rank, "score_change": score_change, "rank_change": prev_rank - rank,
        "class": metrics.classify(rank, prev_rank, s),
    }).sort_values(["rank", "street_code"], na_position="last").reset_index(drop=True)


def monthly_metric(monthly: pd.DataFrame, metric: str = "score", s: Settings | None = None) -> pd.DataFrame:
    """street × month table of one metric from street_monthly counts (rows: streets)."""
    m = metrics.add_rates(monthly, s)
    return m.pivot(index="street_code", columns="month", values=metric).sort_index(axis=1)


def monthly_ranks(monthly: pd.DataFrame, s: Settings | None = None) -> pd.DataFrame:
    """Each street's rank in each month (rows: month, street_code, score, rank)."""
    m = metrics.add_rates(monthly, s)
    eligible = m["score"].where(~m["small_sample"])   # the same rule as metrics.rank, per month
    m["rank"] = eligible.groupby(m["month"]).rank(ascending=False, method="min").astype("Int64")
    return m[["month", "street_code", "score", "rank", "small_sample"]]


def of_streets(rows: pd.DataFrame, streets) -> pd.DataFrame:
    """The rows (with a street_code) of the selected streets, all when none is selected; order kept."""
    return rows[rows["street_code"].isin(list(streets))].reset_index(drop=True) if len(streets) else rows


def summed_over_streets(rows: pd.DataFrame, streets, by: list[str]) -> pd.DataFrame:
    """A per-street result (a query answering for every street) as one row per `by`: the selected
    streets' rows (all when none is selected) summed, in the order of each group's first row."""
    picked = of_streets(rows, streets).drop(columns="street_code")
    return picked.groupby(by, sort=False, as_index=False, dropna=False).sum()


def district_kpis(counts: pd.DataFrame, streets: tuple[str, ...] = (), s: Settings | None = None) -> pd.Series:
    """Totals and metrics over the selected streets (all when none is selected)."""
    return metrics.totals(of_streets(counts, streets), s)


def category_changes(growth: pd.DataFrame, top: int = 8) -> pd.DataFrame:
    """Categories ordered by absolute growth against the comparison window.

    Adds change (count) and change_pct (NaN where the previous count is 0).
    """
    g = growth.copy()
    g["change"] = g["tickets"] - g["prev_tickets"]
    g["change_pct"] = (g["change"] / g["prev_tickets"].where(g["prev_tickets"] > 0)).astype("float64")
    return g.sort_values(["change", "tickets"], ascending=False).head(top).reset_index(drop=True)


def movers_sentence(ranked: pd.DataFrame) -> str:
    """'排名上升最多：德胜街道（↑3）；下降最多：牛街街道（↓2）' from a ranked_streets frame."""
    moved = ranked.dropna(subset=["rank_change"])
    if moved.empty or (moved["rank_change"] == 0).all():
        return "与上期相比排名无变化。"
    up = moved.sort_values("rank_change", ascending=False).iloc[0]
    down = moved.sort_values("rank_change").iloc[0]
    parts = []
    if up["rank_change"] > 0:
        parts.append(f"排名上升最多：{up['name_zh']}（↑{int(up['rank_change'])}，升至第{int(up['rank'])}位）")
    if down["rank_change"] < 0:
        parts.append(f"下降最多：{down['name_zh']}（↓{-int(down['rank_change'])}，降至第{int(down['rank'])}位）")
    return "；".join(parts) + "。"


def bucket_starts(w: periods.Window, grain: str) -> list:
    """The first day of every day/week (Monday)/month bucket that `w` touches, as date_trunc gives."""
    if grain == "day":
        first, step = w.start, lambda d: d + timedelta(days=1)
    elif grain == "week":
        first, step = w.start - timedelta(days=w.start.weekday()), lambda d: d + timedelta(days=7)
    else:
        first, step = w.start.replace(day=1), lambda d: periods.add_months(d, 1)
    out, d = [], first
    while d <= w.end:
        out.append(d)
        d = step(d)
    return out


def complete_buckets(trend: pd.DataFrame, w: periods.Window, grain: str) -> pd.DataFrame:
    """A trend result with a row (zeros) for every bucket of `w`, so two periods line up
    bucket by bucket even where a bucket had no ticket."""
    index = pd.DatetimeIndex(pd.to_datetime(bucket_starts(w, grain)), name="bucket")
    out = trend.assign(bucket=pd.to_datetime(trend["bucket"])).set_index("bucket").reindex(index, fill_value=0)
    return out.reset_index()

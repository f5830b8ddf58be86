"""The naive baseline of `python -m dashboard bench`: what a typical Streamlit tutorial app does.

Each chart re-reads tickets.parquet with pandas (only the columns it needs), filters
and groups in memory: no rollups, no result cache.  The functions return the same
figures as the named queries they stand in for (street_counts, street_monthly,
category_growth, streets), for the same parameters.
"""
from __future__ import annotations

from datetime import timedelta

import pandas as pd

from .stats import timed

COUNTS = ["tickets", "valid", "contacted", "resolved", "sat_full", "sat_basic"]


def _read(info, columns: list[str]) -> pd.DataFrame:
    return pd.read_parquet(info.path / "tickets.parquet", columns=columns)


def _window(df: pd.DataFrame, start, end, categories=(), subs=(), streets=(), communities=()) -> pd.DataFrame:
    keep = (df["created_at"] >= pd.Timestamp(start)) & (df["created_at"] < pd.Timestamp(end + timedelta(days=1)))
    for col, values in (("category_l1", categories), ("category_l2", subs), ("street_code", streets),
                        ("community_id", communities)):
        if values:
            keep &= df[col].isin(values)
    return df[keep]


def _counts(t: pd.DataFrame) -> pd.DataFrame:
    v = t["callback_valid"]
    return t.assign(tickets=1, valid=v, contacted=v & t["contacted"], resolved=v & t["resolved"],
                    sat_full=v & (t["satisfaction"] == "满意"), sat_basic=v & (t["satisfaction"] == "基本满意"))


def street_counts(info, start, end, categories, subs, communities) -> pd.DataFrame:
    df = _read(info, ["created_at", "street_code", "community_id", "category_l1", "category_l2", "callback_valid",
                      "contacted", "resolved", "satisfaction", "closed_at", "due_at"])
    as_of = df["created_at"].max()
    t = _counts(_window(df, start, end, categories, subs, communities=communities))
    t = t.assign(closed=t["closed_at"].notna(),
                 overdue=(t["closed_at"] > t["due_at"]) | (t["closed_at"].isna() & (t["due_at"] < as_of)))
    cols = COUNTS + ["closed", "overdue"]
    counts = t.groupby("street_code")[cols].sum()
    streets = pd.read_parquet(info.path / "streets.parquet")
    out = streets.merge(counts, left_on="street_code", right_index=True, how="left")
    return out.fillna({c: 0 for c in cols}).sort_values("street_code").reset_index(drop=True)


def street_monthly(info, start, end, categories, subs) -> pd.DataFrame:
    df = _read(info, ["created_at", "street_code", "category_l1", "category_l2", "callback_valid", "contacted",
                      "resolved", "satisfaction"])
    t = _counts(_window(df, start, end, categories, subs))
    t = t.assign(month=t["created_at"].dt.to_period("M"))
    return t.groupby(["month", "street_code"])[COUNTS].sum().reset_index()


def category_growth(info, start, end, prev_start, prev_end, categories, subs, communities, level) -> pd.DataFrame:
    df = _read(info, ["created_at", "street_code", "community_id", "category_l1", "category_l2"])
    by = ["category_l2" if level == 2 else "category_l1", "street_code"]   # per street, as the query answers
    cur = _window(df, start, end, categories, subs, communities=communities)[by].value_counts()
    prev = _window(df, prev_start, prev_end, categories, subs, communities=communities)[by].value_counts()
    out = pd.DataFrame({"tickets": cur, "prev_tickets": prev}).fillna(0).astype("int64")
    return out.sort_values("tickets", ascending=False).reset_index()


def streets(info) -> pd.DataFrame:
    return pd.read_parquet(info.path / "streets.parquet").sort_values("street_code")


NAIVE = {"street_counts": street_counts, "street_monthly": street_monthly, "category_growth": category_growth,
         "streets": streets}


def measure(info, rows: list[dict], runs: int) -> None:
    """Add 'naive' timings to the overview rows of bench.measure_scenarios (same params)."""
    seen: dict = {}
    for r in rows:
        if r["page"] != "overview" or r["query"] not in NAIVE:
            continue
        k = (r["query"], repr(sorted(r["params"].items())))
        if k not in seen:
            seen[k] = [timed(NAIVE[r["query"]], info, **r["params"])[0] for _ in range(runs)]
        r["naive"] = seen[k]

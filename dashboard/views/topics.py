"""每月一题: each topic's complaints (tickets per 10,000 residents in its categories) over its months
against the same months a year earlier, district-wide and per street, and the items filed under it."""
from __future__ import annotations

import pandas as pd

from .context import Context


def tracker(ctx: Context) -> pd.DataFrame:
    """Every topic of the window, per street and for the district (street_code NULL), with per_10k,
    per_10k_last_year and change (relative; NaN without tickets a year earlier)."""
    df = ctx.run("topic_tracker", start=ctx.window.start, end=ctx.window.end,
                 topic_months=ctx.settings.topic_months, as_of=ctx.choices.as_of)
    pop = df["population"].where(df["population"] > 0)
    df["per_10k"] = 10_000 * df["tickets"] / pop
    df["per_10k_last_year"] = 10_000 * df["tickets_last_year"] / pop
    df["change"] = df["tickets"] / df["tickets_last_year"].where(df["tickets_last_year"] > 0) - 1
    return df


def district(tr: pd.DataFrame) -> pd.DataFrame:
    """The district's row of each topic."""
    return tr[tr["street_code"].isna()].reset_index(drop=True)


def by_street(tr: pd.DataFrame, topic_id: str) -> pd.DataFrame:
    """One topic, street by street."""
    return tr[(tr["topic_id"] == topic_id) & tr["street_code"].notna()].reset_index(drop=True)


def topic_items(ctx: Context, topic_id: str) -> pd.DataFrame:
    """The items filed under the topic."""
    return ctx.run("topic_items", topic_id=topic_id, as_of=ctx.choices.as_of)


def table(rows: pd.DataFrame, street_names: dict | None = None) -> pd.DataFrame:
    """Topics (or one topic's streets) for display: per 10,000 residents now and a year earlier."""
    first = ({"街道": rows["street_code"].map(street_names)} if street_names is not None else
             {"年月": [f"{y}年{m}月" for y, m in zip(rows["year"], rows["month"])], "题目": rows["title_zh"],
              "类别": rows["categories"]})
    return pd.DataFrame({
        **first,
        "每万人工单": rows["per_10k"].round(2), "上年同期": rows["per_10k_last_year"].round(2),
        "变化": [("—" if pd.isna(c) else f"{100 * c:+.1f}%") for c in rows["change"]],
        "任务": rows["items"], "已完成": rows["items_done"]})

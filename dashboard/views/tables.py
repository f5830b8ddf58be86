"""Pure table builders: query results -> the frames st.dataframe shows, with Chinese headers.

The same frame is shown and exported, so a CSV is exactly the table on screen.
"""
from __future__ import annotations

import pandas as pd

from ..core import metrics


def rank_change_text(change, ranked_now: bool = True) -> str:
    """↑2 / ↓1 / 持平; 新进 when ranked now but not before; — when unranked now."""
    if not ranked_now:
        return "—"
    if pd.isna(change):
        return "新进"
    c = int(change)
    return f"↑{c}" if c > 0 else f"↓{-c}" if c < 0 else "持平"


def ranking_table(ranked: pd.DataFrame, trend: pd.DataFrame, selected: tuple[str, ...] = ()) -> pd.DataFrame:
    """The overview's street ranking with Chinese column names.

    `trend` is a street × month pivot of 综合成绩 (analysis.monthly_metric); selected
    streets (if any) are the only rows kept.
    """
    df = ranked[ranked["street_code"].isin(selected)] if selected else ranked
    spark = trend.reindex(df["street_code"])
    return pd.DataFrame({
        "排名": df["rank"].astype("object").where(df["rank"].notna(), "样本不足").to_numpy(),
        "变化": [rank_change_text(c, pd.notna(r)) for c, r in zip(df["rank_change"], df["rank"])],
        "街道": df["name_zh"].to_numpy(),
        "分类": df["class"].fillna("—").to_numpy(),
        "综合成绩": df["score"].round(2).to_numpy(),
        # rates in percent with two decimals, the way they are read out at the 点评会
        "响应率(%)": (100 * df["response_rate"]).round(2).to_numpy(),
        "解决率(%)": (100 * df["resolution_rate"]).round(2).to_numpy(),
        "满意率(%)": (100 * df["satisfaction_rate"]).round(2).to_numpy(),
        "工单量": df["tickets"].astype("int64").to_numpy(),
        "每万人工单": df["per_10k"].round(1).to_numpy(),
        "有效回访": df["valid"].astype("int64").to_numpy(),
        "近12月": [[None if pd.isna(v) else round(float(v), 2) for v in row] for row in spark.to_numpy()],
        "街道代码": df["street_code"].to_numpy(),
    })


def handling_table(times: pd.DataFrame) -> pd.DataFrame:
    """handling_times -> the 办理时效 table (hours with one decimal)."""
    from ..core import fmt

    hours = {"联系中位": "contact_p50_h", "办结中位": "close_p50_h", "办结P90": "close_p90_h"}
    return times.assign(按时率=times["on_time_share"], **{k: times[v].map(fmt.per) for k, v in hours.items()})[
        ["limit_class", "tickets", "closed", "open", "overdue", "按时率", *hours]].rename(
        columns={"limit_class": "时限类别", "tickets": "工单", "closed": "已办结", "open": "未办结", "overdue": "超期"})


def hotspot_table(hot: pd.DataFrame, top: int = 20) -> pd.DataFrame:
    """hotspot_communities -> the top communities per 1,000 residents with their 解决率."""
    head = metrics.add_rates(hot.head(top))
    return head.assign(解决率=head["resolution_rate"])[
        ["community", "street", "population", "tickets", "per_1k", "top_category", "解决率"]].rename(
        columns={"community": "社区", "street": "街道", "population": "人口", "tickets": "工单", "per_1k": "每千人",
                 "top_category": "最多类别"})


def repeat_callers_table(callers: pd.DataFrame) -> pd.DataFrame:
    """repeat_callers -> the 重复来电人 table."""
    return callers.drop(columns="total").rename(columns={
        # the 30-day run counts every call of the caller, whatever filter is on
        "caller": "来电人标识", "tickets": "工单", "max_in_30d": "30天内最多(不限类别)", "first_at": "首次",
        "last_at": "最近",
        "street": "街道", "community": "社区", "top_category": "主要类别", "top_subcategory": "主要二级类别",
        "unresolved": "未解决"})


def repeat_places_table(places: pd.DataFrame) -> pd.DataFrame:
    """repeat_places -> the 同一地点同类诉求 table."""
    return places.drop(columns="total").rename(columns={
        "lat": "纬度", "lon": "经度", "category_l2": "二级类别", "category_l1": "一级类别", "tickets": "工单",
        "max_in_30d": "30天内最多", "callers": "来电人数", "street": "街道", "community": "社区",
        "first_at": "首次", "last_at": "最近"})


def community_table(comm: pd.DataFrame) -> pd.DataFrame:
    """hotspot_communities (with rates added) -> the street profile's community ranking."""
    return comm[["community", "population", "tickets", "per_1k", "top_category", "resolution_rate",
                 "satisfaction_rate", "small_sample"]].rename(columns={
        "community": "社区", "population": "人口", "tickets": "工单", "per_1k": "每千人", "top_category": "最多类别",
        "resolution_rate": "解决率", "satisfaction_rate": "满意率", "small_sample": "样本不足"})


def street_values_table(ranked: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The numbers behind the map's colours, sorted by the colouring metric: rates in percent
    with two decimals, per-capita volumes with one, the coloured metric first."""
    cols = list(dict.fromkeys([metric, "score", "rank", "tickets", "per_10k", "per_km2", *metrics.RATE_COLUMNS]))
    df = ranked.sort_values(metric, ascending=False)
    out = pd.DataFrame({"街道": df["name_zh"].to_numpy()})
    for c in cols:
        v = df[c]
        if c in metrics.RATE_COLUMNS:
            out[f"{metrics.METRICS[c].label}(%)"] = (100 * v).round(2).to_numpy()
        elif c == "rank":
            out["排名"] = v.to_numpy()
        else:
            out[metrics.METRICS[c].label] = v.round(2 if c == "score" else 1).to_numpy()
    return out

"""成效评估's display tables: Chinese headers, estimates with their intervals, the same frame shown and exported."""
from __future__ import annotations

import pandas as pd

from ..core import fmt
from . import association, effects


def lead_table(leads: pd.DataFrame, street_names: dict) -> pd.DataFrame:
    """Leads one by one (oldest first, as the caller sorts)."""
    return pd.DataFrame({
        "线索": leads["lead_id"], "类型": leads["kind"], "街道": leads["street_code"].map(street_names),
        "社区": leads["community"].fillna("—"), "类别": leads["category_l1"] + "/" + leads["category_l2"].fillna(""),
        "形成时间": [fmt.minute(t) for t in leads["lead_at"]], "相关工单": leads["tickets"],
        "状态": leads["state"], "跟进方式": leads["action_kind"].fillna("—"),
        "跟进时间": [fmt.day(t) for t in leads["followed_at"]]})


def proactive_table(items: pd.DataFrame, street_names: dict) -> pd.DataFrame:
    """Items no complaint preceded."""
    return pd.DataFrame({
        "事项": items["title_zh"], "类别": items["program"], "12345类别": items["category_l1"],
        "街道": items["street_code"].map(street_names), "社区": items["community"].fillna("—"),
        "线索来源": items["source"], "开始日期": [fmt.day(d) for d in items["started_on"]],
        "状态": items["status"]})


def effect_table(pooled: pd.DataFrame) -> pd.DataFrame:
    """Pooled estimates per program, category and comparison."""
    return pd.DataFrame({
        "类别": pooled["program"], "12345类别": pooled["category_l1"],
        "对照": pooled["comparison"].map(effects.COMPARISONS), "事项数": pooled["actions"].astype(int),
        "开始前(每千人每周)": pooled["treated_pre"].round(2), "办结后(每千人每周)": pooled["treated_post"].round(2),
        "净变化及95%区间": [effects.interval_text(d, lo, hi) for d, lo, hi in
                       zip(pooled["did"], pooled["lo"], pooled["hi"])],
        "相对开始前": [("—" if pd.isna(r) else f"{100 * r:+.0f}%") for r in pooled["relative"]],
        "结论": pooled["status"].map(effects.STATUS_TEXT)})


def association_table(coefs: pd.DataFrame) -> pd.DataFrame:
    """Coefficients with intervals, read as 相关 only."""
    return pd.DataFrame({
        "结果": coefs["outcome"].map(association.OUTCOMES), "投入": coefs["input"].map(association.INPUTS),
        "系数及95%区间": [f"{c:+.3f}（{lo:+.3f} 至 {hi:+.3f}）" for c, lo, hi in
                     zip(coefs["coef"], coefs["lo"], coefs["hi"])],
        "读法（相关，非因果）": [association.reading(r) for _, r in coefs.iterrows()],
        "社区×月": coefs["rows"]})

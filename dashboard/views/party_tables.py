"""The party-building layer's display tables: Chinese headers, the same frame shown and exported."""
from __future__ import annotations

import pandas as pd

from ..core import fmt, metrics
from .party import RANK_KEYS, PartyStreets, band_position

LIST_ROWS = 200     # a long list shows this many rows on screen (its CSV has them all)


def _rank_text(ranks: pd.Series, missing: str = "样本不足") -> list[str]:
    """Ranks as text, `missing` where unranked (one type per column, as a table needs)."""
    return [missing if pd.isna(r) else str(int(r)) for r in ranks]


def _label(key: str) -> str:
    return metrics.PARTY_METRICS[key].label


def party_ranking_table(ranked: pd.DataFrame, key: str, band: tuple[float, float],
                        selected: tuple[str, ...] = ()) -> pd.DataFrame:
    """Streets ranked on `key`: that metric, the hotline's 综合成绩 and rank beside it, then every other
    party metric (rates in %) and 吹哨强度 against its band; selected streets only, when any."""
    df = ranked[ranked["street_code"].isin(selected)] if selected else ranked
    out = pd.DataFrame({
        "排名": _rank_text(df["party_rank"]),
        "街道": df["name_zh"].to_numpy(),
    })
    for i, k in enumerate(dict.fromkeys((key, *RANK_KEYS))):
        if i == 1:   # right after the ranked metric, where a leader's eye is
            out["接诉即办综合成绩"] = df["score"].round(2).to_numpy()
            out["接诉即办排名"] = _rank_text(df["hotline_rank"], "—")
        v = df[k]
        if k == "close_hours_p50":
            out[f"{_label(k)}(小时)"] = v.round(1).to_numpy()
        elif k == "whistle_intensity":
            out[f"{_label(k)}(每千件)"] = v.round(1).to_numpy()
        else:
            out[f"{_label(k)}(%)"] = (100 * v).round(1).to_numpy()
    out["强度位置"] = [band_position(v, band) for v in df["whistle_intensity"]]
    out["党组织"] = df["orgs"].astype("int64").to_numpy()
    out["党员"] = df["members"].astype("int64").to_numpy()
    out["街道代码"] = df["street_code"].to_numpy()
    return out


def district_cards(ps: PartyStreets, keys) -> list[tuple[str, str, str]]:
    """(key, formatted value, caption with numerator / denominator) for the district's KPI cards."""
    d = ps.district
    cards = []
    for key in keys:
        num, den = metrics.PARTY_RATIOS[key]
        cards.append((key, metrics.PARTY_METRICS[key].format(d[key]), f"{int(d[num]):,} / {int(d[den]):,}"))
    return cards


def published_table(pub: pd.DataFrame) -> pd.DataFrame:
    """The snapshot's totals against the published figures."""
    return pd.DataFrame({
        "指标": pub["label"], "看板数值": pub["snapshot"], "公开数字": pub["value"], "单位": pub["unit"],
        "看板÷公开": (100 * pub["ratio"]).round(1), "来源与口径": pub["source"]})


def register_table(whistles: pd.DataFrame, street_names: dict) -> pd.DataFrame:
    """The 吹哨 register: one row per whistle."""
    return pd.DataFrame({
        "编号": whistles["whistle_id"], "街道": whistles["street_code"].map(street_names), "社区": whistles["community"],
        "吹哨层级": whistles["level"], "事由": whistles["trigger"], "线索来源": whistles["source"],
        "类别": whistles["category_l1"] + "/" + whistles["category_l2"], "吹哨时间": [fmt.minute(v) for v in whistles["whistled_at"]],
        "办结时间": [fmt.minute(v, "未办结") for v in whistles["closed_at"]], "历时(小时)": whistles["hours"].round(1),
        "报到": [f"{r}/{n}" for r, n in zip(whistles["reported"], whistles["responses"])],
        "逾期未报到": whistles["overdue_responses"], "街道评价": whistles["rating"].fillna("—")})


def league_table(units: pd.DataFrame) -> pd.DataFrame:
    """The answering units' league table."""
    return pd.DataFrame({
        "排名": _rank_text(units["rank"]), "单位": units["unit"],
        "类型": units["kind"], "报到层级": units["unit_level"], "应报到": units["responses_due"],
        "按时报到": units["responses_on_time"], "按时报到率": units["on_time_rate"],
        "未报到": units["not_reported"], "报到用时中位(分钟)": units["report_minutes_p50"].round(0),
        "已办结": units["done"]})


def response_table(responses: pd.DataFrame) -> pd.DataFrame:
    """One whistle's 报到, unit by unit."""
    return pd.DataFrame({
        "单位": responses["unit"], "层级": responses["unit_level"], "应报到时间": [fmt.minute(v) for v in responses["due"]],
        "报到时间": [fmt.minute(v, "未报到") for v in responses["reported_at"]], "用时(分钟)": responses["minutes"], "状态": responses["state"],
        "已办结": responses["done"], "评价": responses["rating"].fillna("—")})


def project_table(projects: pd.DataFrame, street_names: dict) -> pd.DataFrame:
    """共建项目, one row each (overdue ones first where the caller sorts so)."""
    return pd.DataFrame({
        "项目": projects["title_zh"], "单位": projects["unit"], "层级": projects["committee_level"],
        "街道": projects["street_code"].map(street_names), "社区": projects["community"].fillna("—"),
        "来源": projects["origin"], "计划完成": [fmt.day(v) for v in projects["planned_end"]], "状态": projects["status"],
        "完成日期": [fmt.day(v) for v in projects["done_on"]], "逾期天数": projects["days_late"], "需求方评价": projects["rating"].fillna("—")})


def overdue_unit_table(by_unit: pd.DataFrame) -> pd.DataFrame:
    """Overdue projects per unit."""
    return pd.DataFrame({"单位": by_unit["unit"].fillna("（未登记单位）"), "类型": by_unit["unit_kind"].fillna("—"),
                         "逾期项目": by_unit["projects"], "最长逾期(天)": by_unit["days_late_max"]})


def board_table(board: pd.DataFrame) -> pd.DataFrame:
    """Street × program progress."""
    return pd.DataFrame({
        "街道": board["street"], "类别": board["program"], "计划": board["planned"], "已完成": board["done"],
        "按期完成": board["on_time"], "逾期未完成": board["late"], "完成率": board["done_rate"]})


def item_table(items: pd.DataFrame, street_names: dict) -> pd.DataFrame:
    """Items one by one (the late list and the CSV)."""
    return pd.DataFrame({
        "事项": items["title_zh"], "类别": items["program"], "分类": items["category"],
        "街道": items["street_code"].map(street_names), "社区": items["community"].fillna("—"),
        "线索来源": items["source"], "计划完成": [fmt.day(v) for v in items["due_on"]], "状态": items["state"],
        "完成日期": [fmt.day(v) for v in items["done_on"]]})


def funnel_table(funnel: pd.DataFrame, street_names: dict) -> pd.DataFrame:
    """议事 per platform and street."""
    return pd.DataFrame({
        "平台": funnel["platform"], "街道": funnel["street_code"].map(street_names), "议事场次": funnel["meetings"],
        "参与人次": funnel["attendees"], "达成共识": funnel["agreed"], "形成项目": funnel["to_item"],
        "项目办结": funnel["item_done"],
        "转化率": (funnel["to_item"] / funnel["meetings"].where(funnel["meetings"] > 0)).map(fmt.rate)})

"""三率 and 综合成绩: the one place the dashboard defines its metrics.

Queries return *counts* (valid, contacted, resolved, sat_full, sat_basic); this
module turns counts into rates, scores, ranks and the four-class grouping, so every
page, headline and export computes them the same way.  Each metric is one record
(`METRICS`): label, 口径, formatter, delta formatter, colour scale, and whether a rise is
good; pages, charts, tables, briefs and tooltips read it.

    响应率 = contacted / valid            (valid = 有效回访, callback_valid)
    解决率 = resolved / valid
    满意率 = (满意 + f × 基本满意) / valid   f = basic_satisfied_factor, 0.9 by default
    综合成绩 = 100 × (w_r × 响应率 + w_s × 解决率 + w_m × 满意率)   10/50/40 by default
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import fmt
from .config import Settings, settings
from .frames import with_columns

COUNT_COLUMNS = ("tickets", "valid", "contacted", "resolved", "sat_full", "sat_basic")
RATE_COLUMNS = ("response_rate", "resolution_rate", "satisfaction_rate")
CLASSES = ("先进类", "进步类", "整改类", "治理类")

VOLUME_SCALE = "OrRd"     # sequential orange–red for volumes (more = darker)
QUALITY_SCALE = "RdYlBu"  # diverging red–yellow–blue for rates and scores (red = weak)


@dataclass(frozen=True)
class Term:
    """A word on screen with its 口径: key, label, and the definition as a str.format template
    over the settings `s` (so the weights in force are quoted)."""

    key: str
    label: str
    definition: str

    def describe(self, s: Settings | None = None) -> str:
        """The definition in plain Chinese with the settings in force."""
        return self.definition.format(s=s or settings())


@dataclass(frozen=True)
class Metric(Term):
    """A number the dashboard shows: how to write it and a difference of it, its map colour
    scale, whether a rise is good (True), bad (False) or neither (None), and whether a change
    against another period reads as a percentage (counts) rather than a difference."""

    format: Callable[[object], str]
    delta: Callable[[object], str]
    scale: str
    higher_is_better: bool | None
    relative: bool = False

    def change(self, cur, prev) -> str:
        """The change from `prev` to `cur` as read out: '+12.5%' for counts, '+0.3个百分点' for rates."""
        return fmt.change(cur, prev) if self.relative else self.delta(cur - prev)

    def tone(self, change) -> int:
        """+1 when `change` is good news, -1 when bad, 0 when flat, unknown or neither."""
        if self.higher_is_better is None or change is None or pd.isna(change) or round(float(change), 4) == 0:
            return 0
        return 1 if (change > 0) == self.higher_is_better else -1

    @property
    def delta_color(self) -> str:
        """st.metric's delta_color: green for good news, or 'off' when a rise is neither."""
        return {True: "normal", False: "inverse", None: "off"}[self.higher_is_better]


def _per_km2(x) -> str:
    return fmt.per(x, 0)


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("tickets", "工单量", "所选时间、街道、类别范围内受理的12345工单数（按创建时间计）。",
           fmt.count, fmt.signed, VOLUME_SCALE, None, relative=True),
    Metric("per_10k", "每万人工单", "工单量 ÷ 常住人口 × 10000（人口为第七次人口普查口径，部分街道为估算）。",
           fmt.per, fmt.signed, VOLUME_SCALE, False),
    Metric("per_km2", "每平方公里工单", "工单量 ÷ 街道面积（平方公里）。", _per_km2, fmt.signed, VOLUME_SCALE, False),
    Metric("response_rate", "响应率", "响应率 = 已联系诉求人的有效回访工单 ÷ 有效回访工单。",
           fmt.rate, fmt.points, QUALITY_SCALE, True),
    Metric("resolution_rate", "解决率", "解决率 = 回访认定已解决的有效回访工单 ÷ 有效回访工单。",
           fmt.rate, fmt.points, QUALITY_SCALE, True),
    Metric("satisfaction_rate", "满意率",
           "满意率 = (满意 + {s.basic_satisfied_factor:g} × 基本满意) ÷ 有效回访工单；不满意及未表态计0。",
           fmt.rate, fmt.points, QUALITY_SCALE, True),
    Metric("score", "综合成绩",
           "综合成绩 = 100 × ({s.weight_response:g} × 响应率 + {s.weight_resolution:g} × 解决率"
           " + {s.weight_satisfaction:g} × 满意率)。有效回访少于 {s.small_sample_min} 件时标为“样本不足”，不参与排名。",
           fmt.score, fmt.score_delta, QUALITY_SCALE, True),
)}

TERMS: dict[str, Term] = {t.key: t for t in (
    Term("rank", "排名", "按综合成绩从高到低排名（并列同名次）；样本不足的街道不排名。"),
    Term("class", "四类分组", "四类分组：排名前 {s.class_top_share:.0%} 为先进类，后 {s.class_bottom_share:.0%} 为治理类；"
                         "其余街道中名次较上期上升的为进步类，未上升的为整改类。"),
    Term("overdue", "超期", "超期 = 办结时间晚于办理时限，或至数据截至时仍未办结且已过时限。"),
)}

# --- the party-building layer (红墙先锋): rates over counts from queries/party_street_metrics.sql ---------
# key -> (numerator, denominator) columns; the denominator is also what the sample floor counts.
PARTY_RATIOS = {
    "report_on_time_rate": ("responses_on_time", "responses_due"),
    "whistle_close_rate": ("whistles_closed", "whistles"),
    "project_on_time_rate": ("projects_on_time", "projects_due"),
    "project_satisfaction": ("projects_satisfied", "projects_rated"),
    "pairing_coverage": ("communities_paired", "communities"),
    "pairing_activity": ("pairs_with_activity", "pairs_active"),
    "item_done_rate": ("items_done", "items_planned"),
    "item_on_time_rate": ("items_on_time", "items_planned"),
    "meeting_conversion": ("meetings_to_item", "meetings"),
    "proactive_share": ("proactive", "proactive_base"),
}
# The whistle-level metrics that are not ratios of two counts, and the cases their floor counts.
PARTY_FLOOR = {**{k: den for k, (_, den) in PARTY_RATIOS.items()}, "close_hours_p50": "whistles_closed",
               "whistle_intensity": "tickets"}

PARTY_METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("report_on_time_rate", "吹哨按时报到率",
           "按时报到率 = 在应报到时间前报到的单位次数 ÷ 应报到时间落在所选期间的单位次数；尚未到应报到时间且未报到的不计入。"
           "没有记录应报到时间的，按吹哨后 {s.whistle_report_minutes} 分钟计。",
           fmt.rate, fmt.points, QUALITY_SCALE, True),
    Metric("whistle_close_rate", "吹哨办结率", "吹哨办结率 = 所选期间吹哨中已办结的件数 ÷ 所选期间吹哨件数（按吹哨时间计）。",
           fmt.rate, fmt.points, QUALITY_SCALE, True),
    Metric("close_hours_p50", "吹哨办结时长", "从吹哨到办结的时长中位数（小时），只计已办结的吹哨。",
           fmt.hours, fmt.hours_delta, QUALITY_SCALE + "_r", False),
    Metric("whistle_intensity", "吹哨强度",
           "吹哨强度 = 所选期间吹哨件数 ÷ 同期12345工单量 × 1000。与全区分布的中间区间（第 {s.whistle_band_low:.0%}–"
           "{s.whistle_band_high:.0%} 百分位）对照：过低、过高都值得看一看，不是越高越好的指标。",
           fmt.per, fmt.signed, VOLUME_SCALE, None),
    Metric("project_on_time_rate", "共建项目按期完成率",
           "按期完成率 = 计划完成日在所选期间、在计划完成日前完成的共建项目 ÷ 计划完成日在所选期间的项目（已取消的不计）。",
           fmt.rate, fmt.points, QUALITY_SCALE, True),
    Metric("project_satisfaction", "需求方满意率", "需求方满意率 = 所选期间完成、需求方评价为“满意”的项目 ÷ 有评价的项目。",
           fmt.rate, fmt.points, QUALITY_SCALE, True),
    Metric("pairing_coverage", "结对覆盖率", "结对覆盖率 = 期末有在结对（已开始、未结束）机关企事业党组织的社区 ÷ 社区总数。",
           fmt.rate, fmt.points, QUALITY_SCALE, True),
    Metric("pairing_activity", "结对活跃率", "结对活跃率 = 期末所在季度至少开展1次活动的在结对 ÷ 在结对总数。",
           fmt.rate, fmt.points, QUALITY_SCALE, True),
    Metric("item_done_rate", "实事完成率",
           "实事完成率 = 计划年度内、至期末已完成的事项 ÷ 计划年度内的事项（为民实事、重点提升事项、一号工程、每月一题；已取消的不计）。",
           fmt.rate, fmt.points, QUALITY_SCALE, True),
    Metric("item_on_time_rate", "实事按期完成率", "按期完成率 = 在计划完成日前完成的事项 ÷ 计划年度内的事项（已取消的不计）。",
           fmt.rate, fmt.points, QUALITY_SCALE, True),
    Metric("meeting_conversion", "议事转化率", "议事转化率 = 所选期间议事中形成了实事项目的场次 ÷ 议事场次。",
           fmt.rate, fmt.points, QUALITY_SCALE, True),
    Metric("proactive_share", "主动治理占比",
           "主动治理占比 = 线索来源不是12345的吹哨和实事项目（议事、走访、网格、交办）÷ 全部吹哨和实事项目。",
           fmt.rate, fmt.points, QUALITY_SCALE, True),
)}

GLOSSARY: dict[str, Term] = {**METRICS, **TERMS, **PARTY_METRICS,
                             "party_floor": Term("party_floor", "样本不足",
                                                 "分母少于 {s.party_sample_min} 件时照常显示数值，但标为样本不足、不参与排名。")}


def definitions(s: Settings | None = None) -> dict[str, str]:
    """口径: every metric's and term's definition in plain Chinese, with the weights in force."""
    s = s or settings()
    return {key: term.describe(s) for key, term in GLOSSARY.items()}


def labels(keys=None) -> dict[str, str]:
    """key -> label of the given metric keys (all metrics when None)."""
    return {k: METRICS[k].label for k in (keys if keys is not None else METRICS)}


def _floats(values: pd.Series) -> np.ndarray:
    """A column's values as float64, missing ones NaN."""
    return values.to_numpy(dtype="float64", na_value=np.nan)


def _divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, NaN where den is 0 or missing (float arrays)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _ratio(num, den):
    """num / den, NaN where den is 0 or missing; Series (of the same index) or scalars."""
    if not isinstance(den, pd.Series):
        return float(num) / den if den and den > 0 else float("nan")
    return pd.Series(_divide(_floats(num), _floats(den)), index=den.index)


def add_rates(df: pd.DataFrame, s: Settings | None = None) -> pd.DataFrame:
    """Add the three rates, 综合成绩 and the small-sample flag to a frame of counts.

    Rates are NaN where there is no valid callback.  Returns a new frame.
    """
    s = s or settings()
    valid = _floats(df["valid"])
    response = _divide(_floats(df["contacted"]), valid)
    resolution = _divide(_floats(df["resolved"]), valid)
    satisfaction = _divide(_floats(df["sat_full"]) + s.basic_satisfied_factor * _floats(df["sat_basic"]), valid)
    return with_columns(df, {
        "response_rate": response, "resolution_rate": resolution, "satisfaction_rate": satisfaction,
        "score": 100 * (s.weight_response * response + s.weight_resolution * resolution
                        + s.weight_satisfaction * satisfaction),
        "small_sample": df["valid"].to_numpy() < s.small_sample_min})


def totals(df: pd.DataFrame, s: Settings | None = None) -> pd.Series:
    """One row of counts and metrics for everything in `df` (e.g. the district)."""
    counts = pd.DataFrame([{c: int(df[c].sum()) if c in df else 0 for c in COUNT_COLUMNS}])
    return add_rates(counts, s).iloc[0]


def rank(df: pd.DataFrame, by: str = "score") -> pd.Series:
    """Rank 1 = best (highest `by`); ties share the best rank; small samples get <NA>."""
    eligible = df[by].where(~df["small_sample"])
    return eligible.rank(ascending=False, method="min").astype("Int64")


def classify(ranks: pd.Series, prev_ranks: pd.Series, s: Settings | None = None) -> pd.Series:
    """The four-class tag (先进类/进步类/整改类/治理类) for each ranked row; <NA> if unranked.

    Rule (documented in definitions()['class']): among the n ranked rows, rank ≤
    ceil(top_share × n) is 先进类, rank > n − ceil(bottom_share × n) is 治理类; of
    the rest, a rank better than the previous period's is 进步类, otherwise 整改类.
    """
    s = s or settings()
    n = int(ranks.notna().sum())
    top = int(np.ceil(s.class_top_share * n))
    bottom = n - int(np.ceil(s.class_bottom_share * n))
    out = pd.Series(pd.NA, index=ranks.index, dtype="object")
    for i, r in ranks.items():
        if pd.isna(r):
            continue
        p = prev_ranks.get(i)
        if r <= top:
            out[i] = CLASSES[0]
        elif r > bottom:
            out[i] = CLASSES[3]
        elif pd.notna(p) and r < p:
            out[i] = CLASSES[1]
        else:
            out[i] = CLASSES[2]
    return out


def add_party_rates(df: pd.DataFrame, s: Settings | None = None) -> pd.DataFrame:
    """Add every PARTY_METRICS value and, per metric, a `<key>_small` flag (its floor count below
    settings.party_sample_min) to a frame of party_street_metrics counts.  Returns a new frame."""
    s = s or settings()
    rates = {key: _divide(_floats(df[num]), _floats(df[den])) for key, (num, den) in PARTY_RATIOS.items()}
    rates["whistle_intensity"] = _divide(_floats(df["whistles"]) * 1000, _floats(df["tickets"]))
    small = {f"{key}_small": df[den].to_numpy() < s.party_sample_min for key, den in PARTY_FLOOR.items()}
    return with_columns(df, rates | small)


def party_rank(df: pd.DataFrame, key: str) -> pd.Series:
    """Rank 1 = best on one party metric (its direction from the record); rows below the floor
    and rows without a value get <NA>; ties share the best rank."""
    eligible = df[key].where(~df[f"{key}_small"])
    ascending = PARTY_METRICS[key].higher_is_better is False
    return eligible.rank(ascending=ascending, method="min").astype("Int64")


def intensity_band(values: pd.Series, s: Settings | None = None) -> tuple[float, float]:
    """The district's band of 吹哨强度: the low and high quantiles of the streets' values."""
    s = s or settings()
    v = values.dropna()
    return (float(v.quantile(s.whistle_band_low)), float(v.quantile(s.whistle_band_high))) if len(v) else (
        float("nan"), float("nan"))


def per_10k(count: pd.Series, population: pd.Series) -> pd.Series:
    """Count per 10,000 residents (NaN where population is unknown or zero)."""
    return _ratio(count * 10_000, population)


def per_km2(count: pd.Series, area_km2: pd.Series) -> pd.Series:
    """Count per km² (NaN where the area is unknown or zero)."""
    return _ratio(count, area_km2)

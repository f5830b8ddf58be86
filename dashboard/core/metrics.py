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

GLOSSARY: dict[str, Term] = {**METRICS, **TERMS}


def definitions(s: Settings | None = None) -> dict[str, str]:
    """口径: every metric's and term's definition in plain Chinese, with the weights in force."""
    s = s or settings()
    return {key: term.describe(s) for key, term in GLOSSARY.items()}


def labels(keys=None) -> dict[str, str]:
    """key -> label of the given metric keys (all metrics when None)."""
    return {k: METRICS[k].label for k in (keys if keys is not None else METRICS)}


def _ratio(num, den):
    """num / den, NaN where den is 0 or missing; Series or scalars."""
    if not isinstance(den, pd.Series):
        return float(num) / den if den and den > 0 else float("nan")
    den = den.astype("float64")
    return (num.astype("float64") / den).where(den > 0)


def add_rates(df: pd.DataFrame, s: Settings | None = None) -> pd.DataFrame:
    """Add the three rates, 综合成绩 and the small-sample flag to a frame of counts.

    Rates are NaN where there is no valid callback.  Returns a new frame.
    """
    s = s or settings()
    out = df.copy()
    out["response_rate"] = _ratio(out["contacted"], out["valid"])
    out["resolution_rate"] = _ratio(out["resolved"], out["valid"])
    out["satisfaction_rate"] = _ratio(out["sat_full"] + s.basic_satisfied_factor * out["sat_basic"], out["valid"])
    out["score"] = 100 * (s.weight_response * out["response_rate"]
                          + s.weight_resolution * out["resolution_rate"]
                          + s.weight_satisfaction * out["satisfaction_rate"])
    out["small_sample"] = out["valid"] < s.small_sample_min
    return out


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


def per_10k(count: pd.Series, population: pd.Series) -> pd.Series:
    """Count per 10,000 residents (NaN where population is unknown or zero)."""
    return _ratio(count * 10_000, population)


def per_km2(count: pd.Series, area_km2: pd.Series) -> pd.Series:
    """Count per km² (NaN where the area is unknown or zero)."""
    return _ratio(count, area_km2)

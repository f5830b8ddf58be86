"""Community × month association between the party-building work and complaints (相关, not 因果).

A panel of communities by month: outcomes (tickets per 1,000 residents, 解决率, 满意率) on inputs
(an active pairing, projects done, 议事 held, whistles), with street and month fixed effects and
standard errors clustered by community.  Estimated with statsmodels (pinned in requirements.txt);
pure: a frame in, a table of coefficients with 95 % intervals out.
"""
from __future__ import annotations

import pandas as pd
import statsmodels.formula.api as smf

from ..core import metrics
from ..core.config import Settings

INPUTS = {"active_pairing": "有在结对（是=1）", "projects_done": "当月完成共建项目（个）",
          "meetings": "当月议事（场）", "whistles": "当月吹哨（次）"}
OUTCOMES = {"per_1k": "每千人工单（件）", "resolution_rate": "解决率（百分点）", "satisfaction_rate": "满意率（百分点）"}
MIN_ROWS = 60        # fewer community-months than this: no estimate


def outcomes(panel: pd.DataFrame, s: Settings | None = None) -> pd.DataFrame:
    """The panel with its outcomes: tickets per 1,000 residents and the rates (metrics.add_rates) in
    percent, so a coefficient reads in 百分点; rates are NaN in months without a valid callback and are
    left out of their regressions."""
    out = metrics.add_rates(panel.assign(contacted=panel["valid"]), s)
    out[["resolution_rate", "satisfaction_rate"]] *= 100
    out["per_1k"] = 1000 * out["tickets"] / out["population"].where(out["population"] > 0)
    out["month"] = pd.to_datetime(out["month"]).dt.strftime("%Y-%m")
    return out


def estimate(panel: pd.DataFrame, s: Settings | None = None) -> pd.DataFrame:
    """One row per outcome × input: coef, lo, hi (95 %), p, rows, communities; empty when the panel
    is too small or an input never varies."""
    data = outcomes(panel, s)
    rows = []
    for y in OUTCOMES:
        d = data.dropna(subset=[y])
        varying = [x for x in INPUTS if d[x].nunique() > 1]
        if len(d) < MIN_ROWS or not varying:
            continue
        formula = f"{y} ~ {' + '.join(varying)} + C(street_code) + C(month)"
        fit = smf.ols(formula, data=d).fit(cov_type="cluster", cov_kwds={"groups": d["community_id"].astype("category").cat.codes})
        ci = fit.conf_int(0.05)
        for x in varying:
            rows.append({"outcome": y, "input": x, "coef": fit.params[x], "lo": ci.loc[x, 0], "hi": ci.loc[x, 1],
                         "p": fit.pvalues[x], "rows": int(fit.nobs), "communities": d["community_id"].nunique()})
    return pd.DataFrame(rows, columns=["outcome", "input", "coef", "lo", "hi", "p", "rows", "communities"])


def reading(row) -> str:
    """相关 in words: the interval's sign, never a cause and never a ranking."""
    if row["lo"] > 0:
        return "正相关（区间不含0）"
    if row["hi"] < 0:
        return "负相关（区间不含0）"
    return "与0无法区分"

"""Community × month association between the party-building work and complaints (相关, not 因果).

A panel of communities by month: outcomes (tickets per 1,000 residents, 解决率, 满意率) on inputs
(an active pairing, projects done, 议事 held, whistles), with street and month fixed effects and
standard errors clustered by community.  Pure: a frame in, a table of coefficients with 95 % intervals out.

The fit is the one statsmodels gives for `y ~ inputs + C(street_code) + C(month)` with
`cov_type="cluster"` (tests/test_outcomes_speed.py checks it against statsmodels), done by hand because
the dummies made statsmodels take seconds: the street effects are absorbed by demeaning within street
(Frisch–Waugh–Lovell: the inputs' coefficients and their block of the sandwich are unchanged), the
month dummies stay as columns, the normal equations are solved by pseudo-inverse, and the
cluster-robust covariance carries statsmodels' small-sample factor G/(G−1)·(N−1)/(N−K), K counting
the intercept and every dummy; intervals and p use the normal distribution, as statsmodels does.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

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
    codes, months = pd.factorize(pd.to_datetime(out["month"]))
    out["month"] = pd.Series(months.strftime("%Y-%m")[codes], index=out.index)   # each month written once
    return out


def fe_ols(d: pd.DataFrame, ys: list[str], xs: list[str], absorb: str, dummies: str,
           cluster: str) -> dict[str, pd.DataFrame]:
    """OLS of each of `ys` on `xs` with fixed effects of `absorb` and `dummies` and standard errors clustered
    by `cluster`: coef, se, lo, hi (95 %), p per input, as statsmodels' cluster-robust fit would give.
    The outcomes share the rows of `d`, so the design and its inverse are worked out once."""
    cols = d[xs].astype(float).join(pd.get_dummies(d[dummies], drop_first=True, dtype=float))
    w = pd.concat([d[ys].astype(float), cols], axis=1)
    w = w.to_numpy() - w.groupby(d[absorb].to_numpy()).transform("mean").to_numpy()   # the street effects, absorbed
    xt = w[:, len(ys):]
    # einsum, not BLAS: on a busy server the threaded BLAS took 40× longer for these small products
    bread = np.linalg.pinv(np.einsum("ij,ik->jk", xt, xt))
    groups = pd.factorize(d[cluster])[0]
    n, g = len(d), groups.max() + 1
    k = xt.shape[1] + d[absorb].nunique()      # + the intercept and the absorbed dummies, as statsmodels counts
    return {y: _clustered_fit(xt, w[:, i], bread, groups, (g / (g - 1), (n - 1) / (n - k)), xs)
            for i, y in enumerate(ys)}


def _clustered_fit(xt: np.ndarray, yt: np.ndarray, bread: np.ndarray, groups: np.ndarray,
                   small: tuple[float, float], xs: list[str]) -> pd.DataFrame:
    """coef, se, lo, hi, p of the first len(xs) columns of `xt` for one demeaned outcome `yt`; `bread` is
    the pseudo-inverse of xt'xt, `small` the small-sample factors G/(G−1) and (N−1)/(N−K)."""
    beta = bread @ np.einsum("ij,i->j", xt, yt)
    resid = xt * (yt - xt @ beta)[:, None]
    # per cluster, in row order (as np.add.at added them): bincount is the same sums, 4× faster
    scores = np.column_stack([np.bincount(groups, weights=resid[:, j]) for j in range(resid.shape[1])])
    cov = bread @ np.einsum("ij,ik->jk", scores, scores) @ bread * small[0] * small[1]
    coef, se = beta[:len(xs)], np.sqrt(np.diag(cov)[:len(xs)])
    z = stats.norm.ppf(0.975)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * stats.norm.sf(np.abs(coef / se))
    return pd.DataFrame({"coef": coef, "se": se, "lo": coef - z * se, "hi": coef + z * se, "p": p}, index=xs)


def estimate(panel: pd.DataFrame, s: Settings | None = None) -> pd.DataFrame:
    """One row per outcome × input: coef, lo, hi (95 %), p, rows, communities; empty when the panel
    is too small or no input varies (an outcome that never varies has no rows)."""
    data = outcomes(panel, s)
    samples = {}    # outcomes missing in the same rows, with the same inputs varying: one design (the two rates)
    for y in OUTCOMES:
        missing = data[y].isna().to_numpy()
        d = data[~missing]
        varying = [x for x in INPUTS if d[x].nunique() > 1]
        if len(d) < MIN_ROWS or not varying or d[y].nunique() < 2:   # an outcome that never varies: nothing to fit
            continue
        samples.setdefault((missing.tobytes(), tuple(varying)), (d, varying, []))[2].append(y)
    fits = {}
    for d, varying, ys in samples.values():
        sample = {"rows": len(d), "communities": d["community_id"].nunique()}
        fits |= {y: (fit, sample) for y, fit in fe_ols(d, ys, varying, absorb="street_code", dummies="month",
                                                        cluster="community_id").items()}
    rows = []
    for y in (y for y in OUTCOMES if y in fits):
        fit, sample = fits[y]
        rows += [{"outcome": y, "input": x, "coef": fit.at[x, "coef"], "lo": fit.at[x, "lo"], "hi": fit.at[x, "hi"],
                  "p": fit.at[x, "p"], **sample} for x in fit.index]
    return pd.DataFrame(rows, columns=["outcome", "input", "coef", "lo", "hi", "p", "rows", "communities"])


def reading(row) -> str:
    """相关 in words: the interval's sign, never a cause and never a ranking."""
    if row["lo"] > 0:
        return "正相关（区间不含0）"
    if row["hi"] < 0:
        return "负相关（区间不含0）"
    return "与0无法区分"

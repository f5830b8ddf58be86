"""Did the work change complaints?  Item-level before/after estimates, pooled with intervals.

Pure functions (frames in, frames out), tested on hand-built fixtures whose answer is known by
construction (tests/test_effects.py).

For each completed action (an item, or a closed whistle) in community c and category g:
- treated: c's tickets of g in the k weeks before the action started (pre) and the k weeks
  after it was done (post); the weeks in between are the work itself and are left out;
- comparison 1, elsewhere: g's tickets over the same weeks in the communities whose first action of g
  came only after the post window (not yet treated: picked for their complaints like c, just
  later, so the rise that brought the action is in both; never-treated communities are quieter
  and would flatter the estimate; the same seasons and district-wide news);
- comparison 2, a year earlier: c's tickets of g in the same weeks 52 weeks before (the same
  community's own seasonal swing).
Only a community's first action in a category is evaluated (a later one's "before" is no longer
untouched).  Rates are tickets per 1,000 residents per week.  The estimate is the change in c less the
change in the comparison: a difference-in-differences, with a Poisson standard error.  Pooled
per program and category, the windows are stacked (each action's counts and residents summed).
The verdict uses the circles page's rule (circle_analysis.verdict): too few tickets, within two
standard errors of zero, or a clear fall or rise.  95 % intervals are ±1.96 standard errors.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .circle_analysis import DID_MIN_TICKETS, verdict

WEEKS = 8          # k: weeks on each side
WEEK = pd.Timedelta(weeks=1)
Z95 = 1.96
COMPARISONS = {"elsewhere": "之后才开展的社区", "last_year": "上年同期"}
COLUMNS = ["action_id", "program", "community_id", "category_l1", "start", "done", "comparison", "status",
           "treated_pre_n", "treated_post_n", "control_pre_n", "control_post_n", "treated_pop", "control_pop"]
STATUS_TEXT = {"repeat": "同社区同类别此前已有事项，不单独评估", "down": "明显下降", "up": "明显上升", "noise": "在随机波动范围内", "too_small": "工单太少，不能下结论",
               "outside_data": "前后窗口超出数据范围", "no_control": "没有可比的社区"}


def monday(d) -> pd.Timestamp:
    """The Monday of the week `d` falls in."""
    t = pd.Timestamp(d).normalize()
    return t - pd.Timedelta(days=t.weekday())


class WeeklyCounts:
    """Tickets per community, category and week as running sums, so any window's count is O(1)."""

    def __init__(self, weekly: pd.DataFrame, first_week, last_week):
        self.first = pd.Timestamp(first_week)
        self.n_weeks = int((pd.Timestamp(last_week) - self.first) / WEEK) + 1
        weeks = pd.date_range(self.first, periods=self.n_weeks, freq="7D")
        w = weekly.assign(week=pd.to_datetime(weekly["week"]))
        w = w[w["week"].isin(weeks)]
        grid = w.pivot_table(index=["community_id", "category_l1"], columns="week", values="tickets",
                             aggfunc="sum", fill_value=0).reindex(columns=weeks, fill_value=0)
        self.rows = {key: i for i, key in enumerate(grid.index)}
        zero = np.zeros((len(grid), 1), dtype=np.int64)
        self.cum = np.hstack([zero, grid.to_numpy(dtype=np.int64).cumsum(axis=1)])

    def index(self, days) -> np.ndarray:
        """The week numbers of the weeks `days` fall in (0 = the first whole week of data)."""
        d = pd.to_datetime(pd.Series(days)).dt.normalize()
        mondays = d - pd.to_timedelta(d.dt.weekday, unit="D")
        return ((mondays - self.first) // WEEK).to_numpy(dtype=np.int64)

    def window(self, community: str, category: str, lo: int, hi: int) -> int:
        """Tickets of `category` in `community` in weeks lo ≤ w < hi."""
        i = self.rows.get((community, category))
        return 0 if i is None else int(self.cum[i, hi] - self.cum[i, lo])

    def over(self, communities, category: str, lo: int, hi: int) -> int:
        """Tickets of `category` in weeks lo ≤ w < hi, summed over `communities`."""
        idx = [self.rows[(c, category)] for c in communities if (c, category) in self.rows]
        return int((self.cum[idx, hi] - self.cum[idx, lo]).sum()) if idx else 0


def action_effects(actions: pd.DataFrame, weekly: pd.DataFrame, population: pd.Series, *, first_week, last_week,
                   weeks: int = WEEKS, min_tickets: int = DID_MIN_TICKETS) -> pd.DataFrame:
    """One row per action and comparison with the four window counts, rates, did, se and status.

    `actions`: action_id, program, community_id, category_l1, start, done (dates).
    `weekly`: week (Monday), community_id, category_l1, tickets.  `population`: by community_id.
    `first_week`/`last_week`: the Mondays of the first and last whole weeks of data.
    """
    counts = WeeklyCounts(weekly, first_week, last_week)
    pop_of = population.fillna(0).astype(float).to_dict()
    start_w, done_w = counts.index(actions["start"]), counts.index(actions["done"])
    cats = actions["category_l1"].to_numpy()
    comms = actions["community_id"].to_numpy()
    # only a community's first action in a category is evaluated: after it, "before" is no longer untouched
    order = np.lexsort((start_w, cats.astype(str), comms.astype(str)))
    first = np.ones(len(actions), dtype=bool)
    key = pd.Series(list(zip(comms, cats))).iloc[order]
    first[order] = ~key.duplicated().to_numpy()
    first_start: dict[str, dict[str, int]] = {}
    for c, g, w in zip(comms[first], cats[first], start_w[first]):
        first_start.setdefault(g, {})[c] = int(w)
    rows = []
    for k, a in enumerate(actions.itertuples(index=False)):
        pre_lo, post_lo = start_w[k] - weeks, done_w[k] + 1          # [pre_lo, start) and [post_lo, post_lo+weeks)
        post_hi = post_lo + weeks
        base = {"action_id": a.action_id, "program": a.program, "community_id": a.community_id,
                "category_l1": a.category_l1, "start": a.start, "done": a.done}
        pop = pop_of.get(a.community_id, 0.0)
        # comparisons: the communities whose first action of this category comes only after the post
        # window — chosen for complaints like this one, just later, and untouched in these weeks
        later = [c for c, w in first_start.get(a.category_l1, {}).items() if w >= post_hi]
        for comparison in COMPARISONS:
            row = {**base, "comparison": comparison}
            if not first[k]:
                rows.append({**row, "status": "repeat"})
                continue
            begin = pre_lo if comparison == "elsewhere" else pre_lo - 52
            c_pop = sum(pop_of.get(c, 0.0) for c in later) if comparison == "elsewhere" else pop
            if begin < 0 or post_hi > counts.n_weeks:
                rows.append({**row, "status": "outside_data"})
                continue
            if pop <= 0 or c_pop <= 0:
                rows.append({**row, "status": "no_control"})
                continue
            if comparison == "elsewhere":
                c_pre = counts.over(later, a.category_l1, pre_lo, start_w[k])
                c_post = counts.over(later, a.category_l1, post_lo, post_hi)
            else:
                c_pre = counts.window(a.community_id, a.category_l1, pre_lo - 52, start_w[k] - 52)
                c_post = counts.window(a.community_id, a.category_l1, post_lo - 52, post_hi - 52)
            rows.append({**row, "treated_pre_n": counts.window(a.community_id, a.category_l1, pre_lo, start_w[k]),
                         "treated_post_n": counts.window(a.community_id, a.category_l1, post_lo, post_hi),
                         "control_pre_n": c_pre, "control_post_n": c_post, "treated_pop": pop, "control_pop": c_pop})
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out if out.empty else _estimate(out, weeks, min_tickets)


def _estimate(df: pd.DataFrame, weeks: int, min_tickets: int) -> pd.DataFrame:
    """Rates, did, se, interval and status for rows holding the four counts and the two populations."""
    df = df.copy()
    ok = df["treated_pop"].notna()
    for col in ("did", "se", "lo", "hi", "relative"):
        df[col] = np.nan
    df["status"] = df["status"].astype(object) if "status" in df else None
    for g in ("treated", "control"):
        for w in ("pre", "post"):
            df.loc[ok, f"{g}_{w}"] = 1000 * df.loc[ok, f"{g}_{w}_n"] / df.loc[ok, f"{g}_pop"] / weeks
    d = ok
    df.loc[d, "did"] = ((df.loc[d, "treated_post"] - df.loc[d, "treated_pre"])
                        - (df.loc[d, "control_post"] - df.loc[d, "control_pre"]))
    t_n = df["treated_pre_n"] + df["treated_post_n"]
    c_n = df["control_pre_n"] + df["control_post_n"]
    df.loc[d, "se"] = 1000 / weeks * np.sqrt(t_n[d] / df.loc[d, "treated_pop"] ** 2 + c_n[d] / df.loc[d, "control_pop"] ** 2)
    df.loc[d, "lo"] = df.loc[d, "did"] - Z95 * df.loc[d, "se"]
    df.loc[d, "hi"] = df.loc[d, "did"] + Z95 * df.loc[d, "se"]
    df.loc[d, "relative"] = df.loc[d, "did"] / df.loc[d, "treated_pre"].where(df.loc[d, "treated_pre"] > 0)
    df.loc[d, "status"] = [verdict(v, s, int(tn), int(cn), min_tickets)
                           for v, s, tn, cn in zip(df.loc[d, "did"], df.loc[d, "se"], t_n[d], c_n[d])]
    return df


def pooled(effects: pd.DataFrame, by=("program", "category_l1"), *, weeks: int = WEEKS,
           min_tickets: int = DID_MIN_TICKETS) -> pd.DataFrame:
    """Stack the evaluable actions per group and comparison: counts and residents summed, one
    estimate each with its interval and verdict; `actions` counts the actions stacked."""
    ok = effects[effects["did"].notna()] if "did" in effects else effects.iloc[0:0]
    if ok.empty:
        return pd.DataFrame(columns=[*by, "comparison", "actions", "did", "se", "lo", "hi", "relative", "status"])
    sums = (ok.groupby([*by, "comparison"])
            .agg(actions=("action_id", "nunique"), treated_pre_n=("treated_pre_n", "sum"),
                 treated_post_n=("treated_post_n", "sum"), control_pre_n=("control_pre_n", "sum"),
                 control_post_n=("control_post_n", "sum"), treated_pop=("treated_pop", "sum"),
                 control_pop=("control_pop", "sum"))
            .reset_index())
    return _estimate(sums, weeks, min_tickets)


def sentence(row) -> str:
    """One pooled estimate in plain Chinese, never claiming more than its interval allows."""
    if row is None or pd.isna(row.get("did")):
        return "没有可评估的已完成事项：前后各需完整的对比窗口，且窗口须落在数据范围内。"
    n, kind = int(row["actions"]), row.get("program", "事项")
    what = f"全部{n}项已完成的{kind}" if row["category_l1"] == "全部" else f"{row['category_l1']}类{n}项已完成的{kind}"
    vs = COMPARISONS[row["comparison"]]
    change = (f"办结后{WEEKS}周与开始前{WEEKS}周相比，相对{vs}，每千人每周工单变化{row['did']:+.3f}件"
              f"（95%区间 {row['lo']:+.3f} 至 {row['hi']:+.3f}")
    if pd.notna(row.get("relative")):
        change += f"，约为开始前水平的{100 * row['relative']:+.0f}%"
    change += "）"
    tail = {"down": "，诉求相对明显减少。", "up": "，诉求相对明显增多。",
            "noise": "，与零无法区分，不能据此认为事项改变了诉求量。",
            "too_small": f"；工单太少（前后合计少于{DID_MIN_TICKETS}件），不能下结论。"}[row["status"]]
    return f"{what}：{change}{tail}"


def overall_sentence(row) -> str:
    """`sentence` for an overall row (kind 事项 or 吹哨, all categories)."""
    return sentence({**row, "category_l1": "全部", "program": row["kind"]})


def interval_text(did: float, lo: float, hi: float) -> str:
    """'−0.42（−0.61 至 −0.23）'."""
    return "—" if any(pd.isna(x) for x in (did, lo, hi)) else f"{did:+.3f}（{lo:+.3f} 至 {hi:+.3f}）"

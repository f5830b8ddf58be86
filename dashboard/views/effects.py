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

from ..core.frames import with_columns
from .circle_analysis import DID_MIN_TICKETS, verdict

WEEKS = 8          # k: weeks on each side
WEEK = pd.Timedelta(weeks=1)
Z95 = 1.96
COMPARISONS = {"elsewhere": "之后才开展的社区", "last_year": "上年同期"}
COUNTED = ["treated_pre_n", "treated_post_n", "control_pre_n", "control_post_n", "treated_pop", "control_pop"]
COLUMNS = ["action_id", "program", "community_id", "category_l1", "start", "done", "comparison", "status", *COUNTED]
STATUS_TEXT = {"repeat": "同社区同类别此前已有事项，不单独评估", "down": "明显下降", "up": "明显上升", "noise": "在随机波动范围内", "too_small": "工单太少，不能下结论",
               "outside_data": "前后窗口超出数据范围", "no_control": "没有可比的社区"}


def monday(d) -> pd.Timestamp:
    """The Monday of the week `d` falls in."""
    t = pd.Timestamp(d).normalize()
    return t - pd.Timedelta(days=t.weekday())


class WeeklyCounts:
    """Tickets per community, category and week as running sums, so any window's count is O(1)."""

    def __init__(self, weekly: pd.DataFrame, first_week, last_week, pairs=None):
        """`weekly`: community_id, category_l1, week (Monday) and tickets, one row per week; or, with
        `pairs` (community_id, category_l1 tuples), pair (a position in `pairs`), week_index (weeks
        counted from `first_week`) and tickets (community_weekly.sql)."""
        self.first = pd.Timestamp(first_week)
        self.n_weeks = int((pd.Timestamp(last_week) - self.first) / WEEK) + 1
        if pairs is None:
            keys = weekly[["community_id", "category_l1"]]
            offset = pd.to_datetime(weekly["week"]) - self.first
            week = np.where((offset % WEEK == pd.Timedelta(0)).to_numpy(), (offset // WEEK).to_numpy(dtype=np.int64),
                            -1)                                           # -1: not a Monday of the grid
            codes, pairs = pd.factorize(pd.MultiIndex.from_frame(keys)) if len(keys) else (np.zeros(0, int), [])
        else:
            pairs = list(pairs)
            codes = weekly["pair"].to_numpy(dtype=np.int64)
            week = weekly["week_index"].to_numpy(dtype=np.int64)
        n = weekly["tickets"].to_numpy(dtype=np.int64)
        ok = (week >= 0) & (week < self.n_weeks)
        width = self.n_weeks + 1
        grid = np.zeros((len(pairs) + 1) * width, dtype=np.int64)       # the last row: pairs without tickets
        np.add.at(grid, codes[ok] * width + week[ok] + 1, n[ok])        # flat: add.at's fast one-index path
        self.rows = {key: i for i, key in enumerate(pairs)}
        self.cum = grid.reshape(-1, width).cumsum(axis=1)

    def index(self, days) -> np.ndarray:
        """The week numbers of the weeks `days` fall in (0 = the first whole week of data)."""
        d = pd.to_datetime(pd.Series(days)).to_numpy(dtype="datetime64[D]").astype(np.int64)  # days since 1970-01-01
        mondays = (d - (d + 3) % 7).astype("datetime64[D]").astype("datetime64[ns]")           # 1970-01-01: a Thursday
        return (mondays.astype(np.int64) - self.first.value) // WEEK.value

    def row_of(self, communities, categories) -> np.ndarray:
        """The grid row of each (community, category): -1, a row of zeros, for a pair without tickets."""
        return np.array([self.rows.get(key, -1) for key in zip(communities, categories)], dtype=np.int64)

    def windows(self, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Tickets of each grid row (see row_of) in its weeks lo ≤ w < hi."""
        return self.cum[rows, hi] - self.cum[rows, lo]


class LaterCommunities:
    """Per category, the communities ordered by the week of their first action (latest first), with
    running sums of their residents and weekly counts: the comparison group of an action — every
    community whose first action of the category comes in week ≥ t — is a prefix of that order."""

    def __init__(self, cum: np.ndarray, cats, first_week: np.ndarray, rows: np.ndarray, pops: np.ndarray):
        """One first action per community and category: its category, week, grid row (WeeklyCounts.row_of
        of `cum`, the running sums) and its community's residents."""
        self.groups = {}
        zero = np.zeros((1, cum.shape[1]), dtype=np.int64)
        for g in pd.unique(cats):
            mine = np.flatnonzero(cats == g)
            mine = mine[np.argsort(-first_week[mine], kind="stable")]
            self.groups[g] = (-first_week[mine], np.concatenate([[0.0], pops[mine].cumsum()]),
                              np.vstack([zero, cum[rows[mine]].cumsum(axis=0)]))

    def sums(self, categories, t: np.ndarray, windows) -> tuple[np.ndarray, list[np.ndarray]]:
        """Residents of the communities first acting in week ≥ t (per action), and their tickets in
        each (lo, hi) of `windows`."""
        pop = np.zeros(len(t))
        counts = [np.zeros(len(t), dtype=np.int64) for _ in windows]
        for g, (neg_first, pops, cum) in self.groups.items():
            at = np.flatnonzero(categories == g)
            k = np.searchsorted(neg_first, -t[at], side="right")     # how many start in week ≥ t
            pop[at] = pops[k]
            for out, (lo, hi) in zip(counts, windows):
                out[at] = cum[k, hi[at]] - cum[k, lo[at]]
        return pop, counts


def first_of_pair(comms: np.ndarray, cats: np.ndarray, week: np.ndarray) -> np.ndarray:
    """True for each community's earliest action in a category (the first in input order among ties)."""
    c, g = (pd.factorize(v, use_na_sentinel=False)[0] for v in (comms, cats))
    pair = c * (g.max(initial=0) + 1) + g
    order = np.lexsort((week, pair))
    first = np.ones(len(order), dtype=bool)
    first[order[1:]] = pair[order[1:]] != pair[order[:-1]]
    return first


def action_effects(actions: pd.DataFrame, weekly: pd.DataFrame, population: pd.Series, *, first_week, last_week,
                   weeks: int = WEEKS, min_tickets: int = DID_MIN_TICKETS, pairs=None) -> pd.DataFrame:
    """One row per action and comparison with the four window counts, rates, did, se and status.

    `actions`: action_id, program, community_id, category_l1, start, done (dates).
    `weekly` (and `pairs`): the weeks' tickets of community and category pairs (see WeeklyCounts).
    `population`: by community_id.  `first_week`/`last_week`: the Mondays of the first and last whole weeks of data.
    """
    if not len(actions):
        return pd.DataFrame(columns=COLUMNS)
    counts = WeeklyCounts(weekly, first_week, last_week, pairs)
    pop_of = population.fillna(0).astype(float).to_dict()
    start_w, done_w = counts.index(actions["start"]), counts.index(actions["done"])
    cats = actions["category_l1"].to_numpy(dtype=object)
    comms = actions["community_id"].to_numpy(dtype=object)
    rows = counts.row_of(comms, cats)
    # only a community's first action in a category is evaluated: after it, "before" is no longer untouched
    first = first_of_pair(comms, cats, start_w)
    pre_lo, post_lo = start_w - weeks, done_w + 1          # [pre_lo, start) and [post_lo, post_lo+weeks)
    post_hi = post_lo + weeks
    pop = np.array([pop_of.get(c, 0.0) for c in comms], dtype=float)
    # comparisons: the communities whose first action of this category comes only after the post
    # window — chosen for complaints like this one, just later, and untouched in these weeks
    later = LaterCommunities(counts.cum, cats[first], start_w[first], rows[first], pop[first])
    inside = first & (pre_lo >= 0) & (post_hi <= counts.n_weeks)    # the others get no counts: any index will do
    safe = [np.where(inside, w, 0) for w in (pre_lo, start_w, post_lo, post_hi)]
    c_pop, (c_pre, c_post) = later.sums(cats, np.where(inside, post_hi, 0), [(safe[0], safe[1]), (safe[2], safe[3])])
    ly = [np.where(first & (pre_lo >= 52) & (post_hi <= counts.n_weeks), w - 52, 0)
          for w in (pre_lo, start_w, post_lo, post_hi)]
    treated = (counts.windows(rows, safe[0], safe[1]), counts.windows(rows, safe[2], safe[3]), pop)
    control = {"elsewhere": (c_pre, c_post, c_pop),
               "last_year": (counts.windows(rows, ly[0], ly[1]), counts.windows(rows, ly[2], ly[3]), pop)}
    status = [np.select([~first, (begin < 0) | (post_hi > counts.n_weeks), (pop <= 0) | (control[c][2] <= 0)],
                        ["repeat", "outside_data", "no_control"], "")
              for c, begin in zip(COMPARISONS, (pre_lo, pre_lo - 52))]
    return _estimate(_per_comparison(actions, status, treated, control), weeks, min_tickets)


def _interleave(elsewhere: np.ndarray, last_year: np.ndarray) -> np.ndarray:
    """One value per action and comparison, each action's two rows together (elsewhere first)."""
    return np.column_stack([elsewhere, last_year]).ravel()


def _per_comparison(actions: pd.DataFrame, status: list[np.ndarray], treated: tuple, control: dict) -> pd.DataFrame:
    """The COLUMNS frame: each action twice (its comparisons), with the status found ("" none yet) and,
    where there is none, the treated and control window counts and residents."""
    status = _interleave(*status)
    counted = {name: _interleave(t, t) for name, t in zip(("treated_pre_n", "treated_post_n", "treated_pop"), treated)}
    counted |= {name: _interleave(*(control[c][i] for c in COMPARISONS))
                for i, name in enumerate(("control_pre_n", "control_post_n", "control_pop"))}
    found = status != ""
    if found.any():                                   # counts only where the action is estimated
        counted = {name: np.where(found, np.nan, v) for name, v in counted.items()}
    out = actions[COLUMNS[:6]].iloc[np.repeat(np.arange(len(actions)), 2)].reset_index(drop=True)
    return with_columns(out, {"comparison": np.tile(list(COMPARISONS), len(actions)),
                              "status": pd.Series(np.where(found, status, None), dtype=object), **counted})[COLUMNS]


def _estimate(df: pd.DataFrame, weeks: int, min_tickets: int) -> pd.DataFrame:
    """Rates, did, se, interval and status for rows holding the four counts and the two populations."""
    ok = df["treated_pop"].notna().to_numpy()
    n = {c: df[c].to_numpy() for c in COUNTED}
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = {f"{g}_{w}": np.where(ok, 1000 * n[f"{g}_{w}_n"] / n[f"{g}_pop"] / weeks, np.nan)
                 for g in ("treated", "control") for w in ("pre", "post")}
        did = np.where(ok, (rates["treated_post"] - rates["treated_pre"]) - (rates["control_post"] - rates["control_pre"]),
                       np.nan)
        t_n = n["treated_pre_n"] + n["treated_post_n"]
        c_n = n["control_pre_n"] + n["control_post_n"]
        se = np.where(ok, 1000 / weeks * np.sqrt(t_n / n["treated_pop"] ** 2 + c_n / n["control_pop"] ** 2), np.nan)
        pre = rates["treated_pre"]
        relative = np.where(ok, did / np.where(pre > 0, pre, np.nan), np.nan)
    status = df["status"].to_numpy(dtype=object, copy=True) if "status" in df else np.full(len(df), None, dtype=object)
    status[ok] = [verdict(v, s, int(tn), int(cn), min_tickets)
                  for v, s, tn, cn in zip(did[ok].tolist(), se[ok].tolist(), t_n[ok].tolist(), c_n[ok].tolist())]
    return with_columns(df, {"did": did, "se": se, "lo": did - Z95 * se, "hi": did + Z95 * se, "relative": relative,
                             "status": pd.Series(status, index=df.index, dtype=object), **rates})


def pooled(effects: pd.DataFrame, by=("program", "category_l1"), *, weeks: int = WEEKS,
           min_tickets: int = DID_MIN_TICKETS) -> pd.DataFrame:
    """Stack the evaluable actions per group and comparison: counts and residents summed, one
    estimate each with its interval and verdict; `actions` counts the actions stacked."""
    ok = effects[effects["did"].notna()] if "did" in effects else effects.iloc[0:0]
    if ok.empty:
        return pd.DataFrame(columns=[*by, "comparison", "actions", "did", "se", "lo", "hi", "relative", "status"])
    groups = ok.groupby([*by, "comparison"])        # one sum over the columns, not an aggregation each: 4× faster
    sums = groups[COUNTED].sum()
    sums.insert(0, "actions", groups["action_id"].nunique())
    return _estimate(sums.reset_index(), weeks, min_tickets)


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

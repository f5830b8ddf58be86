"""views/effects.py's action_effects as it was before it was vectorised (issue 16): a pivot of the
weekly counts and a loop over the actions.  tests/test_outcomes_speed.py checks the new one against it."""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.views.circle_analysis import DID_MIN_TICKETS
from dashboard.views.effects import COLUMNS, COMPARISONS, WEEK, WEEKS, _estimate


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

"""Before/after estimates of actions on hand-built weekly counts whose answer is known by construction."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.views import effects

WEEKS = pd.date_range("2023-01-02", "2024-12-30", freq="7D")       # Mondays, two whole years
POP = pd.Series({"A": 1000, "B": 1000, "C": 3000, "D": 1000})
ACTION = pd.DataFrame([dict(action_id="I1", program="为民实事", community_id="A", category_l1="物业管理",
                            start=date(2024, 3, 4), done=date(2024, 4, 1))])
# B and C act on 物业管理 only in September: in A's weeks they are the comparison (picked for their
# complaints too, just later).  D never acts and is never a comparison.
LATER = pd.DataFrame([dict(action_id=f"L{c}", program="为民实事", community_id=c, category_l1="物业管理",
                           start=date(2024, 9, 2), done=date(2024, 10, 7)) for c in ("B", "C")])


def weekly(per_week: dict, after: dict | None = None, switch=pd.Timestamp("2024-04-08")) -> pd.DataFrame:
    """`per_week` tickets of 物业管理 per community each week; from `switch` on, `after` where given."""
    rows = []
    for w in WEEKS:
        for c, n in per_week.items():
            rows.append(dict(week=w, community_id=c, category_l1="物业管理",
                             tickets=(after or {}).get(c, n) if w >= switch else n))
            rows.append(dict(week=w, community_id=c, category_l1="供暖", tickets=50))
    return pd.DataFrame(rows)


def estimate(data, actions=ACTION, **kw):
    everything = pd.concat([actions, LATER], ignore_index=True)
    est = effects.action_effects(everything, data, POP, first_week=WEEKS[0], last_week=WEEKS[-1], **kw)
    return est[est["action_id"].isin(actions["action_id"])].set_index("comparison")


def test_windows_are_whole_weeks_around_the_work():
    """Started on a Wednesday, done on a Wednesday, 2 weeks: before = the 2 whole weeks before the start's
    week (19 and 26 Feb), after = the 2 weeks after the done week (8 and 15 Apr); the work's weeks are out."""
    marks = {pd.Timestamp("2024-02-12"): 1000, pd.Timestamp("2024-02-19"): 10, pd.Timestamp("2024-02-26"): 20,
             pd.Timestamp("2024-03-04"): 1000, pd.Timestamp("2024-04-01"): 1000, pd.Timestamp("2024-04-08"): 100,
             pd.Timestamp("2024-04-15"): 200, pd.Timestamp("2024-04-22"): 1000}
    data = pd.DataFrame([dict(week=w, community_id="A", category_l1="物业管理", tickets=marks.get(w, 0)) for w in WEEKS])
    action = ACTION.assign(start=date(2024, 3, 6), done=date(2024, 4, 3))
    est = estimate(data, action, weeks=2).loc["last_year"]
    assert (est["treated_pre_n"], est["treated_post_n"]) == (30, 300)


def test_a_thirty_percent_fall_is_found_against_both_comparisons():
    # A: 100 a week, 70 after the work; B and C: 100 a week throughout (C has 3× the residents)
    est = estimate(weekly({"A": 100, "B": 100, "C": 300, "D": 500}, {"A": 70}))
    e = est.loc["elsewhere"]
    assert (e["treated_pre_n"], e["treated_post_n"]) == (800, 560)
    assert (e["control_pre_n"], e["control_post_n"]) == (3200, 3200) and e["control_pop"] == 4000
    # per 1,000 residents per week: A 100 -> 70; B+C 100 -> 100
    assert e["did"] == pytest.approx(-30.0) and e["relative"] == pytest.approx(-0.3)
    # se = 1000/8 × sqrt(1360/1000² + 6400/4000²)
    assert e["se"] == pytest.approx(125 * (1360 / 1e6 + 6400 / 16e6) ** 0.5)
    assert e["status"] == "down" and e["lo"] < -30 < e["hi"]
    y = est.loc["last_year"]
    assert (y["control_pre_n"], y["control_post_n"]) == (800, 800)          # A's own weeks of 2023
    assert y["did"] == pytest.approx(-30.0) and y["status"] == "down"


def test_no_change_is_not_distinguishable_from_zero():
    est = estimate(weekly({"A": 100, "B": 100, "C": 300}))
    assert est.loc["elsewhere", "did"] == pytest.approx(0.0)
    assert set(est["status"]) == {"noise"}


def test_few_tickets_are_too_small_to_say():
    est = estimate(weekly({"A": 1, "B": 1, "C": 3}, {"A": 0}))
    assert est.loc["elsewhere", "treated_pre_n"] == 8 and set(est["status"]) == {"too_small"}


def test_windows_outside_the_data_are_not_evaluated():
    early = ACTION.assign(start=date(2023, 3, 6), done=date(2023, 4, 3))
    est = estimate(weekly({"A": 100, "B": 100, "C": 300}), early)
    assert est.loc["last_year", "status"] == "outside_data"                 # 2022 is not in the data
    assert est.loc["elsewhere", "status"] == "noise"


def test_only_communities_acting_later_are_comparisons():
    both = pd.concat([ACTION, ACTION.assign(action_id="I2", community_id="B"), LATER.iloc[1:]], ignore_index=True)
    est = effects.action_effects(both, weekly({"A": 100, "B": 100, "C": 300, "D": 500}, {"A": 70}), POP,
                                 first_week=WEEKS[0], last_week=WEEKS[-1])
    e = est[(est["action_id"] == "I1") & (est["comparison"] == "elsewhere")].iloc[0]
    assert e["control_pop"] == 3000                       # C only: B acts at the same time, D never
    late = est[(est["action_id"] == "LC") & (est["comparison"] == "elsewhere")].iloc[0]
    assert late["status"] == "no_control"                 # nobody acts after C


def test_only_a_communitys_first_action_in_a_category_is_evaluated():
    again = pd.concat([ACTION, ACTION.assign(action_id="I3", start=date(2024, 6, 3), done=date(2024, 6, 24))],
                      ignore_index=True)
    est = estimate(weekly({"A": 100, "B": 100, "C": 300}, {"A": 70}), again)
    assert set(est.loc[est["action_id"] == "I3", "status"]) == {"repeat"}


def test_pooled_stacks_counts_and_states_it_plainly():
    both = pd.concat([ACTION, ACTION.assign(action_id="I2", community_id="B"), LATER.iloc[1:]], ignore_index=True)
    est = effects.action_effects(both, weekly({"A": 100, "B": 100, "C": 300}, {"A": 70, "B": 70}), POP,
                                 first_week=WEEKS[0], last_week=WEEKS[-1])
    p = effects.pooled(est[est["action_id"] != "LC"])
    e = p[p["comparison"] == "elsewhere"].iloc[0]
    assert e["actions"] == 2 and e["treated_pre_n"] == 1600 and e["treated_pop"] == 2000
    assert e["did"] == pytest.approx(-30.0) and e["status"] == "down"
    text = effects.sentence(e)
    assert text.startswith("物业管理类2项已完成的为民实事") and "相对明显减少" in text and "95%区间" in text
    flat = effects.pooled(estimate(weekly({"A": 100, "B": 100, "C": 300})).reset_index())
    none = effects.sentence(flat[flat["comparison"] == "elsewhere"].iloc[0])
    assert "与零无法区分" in none and "减少" not in none


def test_first_of_pair_keeps_each_community_and_categorys_earliest_action():
    comms = np.array(["c1", "c1", "c2", "c1", "c2"], dtype=object)
    cats = np.array(["g", "g", "g", "h", "g"], dtype=object)
    week = np.array([5, 3, 4, 9, 4])
    # c1·g: week 3 (row 1) before week 5; c1·h alone; c2·g: a tie in week 4, the first row of it wins
    assert effects.first_of_pair(comms, cats, week).tolist() == [False, True, True, True, False]


def test_week_index_and_row_of_by_hand():
    weekly = pd.DataFrame({"pair": [0, 1], "week_index": [0, 2], "tickets": [4, 6]})
    counts = effects.WeeklyCounts(weekly, "2024-01-01", "2024-01-29", pairs=[("c1", "g"), ("c2", "g")])
    # 2024-01-01 is a Monday: the 7th is still week 0, the 8th week 1, the 31st week 4
    assert counts.index(pd.to_datetime(["2024-01-01", "2024-01-07", "2024-01-08", "2024-01-31"])).tolist() == [0, 0, 1, 4]
    rows = counts.row_of(["c2", "c1", "c9"], ["g", "g", "g"])
    assert rows.tolist() == [1, 0, -1]
    assert counts.windows(rows, np.array([0, 0, 0]), np.array([3, 1, 5])).tolist() == [6, 4, 0]

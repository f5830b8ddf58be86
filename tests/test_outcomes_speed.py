"""The 成效评估 computations rewritten for speed (issue 16) give the answers of the straightforward ones.

- association.estimate: the by-hand fixed-effects fit against statsmodels' OLS with patsy dummies and
  cluster-robust errors (the code before), on synthetic panels (balanced, unbalanced, with missing
  rates) and on the community × month panel of a small demo;
- effects.action_effects: the vectorised windows against the loop it replaced (tests/reference_effects.py),
  on a small demo with the community_weekly query, for all actions and for one street.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import reference_effects
import statsmodels.formula.api as smf
from test_association import panel

from dashboard.core.filters import FilterState
from dashboard.store import bootstrap, db, snapshot
from dashboard.views import association, effects, outcomes
from dashboard.views.context import choices_for, make_context


def statsmodels_estimate(panel: pd.DataFrame) -> pd.DataFrame:
    """association.estimate as it was: statsmodels, formula with dummies, clustered by community."""
    data = association.outcomes(panel)
    rows = []
    for y in association.OUTCOMES:
        d = data.dropna(subset=[y])
        varying = [x for x in association.INPUTS if d[x].nunique() > 1]
        if len(d) < association.MIN_ROWS or not varying or d[y].nunique() < 2:   # statsmodels fits noise there
            continue
        fit = smf.ols(f"{y} ~ {' + '.join(varying)} + C(street_code) + C(month)", data=d).fit(
            cov_type="cluster", cov_kwds={"groups": d["community_id"].astype("category").cat.codes})
        ci = fit.conf_int(0.05)
        rows += [{"outcome": y, "input": x, "coef": fit.params[x], "lo": ci.loc[x, 0], "hi": ci.loc[x, 1],
                  "p": fit.pvalues[x], "rows": int(fit.nobs), "communities": d["community_id"].nunique()}
                 for x in varying]
    return pd.DataFrame(rows)


def assert_same_fit(p: pd.DataFrame) -> None:
    new, ref = association.estimate(p), statsmodels_estimate(p)
    assert len(ref) and list(new[["outcome", "input"]].itertuples(index=False)) == \
        list(ref[["outcome", "input"]].itertuples(index=False))
    assert (new["rows"] == ref["rows"]).all() and (new["communities"] == ref["communities"]).all()
    for col in ("coef", "lo", "hi", "p"):
        np.testing.assert_allclose(new[col], ref[col], rtol=1e-8, atol=1e-10, err_msg=col)


@pytest.mark.parametrize("seed", [3, 11])
def test_association_equals_statsmodels_on_synthetic_panels(seed):
    p = panel(-3.0, 1.5, seed)
    assert_same_fit(p)
    rng = np.random.default_rng(seed)
    unbalanced = p.sample(frac=0.8, random_state=seed).reset_index(drop=True)
    unbalanced.loc[rng.random(len(unbalanced)) < 0.1, "valid"] = 0        # months without a valid callback
    unbalanced["resolved"] = (unbalanced["valid"] * rng.uniform(0.6, 1, len(unbalanced))).round()
    assert_same_fit(unbalanced)


@pytest.fixture(scope="module")
def demo_info(tmp_path_factory):
    d = tmp_path_factory.mktemp("outcomes-speed")
    bootstrap.publish_demo(data_dir=d, tickets=20_000, end="2024-06", years=1)
    return snapshot.current(d)


def test_association_equals_statsmodels_on_demo_data(demo_info):
    ctx = make_context(demo_info, choices_for(demo_info), FilterState())
    w = outcomes.panel_window(ctx)
    assert_same_fit(ctx.run("community_month_panel", start=w.start, end=w.end))


def assert_same_effects(info, state: FilterState) -> int:
    """outcomes.action_effects (the community_weekly query, vectorised windows) equals the loop over the
    old query's weekly rows, action by action; returns how many action rows have counts."""
    ctx = make_context(info, choices_for(info), state)
    new = outcomes.action_effects(ctx).per_action
    actions = ctx.run("effect_actions", streets=list(state.streets), categories=[], programs=[])
    weekly = db.cursor(info).execute("SELECT week, community_id, category_l1, tickets FROM community_weekly "
                                     "ORDER BY week, community_id, category_l1").df()
    population = ctx.run("circle_communities").set_index("community_id")["population"]
    first, last = outcomes.data_weeks(ctx)
    ref = reference_effects.action_effects(actions, weekly, population, first_week=first, last_week=last,
                                           weeks=ctx.settings.effect_weeks)
    pd.testing.assert_frame_equal(new, ref)
    return int(new["did"].notna().sum()) if len(new) else 0


def test_action_effects_equal_the_loop_on_demo_data(demo_info):
    street = choices_for(demo_info).streets
    assert assert_same_effects(demo_info, FilterState()) > 0
    for code in list(street)[:3]:
        assert_same_effects(demo_info, FilterState(streets=(code,)))


def test_action_effects_equal_the_loop_on_the_fixture(fixture_snapshot):
    assert_same_effects(fixture_snapshot, FilterState())


def test_actions_whose_pairs_have_no_tickets_count_zero():
    """community_weekly may return no row for an action's pair (or none at all): its windows count 0."""
    actions = pd.DataFrame({"action_id": ["I1"], "program": ["实事"], "community_id": ["A"], "category_l1": ["供暖"],
                            "start": [pd.Timestamp("2024-03-04")], "done": [pd.Timestamp("2024-03-11")]})
    weekly = pd.DataFrame({"pair": [], "week_index": [], "tickets": []})
    est = effects.action_effects(actions, weekly, pd.Series({"A": 1000.0}), first_week="2023-01-02",
                                 last_week="2024-12-30", weeks=4, pairs=[("A", "供暖")]).set_index("comparison")
    assert est.loc["last_year", "treated_pre_n"] == 0 and est.loc["last_year", "control_post_n"] == 0
    assert est.loc["elsewhere", "status"] == "no_control"

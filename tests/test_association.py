"""The community × month association on a synthetic panel built with known coefficients."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.views import association


def panel(effect_pairing: float, effect_meetings: float, seed: int = 3) -> pd.DataFrame:
    """40 communities in 4 streets over 24 months; tickets per 1,000 = 20 + street + month effects
    + effect_pairing × pairing + effect_meetings × meetings + noise (population 1,000)."""
    rng = np.random.default_rng(seed)
    rows = []
    months = pd.date_range("2023-01-01", periods=24, freq="MS")
    for c in range(40):
        street = f"S{c % 4}"
        for i, m in enumerate(months):
            pairing = int(rng.random() < 0.5)
            meetings = int(rng.integers(0, 4))
            rate = 20 + 2 * (c % 4) + 3 * np.sin(i) + effect_pairing * pairing + effect_meetings * meetings
            tickets = max(0, int(round(rate + rng.normal(0, 1.0))))
            valid = max(tickets, 1)
            rows.append(dict(community_id=f"C{c:02d}", street_code=street, month=m, population=1000,
                             tickets=tickets, valid=valid, resolved=valid, sat_full=valid, sat_basic=0,
                             active_pairing=pairing, projects_done=int(rng.integers(0, 2)), meetings=meetings,
                             whistles=int(rng.integers(0, 3))))
    return pd.DataFrame(rows)


def test_known_coefficients_are_recovered_within_their_intervals():
    est = association.estimate(panel(-3.0, 1.5)).set_index(["outcome", "input"])
    pair = est.loc[("per_1k", "active_pairing")]
    meet = est.loc[("per_1k", "meetings")]
    assert pair["lo"] < -3.0 < pair["hi"] and pair["coef"] == pytest.approx(-3.0, abs=0.3)
    assert meet["lo"] < 1.5 < meet["hi"] and meet["coef"] == pytest.approx(1.5, abs=0.2)
    assert association.reading(pair) == "负相关（区间不含0）" and association.reading(meet) == "正相关（区间不含0）"
    assert pair["rows"] == 40 * 24 and pair["communities"] == 40


def test_no_association_reads_as_indistinguishable_from_zero():
    est = association.estimate(panel(0.0, 0.0)).set_index(["outcome", "input"])
    whistles = est.loc[("per_1k", "whistles")]
    assert whistles["lo"] < 0 < whistles["hi"] and association.reading(whistles) == "与0无法区分"
    # rates that never vary (all resolved) give no estimate rather than a false one
    assert "resolution_rate" not in set(est.index.get_level_values(0)) or \
        est.loc["resolution_rate"]["coef"].abs().max() < 1e-6


def test_too_small_a_panel_gives_no_estimate():
    assert association.estimate(panel(-3.0, 1.5).head(30)).empty

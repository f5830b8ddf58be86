"""Metrics on hand-computed values: the fixture's March figures, worked out on paper."""
from datetime import date

import pandas as pd
import pytest

from dashboard.core import metrics
from dashboard.core.config import Settings
from dashboard.store import query
from dashboard.views import analysis

S = Settings(small_sample_min=2)  # the fixture is tiny: February has 2 valid callbacks per street
MARCH = dict(start=date(2024, 3, 1), end=date(2024, 3, 31), categories=[], subs=[], communities=[])
FEB = dict(start=date(2024, 2, 1), end=date(2024, 2, 29), categories=[], subs=[], communities=[])


def counts(**kw):
    base = dict(tickets=0, valid=0, contacted=0, resolved=0, sat_full=0, sat_basic=0)
    return pd.DataFrame([{**base, **kw}])


def test_rates_and_score_by_hand():
    # 8 valid: 8 contacted, 7 resolved, 5 满意 + 2 基本满意
    r = metrics.add_rates(counts(tickets=10, valid=8, contacted=8, resolved=7, sat_full=5, sat_basic=2), S).iloc[0]
    assert r.response_rate == pytest.approx(1.0)
    assert r.resolution_rate == pytest.approx(0.875)
    assert r.satisfaction_rate == pytest.approx(6.8 / 8)          # (5 + 0.9 × 2) / 8
    assert r.score == pytest.approx(100 * (0.1 * 1 + 0.5 * 0.875 + 0.4 * 0.85))  # 87.75
    assert r.score == pytest.approx(87.75)
    assert not r.small_sample


def test_weights_and_basic_factor_are_configurable():
    s = Settings(weight_response=0.2, weight_resolution=0.4, weight_satisfaction=0.4, basic_satisfied_factor=0.5)
    r = metrics.add_rates(counts(valid=4, contacted=2, resolved=4, sat_full=2, sat_basic=2), s).iloc[0]
    assert r.satisfaction_rate == pytest.approx(0.75)                # (2 + 0.5 × 2) / 4
    assert r.score == pytest.approx(100 * (0.2 * 0.5 + 0.4 * 1 + 0.4 * 0.75))  # 80


def test_no_valid_callback_gives_no_rate_and_small_sample():
    r = metrics.add_rates(counts(tickets=5, valid=0), S).iloc[0]
    assert pd.isna(r.response_rate) and pd.isna(r.score)
    assert r.small_sample


def test_small_samples_are_not_ranked_and_ties_share_rank():
    df = pd.DataFrame({"score": [90.0, 95.0, 90.0, 99.0], "small_sample": [False, False, False, True]})
    assert metrics.rank(df).tolist() == [2, 1, 2, pd.NA]


def test_classify_rule():
    s = Settings(class_top_share=0.2, class_bottom_share=0.2)
    ranks = pd.Series([1, 2, 3, 4, 5, pd.NA], dtype="Int64")
    prev = pd.Series([1, 4, 2, 5, 3, 1], dtype="Int64")
    # n = 5 ranked: top ceil(1) → rank 1 先进; bottom ceil(1) → rank 5 治理;
    # rank 2 was 4 → 进步; rank 3 was 2 → 整改; rank 4 was 5 → 进步
    assert metrics.classify(ranks, prev, s).tolist() == ["先进类", "进步类", "整改类", "进步类", "治理类", pd.NA]


def test_fixture_march_by_street(fixture_snapshot):
    cur = query.run("street_counts", snapshot=fixture_snapshot, **MARCH)
    prev = query.run("street_counts", snapshot=fixture_snapshot, **FEB)
    ranked = analysis.ranked_streets(cur, prev, S).set_index("street_code")
    ds, sh = ranked.loc["110102010"], ranked.loc["110102012"]
    assert (ds.tickets, ds.valid, ds.contacted, ds.resolved, ds.sat_full, ds.sat_basic) == (10, 8, 8, 7, 5, 2)
    assert ds.score == pytest.approx(87.75)
    assert (sh.tickets, sh.valid, sh.contacted, sh.resolved) == (4, 4, 3, 4)
    assert sh.score == pytest.approx(97.5)                          # 100 × (0.1×0.75 + 0.5 + 0.4)
    assert sh["rank"] == 1 and ds["rank"] == 2
    # February: 德胜 100 (2/2 everything), 什刹海 (1 resolved of 2, 1 满意) = 100×(0.1+0.25+0.2) = 55
    assert ds.prev_rank == 1 and sh.prev_rank == 2
    assert ds.rank_change == -1 and sh.rank_change == 1
    assert ds.per_10k == pytest.approx(10 * 10_000 / 100_000)
    assert sh.overdue == 1                                          # closed after 200 h on a 168 h limit
    district = metrics.totals(cur, S)
    assert district.score == pytest.approx(91.0)                    # 12 valid: 11/11/(9+1.8)


def test_district_kpis_respect_street_selection(fixture_snapshot):
    cur = query.run("street_counts", snapshot=fixture_snapshot, **MARCH)
    only = analysis.district_kpis(cur, ("110102012",), S)
    assert only.tickets == 4 and only.response_rate == pytest.approx(0.75)


def test_category_growth_and_movers(fixture_snapshot):
    rows = query.run("category_growth", snapshot=fixture_snapshot, **MARCH, prev_start=FEB["start"],
                     prev_end=FEB["end"], level=1)
    # per street: 供暖's 4 March tickets are all 德胜's (test_query's list filter), none 什刹海's
    heating = rows[rows["category"] == "供暖"].set_index("street_code")["tickets"]
    assert heating.to_dict() == {"110102010": 4}
    g = analysis.summed_over_streets(rows, [], ["category", "parent"])
    assert g.set_index("category").loc["供暖", "tickets"] == 4
    assert analysis.summed_over_streets(rows, ["110102012"], ["category", "parent"])["category"].tolist().count("供暖") == 0
    ch = analysis.category_changes(g).set_index("category")
    assert ch.loc["物业管理", "change"] == 6 and pd.isna(ch.loc["物业管理", "change_pct"])
    assert ch.loc["供暖", "change"] == 2 and ch.loc["供暖", "change_pct"] == pytest.approx(1.0)
    assert list(ch.index)[0] == "物业管理"
    cur = query.run("street_counts", snapshot=fixture_snapshot, **MARCH)
    prev = query.run("street_counts", snapshot=fixture_snapshot, **FEB)
    sentence = analysis.movers_sentence(analysis.ranked_streets(cur, prev, S))
    assert "什刹海街道（↑1，升至第1位）" in sentence and "德胜街道（↓1，降至第2位）" in sentence


def test_per_capita_scalars_and_series():
    assert metrics.per_10k(5, 50_000) == pytest.approx(1.0)
    assert pd.isna(metrics.per_10k(5, 0))
    assert metrics.per_km2(pd.Series([10]), pd.Series([4.0])).iloc[0] == pytest.approx(2.5)


def test_trend_buckets_line_up_even_where_empty(fixture_snapshot):
    from dashboard.core import periods
    w = periods.Window(date(2024, 2, 26), date(2024, 3, 10))          # Monday 26 Feb … Sunday 10 Mar
    per_street = query.run("trend", snapshot=fixture_snapshot, start=w.start, end=w.end, categories=[],
                           subs=[], communities=[], grain="week")
    raw = analysis.summed_over_streets(per_street, [], ["bucket"])
    full = analysis.complete_buckets(raw, w, "week")
    assert [d.date() for d in full["bucket"]] == [date(2024, 2, 26), date(2024, 3, 4)]
    # 德胜 has one ticket a day 1–8 Mar, 什刹海 from 10 Mar: week of 26 Feb → 1, 2, 3 Mar;
    # week of 4 Mar → 4–8 Mar (5) + 10 Mar (1)
    assert full["tickets"].tolist() == [3, 6]
    desheng = analysis.complete_buckets(analysis.summed_over_streets(per_street, ["110102010"], ["bucket"]), w, "week")
    assert desheng["tickets"].tolist() == [3, 5]
    days = analysis.complete_buckets(raw.iloc[0:0], periods.Window(date(2024, 3, 1), date(2024, 3, 3)), "day")
    assert len(days) == 3 and days["tickets"].tolist() == [0, 0, 0]

"""The 社区 filter: its URL form, and what it narrows (and what it leaves to streets) on the fixture.

The fixture's 新康社区 (德胜, 110102010002) has two March 2024 tickets (tests/fixture_data.py):
7 March, 物业管理/电梯故障, valid, contacted, resolved, 基本满意; 8 March, the same but not resolved,
不满意.  So: 2 tickets, 响应率 2/2, 解决率 1/2, 满意率 (0 + 0.9×1)/2 = 0.45 and
综合成绩 100 × (0.1×1 + 0.5×0.5 + 0.4×0.45) = 53.0.
Its party work in March (tests/fixture_party.py): the whistle W2 and nothing else of 德胜's W1–W3.
"""
from __future__ import annotations

from datetime import date

import fixture_data
import pytest
from test_app import MARCH, frame, metric, open_page
from test_party import context

from dashboard.core import filters
from dashboard.core.filters import Choices, FilterState
from dashboard.views import hotline, overview, party_work, ranking

D, S = fixture_data.DESHENG, fixture_data.SHICHAHAI
XINKANG = D + "002"

CHOICES = Choices(
    streets={D: "德胜街道", S: "什刹海街道"}, short_names={D: "德胜", S: "什刹海"},
    categories={"供暖": ["室温不达标"]}, first_day=date(2024, 1, 1), as_of=date(2024, 3, 31),
    communities={D + "001": ("德胜里社区", D), XINKANG: ("新康社区", D),
                 S + "001": ("西海社区", S), S + "002": ("鼓楼苑社区", S)},
)


def test_ids_and_names_with_or_without_the_suffix():
    p = filters.parse({"street": "德胜", "community": ["新康", f"{D}001"]}, CHOICES)
    assert p.state.communities == (D + "001", XINKANG) and p.notices == []   # in display order
    assert filters.parse({"street": "德胜", "community": "新康社区"}, CHOICES).state.communities == (XINKANG,)


def test_a_community_alone_implies_its_street():
    p = filters.parse({"community": "西海,新康"}, CHOICES)
    assert p.state.streets == (D, S) and p.state.communities == (XINKANG, S + "001")


def test_communities_outside_the_chosen_streets_and_unknown_ones_are_dropped_with_a_notice():
    p = filters.parse({"street": "什刹海", "community": ["新康", "西海", "不存在"]}, CHOICES)
    assert p.state.streets == (S,) and p.state.communities == (S + "001",)
    assert p.notices == ["未识别的社区：`不存在`，已忽略", "社区不属于所选街道：`新康`，已忽略"]


def test_round_trip_and_description():
    state = FilterState("custom", date(2024, 3, 1), date(2024, 3, 31), (D,), communities=(XINKANG,))
    params = filters.to_params(state)
    assert params["community"] == [XINKANG]
    assert filters.parse(params, CHOICES).state == state
    assert filters.describe(state, CHOICES) == "2024年3月｜德胜（新康社区）｜全部类别"


def test_communities_of_streets_and_the_note():
    assert CHOICES.communities_of([S]) == [S + "001", S + "002"]
    assert filters.community_note(FilterState(), "街道排名") == ""
    assert "社区筛选不适用于街道排名" in filters.community_note(FilterState(communities=(XINKANG,)), "街道排名")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("community-filter")
    fixture_data.build(d)
    return d


def test_kpis_count_the_chosen_community_only(data):
    ctx = context(data, {**MARCH, "community": "新康"})
    assert ctx.state.streets == (D,) and ctx.state.communities == (XINKANG,)
    k = overview.kpis(ctx).cur
    assert (k["tickets"], k["valid"], k["contacted"], k["resolved"], k["sat_full"], k["sat_basic"]) == (2, 2, 2, 1, 0, 1)
    assert k["score"] == pytest.approx(53.0)
    # streets are still ranked on all their communities: 德胜 87.75, 什刹海 97.5 (test_metrics)
    ranked = overview.street_ranking(ctx).ranked.set_index("street_code")
    assert ranked.loc[D, "score"] == pytest.approx(87.75) and ranked.loc[S, "score"] == pytest.approx(97.5)


def test_hotline_sections_follow_the_community(data):
    ctx = context(data, {**MARCH, "community": "新康"})
    assert hotline.trend(ctx, "day").cur["tickets"].sum() == 2
    tickets = ctx.run("ticket_list", **ctx.params(), limit=50)
    assert tickets["社区"].tolist() == ["新康社区", "新康社区"]
    assert tickets["创建时间"].dt.day.tolist() == [8, 7]
    hot = ranking.hotspot_communities(ctx, list(ctx.state.streets), min_population=0)
    assert hot["community"].tolist() == ["新康社区"] and hot["per_1k"].tolist() == [0.5]   # 2 per 4,000 residents
    times = ctx.run("handling_times", **ctx.params())
    assert times["tickets"].sum() == 2
    # the repeat caller abc123 (3 tickets, 1–3 March) called from 德胜里: 新康 has none
    assert ctx.run("repeat_callers", **ctx.params()).empty
    desheng_li = context(data, {**MARCH, "community": "德胜里"})
    assert desheng_li.run("repeat_callers", **desheng_li.params())["tickets"].tolist() == [3]


def test_party_registers_follow_the_community(data):
    ctx = context(data, {**MARCH, "community": "新康"})
    assert party_work.whistle_register(ctx)["whistle_id"].tolist() == ["W2"]
    everyone = context(data, {**MARCH, "street": "德胜"})
    assert sorted(party_work.whistle_register(everyone)["whistle_id"]) == ["W1", "W2", "W3"]
    assert party_work.pairing_map(ctx)["community_id"].tolist() == [XINKANG]


def test_the_sidebar_offers_the_chosen_streets_communities(data, monkeypatch):
    at = open_page(data, monkeypatch, "pages/tickets.py", **MARCH, street="德胜", community="新康")
    box = at.multiselect(key="f_community")
    assert box.options == ["德胜里社区", "新康社区"] and box.value == [XINKANG]
    assert at.query_params["community"] == XINKANG
    assert frame(at, "工单编号")["社区"].tolist() == ["新康社区", "新康社区"]
    # no street: nothing to choose from, and the community leaves the URL
    at.multiselect(key="f_street").set_value([]).run()
    assert at.multiselect(key="f_community").disabled and at.multiselect(key="f_community").value == []
    assert "community" not in at.query_params


def test_street_level_sections_say_the_filter_does_not_apply(data, monkeypatch):
    at = open_page(data, monkeypatch, **MARCH, community="新康")
    notes = [c.value for c in at.caption if "社区筛选不适用" in c.value]
    assert notes == ["社区筛选不适用于街道排名与综合成绩分布：这里按街道全部社区统计。"]
    assert metric(at, "工单量").value == "2"

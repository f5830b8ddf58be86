"""The party-building metrics on the hand-built fixture (tests/fixture_party.py works every figure out)."""
from __future__ import annotations

from datetime import date

import fixture_data
import pandas as pd
import pytest
from test_app import frame, metric, open_page

from dashboard.core import filters, metrics
from dashboard.core.config import Settings
from dashboard.store import snapshot
from dashboard.views import party, party_work
from dashboard.views.context import choices_for, make_context

MARCH = {"from": "2024-03", "to": "2024-03"}
D, S = fixture_data.DESHENG, fixture_data.SHICHAHAI


@pytest.fixture(scope="module")
def party_data(tmp_path_factory):
    d = tmp_path_factory.mktemp("party-data")
    (d / "dashboard.toml").write_text("party_sample_min = 2\nsmall_sample_min = 2\n", encoding="utf-8")
    fixture_data.build(d)
    return d


def context(data_dir, url=MARCH, **settings):
    """A Context on the live snapshot of `data_dir` for the filters of `url` (default: March 2024)."""
    info = snapshot.current(data_dir)
    choices = choices_for(info)
    return make_context(info, choices, filters.parse(url, choices).state, Settings(**settings))


def test_district_metrics_by_hand(party_data):
    ps = party.street_metrics(context(party_data))
    d = ps.district
    assert (d["orgs"], d["members"], d["committees"]) == (11, 522, 1)          # 6 + 3 + 2 district-level bodies
    assert d["report_on_time_rate"] == pytest.approx(2 / 5)                    # R1, R3 of R1–R5
    assert d["whistle_close_rate"] == pytest.approx(2 / 4) and d["close_hours_p50"] == pytest.approx(36.0)
    assert d["whistle_intensity"] == pytest.approx(4 / 14 * 1000)
    assert d["project_on_time_rate"] == pytest.approx(1 / 3)                   # J4 cancelled: not due
    assert d["project_satisfaction"] == pytest.approx(1 / 2)
    assert d["pairing_coverage"] == pytest.approx(2 / 4) and d["pairing_activity"] == pytest.approx(1 / 2)
    assert d["item_done_rate"] == pytest.approx(2 / 5) and d["item_on_time_rate"] == pytest.approx(1 / 5)
    assert d["meeting_conversion"] == pytest.approx(1 / 3)
    assert d["proactive_share"] == pytest.approx(5 / 9)
    assert ps.has_data


def test_street_metrics_by_hand(party_data):
    rows = party.street_metrics(context(party_data)).streets.set_index("street_code")
    de, sh = rows.loc[D], rows.loc[S]
    assert (de["orgs"], de["members"], sh["orgs"], sh["members"]) == (6, 307, 3, 175)   # O11 closed in January
    assert de["whistle_intensity"] == pytest.approx(300.0) and sh["whistle_intensity"] == pytest.approx(250.0)
    assert de["report_on_time_rate"] == pytest.approx(2 / 4) and sh["report_on_time_rate"] == 0
    assert de["pairing_coverage"] == 1 and sh["pairing_coverage"] == 0
    assert de["item_done_rate"] == pytest.approx(2 / 3) and sh["item_done_rate"] == 0
    assert de["proactive_share"] == pytest.approx(4 / 6) and sh["proactive_share"] == pytest.approx(1 / 3)
    assert sh["projects_due"] == 0 and pd.isna(sh["project_on_time_rate"])     # no projects due: no rate
    assert pd.isna(sh["close_hours_p50"])                                       # no whistle closed


def test_responses_not_yet_due_are_left_out(party_data):
    """A window reaching past the data: R7 (due 2 April, unreported) is not late yet, so 2/5, not 2/6."""
    ps = party.street_metrics(context(party_data, {"from": "2024-03-01", "to": "2024-04-30"}))
    assert (ps.district["responses_due"], ps.district["responses_on_time"]) == (5, 2)


def test_sample_floor_shows_but_does_not_rank(party_data):
    ps = party.street_metrics(context(party_data, party_sample_min=2))
    ranked = party.ranked_by(ps, "report_on_time_rate").set_index("street_code")
    assert ranked.loc[D, "party_rank"] == 1 and pd.isna(ranked.loc[S, "party_rank"])   # S: 1 response due < 2
    assert ranked.loc[S, "report_on_time_rate"] == 0                                   # still shown
    default = party.ranked_by(party.street_metrics(context(party_data)), "report_on_time_rate")
    assert default["party_rank"].isna().all()                                          # floor 10: nobody ranked


def test_lower_is_better_ranks_upward():
    df = pd.DataFrame({"close_hours_p50": [10.0, 30.0, 20.0], "close_hours_p50_small": [False, False, True]})
    assert list(metrics.party_rank(df, "close_hours_p50")) == [1, 2, pd.NA]


def test_intensity_band_and_position():
    s = Settings(whistle_band_low=0.25, whistle_band_high=0.75)
    assert metrics.intensity_band(pd.Series([100.0, 200.0, 300.0, 400.0, 500.0]), s) == (200.0, 400.0)
    assert [party.band_position(v, (200.0, 400.0)) for v in (150, 300, 450, float("nan"))] == \
        ["偏低", "区间内", "偏高", "—"]


def test_published_totals(party_data):
    pub = party.published(context(party_data)).set_index("key")
    assert pub.loc["orgs", "snapshot"] == 11 and pub.loc["orgs", "value"] == 5739
    assert pub.loc["projects", "snapshot"] == 6 and pub.loc["wsss_done", "snapshot"] == 3    # 2024's list: J1–J6
    assert pub.loc["pairings", "snapshot"] == 2 and pub.loc["communities_paired", "snapshot"] == 3  # S1 paired till 2023
    assert pub.loc["units", "snapshot"] == 2                       # U3, U4: not the 区级部门 or 科站队所


def test_unit_league_by_hand(party_data):
    units = party_work.unit_league(context(party_data, party_sample_min=1)).set_index("unit_id")
    assert units.loc["U1", ["responses_due", "responses_on_time", "not_reported"]].tolist() == [3, 1, 1]
    assert units.loc["U1", "report_minutes_p50"] == 35 and units.loc["U2", "on_time_rate"] == 1
    assert list(units.index) == ["U2", "U1", "U3"]                       # by 按时报到率


def test_whistle_drill_states(party_data):
    detail = party_work.whistle_detail(context(party_data), "W4").set_index("response_id")
    assert detail.loc["R5", "state"] == "未报到" and detail.loc["R7", "state"] == "未到时限"


def test_projects_funnel_and_overdue(party_data):
    projects = party_work.projects(context(party_data))
    funnel = party_work.project_funnel(projects)
    assert list(funnel["projects"]) == [3, 3, 2, 1]                      # 认领 实施 完成 按期完成 (J4 cancelled)
    late = party_work.overdue_by_unit(projects)
    assert late[["unit", "projects", "days_late_max"]].values.tolist() == [["区城市管理委员会", 1, 3]]


def test_pairing_map(party_data):
    m = party_work.pairing_map(context(party_data)).set_index("community_id")
    assert m["pairs"].tolist() == [1, 1, 0, 0] and m["active_pairs"].tolist() == [1, 0, 0, 0]
    assert m.loc[D + "001", "activities"] == 2


def test_item_board_and_late_items(party_data):
    ctx = context(party_data)
    items = party_work.items(ctx)
    board = party_work.item_board(items, dict(ctx.choices.streets)).set_index(["street_code", "program"])
    assert board.loc[(D, "为民实事"), ["planned", "done", "on_time", "late"]].tolist() == [2, 2, 1, 0]
    assert items.loc[items["late"], "item_id"].tolist() == ["I5"]        # reported 未完成
    assert "I6" in set(items["item_id"]) and "I7" not in set(items["item_id"])   # cancelled listed; 2023 not
    only = party_work.items(ctx, ("每月一题",))
    assert only["item_id"].tolist() == ["I5"]


def test_meeting_funnel(party_data):
    totals = party_work.funnel_totals(party_work.meeting_funnel(context(party_data)))
    assert totals["count"].tolist() == [3, 2, 1, 1]


def test_a_snapshot_without_party_data_says_so(tmp_path, monkeypatch):
    from dashboard.core import schema

    frames = {n: getattr(fixture_data, n)() for n in ("streets", "communities", "circles", "facilities", "tickets")}
    snapshot.publish({n: schema.conform(n, df) for n, df in frames.items()}, source="fixture",
                     data_as_of=date(2024, 3, 31), data_dir=tmp_path)
    assert not party.street_metrics(context(tmp_path)).has_data
    at = open_page(tmp_path, monkeypatch, "pages/party.py", **MARCH)
    assert "没有党建引领数据" in " ".join(i.value for i in at.info)


# --- the pages, through AppTest ----------------------------------------------------------------------

def test_party_page(party_data, monkeypatch):
    at = open_page(party_data, monkeypatch, "pages/party.py", **MARCH)
    assert metric(at, "吹哨按时报到率").value == "40.0%"
    assert metric(at, "主动治理占比").value == "55.6%"
    ranking = frame(at, "接诉即办综合成绩")
    assert ranking["街道"].tolist() == ["德胜街道", "什刹海街道"] and ranking["排名"].tolist() == ["1", "样本不足"]
    pub = frame(at, "公开数字")
    assert pub.loc[pub["指标"] == "党组织", "看板数值"].item() == 11


def test_whistles_page(party_data, monkeypatch):
    at = open_page(party_data, monkeypatch, "pages/whistles.py", **MARCH)
    assert metric(at, "吹哨").value == "4" and metric(at, "未办结").value == "2"
    league = frame(at, "报到用时中位(分钟)")             # floor 2: only U1 (3 due) is ranked
    assert league["单位"].tolist()[0] == "区城市管理委员会" and league["排名"].tolist() == ["1", "样本不足", "样本不足"]
    at = open_page(party_data, monkeypatch, "pages/whistles.py", **MARCH, whistle="W4")
    assert frame(at, "应报到时间")["状态"].tolist() == ["未报到", "未到时限"]


def test_cobuild_page(party_data, monkeypatch):
    at = open_page(party_data, monkeypatch, "pages/cobuild.py", **MARCH)
    assert metric(at, "结对覆盖率").value == "50.0%" and metric(at, "结对活跃率").value == "50.0%"
    assert frame(at, "最长逾期(天)")["逾期项目"].tolist() == [1]
    assert sorted(frame(at, "人口")["社区"]) == ["西海社区", "鼓楼苑社区"]


def test_cobuild_project_list_shows_the_most_overdue_and_the_csv_has_all(party_data, monkeypatch):
    from dashboard.views import party_tables

    whole = frame(open_page(party_data, monkeypatch, "pages/cobuild.py", **MARCH), "逾期天数")
    assert len(whole) > 1
    monkeypatch.setattr(party_tables, "LIST_ROWS", 1)
    at = open_page(party_data, monkeypatch, "pages/cobuild.py", **MARCH)
    shown = frame(at, "逾期天数")
    assert shown.to_dict("records") == whole.head(1).to_dict("records")      # overdue first, then by days late
    assert f"显示逾期最久的 1 项，共 {len(whole)} 项" in " ".join(c.value for c in at.caption)
    assert any(b.label == f"下载CSV（{len(whole)}行）" for b in at.get("download_button"))


def test_items_page(party_data, monkeypatch):
    at = open_page(party_data, monkeypatch, "pages/items.py", **MARCH)
    assert metric(at, "计划事项").value == "5" and metric(at, "实事完成率").value == "40.0%"
    assert frame(at, "完成日期")["事项"].tolist() == ["鼓楼苑施工噪声治理"]


def test_deliberations_page(party_data, monkeypatch):
    at = open_page(party_data, monkeypatch, "pages/deliberations.py", **MARCH)
    assert metric(at, "议事场次").value == "3" and metric(at, "议事转化率").value == "33.3%"


def test_profile_has_a_party_section(party_data, monkeypatch):
    at = open_page(party_data, monkeypatch, "pages/profile.py", **MARCH, focus="德胜")
    assert metric(at, "吹哨按时报到率").value == "50.0%"          # 德胜: R1, R3 of its 4 due
    assert metric(at, "吹哨按时报到率").delta == "+10.0个百分点"   # district 40 %
    assert metric(at, "结对覆盖率").value == "100.0%"


def test_briefing_slide_and_headline(party_data):
    from dashboard.render import brief

    info = snapshot.current(party_data)
    choices = choices_for(info)
    state = filters.parse(MARCH, choices).state
    deck = brief.build(info, choices, state, Settings(party_sample_min=1))
    slide = deck.slides[-1]
    assert slide.title == "党建引领"
    assert slide.headline == ("全区吹哨按时报到率40.0%、共建项目按期完成率33.3%、实事完成率40.0%；"
                              "吹哨按时报到率最低的是什刹海街道（0.0%）")
    assert slide.table["吹哨按时报到率"].tolist() == ["50.0%", "0.0%"]
    floor = brief.build(info, choices, state, Settings(party_sample_min=2)).slides[-1]
    assert "最低" not in floor.headline                         # one street above the floor: nobody named


def test_the_demo_matches_the_published_figures_on_the_page(tmp_path):
    """The 党建引领 page's own comparison on a demo snapshot: every figure within 5 %."""
    from dashboard.store import bootstrap

    bootstrap.publish_demo(tickets=20_000, end="2026-10", data_dir=tmp_path)
    pub = party.published(context(tmp_path, {"period": "12m"})).set_index("key")
    assert len(pub) == 10
    assert ((pub["ratio"] - 1).abs() <= 0.05).all(), pub[["snapshot", "value", "ratio"]]

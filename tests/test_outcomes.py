"""成效评估 on the fixture: leads and their follow-up, items no complaint preceded, and the page."""
from __future__ import annotations

from datetime import date

import fixture_data
import pandas as pd
import pytest
from test_app import frame, metric, open_page
from test_party import context

from dashboard.core import schema
from dashboard.store import snapshot
from dashboard.views import outcomes

MARCH = {"from": "2024-03", "to": "2024-03"}
D1, S2 = fixture_data.DESHENG + "001", fixture_data.SHICHAHAI + "002"


def extra_items() -> pd.DataFrame:
    """I8 starts a week after caller abc123's 供暖 lead in 德胜里 (3 March): it follows the lead up.
    I9 starts in 鼓楼苑, where no 养老助餐 ticket ever came: 未诉先办."""
    base = dict(category="民生", source="走访", topic_id=None, planned_year=2024, done_on=None)
    return pd.DataFrame([
        dict(base, item_id="I8", title_zh="德胜里供暖改造", program="重点提升事项", category_l1="供暖",
             street_code=fixture_data.DESHENG, community_id=D1, started_on=date(2024, 3, 10),
             due_on=date(2024, 10, 31), status="实施"),
        dict(base, item_id="I9", title_zh="鼓楼苑老年餐桌", program="为民实事", category_l1="养老助餐",
             street_code=fixture_data.SHICHAHAI, community_id=S2, started_on=date(2024, 3, 15),
             due_on=date(2024, 6, 30), status="实施"),
    ])


@pytest.fixture(scope="module")
def outcome_data(tmp_path_factory):
    d = tmp_path_factory.mktemp("outcome-data")
    frames = {n: getattr(fixture_data, n)() for n in schema.SOURCE_TABLES if hasattr(fixture_data, n)}
    frames["action_items"] = pd.concat([frames["action_items"], extra_items()], ignore_index=True)
    snapshot.publish({n: schema.conform(n, df) for n, df in frames.items()}, source="fixture",
                     data_as_of=date(2024, 3, 31), data_dir=d)
    return d


def lead_list(ctx) -> pd.DataFrame:
    """Every lead of the window, by id (the leads query; the page reads its counts and waiting rows)."""
    return ctx.run("leads", **outcomes.lead_params(ctx)).set_index("lead_id")


def test_a_lead_followed_by_an_item_within_the_days(outcome_data):
    ctx = context(outcome_data)
    lv = outcomes.leads(ctx)
    lead = lead_list(ctx).loc["Cabc123"]
    assert lead["kind"] == "重复来电" and lead["category_l1"] == "供暖" and lead["community"] == "德胜里社区"
    assert lead["lead_at"] == pd.Timestamp("2024-03-03 11:00")                 # its 3rd call within 30 days
    assert lead["state"] == "已跟进" and lead["action_kind"] == "实事项目"
    assert lead["followed_at"] == pd.Timestamp("2024-03-10")
    assert (lv.acted, lv.not_acted, lv.pending) == (1, 0, 0) and lv.rate == 1.0
    assert lv.total == 1 and lv.waiting == 0 and outcomes.waiting_leads(ctx).empty


def test_a_lead_not_followed_within_the_days(outcome_data):
    ctx = context(outcome_data, lead_followup_days=5)                        # I8 came 7 days later
    lv = outcomes.leads(ctx)
    assert lead_list(ctx).loc["Cabc123", "state"] == "未跟进"
    assert (lv.acted, lv.not_acted) == (0, 1) and lv.rate == 0.0
    assert outcomes.waiting_leads(ctx)["lead_id"].tolist() == ["Cabc123"]


def test_a_lead_still_in_its_follow_up_period(tmp_path):
    fixture_data.build(tmp_path)                                               # no I8: nothing followed
    lv = outcomes.leads(context(tmp_path))
    assert lv.pending == 1 and pd.isna(lv.rate)                               # 3 March + 30 days > 31 March


def test_items_no_complaint_preceded(outcome_data):
    items = outcomes.proactive_items(context(outcome_data))
    assert items["item_id"].tolist() == ["I9"]                                 # I8 had 供暖 tickets before it


def test_the_page(outcome_data, monkeypatch):
    at = open_page(outcome_data, monkeypatch, "pages/outcomes.py", **MARCH)
    assert metric(at, "线索").value == "1" and metric(at, "线索转化率").value == "100.0%"
    assert frame(at, "开始日期")["事项"].tolist() == ["鼓楼苑老年餐桌"]
    assert any("没有可评估的已完成事项" in i.value for i in at.info)            # a month of data: no windows
    assert any("数据太少" in i.value for i in at.info)                          # 8 community-months < 60


def test_monthly_topic_tracker(outcome_data):
    from dashboard.views import topics

    ctx = context(outcome_data, {"from": "2024-01", "to": "2024-03"})
    tr = topics.tracker(ctx)
    district = topics.district(tr).set_index("topic_id")
    assert list(district.index) == ["T2024-03-1"]                        # April's topic is after the window
    t = district.loc["T2024-03-1"]
    assert t["categories"] == "噪声扰民、施工扰民/夜间施工"
    assert t["tickets"] == 4 and t["per_10k"] == pytest.approx(4 / 150_000 * 10_000)   # 什刹海's 4 in March
    assert t["tickets_last_year"] == 0 and pd.isna(t["change"])
    assert (t["items"], t["items_done"]) == (1, 0)                          # I5, reported 未完成
    streets = topics.by_street(tr, "T2024-03-1").set_index("street_code")
    assert streets.loc[fixture_data.SHICHAHAI, "per_10k"] == pytest.approx(0.8)
    assert streets.loc[fixture_data.DESHENG, "tickets"] == 0
    assert topics.topic_items(ctx, "T2024-03-1")["item_id"].tolist() == ["I5"]

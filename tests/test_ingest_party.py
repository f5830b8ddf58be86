"""The import of the nine party-building tables and monthly_topics (python -m dashboard import --kind <table>).

Every kind gets the same three files: a good one (values checked in the published snapshot, one
row replacing a fixture record), a messy one (GBK, other header spellings, street and vocabulary
spellings, a few bad rows quarantined with line and reason within the 1 % rule, and refused when
they are more than 1 %), and refused ones (a required column missing; a reference into a table
the base holds nothing of) that leave CURRENT and every snapshot file as they were.
The base is the hand-built fixture (tests/fixture_party.py: units U1–U4, organisations O0–O12,
pairings P1–P4, whistles W1–W5, items I1–I7; communities 德胜里 新康 in 德胜, 西海 鼓楼苑 in 什刹海).
"""
from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import fixture_data
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from test_ingest import assert_rejected, cli, fingerprint

from dashboard.core import schema
from dashboard.ingest import admin as ingest_admin
from dashboard.ingest import importer as ingest
from dashboard.ingest import party
from dashboard.store import snapshot

DESHENG, SHICHAHAI = fixture_data.DESHENG, fixture_data.SHICHAHAI
D1, D2, S1, S2 = DESHENG + "001", DESHENG + "002", SHICHAHAI + "001", SHICHAHAI + "002"
STREET_SPELLINGS = ("德胜", "西城区德胜街道", "１１０１０２０１０", "德胜街道办事处", " 德 胜 ")
MESSY_ROWS = 300   # three bad rows among them are 3 / 303 < 1 %


@dataclass
class Case:
    """One kind's test files: columns as (field, header, another spelling of the header)."""

    kind: str
    columns: list[tuple[str, str, str]]
    row: Callable[[int], dict]              # a good row, in plain spellings
    messy: Callable[[int, dict], dict]      # the same row in other spellings (same meaning)
    expect: dict                            # row 0 (id T0) as published, messy or plain
    replace: dict                           # a row replacing a fixture record ...
    replaced: tuple                         # ... (its key, column, new value)
    bad: list[tuple[dict, str]]             # overrides of a good row -> the reason in the rejects file
    missing: str                            # a required field; its header is named when it is left out
    key: tuple = ("T0",)
    empty_base: str | None = None           # the message when the table it points into is empty
    extra: dict = field(default_factory=dict)


def _pairing_quarter(i: int) -> tuple[int, int]:
    return 2000 + i // 4, 1 + i % 4


CASES = [
    Case("units", [("unit_id", "单位编号", "单位代码"), ("name_zh", "单位名称", "名称"), ("kind", "单位类型", "单位类别"),
                   ("street_code", "所属街道", "街道")],
         row=lambda i: dict(unit_id=f"T{i}", name_zh=f"测试单位{i}", kind="企业", street_code="德胜街道"),
         messy=lambda i, r: {**r, "kind": "国有企业", "street_code": STREET_SPELLINGS[i % 5]},
         expect=dict(name_zh="测试单位0", kind="企业", street_code=DESHENG),
         replace=dict(unit_id="U3", name_zh="国网北京西城供电公司", kind="企业", street_code="德胜"),
         replaced=(("U3",), "name_zh", "国网北京西城供电公司"),
         bad=[({"kind": "个体户"}, "单位类型取值无法识别（应为 中央单位/市属单位/区级部门/街道科站队所/企业/学校/医院/社会单位）：个体户"),
              ({"street_code": "朝阳门街道"}, "未知街道：朝阳门街道")],
         missing="name_zh"),
    Case("party_orgs", [("org_id", "组织编号", "党组织编号"), ("parent_org_id", "上级组织编号", "上级党组织编号"),
                        ("name_zh", "组织名称", "党组织名称"), ("level", "组织层级", "层级"), ("kind", "组织类型", "组织类别"),
                        ("street_code", "所属街道", "街道"), ("community_id", "社区", "所属社区"),
                        ("unit_id", "所属单位编号", "单位编号"), ("members", "党员数", "党员人数"),
                        ("set_up_on", "成立日期", "成立时间"), ("closed_on", "撤销日期", "撤销时间"),
                        ("project", "所在项目", "项目名称")],
         row=lambda i: dict(org_id=f"T{i}", parent_org_id="O3", name_zh=f"德胜里第{i}网格党支部", level="网格",
                            kind="党支部", street_code="德胜街道", community_id="德胜里社区", members="15",
                            set_up_on="2022-05-01"),
         messy=lambda i, r: {**r, "level": "网格级", "kind": "支部", "members": "15人", "set_up_on": "2022/5/1",
                             "community_id": "德胜里", "street_code": STREET_SPELLINGS[i % 5]},
         expect=dict(parent_org_id="O3", level="网格", kind="党支部", street_code=DESHENG, community_id=D1,
                     members=15, set_up_on=date(2022, 5, 1)),
         replace=dict(org_id="O7", parent_org_id="O3", name_zh="德胜里第一网格党支部", level="网格", kind="党支部",
                      street_code="德胜", community_id="德胜里社区", members="18", set_up_on="2020-01-01"),
         replaced=(("O7",), "members", 18),
         bad=[({"level": "省"}, "组织层级取值无法识别（应为 区/街道/社区/网格/单位）：省"),
              ({"parent_org_id": "O99"}, "上级组织编号在已导入的党组织中不存在：O99"),
              ({"closed_on": "2020-01-01"}, "撤销日期早于成立日期")],
         missing="members"),
    Case("pairings", [("pairing_id", "结对编号", "编号"), ("org_id", "组织编号", "党组织编号"),
                      ("street_code", "所属街道", "街道"), ("community_id", "社区", "所在社区"),
                      ("started_on", "结对日期", "结对时间"), ("ended_on", "结束日期", "解除日期")],
         row=lambda i: dict(pairing_id=f"T{i}", org_id="O10", street_code="什刹海街道", community_id="鼓楼苑社区",
                            started_on="2024-01-01"),
         messy=lambda i, r: {**r, "org_id": "西城供电公司党支部", "street_code": "什刹海", "community_id": "鼓楼苑",
                             "started_on": "2024年1月1日"},
         expect=dict(org_id="O10", street_code=SHICHAHAI, community_id=S2, started_on=date(2024, 1, 1)),
         replace=dict(pairing_id="P4", org_id="O9", street_code="什刹海", community_id="鼓楼苑社区",
                      started_on="2024-04-01"),
         replaced=(("P4",), "started_on", date(2024, 4, 1)),
         bad=[({"org_id": "O99"}, "组织编号在已导入的党组织中不存在：O99"),
              ({"community_id": "德胜里社区"}, "未知社区（按编码或所填街道内的名称均未找到）：德胜里社区"),
              ({"ended_on": "2023-01-01"}, "结束日期早于结对日期")],
         missing="org_id", empty_base="请先导入党组织（--kind party_orgs）"),
    Case("pairing_activities", [("pairing_id", "结对编号", "共建编号"), ("quarter_start", "季度", "所属季度"),
                                ("activities", "活动次数", "开展活动次数")],
         row=lambda i: dict(pairing_id="P2", quarter_start="{}Q{}".format(*_pairing_quarter(i)), activities="3"),
         messy=lambda i, r: {**r, "activities": "3次",
                             "quarter_start": "{}年第{}季度".format(_pairing_quarter(i)[0],
                                                                "一二三四"[_pairing_quarter(i)[1] - 1])},
         expect=dict(activities=3), key=("P2", date(2000, 1, 1)),
         replace=dict(pairing_id="P1", quarter_start="2024-02-15", activities="5"),   # a day in Q1 2024
         replaced=(("P1", date(2024, 1, 1)), "activities", 5),
         bad=[({"quarter_start": "2024Q5"}, "季度无法识别：2024Q5"),
              ({"pairing_id": "P99"}, "结对编号在已导入的结对共建中不存在：P99"),
              ({"activities": "三次"}, "活动次数不是非负整数：三次")],
         missing="activities", empty_base="请先导入结对共建（--kind pairings）"),
    Case("cobuild_projects", [("project_id", "项目编号", "编号"), ("title_zh", "项目名称", "名称"),
                              ("unit_id", "共建单位编号", "共建单位"), ("committee_level", "协调委员会层级", "共建层级"),
                              ("street_code", "所属街道", "街道"), ("community_id", "社区", "所属社区"),
                              ("origin", "清单类型", "来源"), ("category", "项目类别", "类别"),
                              ("planned_start", "计划开始日期", "计划开始"), ("planned_end", "计划完成日期", "完成时限"),
                              ("status", "状态", "项目状态"), ("done_on", "完成日期", "实际完成日期"),
                              ("rating", "满意度", "评价")],
         row=lambda i: dict(project_id=f"T{i}", title_zh=f"德胜里加装电梯{i}", unit_id="U3", committee_level="街道",
                            street_code="德胜街道", community_id="德胜里社区", origin="需求清单", category="老旧小区改造",
                            planned_start="2024-01-01", planned_end="2024-06-30", status="完成",
                            done_on="2024-06-01", rating="满意"),
         messy=lambda i, r: {**r, "unit_id": "西城供电公司", "committee_level": "街道级", "origin": "需求",
                             "status": "已完成", "rating": "非常满意", "planned_start": "2024/1/1",
                             "street_code": STREET_SPELLINGS[i % 5]},
         expect=dict(unit_id="U3", committee_level="街道", origin="需求清单", status="完成", rating="满意",
                     done_on=date(2024, 6, 1), community_id=D1),
         replace=dict(project_id="J3", title_zh="德胜街道背街小巷整治", unit_id="U1", committee_level="区",
                      street_code="德胜", origin="需求清单", category="老旧小区改造", planned_start="2024-01-01",
                      planned_end="2024-03-28", status="完成", done_on="2024-03-27", rating="满意"),
         replaced=(("J3",), "status", "完成"),
         bad=[({"status": "搁置"}, "状态取值无法识别（应为 认领/实施/完成/未完成/取消）：搁置"),
              ({"done_on": ""}, "状态为完成但缺少完成日期"),
              ({"unit_id": "U99"}, "共建单位在已导入的驻区单位中不存在：U99")],
         missing="unit_id", empty_base="请先导入驻区单位（--kind units）"),
    Case("whistles", [("whistle_id", "吹哨编号", "编号"), ("street_code", "所属街道", "街道"),
                      ("community_id", "社区", "所在社区"), ("level", "吹哨层级", "吹哨主体"),
                      ("trigger", "吹哨类型", "吹哨事由"), ("source", "问题来源", "线索来源"),
                      ("category_l1", "一级分类", "问题类别"), ("category_l2", "二级分类", "二级分类"),
                      ("lon", "经度", "longitude"), ("lat", "纬度", "latitude"),
                      ("whistled_at", "吹哨时间", "吹哨日期"), ("closed_at", "办结时间", "完成时间"),
                      ("rating", "满意度", "评价")],
         row=lambda i: dict(whistle_id=f"T{i}", street_code="德胜街道", community_id="新康社区", level="街道工委",
                            trigger="群众诉求", source="12345", category_l1="噪声扰民", category_l2="施工噪声",
                            lon="116.372", lat="39.951", whistled_at=f"2024-04-0{1 + i % 9} 09:00",
                            closed_at="2024-04-10 18:00", rating="满意"),
         messy=lambda i, r: {**r, "level": "街道党工委", "source": "12345热线", "trigger": "群众诉求类",
                             "rating": "非常满意", "whistled_at": f"2024/4/{1 + i % 9} 9:00",
                             "street_code": STREET_SPELLINGS[i % 5]},
         expect=dict(level="街道工委", source="12345", trigger="群众诉求", whistled_at=datetime(2024, 4, 1, 9),
                     closed_at=datetime(2024, 4, 10, 18), community_id=D2, lat=39.951, rating="满意"),
         replace=dict(whistle_id="W3", street_code="德胜", community_id="德胜里", level="网格党支部", trigger="综合执法",
                      source="网格", category_l1="市容环卫", category_l2="违规占道", whistled_at="2024-03-20 08:00",
                      closed_at="2024-03-22 08:00", rating="满意"),
         replaced=(("W3",), "closed_at", datetime(2024, 3, 22, 8)),
         bad=[({"closed_at": "2024-03-01 08:00"}, "办结时间早于吹哨时间"),
              ({"trigger": "其他"}, "吹哨类型取值无法识别（应为 群众诉求/重点工作/综合执法/应急处置）：其他"),
              ({"lon": "116.45", "lat": "39.95"}, "坐标在西城区范围外")],
         missing="whistled_at"),
    Case("whistle_responses", [("response_id", "报到编号", "编号"), ("whistle_id", "吹哨编号", "吹哨编号"),
                               ("unit_id", "报到单位编号", "报到单位"), ("unit_level", "单位层级", "报到单位层级"),
                               ("due_at", "应报到时间", "报到时限"), ("reported_at", "报到时间", "实际报到时间"),
                               ("done", "是否办结", "是否完成"), ("rating", "满意度", "评价")],
         row=lambda i: dict(response_id=f"T{i}", whistle_id="W1", unit_id="U2", unit_level="街道科站队所",
                            due_at="2024-03-05 09:30", reported_at="2024-03-05 09:20", done="是", rating="满意"),
         messy=lambda i, r: {**r, "unit_id": "德胜街道城管执法队", "unit_level": "科站队所", "done": "已办结",
                             "due_at": "2024/3/5 9:30"},
         expect=dict(whistle_id="W1", unit_id="U2", unit_level="街道科站队所", done=True,
                     due_at=datetime(2024, 3, 5, 9, 30), reported_at=datetime(2024, 3, 5, 9, 20)),
         replace=dict(response_id="R4", whistle_id="W3", unit_id="U3", unit_level="社会单位",
                      due_at="2024-03-20 08:30", reported_at="2024-03-20 08:25", done="是"),
         replaced=(("R4",), "reported_at", datetime(2024, 3, 20, 8, 25)),
         bad=[({"whistle_id": "W99"}, "吹哨编号在已导入的吹哨中不存在：W99"),
              ({"reported_at": "昨天"}, "报到时间无法识别：昨天"),
              ({"unit_level": "个人"}, "单位层级取值无法识别（应为 区级部门/街道科站队所/社会单位）：个人")],
         missing="whistle_id", empty_base="请先导入吹哨（--kind whistles）"),
    Case("action_items", [("item_id", "项目编号", "事项编号"), ("title_zh", "项目名称", "事项名称"),
                          ("program", "项目类型", "实事类型"), ("category", "类别", "分类"),
                          ("category_l1", "对应诉求分类", "一级分类"), ("street_code", "所属街道", "街道"),
                          ("community_id", "社区", "所属社区"), ("source", "来源", "问题来源"),
                          ("topic_id", "每月一题编号", "题目编号"), ("planned_year", "年度", "计划年度"),
                          ("started_on", "开工日期", "开始日期"), ("due_on", "计划完成日期", "完成时限"),
                          ("status", "状态", "进展"), ("done_on", "完成日期", "实际完成日期")],
         row=lambda i: dict(item_id=f"T{i}", title_zh=f"西海社区老年餐桌{i}", program="为民实事", category="养老助餐",
                            category_l1="养老助餐", street_code="什刹海街道", community_id="西海社区", source="12345",
                            planned_year="2024", started_on="2024-02-01", due_on="2024-12-31", status="实施"),
         messy=lambda i, r: {**r, "program": "民生实事", "status": "实施中", "planned_year": "2024年",
                             "source": "12345热线", "street_code": "什刹海街道办事处"},
         expect=dict(program="为民实事", status="实施", planned_year=2024, source="12345", community_id=S1,
                     street_code=SHICHAHAI, due_on=date(2024, 12, 31), topic_id=None),
         replace=dict(item_id="I4", title_zh="西海周边环境整治", program="一号工程", category="环境整治",
                      category_l1="市容环卫", street_code="什刹海", community_id="西海", source="交办",
                      planned_year="2024", due_on="2024-12-31", status="完成", done_on="2024-03-30"),
         replaced=(("I4",), "done_on", date(2024, 3, 30)),
         bad=[({"program": "其他工程"}, "项目类型取值无法识别（应为 为民实事/重点提升事项/一号工程/每月一题）：其他工程"),
              ({"planned_year": "1850"}, "年度不在合理范围（2000–2100）：1850"),
              ({"source": "微博"}, "来源取值无法识别（应为 12345/议事/走访/网格/交办）：微博")],
         missing="due_on"),
    Case("deliberations", [("meeting_id", "议事编号", "会议编号"), ("platform", "议事平台", "平台"),
                           ("street_code", "所属街道", "街道"), ("community_id", "社区", "所属社区"),
                           ("held_on", "议事日期", "召开日期"), ("category", "议题类别", "类别"),
                           ("attendees", "参会人数", "参与人数"), ("outcome", "议事结果", "表决结果"),
                           ("item_id", "转化项目编号", "关联项目编号")],
         row=lambda i: dict(meeting_id=f"T{i}", platform="楼院议事", street_code="德胜街道", community_id="新康社区",
                            held_on="2024-04-02", category="停车管理", attendees="20", outcome="完全赞同", item_id="I2"),
         messy=lambda i, r: {**r, "platform": "楼院议事会", "outcome": "一致通过", "attendees": "20人",
                             "held_on": "2024年4月2日", "street_code": STREET_SPELLINGS[i % 5]},
         expect=dict(platform="楼院议事", outcome="完全赞同", attendees=20, item_id="I2", held_on=date(2024, 4, 2),
                     community_id=D2),
         replace=dict(meeting_id="M2", platform="楼院议事", street_code="德胜", community_id="新康", held_on="2024-03-12",
                      category="环境整治", attendees="12", outcome="完全赞同", item_id="I3"),
         replaced=(("M2",), "item_id", "I3"),
         bad=[({"outcome": "搁置"}, "议事结果取值无法识别（应为 完全赞同/部分赞同/未通过）：搁置"),
              ({"item_id": "I99"}, "转化项目编号在已导入的实事项目中不存在：I99"),
              ({"attendees": "很多"}, "参会人数不是非负整数：很多")],
         missing="held_on", empty_base="请先导入实事项目（--kind action_items）"),
]
CASES.append(
    Case("monthly_topics", [("topic_id", "题目编号", "专题编号"), ("year", "年度", "年份"), ("month", "月份", "月度"),
                            ("title_zh", "题目", "专题名称"), ("category_l1", "一级分类", "诉求分类"),
                            ("category_l2", "二级分类", "二级分类")],
         row=lambda i: dict(topic_id=f"T{i}", year="2024", month=str(1 + i % 12), title_zh=f"物业服务质量提升{i}",
                            category_l1="物业管理", category_l2="电梯故障"),
         messy=lambda i, r: {**r, "year": "2024年", "month": f"{1 + i % 12}月", "category_l1": " 物业管理 "},
         expect=dict(year=2024, month=1, title_zh="物业服务质量提升0"), key=("T0", "物业管理", "电梯故障"),
         replace=dict(topic_id="T2024-04-1", year="2024", month="4", title_zh="供暖季室温保障", category_l1="供暖",
                      category_l2="室温不达标"),
         replaced=(("T2024-04-1", "供暖", "室温不达标"), "title_zh", "供暖季室温保障"),
         bad=[({"category_l1": "外星来客"}, "一级分类不是当前快照工单中的分类：外星来客"),
              ({"month": "13"}, "月份不在 1–12：13"),
              ({"year": "1850"}, "年度不在合理范围（2000–2100）：1850")],
         missing="category_l1"))
BY_KIND = {c.kind: c for c in CASES}
IDS = [c.kind for c in CASES]


def write(path: Path, case: Case, rows: list[dict], *, messy=False, encoding="utf-8", drop=None,
          extra: dict | None = None) -> Path:
    """A CSV of `rows` under the case's headers (or their other spellings), `extra` columns appended."""
    cols = [(f, m if messy else h) for f, h, m in case.columns if f != drop]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([h for _, h in cols] + list(extra or {}))
    for k, r in enumerate(rows):
        w.writerow([r.get(f, "") for f, _ in cols] + [v[k] for v in (extra or {}).values()])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def table(d: Path, name: str) -> pd.DataFrame:
    return pq.read_table(snapshot.current(d).path / f"{name}.parquet").to_pandas()


def keyed(d: Path, kind: str) -> pd.DataFrame:
    return table(d, kind).set_index(list(party.SPECS[kind].key))


def rejects_of(d: Path) -> dict[int, str]:
    (path,) = (d / "imports").glob("*/rejects-*.csv")
    return {int(r["源文件行号"]): r["原因"] for r in csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig")))}


@pytest.fixture
def data_dir(fixture_dir, tmp_path):
    d = tmp_path / "data"
    shutil.copytree(fixture_dir, d)
    return d


# --- the specs themselves ------------------------------------------------------------------------------

def test_every_kind_fills_its_whole_table_and_names_each_header_once():
    assert set(party.SPECS) == set(schema.OPTIONAL_TABLES) == set(ingest.KINDS) - {"tickets", "facilities",
                                                                                     "communities", "boundaries"}
    for kind, spec in party.SPECS.items():
        point = ["lat", "lon"] if spec.point else []
        assert sorted([c.name for c in spec.columns] + point) == sorted(schema.TABLES[kind].names), kind
        headers = [h for names in spec.aliases.values() for h in names]
        assert len(headers) == len(set(headers)), (kind, [h for h in headers if headers.count(h) > 1])


def test_vocabularies_accept_only_schema_values_and_their_synonyms():
    for spec in party.SPECS.values():
        for col in (c for c in spec.columns if c.type == "vocab"):
            assert col.values and set(col.synonyms.values()) <= set(col.values), (spec.table, col.name)
            mapped = party.map_vocab(pd.Series([*col.values, *col.synonyms, "不存在的取值", ""]), col)
            assert list(mapped) == [*col.values, *col.synonyms.values(), None, None]


def test_quarters_in_the_forms_exports_use():
    got, bad = party.quarter_start(pd.Series(["2024Q1", "2024-q2", "2024年第三季度", "2024年4季度", "2024年一季",
                                              "2024-05-20", "2024Q5", "2024-1", ""]))
    assert list(got[:6]) == [date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1),
                             date(2024, 1, 1), date(2024, 4, 1)]
    assert list(bad) == [False] * 6 + [True, True, False]


def test_the_admin_page_offers_every_kind():
    assert set(ingest_admin.KIND_LABELS) == set(ingest_admin.UPLOAD_TYPES) == set(ingest.KINDS)
    assert [ingest_admin.KIND_LABELS[k] for k in ("party_orgs", "units", "pairings", "pairing_activities",
                                                   "cobuild_projects", "whistles", "whistle_responses",
                                                   "action_items", "deliberations")] == [
        "党组织", "驻区单位", "结对共建", "结对活动", "共建项目", "吹哨", "报到", "实事项目", "议事"]
    assert ingest_admin.UPLOAD_TYPES["whistles"] == ["csv", "txt", "tsv", "xlsx"]


# --- per kind: good, messy, refused --------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_good_file(capsys, data_dir, tmp_path, case):
    before = snapshot.current(data_dir).row_counts[case.kind]
    rows = [case.row(0), case.replace, case.row(1), case.row(2)]
    code, out, _ = cli(capsys, "import", write(tmp_path / f"{case.kind}.csv", case, rows), "--kind", case.kind,
                       "--data-dir", data_dir)
    assert code == 0, out
    assert "编码 UTF-8｜读取 4 行｜接受 4 行｜隔离 0 行" in out and "替换已有记录 1 条" in out
    info = snapshot.current(data_dir)
    assert info.row_counts[case.kind] == before + 3 and info.manifest["details"]["kind"] == case.kind
    t = keyed(data_dir, case.kind)
    got = t.loc[case.key if len(case.key) > 1 else case.key[0]]
    assert {k: (None if pd.isna(got[k]) else got[k]) for k in case.expect} == case.expect
    key, column, value = case.replaced
    assert t.loc[key if len(key) > 1 else key[0], column] == value
    assert info.data_as_of == date(2024, 3, 31)   # only tickets move 数据截至
    assert info.row_counts["tickets"] == fixture_data.tickets().shape[0]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_messy_file_quarantines_a_few_rows(capsys, data_dir, tmp_path, case):
    rows = [case.messy(i, case.row(i)) for i in range(MESSY_ROWS)]
    bad = [{**case.messy(900 + k, case.row(900 + k)), **over} for k, (over, _) in enumerate(case.bad)]
    path = write(tmp_path / f"{case.kind}-gbk.csv", case, rows + bad, messy=True, encoding="gbk")
    code, out, _ = cli(capsys, "import", path, "--kind", case.kind, "--data-dir", data_dir)
    assert code == 0, out
    n = len(case.bad)
    assert f"编码 GBK｜读取 {MESSY_ROWS + n} 行｜接受 {MESSY_ROWS} 行｜隔离 {n} 行" in out
    assert rejects_of(data_dir) == {MESSY_ROWS + 2 + k: reason for k, (_, reason) in enumerate(case.bad)}
    got = keyed(data_dir, case.kind).loc[case.key if len(case.key) > 1 else case.key[0]]
    assert {k: (None if pd.isna(got[k]) else got[k]) for k in case.expect} == case.expect


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_too_many_bad_rows_are_refused(capsys, data_dir, tmp_path, case):
    rows = [case.row(i) for i in range(10)] + [{**case.row(900 + k), **over} for k, (over, _) in enumerate(case.bad)]
    path = write(tmp_path / f"{case.kind}.csv", case, rows)
    n = len(case.bad)
    assert_rejected(capsys, data_dir, [path], case.kind, f"{case.kind}.csv", f"{n} / {10 + n} 行未通过检查",
                    "超过上限 1%")
    assert set(rejects_of(data_dir)) == set(range(12, 12 + n))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_missing_required_column_is_refused(capsys, data_dir, tmp_path, case):
    path = write(tmp_path / f"{case.kind}.csv", case, [case.row(i) for i in range(3)], drop=case.missing)
    label = party.SPECS[case.kind].labels[case.missing]
    assert_rejected(capsys, data_dir, [path], case.kind, f"{case.kind}.csv", f"缺少必需列 {label}")


@pytest.fixture
def without_party(tmp_path):
    """A data dir whose snapshot holds the fixture's places and tickets but no party table."""
    d = tmp_path / "bare"
    tables = {name: schema.conform(name, getattr(fixture_data, name)())
              for name in ("streets", "communities", "circles", "facilities", "tickets")}
    snapshot.publish(tables, source="fixture", data_as_of=date(2024, 3, 31), data_dir=d)
    return d


@pytest.mark.parametrize("case", [c for c in CASES if c.empty_base], ids=[c.kind for c in CASES if c.empty_base])
def test_a_reference_into_an_empty_table_names_the_kind_to_import_first(capsys, without_party, tmp_path, case):
    path = write(tmp_path / f"{case.kind}.csv", case, [case.row(i) for i in range(3)])
    assert_rejected(capsys, without_party, [path], case.kind, f"{case.kind}.csv", case.empty_base)


def test_communities_and_units_come_before_the_organisations_that_name_them(capsys, without_party, tmp_path):
    case = BY_KIND["party_orgs"]
    orgs = write(tmp_path / "orgs.csv", case, [{**case.row(0), "parent_org_id": "", "unit_id": "U1"}])
    assert_rejected(capsys, without_party, [orgs], "party_orgs", "请先导入驻区单位（--kind units）")
    units = write(tmp_path / "units.csv", BY_KIND["units"], [BY_KIND["units"].row(0)])
    assert cli(capsys, "import", units, "--kind", "units", "--data-dir", without_party)[0] == 0
    # an organisation's parent may stand in the same file; a street alone needs no community
    rows = [{**case.row(0), "parent_org_id": "", "community_id": "", "unit_id": "T0"},
            {**case.row(1), "parent_org_id": "T0", "community_id": ""}]
    code, out, _ = cli(capsys, "import", write(tmp_path / "o.csv", case, rows), "--kind", "party_orgs",
                       "--data-dir", without_party)
    assert code == 0, out
    t = keyed(without_party, "party_orgs")
    assert t.loc["T1", "parent_org_id"] == "T0" and t.loc["T0", "unit_id"] == "T0"
    assert pd.isna(t.loc["T0", "community_id"]) and t.loc["T0", "street_code"] == DESHENG

    empty = tmp_path / "no-communities"
    tables = {name: schema.conform(name, getattr(fixture_data, name)()) for name in ("streets", "tickets")}
    tables |= {name: schema.TABLES[name].empty_table() for name in ("communities", "circles", "facilities")}
    snapshot.publish(tables, source="fixture", data_as_of=date(2024, 3, 31), data_dir=empty)
    orgs = write(tmp_path / "orgs2.csv", case, [{**case.row(0), "parent_org_id": ""}])
    assert_rejected(capsys, empty, [orgs], "party_orgs", "请先导入社区（--kind communities）")


def test_pairing_activities_merge_by_pairing_and_quarter(capsys, data_dir, tmp_path):
    case = BY_KIND["pairing_activities"]
    rows = [dict(pairing_id="P1", quarter_start="2024年第一季度", activities="4"),     # replaces P1 Q1 2024 (2)
            dict(pairing_id="P1", quarter_start="2024Q2", activities="1"),            # new
            dict(pairing_id="P2", quarter_start="2024-03-31", activities="6")]        # replaces P2 Q1 2024 (0)
    code, out, _ = cli(capsys, "import", write(tmp_path / "a.csv", case, rows), "--kind", "pairing_activities",
                       "--data-dir", data_dir)
    assert code == 0 and "替换已有记录 2 条" in out, out
    t = keyed(data_dir, "pairing_activities")["activities"].to_dict()
    assert t == {("P1", date(2024, 1, 1)): 4, ("P1", date(2024, 4, 1)): 1, ("P2", date(2024, 1, 1)): 6,
                 ("P2", date(2023, 10, 1)): 3, ("P3", date(2023, 10, 1)): 1}


def test_whistles_from_xlsx(capsys, data_dir, tmp_path):
    case = BY_KIND["whistles"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["西城区吹哨报到台账（2024年4月）"])   # a title row above the header, as exports have
    ws.append([m for _, _, m in case.columns])
    serial = (datetime(2024, 4, 3, 14, 30) - datetime(1899, 12, 30)).total_seconds() / 86400
    for i, (at, closed) in enumerate([(datetime(2024, 4, 2, 8, 15), None), (serial, datetime(2024, 4, 4, 9))]):
        r = {**case.messy(i, case.row(i)), "whistled_at": at, "closed_at": closed, "lon": 116.372, "lat": 39.951}
        ws.append([r.get(f) for f, _, _ in case.columns])
    path = tmp_path / "whistles.xlsx"
    wb.save(path)
    code, out, _ = cli(capsys, "import", path, "--kind", "whistles", "--data-dir", data_dir)
    assert code == 0 and "编码 XLSX｜读取 2 行｜接受 2 行" in out, out
    t = keyed(data_dir, "whistles")
    assert t.loc["T0", "whistled_at"] == datetime(2024, 4, 2, 8, 15) and pd.isna(t.loc["T0", "closed_at"])
    assert t.loc["T1", "whistled_at"] == datetime(2024, 4, 3, 14, 30)
    assert t.loc["T1", "closed_at"] == datetime(2024, 4, 4, 9)
    assert t.loc["T1", "level"] == "街道工委" and t.loc["T1", "category_l2"] == "施工噪声"


def test_people_never_reach_the_snapshot(capsys, data_dir, tmp_path):
    people = ["王小明", "李四光", "赵六"]
    phones = ["13812345678", "010-66012345", "+86 139-1234-5678"]
    forbidden = [*people, "13812345678", "66012345", "13912345678", "11010219900307123X"]
    for kind in ("party_orgs", "cobuild_projects"):
        case = BY_KIND[kind]
        rows = [case.row(i) for i in range(3)]
        text_field = "name_zh" if kind == "party_orgs" else "title_zh"
        rows[0][text_field] += "（联系人王小明 13812345678）"
        rows[1][text_field] += "身份证11010219900307123X"
        extra = {"联系人": people, "联系电话": phones, "书记": people[::-1]}
        code, out, _ = cli(capsys, "import", write(tmp_path / f"{kind}.csv", case, rows, extra=extra), "--kind", kind,
                           "--data-dir", data_dir)
        assert code == 0 and "含个人信息的列未导入快照：联系人、联系电话、书记" in out, out
        names = keyed(data_dir, kind)[text_field]
        assert names["T0"].endswith("(联系人王** 138****5678)") and names["T1"].endswith("身份证******************")
    info = snapshot.current(data_dir)
    scanned = 0
    for f in sorted(info.path.glob("*.parquet")):
        t = pq.read_table(f)
        for col in t.column_names:
            if str(t.schema.field(col).type) == "string":
                for v in filter(None, t.column(col).to_pylist()):
                    scanned += 1
                    digits = "".join(ch for ch in v if ch.isdigit())
                    assert not any(x in v or x in digits for x in forbidden), (f.name, col, v)
    assert scanned > 100


def test_people_are_masked_in_the_rejects_file(capsys, data_dir, tmp_path):
    case = BY_KIND["units"]
    rows = [{**case.row(0), "kind": "个体户"}]
    path = write(tmp_path / "u.csv", case, rows, extra={"负责人": ["王小明"], "电话": ["13812345678"]})
    assert_rejected(capsys, data_dir, [path], "units", "1 / 1 行未通过检查")
    (rejects,) = (data_dir / "imports").glob("*/rejects-*.csv")
    text = rejects.read_bytes().decode("utf-8-sig")
    assert "王**" in text and "138****5678" in text and "王小明" not in text and "13812345678" not in text


def test_a_failed_party_import_changes_nothing(capsys, data_dir, tmp_path):
    """Several files: one good, one refused -> nothing is published, CURRENT stays."""
    case = BY_KIND["deliberations"]
    good = write(tmp_path / "good.csv", case, [case.row(i) for i in range(3)])
    bad = write(tmp_path / "bad.csv", case, [{**case.row(5), "item_id": "I99"}])
    before = fingerprint(data_dir)
    code, _, err = cli(capsys, "import", good, bad, "--kind", "deliberations", "--data-dir", data_dir)
    assert code == 1 and "bad.csv：1 / 1 行未通过检查" in err
    assert fingerprint(data_dir) == before


def test_monthly_topics_merge_by_topic_and_category_and_need_tickets_first(capsys, data_dir, tmp_path):
    case = BY_KIND["monthly_topics"]
    rows = [dict(topic_id="T2024-03-1", year="2024", month="3", title_zh="噪声扰民专项治理", category_l1="噪声扰民"),
            dict(topic_id="T2024-03-1", year="2024", month="3", title_zh="噪声扰民专项治理", category_l1="供暖",
                 category_l2="室温不达标")]   # a second category of the same topic: a row of its own
    code, out, _ = cli(capsys, "import", write(tmp_path / "t.csv", case, rows), "--kind", "monthly_topics",
                       "--data-dir", data_dir)
    assert code == 0 and "替换已有记录 1 条" in out, out
    t = table(data_dir, "monthly_topics")
    mine = t[t["topic_id"] == "T2024-03-1"].sort_values("category_l1")
    assert list(mine["category_l1"]) == ["供暖", "噪声扰民", "施工扰民"]
    assert list(mine["title_zh"]) == ["噪声扰民专项治理", "噪声扰民专项治理", "噪声扰民治理"]
    assert len(t) == len(fixture_data.monthly_topics()) + 1

    empty = tmp_path / "no-tickets"
    tables = {name: schema.conform(name, getattr(fixture_data, name)()) for name in ("streets", "communities")}
    tables |= {name: schema.TABLES[name].empty_table() for name in ("circles", "facilities", "tickets")}
    snapshot.publish(tables, source="fixture", data_as_of=date(2024, 3, 31), data_dir=empty)
    path = write(tmp_path / "t2.csv", case, [case.row(0)])
    assert_rejected(capsys, empty, [path], "monthly_topics", "请先导入工单（--kind tickets）")

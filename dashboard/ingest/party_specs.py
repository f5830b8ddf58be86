"""What the party-building exports (红墙先锋) look like: one `Spec` per import kind, as data.

Each kind fills one table of schema.PARTY_TABLES (or monthly_topics) and is named after it.  A `Col` is one
column of that table: the header spellings that mean it, how its cells are read and whether
the file must have it.  dashboard/ingest/party.py reads every kind with the same rules.

Column types:
    id        an identifier, kept as written (NFKC, stripped)
    text      free text (names of organisations and units, titles, categories); phone and
              ID numbers are masked
    date, datetime, count, year, quarter, bool
    vocab     one of `values` (a schema vocabulary) or a spelling in `synonyms`
    street    a street in any everyday spelling (records.resolve_streets)
    community a community id, or its name within the row's street
    ref       the id (or, for organisations and units, the exact name) of a row of table `ref`
    month     a month number 1–12 (`3`, `3月`)
    category  a hotline category (level 1) that the base snapshot's tickets use

Personal columns (联系人, 书记, 电话 ...) are recognised so that they can be dropped: they never
reach a snapshot, and the rejects file masks them.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..core import schema
from .records import POINT_ALIASES

# The kinds as the 数据管理 page and the messages name them, in the order they may be imported.
LABELS = {"units": "驻区单位", "party_orgs": "党组织", "pairings": "结对共建", "pairing_activities": "结对活动",
          "cobuild_projects": "共建项目", "whistles": "吹哨", "whistle_responses": "报到",
          "action_items": "实事项目", "deliberations": "议事", "monthly_topics": "每月一题"}

# Columns that may name or reach a person: read only to be dropped (and masked in rejects).
PERSON_ALIASES = ("联系人", "负责人", "书记", "党组织书记", "姓名", "联系人姓名", "负责人姓名", "报到人", "吹哨人",
                  "经办人", "填报人", "召集人", "主持人")
PHONE_ALIASES = ("电话", "联系电话", "手机", "手机号", "手机号码", "联系方式", "办公电话", "身份证号", "身份证号码")
PRIVATE = {"person": PERSON_ALIASES, "phone": PHONE_ALIASES}

STREET = ("街道", "所属街道", "所在街道", "街乡镇", "街道名称", "street")
COMMUNITY = ("社区", "所属社区", "所在社区", "社区名称", "社区编码")
RATING = ("满意度", "评价", "满意度评价", "评价结果")

_RATING = {"非常满意": "满意", "比较满意": "基本满意"}
_STATUS = {"实施中": "实施", "进行中": "实施", "推进中": "实施", "在建": "实施", "已完成": "完成", "办结": "完成",
           "已办结": "完成", "已结项": "完成", "逾期未完成": "未完成", "未按期完成": "未完成", "已取消": "取消",
           "撤销": "取消", "已撤销": "取消"}
_SOURCE = {"12345热线": "12345", "市民热线": "12345", "12345市民服务热线": "12345", "热线": "12345",
           "接诉即办": "12345", "议事协商": "议事", "居民议事": "议事", "入户走访": "走访", "走访调研": "走访",
           "网格巡查": "网格", "网格员上报": "网格", "上级交办": "交办", "领导交办": "交办"}


@dataclass(frozen=True)
class Col:
    """One column of a party table as exports carry it."""

    name: str                            # the canonical column
    label: str                           # its name in messages
    aliases: tuple[str, ...] = ()
    type: str = "text"
    required: bool = False               # the file must have it and every row a value
    values: tuple[str, ...] = ()         # type vocab: the schema's values
    synonyms: Mapping[str, str] = field(default_factory=dict)  # type vocab: other spellings
    ref: str | None = None               # type ref: the table it points into
    default: object = None               # a blank optional cell becomes this


@dataclass(frozen=True)
class Spec:
    """One import kind: its table, the key a re-imported row replaces on, its columns."""

    table: str
    key: tuple[str, ...]
    columns: tuple[Col, ...]
    point: bool = False                  # has lon/lat (read with records.coordinates)
    order: tuple[tuple[str, str, str], ...] = ()   # (earlier, later, reason): later < earlier is rejected
    done_needs_date: bool = False        # status 完成 needs done_on

    @property
    def label(self) -> str:
        """The kind's Chinese name."""
        return LABELS[self.table]

    @property
    def aliases(self) -> dict[str, tuple[str, ...]]:
        """Field -> header spellings, for readers.read_table (personal columns included, to drop them)."""
        return {**{c.name: c.aliases for c in self.columns}, **(POINT_ALIASES if self.point else {}), **PRIVATE}

    @property
    def required(self) -> tuple[str, ...]:
        """The fields the file must have."""
        return tuple(c.name for c in self.columns if c.required)

    @property
    def labels(self) -> dict[str, str]:
        """Field -> its name in messages."""
        return {c.name: c.label for c in self.columns}


def _street(required: bool) -> Col:
    return Col("street_code", "街道", STREET, "street", required)


def _community(required: bool = False) -> Col:
    return Col("community_id", "社区", COMMUNITY, "community", required)


def _vocab(name, label, aliases, values, synonyms=None, required=True) -> Col:
    return Col(name, label, aliases, "vocab", required, values, synonyms or {})


def _rating() -> Col:
    return _vocab("rating", "满意度", RATING, schema.SATISFACTION_VALUES, _RATING, required=False)


SPECS: dict[str, Spec] = {
    "units": Spec("units", ("unit_id",), (
        Col("unit_id", "单位编号", ("单位编号", "单位代码", "编号"), "id", True),
        Col("name_zh", "单位名称", ("单位名称", "名称"), "text", True),
        _vocab("kind", "单位类型", ("单位类型", "单位类别", "类型", "类别"), schema.UNIT_KINDS, {
            "中央在京单位": "中央单位", "中直单位": "中央单位", "中央国家机关": "中央单位", "市属": "市属单位",
            "市级单位": "市属单位", "区级单位": "区级部门", "区属部门": "区级部门", "区直部门": "区级部门",
            "委办局": "区级部门", "科站队所": "街道科站队所", "国有企业": "企业", "国企": "企业", "民营企业": "企业",
            "非公企业": "企业", "中学": "学校", "小学": "学校", "高校": "学校", "大学": "学校", "幼儿园": "学校",
            "医疗机构": "医院", "社区卫生服务中心": "医院", "社会组织": "社会单位"}),
        _street(False),
    )),
    "party_orgs": Spec("party_orgs", ("org_id",), (
        Col("org_id", "组织编号", ("组织编号", "党组织编号", "组织代码", "编号"), "id", True),
        Col("parent_org_id", "上级组织编号", ("上级组织编号", "上级党组织编号", "上级组织", "上级党组织"), "ref",
            ref="party_orgs"),
        Col("name_zh", "组织名称", ("组织名称", "党组织名称", "名称"), "text", True),
        _vocab("level", "组织层级", ("组织层级", "层级", "级别"), schema.ORG_LEVELS, {
            "区级": "区", "区委": "区", "街道级": "街道", "社区级": "社区", "网格级": "网格", "单位级": "单位",
            "驻区单位": "单位"}),
        _vocab("kind", "组织类型", ("组织类型", "组织类别", "类型", "类别"), schema.ORG_KINDS, {
            "党工委": "党委", "街道党工委": "党委", "街道工委": "党委", "社区党委": "党委", "总支": "党总支",
            "党总支部": "党总支", "支部": "党支部", "网格党支部": "党支部", "项目支部": "项目党支部",
            "机关党支部": "机关企事业党支部", "企事业党支部": "机关企事业党支部", "事业单位党支部": "机关企事业党支部",
            "两新组织": "两新党组织", "两新组织党组织": "两新党组织", "非公企业党组织": "两新党组织",
            "社会组织党组织": "两新党组织", "党建协调委": "党建协调委员会", "协调委员会": "党建协调委员会",
            "党建工作协调委员会": "党建协调委员会"}),
        _street(False),
        _community(),
        Col("unit_id", "所属单位编号", ("所属单位编号", "单位编号", "所属单位"), "ref", ref="units"),
        Col("members", "党员数", ("党员数", "党员人数", "党员数量"), "count", True),
        Col("set_up_on", "成立日期", ("成立日期", "成立时间"), "date", True),
        Col("closed_on", "撤销日期", ("撤销日期", "撤销时间", "撤并日期"), "date"),
        Col("project", "所在项目", ("所在项目", "项目名称", "项目"), "text"),
    ), order=(("set_up_on", "closed_on", "撤销日期早于成立日期"),)),
    "pairings": Spec("pairings", ("pairing_id",), (
        Col("pairing_id", "结对编号", ("结对编号", "共建编号", "编号"), "id", True),
        Col("org_id", "组织编号", ("组织编号", "党组织编号", "结对党组织", "党组织"), "ref", True, ref="party_orgs"),
        _street(True),
        _community(True),
        Col("started_on", "结对日期", ("结对日期", "结对时间", "开始日期"), "date", True),
        Col("ended_on", "结束日期", ("结束日期", "解除日期", "解除结对日期"), "date"),
    ), order=(("started_on", "ended_on", "结束日期早于结对日期"),)),
    "pairing_activities": Spec("pairing_activities", ("pairing_id", "quarter_start"), (
        Col("pairing_id", "结对编号", ("结对编号", "共建编号"), "ref", True, ref="pairings"),
        Col("quarter_start", "季度", ("季度", "所属季度", "季度开始日期", "统计季度"), "quarter", True),
        Col("activities", "活动次数", ("活动次数", "活动数", "开展活动次数"), "count", True),
    )),
    "cobuild_projects": Spec("cobuild_projects", ("project_id",), (
        Col("project_id", "项目编号", ("项目编号", "编号"), "id", True),
        Col("title_zh", "项目名称", ("项目名称", "名称"), "text", True),
        Col("unit_id", "共建单位", ("共建单位编号", "单位编号", "共建单位", "认领单位"), "ref", True, ref="units"),
        _vocab("committee_level", "协调委员会层级", ("协调委员会层级", "共建层级", "层级", "级别"),
               schema.COMMITTEE_LEVELS, {"区级": "区", "街道级": "街道", "社区级": "社区"}),
        _street(True),
        _community(),
        _vocab("origin", "清单类型", ("清单类型", "项目来源", "来源"), schema.PROJECT_ORIGINS, {
            "需求": "需求清单", "群众需求": "需求清单", "资源": "资源清单", "单位资源": "资源清单"}),
        Col("category", "项目类别", ("项目类别", "类别", "领域"), "text", True),
        Col("planned_start", "计划开始日期", ("计划开始日期", "计划开始", "开始日期"), "date", True),
        Col("planned_end", "计划完成日期", ("计划完成日期", "计划完成", "计划结束日期", "完成时限"), "date", True),
        _vocab("status", "状态", ("状态", "项目状态", "进展"), schema.PROJECT_STATUSES, {**_STATUS, "已认领": "认领"}),
        Col("done_on", "完成日期", ("完成日期", "实际完成日期", "完成时间"), "date"),
        _rating(),
    ), order=(("planned_start", "planned_end", "计划完成日期早于计划开始日期"),), done_needs_date=True),
    "whistles": Spec("whistles", ("whistle_id",), (
        Col("whistle_id", "吹哨编号", ("吹哨编号", "编号"), "id", True),
        _street(True),
        _community(),
        _vocab("level", "吹哨层级", ("吹哨层级", "吹哨主体", "层级"), schema.WHISTLE_LEVELS, {
            "街道党工委": "街道工委", "党工委": "街道工委", "街道": "街道工委", "社区": "社区党委",
            "网格": "网格党支部", "网格支部": "网格党支部"}),
        _vocab("trigger", "吹哨类型", ("吹哨类型", "吹哨事由", "类型"), schema.WHISTLE_TRIGGERS, {
            "群众诉求类": "群众诉求", "诉求": "群众诉求", "重点工作类": "重点工作", "综合执法类": "综合执法",
            "执法": "综合执法", "应急处置类": "应急处置", "应急": "应急处置"}),
        _vocab("source", "问题来源", ("问题来源", "线索来源", "来源"), schema.SOURCES, _SOURCE),
        Col("category_l1", "一级分类", ("一级分类", "问题类别"), "text", True),
        Col("category_l2", "二级分类", ("二级分类",), "text", default="未细分"),
        Col("whistled_at", "吹哨时间", ("吹哨时间", "吹哨日期"), "datetime", True),
        Col("closed_at", "办结时间", ("办结时间", "完成时间"), "datetime"),
        _rating(),
    ), point=True, order=(("whistled_at", "closed_at", "办结时间早于吹哨时间"),)),
    "whistle_responses": Spec("whistle_responses", ("response_id",), (
        Col("response_id", "报到编号", ("报到编号", "编号"), "id", True),
        Col("whistle_id", "吹哨编号", ("吹哨编号",), "ref", True, ref="whistles"),
        Col("unit_id", "报到单位", ("报到单位编号", "单位编号", "报到单位"), "ref", True, ref="units"),
        _vocab("unit_level", "单位层级", ("单位层级", "报到单位层级", "层级"), schema.RESPONSE_LEVELS, {
            "区级": "区级部门", "区级单位": "区级部门", "区直部门": "区级部门", "区属部门": "区级部门",
            "委办局": "区级部门", "科站队所": "街道科站队所", "街道科室": "街道科站队所", "社会": "社会单位",
            "驻区单位": "社会单位", "社会组织": "社会单位"}),
        Col("due_at", "应报到时间", ("应报到时间", "报到时限", "要求报到时间"), "datetime"),
        Col("reported_at", "报到时间", ("报到时间", "实际报到时间"), "datetime"),
        Col("done", "是否办结", ("是否办结", "是否完成", "办结"), "bool"),
        _rating(),
    )),
    "action_items": Spec("action_items", ("item_id",), (
        Col("item_id", "项目编号", ("项目编号", "事项编号", "实事编号", "编号"), "id", True),
        Col("title_zh", "项目名称", ("项目名称", "事项名称", "名称"), "text", True),
        _vocab("program", "项目类型", ("项目类型", "实事类型", "类型"), schema.PROGRAMS, {
            "民生实事": "为民实事", "为民办实事": "为民实事", "重要民生实事": "为民实事", "实事": "为民实事",
            "重点提升": "重点提升事项", "重点提升项目": "重点提升事项"}),
        Col("category", "类别", ("类别", "分类", "项目类别", "领域"), "text", True),
        Col("category_l1", "对应诉求分类", ("对应诉求分类", "一级分类"), "text"),
        _street(True),
        _community(),
        _vocab("source", "来源", ("来源", "问题来源", "项目来源"), schema.SOURCES, _SOURCE),
        Col("topic_id", "每月一题编号", ("每月一题编号", "题目编号"), "id"),
        Col("planned_year", "年度", ("年度", "计划年度"), "year", True),
        Col("started_on", "开工日期", ("开工日期", "开始日期"), "date"),
        Col("due_on", "计划完成日期", ("计划完成日期", "计划完成", "完成时限"), "date", True),
        _vocab("status", "状态", ("状态", "进展"), schema.ITEM_STATUSES, {
            **_STATUS, "计划中": "计划", "未开工": "计划", "未启动": "计划", "待实施": "计划"}),
        Col("done_on", "完成日期", ("完成日期", "实际完成日期", "完成时间"), "date"),
    ), order=(("started_on", "done_on", "完成日期早于开工日期"),), done_needs_date=True),
    "deliberations": Spec("deliberations", ("meeting_id",), (
        Col("meeting_id", "议事编号", ("议事编号", "会议编号", "编号"), "id", True),
        _vocab("platform", "议事平台", ("议事平台", "平台", "议事形式"), schema.PLATFORMS, {
            "西城家园APP": "西城家园", "西城家园平台": "西城家园", "楼院议事会": "楼院议事", "楼院议事厅": "楼院议事",
            "楼门院示范": "楼门院示范点", "楼门院治理示范点": "楼门院示范点"}),
        _street(True),
        _community(),
        Col("held_on", "议事日期", ("议事日期", "召开日期", "会议日期", "日期"), "date", True),
        Col("category", "议题类别", ("议题类别", "类别"), "text", True),
        Col("attendees", "参会人数", ("参会人数", "参与人数", "人数"), "count", True),
        _vocab("outcome", "议事结果", ("议事结果", "表决结果", "结果"), schema.OUTCOMES, {
            "赞同": "完全赞同", "全部赞同": "完全赞同", "通过": "完全赞同", "一致通过": "完全赞同",
            "部分通过": "部分赞同", "基本赞同": "部分赞同", "不通过": "未通过", "否决": "未通过"}),
        Col("item_id", "转化项目编号", ("转化项目编号", "关联项目编号", "实事编号"), "ref", ref="action_items"),
    )),
    "monthly_topics": Spec("monthly_topics", ("topic_id", "category_l1", "category_l2"), (
        Col("topic_id", "题目编号", ("题目编号", "专题编号", "每月一题编号", "编号"), "id", True),
        Col("year", "年度", ("年度", "年份"), "year", True),
        Col("month", "月份", ("月份", "月度"), "month", True),
        Col("title_zh", "题目", ("题目", "专题名称", "题目名称", "专题", "名称"), "text", True),
        Col("category_l1", "一级分类", ("一级分类", "诉求分类", "对应诉求分类"), "category", True),
        Col("category_l2", "二级分类", ("二级分类",), "text"),
    )),
}

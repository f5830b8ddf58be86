"""Canonical snapshot schema: the tables every snapshot holds, as Arrow schemas.

The demo generator and the import both produce exactly these columns; the query
layer reads nothing else.  `conform()` casts a DataFrame onto a table's schema and
fails loudly on a missing column, so a bad producer cannot publish a bad snapshot.
"""
from __future__ import annotations

import pandas as pd
import pyarrow as pa

SCHEMA_VERSION = 3   # 2: the party-building layer (PARTY_TABLES); 3: monthly_topics (TOPIC_TABLES)

# Satisfaction values as they appear in 12345 exports; null = not asked / no answer.
SATISFACTION_VALUES = ("满意", "基本满意", "不满意")

TS = pa.timestamp("us")  # naive Beijing local time, as the hotline records it

TABLES: dict[str, pa.Schema] = {
    "streets": pa.schema([
        ("street_code", pa.string()),      # 9-digit admin code, e.g. 110102010
        ("name_zh", pa.string()),
        ("short_zh", pa.string()),
        ("name_en", pa.string()),
        ("population", pa.int64()),
        ("area_km2", pa.float64()),
        ("centroid_lat", pa.float64()),
        ("centroid_lon", pa.float64()),
        ("geometry_geojson", pa.string()),  # GeoJSON Polygon/MultiPolygon, WGS-84
        ("boundary_kind", pa.string()),     # 'schematic' | 'imported'
    ]),
    "communities": pa.schema([
        ("community_id", pa.string()),
        ("street_code", pa.string()),
        ("name_zh", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("population", pa.int64()),
    ]),
    "circles": pa.schema([
        ("circle_id", pa.string()),
        ("name_zh", pa.string()),
        ("street_code", pa.string()),
        ("center_lat", pa.float64()),
        ("center_lon", pa.float64()),
        ("walk_minutes", pa.int32()),
        ("launched_on", pa.date32()),
    ]),
    "facilities": pa.schema([
        ("facility_id", pa.string()),
        ("category", pa.string()),
        ("name_zh", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("circle_id", pa.string()),        # nullable
        ("opened_on", pa.date32()),        # nullable
    ]),
    "tickets": pa.schema([
        ("ticket_id", pa.string()),
        ("created_at", TS),
        ("street_code", pa.string()),
        ("community_id", pa.string()),     # nullable
        ("category_l1", pa.string()),
        ("category_l2", pa.string()),
        ("channel", pa.string()),
        ("due_at", TS),
        ("contacted_at", TS),              # nullable
        ("closed_at", TS),                 # nullable
        ("callback_valid", pa.bool_()),
        ("contacted", pa.bool_()),
        ("resolved", pa.bool_()),
        ("satisfaction", pa.string()),     # 满意 | 基本满意 | 不满意 | null
        ("lat", pa.float64()),             # WGS-84, nullable
        ("lon", pa.float64()),
        ("caller_key", pa.string()),       # keyed hash, never a phone number; nullable
        ("content", pa.string()),          # free text with phone/ID numbers masked; nullable
    ]),
}

# --- the party-building layer (红墙先锋): organisations, units and counts, never a person ----------------
# Vocabularies (the import accepts these values; the demo uses nothing else).
ORG_LEVELS = ("区", "街道", "社区", "网格", "单位")
ORG_KINDS = ("党委", "党总支", "党支部", "项目党支部", "机关企事业党支部", "两新党组织", "党建协调委员会")
UNIT_KINDS = ("中央单位", "市属单位", "区级部门", "街道科站队所", "企业", "学校", "医院", "社会单位")
COMMITTEE_LEVELS = ("区", "街道", "社区")
PROJECT_ORIGINS = ("需求清单", "资源清单")
PROJECT_STATUSES = ("认领", "实施", "完成", "未完成", "取消")
WHISTLE_LEVELS = ("街道工委", "社区党委", "网格党支部")
WHISTLE_TRIGGERS = ("群众诉求", "重点工作", "综合执法", "应急处置")   # 街道办事处条例 art. 5
RESPONSE_LEVELS = ("区级部门", "街道科站队所", "社会单位")
PROGRAMS = ("为民实事", "重点提升事项", "一号工程", "每月一题")
SOURCES = ("12345", "议事", "走访", "网格", "交办")
ITEM_STATUSES = ("计划", "实施", "完成", "未完成", "取消")
PLATFORMS = ("西城家园", "楼院议事", "楼门院示范点")
OUTCOMES = ("完全赞同", "部分赞同", "未通过")

PARTY_TABLES: dict[str, pa.Schema] = {
    "party_orgs": pa.schema([              # one party organisation (or coordination committee)
        ("org_id", pa.string()),
        ("parent_org_id", pa.string()),    # nullable
        ("name_zh", pa.string()),          # the organisation's name, never a person's
        ("level", pa.string()),            # ORG_LEVELS
        ("kind", pa.string()),             # ORG_KINDS
        ("street_code", pa.string()),      # nullable for district-level organisations
        ("community_id", pa.string()),     # nullable
        ("unit_id", pa.string()),          # nullable: the unit an agency/enterprise branch belongs to
        ("members", pa.int32()),
        ("set_up_on", pa.date32()),
        ("closed_on", pa.date32()),        # nullable
        ("project", pa.string()),          # nullable: the project a 项目党支部 sits on
    ]),
    "units": pa.schema([                   # a stationed unit (驻区单位) or a department
        ("unit_id", pa.string()),
        ("name_zh", pa.string()),
        ("kind", pa.string()),             # UNIT_KINDS
        ("street_code", pa.string()),      # nullable for district-wide departments
    ]),
    "pairings": pa.schema([                # one branch ↔ community pairing (结对共建) over a period
        ("pairing_id", pa.string()),
        ("org_id", pa.string()),
        ("community_id", pa.string()),
        ("street_code", pa.string()),
        ("started_on", pa.date32()),
        ("ended_on", pa.date32()),         # nullable: still active
    ]),
    "pairing_activities": pa.schema([      # activities of one pairing in one quarter
        ("pairing_id", pa.string()),
        ("quarter_start", pa.date32()),    # the first day of the quarter
        ("activities", pa.int32()),
    ]),
    "cobuild_projects": pa.schema([        # one 共建项目
        ("project_id", pa.string()),
        ("title_zh", pa.string()),
        ("unit_id", pa.string()),
        ("committee_level", pa.string()),  # COMMITTEE_LEVELS
        ("street_code", pa.string()),
        ("community_id", pa.string()),     # nullable
        ("origin", pa.string()),           # PROJECT_ORIGINS
        ("category", pa.string()),
        ("planned_start", pa.date32()),
        ("planned_end", pa.date32()),
        ("status", pa.string()),           # PROJECT_STATUSES
        ("done_on", pa.date32()),          # nullable
        ("rating", pa.string()),           # the requesting side's: SATISFACTION_VALUES or null
    ]),
    "whistles": pa.schema([                # one 吹哨
        ("whistle_id", pa.string()),
        ("street_code", pa.string()),
        ("community_id", pa.string()),     # nullable
        ("level", pa.string()),            # WHISTLE_LEVELS: who whistled
        ("trigger", pa.string()),          # WHISTLE_TRIGGERS
        ("source", pa.string()),           # SOURCES: where the matter came from
        ("category_l1", pa.string()),      # the hotline's categories, so whistles meet tickets
        ("category_l2", pa.string()),
        ("lat", pa.float64()),             # nullable
        ("lon", pa.float64()),
        ("whistled_at", TS),
        ("closed_at", TS),                 # nullable: still open
        ("rating", pa.string()),           # the street's rating: SATISFACTION_VALUES or null
    ]),
    "whistle_responses": pa.schema([       # one unit answering one whistle (报到)
        ("response_id", pa.string()),
        ("whistle_id", pa.string()),
        ("unit_id", pa.string()),
        ("unit_level", pa.string()),       # RESPONSE_LEVELS
        ("due_at", TS),
        ("reported_at", TS),               # nullable: not reported yet
        ("done", pa.bool_()),
        ("rating", pa.string()),           # SATISFACTION_VALUES or null
    ]),
    "action_items": pa.schema([            # a 为民实事 / 重点提升事项 / 一号工程 item or a 每月一题 task
        ("item_id", pa.string()),
        ("title_zh", pa.string()),
        ("program", pa.string()),          # PROGRAMS
        ("category", pa.string()),         # the program's own category (e.g. 为民实事's five)
        ("category_l1", pa.string()),      # nullable: the hotline category it addresses
        ("street_code", pa.string()),
        ("community_id", pa.string()),     # nullable
        ("source", pa.string()),           # SOURCES
        ("topic_id", pa.string()),         # nullable: its 每月一题 topic
        ("planned_year", pa.int32()),
        ("started_on", pa.date32()),       # nullable
        ("due_on", pa.date32()),
        ("status", pa.string()),           # ITEM_STATUSES
        ("done_on", pa.date32()),          # nullable
    ]),
    "deliberations": pa.schema([           # one 议事 session
        ("meeting_id", pa.string()),
        ("platform", pa.string()),         # PLATFORMS
        ("street_code", pa.string()),
        ("community_id", pa.string()),     # nullable
        ("held_on", pa.date32()),
        ("category", pa.string()),
        ("attendees", pa.int32()),
        ("outcome", pa.string()),          # OUTCOMES
        ("item_id", pa.string()),          # nullable: the action item it led to
    ]),
}
TABLES.update(PARTY_TABLES)

# 每月一题 topics as data: which ticket categories each month's topic covers (issue 13).
TOPIC_TABLES: dict[str, pa.Schema] = {
    "monthly_topics": pa.schema([          # one row per (topic, ticket category) it covers
        ("topic_id", pa.string()),         # the id action_items.topic_id refers to, e.g. T2025-03-2
        ("year", pa.int32()),
        ("month", pa.int32()),             # 1–12
        ("title_zh", pa.string()),         # the topic's title, e.g. 物业服务质量提升
        ("category_l1", pa.string()),      # a hotline category (level 1) the topic covers
        ("category_l2", pa.string()),      # nullable: every level-2 category of category_l1
    ]),
}
TABLES.update(TOPIC_TABLES)

# Tables a snapshot holds; rollups derived from them are added at publish time.  The party
# layer and the topics are optional data: a snapshot published without them (or before they
# existed) holds them empty.
SOURCE_TABLES = tuple(TABLES)
OPTIONAL_TABLES = (*PARTY_TABLES, *TOPIC_TABLES)


def conform(name: str, df: pd.DataFrame) -> pa.Table:
    """Return `df` as an Arrow table with exactly the columns and types of table `name`.

    Raises ValueError naming the missing columns; extra columns are dropped.
    """
    schema = TABLES[name]
    missing = [f.name for f in schema if f.name not in df.columns]
    if missing:
        raise ValueError(f"table {name}: missing columns {missing}")
    return pa.Table.from_pandas(df[[f.name for f in schema]], schema=schema, preserve_index=False)

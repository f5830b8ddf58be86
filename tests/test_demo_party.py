"""The demo's party-building layer: deterministic, within the schema's vocabularies, whole
(every id resolves, every community lies in its street), calibrated to the district's published
figures on the last day (FACTS.md, "Party-building-led governance"), and tied to the tickets.

The ticket volume does not matter here, so the builds are small; the end month is fixed, so
nothing depends on today's date.
"""
from __future__ import annotations

import time
from datetime import date

import pandas as pd
import pyarrow as pa
import pytest

from dashboard.core import schema
from dashboard.demo import generator as demo
from dashboard.demo.party import party_tables

END = "2025-12"
AS_OF = pd.Timestamp("2025-12-31")
SMALL = dict(seed=11, end=END, years=3, tickets=60_000)
PUBLISHED = dict(orgs=5739, members=129_000, project_branches=1422, committees=279, units=500, projects=1500,
                 pairings=498, communities=263, people_done=2000, key_items=1902)
VOCABULARIES = {
    ("party_orgs", "level"): schema.ORG_LEVELS, ("party_orgs", "kind"): schema.ORG_KINDS,
    ("units", "kind"): schema.UNIT_KINDS,
    ("cobuild_projects", "committee_level"): schema.COMMITTEE_LEVELS,
    ("cobuild_projects", "origin"): schema.PROJECT_ORIGINS, ("cobuild_projects", "status"): schema.PROJECT_STATUSES,
    ("cobuild_projects", "rating"): schema.SATISFACTION_VALUES,
    ("whistles", "level"): schema.WHISTLE_LEVELS, ("whistles", "trigger"): schema.WHISTLE_TRIGGERS,
    ("whistles", "source"): schema.SOURCES, ("whistles", "rating"): schema.SATISFACTION_VALUES,
    ("whistle_responses", "unit_level"): schema.RESPONSE_LEVELS,
    ("whistle_responses", "rating"): schema.SATISFACTION_VALUES,
    ("action_items", "program"): schema.PROGRAMS, ("action_items", "source"): schema.SOURCES,
    ("action_items", "status"): schema.ITEM_STATUSES,
    ("deliberations", "platform"): schema.PLATFORMS, ("deliberations", "outcome"): schema.OUTCOMES,
}
IDS = {"party_orgs": "org_id", "units": "unit_id", "pairings": "pairing_id", "cobuild_projects": "project_id",
       "whistles": "whistle_id", "whistle_responses": "response_id", "action_items": "item_id",
       "deliberations": "meeting_id"}


def _ipc_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def near(value: float, target: float, rel: float = 0.05) -> bool:
    return abs(value / target - 1) <= rel


def rank_corr(a: pd.Series, b: pd.Series) -> float:
    """Spearman's rank correlation (without scipy)."""
    return a.rank().corr(b.rank())


@pytest.fixture(scope="module")
def data():
    return demo.build(**SMALL)


@pytest.fixture(scope="module")
def t(data) -> dict[str, pd.DataFrame]:
    return {name: data.static[name].to_pandas() for name in (*schema.PARTY_TABLES, "communities", "streets")}


@pytest.fixture(scope="module")
def tickets(data) -> pd.DataFrame:
    return pa.concat_tables(data.ticket_batches()).select(["community_id", "category_l1"]).to_pandas()


def active_orgs(orgs: pd.DataFrame, on: pd.Timestamp = AS_OF) -> pd.DataFrame:
    live = (orgs["set_up_on"] <= on.date()) & (orgs["closed_on"].isna() | (orgs["closed_on"] > on.date()))
    return orgs[live]


# --- determinism, schema, vocabularies --------------------------------------------------------

def test_the_nine_tables_are_built_and_conform(data, t):
    for name, s in schema.PARTY_TABLES.items():
        assert data.static[name].schema.equals(s), name
        assert data.static[name].num_rows > 0, name
    for name, column in IDS.items():
        assert t[name][column].is_unique and t[name][column].notna().all(), name


def test_same_arguments_same_bytes_other_seed_other_data(data):
    again = demo.build(**SMALL)
    for name in schema.PARTY_TABLES:
        assert _ipc_bytes(data.static[name]) == _ipc_bytes(again.static[name]), name
    other = demo.build(**{**SMALL, "seed": 12})
    assert not other.static["whistles"].equals(data.static["whistles"])
    assert not other.static["party_orgs"].equals(data.static["party_orgs"])


def test_the_layer_leaves_every_other_table_as_it_was(data, monkeypatch):
    monkeypatch.setattr(demo, "party_tables", lambda *args: {})
    without = demo.build(**SMALL)
    assert set(data.static) - set(without.static) == set(schema.OPTIONAL_TABLES)
    for name, table in without.static.items():
        assert _ipc_bytes(table) == _ipc_bytes(data.static[name]), name
    # the tickets too, but for the planted effect (completed items thin their category: test_demo_effect)
    unplanted = demo.build(**SMALL, planted_effect=0)
    for a, b in zip(without.ticket_batches(), unplanted.ticket_batches(), strict=True):
        assert _ipc_bytes(a) == _ipc_bytes(b)


def test_vocabulary_columns_use_only_the_schema_values(t):
    for (name, column), values in VOCABULARIES.items():
        used = set(t[name][column].dropna())
        assert used <= set(values), (name, column, used - set(values))
    assert set(t["units"]["kind"]) == set(schema.UNIT_KINDS)
    assert set(t["action_items"]["program"]) == set(schema.PROGRAMS)
    assert set(t["whistles"]["trigger"]) == set(schema.WHISTLE_TRIGGERS)
    assert set(t["deliberations"]["platform"]) == set(schema.PLATFORMS)


def test_names_are_organisations_never_people(t):
    assert t["party_orgs"]["name_zh"].is_unique and t["units"]["name_zh"].is_unique
    assert t["party_orgs"]["name_zh"].str.fullmatch(r"[\u4e00-\u9fff]+(党委|工委|党支部|委员会)").all()
    assert t["units"]["name_zh"].str.fullmatch(r"[\u4e00-\u9fff]{4,}").all()
    assert "德胜街道城管执法队" in set(t["units"]["name_zh"])
    assert "北京市西城区市场监督管理局" in set(t["units"]["name_zh"])


# --- referential integrity ------------------------------------------------------------------------

def test_every_id_resolves(t):
    orgs, units = t["party_orgs"], t["units"]
    org_ids, unit_ids = set(orgs["org_id"]), set(units["unit_id"])
    assert set(orgs["parent_org_id"].dropna()) <= org_ids
    assert set(orgs["unit_id"].dropna()) <= unit_ids
    assert set(t["pairings"]["org_id"]) <= org_ids
    assert set(t["pairing_activities"]["pairing_id"]) <= set(t["pairings"]["pairing_id"])
    assert set(t["cobuild_projects"]["unit_id"]) <= unit_ids
    assert set(t["whistle_responses"]["whistle_id"]) == set(t["whistles"]["whistle_id"])
    assert set(t["whistle_responses"]["unit_id"]) <= unit_ids
    assert not t["whistle_responses"].duplicated(["whistle_id", "unit_id"]).any()
    assert set(t["deliberations"]["item_id"].dropna()) <= set(t["action_items"]["item_id"])
    assert t["deliberations"]["item_id"].dropna().is_unique


def test_communities_lie_in_their_streets(t):
    street_of = dict(zip(t["communities"]["community_id"], t["communities"]["street_code"]))
    streets = set(t["streets"]["street_code"])
    for name, table in t.items():
        if name in schema.PARTY_TABLES and "street_code" in table:
            assert set(table["street_code"].dropna()) <= streets, name
            if "community_id" in table:
                placed = table.dropna(subset=["community_id"])
                assert (placed["community_id"].map(street_of) == placed["street_code"]).all(), name


def test_the_hierarchy(t):
    orgs = t["party_orgs"]
    by_id = orgs.set_index("org_id")
    district = orgs[orgs["level"] == "区"]
    assert list(district.loc[district["kind"] == "党委", "name_zh"]) == ["中共北京市西城区委员会"]
    streets = orgs[(orgs["level"] == "街道") & (orgs["kind"] == "党委")]
    communities = orgs[(orgs["level"] == "社区") & (orgs["kind"] == "党委")]
    assert len(streets) == 15 and streets["name_zh"].str.endswith("街道工委").all()
    assert set(streets["parent_org_id"]) == set(district["org_id"][district["kind"] == "党委"])
    assert len(communities) == 263 and communities["community_id"].is_unique
    parents = by_id.loc[communities["parent_org_id"]]
    assert (parents["street_code"].to_numpy() == communities["street_code"].to_numpy()).all()
    grids = orgs[orgs["level"] == "网格"]
    assert set(grids["parent_org_id"]) == set(communities["org_id"])   # every community has grid branches
    tied = orgs[orgs["kind"] == "机关企事业党支部"]
    assert tied["unit_id"].notna().all() and orgs.loc[orgs["kind"] == "两新党组织", "unit_id"].notna().mean() > 0.2
    projects = orgs[orgs["kind"] == "项目党支部"]
    assert projects["project"].notna().all() and orgs.loc[orgs["kind"] != "项目党支部", "project"].isna().all()
    assert projects["project"].str.contains("老旧小区改造").any() and projects["project"].str.contains("街区更新").any()
    assert (orgs["set_up_on"] <= AS_OF.date()).all()
    assert (orgs["closed_on"].dropna() > orgs.loc[orgs["closed_on"].notna(), "set_up_on"]).all()


# --- the published figures ------------------------------------------------------------------------

def published_figures(t, on: pd.Timestamp = AS_OF) -> dict[str, float]:
    """The layer's totals on day `on` (the last day), computed from the built tables."""
    orgs = active_orgs(t["party_orgs"], on)
    committees = orgs["kind"] == "党建协调委员会"
    units, items, pairings = t["units"], t["action_items"], t["pairings"]
    active = pairings[pairings["ended_on"].isna() | (pairings["ended_on"] > on.date())]
    return dict(
        orgs=(~committees).sum(), members=orgs.loc[~committees, "members"].sum(),
        project_branches=(orgs["kind"] == "项目党支部").sum(), committees=committees.sum(),
        units=(~units["kind"].isin(["区级部门", "街道科站队所"])).sum(),
        projects=(pd.to_datetime(t["cobuild_projects"]["planned_start"]).dt.year == on.year).sum(),
        pairings=active["org_id"].nunique(), communities=pairings["community_id"].nunique(),
        people_done=((items["program"] == "为民实事") & (items["status"] == "完成")).sum(),
        key_items=(items["program"] == "重点提升事项").sum(),
    )


def test_totals_match_the_published_figures(t):
    figures = published_figures(t)
    for key, target in PUBLISHED.items():
        assert near(figures[key], target), (key, figures[key], target)
    assert figures["units"] >= 500 and figures["people_done"] >= 2000          # 500+, 2,000+ [S]
    assert figures["communities"] == 263 and figures["committees"] == 279
    committees = active_orgs(t["party_orgs"]).query("kind == '党建协调委员会'")
    assert committees["level"].value_counts().to_dict() == {"社区": 263, "街道": 15, "区": 1}


@pytest.mark.parametrize("kwargs", [dict(seed=3, end="2024-03", years=1, tickets=5_000),
                                    dict(seed=4, end="2026-10", years=2, tickets=5_000)])
def test_totals_hold_for_other_seeds_and_end_months(kwargs):
    data = demo.build(**kwargs)
    t = {name: data.static[name].to_pandas() for name in schema.PARTY_TABLES}
    figures = published_figures(t, pd.Timestamp(data.data_as_of))
    for key, target in PUBLISHED.items():
        assert near(figures[key], target), (kwargs, key, figures[key], target)


def test_programs(t):
    items = t["action_items"]
    people = items[items["program"] == "为民实事"]
    assert people["category"].nunique() == 5 and sorted(people["planned_year"].unique()) == [2023, 2024, 2025]
    per_street = items[items["program"] == "一号工程"].groupby("street_code").size()
    assert len(per_street) == 15 and per_street.between(3, 6).all()
    monthly = items[items["program"] == "每月一题"]
    assert (monthly.groupby("planned_year").size() >= 400).all()                 # Xicheng 2024: 400+ [S]
    assert monthly["topic_id"].notna().all() and items.loc[items["program"] != "每月一题", "topic_id"].isna().all()
    assert monthly.groupby("planned_year")["topic_id"].nunique().loc[2024] == 13   # 2024: 13 problems [S]
    done = items["status"] == "完成"
    assert items.loc[done, "done_on"].notna().all() and items.loc[~done, "done_on"].isna().all()
    assert (items.loc[done, "done_on"] <= AS_OF.date()).all()
    settled = items[(items["program"] != "一号工程") & (items["planned_year"] < 2025)]   # last year's lists have closed
    assert set(settled["status"]) == {"完成", "未完成", "取消"}
    assert set(items.loc[items["program"] == "一号工程", "status"]) <= {"完成", "实施", "取消"}   # a three-year plan


# --- behaviour over time --------------------------------------------------------------------------

def test_projects_slip_near_the_year_end(t):
    p = t["cobuild_projects"]
    closed = p[p["status"].isin(["完成", "未完成"]) & (pd.to_datetime(p["planned_start"]).dt.year < 2025)]
    year_end = pd.to_datetime(closed["planned_end"]).dt.month >= 11
    on_time = closed["done_on"].notna() & (closed["done_on"] <= closed["planned_end"])
    assert on_time[~year_end].mean() > on_time[year_end].mean() + 0.1
    not_done = closed["status"] == "未完成"
    assert not_done[year_end].mean() > 2 * not_done[~year_end].mean()
    assert year_end.mean() > 0.3                                          # they bunch up at the year's end
    assert p.loc[p["rating"].notna(), "status"].eq("完成").all()
    assert 0.6 < p.loc[p["status"] == "完成", "rating"].notna().mean() < 1
    assert set(p["origin"]) == set(schema.PROJECT_ORIGINS) and set(p["committee_level"]) == set(schema.COMMITTEE_LEVELS)


def test_pairings_cover_every_community_and_vary_in_activity(t):
    p, a = t["pairings"], t["pairing_activities"]
    active = p[p["ended_on"].isna()]
    assert active["org_id"].is_unique
    assert 5 <= 263 - active["community_id"].nunique() <= 30                  # some none active right now
    assert 10 <= p["ended_on"].notna().sum() <= 60                          # a few ended pairings
    ended = p[p["ended_on"].notna()]
    assert (ended["ended_on"] > ended["started_on"]).all() and (p["started_on"] <= AS_OF.date()).all()
    kinds = t["party_orgs"].set_index("org_id").loc[p["org_id"], "kind"]
    assert set(kinds) <= {"机关企事业党支部", "两新党组织"}
    rate = a.groupby("pairing_id")["activities"].mean()
    assert (rate < 0.3).mean() >= 0.05 and (rate >= 4).mean() >= 0.05      # dormant pairs and very active ones
    assert pd.to_datetime(a["quarter_start"]).dt.month.isin([1, 4, 7, 10]).all()


def test_whistles_and_reports(t, data):
    w, r = t["whistles"], t["whistle_responses"]
    per_year = w.groupby(pd.to_datetime(w["whistled_at"]).dt.year).size()
    assert per_year.between(300, 2500).all()                                 # an estimate: not published
    assert (r["due_at"] - r.merge(w, on="whistle_id")["whistled_at"] == pd.Timedelta(minutes=30)).all()
    reported = r.dropna(subset=["reported_at"])
    on_time = reported["reported_at"] <= reported["due_at"]
    assert 0.8 <= on_time.mean() <= 0.95                                    # mostly in time
    by_unit = reported.assign(late=~on_time).groupby("unit_id")["late"].agg(["mean", "size"])
    assert (by_unit.loc[by_unit["size"] >= 20, "mean"] > 0.3).sum() >= 2   # habitually late units
    open_ = w[w["closed_at"].isna()]
    assert len(open_) > 0 and (open_["whistled_at"] >= AS_OF - pd.Timedelta(days=60)).mean() > 0.5
    assert (w["closed_at"].dropna() > w.loc[w["closed_at"].notna(), "whistled_at"]).all()
    kinds = r.merge(t["units"], on="unit_id")
    assert (kinds.loc[kinds["kind"] == "区级部门", "unit_level"] == "区级部门").all()
    assert (kinds.loc[kinds["kind"] == "街道科站队所", "unit_level"] == "街道科站队所").all()
    stations = kinds[kinds["kind"] == "街道科站队所"].merge(w[["whistle_id", "street_code"]], on="whistle_id")
    assert (stations["street_code_x"] == stations["street_code_y"]).all()  # a street's own 科站队所
    # streets differ: whistles per 1,000 tickets
    tickets = pa.concat_tables(data.ticket_batches()).group_by("street_code").aggregate([("ticket_id", "count")])
    intensity = w.groupby("street_code").size() / tickets.to_pandas().set_index("street_code")["ticket_id_count"]
    assert intensity.max() > 3 * intensity.min()


def test_items_and_whistles_follow_the_tickets(t, tickets):
    items, whistles = t["action_items"], t["whistles"]
    by_category = tickets["category_l1"].value_counts()
    assert set(items["category_l1"].dropna()) <= set(by_category.index)
    assert set(whistles["category_l1"]) <= set(by_category.index)
    item_counts = items["category_l1"].value_counts().reindex(by_category.index, fill_value=0)
    median_category = by_category.index[len(by_category) // 2]
    assert item_counts[by_category.index[0]] > item_counts[median_category]
    assert rank_corr(item_counts, by_category) > 0.8
    per_community = tickets["community_id"].value_counts()
    items_per = items["community_id"].value_counts().reindex(per_community.index, fill_value=0)
    assert rank_corr(items_per, per_community) > 0.5
    whistles_per = whistles["category_l1"].value_counts().reindex(by_category.index, fill_value=0)
    assert rank_corr(whistles_per, by_category) > 0.7


def test_deliberations(t):
    d, items = t["deliberations"], t["action_items"]
    from_talks = items[items["source"] == "议事"]
    assert from_talks["item_id"].isin(d["item_id"]).mean() > 0.8             # mostly with their session
    linked = d.dropna(subset=["item_id"]).merge(items, on="item_id", suffixes=("", "_item"))
    assert (linked["source"] == "议事").all() and (linked["street_code"] == linked["street_code_item"]).all()
    started = linked.dropna(subset=["started_on"])
    assert (started["held_on"] < started["started_on"]).all()
    assert (linked["outcome"] != "未通过").all()
    assert 0.02 < d["item_id"].notna().mean() < 0.3                          # 议事转化率
    assert d.loc[d["platform"] == "楼门院示范点", "community_id"].nunique() <= 26  # 26 示范点 [S]
    assert (d["attendees"] > 0).all() and (d["held_on"] <= AS_OF.date()).all()
    per_year = d.groupby(pd.to_datetime(d["held_on"]).dt.year).size()
    assert (per_year.loc[[2023, 2024, 2025]] > 2000).all()


def test_the_layer_is_quick(data):
    streets = data.static["streets"].to_pandas()
    communities = data.static["communities"].to_pandas()
    start = time.perf_counter()
    party_tables(SMALL["seed"], date(2025, 12, 31), streets, communities, data._plan)
    assert time.perf_counter() - start < 3.0

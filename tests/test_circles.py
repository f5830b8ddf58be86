"""便民生活圈: completeness, coverage, gaps and the before/after comparison, worked out by hand.

The unit tests build tiny tables in local metres (geo.from_local_m around the projection
centre, where a metre is a metre to well under 0.1 %), so every distance is read off the
coordinates.  Radii at 80 m/min ÷ 1.3: 5 min 307.7 m, 8 min 492.3 m, 10 min 615.4 m,
15 min 923.1 m; at directness 1.0: 400, 640, 800 and 1200 m.
The page tests run on fixture_data.build_circles (see its docstrings for the distances).
"""
import json
import math
from datetime import date

import fixture_data
import pandas as pd
import pydeck as pdk
import pytest
from test_app import html_table as table
from test_app import metric, open_page

from dashboard.core import geo
from dashboard.render import circle_maps, maps
from dashboard.store import query, snapshot
from dashboard.views import circle_analysis as ca
from dashboard.views import circle_tables as ct
from dashboard.views import circles as circles_view

WALK = {"m_per_min": 80.0, "directness": 1.3}


def at_m(x: float, y: float) -> tuple[float, float]:
    """(lat, lon) of a point x m east and y m north of the projection centre."""
    lon, lat = geo.from_local_m(x, y)
    return float(lat), float(lon)


def circles_table() -> pd.DataFrame:
    """A at the origin, launched 2024-04-10; B 3 km east, launched 2024-09-01; both 10 minutes."""
    rows = []
    for cid, x, launched in (("A", 0, date(2024, 4, 10)), ("B", 3000, date(2024, 9, 1))):
        lat, lon = at_m(x, 0)
        rows.append(dict(circle_id=cid, name_zh=f"{cid}圈", street_code="S1" if cid == "A" else "S2",
                         center_lat=lat, center_lon=lon, walk_minutes=10, launched_on=launched))
    return pd.DataFrame(rows)


def facilities_table() -> pd.DataFrame:
    """Around A: 便利店 200 m, 美容美发 100 m, 早餐 400 m, 蔬菜零售 450 m, 洗染 470 m, 末端配送
    300 m, 药店 600 m (outside 8 min), 家政 700 m, 综合超市 900 m, 便民维修 950 m (outside 15 min).
    Around B: only a 便利店 350 m away (outside 5 min).  At c3 (−2000, 0): all ten, 50 m north."""
    spots = [("便利店", 200, 0), ("美容美发", 100, 0), ("早餐", 0, 400), ("蔬菜零售", 0, -450), ("洗染", -470, 0),
             ("末端配送", 0, 300), ("药店", 600, 0), ("家政", 700, 0), ("综合超市", 0, 900), ("便民维修", -950, 0),
             ("便利店", 3350, 0)]
    spots += [(cat, -2000, 50) for cat in ca.CATEGORIES]
    return pd.DataFrame([dict(facility_id=f"F{i}", category=cat, name_zh=f"{cat}{i}", lat=at_m(x, y)[0],
                              lon=at_m(x, y)[1]) for i, (cat, x, y) in enumerate(spots)])


def communities_table() -> pd.DataFrame:
    """c1 at A's centre (1,000 people), c2 at B's centre (3,000), c3 at (−2000, 0) (2,000)."""
    rows = [("c1", "S1", 0, 1000), ("c2", "S2", 3000, 3000), ("c3", "S1", -2000, 2000)]
    return pd.DataFrame([dict(community_id=c, name_zh=f"{c}社区", street_code=s, lat=at_m(x, 0)[0],
                              lon=at_m(x, 0)[1], population=p) for c, s, x, p in rows])


def circle_reach(directness=1.3):
    return ca.reach(circles_table(), facilities_table(), id_col="circle_id", lat_col="center_lat",
                    lon_col="center_lon", m_per_min=80.0, directness=directness)


# --- completeness ---------------------------------------------------------------------------------

def test_tiers_cover_the_ten_categories():
    assert set(ca.CATEGORIES) == {"蔬菜零售", "便利店", "早餐", "家政", "美容美发", "末端配送", "便民维修", "洗染",
                                  "综合超市", "药店"}
    assert ca.TIER_MINUTES["便利店"] == 5 and ca.TIER_MINUTES["综合超市"] == 15 and ca.TIER_MINUTES["药店"] == 8
    assert ca.tier_radii(80, 1.3)["早餐"] == pytest.approx(8 * 80 / 1.3)        # 492.3 m


def test_completeness_by_hand():
    comp = ca.completeness(circles_table(), circle_reach())
    assert comp["circle_id"].tolist() == ["A", "B"]
    a, b = comp.iloc[0], comp.iloc[1]
    # A: 药店 600 m > 492 m and 便民维修 950 m > 923 m are missing; the other 8 are within tier
    assert a["score"] == 8 and a["share"] == pytest.approx(0.8)
    assert a["missing"] == ("药店", "便民维修") and a["missing_text"] == "药店、便民维修"
    # B: its only 便利店 is 350 m away (> 308 m); A's shops are ≥ 2.3 km away
    assert b["score"] == 0 and len(b["missing"]) == 10
    assert comp["rank"].tolist() == [1, 2]


def test_a_facility_counts_only_within_its_tier():
    r = circle_reach().set_index(["circle_id", "category"])
    assert r.loc[("A", "便利店"), "distance_m"] == pytest.approx(200, abs=0.5)
    assert r.loc[("A", "便利店"), "minutes"] == pytest.approx(200 * 1.3 / 80, abs=0.01)     # 3.25 min
    assert not r.loc[("B", "便利店"), "reached"]                       # 350 m > 307.7 m
    assert r.loc[("B", "便利店"), "minutes"] == pytest.approx(350 * 1.3 / 80, abs=0.01)     # 5.69 min > 5
    assert r.loc[("A", "家政"), "reached"] and r.loc[("A", "家政"), "within"] == 1            # 700 m ≤ 923 m


def test_directness_is_configurable():
    # straight line = walk (directness 1.0): radii 400 / 640 / 1200 m, so 药店 600 m and 便民维修 950 m
    # count for A, and B's 便利店 at 350 m counts too
    comp = ca.completeness(circles_table(), circle_reach(directness=1.0)).set_index("circle_id")
    assert comp.loc["A", "score"] == 10 and comp.loc["A", "missing_text"] == "—"
    assert comp.loc["B", "score"] == 1


# --- coverage and gaps ----------------------------------------------------------------------------------

def community_reach():
    return ca.reach(communities_table(), facilities_table(), id_col="community_id", **WALK)


def test_coverage_by_hand():
    comms = communities_table()
    access = ca.community_access(comms, community_reach()).set_index("community_id")
    # c1 sits at A's centre: the same two gaps; c2 lacks everything; c3 has all ten 50 m away
    assert access.loc["c1", "missing"] == ("药店", "便民维修")
    assert access.loc["c2", "score"] == 0
    assert access.loc["c3", "covered_all"]
    total = ca.coverage(access.reset_index(), by=None).iloc[0]
    assert total["residents"] == 6000 and total["covered_residents"] == 2000
    assert total["share"] == pytest.approx(1 / 3) and total["gap_communities"] == 2
    by_street = ca.coverage(access.reset_index()).set_index("street_code")
    assert by_street.loc["S1", "share"] == pytest.approx(2000 / 3000)      # c3 of c1 + c3
    assert by_street.loc["S2", "share"] == 0


def test_category_coverage_and_gap_list_by_hand():
    comms = communities_table()
    cat = ca.category_coverage(comms, community_reach()).set_index("category")
    # 便利店: c1 (200 m) and c3 reach it, c2 (350 m) does not → 3,000 of 6,000
    assert cat.loc["便利店", "share"] == pytest.approx(0.5)
    # 药店 and 便民维修: only c3 → lacking c1 + c2 = 4,000 residents in 2 communities
    assert cat.loc["药店", "lacking_residents"] == 4000 and cat.loc["便民维修", "lacking_communities"] == 2
    assert cat.loc["早餐", "lacking_residents"] == 3000
    top = ca.top_gap(cat.reset_index())
    assert top["category"] == "药店" and top["lacking_residents"] == 4000   # tie with 便民维修: tier order
    gaps = ca.gaps(comms, community_reach())
    assert len(gaps) == 12                                                  # c2 × 10 + c1 × 2
    assert gaps["community_id"].tolist() == ["c2"] * 10 + ["c1"] * 2        # most residents first
    assert gaps["population"].iloc[0] == 3000
    assert gaps.iloc[10:]["category"].tolist() == ["药店", "便民维修"]
    table = ct.gaps_table(gaps)
    assert table.columns[:4].tolist() == ["社区", "街道", "受影响居民", "缺少业态"]


def test_gap_summary_for_the_briefing():
    summary = circles_view.assess(circles_table(), facilities_table(), communities_table(), **WALK).summary
    assert summary["circles"] == 2 and summary["complete_circles"] == 0
    assert summary["worst_circle"]["circle_id"] == "B" and summary["worst_circle"]["score"] == 0
    assert summary["covered_share"] == pytest.approx(1 / 3)
    assert summary["top_gap"] == {"category": "药店", "tier_minutes": 8, "residents": 4000, "communities": 2}
    assert "33.3%" in summary["headline"] and "药店" in summary["headline"]
    # the page builds the same dict from the frames it already has
    comms, reach_c = communities_table(), community_reach()
    assert ct.summarise_gaps(ca.completeness(circles_table(), circle_reach()), ca.community_access(comms, reach_c),
                             ca.category_coverage(comms, reach_c)) == summary
    empty = circles_view.assess(circles_table().iloc[0:0], facilities_table(), communities_table().iloc[0:0], **WALK).summary
    assert empty["worst_circle"] is None and empty["top_gap"] is None and math.isnan(empty["covered_share"])


def test_no_facilities_at_all_means_every_category_missing():
    r = ca.reach(communities_table(), facilities_table().iloc[0:0], id_col="community_id", **WALK)
    assert len(r) == 30 and not r["reached"].any() and (r["minutes"] == float("inf")).all()


# --- catchments, inside/outside -------------------------------------------------------------------------

def test_catchments_and_inside_outside():
    pairs = ca.catchment_pairs(communities_table(), circles_table(), **WALK)
    assert sorted(zip(pairs["community_id"], pairs["circle_id"])) == [("c1", "A"), ("c2", "B")]
    tickets = pd.DataFrame({"community_id": ["c1", "c2", "c3"], "tickets": [10, 30, 10]})
    # by the end of 2024 both circles are up: inside c1 + c2 (40 tickets / 4,000), outside c3 (10 / 2,000)
    live = ca.launched_by(circles_table(), date(2024, 12, 31))
    io = ca.inside_outside(communities_table(), ca.catchment_pairs(communities_table(), live, **WALK)["community_id"],
                           tickets)
    assert io.loc["inside", "per_1k"] == pytest.approx(10.0) and io.loc["outside", "per_1k"] == pytest.approx(5.0)
    # at the end of June 2024 only A is: inside c1 (10 / 1,000), outside c2 + c3 (40 / 5,000)
    live = ca.launched_by(circles_table(), date(2024, 6, 30))
    assert live["circle_id"].tolist() == ["A"]
    io = ca.inside_outside(communities_table(), ca.catchment_pairs(communities_table(), live, **WALK)["community_id"],
                           tickets)
    assert io.loc["inside", "per_1k"] == pytest.approx(10.0) and io.loc["outside", "per_1k"] == pytest.approx(8.0)


def test_service_filter_intersects_the_shared_category_filter():
    cats = {"市场管理": ["消费纠纷", "预付卡退费"], "公共服务": ["燃气问题", "便民网点"], "养老助餐": ["老年餐桌"],
            "供暖": ["室温不达标"]}
    assert ca.service_filter(cats) == (["市场管理", "公共服务", "养老助餐"],
                                       ["消费纠纷", "预付卡退费", "便民网点", "老年餐桌"])
    assert ca.service_filter(cats, ["供暖"]) is None                     # nothing left: never query with []
    assert ca.service_filter(cats, (), ["便民网点", "燃气问题"]) == (["公共服务"], ["便民网点"])


def test_full_months():
    assert ca.full_months(date(2023, 9, 1), date(2024, 10, 31)) == (date(2023, 9, 1), date(2024, 10, 1))
    assert ca.full_months(date(2023, 9, 5), date(2024, 10, 30)) == (date(2023, 10, 1), date(2024, 9, 1))
    assert ca.full_months(date(2024, 3, 5), date(2024, 3, 20)) is None


# --- before / after --------------------------------------------------------------------------------------

def monthly_table(scale: float = 1.0) -> pd.DataFrame:
    """c1 (treated by A): 20 a month before April 2024, 10 after, 100 in April itself and 999 in
    September 2023 (both outside A's windows); c3 (the control): 40 every month; c2 (inside B, so
    neither treated by A nor a control): 500 a month.  `scale` multiplies every count."""
    months = pd.date_range("2023-09-01", "2024-10-01", freq="MS")
    rows = []
    for m in months:
        c1 = 999 if m == pd.Timestamp("2023-09-01") else 100 if m == pd.Timestamp("2024-04-01") else (
            20 if m < pd.Timestamp("2024-04-01") else 10)
        rows += [("c1", m, c1), ("c2", m, 500), ("c3", m, 40)]
    df = pd.DataFrame(rows, columns=["community_id", "month", "tickets"])
    df["tickets"] = (df["tickets"] * scale).round().astype(int)
    return df


def run_did(monthly, **kw):
    return ca.did(circles_table(), communities_table(), monthly, first_month=date(2023, 9, 1),
                  last_month=date(2024, 10, 1), **WALK, **kw).set_index("circle_id")


def test_did_by_hand():
    d = run_did(monthly_table())
    a = d.loc["A"]
    # windows: 2023-10 … 2024-03 before, 2024-05 … 2024-10 after (April, the launch month, left out)
    assert a["pre_start"] == date(2023, 10, 1) and a["post_end"] == date(2024, 10, 1)
    assert a["treated_pre_n"] == 120 and a["treated_post_n"] == 60 and a["control_pre_n"] == 240
    # per 1,000 residents per month: inside 120/1000/6×1000 = 20 → 10; outside 240/2000/6×1000 = 20 → 20
    assert (a["treated_pre"], a["treated_post"], a["control_pre"], a["control_post"]) == pytest.approx((20, 10, 20, 20))
    assert a["did"] == pytest.approx(-10.0)
    # se = 1000/6 × √(180/1000² + 480/2000²) = 166.67 × √0.0003 = 2.887; |−10| > 2 × 2.887
    assert a["se"] == pytest.approx(1000 / 6 * math.sqrt(180 / 1000 ** 2 + 480 / 2000 ** 2))
    assert a["se"] == pytest.approx(2.887, abs=0.001)
    assert a["status"] == "down" and a["verdict"] == "投用后相对下降"
    # B launched 2024-09: its after-window runs to 2025-03, past the data's last month 2024-10
    assert d.loc["B", "status"] == "outside_data" and math.isnan(d.loc["B", "did"])
    pooled = ca.pooled_did(d.reset_index())
    assert pooled["circles"] == 1 and pooled["did"] == pytest.approx(-10.0) and pooled["status"] == "down"
    assert "明显下降" in ct.did_sentence(pooled)


def test_did_too_small_and_noise():
    small = monthly_table(scale=0.1)        # c1: 2 then 1 a month; c3: 4 a month
    d = run_did(small)
    # 12 + 6 = 18 tickets inside: fewer than 30 → no verdict
    assert d.loc["A", "treated_pre_n"] + d.loc["A", "treated_post_n"] == 18
    assert d.loc["A", "status"] == "too_small"
    # with the threshold at 10: DiD = (1 − 2) − (2 − 2) = −1, se = 166.67 × √(18/1000² + 48/2000²) = 0.913;
    # |−1| < 2 × 0.913, so it is within the noise
    d = run_did(small, min_tickets=10)
    assert d.loc["A", "did"] == pytest.approx(-1.0) and d.loc["A", "se"] == pytest.approx(0.9129, abs=1e-4)
    assert d.loc["A", "status"] == "noise"
    assert "随机波动" in ct.did_sentence(ca.pooled_did(d.reset_index(), min_tickets=10))
    assert ca.pooled_did(run_did(small.iloc[0:0]).reset_index())["status"] == "too_small"
    assert "没有可评估" in ct.did_sentence(None)


# --- queries and map on the circles fixture ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def circles_data(tmp_path_factory):
    d = tmp_path_factory.mktemp("circles-data")
    fixture_data.build_circles(d)
    return d


def test_service_queries(circles_data):
    info = snapshot.current(circles_data)
    cats, subs = ca.service_filter({"市场管理": ["消费纠纷", "预付卡退费"], "公共服务": ["便民网点"],
                                    "养老助餐": ["老年餐桌"], "供暖": ["室温不达标"]})
    march = query.run("circle_service_tickets", snapshot=info, start=date(2024, 3, 1), end=date(2024, 3, 31),
                      categories=cats, subs=subs).set_index("community_id")["tickets"].to_dict()
    assert march == {"110102010001": 5, "110102010002": 8, "110102012001": 4, "110102012002": 4}
    monthly = query.run("circle_service_monthly", snapshot=info, start=date(2023, 9, 1), end=date(2024, 9, 30),
                        categories=cats, subs=subs)
    assert monthly["tickets"].sum() == 297                     # 307 tickets less the 10 供暖
    may = monthly[(monthly["community_id"] == "110102010001") & (monthly["month"] == pd.Timestamp("2024-05-01"))]
    assert may["tickets"].tolist() == [4]
    assert len(query.run("circle_facilities", snapshot=info)) == 20
    assert query.run("circle_communities", snapshot=info)["street_short"].tolist() == ["德胜", "德胜", "什刹海", "什刹海"]


def test_map_deck_is_offline_and_labelled(circles_data):
    info = snapshot.current(circles_data)
    streets = query.run("streets", snapshot=info)
    circles = query.run("circles", snapshot=info, streets=[])
    facilities = query.run("circle_facilities", snapshot=info)
    comms = query.run("circle_communities", snapshot=info)
    c_reach = ca.reach(circles, facilities, id_col="circle_id", lat_col="center_lat", lon_col="center_lon", **WALK)
    access = ca.community_access(comms, ca.reach(comms, facilities, id_col="community_id", **WALK))
    radius = {m: geo.walk_radius_m(m, **WALK) for m in (5, 8, 10, 15)}
    deck = circle_maps.circle_map(streets, ca.completeness(circles, c_reach), access, facilities, radius_m=radius,
                                  kinds=("药店", "洗染"), street_names={"110102010": "德胜街道"}, reach_m=radius[15])
    spec = json.loads(deck.to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert list(layers) == ["streets", "catchments", "communities", "facilities_0", "facilities_1", "street_labels",
                            "circle_labels"]
    assert layers["catchments"]["radiusUnits"] == "meters"           # a literal: given quoted, not an accessor
    assert layers["catchments"]["data"][0]["radius_m"] == pytest.approx(615.4, abs=0.1)
    # 药店 ×2 and 洗染 ×2 of the 20, one layer per category in its colour (sorted: 洗染 before 药店)
    assert [len(layers[f"facilities_{i}"]["data"]) for i in (0, 1)] == [2, 2]
    assert [layers[f"facilities_{i}"]["getFillColor"] for i in (0, 1)] == [
        circle_maps.rgb(circle_maps.CATEGORY_COLOURS[c], 235) for c in ("洗染", "药店")]
    assert set("德胜门") <= set(layers["circle_labels"]["characterSet"])
    assert spec.get("mapProvider") is None
    assert "缺：药店、洗染" in layers["catchments"]["data"][0]["tip"]
    legend = circle_maps.legend_html({"药店": 2}, ca.TIER_MINUTES)
    assert "药店" in legend and "8分·2" in legend
    # the C-encoder path writes what pydeck's own (indented, ASCII-escaped) JSON holds, rounded and compact
    via_pydeck = json.dumps(maps._rounded(json.loads(pdk.Deck.to_json(deck))), separators=(",", ":"),
                            ensure_ascii=False)
    assert deck.to_json() == via_pydeck and "德胜门" in via_pydeck


# --- the page (AppTest) -------------------------------------------------------------------------------------

def open_circles(data_dir, monkeypatch, **params):
    return open_page(data_dir, monkeypatch, "pages/circles.py", **params)


def test_page_values(circles_data, monkeypatch):
    at = open_circles(circles_data, monkeypatch, **{"from": "2024-03", "to": "2024-03"})
    assert not at.error
    comp = table(at, "业态得分")
    assert comp["生活圈"].tolist() == ["德胜门"]
    assert comp["业态得分"].tolist() == ["8 / 10"] and comp["缺项"].tolist() == ["药店、洗染"]
    # coverage: only 鼓楼苑 (3,000 of 10,000) reaches all ten
    assert metric(at, "十类业态全覆盖的居民").value == "30.0%"
    assert metric(at, "有缺项的社区").value == "3 / 4"
    assert metric(at, "缺口最大的业态").value == "洗染"          # lacking at 德胜里, 新康, 西海: 7,000
    streets = table(at, "全覆盖占比").set_index("街道")["全覆盖占比"]
    assert streets["德胜街道"] == "0.0%" and streets["什刹海街道"] == "75.0%"
    cats = table(at, "可达居民占比").set_index("业态")
    assert cats.loc["洗染", "缺少的居民"] == "7,000" and cats.loc["便利店", "可达居民占比"] == "50.0%"
    gaps = table(at, "缺少业态")
    # 新康 (4,000) lacks 7, 德胜里 (2,000) 2, 西海 (1,000) 6: the ten most residents shown, all fifteen one tap away
    assert gaps["社区"].tolist() == ["新康社区"] * 7 + ["德胜里社区"] * 2 + ["西海社区"]
    assert gaps["缺少业态"].iloc[:7].tolist() == ["便利店", "早餐", "蔬菜零售", "药店", "洗染", "美容美发", "综合超市"]
    assert gaps["受影响居民"].iloc[0] == "4,000"
    assert at.expander(key="circles_gaps_all").label == "查看全部 15 项缺口" and not at.dataframe
    # March 2024 (C01 launched on the 1st): inside 德胜里 5 / 2,000; outside 16 / 8,000
    assert metric(at, "圈内 每千人").value == "2.50" and metric(at, "圈外 每千人").value == "2.00"
    # before/after: inside 60 → 24 tickets over 6 months (5.0 → 2.0 per 1,000 a month), outside 2.0 → 2.0
    assert metric(at, "净变化").value == "-3.00"
    did = table(at, "净变化").iloc[0]
    assert (did["圈内建前"], did["圈内建后"], did["圈外建前"], did["圈外建后"]) == ("5.00", "2.00", "2.00", "2.00")
    assert did["结论"] == "投用后相对下降" and did["对比窗口"] == "2023-09～2024-09" and did["生活圈"] == "德胜门"
    assert any("明显下降" in s.value for s in at.success)
    assert any(m.value.startswith("**要点：**") and "30.0%" in m.value for m in at.markdown)   # the headline
    assert any(b.label.startswith("下载CSV（15行）") for b in at.get("download_button"))


def test_page_sections_are_worked_out_once_per_view(circles_data, monkeypatch):
    calls = []
    real = circles_view.page
    monkeypatch.setattr(circles_view, "page", lambda ctx: calls.append(ctx.state) or real(ctx))
    at = open_circles(circles_data, monkeypatch, **{"from": "2024-04", "to": "2024-04"})
    shown = [metric(at, label).value for label in ("十类业态全覆盖的居民", "圈内 每千人", "净变化")]
    at.run()                                      # the same view again: the cached sections, the same numbers
    assert [metric(at, label).value for label in ("十类业态全覆盖的居民", "圈内 每千人", "净变化")] == shown
    assert shown[0] == "30.0%" and len(calls) == 1


def test_page_focus_and_street_filter(circles_data, monkeypatch):
    at = open_circles(circles_data, monkeypatch, circle="德胜门便民生活圈")
    detail = table(at, "达标").set_index("业态")
    assert detail.loc["洗染", "达标"] == "✗ 缺" and detail.loc["便利店", "时限内设施"] == "1"
    assert detail.loc["洗染", "最近(分钟)"] == "8.3"                  # 512 m × 1.3 ÷ 80 m/min
    at = open_circles(circles_data, monkeypatch, street="什刹海")
    assert any("没有便民生活圈" in i.value for i in at.info)
    assert metric(at, "十类业态全覆盖的居民").value == "75.0%"
    assert table(at, "缺少业态")["社区"].unique().tolist() == ["西海社区"]


def test_page_with_a_category_outside_livelihood_services(circles_data, monkeypatch):
    at = open_circles(circles_data, monkeypatch, category="供暖")
    assert any("不含生活服务类诉求" in i.value for i in at.info)


def test_page_on_one_street_one_month(tmp_path, monkeypatch):
    fixture_data.build(tmp_path, one_street=True)
    at = open_circles(tmp_path, monkeypatch)
    assert not at.error
    assert table(at, "业态得分")["业态得分"].tolist() == ["2 / 10"]       # the base fixture: 便利店 and 早餐
    assert any("快照中没有生活服务类诉求" in i.value for i in at.info)   # its tickets are heating and noise


def test_page_shows_an_empty_state(fixture_dir, monkeypatch):
    # the base fixture holds no 生活服务 tickets at all; the map, completeness and coverage still show
    at = open_circles(fixture_dir, monkeypatch, **{"from": "2023-01", "to": "2023-01"})
    assert any("快照中没有生活服务类诉求" in i.value for i in at.info)
    assert table(at, "业态得分")["业态得分"].tolist() == ["2 / 10"]


def test_page_with_no_tickets_in_the_window(circles_data, monkeypatch):
    at = open_circles(circles_data, monkeypatch, **{"from": "2023-01", "to": "2023-01"})
    assert any("没有生活服务类诉求" in i.value for i in at.info)
    assert metric(at, "净变化").value == "-3.00"            # the before/after uses the whole data range

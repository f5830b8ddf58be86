"""The demo generator: determinism, schema, and every realism promise checked on the data.

Most checks run on one module-scoped default-volume build with a fixed end month (three
calendar years, 2023–2025), so they do not depend on today's date; determinism and
scaling use small builds.
"""
from __future__ import annotations

import itertools
import re
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import shapely

from dashboard.core import geo, reference, schema
from dashboard.demo import generator as demo

END = "2025-12"
SMALL = dict(seed=7, end="2025-06", years=1, tickets=30_000)
LUNAR_NEW_YEARS = ("2023-01-22", "2024-02-10", "2025-01-29")
OLD_CITY_L1 = {"物业管理", "供暖", "房屋修缮", "噪声扰民", "停车交通", "市容环卫", "违法建设", "施工扰民",
               "供水排水", "电动自行车", "市场管理", "养老助餐", "公共服务", "社会秩序"}
FACILITY_CATEGORIES = {"蔬菜零售", "便利店", "早餐", "家政", "美容美发", "末端配送", "便民维修", "洗染",
                       "综合超市", "药店"}
VALID = "callback_valid"
SAT_RATE = "(count(*) filter (where callback_valid and satisfaction = '满意') " \
           "+ 0.9 * count(*) filter (where callback_valid and satisfaction = '基本满意')) " \
           "/ count(*) filter (where callback_valid)"
RES_RATE = "count(*) filter (where callback_valid and resolved) / count(*) filter (where callback_valid)"
RESP_RATE = "count(*) filter (where callback_valid and contacted) / count(*) filter (where callback_valid)"


def _ipc_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


@pytest.fixture(scope="module")
def small():
    data = demo.build(**SMALL)
    return data, list(data.ticket_batches())


@pytest.fixture(scope="module")
def full():
    data = demo.build(end=END)
    return data, pa.concat_tables(data.ticket_batches())


@pytest.fixture(scope="module")
def db(full):
    data, tickets = full
    con = duckdb.connect()
    con.register("t", tickets)
    for name, table in data.static.items():
        con.register(name, table)
    return con


def q(con, sql: str) -> pd.DataFrame:
    return con.sql(sql).df()


def street_polygons(data) -> dict[str, shapely.Polygon]:
    s = data.static["streets"].to_pandas()
    return {code: shapely.from_geojson(g) for code, g in zip(s["street_code"], s["geometry_geojson"])}


def street_month_rates(con) -> pd.DataFrame:
    return q(con, f"""select street_code, date_trunc('month', created_at) as m,
                             {RESP_RATE} as resp, {RES_RATE} as res, {SAT_RATE} as sat
                      from t group by all""")


# --- API, determinism, schema ----------------------------------------------------------------

def test_default_end_is_last_complete_month():
    assert demo.default_end(date(2026, 11, 26)) == "2026-10"
    assert demo.default_end(date(2025, 1, 1)) == "2024-12"


@pytest.mark.parametrize("kwargs", [dict(end="2024-13"), dict(end="2024-1"), dict(years=0),
                                    dict(tickets=0), dict(end="2022-06")])
def test_bad_arguments_are_refused(kwargs):
    with pytest.raises(ValueError):
        demo.build(**{"end": "2024-12", **kwargs})


def test_same_arguments_same_bytes(small):
    data, batches = small
    again = demo.build(**SMALL)
    for name, table in data.static.items():
        assert _ipc_bytes(table) == _ipc_bytes(again.static[name]), name
    for a, b in itertools.zip_longest(batches, again.ticket_batches()):
        assert _ipc_bytes(a) == _ipc_bytes(b)
    # the iterator is re-runnable on the same object
    assert _ipc_bytes(next(data.ticket_batches())) == _ipc_bytes(batches[0])


def test_other_seed_other_data(small):
    data, batches = small
    other = demo.build(**{**SMALL, "seed": 8})
    assert not other.static["communities"].equals(data.static["communities"])
    assert not next(other.ticket_batches()).equals(batches[0])
    assert other.static["streets"].equals(data.static["streets"])  # real figures, no randomness


def test_meta_and_data_as_of(small):
    data, _ = small
    assert data.data_as_of == date(2025, 6, 30)
    assert data.meta["seed"] == 7 and data.meta["end"] == "2025-06" and data.meta["years"] == 1
    assert data.meta["tickets"] == 30_000 and data.meta["generator_version"] == demo.GENERATOR_VERSION
    assert data.meta["target_tickets"] == pytest.approx(30_000, rel=0.01)


def test_tables_conform_and_batches_are_ordered(small):
    data, batches = small
    for name, table in data.static.items():
        assert table.schema.equals(schema.TABLES[name]), name
    assert len(batches) == 12
    previous_end = None
    for batch in batches:
        assert batch.schema.equals(schema.TABLES["tickets"])
        created = batch.column("created_at").to_numpy()
        assert (np.diff(created) >= np.timedelta64(0)).all()
        assert previous_end is None or created[0] >= previous_end
        previous_end = created[-1]
    first = batches[0].column("created_at")[0].as_py()
    assert (first.year, first.month) == (2024, 7) and previous_end < np.datetime64("2025-07-01")


def test_tickets_scale_to_the_requested_volume(small):
    _, batches = small
    assert sum(b.num_rows for b in batches) == pytest.approx(SMALL["tickets"], rel=0.05)


# --- static tables ---------------------------------------------------------------------------

def test_streets_are_the_real_fifteen_with_schematic_cells(full):
    data, _ = full
    streets = data.static["streets"].to_pandas()
    ref = reference.load_streets()
    assert list(streets["street_code"]) == list(ref["street_code"])
    assert list(streets["name_zh"]) == list(ref["name_zh"]) and "西长安街街道" in set(streets["name_zh"])
    assert (streets["population"] == ref["population_2020"]).all()
    assert streets["population"].sum() == 1_106_214  # 7th census [S]
    assert set(streets["boundary_kind"]) == {"schematic"}
    polys = street_polygons(data)
    for s in streets.itertuples():
        assert polys[s.street_code].is_valid
        assert geo.area_km2(polys[s.street_code]) == pytest.approx(s.area_km2, rel=0.25)
    outline = geo.district_outline()
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(polys.values(), 2))
    assert overlap / outline.area < 1e-9
    assert shapely.union_all(list(polys.values())).symmetric_difference(outline).area / outline.area < 1e-4


def test_communities(full):
    data, _ = full
    com = data.static["communities"].to_pandas()
    ref = reference.load_streets().set_index("street_code").sort_index()
    assert len(com) == 263
    assert (com.groupby("street_code").size() == ref["communities"]).all()
    assert com["community_id"].is_unique
    assert all(re.fullmatch(r"\d{12}", c) and c.startswith(s) for c, s in zip(com["community_id"], com["street_code"]))
    assert com["name_zh"].is_unique and com["name_zh"].str.fullmatch(r"[\u4e00-\u9fff]{2,8}社区").all()
    assert (com.groupby("street_code")["population"].sum() == ref["population_2020"]).all()
    assert (com["population"] > 0).all()
    polys = street_polygons(data)
    for code, group in com.groupby("street_code"):
        assert shapely.contains_xy(polys[code], group["lon"], group["lat"]).all(), code


def test_circles(full, db):
    data, _ = full
    cir = data.static["circles"].to_pandas()
    assert len(cir) == 16 and cir["circle_id"].is_unique
    assert cir["name_zh"].str.endswith("便民生活圈").all() and cir["name_zh"].is_unique
    xidan = cir[cir["name_zh"] == "西单北便民生活圈"]
    assert list(xidan["street_code"]) == ["110102001"]  # 西长安街 [S]
    assert cir["street_code"].nunique() >= 14
    polys = street_polygons(data)
    assert all(polys[r.street_code].contains(shapely.Point(r.center_lon, r.center_lat)) for r in cir.itertuples())
    assert set(cir["walk_minutes"]) <= {10, 15} and (cir["walk_minutes"] == 10).sum() >= 14
    assert (cir["launched_on"] >= date(2022, 6, 1)).all() and (cir["launched_on"] <= data.data_as_of).all()
    # before/after comparisons need launches with ≥ 3 months of tickets on each side
    first = q(db, "select min(created_at) as t0 from t")["t0"][0]
    launched = pd.to_datetime(cir["launched_on"])
    inside = (launched >= first + pd.DateOffset(months=3)) & \
             (launched <= pd.Timestamp(data.data_as_of) - pd.DateOffset(months=3))
    assert inside.sum() >= 4


def test_facilities_cover_most_circles_and_some_gaps_are_real(full):
    data, _ = full
    fac = data.static["facilities"].to_pandas()
    cir = data.static["circles"].to_pandas()
    assert set(fac["category"]) == FACILITY_CATEGORIES
    assert fac["facility_id"].is_unique
    assert fac["name_zh"].str.fullmatch(r".+\(.+店\)").all()
    assert fac["circle_id"].isna().sum() >= 20
    assert fac["opened_on"].isna().any() and fac["opened_on"].notna().mean() > 0.6
    radius = np.array([geo.walk_radius_m(m) for m in cir["walk_minutes"]])
    dist = geo.haversine_m(fac["lat"].to_numpy()[:, None], fac["lon"].to_numpy()[:, None],
                           cir["center_lat"].to_numpy()[None, :], cir["center_lon"].to_numpy()[None, :])
    within = dist <= radius
    own = fac["circle_id"].map({c: i for i, c in enumerate(cir["circle_id"])})
    assigned = own.notna().to_numpy()
    assert within[assigned, own[assigned].astype(int)].all(), "a facility lies outside its own circle"
    lacking = []
    for i in range(len(cir)):
        assert within[:, i].sum() >= 10, f"{cir['name_zh'][i]} has too few facilities"
        lacking.append(len(FACILITY_CATEGORIES - set(fac["category"][within[:, i]])))
    assert sum(1 <= k <= 3 for k in lacking) >= 4 and sum(k == 0 for k in lacking) >= 3
    assert max(lacking) <= 3


# --- tickets: volume and rhythm ----------------------------------------------------------------

def test_yearly_volume_is_realistic(db):
    years = q(db, "select year(created_at) as y, count(*) as n from t group by 1 order by 1")
    assert list(years["y"]) == [2023, 2024, 2025]
    assert years["n"].between(270_000 * 0.85, 270_000 * 1.15).all()
    # the last 12 months ≈ 2024's count [S] before the planted effect (demo/effect.py) thins one
    # category where items were completed; after it, a few percent fewer
    unplanted = demo.build(end=END, planted_effect=0)
    last = sum(b.num_rows for b in unplanted.ticket_batches() if b.column("created_at")[0].as_py().year == 2025)
    assert last == pytest.approx(271_400, rel=0.02)
    assert 0.95 * last < years["n"].iloc[-1] < 0.99 * last


def test_visitor_streets_get_more_per_resident(db):
    rate = q(db, """select s.short_zh, count(*) / any_value(s.population) as per_resident
                    from t join streets s using (street_code) group by 1""").set_index("short_zh")["per_resident"]
    visitor = ["大栅栏", "什刹海", "西长安街", "金融街"]
    others = rate.drop(visitor)
    assert (rate[visitor] > 1.3 * others.median()).all()
    # ≈20 per 1,000 residents a month across the district [D]
    monthly_per_1000 = q(db, "select count(*) / 36 / 1106.214 as r from t")["r"][0]
    assert monthly_per_1000 == pytest.approx(20, rel=0.15)


def test_categories_old_city_list(db):
    cats = q(db, "select category_l1, count(distinct category_l2) as l2 from t group by 1")
    assert len(cats) >= 12 and (cats["l2"] >= 2).all()
    assert OLD_CITY_L1 <= set(cats["category_l1"])


def test_heating_is_a_winter_topic(db):
    season = ("month(created_at) in (12, 1, 2) or (month(created_at) = 11 and day(created_at) >= 15)"
              " or (month(created_at) = 3 and day(created_at) <= 15)")  # 15 Nov – 15 Mar [S]
    summer = "month(created_at) in (6, 7, 8)"
    per_day = q(db, f"""select
        count(*) filter (where category_l1 = '供暖' and ({season}))
          / count(distinct created_at::date) filter (where {season}) as season,
        count(*) filter (where category_l1 = '供暖' and {summer})
          / count(distinct created_at::date) filter (where {summer}) as summer
        from t""")
    assert per_day["season"][0] >= 5 * per_day["summer"][0]


def test_summer_peaks_of_noise_and_waterlogging(db):
    m = q(db, """select month(created_at) as mo,
                        count(*) filter (where category_l1 = '噪声扰民') / count(distinct created_at::date) as noise,
                        count(*) filter (where category_l2 = '积水') / count(distinct created_at::date) as rain
                 from t group by 1""").set_index("mo")
    summer, winter = m.loc[[6, 7, 8]], m.loc[[12, 1, 2]]
    assert summer["noise"].mean() >= 1.3 * winter["noise"].mean()
    assert m.loc[[7, 8], "rain"].mean() >= 5 * m.drop([6, 7, 8])["rain"].mean()


def test_spring_festival_dip(db):
    daily = q(db, "select created_at::date as d, count(*) as n from t group by 1").set_index("d")["n"]
    daily.index = pd.to_datetime(daily.index)
    for new_year in map(pd.Timestamp, LUNAR_NEW_YEARS):
        offset = (daily.index - new_year).days
        holiday = daily[(offset >= -1) & (offset <= 6)].mean()
        around = daily[(abs(offset) >= 14) & (abs(offset) <= 42)].mean()
        assert holiday < 0.75 * around, new_year


def test_weekday_and_hour_rhythm(db):
    dow = q(db, """select isodow(d) >= 6 as weekend, avg(n) as n
                   from (select created_at::date as d, count(*) as n from t group by 1)
                   group by 1""").set_index("weekend")["n"]
    assert dow[False] >= 1.15 * dow[True]
    hours = q(db, "select hour(created_at) as h, count(*) as n from t group by 1 order by 1").set_index("h")["n"]
    assert hours[0:6].sum() / hours.sum() < 0.05
    lunch = hours[[12, 13]].mean()
    assert hours[[9, 10, 11]].mean() > 1.1 * lunch and hours[[14, 15, 16]].mean() > 1.1 * lunch
    assert hours.idxmax() in (9, 10, 11)


def test_channels(db):
    ch = q(db, "select channel, count(*) as n from t group by 1").set_index("channel")["n"]
    assert set(ch.index) == {"12345电话", "12345网络", "微信小程序", "首都之窗"}
    assert ch["12345电话"] / ch.sum() > 0.5


# --- tickets: handling and the three rates -----------------------------------------------------

def test_due_at_follows_the_time_limits(db):
    limits = q(db, "select category_l2, list(distinct epoch(due_at - created_at) / 3600) as h from t group by 1")
    limit_of = {row.category_l2: row.h for row in limits.itertuples()}
    assert all(len(h) == 1 and h[0] in (2, 24, 168, 360) for h in limit_of.values())
    assert limit_of["停暖"] == [2] and limit_of["燃气问题"] == [2] and limit_of["火灾隐患"] == [2]
    assert limit_of["停水"] == [24] and limit_of["室温不达标"] == [24]
    assert limit_of["私搭乱建"] == [360] and limit_of["物业服务"] == [168]


def test_contact_and_closing_mostly_in_time(db):
    r = q(db, """select count(*) filter (where contacted_at < created_at or closed_at < created_at
                                          or closed_at < contacted_at) as disorder,
                        avg((closed_at > due_at)::int) as closed_late,
                        avg((contacted_at > due_at)::int) as contacted_late from t""")
    assert r["disorder"][0] == 0
    assert 0.01 <= r["closed_late"][0] <= 0.08
    assert r["contacted_late"][0] < 0.03


def test_open_tickets_only_near_the_end(full, db):
    data, _ = full
    open_ = q(db, "select count(*) as n, min(created_at) as first from t where closed_at is null")
    assert open_["n"][0] > 0
    assert open_["first"][0] >= pd.Timestamp(data.data_as_of) - pd.Timedelta(days=45)


def test_flags_are_consistent(db):
    r = q(db, """select
        count(*) filter (where contacted <> (contacted_at is not null)) as contact_mismatch,
        count(*) filter (where resolved and not contacted) as resolved_uncontacted,
        count(*) filter (where (satisfaction is null) <> (not callback_valid)) as satisfaction_mismatch,
        count(*) filter (where closed_at is null and (callback_valid or resolved)) as open_assessed,
        avg(callback_valid::int) filter (where closed_at is not null) as valid_share from t""")
    assert r[["contact_mismatch", "resolved_uncontacted", "satisfaction_mismatch", "open_assessed"]].sum(axis=1)[0] == 0
    assert 0.85 <= r["valid_share"][0] <= 0.95
    assert set(q(db, "select distinct satisfaction from t where satisfaction is not null")["satisfaction"]) \
        == set(schema.SATISFACTION_VALUES)


def test_street_month_rates_in_plausible_ranges(db):
    sm = street_month_rates(db)
    last = sm[sm["m"] >= pd.Timestamp("2025-01-01")]
    for col, lo, hi in (("resp", 0.99, 1.0), ("res", 0.93, 0.99), ("sat", 0.94, 0.99)):
        assert lo <= sm[col].median() <= hi, col
        # bad months and the older, lower years leave some outside [E]
        assert sm[col].between(lo, hi).mean() >= 0.85, col
        assert last[col].between(lo, hi).mean() >= 0.88, col


def test_rates_rise_to_the_2024_level(db):
    y = q(db, f"select year(created_at) as y, {RES_RATE} as res, {SAT_RATE} as sat from t group by 1 order by 1")
    assert y["res"].iloc[-1] == pytest.approx(0.9796, abs=0.006)   # 2024 [S]
    assert y["sat"].iloc[-1] == pytest.approx(0.9827, abs=0.006)   # 2024 [S]
    for col in ("res", "sat"):
        gains = np.diff(y[col])
        assert ((gains > 0.01) & (gains < 0.035)).all(), (col, gains)


def test_rankings_move_and_some_months_go_bad(db):
    sm = street_month_rates(db)
    sm["score"] = 100 * (0.1 * sm["resp"] + 0.5 * sm["res"] + 0.4 * sm["sat"])
    ranks = sm.pivot(index="m", columns="street_code", values="score").rank(axis=1, ascending=False)
    assert ranks.idxmin(axis=1).nunique() >= 4
    consecutive = [ranks.iloc[i].corr(ranks.iloc[i + 1]) for i in range(len(ranks) - 1)]
    assert 0.0 < np.mean(consecutive) < 0.9
    district = sm.groupby("m")["res"].transform("median")
    assert (sm["res"] < district - 0.03).sum() >= 2


def test_recurring_hotspot_communities(db):
    rates = q(db, """select community_id, c.street_code, year(created_at) as y, count(*) / any_value(c.population) as r
                     from t join communities c using (community_id) group by all""")
    rates["ratio"] = rates["r"] / rates.groupby(["street_code", "y"])["r"].transform("median")
    hot = {y: set(g.loc[g["ratio"] >= 2.5, "community_id"]) for y, g in rates.groupby("y")}
    assert 3 <= len(hot[2023]) <= 10 and hot[2023] == hot[2024] == hot[2025]
    assert rates.loc[rates["community_id"].isin(hot[2025]), "ratio"].between(2.5, 6).all()
    assert 3 <= rates.loc[rates["community_id"].isin(hot[2025]), "ratio"].median() <= 5


def test_repeat_callers(db):
    calls = q(db, """select caller_key, created_at, community_id, category_l2 from t
                     where caller_key is not null order by caller_key, created_at""")
    key, at = calls["caller_key"].to_numpy(), calls["created_at"].to_numpy()
    third = (key[2:] == key[:-2]) & (at[2:] - at[:-2] <= np.timedelta64(30, "D"))
    flagged = np.zeros(len(calls), bool)
    for k in range(3):
        flagged[k:len(calls) - 2 + k] |= third
    total = q(db, "select count(*) as n from t")["n"][0]
    assert 0.05 <= flagged.sum() / total <= 0.10
    repeat = calls[calls["caller_key"].duplicated(keep=False)].groupby("caller_key")
    assert (repeat["community_id"].nunique() <= 1).mean() > 0.9
    assert (repeat["category_l2"].nunique() == 1).mean() > 0.4


def test_caller_keys_look_like_keyed_hashes(db):
    keys = q(db, "select caller_key from t")["caller_key"]
    assert keys.isna().mean() < 0.05
    assert keys.dropna().str.fullmatch(r"[0-9a-f]{16}").all()


def test_ticket_places_near_their_community_and_inside_their_street(full, db):
    data, _ = full
    pts = q(db, """select t.street_code, t.lat, t.lon, c.lat as clat, c.lon as clon
                   from t left join communities c using (community_id)""")
    assert (pts["lat"].isna() == pts["clat"].isna()).all()
    pts = pts.dropna()
    dist = geo.haversine_m(pts["lat"], pts["lon"], pts["clat"], pts["clon"])
    assert 80 <= np.median(dist) <= 250 and np.quantile(dist, 0.99) < 600
    polys = street_polygons(data)
    for code, group in pts.groupby("street_code"):
        assert shapely.contains_xy(polys[code], group["lon"], group["lat"]).all(), code


def test_ids_and_content(db):
    ids = q(db, "select count(*) as n, count(distinct ticket_id) as u, "
                "bool_and(regexp_full_match(ticket_id, 'XC\\d{13}')) as ok from t")
    assert ids["n"][0] == ids["u"][0] and ids["ok"][0]
    texts = q(db, "select distinct content from t")["content"]
    assert texts.notna().all() and texts.str.contains(r"[\u4e00-\u9fff]").all()
    assert not texts.str.contains(r"\d{7,}").any()  # no phone or ID numbers

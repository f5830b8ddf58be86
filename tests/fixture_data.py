"""A tiny hand-built snapshot whose metrics are computed by hand in the tests.

Two streets, two communities each, one circle, tickets in February and March 2024.
Every figure the tests assert is derivable from the rows below with pencil and paper.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pandas as pd
from fixture_party import (  # noqa: F401
    action_items,
    cobuild_projects,
    deliberations,
    monthly_topics,
    pairing_activities,
    pairings,
    party_orgs,
    units,
    whistle_responses,
    whistles,
)
from shapely.geometry import box, mapping

from dashboard.core import schema
from dashboard.store import snapshot

DESHENG, SHICHAHAI = "110102010", "110102012"


def _square(lon0: float, lat0: float) -> str:
    return json.dumps(mapping(box(lon0, lat0, lon0 + 0.02, lat0 + 0.02)))


def streets() -> pd.DataFrame:
    return pd.DataFrame([
        dict(street_code=DESHENG, name_zh="德胜街道", short_zh="德胜", name_en="Desheng", population=100_000,
             area_km2=4.0, centroid_lat=39.95, centroid_lon=116.37, geometry_geojson=_square(116.36, 39.94),
             boundary_kind="schematic"),
        dict(street_code=SHICHAHAI, name_zh="什刹海街道", short_zh="什刹海", name_en="Shichahai", population=50_000,
             area_km2=5.0, centroid_lat=39.93, centroid_lon=116.39, geometry_geojson=_square(116.38, 39.92),
             boundary_kind="schematic"),
    ])


def communities() -> pd.DataFrame:
    return pd.DataFrame([
        dict(community_id=DESHENG + "001", street_code=DESHENG, name_zh="德胜里社区", lat=39.95, lon=116.37, population=2000),
        dict(community_id=DESHENG + "002", street_code=DESHENG, name_zh="新康社区", lat=39.955, lon=116.375, population=4000),
        dict(community_id=SHICHAHAI + "001", street_code=SHICHAHAI, name_zh="西海社区", lat=39.93, lon=116.39, population=1000),
        dict(community_id=SHICHAHAI + "002", street_code=SHICHAHAI, name_zh="鼓楼苑社区", lat=39.935, lon=116.395, population=3000),
    ])


def circles() -> pd.DataFrame:
    return pd.DataFrame([dict(circle_id="C01", name_zh="德胜门便民生活圈", street_code=DESHENG, center_lat=39.95,
                              center_lon=116.37, walk_minutes=10, launched_on=date(2024, 3, 1))])


def facilities() -> pd.DataFrame:
    return pd.DataFrame([
        dict(facility_id="F1", category="便利店", name_zh="好邻居便利店", lat=39.951, lon=116.371, circle_id="C01", opened_on=None),
        dict(facility_id="F2", category="早餐", name_zh="庆丰包子铺", lat=39.949, lon=116.369, circle_id="C01", opened_on=None),
    ])


def ticket(i: int, created: datetime, street: str, community: str | None, l1: str, l2: str, *,
           valid=True, contacted=True, resolved=True, sat="满意", limit_h=168, close_h=24.0,
           caller=None) -> dict:
    """One ticket row; close_h=None leaves it open."""
    return dict(ticket_id=f"T{i:05d}", created_at=created, street_code=street, community_id=community,
                category_l1=l1, category_l2=l2, channel="12345电话", due_at=created + timedelta(hours=limit_h),
                contacted_at=created + timedelta(hours=1) if contacted else None,
                closed_at=created + timedelta(hours=close_h) if close_h is not None else None,
                callback_valid=valid, contacted=contacted, resolved=resolved,
                satisfaction=sat if valid else None, lat=None, lon=None, caller_key=caller, content="示例诉求")


def tickets() -> pd.DataFrame:
    """March 2024 (the hand-computed month) and February 2024 (the previous period).

    德胜, March: 10 tickets, 8 valid; contacted 8, resolved 7; 5 满意, 2 基本满意, 1 不满意
        响应率 1.0, 解决率 0.875, 满意率 (5 + 0.9×2)/8 = 0.85, 综合成绩 87.75
    什刹海, March: 4 tickets, 4 valid; contacted 3, resolved 4; 4 满意
        响应率 0.75, 解决率 1.0, 满意率 1.0, 综合成绩 97.5
    February: 德胜 2 tickets (both 满意, resolved), 什刹海 2 tickets (1 unresolved, 不满意)
    """
    rows, i = [], 0
    def add(**kw):
        nonlocal i
        i += 1
        rows.append(ticket(i, **kw))
    d1, c1 = DESHENG, DESHENG + "001"
    s1 = SHICHAHAI + "001"
    # February
    add(created=datetime(2024, 2, 5, 9), street=d1, community=c1, l1="供暖", l2="室温不达标")
    add(created=datetime(2024, 2, 6, 10), street=d1, community=c1, l1="供暖", l2="室温不达标")
    add(created=datetime(2024, 2, 7, 11), street=SHICHAHAI, community=s1, l1="噪声扰民", l2="施工噪声")
    add(created=datetime(2024, 2, 8, 15), street=SHICHAHAI, community=s1, l1="噪声扰民", l2="施工噪声",
        resolved=False, sat="不满意")
    # March, 德胜: 8 valid (5 满意, 2 基本满意 incl. one unresolved? no: 1 unresolved is the 不满意 one)
    sats = ["满意"] * 5 + ["基本满意"] * 2 + ["不满意"]
    for k, sat in enumerate(sats):
        add(created=datetime(2024, 3, 1 + k, 9 + k), street=d1, community=c1 if k < 6 else DESHENG + "002",
            l1="供暖" if k < 4 else "物业管理", l2="室温不达标" if k < 4 else "电梯故障",
            resolved=sat != "不满意", sat=sat, caller="abc123" if k < 3 else None)
    # two invalid callbacks: count as tickets, not in any rate
    add(created=datetime(2024, 3, 20, 8), street=d1, community=c1, l1="物业管理", l2="电梯故障", valid=False)
    add(created=datetime(2024, 3, 21, 8), street=d1, community=c1, l1="物业管理", l2="电梯故障", valid=False,
        close_h=None)
    # March, 什刹海: 4 valid, 3 contacted, all resolved and 满意; one closed late (overdue)
    for k in range(4):
        add(created=datetime(2024, 3, 10 + k, 14), street=SHICHAHAI, community=s1, l1="噪声扰民", l2="施工噪声",
            contacted=k != 0, close_h=200.0 if k == 3 else 24.0)
    df = pd.DataFrame(rows).sort_values("created_at", kind="stable").reset_index(drop=True)
    return df


def build(data_dir, *, one_street: bool = False, source: str = "fixture") -> str:
    """Publish the fixture into `data_dir`; returns the snapshot id.

    one_street=True keeps only 德胜 and March 2024: the smallest snapshot a page must survive.
    """
    frames = {"streets": streets(), "communities": communities(), "circles": circles(),
              "facilities": facilities(), "tickets": tickets(),
              **{name: globals()[name]() for name in schema.OPTIONAL_TABLES}}   # the party layer: fixture_party
    if one_street:
        for name in ("streets", "communities", "circles", "tickets", *schema.PARTY_TABLES):
            if "street_code" in frames[name]:
                frames[name] = frames[name][frames[name]["street_code"].isna() | (frames[name]["street_code"] == DESHENG)]
        frames["tickets"] = frames["tickets"][frames["tickets"]["created_at"] >= datetime(2024, 3, 1)]
    tables = {name: schema.conform(name, df) for name, df in frames.items()}
    return snapshot.publish(tables, source=source, data_as_of=date(2024, 3, 31), data_dir=data_dir)


# --- 便民生活圈 fixture (tests/test_circles.py) ----------------------------------------------------
# The streets, communities and circle C01 above, with facilities placed so each distance is easy to
# work out (1e-3° of latitude ≈ 111.2 m, 1e-3° of longitude ≈ 85.3 m at 39.95° N) and 生活服务
# tickets from September 2023 to September 2024 around C01's launch on 1 March 2024.
# Walk radii at 80 m/min ÷ 1.3: 5 min ≈ 308 m, 8 min ≈ 492 m, 10 min ≈ 615 m, 15 min ≈ 923 m.

CIRCLES_AS_OF = date(2024, 9, 30)


def circle_facilities() -> pd.DataFrame:
    """Around C01 (= 德胜里社区, 39.95 N 116.37 E): eight categories within their tiers, 洗染 just
    outside its 8 minutes (512 m), no 药店; a 药店 111 m north of 西海社区; and one facility of
    every category exactly at 鼓楼苑社区's point."""
    near_c01 = [
        ("G01", "便利店", 39.951, 116.370),    # 111 m north
        ("G02", "早餐", 39.948, 116.370),      # 222 m south
        ("G03", "蔬菜零售", 39.950, 116.373),  # 256 m east
        ("G04", "美容美发", 39.950, 116.367),  # 256 m west
        ("G05", "末端配送", 39.952, 116.372),  # 280 m north-east
        ("G06", "家政", 39.956, 116.370),      # 667 m north
        ("G07", "综合超市", 39.943, 116.370),  # 778 m south
        ("G08", "便民维修", 39.950, 116.379),  # 768 m east
        ("G09", "洗染", 39.950, 116.376),      # 512 m east: outside 8 minutes
        ("G10", "药店", 39.931, 116.390),      # 111 m north of 西海社区
    ]
    gulou = [(f"G{11 + k}", cat, 39.935, 116.395) for k, cat in enumerate(
        ("便利店", "早餐", "蔬菜零售", "药店", "洗染", "美容美发", "末端配送", "综合超市", "便民维修", "家政"))]
    return pd.DataFrame([dict(facility_id=fid, category=cat, name_zh=f"{cat}{fid}", lat=lat, lon=lon,
                              circle_id="C01" if fid <= "G09" else None, opened_on=None)
                         for fid, cat, lat, lon in near_c01 + gulou])


def circle_tickets() -> pd.DataFrame:
    """生活服务 tickets per month, 2023-09 … 2024-09 (C01 launched 2024-03-01):

    德胜里 (inside C01): 10 a month before March, 5 in March, 4 a month after (8+2 / 4+1 / 3+1
    市场管理·消费纠纷 + 公共服务·便民网点); 新康 8, 西海 4, 鼓楼苑 4 a month throughout
    (养老助餐·老年餐桌 at 西海, 市场管理·预付卡退费 elsewhere); plus 10 供暖 tickets that are
    not 生活服务 and must not count.
    """
    d, s = DESHENG, SHICHAHAI
    where = {"德胜里": (d, d + "001"), "新康": (d, d + "002"), "西海": (s, s + "001"), "鼓楼苑": (s, s + "002")}
    rows = []

    def add(month: date, day: int, place: str, l1: str, l2: str):
        street, community = where[place]
        rows.append(ticket(len(rows) + 1, datetime(month.year, month.month, day, 10), street, community, l1, l2))

    months = [date(2023 + (8 + k) // 12, (8 + k) % 12 + 1, 1) for k in range(13)]   # 2023-09 … 2024-09
    for m in months:
        before, launch = m < date(2024, 3, 1), m == date(2024, 3, 1)
        market, stalls = (8, 2) if before else (4, 1) if launch else (3, 1)
        for k in range(market):
            add(m, 1 + k, "德胜里", "市场管理", "消费纠纷")
        for k in range(stalls):
            add(m, 20 + k, "德胜里", "公共服务", "便民网点")
        for k in range(8):
            add(m, 1 + k, "新康", "市场管理", "预付卡退费")
        for k in range(4):
            add(m, 10 + k, "西海", "养老助餐", "老年餐桌")
            add(m, 15 + k, "鼓楼苑", "市场管理", "预付卡退费")
    for k in range(5):
        add(date(2024, 5, 1), 1 + k, "德胜里", "供暖", "室温不达标")
        add(date(2023, 10, 1), 1 + k, "新康", "供暖", "室温不达标")
    return pd.DataFrame(rows).sort_values("created_at", kind="stable").reset_index(drop=True)


def build_circles(data_dir) -> str:
    """Publish the 便民生活圈 fixture (data as of 2024-09-30) into `data_dir`; returns the snapshot id."""
    frames = {"streets": streets(), "communities": communities(), "circles": circles(),
              "facilities": circle_facilities(), "tickets": circle_tickets()}
    tables = {name: schema.conform(name, df) for name, df in frames.items()}
    return snapshot.publish(tables, source="fixture", data_as_of=CIRCLES_AS_OF, data_dir=data_dir)

"""Facility lists, community lists and street boundaries -> canonical rows.

Facilities: name, category, coordinates (opened_on optional).  Categories map onto
Beijing's basic functions of a convenience living circle (+ 综合超市, 药店); an unknown
category rejects the row.  Each facility joins the nearest circle whose centre lies within
that circle's walk radius (geo.walk_radius_m), else no circle.  Without an id column a
facility's id is a hash of category, name and position, so importing the same list again
replaces rather than doubles it.

Communities: name, street, coordinates, population.  A community already known in its
street keeps its id (tickets point at it); a new one gets the next free <street code>NNN.

Boundaries: a GeoJSON FeatureCollection, one feature per street.  All or nothing: every
problem is listed and the file is refused, because a map with some streets missing or one
polygon repaired behind the user's back is worse than the schematic map.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from ..core import geo
from .readers import ImportFailed, RawTable, decode, read_bytes
from .records import (
    DISTRICT_BBOX,
    POINT_ALIASES,
    Prepared,
    Reasons,
    Reference,
    check_extra_cells,
    community_key,
    coordinates,
    counts,
    dates,
    keep_last,
    rejects_frame,
    resolve_streets,
    street_key,
)

STANDARD_CATEGORIES = ("蔬菜零售", "便利店", "早餐", "家政", "美容美发", "末端配送", "便民维修", "洗染", "综合超市", "药店")
# Spellings seen in facility lists -> standard category.  社区超市/便民超市 are 便利店 in
# Beijing's list ("便利店(社区超市)") [S]; a plain 超市 is a 综合超市.
CATEGORY_SYNONYMS = {
    "超市": "综合超市", "大型超市": "综合超市", "连锁超市": "综合超市",
    "便民超市": "便利店", "社区超市": "便利店", "便利超市": "便利店",
    "快递柜": "末端配送", "智能快递柜": "末端配送", "驿站": "末端配送", "菜鸟驿站": "末端配送",
    "快递驿站": "末端配送", "快递": "末端配送", "快递站": "末端配送",
    "理发": "美容美发", "理发店": "美容美发", "美发": "美容美发", "美容": "美容美发", "发廊": "美容美发",
    "修鞋": "便民维修", "修理": "便民维修", "维修": "便民维修", "配钥匙": "便民维修", "修车": "便民维修",
    "洗衣": "洗染", "洗衣店": "洗染", "干洗": "洗染", "干洗店": "洗染",
    "菜店": "蔬菜零售", "菜市场": "蔬菜零售", "菜站": "蔬菜零售", "蔬菜": "蔬菜零售", "果蔬": "蔬菜零售",
    "早点": "早餐", "早餐店": "早餐", "早餐车": "早餐",
    "保洁": "家政", "家政服务": "家政",
    "药房": "药店", "大药房": "药店",
}
_KEYWORDS = sorted({**{c: c for c in STANDARD_CATEGORIES}, **CATEGORY_SYNONYMS}.items(), key=lambda kv: -len(kv[0]))

FACILITY_ALIASES = {
    "facility_id": ("设施编号", "网点编号", "编号", "id"),
    "name": ("name_zh", "名称", "网点名称", "门店名称", "店名", "商户名称"),
    "category": ("类别", "类型", "业态", "分类", "业态类型"),
    **POINT_ALIASES,
    "opened_on": ("开业日期", "开业时间"),
}
FACILITY_REQUIRED = ("name", "category", "lon", "lat")
COMMUNITY_ALIASES = {
    "community_id": ("社区编码", "社区代码", "编码"),
    "name": ("name_zh", "社区名称", "社区", "名称"),
    "street": ("street_code", "街道", "所属街道", "街乡镇"),
    **POINT_ALIASES,
    "population": ("人口", "常住人口", "人口数"),
}
COMMUNITY_REQUIRED = ("name", "street", "lon", "lat", "population")
LABELS = {"name": "名称", "category": "类别", "lon": "经度", "lat": "纬度", "street": "街道", "population": "人口"}

# Where a boundary feature may keep its street's name, in the order tried.
NAME_PROPERTIES = ("name_zh", "name", "名称", "街道", "街道名称", "NAME", "street", "street_code", "adcode", "code")
_WGS84_CRS = ("crs84", "epsg::4326", "epsg:4326", "epsg::4490", "epsg:4490")  # CGCS2000 ≈ WGS-84 (cm)
# Two streets may share a border, not land: more overlap than this share of the smaller one is an error.
MAX_OVERLAP_SHARE = 0.01
AREA_NOTE_SHARE = 0.05  # report streets whose boundary area differs more than this from the reference
AREA_REFUSE_FACTOR = 3.0  # refuse a street whose boundary area is off by more than this factor
COVER_MARGIN_M = 150      # a community's point may lie this close outside the imported boundaries


def map_category(text: str) -> str | None:
    """A facility category as written -> a standard category, or None if unknown."""
    t = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    if t in STANDARD_CATEGORIES:
        return t
    if t in CATEGORY_SYNONYMS:
        return CATEGORY_SYNONYMS[t]
    return next((cat for word, cat in _KEYWORDS if word in t), None) if t else None


def nearest_circle(lat: pd.Series, lon: pd.Series, circles: pd.DataFrame, radius_m) -> pd.Series:
    """The circle whose centre is nearest and within `radius_m(walk_minutes)`, else None."""
    out = pd.Series(None, index=lat.index, dtype=object)
    if circles.empty or lat.empty:
        return out
    d = geo.haversine_m(lat.to_numpy()[:, None], lon.to_numpy()[:, None],
                        circles["center_lat"].to_numpy()[None, :], circles["center_lon"].to_numpy()[None, :])
    reach = np.array([radius_m(m) for m in circles["walk_minutes"]])[None, :]
    d = np.where(d <= reach, d, np.inf)
    best = d.argmin(axis=1)
    hit = np.isfinite(d[np.arange(len(d)), best])
    out[hit] = circles["circle_id"].to_numpy()[best[hit]]
    return out


def _facility_id(category: str, name: str, lat: float, lon: float) -> str:
    key = f"{category}|{name}|{lat:.5f}|{lon:.5f}".encode("utf-8")
    return "F" + hashlib.sha1(key).hexdigest()[:10]


def prepare_facilities(raw: RawTable, ref: Reference, crs: str) -> Prepared:
    """Check and convert the rows of one facility list."""
    r = Reasons(raw.cells.index)
    check_extra_cells(raw, r)
    name, cat_raw = raw.text("name"), raw.text("category")
    r.add(name == "", "缺少名称")
    category = cat_raw.map(map_category)
    r.add(category.isna(), "未知类别：", cat_raw)
    lat, lon = coordinates(raw, r, ref, crs, required=True)
    opened = dates(raw, r, "opened_on", "开业日期")
    ok = r.ok
    given = raw.text("facility_id")
    ids = [(g or _facility_id(c, n, la, lo)) if k else None
           for g, c, n, la, lo, k in zip(given, category, name, lat, lon, ok)]
    s = ref.settings
    circle = nearest_circle(lat[ok], lon[ok], ref.circles,
                            lambda m: geo.walk_radius_m(m, s.walk_m_per_min, s.route_directness))
    df = pd.DataFrame({"facility_id": ids, "category": category, "name_zh": name, "lat": lat, "lon": lon,
                       "circle_id": circle.reindex(name.index), "opened_on": opened})
    table, dupes = keep_last(df.loc[ok], "facility_id")
    notes = [f"未归入任何生活圈（不在步行半径内）{int(table['circle_id'].isna().sum())} 个"] \
        if table["circle_id"].isna().any() else []
    return Prepared(table, rejects_frame(raw, r), dupes, notes)


def prepare_communities(raw: RawTable, ref: Reference, crs: str) -> Prepared:
    """Check and convert the rows of one community list."""
    r = Reasons(raw.cells.index)
    check_extra_cells(raw, r)
    name, street_raw = raw.text("name"), raw.text("street")
    r.add(name == "", "缺少社区名称")
    street = resolve_streets(street_raw, ref.lookup)
    r.add(street.isna(), "未知街道：", street_raw)
    lat, lon = coordinates(raw, r, ref, crs, required=True)
    pop = counts(raw, r, "population", "人口")
    ok = r.ok
    known = {(s, community_key(n)): cid for cid, s, n in
             zip(ref.communities["community_id"], ref.communities["street_code"], ref.communities["name_zh"])}
    taken = set(ref.communities["community_id"])
    given = raw.text("community_id")
    ids = []
    for g, s, n, k in zip(given, street, name, ok):
        cid = (known.get((s, community_key(n))) or g or _next_id(s, taken)) if k else None
        if k:  # a name repeated later in the file gets the same id, so the later row wins
            taken.add(cid)
            known[(s, community_key(n))] = cid
        ids.append(cid)
    df = pd.DataFrame({"community_id": ids, "street_code": street, "name_zh": name, "lat": lat, "lon": lon,
                       "population": pop.where(ok, 0).astype("int64")})
    table, dupes = keep_last(df.loc[ok], "community_id")
    return Prepared(table, rejects_frame(raw, r), dupes)


def _next_id(street: str, taken: set) -> str:
    n = 1
    while f"{street}{n:03d}" in taken:
        n += 1
    return f"{street}{n:03d}"


# --- boundaries ----------------------------------------------------------------------------

def _load_geojson(path: Path) -> list[dict]:
    name = path.name
    text, _ = decode(read_bytes(path), name)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise ImportFailed(f"{name}：不是 GeoJSON（JSON 解析失败：第 {e.lineno} 行 {e.msg}）") from e
    except RecursionError as e:
        raise ImportFailed(f"{name}：不是可用的 GeoJSON（数组或对象嵌套过深）") from e
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list) \
            or not isinstance(doc.get("crs") or {}, dict) or not isinstance((doc.get("crs") or {}).get("properties") or {}, dict):
        raise ImportFailed(f"{name}：不是 GeoJSON FeatureCollection（需要 type=FeatureCollection 和 features 列表）")
    crs = str(((doc.get("crs") or {}).get("properties") or {}).get("name", "crs84")).lower()
    if not any(crs.endswith(c) for c in _WGS84_CRS):
        raise ImportFailed(f"{name}：坐标系 {crs} 不支持，请转换为 WGS-84（EPSG:4326）经纬度后再导入")
    if not doc["features"]:
        raise ImportFailed(f"{name}：FeatureCollection 中没有任何要素")
    return doc["features"]


def _feature_street(props: dict, lookup: dict[str, str]) -> tuple[str | None, str]:
    """(street code or None, the name shown in messages) of one feature."""
    shown = ""
    for key in NAME_PROPERTIES:
        value = props.get(key)
        if value in (None, ""):
            continue
        shown = shown or str(value)
        code = lookup.get(street_key(value))
        if code:
            return code, shown
    return None, shown or "(无名称)"


def _check_overlaps(polys: dict[str, object], names: dict[str, str], problems: list[str]) -> None:
    codes = list(polys)
    if not codes:
        return
    tree = shapely.STRtree([polys[c] for c in codes])
    for i, j in zip(*tree.query([polys[c] for c in codes], predicate="intersects")):
        if i < j:
            a, b = polys[codes[i]], polys[codes[j]]
            if a.intersection(b).area > MAX_OVERLAP_SHARE * min(a.area, b.area):
                problems.append(f"{names[codes[i]]} 与 {names[codes[j]]} 的边界大面积重叠")


def _check_plausible(polys: dict[str, object], names: dict[str, str], ref: Reference, problems: list[str]) -> None:
    """Areas within AREA_REFUSE_FACTOR of the reference areas (tiny or huge polygons are a wrong
    unit, CRS or file), and every community of the base inside the boundaries."""
    ref_areas = dict(zip(ref.streets["street_code"], ref.streets["area_km2"].astype(float)))
    for code, poly in polys.items():
        area, want = geo.area_km2(poly), ref_areas.get(code) or 0.0
        if want > 0 and not want / AREA_REFUSE_FACTOR <= area <= want * AREA_REFUSE_FACTOR:
            problems.append(f"{names[code]}：边界面积 {area:.2f} km²，参考面积 {want:.2f} km²，"
                            f"相差超过 {AREA_REFUSE_FACTOR:g} 倍（坐标系、单位或文件有误？）")
    c = ref.communities.dropna(subset=["lat", "lon"])
    if not polys or c.empty:
        return
    cover = geo.project(shapely.union_all(list(polys.values()))).buffer(COVER_MARGIN_M)
    x, y = geo.to_local_m(c["lon"].to_numpy(), c["lat"].to_numpy())
    outside = c.loc[~shapely.contains_xy(cover, x, y), "name_zh"].tolist()
    if outside:
        problems.append(f"边界没有覆盖 {len(outside)} 个社区：{'、'.join(outside[:8])}{'…' if len(outside) > 8 else ''}")


def prepare_boundaries(path: Path, ref: Reference, crs: str) -> tuple[pd.DataFrame, list[str], int]:
    """The streets table with the file's polygons, the notes for the summary, the feature count.

    Raises ImportFailed listing every problem: unknown or repeated streets, non-polygons,
    invalid polygons (never repaired silently), polygons outside the district, missing streets.
    """
    features = _load_geojson(Path(path))
    names = dict(zip(ref.streets["street_code"], ref.streets["name_zh"]))
    problems: list[str] = []
    polys: dict[str, object] = {}
    for k, feat in enumerate(features, start=1):
        if not isinstance(feat, dict):
            problems.append(f"第 {k} 个要素：不是 GeoJSON 要素（应为对象，实为 {type(feat).__name__}）")
            continue
        props = feat.get("properties") or {}
        if not isinstance(props, dict):
            problems.append(f"第 {k} 个要素：properties 应为对象，实为 {type(props).__name__}")
            continue
        code, shown = _feature_street(props, ref.lookup)
        where = f"第 {k} 个要素（{shown}）"
        if code is None:
            problems.append(f"{where}：不是已知街道")
            continue
        if code in polys:
            problems.append(f"{where}：{names[code]} 重复出现")
            continue
        try:
            geom = shape(feat.get("geometry") or {})
        except Exception as e:  # shapely raises several kinds (RecursionError too) for malformed coordinates
            problems.append(f"{where}：几何无法解析（{type(e).__name__}: {str(e)[:80]}）")
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
            problems.append(f"{where}：几何类型为 {geom.geom_type}，需要 Polygon 或 MultiPolygon")
            continue
        if crs == "gcj02":
            geom = shapely.transform(geom, lambda c: np.column_stack(geo.gcj02_to_wgs84(c[:, 0], c[:, 1])))
        if not geom.is_valid:
            problems.append(f"{where}：多边形无效（{shapely.is_valid_reason(geom)}），请在 GIS 软件中修复后再导入")
            continue
        minx, miny, maxx, maxy = geom.bounds
        x0, y0, x1, y1 = DISTRICT_BBOX
        if minx < x0 or miny < y0 or maxx > x1 or maxy > y1:
            problems.append(f"{where}：坐标超出西城区范围（经度 {minx:.4f}–{maxx:.4f}，纬度 {miny:.4f}–{maxy:.4f}；"
                            "应为 WGS-84 经纬度）")
            continue
        polys[code] = geom
    missing = [names[c] for c in names if c not in polys]
    if missing and len(missing) < len(names):
        problems.append(f"缺少街道：{'、'.join(missing)}")
    elif missing:
        problems.append("没有任何要素能对应到街道（属性中需要 name_zh / name / 街道 等街道名称）")
    _check_overlaps(polys, names, problems)
    _check_plausible(polys, names, ref, problems)
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems[:30])
        raise ImportFailed(f"{Path(path).name}：边界文件有 {len(problems)} 个问题，未导入：\n{listed}")

    streets = ref.streets.copy()
    notes = []
    for i, code in zip(streets.index, streets["street_code"]):
        poly = polys[code]
        c = poly.centroid if poly.contains(poly.centroid) else poly.representative_point()
        streets.loc[i, ["geometry_geojson", "boundary_kind"]] = [geo.to_geojson(poly), "imported"]
        streets.loc[i, ["centroid_lat", "centroid_lon"]] = [c.y, c.x]
        area, ref_area = geo.area_km2(poly), float(streets.loc[i, "area_km2"])
        if ref_area and abs(area / ref_area - 1) > AREA_NOTE_SHARE:
            notes.append(f"{names[code]} 边界面积 {area:.2f} km²，参考面积 {ref_area:.2f} km²（保留参考面积）")
    total = sum(geo.area_km2(p) for p in polys.values())
    notes.insert(0, f"边界总面积 {total:.2f} km²，参考面积合计 {streets['area_km2'].sum():.2f} km²；"
                    "中心点按边界重新计算，面积沿用参考值")
    return streets, notes, len(features)

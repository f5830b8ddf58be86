"""Geometry helpers: outline, schematic boundaries, GeoJSON, sampling, GCJ-02, distances."""
from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pytest
import shapely

from dashboard.core import geo, reference


@pytest.fixture(scope="module")
def streets():
    return reference.load_streets()


@pytest.fixture(scope="module")
def cells(streets):
    return geo.schematic_boundaries(streets)


def test_outline_area_bbox_and_centroids(streets):
    outline = geo.district_outline()
    assert outline.is_valid
    assert geo.area_km2(outline) == pytest.approx(50.70, rel=0.03)  # official area [S]
    minx, miny, maxx, maxy = outline.bounds
    assert (minx, miny, maxx, maxy) == pytest.approx((116.315, 39.868, 116.393, 39.972), abs=0.002)
    local = geo.project(outline)
    for s in streets.itertuples():
        x, y = geo.to_local_m(s.centroid_lon, s.centroid_lat)
        assert local.contains(shapely.Point(x, y)), s.name_zh
        assert local.exterior.distance(shapely.Point(x, y)) > 300, f"{s.name_zh} too close to the edge"


def test_boundaries_match_areas(streets, cells):
    outline_km2 = geo.area_km2(geo.district_outline())
    scaled = streets["area_km2"] / streets["area_km2"].sum() * outline_km2
    assert list(cells) == list(streets["street_code"])
    for s, target in zip(streets.itertuples(), scaled):
        cell = cells[s.street_code]
        assert cell.geom_type == "Polygon" and cell.is_valid
        assert geo.area_km2(cell) == pytest.approx(target, rel=0.10)
        assert geo.area_km2(cell) == pytest.approx(s.area_km2, rel=0.25)


def test_boundaries_tile_the_outline(cells):
    outline = geo.district_outline()
    polys = list(cells.values())
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(polys, 2))
    assert overlap / outline.area < 1e-9
    assert shapely.union_all(polys).symmetric_difference(outline).area / outline.area < 1e-6


def test_boundaries_do_not_depend_on_row_order(streets, cells):
    shuffled = geo.schematic_boundaries(streets.iloc[::-1].reset_index(drop=True))
    for code, cell in cells.items():
        assert shuffled[code].symmetric_difference(cell).area / cell.area < 1e-9


def test_geojson_is_rounded_valid_and_still_tiles(cells):
    outline = geo.district_outline()
    rounded = []
    for cell in cells.values():
        text = geo.to_geojson(cell)
        doc = json.loads(text)
        assert doc["type"] == "Polygon"
        assert not re.search(r"\.\d{7,}", text)
        poly = shapely.from_geojson(text)
        assert poly.is_valid and poly.exterior.is_ccw
        rounded.append(poly)
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(rounded, 2))
    assert overlap / outline.area < 1e-9
    assert shapely.union_all(rounded).symmetric_difference(outline).area / outline.area < 1e-4


def test_geojson_multipolygon_with_hole():
    square = shapely.box(116.30, 39.90, 116.31, 39.91).difference(shapely.box(116.303, 39.903, 116.304, 39.904))
    doc = json.loads(geo.to_geojson(shapely.MultiPolygon([square, shapely.box(116.32, 39.90, 116.33, 39.91)])))
    assert doc["type"] == "MultiPolygon" and len(doc["coordinates"]) == 2
    parsed = shapely.from_geojson(json.dumps(doc))
    assert parsed.is_valid and parsed.geoms[0].exterior.is_ccw and not parsed.geoms[0].interiors[0].is_ccw


def test_for_d3_turns_the_stored_rings_round_and_rounds():
    """Stored (RFC 7946) exteriors run counter-clockwise; d3-geo wants them clockwise, holes the other way."""
    square = shapely.box(116.30, 39.90, 116.31, 39.91).difference(shapely.box(116.303, 39.903, 116.304, 39.904))
    stored = geo.to_geojson(shapely.MultiPolygon([square, shapely.box(116.32, 39.90, 116.33, 39.91)]))
    doc = geo.for_d3(stored.replace("116.33,", "116.33001,"), ndigits=3)     # a stray digit rounded away
    assert doc["type"] == "MultiPolygon" and len(doc["coordinates"]) == 2
    parsed = shapely.from_geojson(json.dumps(doc))
    assert not parsed.geoms[0].exterior.is_ccw and parsed.geoms[0].interiors[0].is_ccw
    assert not parsed.geoms[1].exterior.is_ccw
    assert {x for ring in doc["coordinates"][1] for x, _ in ring} == {116.32, 116.33}


def test_outer_rings_polygon_and_multipolygon():
    outer = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]
    other = [[10, 10], [11, 10], [11, 11], [10, 10]]
    polygon = json.dumps({"type": "Polygon", "coordinates": [outer, hole]})
    multi = json.dumps({"type": "MultiPolygon", "coordinates": [[outer, hole], [other]]})
    assert geo.outer_rings(polygon) == [outer]          # one ring, the hole dropped
    assert geo.outer_rings(multi) == [outer, other]     # one ring per part, in order


def test_outer_rings_simplified_for_a_map():
    """At a 1e-5° tolerance the points on a straight edge or 0.4 m off it go; the corners stay."""
    ring = [[116.30, 39.90], [116.31, 39.90], [116.32, 39.900004], [116.33, 39.90], [116.33, 39.91],
            [116.30, 39.91], [116.30, 39.90]]
    polygon = json.dumps({"type": "Polygon", "coordinates": [ring]})
    assert geo.outer_rings(polygon) == [ring]
    simple = geo.outer_rings(polygon, 1e-5)[0]
    assert [list(p) for p in simple] == [p for p in ring if p != [116.32, 39.900004] and p != [116.31, 39.90]]


def test_random_points_in():
    outline = geo.district_outline()
    pts = geo.random_points_in(outline, 500, np.random.default_rng(1))
    assert pts.shape == (500, 2)
    assert shapely.contains_xy(outline, pts[:, 0], pts[:, 1]).all()
    np.testing.assert_array_equal(pts, geo.random_points_in(outline, 500, np.random.default_rng(1)))


def test_gcj02_offset_at_xicheng():
    glon, glat = geo.wgs84_to_gcj02(116.37, 39.91)
    assert glon - 116.37 == pytest.approx(0.0062, abs=0.0004)   # ≈530 m east [D]
    assert glat - 39.91 == pytest.approx(0.0014, abs=0.0004)    # ≈155 m north [D]


def test_gcj02_round_trip_vectorised():
    lon, lat = np.meshgrid(np.linspace(116.30, 116.41, 12), np.linspace(39.86, 39.98, 12))
    glon, glat = geo.wgs84_to_gcj02(lon, lat)
    assert glon.shape == lon.shape
    wlon, wlat = geo.gcj02_to_wgs84(glon, glat)
    assert np.abs(wlon - lon).max() < 1e-6 and np.abs(wlat - lat).max() < 1e-6


def test_gcj02_is_identity_outside_china():
    assert geo.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)


def test_haversine_hand_computed():
    # one degree along a meridian = R·π/180 = 6,371,008.8 m × 0.0174533 = 111,195.08 m
    assert geo.haversine_m(39.0, 116.0, 40.0, 116.0) == pytest.approx(111_195.08, abs=0.01)
    # a quarter of the equator = R·π/2
    assert geo.haversine_m(0.0, 0.0, 0.0, 90.0) == pytest.approx(10_007_557.2, abs=0.1)
    d = geo.haversine_m(np.array([39.9, 39.9]), np.array([116.3, 116.3]), np.array([39.9, 39.91]),
                        np.array([116.3, 116.3]))
    assert d[0] == 0 and d[1] == pytest.approx(1111.95, abs=0.01)


def test_walk_radius():
    # 10 minutes at 80 m/min is 800 m of walking, ≈615 m as the crow flies at directness 1.3
    assert geo.walk_radius_m(10, 80, 1.3) == pytest.approx(615.38, abs=0.01)
    assert geo.walk_radius_m(15) == pytest.approx(15 * 80 / 1.3)

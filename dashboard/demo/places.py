"""The demo's static tables: streets, communities, circles and facilities.

Streets are the reference streets with schematic cells; communities get invented names
(catalogue stems) at well-spread points of their street; the 16 circles launch between
2022-06 and three months before the data ends; facilities fill the circles (a few circles
lack some categories, kept clear of them) and the rest of the district.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import shapely

from ..core import geo
from ..core.config import Settings
from . import catalogue
from .sampling import split_integer

FIRST_LAUNCH = np.datetime64("2022-06-01")
LAUNCH_MARGIN_MONTHS = 3       # the last circle launches 3 months before the data ends

_INCOMPLETE_CIRCLES = 6        # circles that lack 1–3 categories [E]
_MAX_MISSING = 3
_FACILITY_FILL = 0.92          # place a circle's facilities within this share of its radius
_CLEARANCE = 1.05              # keep a facility this far out of circles that must lack it
_UNKNOWN_OPENING = 0.2         # facilities with no known opening date
_OPENED_WITH_CIRCLE = 0.3      # opened around the circle's launch (the circle filled gaps)
_OLD_SHOPS_FROM = np.datetime64("2008-01-01")
_BRANCH_NUMBERS = "二三四五六七八九"
_WALK = (Settings().walk_m_per_min, Settings().route_directness)


def street_table(streets: pd.DataFrame, geometry: dict[str, str]) -> pd.DataFrame:
    """The streets table: the reference streets with their schematic cells (GeoJSON by code)."""
    return pd.DataFrame({
        "street_code": streets["street_code"], "name_zh": streets["name_zh"],
        "short_zh": streets["short_zh"], "name_en": streets["name_en"],
        "population": streets["population_2020"], "area_km2": streets["area_km2"],
        "centroid_lat": streets["centroid_lat"], "centroid_lon": streets["centroid_lon"],
        "geometry_geojson": streets["street_code"].map(geometry), "boundary_kind": "schematic",
    })


def community_table(streets: pd.DataFrame, polygons: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Each street's communities: unique names, spread points inside it, populations summing up."""
    used: set[str] = set()
    parts = []
    for s in streets.itertuples():
        k = int(s.communities)
        points = _spread_points(polygons[s.street_code], k, rng)
        parts.append(pd.DataFrame({
            "community_id": [f"{s.street_code}{i:03d}" for i in range(1, k + 1)],
            "street_code": s.street_code,
            "name_zh": _community_names(catalogue.COMMUNITY_STEMS[s.short_zh], k, rng, used),
            "lat": points[:, 1], "lon": points[:, 0],
            "population": split_integer(int(s.population_2020), rng.gamma(6.0, size=k)),
        }))
    return pd.concat(parts, ignore_index=True)


def _community_names(stems: tuple[str, ...], k: int, rng: np.random.Generator, used: set[str]) -> list[str]:
    """`k` community names, unique across the district: stem + suffix + 社区."""
    names: list[str] = []
    order = rng.permutation(len(stems))
    for attempt in range(50 * k):
        stem = stems[order[attempt % len(stems)]]
        place = stem[-1] in catalogue.PLACE_ENDINGS  # the stem names a place already: a direction at most
        suffixes = catalogue.DIRECTION_SUFFIXES if place else catalogue.PLACE_SUFFIXES
        name = f"{stem}{suffixes[rng.integers(len(suffixes))]}社区"
        if name not in used:
            used.add(name)
            names.append(name)
            if len(names) == k:
                return names
    raise RuntimeError("ran out of community names")


def _spread_points(polygon, k: int, rng: np.random.Generator, candidates: int = 16) -> np.ndarray:
    """`k` well-spread (lon, lat) points inside `polygon`: best-candidate sampling.

    Each point is the candidate farthest from the points already chosen and from the
    polygon's edge (counted double, so points keep off the border).
    """
    local = geo.project(polygon)
    chosen = np.empty((0, 2))
    for _ in range(k):
        cand = geo.random_points_in(local, candidates, rng)
        score = 2 * shapely.distance(shapely.points(cand), local.exterior)
        if len(chosen):
            gaps = np.hypot(cand[:, None, 0] - chosen[None, :, 0], cand[:, None, 1] - chosen[None, :, 1])
            score = np.minimum(score, gaps.min(axis=1))
        chosen = np.vstack([chosen, cand[np.argmax(score)]])
    return np.column_stack(geo.from_local_m(chosen[:, 0], chosen[:, 1]))


def circle_table(streets: pd.DataFrame, polygons: dict, data_as_of: date, rng: np.random.Generator) -> pd.DataFrame:
    """The 16 circles: centres spread inside their street, launches spread over 2022-06..end."""
    circles = catalogue.CIRCLES
    code = dict(zip(streets["short_zh"], streets["street_code"]))
    centres = {}
    for short in dict.fromkeys(c.street for c in circles):
        k = sum(c.street == short for c in circles)
        centres[short] = list(_spread_points(polygons[code[short]], k, rng))
    points = np.array([centres[c.street].pop(0) for c in circles])
    return pd.DataFrame({
        "circle_id": [f"C{i:02d}" for i in range(1, len(circles) + 1)],
        "name_zh": [f"{c.name}便民生活圈" for c in circles],
        "street_code": [code[c.street] for c in circles],
        "center_lat": points[:, 1], "center_lon": points[:, 0],
        "walk_minutes": [c.walk_minutes for c in circles],
        "launched_on": [d.item() for d in _launch_dates(len(circles), data_as_of, rng)],
    })


def _launch_dates(n: int, data_as_of: date, rng: np.random.Generator) -> np.ndarray:
    """`n` launch dates spread evenly over [2022-06, end − 3 months], in random order."""
    first = FIRST_LAUNCH.astype("datetime64[M]")
    last = np.datetime64(data_as_of, "M") - LAUNCH_MARGIN_MONTHS
    steps = np.round(np.linspace(0, (last - first).astype(int), n)).astype(int)
    months = (first + steps)[rng.permutation(n)]
    return months.astype("datetime64[D]") + rng.integers(0, 28, n)


def facility_table(circles: pd.DataFrame, communities: pd.DataFrame, data_as_of: date,
                   rng: np.random.Generator) -> pd.DataFrame:
    """Facilities of the ten categories in each circle (some circles lack some), and outside.

    A category a circle lacks is kept out of that circle's whole walking radius, whoever
    the facility belongs to, so the gap is real on the map.
    """
    radius = np.array([geo.walk_radius_m(m, *_WALK) for m in circles["walk_minutes"]])
    centres = circles[["center_lon", "center_lat"]].to_numpy()
    missing = _missing_categories(len(circles), rng)
    rows = []  # (category, lon, lat, circle index or -1)
    for i in range(len(circles)):
        for cat, spec in catalogue.FACILITIES.items():
            lo, hi = spec.per_circle
            if cat not in missing[i]:
                rows += [(cat, *_facility_point(rng, centres, radius, missing, cat, i), i)
                         for _ in range(rng.integers(lo, hi + 1))]
    for cat, n in catalogue.OUTSIDE_FACILITIES.items():
        rows += [(cat, *_facility_point(rng, centres, radius, missing, cat, None), -1) for _ in range(n)]
    cat, lon, lat, home = (np.array(col) for col in zip(*rows))
    launched = np.array([circles["launched_on"].iloc[h] if h >= 0 else None for h in home])
    return pd.DataFrame({
        "facility_id": [f"F{i:04d}" for i in range(1, len(rows) + 1)],
        "category": cat,
        "name_zh": _facility_names(cat, lon, lat, communities, rng),
        "lat": lat, "lon": lon,
        "circle_id": [circles["circle_id"].iloc[h] if h >= 0 else None for h in home],
        "opened_on": _opening_dates(launched, data_as_of, rng),
    })


def _missing_categories(n: int, rng: np.random.Generator) -> list[tuple[str, ...]]:
    """For each circle the categories it lacks: 1–3 for a few circles, none for the rest."""
    cats = list(catalogue.FACILITIES)
    p = np.array([spec.missing_weight for spec in catalogue.FACILITIES.values()])
    missing: list[tuple[str, ...]] = [()] * n
    for i in rng.choice(n, _INCOMPLETE_CIRCLES, replace=False):
        k = rng.integers(1, _MAX_MISSING + 1)
        missing[i] = tuple(str(c) for c in rng.choice(cats, k, replace=False, p=p / p.sum()))
    return missing


def _facility_point(rng, centres, radius, missing, cat: str, home: int | None) -> tuple[float, float]:
    """A (lon, lat) for a facility of `cat`: inside circle `home` (or outside every circle
    when None), inside the district, and clear of every circle that must lack `cat`."""
    outline = geo.district_outline()
    keep_out = np.array([cat in m for m in missing]) if home is not None else np.ones(len(centres), bool)
    for _ in range(1000):
        if home is None:
            lon, lat = geo.random_points_in(outline, 32, rng).T
        else:
            r = radius[home] * _FACILITY_FILL * np.sqrt(rng.random(32))
            angle = rng.uniform(0, 2 * np.pi, 32)
            x, y = geo.to_local_m(*centres[home])
            lon, lat = geo.from_local_m(x + r * np.cos(angle), y + r * np.sin(angle))
        dist = geo.haversine_m(lat[:, None], lon[:, None], centres[None, :, 1], centres[None, :, 0])
        ok = shapely.contains_xy(outline, lon, lat) & ~((dist < radius * _CLEARANCE) & keep_out).any(axis=1)
        if ok.any():
            k = np.argmax(ok)
            return float(lon[k]), float(lat[k])
    raise RuntimeError(f"no room for a {cat} facility")


def _facility_names(cat, lon, lat, communities, rng) -> list[str]:
    """'Brand(place店)', the place being the nearest community; repeats get 二店, 三店…"""
    dist = geo.haversine_m(lat[:, None], lon[:, None], communities["lat"].to_numpy()[None, :],
                           communities["lon"].to_numpy()[None, :])
    places = communities["name_zh"].str.removesuffix("社区").to_numpy()[dist.argmin(axis=1)]
    names, seen = [], {}
    for c, place in zip(cat, places):
        brands = catalogue.FACILITIES[c].brands
        brand = brands[rng.integers(len(brands))]
        n = seen[(brand, place)] = seen.get((brand, place), 0) + 1
        names.append(f"{brand}({place}{_BRANCH_NUMBERS[n - 2] if n > 1 else ''}店)")
    return names


def _opening_dates(launched: np.ndarray, data_as_of: date, rng: np.random.Generator) -> list[date | None]:
    """Opening dates: some unknown, some around their circle's launch, the rest older shops."""
    n = len(launched)
    u = rng.random(n)
    old_span = (min(FIRST_LAUNCH, np.datetime64(data_as_of)) - _OLD_SHOPS_FROM).astype(int)
    old = _OLD_SHOPS_FROM + rng.integers(0, old_span, n)
    around = rng.integers(-180, 366, n)
    out: list[date | None] = []
    for i in range(n):
        if u[i] < _UNKNOWN_OPENING:
            out.append(None)
        elif launched[i] is not None and u[i] < _UNKNOWN_OPENING + _OPENED_WITH_CIRCLE:
            out.append(min(launched[i] + timedelta(days=int(around[i])), data_as_of))
        else:
            out.append(old[i].item())
    return out

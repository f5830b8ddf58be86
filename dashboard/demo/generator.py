"""Deterministic, realistic demo data: streets, communities, circles, facilities, tickets.

`build(seed, end, years, tickets)` makes the static tables at once and a plan for the
tickets; `DemoData.ticket_batches()` then generates the tickets month by month, fully
vectorised, so ten million of them fit in a minute and a few hundred MB.  The same
arguments give byte-identical Arrow tables: every random draw comes from a numpy
Generator seeded by (seed, stream[, month]), never from global or hash-based state.

Calibration follows ../shared/reference/FACTS.md; constants carry its markers:
[S] sourced, [D] derived from sourced figures, [E] estimate / assumption.  The literal
tables (categories, name stems, circles, facilities, channels, volume rhythm) are data
files in data/, read by catalogue.py, with their markers beside them.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from ..core import geo, limits, schema
from ..core.config import Settings
from ..core.reference import load_streets  # also read from here by ui and tests/test_demo.py
from . import catalogue
from .catalogue import CATEGORIES as _CAT

GENERATOR_VERSION = "demo-1"

# Random streams: each part of the data draws from its own Generator, so changing one part
# (say, the facility list) leaves the others byte-identical.
_STREAM_COMMUNITIES, _STREAM_CIRCLES, _STREAM_FACILITIES, _STREAM_PLAN, _STREAM_MONTH = range(1, 6)

# --- volume -------------------------------------------------------------------------------
_TICKETS_LAST_YEAR = 271_400   # Xicheng 2024 [S]; the last 12 months of the demo get this
_YEARLY_GROWTH = 0.03          # volume grows a little each year [E]
_COMMUNITY_SPREAD_SD = 0.25    # lognormal spread of tickets per resident between communities [E]
_HOTSPOTS = 6                  # communities that call 3–5× as often, every month [E]
_HOTSPOT_FACTOR = (3.2, 4.8)
_STREET_MONTH_VOLUME_SD = 0.06  # lognormal month-to-month volume wobble of a street [E]
_DAY_NOISE_SD = 0.07           # lognormal day-to-day wobble (weather, news) [E]
_STORM_DAYS = 3                # heavy-rain days per summer month: drainage and leak spikes [E]
_STORM_FACTOR = 5.0

# --- rates --------------------------------------------------------------------------------
# 12-month block means, the last block first: 2024 levels [S]; the year before lower by the
# published gains [S]; each earlier year 1.5 points lower again [E] (2 points would put the
# oldest year's street-months below the plausible 93 % / 94 % floors).
_RESOLUTION = (0.9796, (0.0241, 0.015))
_SATISFACTION = (0.9827, (0.0182, 0.015))
_RESPONSE = (0.998, (0.0015, 0.0015))          # [E]
_STREET_SD = (0.25, 0.15, 0.15)     # persistent street effect, logit: contact, resolve, satisfy [E]
_STREET_MONTH_SD = (0.3, 0.2, 0.2)  # month-to-month street effect, logit [E]
_STREET_MONTH_PERSISTENCE = 0.6     # AR(1): a good month tends to follow a good month [E]
_BAD_MONTHS_PER_YEAR = 2            # street-months that go badly, across the district [E]
_BAD_MONTH_SHIFT = (-1.8, -1.0, -0.9)  # logit shift of a bad street-month [E]
_BAD_MONTH_SLOWNESS = 0.5              # log-delay shift of a bad street-month [E]
_UNRESOLVED_MIX = (0.10, 0.30, 0.60)   # 满意 / 基本满意 / 不满意 of an unresolved ticket [E]
_BASIC_SHARE = 0.7                     # 基本满意 among resolved tickets not fully 满意 [E]
_BASIC_FACTOR = Settings().basic_satisfied_factor  # 基本满意 counts 0.9 [S-code]

# --- handling times -----------------------------------------------------------------------
# time limits: core/limits.py (a category's limit class, then contact within min(limit, 24 h))
_CONTACT_DELAY = (0.15, 0.8)   # delay / contact limit: lognormal median, sigma -> ~1 % late [E]
_CLOSE_DELAY = (0.42, 0.5)     # delay / limit: lognormal median, sigma -> ~4 % overdue [E]
_MIN_CLOSE_AFTER_CONTACT_S = 600

# --- callers, channels, places --------------------------------------------------------------
_REPEAT_SHARE = 0.07           # tickets from callers with 3+ tickets in 30 days [E]
_EPISODE_SIZES, _EPISODE_P = np.array([3, 4, 5]), np.array([0.55, 0.30, 0.15])
_EPISODE_SPREAD_DAYS = 12      # a repeat caller's tickets lie within ±12 days of the first
_EPISODE_SAME_CATEGORY = 0.75
_ANONYMOUS_SHARE = 0.03        # no caller key (anonymous web submissions) [E]
_NO_COMMUNITY_SHARE = 0.01     # street-level tickets: no community, no point [E]
_JITTER_M = 110.0              # per axis: tickets lie ≈140 m (mean) from their community's point

_HOUR_CDF = np.cumsum(catalogue.HOUR_PROFILES / catalogue.HOUR_PROFILES.sum(axis=1, keepdims=True), axis=1)
_HOUR_CDF[:, -1] = 1.0

# --- static tables: names and places ----------------------------------------------------------
_FIRST_LAUNCH = np.datetime64("2022-06-01")
_LAUNCH_MARGIN_MONTHS = 3      # the last circle launches 3 months before the data ends

_INCOMPLETE_CIRCLES = 6        # circles that lack 1–3 categories [E]
_MAX_MISSING = 3
_FACILITY_FILL = 0.92          # place a circle's facilities within this share of its radius
_CLEARANCE = 1.05              # keep a facility this far out of circles that must lack it
_UNKNOWN_OPENING = 0.2         # facilities with no known opening date
_OPENED_WITH_CIRCLE = 0.3      # opened around the circle's launch (the circle filled gaps)
_OLD_SHOPS_FROM = np.datetime64("2008-01-01")
_BRANCH_NUMBERS = "二三四五六七八九"

_US_PER_S = 1_000_000
_US_PER_H = 3600 * _US_PER_S


_WALK = (Settings().walk_m_per_min, Settings().route_directness)
_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_NIBBLE_SHIFTS = np.arange(60, -1, -4, dtype=np.uint64)
_CHANNEL_NAMES = pa.array(catalogue.CHANNELS)
_SATISFACTION_NAMES = pa.array(schema.SATISFACTION_VALUES)


# --- public API ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Plan:
    """Everything the monthly ticket batches need, fixed at build time."""

    seed: int
    months: np.ndarray            # datetime64[M]: the ticket window
    first_day: np.datetime64
    month_start: np.ndarray       # index of each month's first day in `daily`, plus the end
    end_us: int                   # first microsecond after the data ends
    daily: np.ndarray             # (days, categories) expected tickets
    expected: np.ndarray          # expected tickets per month
    community_weight: np.ndarray  # relative tickets per community
    community_street: np.ndarray  # street index of each community
    community_lon: np.ndarray
    community_lat: np.ndarray
    community_ids: pa.Array
    street_codes: pa.Array
    street_polygons: tuple        # stored (rounded) street polygons, prepared
    volume: np.ndarray            # (months, streets) street-month volume factor
    base: np.ndarray              # (3, months) district logit: contact, resolve, satisfy
    quality: np.ndarray           # (3, months, streets) street-month logit effects
    slowness: np.ndarray          # (months, streets) shift of log handling delays
    channel_cdf: np.ndarray       # (months, channels)
    salt: np.uint64               # key of the caller hash


@dataclass
class DemoData:
    """The demo: static tables at once, tickets generated on demand month by month."""

    static: dict[str, pa.Table]   # streets, communities, circles, facilities
    meta: dict                    # seed, end, years, tickets, target_tickets, generator_version
    data_as_of: date              # last day of the end month
    _plan: _Plan = field(repr=False, compare=False)

    def ticket_batches(self) -> Iterator[pa.Table]:
        """Tickets as one Arrow table per month: each sorted by created_at, months ascending.

        Deterministic: every call yields the same batches.
        """
        for m in range(len(self._plan.months)):
            yield _month_batch(self._plan, m)


def default_end(today: date | None = None) -> str:
    """The last complete month before `today` (default: today), as 'YYYY-MM'."""
    today = today or date.today()
    return (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def build(seed: int = 2024, end: str | None = None, years: int = 3, tickets: int | None = None) -> DemoData:
    """Build the demo for `years` years of tickets ending with month `end` ('YYYY-MM').

    `tickets=None` gives the real volume (≈271k in the last 12 months); `tickets=N` scales
    the whole window to ≈N tickets.  The same arguments give identical tables.
    """
    end = end or default_end()
    months = _window(end, years)
    if tickets is not None and tickets < 1:
        raise ValueError("tickets must be a positive number")
    data_as_of = ((months[-1] + 1).astype("datetime64[D]") - 1).item()
    streets = load_streets()
    geometry = {code: geo.to_geojson(cell) for code, cell in geo.schematic_boundaries(streets).items()}
    polygons = {code: shapely.from_geojson(text) for code, text in geometry.items()}
    communities = _communities(streets, polygons, _rng(seed, _STREAM_COMMUNITIES))
    circles = _circles(streets, polygons, data_as_of, _rng(seed, _STREAM_CIRCLES))
    facilities = _facilities(circles, communities, data_as_of, _rng(seed, _STREAM_FACILITIES))
    plan = _make_plan(seed, months, streets, polygons, communities, tickets)
    frames = {"streets": _streets_frame(streets, geometry), "communities": communities,
              "circles": circles, "facilities": facilities}
    meta = {"seed": seed, "end": end, "years": years, "tickets": tickets,
            "target_tickets": int(round(plan.expected.sum())), "generator_version": GENERATOR_VERSION}
    return DemoData(static={name: schema.conform(name, df) for name, df in frames.items()},
                    meta=meta, data_as_of=data_as_of, _plan=plan)


# --- small helpers ------------------------------------------------------------------------------

def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, *stream])


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _draw(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """`n` indices drawn with probability proportional to `weights` (inverse CDF)."""
    cdf = np.cumsum(weights, dtype=float)
    cdf /= cdf[-1]
    return np.searchsorted(cdf, rng.random(n), side="right")


def _split_integer(total: int, weights: np.ndarray) -> np.ndarray:
    """`total` split in proportion to `weights` into integers summing to it (largest remainder)."""
    raw = weights / weights.sum() * total
    out = np.floor(raw).astype(np.int64)
    out[np.argsort(out - raw, kind="stable")[: total - out.sum()]] += 1
    return out


def _window(end: str, years: int) -> np.ndarray:
    """The months of the ticket window, validated: `years` × 12 months ending with `end`."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", end or ""):
        raise ValueError(f"end must look like 2024-12, not {end!r}")
    if not 1 <= years <= 8:
        raise ValueError("years must be between 1 and 8")
    last = np.datetime64(end, "M")
    months = np.arange(last - 12 * years + 1, last + 1)
    lunar_years = {int(str(d)[:4]) for d in catalogue.LUNAR_NEW_YEAR}
    if not {int(str(m)[:4]) for m in months} <= lunar_years:
        raise ValueError(f"the demo knows Spring Festival dates for {min(lunar_years)}–{max(lunar_years)} only")
    if last - _LAUNCH_MARGIN_MONTHS < _FIRST_LAUNCH.astype("datetime64[M]"):
        raise ValueError("end must be 2022-09 or later: the circles launch from 2022-06")
    return months


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


# --- static tables ------------------------------------------------------------------------------

def _streets_frame(streets: pd.DataFrame, geometry: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({
        "street_code": streets["street_code"], "name_zh": streets["name_zh"],
        "short_zh": streets["short_zh"], "name_en": streets["name_en"],
        "population": streets["population_2020"], "area_km2": streets["area_km2"],
        "centroid_lat": streets["centroid_lat"], "centroid_lon": streets["centroid_lon"],
        "geometry_geojson": streets["street_code"].map(geometry), "boundary_kind": "schematic",
    })


def _communities(streets: pd.DataFrame, polygons: dict, rng: np.random.Generator) -> pd.DataFrame:
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
            "population": _split_integer(int(s.population_2020), rng.gamma(6.0, size=k)),
        }))
    return pd.concat(parts, ignore_index=True)


def _community_names(stems: tuple[str, ...], k: int, rng: np.random.Generator, used: set[str]) -> list[str]:
    """`k` community names, unique across the district: stem + suffix + 社区."""
    names: list[str] = []
    order = rng.permutation(len(stems))
    for attempt in range(50 * k):
        stem = stems[order[attempt % len(stems)]]
        suffixes = catalogue.DIRECTION_SUFFIXES if stem[-1] in catalogue.PLACE_ENDINGS else catalogue.PLACE_SUFFIXES
        name = f"{stem}{suffixes[rng.integers(len(suffixes))]}社区"
        if name not in used:
            used.add(name)
            names.append(name)
            if len(names) == k:
                return names
    raise RuntimeError("ran out of community names")


def _circles(streets: pd.DataFrame, polygons: dict, data_as_of: date, rng: np.random.Generator) -> pd.DataFrame:
    """The 16 circles: centres spread inside their street, launches spread over 2022-06..end."""
    code = dict(zip(streets["short_zh"], streets["street_code"]))
    centres = {}
    for short in dict.fromkeys(c[1] for c in catalogue.CIRCLES):
        k = sum(c[1] == short for c in catalogue.CIRCLES)
        centres[short] = list(_spread_points(polygons[code[short]], k, rng))
    points = np.array([centres[short].pop(0) for _, short, _ in catalogue.CIRCLES])
    return pd.DataFrame({
        "circle_id": [f"C{i:02d}" for i in range(1, len(catalogue.CIRCLES) + 1)],
        "name_zh": [f"{name}便民生活圈" for name, _, _ in catalogue.CIRCLES],
        "street_code": [code[short] for _, short, _ in catalogue.CIRCLES],
        "center_lat": points[:, 1], "center_lon": points[:, 0],
        "walk_minutes": [minutes for _, _, minutes in catalogue.CIRCLES],
        "launched_on": [d.item() for d in _launch_dates(len(catalogue.CIRCLES), data_as_of, rng)],
    })


def _launch_dates(n: int, data_as_of: date, rng: np.random.Generator) -> np.ndarray:
    """`n` launch dates spread evenly over [2022-06, end − 3 months], in random order."""
    first = _FIRST_LAUNCH.astype("datetime64[M]")
    last = np.datetime64(data_as_of, "M") - _LAUNCH_MARGIN_MONTHS
    steps = np.round(np.linspace(0, (last - first).astype(int), n)).astype(int)
    months = (first + steps)[rng.permutation(n)]
    return months.astype("datetime64[D]") + rng.integers(0, 28, n)


def _facilities(circles: pd.DataFrame, communities: pd.DataFrame, data_as_of: date,
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
        for cat, (_, (lo, hi), _) in catalogue.FACILITIES.items():
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
    p = np.array([spec[2] for spec in catalogue.FACILITIES.values()])
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
        brands = catalogue.FACILITIES[c][0]
        brand = brands[rng.integers(len(brands))]
        n = seen[(brand, place)] = seen.get((brand, place), 0) + 1
        names.append(f"{brand}({place}{_BRANCH_NUMBERS[n - 2] if n > 1 else ''}店)")
    return names


def _opening_dates(launched: np.ndarray, data_as_of: date, rng: np.random.Generator) -> list[date | None]:
    """Opening dates: some unknown, some around their circle's launch, the rest older shops."""
    n = len(launched)
    u = rng.random(n)
    old_span = (min(_FIRST_LAUNCH, np.datetime64(data_as_of)) - _OLD_SHOPS_FROM).astype(int)
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


# --- the ticket plan ----------------------------------------------------------------------------

def _make_plan(seed: int, months: np.ndarray, streets: pd.DataFrame, polygons: dict,
               communities: pd.DataFrame, tickets: int | None) -> _Plan:
    rng = _rng(seed, _STREAM_PLAN)
    n_months, n_streets = len(months), len(streets)
    first_day = months[0].astype("datetime64[D]")
    days = np.arange(first_day, (months[-1] + 1).astype("datetime64[D]"))
    month_start = np.searchsorted(days, np.append(months, months[-1] + 1).astype("datetime64[D]"))
    daily = (_day_factor(days) * _growth(days))[:, None] * _season_matrix(days)[:, _CAT.season] * _CAT.share
    per_month = np.add.reduceat(daily.sum(axis=1), month_start[:-1])
    daily *= (_TICKETS_LAST_YEAR / per_month[-12:].sum()) if tickets is None else tickets / per_month.sum()

    street_of = pd.Index(streets["street_code"]).get_indexer(communities["street_code"])
    weight = _community_weights(communities, streets, street_of, rng)
    volume = np.exp(rng.normal(0, _STREET_MONTH_VOLUME_SD, (n_months, n_streets)))
    street_w = np.stack([np.bincount(street_of, weight * volume[m, street_of], n_streets) for m in range(n_months)])
    cat_w = np.add.reduceat(daily, month_start[:-1], axis=0)
    quality, shock = _street_effects(rng, n_months, n_streets)
    base = _calibrate(n_months, quality, street_w / street_w.sum(1, keepdims=True), cat_w / cat_w.sum(1, keepdims=True))
    for polygon in polygons.values():
        shapely.prepare(polygon)
    return _Plan(
        seed=seed, months=months, first_day=first_day, month_start=month_start,
        end_us=int((months[-1] + 1).astype("datetime64[us]").astype(np.int64)),
        daily=daily, expected=np.add.reduceat(daily.sum(axis=1), month_start[:-1]),
        community_weight=weight, community_street=street_of,
        community_lon=communities["lon"].to_numpy(), community_lat=communities["lat"].to_numpy(),
        community_ids=pa.array(communities["community_id"]), street_codes=pa.array(streets["street_code"]),
        street_polygons=tuple(polygons[c] for c in streets["street_code"]),
        volume=volume, base=base,
        quality=quality + shock[None] * np.array(_BAD_MONTH_SHIFT)[:, None, None],
        slowness=shock * _BAD_MONTH_SLOWNESS,
        channel_cdf=_channel_cdf(n_months),
        salt=rng.integers(0, 2**63, dtype=np.uint64),
    )


def _day_factor(days: np.ndarray) -> np.ndarray:
    """Relative volume per day: weekday rhythm and the Spring Festival dip."""
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    factor = np.array(catalogue.WEEKDAY_FACTOR)[weekday]
    for new_year in catalogue.LUNAR_NEW_YEAR:
        for offset, dip in catalogue.SPRING_FESTIVAL_DIP.items():
            factor[days == new_year + offset] *= dip
    return factor


def _growth(days: np.ndarray) -> np.ndarray:
    """Volume trend: +3 % a year, 1.0 on the last day."""
    return (1 + _YEARLY_GROWTH) ** ((days - days[-1]).astype(float) / 365.25)


def _season_matrix(days: np.ndarray) -> np.ndarray:
    """(days, seasons) relative volume of each seasonal profile, each averaging 1 over a year."""
    reference_year = np.arange(np.datetime64("2023-01-01"), np.datetime64("2024-01-01"))
    return _raw_seasons(days) / _raw_seasons(reference_year).mean(axis=0)


def _raw_seasons(days: np.ndarray) -> np.ndarray:
    month = days.astype("datetime64[M]").astype(int) % 12 + 1
    mday = (days - days.astype("datetime64[M]")).astype(int) + 1
    doy = (days - days.astype("datetime64[Y]")).astype(int) + 1
    heating = (month >= 12) | (month <= 2) | ((month == 11) & (mday >= 15)) | ((month == 3) & (mday <= 15))  # [S]
    start = ((month == 11) & (mday >= 15)) | ((month == 12) & (mday <= 5))  # complaints peak as heating starts
    return np.column_stack([
        np.ones(len(days)),                                                    # flat
        np.where(heating, 1.0 + 0.8 * start + 0.2 * (month == 1), 0.07),       # heating [E]
        1 + 0.9 * np.exp(-(((doy - 200) / 40.0) ** 2)),                        # summer: noise, power
        0.15 + 4.0 * np.exp(-(((doy - 205) / 18.0) ** 2)),                     # rain: late July [E]
        np.where((month == 12) | (month <= 2), 1.0, 0.02),                     # snow
        np.where((month == 4) | ((month == 5) & (mday <= 25)), 1.0, 0.03),     # catkins
        np.where((month == 12) | (month <= 2), 0.6, 1.15),                     # building works
    ])


def _community_weights(communities, streets, street_of, rng) -> np.ndarray:
    """Relative ticket volume of each community: residents × visitor factor × spread;
    a few hotspots call 3–5× as often as their neighbours, every month."""
    visitor = streets["short_zh"].map(catalogue.VISITOR_FACTOR).fillna(1.0).to_numpy()
    spread = np.exp(rng.normal(0, _COMMUNITY_SPREAD_SD, len(communities)))
    hot = rng.choice(len(communities), _HOTSPOTS, replace=False)
    spread[hot] = rng.uniform(*_HOTSPOT_FACTOR, _HOTSPOTS)
    return communities["population"].to_numpy() * visitor[street_of] * spread


def _street_effects(rng, n_months: int, n_streets: int) -> tuple[np.ndarray, np.ndarray]:
    """(3, months, streets) logit effects and a 0/1 bad-month map.

    Effect = persistent street effect + an AR(1) monthly effect, so ranks move every month
    but not at random.
    """
    rho = _STREET_MONTH_PERSISTENCE
    noise = rng.normal(0, 1, (3, n_months, n_streets))
    monthly = np.empty_like(noise)
    monthly[:, 0] = noise[:, 0]
    for m in range(1, n_months):
        monthly[:, m] = rho * monthly[:, m - 1] + np.sqrt(1 - rho**2) * noise[:, m]
    sd, monthly_sd = np.array(_STREET_SD)[:, None, None], np.array(_STREET_MONTH_SD)[:, None, None]
    effects = rng.normal(0, 1, (3, 1, n_streets)) * sd + monthly * monthly_sd
    shock = np.zeros(n_months * n_streets)
    shock[rng.choice(shock.size, max(2, round(_BAD_MONTHS_PER_YEAR * n_months / 12)), replace=False)] = 1
    return effects, shock.reshape(n_months, n_streets)


def _block_curve(last: float, steps: tuple[float, float], n_months: int) -> np.ndarray:
    """A monthly level whose 12-month block means step down from `last` going back.

    Piecewise linear through one anchor per block centre, flat beyond the outer ones; the
    anchors are solved so each block's mean is exact.
    """
    years = n_months // 12
    means = last - np.concatenate([[0], np.cumsum([steps[0]] + [steps[1]] * (years - 2))])[:years]
    back = np.arange(n_months)[::-1]  # months before the end month
    centres = 5.5 + 12.0 * np.arange(years)
    basis = np.array([np.interp(back, centres, e) for e in np.eye(years)])  # (anchors, months)
    block_of = back // 12
    mixing = np.array([[basis[j, block_of == b].mean() for j in range(years)] for b in range(years)])
    return np.interp(back, centres, np.linalg.solve(mixing, means))


def _solve_logit(target: np.ndarray, offsets: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per month m, the b with Σ_k weights[m,k]·σ(b + offsets[m,k]) = target[m] (bisection)."""
    lo, hi = np.full(len(target), -10.0), np.full(len(target), 20.0)
    for _ in range(60):
        mid = (lo + hi) / 2
        low = (weights * _sigmoid(mid[:, None] + offsets)).sum(axis=1) < target
        lo, hi = np.where(low, mid, lo), np.where(low, hi, mid)
    return (lo + hi) / 2


def _calibrate(n_months: int, quality: np.ndarray, street_w: np.ndarray, cat_w: np.ndarray) -> np.ndarray:
    """District base logits per month so that, before bad-month shocks, the expected
    response, resolution and satisfaction rates follow their block curves."""
    response = _block_curve(_RESPONSE[0], _RESPONSE[1], n_months)
    resolution = _block_curve(_RESOLUTION[0], _RESOLUTION[1], n_months)
    satisfaction = _block_curve(_SATISFACTION[0], _SATISFACTION[1], n_months)
    unresolved_score = _UNRESOLVED_MIX[0] + _BASIC_FACTOR * _UNRESOLVED_MIX[1]
    resolve_offsets = (quality[1][:, :, None] + _CAT.difficulty[None, None, :]).reshape(n_months, -1)
    resolve_w = (street_w[:, :, None] * cat_w[:, None, :]).reshape(n_months, -1)
    return np.stack([
        _solve_logit(response, quality[0], street_w),
        # resolving needs contact first: P(resolved | contacted) = resolution / response
        _solve_logit(resolution / response, resolve_offsets, resolve_w),
        # satisfaction = resolution × score(resolved) + (1 − resolution) × score(unresolved)
        _solve_logit((satisfaction - (1 - resolution) * unresolved_score) / resolution, quality[2], street_w),
    ])


def _channel_cdf(n_months: int) -> np.ndarray:
    share = np.array(catalogue.CHANNEL_SHARE) + np.outer(np.arange(n_months) / 12, catalogue.CHANNEL_DRIFT)
    share = np.clip(share, 0.01, None)
    cdf = np.cumsum(share / share.sum(axis=1, keepdims=True), axis=1)
    cdf[:, -1] = 1.0
    return cdf


# --- one month of tickets -----------------------------------------------------------------------

def _month_batch(plan: _Plan, m: int) -> pa.Table:
    """Month `m`'s tickets, sorted by created_at; all vectorised."""
    rng = _rng(plan.seed, _STREAM_MONTH, m)
    lo, hi = plan.month_start[m], plan.month_start[m + 1]
    days = plan.first_day + np.arange(lo, hi)
    n = int(rng.poisson(plan.expected[m]))
    if n >= 10**7:
        raise ValueError("more than 10 million tickets in one month: ticket ids would overflow")
    day, cat = _draw_day_category(rng, plan.daily[lo:hi], days, n)
    comm = _draw(rng, plan.community_weight * plan.volume[m, plan.community_street], n)
    caller = (np.uint64(m) << np.uint64(32)) | np.arange(n, dtype=np.uint64)
    repeat = _repeat_callers(rng, day, cat, comm, caller, len(days))
    created = _created_us(rng, days, day, cat)
    order = np.argsort(created, kind="stable")
    created, cat, comm, caller, repeat = created[order], cat[order], comm[order], caller[order], repeat[order]
    street = plan.community_street[comm]
    channel = np.searchsorted(plan.channel_cdf[m], rng.random(n), side="right")
    out = _outcomes(rng, plan, m, created, cat, street, channel)
    placed = rng.random(n) >= _NO_COMMUNITY_SHARE
    lon, lat = _locations(rng, plan, comm, street)
    anonymous = (rng.random(n) < _ANONYMOUS_SHARE) & ~repeat
    template = _CAT.template_start[cat] + (rng.random(n) * _CAT.template_count[cat]).astype(np.int64)
    ts = schema.TS
    return pa.Table.from_arrays([
        _ticket_ids(plan.months[m], n),
        pa.array(created, ts),
        plan.street_codes.take(pa.array(street)),
        plan.community_ids.take(pa.array(comm, mask=~placed)),
        _CAT.l1.take(pa.array(cat)),
        _CAT.l2.take(pa.array(cat)),
        _CHANNEL_NAMES.take(pa.array(channel)),
        pa.array(out["due"], ts),
        pa.array(out["contacted_at"], ts, mask=~out["contacted"]),
        pa.array(out["closed_at"], ts, mask=out["open"]),
        pa.array(out["valid"]),
        pa.array(out["contacted"]),
        pa.array(out["resolved"]),
        _SATISFACTION_NAMES.take(pa.array(out["satisfaction"], mask=~out["valid"])),
        pa.array(lat, mask=~placed),
        pa.array(lon, mask=~placed),
        _caller_keys(caller ^ plan.salt, anonymous),
        _CAT.templates.take(pa.array(template)),
    ], schema=schema.TABLES["tickets"])


def _draw_day_category(rng, daily: np.ndarray, days: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Day-of-month and category of `n` tickets, jointly: the expected (day, category)
    volumes with day-to-day noise and, in summer, a few storm days for rain categories."""
    weights = daily * np.exp(rng.normal(0, _DAY_NOISE_SD, len(days)))[:, None]
    if days[0].astype("datetime64[M]").astype(int) % 12 + 1 in (6, 7, 8):
        storms = rng.choice(len(days), _STORM_DAYS, replace=False)
        weights[np.ix_(storms, np.flatnonzero(_CAT.season == catalogue.SEASONS.index("rain")))] *= _STORM_FACTOR
    return np.divmod(_draw(rng, weights.ravel(), n), weights.shape[1])


def _repeat_callers(rng, day, cat, comm, caller, n_days: int) -> np.ndarray:
    """Turn some tickets into repeat-caller episodes, in place; returns their mask.

    An episode is one caller's 3–5 tickets within ±12 days of the first, about the same
    community and mostly the same category.
    """
    n = len(day)
    count = min(int(round(n * _REPEAT_SHARE / (_EPISODE_SIZES * _EPISODE_P).sum())), n // 6)
    sizes = _EPISODE_SIZES[_draw(rng, _EPISODE_P, count)]
    perm = rng.permutation(n)
    lead_of = np.repeat(perm[:count], sizes - 1)
    followers = perm[count:count + len(lead_of)]
    comm[followers] = comm[lead_of]
    same = rng.random(len(followers)) < _EPISODE_SAME_CATEGORY
    cat[followers] = np.where(same, cat[lead_of], cat[followers])
    lo = np.maximum(-_EPISODE_SPREAD_DAYS, -day[lead_of])
    hi = np.minimum(_EPISODE_SPREAD_DAYS, n_days - 1 - day[lead_of])
    day[followers] = day[lead_of] + lo + (rng.random(len(followers)) * (hi - lo + 1)).astype(np.int64)
    caller[followers] = caller[lead_of]
    mask = np.zeros(n, bool)
    mask[perm[:count + len(lead_of)]] = True
    return mask


def _created_us(rng, days: np.ndarray, day: np.ndarray, cat: np.ndarray) -> np.ndarray:
    """Creation times (µs since epoch, naive Beijing time): the day plus an hour drawn from
    the category's weekday or weekend profile, to the second."""
    date_us = days[day].astype("datetime64[us]").astype(np.int64)
    weekend = (days[day].astype(np.int64) + 3) % 7 >= 5
    profile = _CAT.evening[cat] * 2 + weekend
    u = rng.random(len(day))
    hour = np.empty(len(day), np.int64)
    for p in range(len(_HOUR_CDF)):
        sel = profile == p
        hour[sel] = np.searchsorted(_HOUR_CDF[p], u[sel], side="right")
    return date_us + (hour * 3600 + rng.integers(0, 3600, len(day))) * _US_PER_S


def _lognormal(rng, median_sigma: tuple[float, float], shift: np.ndarray) -> np.ndarray:
    median, sigma = median_sigma
    return median * np.exp(sigma * rng.standard_normal(len(shift)) + shift)


def _hours_us(hours: np.ndarray) -> np.ndarray:
    return np.round(hours * 3600).astype(np.int64) * _US_PER_S


def _outcomes(rng, plan: _Plan, m: int, created, cat, street, channel) -> dict[str, np.ndarray]:
    """Handling of each ticket: due time, contact and closing times, the callback and its
    answers.  Tickets whose closing lies after the data's end are still open: no callback."""
    n = len(created)
    limit_h = _CAT.limit_h[cat]
    q = plan.quality[:, m, street]
    contacted = rng.random(n) < _sigmoid(plan.base[0, m] + q[0])
    resolved = contacted & (rng.random(n) < _sigmoid(plan.base[1, m] + q[1] + _CAT.difficulty[cat]))
    slow = plan.slowness[m, street]
    contacted_at = created + _hours_us(np.minimum(limit_h, limits.CONTACT_LIMIT_H) * _lognormal(rng, _CONTACT_DELAY, slow))
    closed_at = created + _hours_us(limit_h * _lognormal(rng, _CLOSE_DELAY, slow))
    closed_at = np.where(contacted, np.maximum(closed_at, contacted_at + _MIN_CLOSE_AFTER_CONTACT_S * _US_PER_S),
                         closed_at)
    still_open = closed_at >= plan.end_us
    contacted &= contacted_at < plan.end_us
    valid = (rng.random(n) < np.array(catalogue.CALLBACK_VALID)[channel]) & ~still_open
    return {
        "due": created + limit_h * _US_PER_H,
        "contacted_at": contacted_at, "contacted": contacted,
        "closed_at": closed_at, "open": still_open,
        "valid": valid, "resolved": resolved & ~still_open,
        "satisfaction": _satisfaction(rng, resolved & ~still_open, _sigmoid(plan.base[2, m] + q[2])),
    }


def _satisfaction(rng, resolved: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Index into 满意/基本满意/不满意.  A resolved ticket's mix has expected 满意率 score
    `score` (满意 + 0.9 × 基本满意); an unresolved one has a fixed, mostly unhappy mix."""
    full = np.where(resolved, np.clip(1 - (1 - score) / (1 - _BASIC_FACTOR * _BASIC_SHARE), 0, 1),
                    _UNRESOLVED_MIX[0])
    basic = np.where(resolved, (1 - full) * _BASIC_SHARE, _UNRESOLVED_MIX[1])
    u = rng.random(len(resolved))
    return (u >= full).astype(np.int8) + (u >= full + basic)


def _locations(rng, plan: _Plan, comm: np.ndarray, street: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ticket points: the community's point jittered ≈150 m, kept inside the ticket's street
    (a point that falls outside falls back to the community's point)."""
    x, y = geo.to_local_m(plan.community_lon[comm], plan.community_lat[comm])
    n = len(comm)
    lon, lat = geo.from_local_m(x + rng.normal(0, _JITTER_M, n), y + rng.normal(0, _JITTER_M, n))
    for s, polygon in enumerate(plan.street_polygons):
        sel = np.flatnonzero(street == s)
        out = sel[~shapely.contains_xy(polygon, lon[sel], lat[sel])]
        lon[out], lat[out] = plan.community_lon[comm[out]], plan.community_lat[comm[out]]
    return lon, lat


def _caller_keys(ids: np.ndarray, anonymous: np.ndarray) -> pa.Array:
    """16-hex-digit caller keys: splitmix64 of the salted caller number (a keyed-hash
    stand-in: distinct callers get distinct keys, and nothing leads back to a number)."""
    z = ids + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    digits = _HEX_DIGITS[(z[:, None] >> _NIBBLE_SHIFTS) & np.uint64(15)]
    return pa.array(np.ascontiguousarray(digits).view("S16").ravel(), mask=anonymous).cast(pa.string())


def _ticket_ids(month: np.datetime64, n: int) -> pa.Array:
    """'XC' + YYYYMM + a 7-digit sequence number in creation order, e.g. XC2024050000123."""
    yyyymm = int(str(month).replace("-", ""))
    numbers = pa.array(yyyymm * 10**7 + np.arange(1, n + 1, dtype=np.int64)).cast(pa.string())
    return pc.binary_join_element_wise("XC", numbers, "")

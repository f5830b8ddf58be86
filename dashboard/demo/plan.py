"""The ticket plan: everything the monthly batches need, fixed when the demo is built.

Expected tickets per day and category (weekday rhythm, Spring Festival, seasons, growth),
each community's share, the streets' month-by-month volume and quality effects, and the
district's base rates, calibrated so the published rates come out month by month.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from ..core.config import Settings
from . import catalogue
from .catalogue import CATEGORIES
from .sampling import STREAM_PLAN, sigmoid, stream_rng

# --- volume -------------------------------------------------------------------------------
_TICKETS_LAST_YEAR = 271_400   # Xicheng 2024 [S]; the last 12 months of the demo get this
_YEARLY_GROWTH = 0.03          # volume grows a little each year [E]
_COMMUNITY_SPREAD_SD = 0.25    # lognormal spread of tickets per resident between communities [E]
_HOTSPOTS = 6                  # communities that call 3–5× as often, every month [E]
_HOTSPOT_FACTOR = (3.2, 4.8)
_STREET_MONTH_VOLUME_SD = 0.06  # lognormal month-to-month volume wobble of a street [E]

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
UNRESOLVED_MIX = (0.10, 0.30, 0.60)    # 满意 / 基本满意 / 不满意 of an unresolved ticket [E]
BASIC_SHARE = 0.7                      # 基本满意 among resolved tickets not fully 满意 [E]
BASIC_FACTOR = Settings().basic_satisfied_factor  # 基本满意 counts 0.9 [S-code]


@dataclass(frozen=True)
class Plan:
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


def make_plan(seed: int, months: np.ndarray, streets: pd.DataFrame, polygons: dict,
              communities: pd.DataFrame, tickets: int | None) -> Plan:
    """The plan of the ticket window `months`: volumes (the real one, or ≈`tickets` in all),
    community weights, street-month effects and calibrated base rates; prepares `polygons`."""
    rng = stream_rng(seed, STREAM_PLAN)
    n_months, n_streets = len(months), len(streets)
    first_day = months[0].astype("datetime64[D]")
    days = np.arange(first_day, (months[-1] + 1).astype("datetime64[D]"))
    month_start = np.searchsorted(days, np.append(months, months[-1] + 1).astype("datetime64[D]"))
    daily = (_day_factor(days) * _growth(days))[:, None] * _season_matrix(days)[:, CATEGORIES.season] * CATEGORIES.share
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
    return Plan(
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
    """(days, seasons) relative volume of each profile in catalogue.SEASONS, not yet normalised."""
    month = days.astype("datetime64[M]").astype(int) % 12 + 1
    mday = (days - days.astype("datetime64[M]")).astype(int) + 1
    doy = (days - days.astype("datetime64[Y]")).astype(int) + 1
    heating = (month >= 12) | (month <= 2) | ((month == 11) & (mday >= 15)) | ((month == 3) & (mday <= 15))  # [S]
    start = ((month == 11) & (mday >= 15)) | ((month == 12) & (mday <= 5))  # complaints peak as heating starts
    profiles = {
        "flat": np.ones(len(days)),
        "heating": np.where(heating, 1.0 + 0.8 * start + 0.2 * (month == 1), 0.07),      # [E]
        "summer": 1 + 0.9 * np.exp(-(((doy - 200) / 40.0) ** 2)),                       # noise, power
        "rain": 0.15 + 4.0 * np.exp(-(((doy - 205) / 18.0) ** 2)),                      # late July [E]
        "snow": np.where((month == 12) | (month <= 2), 1.0, 0.02),
        "catkins": np.where((month == 4) | ((month == 5) & (mday <= 25)), 1.0, 0.03),
        "building": np.where((month == 12) | (month <= 2), 0.6, 1.15),                  # building works
    }
    return np.column_stack([profiles[name] for name in catalogue.SEASONS])


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
        low = (weights * sigmoid(mid[:, None] + offsets)).sum(axis=1) < target
        lo, hi = np.where(low, mid, lo), np.where(low, hi, mid)
    return (lo + hi) / 2


def _calibrate(n_months: int, quality: np.ndarray, street_w: np.ndarray, cat_w: np.ndarray) -> np.ndarray:
    """District base logits per month so that, before bad-month shocks, the expected
    response, resolution and satisfaction rates follow their block curves."""
    response = _block_curve(_RESPONSE[0], _RESPONSE[1], n_months)
    resolution = _block_curve(_RESOLUTION[0], _RESOLUTION[1], n_months)
    satisfaction = _block_curve(_SATISFACTION[0], _SATISFACTION[1], n_months)
    unresolved_score = UNRESOLVED_MIX[0] + BASIC_FACTOR * UNRESOLVED_MIX[1]
    resolve_offsets = (quality[1][:, :, None] + CATEGORIES.difficulty[None, None, :]).reshape(n_months, -1)
    resolve_w = (street_w[:, :, None] * cat_w[:, None, :]).reshape(n_months, -1)
    return np.stack([
        _solve_logit(response, quality[0], street_w),
        # resolving needs contact first: P(resolved | contacted) = resolution / response
        _solve_logit(resolution / response, resolve_offsets, resolve_w),
        # satisfaction = resolution × score(resolved) + (1 − resolution) × score(unresolved)
        _solve_logit((satisfaction - (1 - resolution) * unresolved_score) / resolution, quality[2], street_w),
    ])


def _channel_cdf(n_months: int) -> np.ndarray:
    """(months, channels) cumulative channel shares: the start shares drifting year by year."""
    share = np.array(catalogue.CHANNEL_SHARE) + np.outer(np.arange(n_months) / 12, catalogue.CHANNEL_DRIFT)
    share = np.clip(share, 0.01, None)
    cdf = np.cumsum(share / share.sum(axis=1, keepdims=True), axis=1)
    cdf[:, -1] = 1.0
    return cdf

"""One month of demo tickets, generated from the plan in one vectorised pass.

Days and categories are drawn jointly, communities by their weight; some tickets become
repeat-caller episodes; creation hours follow the hour profiles; handling times, callback
and satisfaction follow the plan's street-month rates; caller keys are keyed hashes.  Last,
the planted effect (effect.py) may remove some tickets of one category.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from ..core import geo, limits, schema
from . import catalogue
from .catalogue import CATEGORIES
from .effect import Planted, keep_mask
from .plan import BASIC_FACTOR, BASIC_SHARE, UNRESOLVED_MIX, Plan
from .sampling import STREAM_MONTH, draw, sigmoid, stream_rng

# --- days and hours -----------------------------------------------------------------------
_DAY_NOISE_SD = 0.07           # lognormal day-to-day wobble (weather, news) [E]
_STORM_DAYS = 3                # heavy-rain days per summer month: drainage and leak spikes [E]
_STORM_FACTOR = 5.0
# hour-of-day CDFs of the four profiles: (weekday, weekend) × (most categories, evening ones)
_HOUR_CDF = np.cumsum(catalogue.HOUR_PROFILES / catalogue.HOUR_PROFILES.sum(axis=1, keepdims=True), axis=1)
_HOUR_CDF[:, -1] = 1.0

# --- handling times -----------------------------------------------------------------------
# time limits: core/limits.py (a category's limit class, then contact within min(limit, 24 h))
_CONTACT_DELAY = (0.15, 0.8)   # delay / contact limit: lognormal median, sigma -> ~1 % late [E]
_CLOSE_DELAY = (0.42, 0.5)     # delay / limit: lognormal median, sigma -> ~4 % overdue [E]
_MIN_CLOSE_AFTER_CONTACT_S = 600

# --- callers and places -------------------------------------------------------------------
_REPEAT_SHARE = 0.07           # tickets from callers with 3+ tickets in 30 days [E]
_EPISODE_SIZES, _EPISODE_P = np.array([3, 4, 5]), np.array([0.55, 0.30, 0.15])
_EPISODE_SPREAD_DAYS = 12      # a repeat caller's tickets lie within ±12 days of the first
_EPISODE_SAME_CATEGORY = 0.75
_ANONYMOUS_SHARE = 0.03        # no caller key (anonymous web submissions) [E]
_NO_COMMUNITY_SHARE = 0.01     # street-level tickets: no community, no point [E]
_JITTER_M = 110.0              # per axis: tickets lie ≈140 m (mean) from their community's point

_US_PER_S = 1_000_000
_US_PER_H = 3600 * _US_PER_S
_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_NIBBLE_SHIFTS = np.arange(60, -1, -4, dtype=np.uint64)
_CHANNEL_NAMES = pa.array(catalogue.CHANNELS)
_SATISFACTION_NAMES = pa.array(schema.SATISFACTION_VALUES)


def month_batch(plan: Plan, m: int, planted: Planted | None = None) -> pa.Table:
    """Month `m`'s tickets, sorted by created_at; all vectorised.  With `planted`, the tickets
    the planted effect removes are left out (effect.py; the others keep their ids)."""
    rng = stream_rng(plan.seed, STREAM_MONTH, m)
    lo, hi = plan.month_start[m], plan.month_start[m + 1]
    days = plan.first_day + np.arange(lo, hi)
    n = int(rng.poisson(plan.expected[m]))
    if n >= 10**7:
        raise ValueError("more than 10 million tickets in one month: ticket ids would overflow")
    day, cat = _draw_day_category(rng, plan.daily[lo:hi], days, n)
    comm = draw(rng, plan.community_weight * plan.volume[m, plan.community_street], n)
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
    template = CATEGORIES.template_start[cat] + (rng.random(n) * CATEGORIES.template_count[cat]).astype(np.int64)
    ts = schema.TS
    keep = None if planted is None else keep_mask(planted, plan.seed, m, created, cat, comm, placed)
    table = pa.Table.from_arrays([
        _ticket_ids(plan.months[m], n),
        pa.array(created, ts),
        plan.street_codes.take(pa.array(street)),
        plan.community_ids.take(pa.array(comm, mask=~placed)),
        CATEGORIES.l1.take(pa.array(cat)),
        CATEGORIES.l2.take(pa.array(cat)),
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
        CATEGORIES.templates.take(pa.array(template)),
    ], schema=schema.TABLES["tickets"])
    return table if keep is None else table.filter(pa.array(keep))


def _draw_day_category(rng, daily: np.ndarray, days: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Day-of-month and category of `n` tickets, jointly: the expected (day, category)
    volumes with day-to-day noise and, in summer, a few storm days for rain categories."""
    weights = daily * np.exp(rng.normal(0, _DAY_NOISE_SD, len(days)))[:, None]
    if days[0].astype("datetime64[M]").astype(int) % 12 + 1 in (6, 7, 8):
        storms = rng.choice(len(days), _STORM_DAYS, replace=False)
        weights[np.ix_(storms, np.flatnonzero(CATEGORIES.season == catalogue.SEASONS.index("rain")))] *= _STORM_FACTOR
    return np.divmod(draw(rng, weights.ravel(), n), weights.shape[1])


def _repeat_callers(rng, day, cat, comm, caller, n_days: int) -> np.ndarray:
    """Turn some tickets into repeat-caller episodes, in place; returns their mask.

    An episode is one caller's 3–5 tickets within ±12 days of the first, about the same
    community and mostly the same category.
    """
    n = len(day)
    count = min(int(round(n * _REPEAT_SHARE / (_EPISODE_SIZES * _EPISODE_P).sum())), n // 6)
    sizes = _EPISODE_SIZES[draw(rng, _EPISODE_P, count)]
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
    profile = CATEGORIES.evening[cat] * 2 + weekend
    u = rng.random(len(day))
    hour = np.empty(len(day), np.int64)
    for p in range(len(_HOUR_CDF)):
        sel = profile == p
        hour[sel] = np.searchsorted(_HOUR_CDF[p], u[sel], side="right")
    return date_us + (hour * 3600 + rng.integers(0, 3600, len(day))) * _US_PER_S


def _lognormal(rng, median_sigma: tuple[float, float], shift: np.ndarray) -> np.ndarray:
    """Lognormal draws with the given median and sigma, one per `shift` (a log-scale shift)."""
    median, sigma = median_sigma
    return median * np.exp(sigma * rng.standard_normal(len(shift)) + shift)


def _hours_us(hours: np.ndarray) -> np.ndarray:
    """Hours as whole seconds, in microseconds."""
    return np.round(hours * 3600).astype(np.int64) * _US_PER_S


def _outcomes(rng, plan: Plan, m: int, created, cat, street, channel) -> dict[str, np.ndarray]:
    """Handling of each ticket: due time, contact and closing times, the callback and its
    answers.  Tickets whose closing lies after the data's end are still open: no callback."""
    n = len(created)
    limit_h = CATEGORIES.limit_h[cat]
    q = plan.quality[:, m, street]
    contacted = rng.random(n) < sigmoid(plan.base[0, m] + q[0])
    resolved = contacted & (rng.random(n) < sigmoid(plan.base[1, m] + q[1] + CATEGORIES.difficulty[cat]))
    slow = plan.slowness[m, street]
    contact_limit_h = np.minimum(limit_h, limits.CONTACT_LIMIT_H)
    contacted_at = created + _hours_us(contact_limit_h * _lognormal(rng, _CONTACT_DELAY, slow))
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
        "satisfaction": _satisfaction(rng, resolved & ~still_open, sigmoid(plan.base[2, m] + q[2])),
    }


def _satisfaction(rng, resolved: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Index into 满意/基本满意/不满意.  A resolved ticket's mix has expected 满意率 score
    `score` (满意 + 0.9 × 基本满意); an unresolved one has a fixed, mostly unhappy mix."""
    full = np.where(resolved, np.clip(1 - (1 - score) / (1 - BASIC_FACTOR * BASIC_SHARE), 0, 1),
                    UNRESOLVED_MIX[0])
    basic = np.where(resolved, (1 - full) * BASIC_SHARE, UNRESOLVED_MIX[1])
    u = rng.random(len(resolved))
    return (u >= full).astype(np.int8) + (u >= full + basic)


def _locations(rng, plan: Plan, comm: np.ndarray, street: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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

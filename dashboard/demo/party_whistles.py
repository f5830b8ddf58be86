"""三级吹哨, 三级报到: the demo's whistles and the units that report to them.

Whistles fall on the days and categories the tickets do (the plan's expected tickets per day
and category) and in the communities they do, scaled by each street's own habit: some
streets whistle much more than others.  Units answer by the categories they handle (the
street's 科站队所, the district's departments, utilities and firms of the street); they
report within the time limit mostly, and some units are habitually late.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import schema
from ..core.config import Settings
from .catalogue import CATEGORIES
from .party_catalogue import WHISTLES
from .party_world import World, numbered, pick
from .sampling import draw

REPORT_MINUTES = Settings().whistle_report_minutes   # the pilot's 30 minutes [S]
_US_PER_S = 1_000_000
_US_PER_MIN = 60 * _US_PER_S
_US_PER_H = 60 * _US_PER_MIN
_US_PER_DAY = 24 * _US_PER_H
_JITTER_DEG = (0.0009, 0.0012)   # ≈100 m in latitude and longitude around the community's point
_LEVEL_OF_KIND = {"区级部门": "区级部门", "街道科站队所": "街道科站队所"}   # any other kind: 社会单位


def whistle_tables(world: World, units: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The whistles of the ticket window and the responses (报到) to them."""
    spec, plan = WHISTLES, world.plan
    end_us = plan.end_us
    n_days = plan.daily.shape[0]
    n = int(rng.poisson(spec["per_year"] * n_days / 365.25))
    habit = rng.lognormal(0, spec["street_spread_sd"], len(world.street_codes))
    cell = draw(rng, plan.daily.ravel(), n)
    day, cat = cell // plan.daily.shape[1], cell % plan.daily.shape[1]
    community = draw(rng, world.ticket_weight * habit[world.street_of], n)
    street = world.street_of[community]
    level = pick(rng, schema.WHISTLE_LEVELS, spec["levels"], n)
    placed = (level != "街道工委") | (rng.random(n) >= spec["street_level_without_community"])
    trigger = pick(rng, schema.WHISTLE_TRIGGERS, spec["triggers"], n)
    urgent = (CATEGORIES.limit_h[cat] <= 2) & (rng.random(n) < spec["emergency_trigger"])
    trigger[urgent] = "应急处置"
    source = np.empty(n, dtype=object)
    for t in schema.WHISTLE_TRIGGERS:
        mine = trigger == t
        source[mine] = pick(rng, schema.SOURCES, spec["sources"][t], int(mine.sum()))
    emergency = trigger == "应急处置"
    hour = np.where(emergency, rng.random(n) * 24, 8 + rng.random(n) * 11)   # office hours unless urgent
    day_us = (world.first_day.astype("datetime64[us]").astype(np.int64) + day * _US_PER_DAY)
    at = day_us + (hour * _US_PER_H).astype(np.int64) // _US_PER_MIN * _US_PER_MIN
    order = np.argsort(at, kind="stable")
    at, cat, community, street, level, placed, trigger, source = (
        a[order] for a in (at, cat, community, street, level, placed, trigger, source))
    median_h = np.array(spec["close_hours"], dtype=float)[[schema.WHISTLE_TRIGGERS.index(t) for t in trigger]]
    hours = median_h * rng.lognormal(0, spec["close_sigma"], n) + 1
    closed = at + (hours * 60).astype(np.int64) * _US_PER_MIN
    is_closed = closed < end_us
    rating = pick(rng, schema.SATISFACTION_VALUES, spec["ratings"], n)
    rating[~is_closed | (rng.random(n) < spec["unrated"])] = None
    lat = world.community_lat[community] + rng.normal(0, _JITTER_DEG[0], n)
    lon = world.community_lon[community] + rng.normal(0, _JITTER_DEG[1], n)
    whistles = pd.DataFrame({
        "whistle_id": numbered("W", n, 6), "street_code": world.street_codes[street],
        "community_id": np.where(placed, world.community_ids[community], None),
        "level": level, "trigger": trigger, "source": source,
        "category_l1": CATEGORIES.l1.take(cat).to_numpy(zero_copy_only=False),
        "category_l2": CATEGORIES.l2.take(cat).to_numpy(zero_copy_only=False),
        "lat": np.where(placed, lat, np.nan), "lon": np.where(placed, lon, np.nan),
        "whistled_at": at.astype("datetime64[us]"),
        "closed_at": np.where(is_closed, closed, np.iinfo(np.int64).min).astype("datetime64[us]"),
        "rating": rating,
    })
    return whistles, _responses(whistles, at, street, units, is_closed, end_us, rng)


def _pools(units: pd.DataFrame, n_streets: int) -> dict[tuple[int, str], tuple[np.ndarray, ...]]:
    """For each (street, ticket category): the units that answer it, by response level."""
    levels = np.array([_LEVEL_OF_KIND.get(k, "社会单位") for k in units["kind"]])
    street = units["street"].to_numpy()
    pools = {}
    for c in dict.fromkeys(CATEGORIES.l1.to_pylist()):
        answers = np.array([c in a for a in units["answers"]])
        for s in range(n_streets):
            here = answers & ((street == s) | (street < 0))
            pools[(s, c)] = tuple(np.flatnonzero(here & (levels == lv)) for lv in schema.RESPONSE_LEVELS)
    return pools


def _responses(whistles: pd.DataFrame, whistled_us: np.ndarray, street: np.ndarray, units: pd.DataFrame,
               is_closed: np.ndarray, end_us: int, rng: np.random.Generator) -> pd.DataFrame:
    """One to three units report to each whistle; due 30 minutes after it (a setting), reported
    mostly in time; habitually late units often not; not yet reported near the end."""
    spec = WHISTLES
    pools = _pools(units, int(street.max()) + 1)
    late_unit = rng.random(len(units)) < spec["late_units"]
    levels = [_LEVEL_OF_KIND.get(k, "社会单位") for k in units["kind"]]
    count = 1 + draw(rng, np.array(spec["responders"]), len(whistles))
    who, of = [], []
    for w, (s, c, lv, k) in enumerate(zip(street, whistles["category_l1"], whistles["level"], count)):
        pool = pools[(int(s), c)]
        sizes = np.array([len(p) for p in pool], dtype=float)
        first_p = np.array(spec["street_first_responder" if lv == "街道工委" else "first_responder"]) * (sizes > 0)
        first = pool[draw(rng, first_p, 1)[0]]
        chosen = [int(first[rng.integers(len(first))])]
        rest = np.setdiff1d(np.concatenate(pool), chosen)
        chosen += [int(u) for u in rng.permutation(rest)[: k - 1]]
        who += chosen
        of += [w] * len(chosen)
    who, of = np.array(who), np.array(of)
    m = len(who)
    at = whistled_us[of]
    median = np.array(spec["report_minutes"], dtype=float)[late_unit[who].astype(int)]
    delay = (median * rng.lognormal(0, spec["report_sigma"], m) * 60).astype(np.int64) * _US_PER_S
    reported = at + delay
    is_reported = (reported < end_us) & (rng.random(m) >= spec["never_reported"])
    due = at + REPORT_MINUTES * _US_PER_MIN
    done = is_reported & is_closed[of] & (rng.random(m) < spec["done"])
    on_time = reported <= due
    rating = np.where(on_time, pick(rng, schema.SATISFACTION_VALUES, spec["ratings"], m),
                      pick(rng, schema.SATISFACTION_VALUES, spec["ratings_late"], m))
    rating[~done | (rng.random(m) < spec["unrated"])] = None
    return pd.DataFrame({
        "response_id": numbered("R", m, 6), "whistle_id": whistles["whistle_id"].to_numpy()[of],
        "unit_id": units["unit_id"].to_numpy()[who], "unit_level": np.array(levels, dtype=object)[who],
        "due_at": due.astype("datetime64[us]"),
        "reported_at": np.where(is_reported, reported, np.iinfo(np.int64).min).astype("datetime64[us]"),
        "done": done, "rating": rating,
    })

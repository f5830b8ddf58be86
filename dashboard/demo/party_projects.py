"""共建项目: the yearly lists of projects stationed units take on, and how they end.

Each of the programs' three years has a list (the last one the published 1,500); a project
comes from a unit, sits with the 区, 街道 or 社区 committee, starts early in the year and is
planned to end by the year's end, many of them in November and December, and those slip:
more late completions and more never done.  The requesting side rates what is done.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import schema
from .party_catalogue import COBUILD_CATEGORIES, COBUILD_TITLES, COBUILD_WEIGHTS, ITEMS, PROJECTS
from .party_world import NAT, World, communities_in, month_end, numbered, pick, settle, spans, year_start
from .sampling import draw

_OWN_STREET = 0.85        # a project of a unit with a street is in that street [E]
_STREET_COMMUNITY = 0.5   # a 街道-level project names a community [E]
_RATED_AFTER_DAYS = 7     # done projects are rated after a week at the earliest


def project_table(world: World, units: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The 共建项目 of the programs' three years, statuses and ratings as of the last day."""
    spec, as_of = PROJECTS, world.as_of
    sizes = [*spec["earlier_lists"], spec["current_list"]]
    year = np.repeat(np.array(world.years), sizes)
    n = len(year)
    kind_weight = units["kind"].map(spec["unit_kinds"]).fillna(0).to_numpy()
    unit = draw(rng, kind_weight, n)
    unit_street = units["street"].to_numpy()[unit]
    level = pick(rng, schema.COMMITTEE_LEVELS, spec["committee_levels"], n)
    drawn_street = draw(rng, world.street_weight, n)
    street = np.where((unit_street >= 0) & (rng.random(n) < _OWN_STREET), unit_street, drawn_street)
    community = communities_in(world, rng, street, world.population.astype(float))
    named = (level == "社区") | ((level == "街道") & (rng.random(n) < _STREET_COMMUNITY))
    category = draw(rng, COBUILD_WEIGHTS, n)
    title_of = (rng.random(n) * np.array([len(COBUILD_TITLES[c]) for c in category])).astype(np.int64)
    place = np.where(named, world.places[community], world.street_names[street])
    start = year_start(year) + spans(rng, 0, spec["start_within_days"] - 1, n)
    end = np.maximum(month_end(year, 1 + draw(rng, np.array(spec["end_month_weights"], float), n)) -
                     spans(rng, 0, 27, n), start + 30)
    finish = np.maximum(_finish(rng, end, n), start + 7)
    cancelled = rng.random(n) < spec["cancelled"]
    closes = month_end(year, 12) + ITEMS["list_closes_days"]
    status, done_on = settle(as_of, start, finish, cancelled, closes, waiting="认领")
    late_done = done_on > end
    rating = np.where(late_done, pick(rng, schema.SATISFACTION_VALUES, spec["ratings_late"], n),
                      pick(rng, schema.SATISFACTION_VALUES, spec["ratings_on_time"], n))
    rated = (status == "完成") & (done_on <= as_of - _RATED_AFTER_DAYS) & (rng.random(n) < spec["rated"])
    rating[~rated] = None
    return pd.DataFrame({
        "project_id": numbered("J", n, 5),
        "title_zh": [f"{p}{COBUILD_TITLES[c][t]}" for p, c, t in zip(place, category, title_of)],
        "unit_id": units["unit_id"].to_numpy()[unit], "committee_level": level,
        "street_code": world.street_codes[street],
        "community_id": np.where(named, world.community_ids[community], None),
        "origin": pick(rng, schema.PROJECT_ORIGINS, spec["origins"], n),
        "category": np.array(COBUILD_CATEGORIES, dtype=object)[category],
        "planned_start": start, "planned_end": end, "status": status, "done_on": done_on, "rating": rating,
    })


def _finish(rng: np.random.Generator, end: np.ndarray, n: int) -> np.ndarray:
    """The day each project gets done (NaT: never).

    Most finish around their planned end; those planned for November or December slip
    more often and further, and more of them are never done.
    """
    spec = PROJECTS
    year_end = (end.astype("datetime64[M]").astype(np.int64) % 12) >= 10
    late = year_end & (rng.random(n) < spec["year_end_late"])
    slip = rng.normal(*spec["slip_days"], n) + late * rng.exponential(spec["year_end_late_days"], n)
    never = rng.random(n) < spec["never_done"] * np.where(year_end, 4, 1)
    finish = end + np.round(slip).astype(np.int64)
    return np.where(never, NAT, finish)

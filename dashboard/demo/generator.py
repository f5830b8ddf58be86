"""Deterministic, realistic demo data: streets, communities, circles, facilities, tickets,
and the party-building layer.

`build(seed, end, years, tickets)` makes the static tables at once and a plan for the
tickets; `DemoData.ticket_batches()` then generates the tickets month by month, fully
vectorised, so ten million of them fit in a minute and a few hundred MB.  The same
arguments give byte-identical Arrow tables: every random draw comes from a numpy
Generator seeded by (seed, stream[, month]), never from global or hash-based state.

This module is the demo's entry point; the work is done by
    catalogue.py  the literal data of data/ (categories, names, circles, facilities, rhythm)
    places.py     the static tables: streets, communities, circles, facilities
    plan.py       the ticket plan: expected volumes, street effects, calibrated rates
    tickets.py    one month of tickets from the plan
    effect.py     the planted, known effect: completed items thin their category's later tickets
    party.py      the party-building layer's nine tables (party_*.py, their catalogue party_catalogue.py)
    sampling.py   the seeded random streams and samplers they share
The streets come from core/reference.py, the time limits from core/limits.py.

Calibration follows ../shared/reference/FACTS.md; constants and data files carry its
markers: [S] sourced, [D] derived from sourced figures, [E] estimate / assumption.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pyarrow as pa
import shapely

from ..core import geo, schema
from ..core.reference import load_streets
from . import catalogue, places
from .effect import PLANTED_SHARE, Planted, planted
from .party import party_tables
from .places import FIRST_LAUNCH, LAUNCH_MARGIN_MONTHS
from .plan import Plan, make_plan
from .sampling import STREAM_CIRCLES, STREAM_COMMUNITIES, STREAM_FACILITIES, stream_rng
from .tickets import month_batch

GENERATOR_VERSION = "demo-4"   # demo-2: the party-building layer; demo-3: monthly_topics; demo-4: the planted effect


@dataclass
class DemoData:
    """The demo: static tables at once, tickets generated on demand month by month."""

    static: dict[str, pa.Table]   # streets, communities, circles, facilities, the party tables
    meta: dict                    # seed, end, years, tickets, target_tickets, generator_version, planted_effect
    data_as_of: date              # last day of the end month
    _plan: Plan = field(repr=False, compare=False)
    _planted: Planted | None = field(default=None, repr=False, compare=False)

    def ticket_batches(self) -> Iterator[pa.Table]:
        """Tickets as one Arrow table per month: each sorted by created_at, months ascending.

        Deterministic: every call yields the same batches.
        """
        for m in range(len(self._plan.months)):
            yield month_batch(self._plan, m, self._planted)


def default_end(today: date | None = None) -> str:
    """The last complete month before `today` (default: today), as 'YYYY-MM'."""
    today = today or date.today()
    return (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def build(seed: int = 2024, end: str | None = None, years: int = 3, tickets: int | None = None,
          planted_effect: float | None = None) -> DemoData:
    """Build the demo for `years` years of tickets ending with month `end` ('YYYY-MM').

    `tickets=None` gives the real volume (≈271k in the last 12 months); `tickets=N` scales
    the whole window to ≈N tickets.  `planted_effect` is the share of the planted category's
    tickets that completed items remove after they are done (effect.py; None: the share of
    data/effect.toml, 0: no effect).  The same arguments give identical tables.
    """
    end = end or default_end()
    months = _window(end, years)
    if tickets is not None and tickets < 1:
        raise ValueError("tickets must be a positive number")
    data_as_of = ((months[-1] + 1).astype("datetime64[D]") - 1).item()
    streets = load_streets()
    geometry = {code: geo.to_geojson(cell) for code, cell in geo.schematic_boundaries(streets).items()}
    polygons = {code: shapely.from_geojson(text) for code, text in geometry.items()}
    communities = places.community_table(streets, polygons, stream_rng(seed, STREAM_COMMUNITIES))
    circles = places.circle_table(streets, polygons, data_as_of, stream_rng(seed, STREAM_CIRCLES))
    facilities = places.facility_table(circles, communities, data_as_of, stream_rng(seed, STREAM_FACILITIES))
    plan = make_plan(seed, months, streets, polygons, communities, tickets)
    frames = {"streets": places.street_table(streets, geometry), "communities": communities,
              "circles": circles, "facilities": facilities,
              **party_tables(seed, data_as_of, streets, communities, plan)}
    meta = {"seed": seed, "end": end, "years": years, "tickets": tickets,
            "target_tickets": int(round(plan.expected.sum())), "generator_version": GENERATOR_VERSION}
    share = PLANTED_SHARE if planted_effect is None else float(planted_effect)
    effect = planted(frames.get("action_items"), communities["community_id"].to_numpy(dtype=object), share)
    meta["planted_effect"] = effect.meta()
    return DemoData(static={name: schema.conform(name, df) for name, df in frames.items()},
                    meta=meta, data_as_of=data_as_of, _plan=plan, _planted=effect)


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
    if last - LAUNCH_MARGIN_MONTHS < FIRST_LAUNCH.astype("datetime64[M]"):
        raise ValueError("end must be 2022-09 or later: the circles launch from 2022-06")
    return months

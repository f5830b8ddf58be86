"""The Context every view is given: snapshot, filter choices and state, window, settings, access.

Pure (no Streamlit): the pages, the brief CLI and the bench build the same Context, and a
view asks it for data with `ctx.run(query, **params)`.  The runner is the one seam: the UI's
shows a short message on failure, the bench's times each query; by default it is
store.query.run on the context's snapshot.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ..core import auth, periods
from ..core.config import Settings, settings
from ..core.filters import Choices, FilterState
from ..core.reference import load_streets
from ..store import query
from ..store.snapshot import SnapshotInfo

TREND_MONTHS = 12   # sparklines, rank history and the brief's trend look back a year


@dataclass(frozen=True)
class Context:
    """What every view needs: the snapshot, the filter choices and state, the window."""

    snapshot: SnapshotInfo
    choices: Choices
    state: FilterState
    window: periods.Window
    settings: Settings
    access: auth.Access = auth.Access(auth.LOCAL, "admin")
    runner: Callable[..., pd.DataFrame] | None = field(default=None, compare=False)

    def run(self, name: str, **params) -> pd.DataFrame:
        """Run queries/<name>.sql with bound `params` on this context's snapshot."""
        return (self.runner or query.run)(name, snapshot=self.snapshot, **params)

    def params(self, window: periods.Window | None = None, *, streets: bool = True) -> dict:
        """The shared filter parameters most queries take (without streets for a query that
        compares all streets: it then compares them on all their communities too)."""
        w = window or self.window
        p = {"start": w.start, "end": w.end, "categories": list(self.state.categories),
             "subs": list(self.state.subcategories),
             "communities": list(self.state.communities) if streets else []}
        if streets:
            p["streets"] = list(self.state.streets)
        return p

    def per_street_params(self, window: periods.Window | None = None) -> dict:
        """The shared filter parameters but the street filter, for a query that answers per street: the
        view picks or sums the chosen streets' rows (analysis.of_streets, summed_over_streets)."""
        p = self.params(window)
        del p["streets"]
        return p

    def place_params(self) -> dict:
        """Only the street and community filters (for queries with windows of their own)."""
        return {"streets": list(self.state.streets), "communities": list(self.state.communities)}

    def category_params(self) -> dict:
        """Only the category filters (for queries that take streets or windows of their own)."""
        return {"categories": list(self.state.categories), "subs": list(self.state.subcategories)}

    @property
    def previous(self) -> periods.Window:
        """The comparison window (环比)."""
        return periods.previous(self.window, self.settings.cycle_start_day)

    @property
    def year_ago(self) -> periods.Window:
        """The same dates a year earlier (同比)."""
        return periods.year_ago(self.window)

    @property
    def recent_months(self) -> periods.Window:
        """The TREND_MONTHS whole months ending with the window's last month."""
        return periods.Window(periods.add_months(self.window.end.replace(day=1), 1 - TREND_MONTHS), self.window.end)


def make_context(info: SnapshotInfo, choices: Choices, state: FilterState, s: Settings | None = None,
                 **kwargs) -> Context:
    """A Context for one filter state (the window follows from the state and the choices)."""
    return Context(snapshot=info, choices=choices, state=state, window=state.window(choices),
                   settings=s or settings(), **kwargs)


def choices_for(info: SnapshotInfo, run: Callable[..., pd.DataFrame] = query.run) -> Choices:
    """Filter options of a snapshot: streets in the district's order, categories, data range.
    `run` runs the named queries (the bench passes one that times them)."""
    # district documents list streets in a conventional order (德胜, 什刹海, 西长安街, …), not by code
    order = {code: i for i, code in enumerate(load_streets()["street_code"])}

    def in_district_order(df: pd.DataFrame, then: str) -> pd.DataFrame:
        return df.assign(order=df["street_code"].map(order).fillna(len(order))).sort_values(["order", then])

    st_df = in_district_order(run("streets", snapshot=info), "street_code")
    cats = run("filter_choices", snapshot=info)
    comm = in_district_order(run("community_choices", snapshot=info), "community_id")
    tickets = info.manifest.get("tickets", {})
    first = tickets.get("min_created_at")
    return Choices(
        streets=dict(zip(st_df.street_code, st_df.name_zh)),
        short_names=dict(zip(st_df.street_code, st_df.short_zh)),
        categories={l1: list(g.category_l2) for l1, g in cats.groupby("category_l1", sort=False)},
        first_day=date.fromisoformat(first[:10]) if first else info.data_as_of,
        as_of=info.data_as_of,
        cycle_start_day=settings().cycle_start_day,
        schematic_boundaries=bool((st_df["boundary_kind"] == "schematic").any()),
        communities={cid: (name, street) for cid, name, street in zip(comm.community_id, comm.name_zh,
                                                                        comm.street_code)},
    )

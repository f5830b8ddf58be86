"""The brief's data: the frames behind the briefing's six views, for one filter state.

    collect(info, choices, state) -> BriefData    runs the named queries (the one data step)

dashboard/render/brief.py turns a BriefData into slides; nothing here draws.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core import periods
from ..core.config import Settings, settings
from ..core.filters import Choices, FilterState
from ..store import query
from ..store.snapshot import SnapshotInfo
from . import analysis


@dataclass(frozen=True)
class BriefData:
    """Every frame the six views are drawn from (see `collect`)."""

    info: SnapshotInfo
    choices: Choices
    state: FilterState
    settings: Settings
    window: periods.Window
    previous: periods.Window
    year_ago: periods.Window
    kpi_cur: pd.Series
    kpi_prev: pd.Series
    kpi_yoy: pd.Series
    ranked: pd.DataFrame
    streets: pd.DataFrame
    trend: pd.DataFrame
    trend_yoy: pd.DataFrame
    growth: pd.DataFrame
    circles: pd.DataFrame          # circles in view (query circles)
    facilities: pd.DataFrame       # every facility (a shop across a street boundary still serves)
    communities: pd.DataFrame      # communities in view


def trend_window(w: periods.Window) -> periods.Window:
    """The months the trend slide shows: the window, widened to at least 12 months back from its end."""
    return periods.Window(min(w.start, periods.add_months(w.end.replace(day=1), -11)), w.end)


def collect(info: SnapshotInfo, choices: Choices, state: FilterState, s: Settings | None = None) -> BriefData:
    """Run the named queries behind the six views for one filter state."""
    s = s or settings()
    w = state.window(choices)
    prev_w, yoy_w = periods.previous(w, s.cycle_start_day), periods.year_ago(w)
    cats = {"categories": list(state.categories), "subs": list(state.subcategories)}

    def run(name, **params):
        return query.run(name, snapshot=info, **params)

    def counts(win):
        return run("street_counts", start=win.start, end=win.end, **cats)

    cur, prev, yoy = counts(w), counts(prev_w), counts(yoy_w)
    tw = trend_window(w)
    tw_yoy = periods.year_ago(tw)
    picked = {**cats, "streets": list(state.streets)}
    communities = run("circle_communities")
    return BriefData(
        info=info, choices=choices, state=state, settings=s, window=w, previous=prev_w, year_ago=yoy_w,
        kpi_cur=analysis.district_kpis(cur, state.streets, s),
        kpi_prev=analysis.district_kpis(prev, state.streets, s),
        kpi_yoy=analysis.district_kpis(yoy, state.streets, s),
        ranked=analysis.ranked_streets(cur, prev, s),
        streets=run("streets"),
        trend=run("trend", start=tw.start, end=tw.end, grain="month", **picked),
        trend_yoy=run("trend", start=tw_yoy.start, end=tw_yoy.end, grain="month", **picked),
        growth=run("category_growth", start=w.start, end=w.end, prev_start=prev_w.start, prev_end=prev_w.end,
                   level=1, **picked),
        circles=run("circles", streets=list(state.streets)),
        facilities=run("circle_facilities"),
        communities=communities[communities["street_code"].isin(state.streets)] if state.streets else communities,
    )

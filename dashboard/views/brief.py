"""The brief's data: the frames behind the briefing's views, for one filter state.

    collect(info, choices, state) -> BriefData    the same view functions the pages call

dashboard/render/brief.py turns a BriefData into slides; nothing here draws.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core import periods
from ..core.config import Settings
from ..core.filters import Choices, FilterState
from ..store.snapshot import SnapshotInfo
from . import circles, outcomes, overview, party, ranking
from .context import Context, make_context


@dataclass(frozen=True)
class BriefData:
    """Every frame the views are drawn from (see `collect`)."""

    info: SnapshotInfo
    choices: Choices
    state: FilterState
    settings: Settings
    window: periods.Window
    previous: periods.Window
    year_ago: periods.Window
    kpis: overview.Kpis
    ranked: pd.DataFrame
    streets: pd.DataFrame
    trend: pd.DataFrame
    trend_yoy: pd.DataFrame
    growth: pd.DataFrame
    circles: circles.Supply        # circles and communities in view; every facility
    party: party.PartyStreets      # the party-building metrics (its slide is left out without data)
    effects: outcomes.Effects      # before/after estimates (their slide is left out when none is evaluable)


def trend_window(w: periods.Window) -> periods.Window:
    """The months the trend slide shows: the window, widened to at least 12 months back from its end."""
    return periods.Window(min(w.start, periods.add_months(w.end.replace(day=1), -11)), w.end)


def monthly_trend(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """月度走势: monthly counts over `trend_window` and over the same months a year before."""
    tw = trend_window(ctx.window)
    return tuple(ranking.trend_counts(ctx, w, "month") for w in (tw, periods.year_ago(tw)))


def collect(info: SnapshotInfo, choices: Choices, state: FilterState, s: Settings | None = None) -> BriefData:
    """Run the views behind the slides for one filter state."""
    ctx = make_context(info, choices, state, s)
    trend, trend_yoy = monthly_trend(ctx)
    return BriefData(
        info=info, choices=choices, state=state, settings=ctx.settings, window=ctx.window, previous=ctx.previous,
        year_ago=ctx.year_ago, kpis=overview.kpis(ctx), ranked=ranking.ranked(ctx),
        streets=ranking.street_shapes(ctx), trend=trend, trend_yoy=trend_yoy,
        growth=ranking.category_growth(ctx), circles=circles.supply(ctx), party=party.street_metrics(ctx),
        effects=outcomes.action_effects(ctx))

"""The street ranking every leader view starts from: this window's counts against the
comparison window's, ranked and classed (metrics), for all streets.

The street filter does not narrow the ranking (a street's rank is among all 15); pages
highlight or keep the selected rows instead.  Nor does the community filter: streets are
compared on all their communities.
"""
from __future__ import annotations

import pandas as pd

from . import analysis
from .context import Context


def street_counts(ctx: Context, window=None, *, of_communities: bool = False) -> pd.DataFrame:
    """Per-street counts for a window (default: the context's), street filter ignored; counting
    only the chosen communities' tickets when `of_communities` (the KPIs of the filtered view)."""
    p = ctx.params(window, streets=False)
    if of_communities:
        p["communities"] = list(ctx.state.communities)
    return ctx.run("street_counts", **p)


def view_totals(ctx: Context, window=None) -> pd.Series:
    """Totals and metrics of the filtered view (selected streets and communities) over a window
    (default: the context's): the KPI cards' figures."""
    return analysis.district_kpis(street_counts(ctx, window, of_communities=True), ctx.state.streets, ctx.settings)


def ranked(ctx: Context) -> pd.DataFrame:
    """Every street with its metrics, rank, rank change and class (analysis.ranked_streets)."""
    return analysis.ranked_streets(street_counts(ctx), street_counts(ctx, ctx.previous), ctx.settings)


def street_shapes(ctx: Context) -> pd.DataFrame:
    """The streets' names, populations, areas and boundaries."""
    return ctx.run("streets")


def monthly_counts(ctx: Context) -> pd.DataFrame:
    """street × month counts over the recent months (sparklines, rank history)."""
    w = ctx.recent_months
    return ctx.run("street_monthly", start=w.start, end=w.end, **ctx.category_params())


def category_growth(ctx: Context, *, level: int = 1, streets: list[str] | None = None,
                    categories: list[str] | None = None) -> pd.DataFrame:
    """Tickets per category now and in the comparison window, in the filtered view (or for
    the given streets / level-1 categories instead of the filter's), most tickets first."""
    p = ctx.per_street_params()
    if categories is not None:
        p["categories"] = categories
    rows = ctx.run("category_growth", **p, prev_start=ctx.previous.start, prev_end=ctx.previous.end, level=level)
    out = analysis.summed_over_streets(rows, ctx.state.streets if streets is None else streets, ["category", "parent"])
    return out.sort_values("tickets", ascending=False, kind="stable", ignore_index=True)


def trend_counts(ctx: Context, window, grain: str) -> pd.DataFrame:
    """The counts per day, week or month (`grain`) of `window`, in the filtered view."""
    return analysis.summed_over_streets(ctx.run("trend", **ctx.per_street_params(window), grain=grain),
                                        ctx.state.streets, ["bucket"])


def hotspot_communities(ctx: Context, streets: tuple[str, ...] | list[str], min_population: int) -> pd.DataFrame:
    """Communities of `streets` (all when empty) by tickets per 1,000 residents in the filtered view.
    The query ranks every street's communities once per window and category filter; the chosen
    streets' rows are picked here, in the query's order."""
    return analysis.of_streets(ctx.run("hotspot_communities", **ctx.per_street_params(), min_population=min_population),
                               streets)

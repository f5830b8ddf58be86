"""便民生活圈: what each section of the circles page shows, given a Context.

`supply` is the page's base (circles, facilities, communities and their walking reach);
the sections below it take it as well, so the reach is computed once per run.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core import geo
from . import circle_analysis as ca
from . import circle_tables as ct
from .context import Context

SHOWN_MINUTES = (5, 8, 10, 15)   # the walk times the method note converts to metres


@dataclass(frozen=True)
class Assessment:
    """Walking reach of circles and communities, completeness per circle, residents' access and
    coverage per category, and the headline figures (circle_tables.summarise_gaps)."""

    circle_reach: pd.DataFrame
    completeness: pd.DataFrame
    community_reach: pd.DataFrame
    access: pd.DataFrame
    category_coverage: pd.DataFrame
    summary: dict


def assess(circles: pd.DataFrame, facilities: pd.DataFrame, communities: pd.DataFrame, *,
           m_per_min: float, directness: float) -> Assessment:
    """The gaps of `circles` and `communities` (results of the queries circles, circle_facilities
    and circle_communities, narrowed to the streets in view) against every facility."""
    circle_reach = ca.reach(circles, facilities, id_col="circle_id", lat_col="center_lat", lon_col="center_lon",
                            m_per_min=m_per_min, directness=directness)
    community_reach = ca.reach(communities, facilities, id_col="community_id", m_per_min=m_per_min,
                               directness=directness)
    comp = ca.completeness(circles, circle_reach)
    access = ca.community_access(communities, community_reach)
    cat_cov = ca.category_coverage(communities, community_reach)
    return Assessment(circle_reach, comp, community_reach, access, cat_cov, ct.summarise_gaps(comp, access, cat_cov))


@dataclass(frozen=True)
class Supply:
    """Circles, communities and facilities (all, and those of the selected streets), the street
    shapes, walk radii by minutes, and the assessment of the selected ones."""

    all_circles: pd.DataFrame
    all_communities: pd.DataFrame
    circles: pd.DataFrame
    communities: pd.DataFrame
    facilities: pd.DataFrame
    streets: pd.DataFrame
    radius: dict
    assessment: Assessment


def walk(ctx: Context) -> dict:
    """The walking speed and route-directness settings, as the analytics take them."""
    return {"m_per_min": ctx.settings.walk_m_per_min, "directness": ctx.settings.route_directness}


def supply(ctx: Context) -> Supply:
    """The map, completeness and coverage sections' data (streets filter applied to circles and
    communities; every facility counts, a shop across a street boundary still serves)."""
    picked = ctx.state.streets
    all_circles = ctx.run("circles", streets=[])
    all_communities = ctx.run("circle_communities")
    facilities = ctx.run("circle_facilities")
    circles = all_circles[all_circles["street_code"].isin(picked)] if picked else all_circles
    communities = all_communities[all_communities["street_code"].isin(picked)] if picked else all_communities
    w = walk(ctx)
    radius = {m: geo.walk_radius_m(m, **w) for m in {*SHOWN_MINUTES, *all_circles["walk_minutes"]}}
    return Supply(all_circles, all_communities, circles, communities, facilities, ctx.run("streets"), radius,
                  assess(circles, facilities, communities, **w))


def gap_list(sup: Supply) -> pd.DataFrame:
    """缺什么补什么: one row per community and missing category."""
    return ca.gaps(sup.communities, sup.assessment.community_reach)


def service_categories(ctx: Context) -> tuple[list[str], list[str]] | None:
    """The 生活服务 categories within the category filter, or None when the filter leaves none."""
    return ca.service_filter(ctx.choices.categories, ctx.state.categories, ctx.state.subcategories)


def inside_outside(ctx: Context, sup: Supply) -> pd.DataFrame | None:
    """圈内与圈外: 生活服务 tickets per 1,000 residents inside vs outside the catchments of the
    circles built by the window's end (None when the category filter leaves no such tickets)."""
    service = service_categories(ctx)
    if service is None:
        return None
    cats, subs = service
    tickets = ctx.run("circle_service_tickets", start=ctx.window.start, end=ctx.window.end, categories=cats,
                      subs=subs)
    pairs = ca.catchment_pairs(sup.communities, ca.launched_by(sup.all_circles, ctx.window.end), **walk(ctx))
    return ca.inside_outside(sup.communities, pairs["community_id"], tickets)


@dataclass(frozen=True)
class BeforeAfter:
    """The whole months compared, the per-circle difference-in-differences and their pooled result."""

    span: tuple
    comparison: pd.DataFrame
    pooled: dict | None


def before_after(ctx: Context, sup: Supply) -> BeforeAfter | None:
    """建圈前后对比: None without a whole month of data, without circles or without 生活服务 categories."""
    service = service_categories(ctx)
    span = ca.full_months(ctx.choices.first_day, ctx.choices.as_of)
    if service is None or span is None or sup.circles.empty:
        return None
    cats, subs = service
    monthly = ctx.run("circle_service_monthly", start=ctx.choices.first_day, end=ctx.choices.as_of,
                      categories=cats, subs=subs)
    comparison = ca.did(sup.circles.sort_values(["launched_on", "circle_id"]), sup.all_communities, monthly,
                        first_month=span[0], last_month=span[1], all_circles=sup.all_circles, **walk(ctx))
    return BeforeAfter(span, comparison, ca.pooled_did(comparison))


def page(ctx: Context) -> dict:
    """Every section of the page, as the page draws them (the bench times this)."""
    sup = supply(ctx)
    return {"supply": sup, "gaps": gap_list(sup), "inside_outside": inside_outside(ctx, sup),
            "before_after": before_after(ctx, sup)}

"""街道地图: the streets coloured by one metric, with optional density and circle layers."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core import fmt, geo, metrics
from . import ranking
from .context import Context

MAP_METRICS = ("score", "tickets", "per_10k", "per_km2", "response_rate", "resolution_rate", "satisfaction_rate")
LAYERS = {"density": "工单密度", "circles": "便民生活圈"}
TOOLTIP_LINES = ("工单量 {工单}，每万人 {每万人}", "综合成绩 {综合成绩}（{排名}）", "响应/解决/满意 {三率}")


@dataclass(frozen=True)
class StreetMap:
    """What the map draws: shapes, the ranking (by street code), the chosen metric's values and
    their text, the tooltip fields, and the optional layers (None when off)."""

    streets: pd.DataFrame
    ranked: pd.DataFrame
    metric: metrics.Metric
    values: pd.Series
    value_text: pd.Series
    tooltip: pd.DataFrame
    hexbins: pd.DataFrame | None
    circles: pd.DataFrame | None


def tooltip_fields(ranked: pd.DataFrame) -> pd.DataFrame:
    """The formatted fields TOOLTIP_LINES name, per street."""
    return ranked.assign(
        工单=ranked["tickets"].map(fmt.count), 每万人=ranked["per_10k"].map(fmt.per),
        综合成绩=ranked["score"].map(fmt.score), 排名=ranked["rank"].map(fmt.rank),
        三率=[f"{fmt.rate(a)} / {fmt.rate(b)} / {fmt.rate(c)}" for a, b, c in
             zip(ranked["response_rate"], ranked["resolution_rate"], ranked["satisfaction_rate"])],
    )[["工单", "每万人", "综合成绩", "排名", "三率"]]


def street_map(ctx: Context, metric: str = "score", layers: tuple[str, ...] = ()) -> StreetMap:
    """The map section for one metric and the chosen layers."""
    ranked = ranking.ranked(ctx).set_index("street_code")
    m = metrics.METRICS[metric]
    circles = None
    if "circles" in layers:
        circles = ctx.run("circles", streets=[])
        circles["radius_m"] = geo.walk_radius_m(circles["walk_minutes"], ctx.settings.walk_m_per_min,
                                                ctx.settings.route_directness)
    return StreetMap(
        streets=ranking.street_shapes(ctx), ranked=ranked, metric=m, values=ranked[metric],
        value_text=ranked[metric].map(m.format), tooltip=tooltip_fields(ranked),
        hexbins=ctx.run("ticket_grid", **ctx.params()) if "density" in layers else None, circles=circles)


def page(ctx: Context, metric: str = "score", layers: tuple[str, ...] = ()) -> dict:
    """Every section of the page, as the page draws them (the bench times this)."""
    return {"map": street_map(ctx, metric, layers)}

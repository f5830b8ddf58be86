"""Pure pydeck builder for the 便民生活圈 map (no Streamlit here), after maps.py's conventions.

Offline-first, like maps.py: no basemap (map_provider=None, pydeck's default map_style
placeholder kept), the app draws street outlines and Chinese labels itself, every literal
string prop double-quoted, TextLayer character_set given.  One deck with, bottom to top:
streets (paper fill, grey outlines, the selected ones stronger), catchments (blue rings in
metres), communities (grey discs sized by population, dark where a category is missing),
facilities (dots in a colour-blind-safe palette, one colour per category), street and
circle labels.  Every pickable record carries a `tip`, plain text with line breaks, shown by
the one tooltip (deck.gl escapes interpolated values, so no HTML in them; the tooltip's
white-space: pre-line turns the newlines into lines).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pydeck as pdk

from ..core.fmt import as_dates
from ..core.geo import haversine_m, outer_rings
from .maps import OUTLINE_TOLERANCE, Deck, character_set, rgb

# Paul Tol's "muted" scheme (colour-blind safe for 9 categories) plus black for the tenth [E].
CATEGORY_COLOURS = {
    "便利店": "#CC6677", "早餐": "#DDCC77", "蔬菜零售": "#117733", "药店": "#332288", "洗染": "#88CCEE",
    "美容美发": "#AA4499", "末端配送": "#999933", "综合超市": "#882255", "便民维修": "#44AA99", "家政": "#000000",
}
OTHER_COLOUR = "#BBBBBB"
CATCHMENT = [0, 114, 178]                 # Okabe–Ito blue, as on the street map
STREET_FILL, STREET_FILL_DIM = [247, 244, 236, 255], [232, 232, 232, 255]
STREET_LINE, STREET_LINE_SELECTED = [160, 160, 160, 255], [90, 90, 90, 255]
COMMUNITY_GREY = [60, 60, 60]            # community fill: the more categories missing, the darker
FONT = '"Noto Sans CJK SC, Microsoft YaHei, sans-serif"'
_M_PER_DEG_LAT = 111_195.0
TIER_RINGS = (5, 8, 15)                   # walk tiers drawn around a focused circle


def community_alpha(n_missing) -> np.ndarray:
    """Fill opacity of a community disc: 25 with nothing missing, +15 per missing category, at most 190."""
    return np.minimum(25 + 15 * np.asarray(n_missing, dtype=int), 190)


def community_radius_px(population) -> np.ndarray:
    """Disc radius in pixels, area proportional to population: 3 px + √population ÷ 20."""
    return 3 + np.sqrt(np.maximum(np.asarray(population, dtype=float), 0)) / 20


def fit_view(lats, lons, *, width_px: int = 900, height_px: int = 640, pad: float = 0.06,
             max_zoom: float = 15.5) -> pdk.ViewState:
    """A ViewState framing the points, with `pad` of the span around them.

    Web Mercator as deck.gl does it: at zoom z the world is 512 × 2^z pixels wide.
    """
    lats, lons = np.asarray(lats, float), np.asarray(lons, float)
    lat_lo, lat_hi, lon_lo, lon_hi = lats.min(), lats.max(), lons.min(), lons.max()
    lat_span = max(lat_hi - lat_lo, 0.004) * (1 + 2 * pad)
    lon_span = max(lon_hi - lon_lo, 0.004) * (1 + 2 * pad)
    lat0 = (lat_lo + lat_hi) / 2
    zoom_x = math.log2(width_px * 360 / (512 * lon_span))
    zoom_y = math.log2(height_px * 360 * math.cos(math.radians(lat0)) / (512 * lat_span))
    return pdk.ViewState(latitude=float(lat0), longitude=float((lon_lo + lon_hi) / 2),
                         zoom=float(min(zoom_x, zoom_y, max_zoom)), pitch=0, bearing=0)


def _street_records(streets: pd.DataFrame, selected: tuple[str, ...]) -> list[dict]:
    records = []
    for row in streets.itertuples(index=False):
        chosen = not selected or row.street_code in selected
        for ring in outer_rings(row.geometry_geojson, OUTLINE_TOLERANCE):
            records.append({"polygon": ring, "fill": STREET_FILL if chosen else STREET_FILL_DIM,
                            "line": STREET_LINE_SELECTED if selected and chosen else STREET_LINE,
                            "width": 2 if selected and chosen else 1})
    return records


def _text_layer(df: pd.DataFrame, layer_id: str, lon: str, lat: str, text: str, *, size: int, colour: list[int],
                weight: int, outline: int = 2, anchor: str = "middle", baseline: str = "center") -> pdk.Layer:
    """Chinese labels with a white halo: literal props double-quoted, character_set of the texts used."""
    return pdk.Layer(
        "TextLayer", data=df[[lon, lat, text]], id=layer_id, get_position=[lon, lat], get_text=text, get_size=size,
        size_units='"pixels"', get_color=colour + [255], font_family=FONT, font_weight=weight, outline_width=outline,
        outline_color=[255, 255, 255, 230], font_settings={"sdf": True}, character_set=character_set(df[text]),
        get_text_anchor=f'"{anchor}"', get_alignment_baseline=f'"{baseline}"', pickable=False)


def circle_deck(streets: pd.DataFrame, circles: pd.DataFrame, facilities: pd.DataFrame,
                communities: pd.DataFrame, *, view: pdk.ViewState, selected_streets: tuple[str, ...] = (),
                focus: str | None = None, tier_rings: pd.DataFrame | None = None, n_categories: int = 10,
                tile_url: str | None = None, height: int = 640) -> pdk.Deck:
    """The circles map.

    `circles`: circle_id, name_zh, center_lat, center_lon, radius_m, tip.
    `facilities`: category, lat, lon, tip.  `communities`: lat, lon, population, score, tip.
    `streets`: street_code, short_zh, centroid_lat, centroid_lon, geometry_geojson.
    `focus` (a circle_id) draws that circle's ring thicker; `tier_rings` (center_lat, center_lon,
    radius_m, label) adds thin grey rings, e.g. the walk tiers around the focused circle.
    """
    layers = []
    if tile_url:
        layers.append(pdk.Layer("TileLayer", data=tile_url, id="tiles"))
    layers.append(pdk.Layer(
        "PolygonLayer", data=_street_records(streets, selected_streets), id="streets", get_polygon="polygon",
        get_fill_color="fill", get_line_color="line", get_line_width="width", line_width_units='"pixels"',
        stroked=True, filled=True, pickable=False))
    if len(circles):
        ring = circles.assign(width=np.where(circles["circle_id"] == focus, 4, 2))
        layers.append(pdk.Layer(
            "ScatterplotLayer", data=ring[["center_lon", "center_lat", "radius_m", "width", "tip"]], id="catchments",
            get_position=["center_lon", "center_lat"], get_radius="radius_m", radius_units='"meters"',
            stroked=True, filled=True, get_fill_color=CATCHMENT + [22], get_line_color=CATCHMENT + [220],
            get_line_width="width", line_width_units='"pixels"', pickable=True, auto_highlight=True,
            highlight_color=CATCHMENT + [45]))
    if tier_rings is not None and len(tier_rings):
        layers.append(pdk.Layer(
            "ScatterplotLayer", data=tier_rings[["center_lon", "center_lat", "radius_m"]], id="tier_rings",
            get_position=["center_lon", "center_lat"], get_radius="radius_m", radius_units='"meters"', stroked=True,
            filled=False, get_line_color=[80, 80, 80, 200], line_width_min_pixels=1, pickable=False))
        # labels on each ring's north-east point, clear of the street label at the centre
        step = tier_rings["radius_m"] * math.sqrt(0.5) / _M_PER_DEG_LAT
        ring_labels = tier_rings.assign(lat=tier_rings["center_lat"] + step,
                                        lon=tier_rings["center_lon"] + step / np.cos(np.radians(tier_rings["center_lat"])))
        layers.append(_text_layer(ring_labels, "tier_labels", "lon", "lat", "label", size=12, colour=[60, 60, 60],
                                  weight=600, anchor="start"))
    if len(communities):
        comm = communities.assign(
            r=community_radius_px(communities["population"]),
            fill=[COMMUNITY_GREY + [int(a)] for a in community_alpha(n_categories - communities["score"])])
        layers.append(pdk.Layer(
            "ScatterplotLayer", data=comm[["lon", "lat", "r", "fill", "tip"]], id="communities",
            get_position=["lon", "lat"], get_radius="r", radius_units='"pixels"', get_fill_color="fill",
            stroked=True, get_line_color=[70, 70, 70, 200], line_width_min_pixels=1, pickable=True))
    # one layer per category with its colour as a constant: no colour repeated in each of ~1,700 records
    for i, (category, fac) in enumerate(facilities.groupby("category", sort=True)):
        layers.append(pdk.Layer(
            "ScatterplotLayer", data=fac[["lon", "lat", "tip"]], id=f"facilities_{i}",
            get_position=["lon", "lat"], get_radius=4, radius_units='"pixels"',
            get_fill_color=rgb(CATEGORY_COLOURS.get(category, OTHER_COLOUR), 235),
            stroked=True, get_line_color=[255, 255, 255, 255], line_width_min_pixels=1, pickable=True))
    layers.append(_text_layer(streets, "street_labels", "centroid_lon", "centroid_lat", "short_zh", size=13,
                              colour=[95, 95, 95], weight=600))
    if len(circles):
        # the circle's name sits on top of its ring, out of the way of the facilities inside
        labels = circles.assign(label=circles["name_zh"].str.removesuffix("便民生活圈"),
                                label_lat=circles["center_lat"] + circles["radius_m"] / _M_PER_DEG_LAT)
        layers.append(_text_layer(labels, "circle_labels", "center_lon", "label_lat", "label", size=14,
                                  colour=[0, 70, 120], weight=700, outline=3, baseline="bottom"))
    tooltip = {"html": "{tip}", "style": {"fontFamily": "Noto Sans CJK SC, sans-serif", "fontSize": "13px",
                                          "whiteSpace": "pre-line"}}
    return Deck(layers=layers, initial_view_state=view, map_provider=None, tooltip=tooltip, height=height)


def legend_html(counts: dict[str, int], tiers: dict[str, int]) -> str:
    """The legend beside the map: one row per category (colour, name, tier, count), then the symbols."""
    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:6px;margin:2px 0">'
        f'<span style="width:12px;height:12px;border-radius:50%;background:{CATEGORY_COLOURS.get(c, OTHER_COLOUR)};'
        f'border:1px solid #fff;box-shadow:0 0 0 1px #999;flex:none"></span>'
        f'<span>{c}</span><span style="color:#777;margin-left:auto">{tiers.get(c, "")}分·{counts.get(c, 0)}</span></div>'
        for c in tiers)
    blue = "rgb({},{},{})".format(*CATCHMENT)
    symbols = (
        f'<div style="margin-top:8px;border-top:1px solid #ddd;padding-top:6px">'
        f'<div style="display:flex;align-items:center;gap:6px;margin:3px 0"><span style="width:16px;height:16px;'
        f'border-radius:50%;border:2px solid {blue};background:rgba(0,114,178,.1);flex:none"></span>生活圈步行范围</div>'
        f'<div style="display:flex;align-items:center;gap:6px;margin:3px 0">'
        + "".join(f'<span style="width:12px;height:12px;border-radius:50%;border:1px solid rgb(70,70,70);'
                  f'background:rgba(60,60,60,{a / 255:.2f});flex:none"></span>' for a in community_alpha([0, 3, 6, 10]))
        + '社区</div><div style="color:#777">颜色越深缺项越多（由浅到深：缺0、3、6、10类）；圆点面积与人口成正比</div></div>')
    return (f'<div style="font-size:13px;line-height:1.35"><div style="color:#555;margin-bottom:4px">'
            f'设施业态（步行时限·数量）</div>{rows}{symbols}</div>')


def street_points(streets: pd.DataFrame, codes: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray]:
    """(lats, lons) of every vertex of the streets `codes` (all when empty), for fit_view."""
    df = streets[streets["street_code"].isin(codes)] if codes else streets
    pts = np.array([pt for g in df["geometry_geojson"] for ring in outer_rings(g) for pt in ring], dtype=float)
    return (pts[:, 1], pts[:, 0]) if len(pts) else (np.array([39.919]), np.array([116.357]))


def circle_map(streets: pd.DataFrame, comp: pd.DataFrame, access: pd.DataFrame, facilities: pd.DataFrame, *,
               radius_m: dict[int, float], kinds: tuple[str, ...], street_names: dict[str, str],
               selected_streets: tuple[str, ...] = (), focus: str | None = None, reach_m: float = 0.0,
               n_categories: int = 10, tile_url: str | None = None, width: int = 900,
               height: int = 640) -> pdk.Deck:
    """The page's map from the analysis frames: tooltips, the facilities worth drawing, the view.

    `comp` is circle_analysis.completeness (with walk_minutes), `access`
    circle_analysis.community_access, `radius_m` walk minutes -> catchment radius.  Facilities
    of the categories in `kinds` are drawn when within `reach_m` of a shown circle centre or
    community (all of them when no street is selected).  The view frames the focused circle's
    `reach_m`, else the selected streets, else the district, in a map of about `width` ×
    `height` pixels.  A focused circle also gets its walk-tier rings (TIER_RINGS minutes,
    radii from `radius_m`).
    """
    circles = comp.assign(radius_m=comp["walk_minutes"].map(radius_m), launched_on=as_dates(comp["launched_on"]))
    circles["tip"] = [
        f"{r.name_zh}\n{street_names.get(r.street_code, r.street_code)} · {r.launched_on}建成"
        f"\n步行{r.walk_minutes}分钟≈{r.radius_m:.0f}米（直线）\n业态 {r.score}/{n_categories}"
        + (f"，缺：{r.missing_text}" if r.score < n_categories else "，齐全")
        for r in circles.itertuples(index=False)]
    comm = access.assign(tip=[
        f"{r.name_zh}（{street_names.get(r.street_code, r.street_code)}）\n人口 {r.population:,}"
        + ("\n十类业态均在步行时限内" if r.covered_all else f"\n缺：{r.missing_text}")
        for r in access.itertuples(index=False)])
    fac = facilities[facilities["category"].isin(kinds)]
    if selected_streets and len(fac):
        lat = np.concatenate([circles["center_lat"].to_numpy(float), comm["lat"].to_numpy(float)])
        lon = np.concatenate([circles["center_lon"].to_numpy(float), comm["lon"].to_numpy(float)])
        near = np.zeros(len(fac), bool)
        if len(lat):
            d = haversine_m(fac["lat"].to_numpy(float)[:, None], fac["lon"].to_numpy(float)[:, None],
                            lat[None, :], lon[None, :])
            near = (np.asarray(d) <= reach_m).any(axis=1)
        fac = fac[near]
    fac = fac.assign(tip=[f"{n}\n{c}" for n, c in zip(fac["name_zh"], fac["category"])])
    focused = circles[circles["circle_id"] == focus] if focus else circles.iloc[0:0]
    rings = None
    if len(focused):
        c = focused.iloc[0]
        dlat = reach_m / _M_PER_DEG_LAT
        dlon = dlat / math.cos(math.radians(c["center_lat"]))
        view = fit_view([c["center_lat"] - dlat, c["center_lat"] + dlat], [c["center_lon"] - dlon, c["center_lon"] + dlon],
                        width_px=width, height_px=height, pad=0.04)
        rings = pd.DataFrame({"center_lat": c["center_lat"], "center_lon": c["center_lon"],
                              "radius_m": [radius_m[m] for m in TIER_RINGS], "label": [f"{m}分钟" for m in TIER_RINGS]})
    else:
        view = fit_view(*street_points(streets, selected_streets), width_px=width, height_px=height, pad=0.02)
    return circle_deck(streets, circles, fac, comm, view=view, selected_streets=selected_streets, focus=focus,
                       tier_rings=rings, n_categories=n_categories, tile_url=tile_url, height=height)

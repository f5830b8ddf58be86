"""Pure pydeck builders: data in, Deck out (no Streamlit here).

Offline-first: no basemap (`map_provider=None` and `map_style=""`: with `None`
Streamlit substitutes a Carto style from the internet and the whole map fails
offline), the app draws boundaries and
labels itself, so a map is legible on an intranet with no tile server.  An optional
tile URL (settings) adds a TileLayer underneath.  Chinese labels need the
TextLayer's `character_set` as a double-quoted string of the characters used; likewise
every literal string prop (units, font family) is double-quoted, since pydeck reads a
bare string as an accessor expression and the layer then silently fails.
"""
from __future__ import annotations

import json

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from ..core.geo import outer_rings
from .colours import colors_for, rgb_of, sample

# Centre and zoom that frame Xicheng (lon 116.315–116.393, lat 39.868–39.972 [D]): deck.gl's
# 512 px tiles give ≈22 m/px at zoom 11.45 here, so the 11.5 km north–south fits in ≈520 px.
VIEW = pdk.ViewState(latitude=39.920, longitude=116.354, zoom=11.6, pitch=0, bearing=0)
LABEL_COLOUR = [20, 20, 20, 255]
BOUNDARY_COLOUR = [255, 255, 255, 255]
CIRCLE_COLOUR = [0, 114, 178]  # Okabe–Ito blue, same as the charts


DECIMALS = 5                    # of every number in a deck's JSON: 1e-5 degrees ≈ 1 m
OUTLINE_TOLERANCE = 1e-5        # street outlines on a deck are simplified to this many degrees (≈ 1 m)


def _rounded(value):
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


class Deck(pdk.Deck):
    """A pdk.Deck whose JSON (what st.pydeck_chart sends the browser) is compact: pydeck's own indents
    it and escapes every Chinese character, doubling it; here no whitespace, UTF-8 text, and numbers
    rounded to DECIMALS places."""

    def to_json(self) -> str:
        """The deck as compact JSON: pydeck's own fields and key order (sorted), through json's C encoder
        (pydeck's indent=2 makes json fall back to its pure-Python encoder, several times slower)."""
        plain = json.loads(json.dumps(self, sort_keys=True, default=default_serialize))
        return json.dumps(_rounded(plain), separators=(",", ":"), ensure_ascii=False)


def rgb(css: str, alpha: int = 255) -> list[int]:
    """'#010203' -> [1, 2, 3, alpha]."""
    return [*rgb_of(css), alpha]


def character_set(texts) -> str:
    """The TextLayer character_set: every character used, as a double-quoted string."""
    chars = sorted(set("".join(texts)) | set("0123456789.%-+ "))
    return '"' + "".join(c for c in chars if c not in '"\\') + '"'


def street_layer_data(streets: pd.DataFrame, values: pd.Series, value_text: pd.Series, scale: str,
                      extra: pd.DataFrame | None = None) -> list[dict]:
    """One record per polygon: outline, fill colour from `values`, tooltip fields."""
    df = streets.set_index("street_code")
    fills = dict(zip(df.index, colors_for(values.reindex(df.index), scale)))
    records = []
    for code, row in df.iterrows():
        for ring in outer_rings(row["geometry_geojson"], OUTLINE_TOLERANCE):
            rec = {"street_code": code, "name": row["name_zh"], "polygon": ring,
                   "fill": rgb(fills[code], 215), "value_text": value_text.get(code, "—")}
            if extra is not None and code in extra.index:
                rec.update({k: str(v) for k, v in extra.loc[code].items()})
            records.append(rec)
    return records


def street_deck(streets: pd.DataFrame, values: pd.Series, value_text: pd.Series, metric_label: str,
                scale: str, *, hexbins: pd.DataFrame | None = None, circles: pd.DataFrame | None = None,
                selected: str | None = None, tile_url: str | None = None, extra: pd.DataFrame | None = None,
                tooltip_lines: tuple[str, ...] = ()) -> pdk.Deck:
    """The street choropleth with labels, optional ticket density and circles.

    `values`/`value_text` are indexed by street_code; `hexbins` has lat, lon, weight;
    `circles` has center_lat, center_lon, radius_m, name_zh.  The street layer's id is
    'streets' (selection events name it).
    """
    layers = []
    if tile_url:
        layers.append(pdk.Layer("TileLayer", data=tile_url, id="tiles"))
    data = street_layer_data(streets, values, value_text, scale, extra)
    for rec in data:
        rec["line"] = [178, 34, 34, 255] if rec["street_code"] == selected else BOUNDARY_COLOUR
        rec["width"] = 4 if rec["street_code"] == selected else 1.5
    layers.append(pdk.Layer(
        "PolygonLayer", data=data, id="streets", get_polygon="polygon", get_fill_color="fill",
        get_line_color="line", get_line_width="width", line_width_units='"pixels"', pickable=True,
        auto_highlight=True, highlight_color=[255, 255, 255, 90], stroked=True, filled=True))
    if hexbins is not None and len(hexbins):
        # only the densest half of the cells is drawn, so the choropleth stays readable beneath
        layers.append(pdk.Layer(
            "HexagonLayer", data=hexbins, id="density", get_position=["lon", "lat"], get_elevation_weight="weight",
            get_color_weight="weight", radius=200, coverage=0.85, opacity=0.6, extruded=False, pickable=False,
            lower_percentile=50, color_range=[rgb(c)[:3] for c in sample("Purples", [0.4, 0.55, 0.7, 0.8, 0.9, 1.0])]))
    if circles is not None and len(circles):
        layers.append(pdk.Layer(
            "ScatterplotLayer", data=circles, id="circles", get_position=["center_lon", "center_lat"],
            get_radius="radius_m", radius_units='"meters"', stroked=True, filled=True,
            get_fill_color=CIRCLE_COLOUR + [35], get_line_color=CIRCLE_COLOUR + [230], line_width_min_pixels=2,
            pickable=False))
    labels = streets.assign(label=streets["short_zh"] + "\n" + streets["street_code"].map(value_text).fillna(""))
    layers.append(pdk.Layer(
        "TextLayer", data=labels[["centroid_lon", "centroid_lat", "label"]], id="labels",
        get_position=["centroid_lon", "centroid_lat"], get_text="label", get_size=14, size_units='"pixels"',
        get_color=LABEL_COLOUR, font_family='"Noto Sans CJK SC, Microsoft YaHei, sans-serif"',
        font_weight=600, outline_width=3, outline_color=[255, 255, 255, 230], font_settings={"sdf": True},
        character_set=character_set(labels["label"]), get_text_anchor='"middle"',
        get_alignment_baseline='"center"', pickable=False))
    lines = "".join(f"<br/>{line}" for line in tooltip_lines)
    tooltip = {"html": f"<b>{{name}}</b><br/>{metric_label}：{{value_text}}{lines}",
               "style": {"fontFamily": "Noto Sans CJK SC, sans-serif", "fontSize": "13px"}}
    return Deck(layers=layers, initial_view_state=VIEW, map_provider=None,
                    tooltip=tooltip, height=680)


def legend_html(scale: str, lo: float, hi: float, label: str, formatter) -> str:
    """A horizontal colour-bar legend for a Deck (pydeck has none of its own)."""
    stops = ", ".join(sample(scale, [i / 8 for i in range(9)]))
    return (f'<div style="font-size:13px;margin:4px 0 8px">{label}'
            f'<div style="height:12px;border-radius:3px;background:linear-gradient(to right, {stops});'
            f'margin:4px 0"></div><div style="display:flex;justify-content:space-between">'
            f"<span>{formatter(lo)}</span><span>{formatter(hi)}</span></div></div>")

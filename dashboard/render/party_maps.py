"""Pure pydeck builder for the 结对共建 map: streets coloured by 结对覆盖率, communities as dots by
their pairing this quarter (no Streamlit; offline like the other maps: no basemap)."""
from __future__ import annotations

import pandas as pd
import pydeck as pdk

from ..core import metrics
from .maps import VIEW, Deck, character_set, rgb, street_layer_data

# community dot colours (Okabe–Ito): no running pairing, running but no activity this quarter, active
STATE_COLOURS = {"无结对": "#D55E00", "本季度无活动": "#E69F00", "本季度有活动": "#009E73"}
FONT = '"Noto Sans CJK SC, Microsoft YaHei, sans-serif"'


def community_state(pairs: int, active_pairs: int) -> str:
    """无结对 / 本季度无活动 / 本季度有活动."""
    return "无结对" if pairs == 0 else "本季度有活动" if active_pairs else "本季度无活动"


def pairing_deck(streets: pd.DataFrame, coverage: pd.Series, communities: pd.DataFrame,
                 street_names: dict, height: int = 620) -> pdk.Deck:
    """`coverage` (结对覆盖率 by street_code) colours the streets; `communities` (pairing_communities)
    are dots sized by population and coloured by community_state."""
    m = metrics.PARTY_METRICS["pairing_coverage"]
    polys = street_layer_data(streets, coverage, coverage.map(m.format), m.scale)
    for rec in polys:
        rec["fill"][3] = 120
    dots = communities.assign(
        state=[community_state(p, a) for p, a in zip(communities["pairs"], communities["active_pairs"])],
        street=communities["street_code"].map(street_names),
        radius=(communities["population"].clip(lower=500) ** 0.5 * 2.2).round(1))
    dots["colour"] = [rgb(STATE_COLOURS[s], 235) for s in dots["state"]]
    dots["tip"] = [f"{s}：在结对 {p} 个，本季度活动 {a} 次" for s, p, a in
                   zip(dots["state"], dots["pairs"], dots["activities"])]
    labels = streets[["centroid_lon", "centroid_lat", "short_zh"]]
    layers = [
        pdk.Layer("PolygonLayer", data=polys, id="streets", get_polygon="polygon", get_fill_color="fill",
                  get_line_color=[255, 255, 255, 255], get_line_width=1.5, line_width_units='"pixels"',
                  stroked=True, filled=True, pickable=False),
        pdk.Layer("ScatterplotLayer", data=dots[["lon", "lat", "radius", "colour", "name_zh", "street", "tip"]],
                  id="communities", get_position=["lon", "lat"], get_radius="radius", radius_units='"meters"',
                  radius_min_pixels=3, get_fill_color="colour", get_line_color=[255, 255, 255, 255],
                  line_width_min_pixels=1, stroked=True, pickable=True),
        pdk.Layer("TextLayer", data=labels, id="labels", get_position=["centroid_lon", "centroid_lat"],
                  get_text="short_zh", get_size=13, size_units='"pixels"', get_color=[20, 20, 20, 255],
                  font_family=FONT, font_weight=600, outline_width=3, outline_color=[255, 255, 255, 230],
                  font_settings={"sdf": True}, character_set=character_set(labels["short_zh"]),
                  get_text_anchor='"middle"', get_alignment_baseline='"center"', pickable=False),
    ]
    tooltip = {"html": "<b>{name_zh}</b>（{street}）<br/>{tip}",
               "style": {"fontFamily": "Noto Sans CJK SC, sans-serif", "fontSize": "13px"}}
    return Deck(layers=layers, initial_view_state=VIEW, map_provider=None, tooltip=tooltip, height=height)


def legend_html() -> str:
    """The dot colours, as a small HTML legend."""
    items = "".join(f'<div><span style="display:inline-block;width:12px;height:12px;border-radius:6px;'
                    f'background:{c};margin-right:6px"></span>{s}</div>' for s, c in STATE_COLOURS.items())
    return f'<div style="font-size:13px;line-height:1.8">{items}<div style="color:#666">点越大，社区人口越多；' \
           f'街道底色为结对覆盖率</div></div>'

"""Pure Vega-Lite builders for the party-building pages (no Streamlit here)."""
from __future__ import annotations

import pandas as pd

from ..core import fmt
from .charts import chart, count_field, fixed_colour, name_field, records, room_for_labels, value_bars
from .colours import ACCENT, OKABE_ITO

# red (little done) → pale yellow → pale blue (all done): light enough that dark cell text reads everywhere
BOARD_SCALE = [[0.0, "#e34a33"], [0.5, "#fee8a0"], [0.8, "#e0f3f8"], [1.0, "#9ecae1"]]
_STREET_AXIS = {"field": "street", "type": "nominal", "sort": None, "title": None}


def intensity_dots(streets: pd.DataFrame, band: tuple[float, float]) -> dict:
    """吹哨强度 per street as dots (highest on top) against the district's band (shaded): neither end is a target."""
    df = streets.dropna(subset=["whistle_intensity"]).sort_values("whistle_intensity", ascending=False)
    outside = (df["whistle_intensity"] < band[0]) | (df["whistle_intensity"] > band[1])
    data = pd.DataFrame({"street": df["short_zh"].astype(str), "x_end": df["whistle_intensity"],
                         "label": [fmt.per(v) for v in df["whistle_intensity"]],
                         "colour": [OKABE_ITO[3] if o else OKABE_ITO[0] for o in outside]})
    x = {"field": "x_end", "type": "quantitative", "title": "吹哨强度（每千件工单吹哨次数）",
         "scale": room_for_labels(data["x_end"], 0.15)}
    layers = []
    if band[0] == band[0]:   # not NaN
        layers += [{"data": {"values": [{"lo": band[0], "hi": band[1]}]},
                    "mark": {"type": "rect", "color": "#cccccc", "opacity": 0.35},
                    "encoding": {"x": {"field": "lo", "type": "quantitative"}, "x2": {"field": "hi"}}},
                   {"data": {"values": [{"lo": band[0]}]},
                    "mark": {"type": "text", "text": "全区中间区间", "align": "left", "baseline": "bottom", "dx": 2,
                             "y": -4, "color": "#555555"},
                    "encoding": {"x": {"field": "lo", "type": "quantitative"}}}]
    layers += [{"mark": {"type": "point", "filled": True, "size": 140, "opacity": 1},
                "encoding": {"x": x, "y": _STREET_AXIS, "color": fixed_colour(),
                             "tooltip": [name_field("street", "街道"),
                                         {"field": "x_end", "type": "quantitative", "title": "每千件工单吹哨（次）",
                                          "format": ".1f"}]}},
               {"mark": {"type": "text", "align": "left", "dx": 10},
                "encoding": {"x": x, "y": _STREET_AXIS, "text": {"field": "label"}}}]
    return chart(max(300, 26 * len(df) + 90), data={"values": records(data)}, layer=layers)


def org_bars(streets: pd.DataFrame) -> dict:
    """Party organisations per street (bars, most on top), members in the bars' text."""
    df = streets.sort_values("orgs", ascending=False, kind="stable")
    data = pd.DataFrame({"street": df["short_zh"].astype(str), "x_end": df["orgs"],
                         "label": [f"{int(o):,}个 · {fmt.count(m)}名党员" for o, m in zip(df["orgs"], df["members"])]})
    x = {"field": "x_end", "type": "quantitative", "title": "党组织（个，不含党建协调委员会）"}
    return chart(max(300, 34 * len(df) + 90), data={"values": records(data)},
                 layer=value_bars(_STREET_AXIS, x, {"value": ACCENT},
                                         [name_field("street", "街道"), count_field("x_end", "党组织（个）")]))


def funnel(stages: pd.DataFrame, label_col: str, value_col: str, unit: str) -> dict:
    """A funnel of stages (largest first, each bar centred), each with its share of the first stage."""
    values = stages[value_col].astype(float)
    first = float(values.iloc[0]) if len(values) else 0.0
    top = max(float(values.max()) if len(values) else 0.0, 1.0)
    data = pd.DataFrame({"stage": stages[label_col].astype(str), "value": values, "lo": -values / 2, "hi": values / 2,
                         "label": [f"{int(v):,} {unit}（{fmt.rate(v / first) if first else '—'}）" for v in values]})
    y = {"field": "stage", "type": "nominal", "sort": None, "title": None}
    x = {"field": "lo", "type": "quantitative", "axis": None, "scale": {"domain": [-top / 2, top * 1.05]}}
    names = data["stage"].tolist()
    return chart(300, data={"values": records(data)}, layer=[
        {"mark": {"type": "bar"},
         "encoding": {"x": x, "x2": {"field": "hi"}, "y": y,
                      "color": {"field": "stage", "type": "nominal", "legend": None,
                                "scale": {"domain": names, "range": OKABE_ITO[:len(names)]}},
                      "tooltip": [name_field("stage", "环节"), count_field("value", f"数量（{unit}）")]}},
        {"mark": {"type": "text", "align": "left", "dx": 6},
         "encoding": {"x": {"field": "hi", "type": "quantitative"}, "y": y, "text": {"field": "label"}}}])


def board_heatmap(board: pd.DataFrame) -> dict:
    """Street × program: completion rate as colour, done / planned as text."""
    grid = board.pivot(index="street", columns="program", values="done_rate")
    data = pd.DataFrame({"street": board["street"].astype(str), "program": board["program"].astype(str),
                         "rate": board["done_rate"], "text": [f"{d}/{p}" for d, p in zip(board["done"], board["planned"])]})
    x = {"field": "program", "type": "nominal", "sort": [str(c) for c in grid.columns], "title": None,
         "axis": {"orient": "top", "labelAngle": 0}}
    y = {"field": "street", "type": "nominal", "sort": [str(s) for s in grid.index], "title": None}
    return chart(max(320, 30 * len(grid) + 90), data={"values": records(data)}, layer=[
        {"mark": {"type": "rect", "stroke": "white"},
         "encoding": {"x": x, "y": y,
                      "color": {"field": "rate", "type": "quantitative", "title": "完成率",
                                "scale": {"domain": [s for s, _ in BOARD_SCALE], "range": [c for _, c in BOARD_SCALE],
                                          "interpolate": "rgb"},
                                "legend": {"format": ".0%", "orient": "right", "direction": "vertical"}},
                      "tooltip": [name_field("street", "街道"), name_field("program", "类别"),
                                  {"field": "rate", "type": "quantitative", "title": "完成率", "format": ".0%"},
                                  name_field("text", "已完成/计划")]}},
        {"mark": {"type": "text", "color": "#222222"}, "encoding": {"x": x, "y": y, "text": {"field": "text"}}}])

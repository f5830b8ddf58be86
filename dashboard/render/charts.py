"""Pure chart builders: data in, a Vega-Lite spec (a dict) out; no Streamlit here.

Vega-Lite, not plotly: the browser's Vega chunk is a sixth of plotly's 4.7 MB, which a new tab
had to compile before its first chart drew (a second on a laptop, more on a phone).  The same
specs draw on the pages (st.vega_lite_chart), in the briefing mode, in the HTML brief
(vega-embed) and as the PPTX brief's images (vl-convert, no browser).

Imported names (categories, streets, units) travel only as data values: Vega draws them as
text, never as HTML or as part of an expression, so they need no escaping here.

One palette for the whole app (colours.py): Okabe–Ito for categories (colour-blind safe), a
sequential orange–red for volumes and a red–yellow–blue diverging scale for rates and scores
(red = weak).
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ..core import fmt, geo, metrics
from .colours import ACCENT, MISSING, OKABE_ITO, colors_for, stops, text_colour_on

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
FONT_SIZE = 13

GRAIN_LABELS = {"day": "日", "week": "周", "month": "月"}
# axis labels per grain (d3 time format: '%-m' is the month without a leading zero)
DATE_TICKS = {"day": "%-m月%-d日", "week": "%-m月%-d日", "month": "%Y年%-m月"}
WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


# --- the frame every chart shares ------------------------------------------------------------------


def config(size: int = FONT_SIZE) -> dict:
    """The shared look at type size `size`: Chinese font, light grid, legend on top, no frame."""
    return {"font": FONT, "view": {"stroke": None}, "background": "white",
            "axis": {"labelFontSize": size - 1, "titleFontSize": size, "titleFontWeight": "normal",
                     "gridColor": "#eeeeee", "labelLimit": 260, "domainColor": "#888888", "tickColor": "#888888"},
            "axisQuantitative": {"labelFlush": True},    # the end labels inside the chart, not cut at its edge
            "legend": {"orient": "top", "labelFontSize": size - 1, "titleFontSize": size - 1, "labelLimit": 320},
            "text": {"fontSize": size - 1}, "title": {"fontSize": size + 2, "anchor": "start"},
            "range": {"category": OKABE_ITO}}


def chart(height: int, **spec) -> dict:
    """A whole spec: `spec` (data, layer or mark, encoding …) at `height` px and the container's width."""
    return {"$schema": SCHEMA, "width": "container", "height": height,
            "autosize": {"type": "fit", "contains": "padding"}, "config": config(), **spec}


def records(df: pd.DataFrame) -> list[dict]:
    """The rows as JSON-ready dicts (NaN → null, numpy numbers → plain numbers)."""
    return json.loads(df.to_json(orient="records", force_ascii=False))


def day_strings(values) -> list[str]:
    """Dates as 'YYYY-MM-DD' (the x value of a time chart: ordinal, one band per bucket)."""
    return [d.strftime("%Y-%m-%d") for d in pd.to_datetime(pd.Series(values))]


def date_axis(tick: str, title: str | None = None) -> dict:
    """An ordinal x axis over 'YYYY-MM-DD' strings, labelled with the d3 time format `tick`
    (our constant, never data), thinned where labels would overlap."""
    return {"field": "date", "type": "ordinal", "sort": None, "title": title,
            "axis": {"labelExpr": f"utcFormat(toDate(datum.value), {json.dumps(tick)})", "labelAngle": 0,
                     "labelOverlap": "greedy", "grid": False}}


def count_field(field: str, title: str) -> dict:
    """A tooltip field: a count with thousands separators."""
    return {"field": field, "type": "quantitative", "title": title, "format": ","}


def name_field(field: str, title: str) -> dict:
    """A tooltip (or axis) field of text."""
    return {"field": field, "type": "nominal", "title": title}


def fixed_colour(field: str = "colour") -> dict:
    """A colour taken as is from a data column ('#rrggbb'), no legend."""
    return {"field": field, "type": "nominal", "scale": None, "legend": None}


def _series(names: list[str], colours: list[str]) -> dict:
    """A legend over named series in fixed colours."""
    return {"scale": {"domain": names, "range": colours}, "title": None}


def room_for_labels(values, room: float = 0.3) -> dict:
    """An x scale from zero to `room` past the largest (non-negative) value, for the labels beside the marks."""
    top = max(float(pd.Series(values, dtype=float).max()), 0.0) if len(values) else 0.0
    return {"domain": [0.0, top + room * (top or 1.0)], "nice": False}


def value_bars(y: dict, x: dict, colour: dict, tooltip: list[dict], *, zero_rule: bool = False,
               one_line: bool = False) -> list[dict]:
    """Horizontal bars, each named on the axis with its `label` (the value) on a second line (`one_line`:
    after the name, for many bars in a short chart): the value never runs off a narrow (phone) chart, as
    text past a long bar's end would."""
    sep = "  " if one_line else "\n"
    named = {**y, "field": "axis_label",
             "axis": {"labelExpr": "split(datum.value, '\\n')", "labelLineHeight": 15}}
    as_label = [{"calculate": f"datum[{json.dumps(y['field'])}] + {json.dumps(sep)} + datum.label", "as": "axis_label"}]
    layers = [{"transform": as_label, "mark": {"type": "bar"},
               "encoding": {"x": x, "y": named, "color": colour, "tooltip": tooltip}}]
    if zero_rule:
        layers.append({"mark": {"type": "rule", "color": "#999999"}, "encoding": {"x": {"datum": 0}}})
    return layers


# --- the hotline's charts ----------------------------------------------------------------------------


def category_change_bar(changes: pd.DataFrame, prev_label: str) -> dict:
    """Horizontal bars: change in tickets per category against the comparison period (first row on top)."""
    df = pd.DataFrame({
        "category": changes["category"].astype(str), "x_end": changes["change"],
        "tickets": changes["tickets"], "prev_tickets": changes["prev_tickets"],
        "colour": [OKABE_ITO[3] if c > 0 else OKABE_ITO[0] for c in changes["change"]],
        "label": [f"{int(c):+,}（{fmt.change(t, p)}）"
                  for c, t, p in zip(changes["change"], changes["tickets"], changes["prev_tickets"])]})
    x = {"field": "x_end", "type": "quantitative", "title": f"较{prev_label}增减（件）"}
    tooltip = [name_field("category", "类别"), count_field("tickets", "本期（件）"), count_field("prev_tickets", f"{prev_label}（件）"),
               {"field": "x_end", "type": "quantitative", "title": "变化（件）", "format": "+,"}]
    return chart(max(240, 34 * len(df) + 60), data={"values": records(df)},
                 layer=value_bars({"field": "category", "type": "nominal", "sort": None, "title": None}, x,
                                         fixed_colour(), tooltip, zero_rule=True))


def volume_trend(cur: pd.DataFrame, prev: pd.DataFrame, grain: str, cur_label: str, prev_label: str, *,
                 tick: str | None = None, axis_title: str | None = None) -> dict:
    """Tickets per bucket as bars, with the comparison period's buckets as a dotted line.

    The comparison period is aligned bucket by bucket (1st bucket on 1st bucket), so its dates
    show in the tooltip, not on the axis."""
    n = min(len(cur), len(prev))
    df = pd.DataFrame({"date": day_strings(cur["bucket"]), "tickets": cur["tickets"].to_numpy(),
                       "prev": np.r_[prev["tickets"].to_numpy()[:n], [None] * (len(cur) - n)],
                       "prev_date": day_strings(prev["bucket"].iloc[:n]) + [None] * (len(cur) - n)})
    x = date_axis(tick or DATE_TICKS[grain], axis_title)
    series = _series([cur_label, prev_label], OKABE_ITO[:2])
    layers = [{"mark": {"type": "bar"},
               "encoding": {"x": x, "y": {"field": "tickets", "type": "quantitative",
                                          "title": f"工单量（件/{GRAIN_LABELS[grain]}）"},
                            "color": {"datum": cur_label, **series},
                            "tooltip": [name_field("date", cur_label), count_field("tickets", "工单（件）")]}}]
    if n:
        layers.append({"transform": [{"filter": "isValid(datum.prev)"}],
                       "mark": {"type": "line", "strokeDash": [4, 3], "strokeWidth": 2, "point": True},
                       "encoding": {"x": x, "y": {"field": "prev", "type": "quantitative"},
                                    "color": {"datum": prev_label, **series},
                                    "tooltip": [name_field("prev_date", prev_label), count_field("prev", "工单（件）")]}})
    return chart(320, data={"values": records(df)}, layer=layers)


def rate_trend(rates: pd.DataFrame, grain: str = "month", *, tick: str | None = None,
               axis_title: str | None = None) -> dict:
    """The three rates per bucket as lines (y axis in % to one decimal, zoomed to the data: the rates
    often sit within a few points, where whole percents would repeat)."""
    labels = [metrics.METRICS[c].label for c in metrics.RATE_COLUMNS]
    df = pd.DataFrame({"date": np.repeat(day_strings(rates["bucket"]), len(labels)),
                       "metric": labels * len(rates),
                       "value": rates[list(metrics.RATE_COLUMNS)].to_numpy(dtype=float).ravel()})
    return chart(300, data={"values": records(df)}, mark={"type": "line", "strokeWidth": 2, "point": {"size": 30}},
                 encoding={"x": date_axis(tick or DATE_TICKS[grain], axis_title),
                           "y": {"field": "value", "type": "quantitative", "title": "比率",
                                 "scale": {"zero": False}, "axis": {"format": ".1%"}},
                           "color": {"field": "metric", "type": "nominal", **_series(labels, OKABE_ITO[:3])},
                           "tooltip": [name_field("date", "时间"), name_field("metric", "指标"),
                                       {"field": "value", "type": "quantitative", "title": "比率", "format": ".1%"}]})


def category_bars(df: pd.DataFrame, label_col: str = "category") -> dict:
    """Tickets per category, the 15 largest, largest on top; last period's count in the tooltip."""
    d = df.sort_values("tickets", ascending=False, kind="stable").head(15)
    data = pd.DataFrame({"category": d[label_col].astype(str), "x_end": d["tickets"],
                         "prev_tickets": d["prev_tickets"], "label": [fmt.count(v) for v in d["tickets"]]})
    x = {"field": "x_end", "type": "quantitative", "title": "工单量（件）"}
    tooltip = [name_field("category", "类别"), count_field("x_end", "本期（件）"), count_field("prev_tickets", "上期（件）")]
    return chart(max(260, 34 * len(d) + 70), data={"values": records(data)},
                 layer=value_bars({"field": "category", "type": "nominal", "sort": None, "title": None}, x,
                                         {"value": OKABE_ITO[0]}, tooltip))


def weekday_hour_heatmap(df: pd.DataFrame) -> dict:
    """Tickets by weekday (rows, 周一 on top) and hour (columns)."""
    grid = df.pivot(index="weekday", columns="hour", values="tickets").reindex(
        index=range(1, 8), columns=range(24)).fillna(0)
    long = pd.DataFrame({"weekday": np.repeat(WEEKDAYS, 24), "hour": [f"{h}时" for h in range(24)] * 7,
                         "tickets": grid.to_numpy().ravel().astype(int)})
    return chart(300, data={"values": records(long)}, mark={"type": "rect"},
                 encoding={"x": {"field": "hour", "type": "ordinal", "sort": None, "title": None,
                                 "axis": {"labelAngle": 0, "labelOverlap": "greedy"}},
                           "y": {"field": "weekday", "type": "ordinal", "sort": WEEKDAYS, "title": None},
                           "color": {"field": "tickets", "type": "quantitative", "title": "工单",
                                     "scale": {"range": stops(metrics.VOLUME_SCALE), "interpolate": "rgb"},
                                     "legend": {"orient": "right", "direction": "vertical"}},
                           "tooltip": [name_field("weekday", "星期"), name_field("hour", "时段"), count_field("tickets", "工单（件）")]})


def overdue_bars(times: pd.DataFrame) -> dict:
    """On-time vs overdue tickets per time-limit class (stacked)."""
    classes = times["limit_class"].astype(str).tolist()
    long = pd.DataFrame({"limit_class": classes * 2, "status": ["按时"] * len(times) + ["超期"] * len(times),
                         "meaning": ["按时或未到期"] * len(times) + ["超期"] * len(times),
                         "order": [0] * len(times) + [1] * len(times),
                         "tickets": np.r_[(times["tickets"] - times["overdue"]).to_numpy(), times["overdue"].to_numpy()]})
    return chart(300, data={"values": records(long)}, mark={"type": "bar"},
                 # '水电气热 24小时' on two lines (at the space), so narrow bars' labels do not collide
                 encoding={"x": {"field": "limit_class", "type": "nominal", "sort": classes, "title": None,
                                 "axis": {"labelAngle": 0, "labelExpr": "split(datum.value, ' ')"}},
                           "y": {"field": "tickets", "type": "quantitative", "title": "工单量（件）", "stack": "zero"},
                           "color": {"field": "status", "type": "nominal", **_series(["按时", "超期"], [OKABE_ITO[2], OKABE_ITO[3]])},
                           "order": {"field": "order"},
                           "tooltip": [name_field("limit_class", "时限"), name_field("meaning", "状态"), count_field("tickets", "工单（件）")]})


def rank_history(ranks: pd.DataFrame, n_streets: int, name: str) -> dict:
    """One street's monthly rank (1 at the top), with its 综合成绩 in the tooltip."""
    df = pd.DataFrame({"date": day_strings(ranks["month"]), "rank": ranks["rank"].to_numpy(),
                       "score": ranks["score"].to_numpy(), "street": name})
    x = date_axis("%y年%-m月")
    y = {"field": "rank", "type": "quantitative", "title": "月度排名",
         "scale": {"domain": [n_streets + 0.5, 0.5]},
         "axis": {"values": list(range(1, n_streets + 1)) if n_streets <= 15 else None, "format": "d"}}
    tooltip = [name_field("street", "街道"), name_field("date", "月份"), {"field": "rank", "type": "quantitative", "title": "排名"},
               {"field": "score", "type": "quantitative", "title": "综合成绩", "format": ".2f"}]
    return chart(300, data={"values": records(df)}, layer=[
        {"mark": {"type": "line", "color": ACCENT, "strokeWidth": 2, "point": {"color": ACCENT, "size": 50}},
         "encoding": {"x": x, "y": y, "tooltip": tooltip}},
        {"mark": {"type": "text", "dy": -12}, "encoding": {"x": x, "y": y, "text": {"field": "rank"}}}])


# --- the street map as a chart -----------------------------------------------------------------------


def scale_legend(lo: float, hi: float, formatter) -> dict:
    """A gradient legend whose two end labels are the app's own texts for `lo` and `hi`."""
    return {"orient": "right", "direction": "vertical", "gradientLength": 180, "values": [lo, hi],
            "labelExpr": f"datum.value <= {lo!r} ? {json.dumps(formatter(lo))} : {json.dumps(formatter(hi))}"}


def street_choropleth(streets: pd.DataFrame, values: pd.Series, label: str, formatter, *,
                      scale: str = metrics.VOLUME_SCALE, height: int = 420, highlight: tuple[str, ...] = ()) -> dict:
    """The streets as shapes coloured by `values` (indexed by street_code), names on top, a colour bar.

    A plain projection of the boundaries: no basemap, no network."""
    df = streets.set_index("street_code")
    vals = values.reindex(df.index).astype(float)
    fills = colors_for(vals, scale)
    features = [{"type": "Feature", "geometry": geo.for_d3(row["geometry_geojson"]),
                 "properties": {"name": row["name_zh"], "value": None if pd.isna(v) else float(v),
                                "value_text": formatter(v), "highlight": code in highlight}}
                for (code, row), v in zip(df.iterrows(), vals)]
    features.sort(key=lambda f: f["properties"]["highlight"])    # outlined last, so no neighbour hides the outline
    names = pd.DataFrame({"lon": df["centroid_lon"], "lat": df["centroid_lat"], "short": df["short_zh"].astype(str),
                          "ink": [text_colour_on(f) for f in fills]})
    finite = vals.dropna()
    lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    colour_stops = stops(scale)
    colour = {"condition": {"test": "!isValid(datum.properties.value)", "value": MISSING},
              "field": "properties.value", "type": "quantitative", "title": label,
              "scale": {"domain": list(np.linspace(lo, hi if hi > lo else lo + 1, len(colour_stops))),
                        "range": colour_stops, "interpolate": "rgb"},
              "legend": scale_legend(lo, hi, formatter) if len(finite) else None}
    # the names' ink is a second colour scale (as is): resolved apart from the shapes' legend scale
    return chart(height, projection={"type": "mercator"}, resolve={"scale": {"color": "independent"}}, layer=[
        {"data": {"values": features}, "mark": {"type": "geoshape"},
         "encoding": {"color": colour,
                      "stroke": {"condition": {"test": "datum.properties.highlight", "value": ACCENT}, "value": "white"},
                      "strokeWidth": {"condition": {"test": "datum.properties.highlight", "value": 3}, "value": 1.2},
                      "tooltip": [{"field": "properties.name", "title": "街道"},
                                  {"field": "properties.value_text", "title": label}]}},
        {"data": {"values": records(names)}, "mark": {"type": "text", "fontWeight": 500},
         "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                      "latitude": {"field": "lat", "type": "quantitative"},
                      "text": {"field": "short"}, "color": fixed_colour("ink")}}])

"""Pure plotly builders: data in, Figure out (no Streamlit here).

One palette for the whole app: Okabe–Ito for categories (colour-blind safe), a
sequential orange–red for volumes and a red–yellow–blue diverging scale for rates
and scores (red = weak), both readable for the common colour-vision deficiencies.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from ..core import fmt, metrics, plain
from ..core.geo import outer_rings

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
ACCENT = "#b22222"


def base_layout(fig: go.Figure, *, height: int = 360, title: str | None = None) -> go.Figure:
    """Shared look: Chinese font, tight margins, horizontal legend on top.  Every builder ends
    here, so this is where the traces' data strings (imported names) become plain text."""
    plain.plotly_figure(fig)
    fig.update_layout(
        height=height, margin=dict(l=10, r=10, t=40 if title else 10, b=10),
        font=dict(family=FONT, size=13), title=dict(text=title, x=0, font=dict(size=15)) if title else None,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), colorway=OKABE_ITO,
        plot_bgcolor="white", paper_bgcolor="white", hoverlabel=dict(font_family=FONT),
    )
    fig.update_xaxes(gridcolor="#eee")
    fig.update_yaxes(gridcolor="#eee")
    return fig


def colors_for(values: pd.Series, scale: str) -> list[str]:
    """Map values onto a colorscale (min → first colour); NaN → light grey."""
    lo, hi = values.min(), values.max()
    span = (hi - lo) or 1.0
    out = []
    for v in values:
        out.append("#dddddd" if pd.isna(v) else sample_colorscale(scale, [(v - lo) / span])[0])
    return out


def text_colour_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill` ('rgb(r, g, b)' or '#rrggbb')."""
    if fill.startswith("#"):
        r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    else:
        r, g, b = (float(v) for v in fill[fill.index("(") + 1:-1].split(",")[:3])
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b  # sRGB weights, 0–255
    return "#111111" if luminance > 140 else "#ffffff"


def street_choropleth(streets: pd.DataFrame, values: pd.Series, label: str, formatter, *,
                      scale: str = metrics.VOLUME_SCALE, height: int = 420, highlight: tuple[str, ...] = ()) -> go.Figure:
    """The streets as filled polygons coloured by `values` (indexed by street_code).

    Drawn as plain shapes on equal-aspect axes, so it needs no basemap and no network.
    """
    df = streets.set_index("street_code")
    vals = values.reindex(df.index)
    colours = dict(zip(df.index, colors_for(vals, scale)))
    fig = go.Figure()
    for code, row in df.iterrows():
        hover = f"<b>{plain.html(row['name_zh'])}</b><br>{label}：{formatter(vals[code])}<extra></extra>"
        for ring in outer_rings(row["geometry_geojson"]):
            xs, ys = zip(*ring)
            fig.add_trace(go.Scatter(
                x=xs, y=ys, fill="toself", mode="lines", fillcolor=colours[code],
                line=dict(color=ACCENT if code in highlight else "white", width=3 if code in highlight else 1.2),
                hovertemplate=hover, showlegend=False, customdata=[code] * len(xs), name=row["short_zh"]))
    fig.add_trace(go.Scatter(
        x=df["centroid_lon"], y=df["centroid_lat"], mode="text", text=df["short_zh"],
        textfont=dict(size=12, color=[text_colour_on(colours[c]) for c in df.index], family=FONT),
        hoverinfo="skip", showlegend=False))
    # a colour bar for the legend (an invisible marker trace carries it)
    finite = vals.dropna()
    if len(finite):
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
            marker=dict(colorscale=scale, cmin=finite.min(), cmax=finite.max(), color=[finite.min()],
                        showscale=True, colorbar=dict(title=dict(text=label, side="right"), thickness=12,
                                                      len=0.8, tickfont=dict(size=11)))))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / 0.767)  # cos(39.9°): true shape
    return base_layout(fig, height=height)


def category_change_bar(changes: pd.DataFrame, prev_label: str) -> go.Figure:
    """Horizontal bars: change in tickets per category against the comparison period."""
    df = changes.iloc[::-1]
    colours = [OKABE_ITO[3] if c > 0 else OKABE_ITO[0] for c in df["change"]]
    text = [f"{int(c):+,}（{fmt.change(t, p)}）" for c, t, p in zip(df["change"], df["tickets"], df["prev_tickets"])]
    fig = go.Figure(go.Bar(
        x=df["change"], y=df["category"], orientation="h", marker_color=colours, text=text,
        textposition="auto", cliponaxis=False,
        customdata=df[["tickets", "prev_tickets"]].to_numpy(),
        hovertemplate="<b>%{y}</b><br>本期 %{customdata[0]:,} 件<br>" + prev_label
                      + " %{customdata[1]:,} 件<br>变化 %{x:+,}<extra></extra>"))
    fig.update_xaxes(title_text=f"较{prev_label}增减（件）", zeroline=True, zerolinecolor="#999")
    return base_layout(fig, height=max(240, 34 * len(df) + 60))


GRAIN_LABELS = {"day": "日", "week": "周", "month": "月"}
# Chinese date ticks (plotly's defaults are English month names)
DATE_TICKS = {"day": "%-m月%-d日", "week": "%-m月%-d日", "month": "%Y年%-m月"}
WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


def volume_trend(cur: pd.DataFrame, prev: pd.DataFrame, grain: str, cur_label: str, prev_label: str) -> go.Figure:
    """Tickets per bucket as bars, with the comparison period's buckets as a line.

    The comparison period is aligned bucket by bucket (1st bucket on 1st bucket),
    so its dates show in the hover, not on the axis.
    """
    fig = go.Figure(go.Bar(x=cur["bucket"], y=cur["tickets"], name=cur_label, marker_color=OKABE_ITO[0],
                           hovertemplate="%{x|%Y-%m-%d}<br>%{y:,} 件<extra>" + cur_label + "</extra>"))
    n = min(len(cur), len(prev))
    if n:
        fig.add_trace(go.Scatter(
            x=cur["bucket"].iloc[:n], y=prev["tickets"].iloc[:n], name=prev_label, mode="lines+markers",
            line=dict(color=OKABE_ITO[1], width=2, dash="dot"), customdata=prev["bucket"].iloc[:n],
            hovertemplate="对比期 %{customdata|%Y-%m-%d}<br>%{y:,} 件<extra>" + prev_label + "</extra>"))
    fig.update_yaxes(title_text=f"工单量（件/{GRAIN_LABELS[grain]}）", rangemode="tozero")
    fig.update_xaxes(tickformat=DATE_TICKS[grain])
    return base_layout(fig, height=320)


def rate_trend(rates: pd.DataFrame, grain: str = "month") -> go.Figure:
    """The three rates per bucket as lines (y axis in %, zoomed to the data)."""
    fig = go.Figure()
    for i, col in enumerate(metrics.RATE_COLUMNS):
        label = metrics.METRICS[col].label
        fig.add_trace(go.Scatter(x=rates["bucket"], y=rates[col], name=label, mode="lines+markers",
                                 line=dict(color=OKABE_ITO[i], width=2), marker=dict(size=5),
                                 hovertemplate="%{x|%Y-%m-%d}<br>%{y:.1%}<extra>" + label + "</extra>"))
    fig.update_yaxes(tickformat=".0%", title_text="比率")
    fig.update_xaxes(tickformat=DATE_TICKS[grain])
    return base_layout(fig, height=300)


def category_bars(df: pd.DataFrame, label_col: str = "category") -> go.Figure:
    """Tickets per category, largest on top, with the change against the comparison period in the hover."""
    d = df.sort_values("tickets").tail(15)
    fig = go.Figure(go.Bar(
        x=d["tickets"], y=d[label_col], orientation="h", marker_color=OKABE_ITO[0],
        text=[fmt.count(v) for v in d["tickets"]], textposition="outside", cliponaxis=False,
        customdata=d[["prev_tickets"]].to_numpy(),
        hovertemplate="<b>%{y}</b><br>本期 %{x:,} 件<br>上期 %{customdata[0]:,} 件<extra></extra>"))
    fig.update_xaxes(title_text="工单量（件）")
    return base_layout(fig, height=max(260, 28 * len(d) + 70))


def weekday_hour_heatmap(df: pd.DataFrame) -> go.Figure:
    """Tickets by weekday (rows) and hour (columns)."""
    grid = df.pivot(index="weekday", columns="hour", values="tickets").reindex(
        index=range(1, 8), columns=range(24)).fillna(0)
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=[f"{h}时" for h in range(24)], y=WEEKDAYS, colorscale=metrics.VOLUME_SCALE,
        colorbar=dict(title=dict(text="工单", side="right"), thickness=12),
        hovertemplate="%{y} %{x}<br>%{z:,} 件<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    return base_layout(fig, height=300)


def overdue_bars(times: pd.DataFrame) -> go.Figure:
    """On-time vs overdue tickets per time-limit class (stacked)."""
    on_time = times["tickets"] - times["overdue"]
    fig = go.Figure([
        go.Bar(x=times["limit_class"], y=on_time, name="按时", marker_color=OKABE_ITO[2],
               hovertemplate="%{x}<br>按时或未到期 %{y:,} 件<extra></extra>"),
        go.Bar(x=times["limit_class"], y=times["overdue"], name="超期", marker_color=OKABE_ITO[3],
               hovertemplate="%{x}<br>超期 %{y:,} 件<extra></extra>"),
    ])
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text="工单量（件）")
    return base_layout(fig, height=300)


def rank_history(ranks: pd.DataFrame, n_streets: int, name: str) -> go.Figure:
    """One street's monthly rank (1 at the top), with its 综合成绩 in the hover."""
    fig = go.Figure(go.Scatter(
        x=ranks["month"], y=ranks["rank"], mode="lines+markers+text", text=ranks["rank"].astype("string"),
        textposition="top center", line=dict(color=ACCENT, width=2), marker=dict(size=7),
        customdata=ranks[["score"]].to_numpy(), name=name,
        hovertemplate="%{x|%Y年%m月}<br>第%{y}位<br>综合成绩 %{customdata[0]:.2f}<extra></extra>"))
    fig.update_yaxes(autorange=False, range=[n_streets + 0.5, 0.5], dtick=1 if n_streets <= 15 else None,
                     title_text="月度排名")
    fig.update_xaxes(dtick="M1", tickformat="%y年%m月")
    return base_layout(fig, height=300)

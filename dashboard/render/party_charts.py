"""Pure plotly builders for the party-building pages (no Streamlit here)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..core import fmt
from .charts import ACCENT, OKABE_ITO, base_layout

# red (little done) → pale yellow → pale blue (all done): light enough that dark cell text reads everywhere
BOARD_SCALE = [[0.0, "#e34a33"], [0.5, "#fee8a0"], [0.8, "#e0f3f8"], [1.0, "#9ecae1"]]


def intensity_dots(streets: pd.DataFrame, band: tuple[float, float]) -> go.Figure:
    """吹哨强度 per street as dots against the district's band (shaded): neither end is a target."""
    df = streets.dropna(subset=["whistle_intensity"]).sort_values("whistle_intensity")
    outside = (df["whistle_intensity"] < band[0]) | (df["whistle_intensity"] > band[1])
    fig = go.Figure(go.Scatter(
        x=df["whistle_intensity"], y=df["short_zh"], mode="markers+text", text=[fmt.per(v) for v in df["whistle_intensity"]],
        textposition="middle right", marker=dict(size=12, color=[OKABE_ITO[3] if o else OKABE_ITO[0] for o in outside]),
        hovertemplate="<b>%{y}</b><br>每千件工单吹哨 %{x:.1f} 次<extra></extra>", cliponaxis=False))
    if band[0] == band[0]:   # not NaN
        fig.add_vrect(x0=band[0], x1=band[1], fillcolor="#cccccc", opacity=0.35, line_width=0,
                      annotation_text="全区中间区间", annotation_position="top left")
    fig.update_xaxes(title_text="吹哨强度（每千件工单吹哨次数）", rangemode="tozero")
    return base_layout(fig, height=max(300, 26 * len(df) + 90))


def org_bars(streets: pd.DataFrame) -> go.Figure:
    """Party organisations per street (bars), members as text."""
    df = streets.sort_values("orgs")
    fig = go.Figure(go.Bar(
        x=df["orgs"], y=df["short_zh"], orientation="h", marker_color=ACCENT,
        text=[f"{int(o):,}个 · {fmt.count(m)}名党员" for o, m in zip(df["orgs"], df["members"])],
        textposition="outside", cliponaxis=False,
        hovertemplate="<b>%{y}</b><br>党组织 %{x:,} 个<extra></extra>"))
    # room on the right for the longest text label (the bars' text sits outside them)
    fig.update_xaxes(title_text="党组织（个，不含党建协调委员会）", range=[0, 1.9 * max(float(df["orgs"].max()), 1)])
    return base_layout(fig, height=max(300, 26 * len(df) + 90))


def funnel(stages: pd.DataFrame, label_col: str, value_col: str, unit: str) -> go.Figure:
    """A funnel of stages (largest first), each with its share of the first stage."""
    fig = go.Figure(go.Funnel(
        y=stages[label_col], x=stages[value_col], textinfo="value+percent initial",
        marker=dict(color=OKABE_ITO[:len(stages)]),
        hovertemplate="%{y}：%{x:,} " + unit + "<extra></extra>"))
    return base_layout(fig, height=300)


def board_heatmap(board: pd.DataFrame) -> go.Figure:
    """Street × program: completion rate as colour, done / planned as text."""
    grid = board.pivot(index="street", columns="program", values="done_rate")
    text = board.assign(t=[f"{d}/{p}" for d, p in zip(board["done"], board["planned"])]) \
        .pivot(index="street", columns="program", values="t").reindex_like(grid)
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=list(grid.columns), y=list(grid.index), text=text.fillna("").to_numpy(),
        texttemplate="%{text}", colorscale=BOARD_SCALE, zmin=0, zmax=1, colorbar=dict(title="完成率", tickformat=".0%"),
        hovertemplate="<b>%{y}</b> · %{x}<br>完成率 %{z:.0%}（%{text}）<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    return base_layout(fig, height=max(320, 30 * len(grid) + 90))

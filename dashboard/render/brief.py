"""The meeting brief: the briefing's six views as slide specs, and their HTML and PPTX forms.

    collect(info, choices, state)  -> BriefData    runs the named queries (dashboard/views/brief.py)
    slides(data)                   -> [Slide]      pure: headlines, KPI cards, figures, tables
    build(info, choices, state)    -> Brief        both, plus the stamp every slide carries
    brief_html.to_html(brief) -> str   one self-contained file (dashboard/render/brief_html.py)
    to_pptx(brief) -> bytes        a cover, one slide per view, a 口径 slide; charts as PNG (kaleido)

The briefing mode in the app (dashboard/briefing_ui.py), its download buttons and
`python -m dashboard brief` all go through `build`, so all three say the same numbers.
Every slide is stamped with the filters, 数据截至, the snapshot id, the 口径 of its
metrics, and 演示数据 when the snapshot is a demo.
"""
from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from ..core import fmt, metrics
from ..core.config import Settings
from ..core.filters import Choices, FilterState, describe
from ..store.snapshot import SnapshotInfo
from ..views import analysis, headlines, tables
from ..views.brief import BriefData, collect, trend_window
from . import charts

TITLE = "红墙先锋 · 西城基层治理汇报"
DEMO_TEXT = "演示数据·非官方数据"
CHART_FONT = 18          # projector type inside charts (px)
CHART_HEIGHT = 560       # default figure height (px) in the HTML brief
RATE_KEYS = ("response_rate", "resolution_rate", "satisfaction_rate")


# --- specs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    """One KPI card: the value, its 环比 and 同比 texts, and whether the 环比 move is good."""

    label: str
    value: str
    prev: str
    yoy: str
    tone: int       # +1 good, -1 bad, 0 neutral or flat
    help: str


@dataclass(frozen=True)
class Slide:
    """One view: a headline and one kind of body (KPI cards, figures or a table)."""

    key: str
    title: str
    headline: str
    kpis: tuple[Kpi, ...] = ()
    figures: tuple[go.Figure, ...] = ()
    table: pd.DataFrame | None = None
    highlight: tuple[int, ...] = ()          # table rows (positions) to highlight
    note: str = ""
    definitions: tuple[str, ...] = ()        # keys of metrics.definitions() this slide relies on


@dataclass(frozen=True)
class Stamp:
    """What every slide says about its data."""

    filters: str
    as_of: date
    snapshot_id: str
    demo: bool

    def line(self) -> str:
        parts = [DEMO_TEXT] if self.demo else []
        parts += [f"数据截至 {self.as_of:%Y-%m-%d}", f"快照 {self.snapshot_id}", f"筛选：{self.filters}"]
        return " ｜ ".join(parts)


@dataclass(frozen=True)
class Brief:
    title: str
    stamp: Stamp
    slides: tuple[Slide, ...]
    definitions: Mapping[str, str]

    def slide_definitions(self, slide: Slide) -> list[str]:
        return [self.definitions[k] for k in slide.definitions if k in self.definitions]


# --- slides (pure) ----------------------------------------------------------------------------------


def _tone(delta) -> int:
    """+1 for a rise (good for rates and scores), -1 for a fall, 0 for flat or unknown."""
    if pd.isna(delta) or round(float(delta), 4) == 0:
        return 0
    return 1 if delta > 0 else -1


def projector(fig: go.Figure, height: int = CHART_HEIGHT, margin: int = 70) -> go.Figure:
    """Bigger type and room for it: the look of every chart in the brief and the briefing mode.
    Margins are explicit and axes grow them (Streamlit's plotly renders without the template's automargin)."""
    fig.update_layout(height=height, font=dict(size=CHART_FONT), margin=dict(l=margin, r=30, t=60, b=margin),
                      legend=dict(font=dict(size=CHART_FONT)), hoverlabel=dict(font_size=CHART_FONT))
    fig.update_xaxes(automargin=True, tickfont_size=CHART_FONT, title_font_size=CHART_FONT)
    fig.update_yaxes(automargin=True, tickfont_size=CHART_FONT, title_font_size=CHART_FONT)
    return fig


def kpi_slide(d: BriefData, period: str, subject: str, defs: Mapping[str, str]) -> Slide:
    c, p, y = d.kpi_cur, d.kpi_prev, d.kpi_yoy
    cards = [Kpi("工单量", fmt.count(c["tickets"]), fmt.change(c["tickets"], p["tickets"]),
                 fmt.change(c["tickets"], y["tickets"]), 0, defs["tickets"])]
    for key in RATE_KEYS:
        cards.append(Kpi(metrics.LABELS[key], fmt.rate(c[key]), fmt.points(c[key] - p[key]),
                         fmt.points(c[key] - y[key]), _tone(c[key] - p[key]), defs[key]))
    cards.append(Kpi("综合成绩", fmt.score(c["score"]), fmt.score_delta(c["score"] - p["score"]),
                     fmt.score_delta(c["score"] - y["score"]), _tone(c["score"] - p["score"]), defs["score"]))
    note = (f"环比对比 {d.previous.label()}，同比对比 {d.year_ago.label()}；有效回访 {fmt.count(c['valid'])} 件"
            + ("，样本不足，比率仅供参考" if c["valid"] and c["small_sample"] else ""))
    return Slide("kpis", "关键指标", headlines.kpis(period, subject, c, p, d.ranked, d.state.streets),
                 kpis=tuple(cards), note=note,
                 definitions=("tickets", *RATE_KEYS, "score"))


def ranking_frame(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranking as the briefing shows it: every street, formatted text, Chinese headers."""
    t = tables.ranking_table(ranked, pd.DataFrame())
    out = pd.DataFrame({
        "排名": t["排名"].astype(str), "变化": t["变化"], "街道": t["街道"], "分类": t["分类"],
        "综合成绩": t["综合成绩"].map(fmt.score),
        **{metrics.LABELS[k]: ranked[k].map(fmt.rate).to_numpy() for k in RATE_KEYS},
        "工单量": t["工单量"].map(lambda n: f"{n:,}"), "每万人": t["每万人工单"].map(fmt.per),
    })
    return out


def ranking_slide(d: BriefData) -> Slide:
    table = ranking_frame(d.ranked)
    hl = tuple(i for i, code in enumerate(d.ranked["street_code"]) if code in d.state.streets)
    n = int(d.ranked["rank"].notna().sum())
    return Slide("ranking", "街道排名", headlines.ranking(d.ranked, d.settings.small_sample_min, d.state.streets), table=table,
                 highlight=hl, note=f"{n}个街道参与排名；变化为与上期（{d.previous.label()}）名次相比。",
                 definitions=("score", "rank", "class"))


def per_10k_bars(ranked: pd.DataFrame, average: float, selected: tuple[str, ...] = ()) -> go.Figure:
    """Tickets per 10,000 residents by street, most on top, with the district average as a line."""
    df = ranked.dropna(subset=["per_10k"]).sort_values("per_10k")
    colours = [charts.ACCENT if c in selected else charts.OKABE_ITO[3] for c in df["street_code"]]
    fig = go.Figure(go.Bar(
        x=df["per_10k"], y=df["short_zh"], orientation="h", marker_color=colours,
        text=[fmt.per(v) for v in df["per_10k"]], textposition="outside", cliponaxis=False,
        hovertemplate="<b>%{y}</b><br>每万人工单 %{x:.1f} 件<extra></extra>"))
    if average == average:  # not NaN
        fig.add_vline(x=average, line=dict(color="#555", dash="dash", width=2),
                      annotation_text=f"全区平均 {fmt.per(average)}", annotation_position="top",
                      annotation_font_size=CHART_FONT - 2)
    fig.update_xaxes(title_text="每万人工单（件）", rangemode="tozero")
    return charts.base_layout(fig)


def _fit_bars(fig: go.Figure, n: int) -> go.Figure:
    """Fifteen bars in a 720p slide: smaller ticks than the projector default, so none is skipped."""
    size = CHART_FONT - 3 if n > 10 else CHART_FONT
    fig.update_yaxes(tickfont_size=size)
    fig.update_traces(textfont_size=size)
    return fig


def map_slide(d: BriefData) -> Slide:
    r = d.ranked
    values = r.set_index("street_code")["per_10k"]
    fig = charts.street_choropleth(d.streets, values, "每万人工单", fmt.per, scale=charts.VOLUME_SCALE,
                                   highlight=d.state.streets)
    fig.update_traces(textfont_size=CHART_FONT - 3, selector=dict(mode="text"))   # names; values are in the bars
    known = r[(r["population"] > 0) & r["per_10k"].notna()]
    avg = 10_000 * known["tickets"].sum() / known["population"].sum() if len(known) else float("nan")
    return Slide("map", "工单强度地图", headlines.intensity(r, d.state.streets),
                 figures=(projector(fig, margin=10),
                          _fit_bars(projector(per_10k_bars(r, avg, d.state.streets)), len(known))),
                 note="每万人工单 = 工单量 ÷ 常住人口 × 10000"
                      + ("；街道边界为示意" if d.choices.schematic_boundaries else ""),
                 definitions=("per_10k",))


def trend_slide(d: BriefData) -> Slide:
    cur = metrics.add_rates(d.trend, d.settings)
    tw = trend_window(d.window)
    months = f"{headlines.month_label(tw.start)}—{headlines.month_label(tw.end)}"
    vol = charts.volume_trend(d.trend, d.trend_yoy, "month", "本期", "上年同期")
    rates = charts.rate_trend(cur, metrics.LABELS)
    rates.update_yaxes(tickformat=".1%")   # rates sit within a few points: whole percents would repeat
    for f in (vol, rates):
        f.update_xaxes(dtick="M1", tickformat="%-m月", tickangle=0, title_text=months)
    return Slide("trend", "月度走势", headlines.trend(cur), figures=(projector(vol), projector(rates)),
                 note=f"{tw.label()}，按月；虚线为上年同期工单量。", definitions=("tickets", *RATE_KEYS))


def category_slide(d: BriefData) -> Slide:
    changes = analysis.category_changes(d.growth, top=len(d.growth))
    fig = charts.category_change_bar(changes.head(8), "上期")
    fig.update_traces(textfont_size=CHART_FONT)
    return Slide("categories", "增长最多的类别", headlines.categories(changes),
                 figures=(projector(fig, max(CHART_HEIGHT, 60 * min(len(changes), 8) + 100)),),
                 note=f"按一级类别比较本期与上期（{d.previous.label()}）工单量，按增量排序，显示前8类。",
                 definitions=("tickets",))


def circle_table(comp: pd.DataFrame, cat_cov: pd.DataFrame) -> pd.DataFrame:
    """Per basic category: walk tier, residents reaching it, who lacks it, and which circles lack it."""
    lacking = {c: [n.removesuffix("便民生活圈") for n, m in zip(comp["name_zh"], comp["missing"]) if c in m]
               for c in cat_cov["category"]}
    return pd.DataFrame({
        "业态": cat_cov["category"].to_numpy(),
        "步行时限": [f"{t}分钟" for t in cat_cov["tier_minutes"]],
        "居民可达": cat_cov["share"].map(fmt.rate).to_numpy(),
        "够不着的社区": cat_cov["lacking_communities"].astype(int).to_numpy(),
        "涉及居民": cat_cov["lacking_residents"].map(fmt.count).to_numpy(),
        "未配齐的生活圈": [headlines.names(lacking[c], "个") or "—" for c in cat_cov["category"]],
    })


def circle_slide(d: BriefData) -> Slide:
    from ..views import circles  # the 便民生活圈 analytics (walk tiers, reach, completeness)

    walk = dict(m_per_min=d.settings.walk_m_per_min, directness=d.settings.route_directness)
    summary = circles.gap_summary(d.circles, d.facilities, d.communities, **walk)
    c_reach = circles.reach(d.circles, d.facilities, id_col="circle_id", lat_col="center_lat",
                            lon_col="center_lon", **walk)
    comp = circles.completeness(d.circles, c_reach)
    cat_cov = circles.category_coverage(d.communities, circles.reach(d.communities, d.facilities,
                                                                     id_col="community_id", **walk))
    table = circle_table(comp, cat_cov)
    top = (summary.get("top_gap") or {}).get("category")
    return Slide("circles", "便民生活圈缺口", headlines.circle_gaps(summary, len(circles.CATEGORIES)), table=table,
                 highlight=tuple(i for i, c in enumerate(table["业态"]) if c == top),
                 note=f"按北京10类基本便民业态统计；步行时限5/8/15分钟按商务部指南，直线距离按绕行系数"
                      f"{d.settings.route_directness:g}折算，可能高估可达范围。",
                 definitions=("circles",))


def slides(d: BriefData) -> list[Slide]:
    """The six views of the briefing, in order."""
    defs = metrics.definitions(d.settings)
    period = headlines.period_phrase(d.state.period, d.window)
    street_names = [d.choices.streets.get(c, c) for c in d.state.streets]
    subject = headlines.subject_phrase(street_names, d.state.categories + d.state.subcategories)
    return [kpi_slide(d, period, subject, defs), ranking_slide(d), map_slide(d), trend_slide(d),
            category_slide(d), circle_slide(d)]


def make_stamp(info: SnapshotInfo, choices: Choices, state: FilterState) -> Stamp:
    return Stamp(describe(state, choices), info.data_as_of, info.id, info.is_demo)


def circle_definition(s: Settings) -> str:
    return (f"业态可达：社区（或生活圈中心）到最近同类设施的直线距离 × {s.route_directness:g} ÷ "
            f"{s.walk_m_per_min:g}米/分钟，不超过该业态的步行时限（便利店5分钟；早餐、菜店、药店等8分钟；"
            "超市、维修、家政15分钟）即为可达；生活圈业态齐全 = 10类基本业态在圈中心步行时限内都有。")


_DEF_LABELS = {**metrics.LABELS, "rank": "排名", "class": "四类分组", "overdue": "超期"}


def labelled_definitions(s: Settings) -> dict[str, str]:
    """metrics.definitions, each starting with the name of what it defines ('每万人工单：…')."""
    out = {}
    for key, text in metrics.definitions(s).items():
        label = _DEF_LABELS.get(key, key)
        out[key] = text if text.startswith(label) else f"{label}：{text}"
    out["circles"] = circle_definition(s)
    return out


def build(info: SnapshotInfo, choices: Choices, state: FilterState, s: Settings | None = None) -> Brief:
    """The brief of one filter state on one snapshot."""
    d = collect(info, choices, state, s)
    return Brief(TITLE, make_stamp(info, choices, state), tuple(slides(d)), labelled_definitions(d.settings))


def file_name(stamp: Stamp, suffix: str) -> str:
    """'汇报_2026年10月_全区15个街道.pptx'-style names (no characters a file system dislikes)."""
    window, streets = stamp.filters.split("｜")[:2]
    clean = "".join(c for c in f"{window}_{streets}" if c not in '\\/:*?"<>| ')
    return f"汇报_{clean.replace('至', '-')}.{suffix}"


# --- table cells (read alike by the HTML and PPTX tables) -----------------------------------------------

_NUMERIC = re.compile(r"^[+\-−]?[\d,.]+(%|万|亿|分)?$|^[—-]$")


def numeric_column(values) -> bool:
    """True when every cell reads as a number (so it aligns right): '98.4%', '1,234', '2.07万', '—'."""
    cells = [str(v) for v in values]
    return bool(cells) and all(_NUMERIC.match(c) for c in cells) and any(c not in "—-" for c in cells)


def change_tone(column: str, value) -> int | None:
    """A rank change cell's tone: ↑ good, ↓ bad; None for any other cell."""
    if column != "变化":
        return None
    text = str(value)
    return 1 if text.startswith("↑") else -1 if text.startswith("↓") else None


# --- the PPTX brief ----------------------------------------------------------------------------------------

_W, _H = 13.333, 7.5                # 16:9 slide, inches
_BODY = (1.8, 4.25)                 # top and height of a slide's body (below a two-line headline)
_NOTE_TOP, _DEFS_TOP, _STAMP_TOP = 6.1, 6.45, 7.05
_PX = 110                           # chart pixels per inch (kaleido renders at scale 2 on top)
_FONT = "Microsoft YaHei"           # Chinese office default; viewers without it fall back to a CJK font
_RED, _GREY, _DARK = "B22222", "666666", "1A1A1A"
_TONE_INK = {1: "0B7A3E", -1: "C62828", 0: "555555"}


def render_pngs(figs: list[go.Figure], sizes: list[tuple[int, int]]) -> list[bytes]:
    """PNG bytes of each figure at (width, height) px, in one kaleido batch (one browser start)."""
    import plotly.io as pio

    if not figs:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / f"fig{i}.png" for i in range(len(figs))]
        pio.write_images([go.Figure(f) for f in figs], paths, width=[w for w, _ in sizes],
                         height=[h for _, h in sizes], scale=2)
        return [p.read_bytes() for p in paths]


def _style(run, text, size, bold=False, colour=_DARK):
    """Text, size, weight and colour of a run, with the typeface set for East Asian glyphs too."""
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    run.text = str(text)
    f = run.font
    f.size, f.bold, f.name = Pt(size), bold, _FONT
    f.color.rgb = RGBColor.from_string(colour)
    rpr = run._r.get_or_add_rPr()
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = rpr.makeelement(qn("a:ea"), {})
        rpr.append(ea)
    ea.set("typeface", _FONT)


def _paragraphs(frame, lines, *, align=None):
    """Fill a text frame with (text, size, bold, colour) lines."""
    frame.word_wrap = True
    for i, (text, size, bold, colour) in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if align is not None:
            para.alignment = align
        _style(para.add_run(), text, size, bold, colour)


def _text(slide, left, top, width, height, text, size, *, bold=False, colour=_DARK):
    from pptx.util import Inches

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    _paragraphs(box.text_frame, [(t, size, bold, colour) for t in (text if isinstance(text, list) else [text])])
    return box


def _title(slide, text, size=28, top=0.55):
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    t = slide.shapes.title
    t.left, t.top, t.width, t.height = Inches(0.5), Inches(top), Inches(_W - 1), Inches(1.15)
    _paragraphs(t.text_frame, [(text, size, True, _DARK)], align=PP_ALIGN.LEFT)


def _footer(slide, brief: Brief, defs: list[str]):
    if defs:
        _text(slide, 0.5, _DEFS_TOP, _W - 1, 0.55, "口径：" + " ".join(defs), 8, colour=_GREY)
    _text(slide, 0.5, _STAMP_TOP, _W - 1, 0.35, brief.stamp.line(), 9, colour=_RED if brief.stamp.demo else _GREY)


def _kpi_boxes(slide, kpis):
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches

    gap, (top, h) = 0.2, _BODY
    w = (_W - 1 - gap * (len(kpis) - 1)) / len(kpis)
    for i, k in enumerate(kpis):
        box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(0.5 + i * (w + gap)), Inches(top + 0.4),
                                     Inches(w), Inches(h - 0.8))
        box.adjustments[0] = 0.08
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor.from_string("F7F7F7")
        box.line.color.rgb = RGBColor.from_string("DDDDDD")
        box.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        _paragraphs(box.text_frame, [(k.label, 18, True, "444444"), (k.value, 30, True, _DARK),
                                     (f"环比 {k.prev}", 14, True, _TONE_INK[k.tone]),
                                     (f"同比 {k.yoy}", 12, False, _GREY)], align=PP_ALIGN.CENTER)


def _widths(table: pd.DataFrame, total: float) -> list[float]:
    """Column widths (inches) in proportion to each column's longest text (a CJK character counts 2)."""
    def width(text) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))

    need = [max([width(c)] + [width(v) for v in table[c]]) + 2 for c in table.columns]
    return [total * n / sum(need) for n in need]


def _table(slide, table: pd.DataFrame, highlight: tuple[int, ...]):
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    top, h = _BODY
    rows, cols = len(table) + 1, len(table.columns)
    row_h = min(0.42, h / rows)
    size = 14 if rows <= 11 else 12 if rows <= 14 else 11
    grid = slide.shapes.add_table(rows, cols, Inches(0.5), Inches(top), Inches(_W - 1), Inches(row_h * rows)).table
    for c, w in enumerate(_widths(table, _W - 1)):
        grid.columns[c].width = Inches(w)
    numeric = [numeric_column(table[c]) for c in table.columns]
    body = list(table.itertuples(index=False))
    for r in range(rows):
        grid.rows[r].height = Inches(row_h)
        for c in range(cols):
            cell = grid.cell(r, c)
            cell.margin_top = cell.margin_bottom = Inches(0.02)
            cell.fill.solid()
            hl = r - 1 in highlight
            if r == 0:
                text, bold, ink, fill = table.columns[c], True, "FFFFFF", _RED
            else:
                text = body[r - 1][c]
                bold, ink = hl, _TONE_INK.get(change_tone(table.columns[c], text), _DARK)
                fill = "FFF0C2" if hl else ("FFFFFF" if r % 2 else "F5F5F5")
            cell.fill.fore_color.rgb = RGBColor.from_string(fill)
            _paragraphs(cell.text_frame, [(text, size, bold, ink)],
                        align=PP_ALIGN.RIGHT if numeric[c] else PP_ALIGN.LEFT)


def _chart_boxes(slide: Slide) -> list[tuple[float, float, float, float]]:
    """(left, top, width, height) in inches of each figure of a slide."""
    top, h = _BODY
    if len(slide.figures) == 2:
        w = (_W - 1 - 0.3) / 2
        return [(0.5, top, w, h), (0.5 + w + 0.3, top, w, h)]
    return [(0.5, top, _W - 1, h)]


def to_pptx(brief: Brief) -> bytes:
    """The brief as a 16:9 PowerPoint deck: a cover, one slide per view, the 口径.

    The headline is each slide's title (placeholder), so outlines and screen readers see it."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(_W), Inches(_H)
    title_only = prs.slide_layouts[5]
    st_ = brief.stamp
    boxes = [b for s in brief.slides for b in (_chart_boxes(s) if s.figures else [])]
    pngs = iter(render_pngs([f for s in brief.slides for f in s.figures],
                            [(int(w * _PX), int(h * _PX)) for _, _, w, h in boxes]))

    cover = prs.slides.add_slide(title_only)
    _title(cover, brief.title, 40, top=2.0)
    _text(cover, 0.5, 3.3, _W - 1, 1.2,
          [st_.filters, f"数据截至 {st_.as_of:%Y-%m-%d} ｜ 快照 {st_.snapshot_id}"], 20, colour="333333")
    if st_.demo:
        _text(cover, 0.5, 4.6, _W - 1, 0.6, f"{DEMO_TEXT}：由程序生成，仅供演示，不代表真实情况", 18, bold=True,
              colour="B35900")
    _footer(cover, brief, [])

    n = len(brief.slides)
    for i, s in enumerate(brief.slides, 1):
        sl = prs.slides.add_slide(title_only)
        _text(sl, 0.5, 0.2, _W - 1, 0.4, f"{i} / {n} · {s.title}" + (f"    {DEMO_TEXT}" if st_.demo else ""), 14,
              bold=True, colour=_RED)
        _title(sl, s.headline)
        if s.kpis:
            _kpi_boxes(sl, s.kpis)
        elif s.table is not None:
            _table(sl, s.table, s.highlight)
        for left, top, w, h in _chart_boxes(s)[:len(s.figures)]:
            sl.shapes.add_picture(io.BytesIO(next(pngs)), Inches(left), Inches(top), Inches(w), Inches(h))
        if s.note:
            _text(sl, 0.5, _NOTE_TOP, _W - 1, 0.35, s.note, 11, colour="444444")
        defs = brief.slide_definitions(s)
        _footer(sl, brief, defs)
        sl.notes_slide.notes_text_frame.text = "\n".join([s.headline, s.note, *defs, st_.line()])

    last = prs.slides.add_slide(title_only)
    _title(last, "口径说明")
    _text(last, 0.5, _BODY[0], _W - 1, _BODY[1], list(brief.definitions.values()), 14, colour="333333")
    _footer(last, brief, [])

    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()

"""The meeting brief as slide specs: the briefing's views, each a headline and a body.

    slides(data)                 -> [Slide]   pure: headlines, KPI cards, figures, tables
    build(info, choices, state)  -> Brief     collect (views/brief.py) + slides + the stamp every slide carries

Its forms: brief_html.to_html (one self-contained file, and the pieces the briefing mode
draws with) and brief_pptx.to_pptx (a 16:9 deck).  The briefing mode in the app
(dashboard/ui/briefing.py), its download buttons and `python -m dashboard brief` all go
through `build`, so all three say the same numbers.  Every slide is stamped with the
filters, 数据截至, the snapshot id, the 口径 of its metrics, and 演示数据 when the
snapshot is a demo.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..core import fmt, metrics
from ..core.config import Settings
from ..core.filters import Choices, FilterState, describe
from ..store.snapshot import SnapshotInfo
from ..views import analysis, effects, headlines, tables
from ..views.brief import BriefData, collect, trend_window
from ..views.circle_analysis import CATEGORIES
from . import charts
from .colours import ACCENT, OKABE_ITO

TITLE = "红墙先锋 · 西城基层治理汇报"
DEMO_TEXT = "演示数据·非官方数据"
CHART_FONT = 18          # projector type inside charts (px)
CHART_HEIGHT = 560       # default figure height (px) in the HTML brief
KPI_KEYS = ("tickets", *metrics.RATE_COLUMNS, "score")


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
    figures: tuple[dict, ...] = ()          # Vega-Lite specs (render/charts.py)
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
        """The stamp as one line: 演示数据 (on a demo), 数据截至, 快照, 筛选."""
        parts = [DEMO_TEXT] if self.demo else []
        parts += [f"数据截至 {self.as_of:%Y-%m-%d}", f"快照 {self.snapshot_id}", f"筛选：{self.filters}"]
        return " ｜ ".join(parts)


@dataclass(frozen=True)
class Brief:
    """The whole brief: its title, the stamp, the slides in order, and the labelled 口径 by key."""

    title: str
    stamp: Stamp
    slides: tuple[Slide, ...]
    definitions: Mapping[str, str]

    def slide_definitions(self, slide: Slide) -> list[str]:
        """The 口径 texts of the metrics `slide` relies on, in the slide's order."""
        return [self.definitions[k] for k in slide.definitions if k in self.definitions]


# --- slides (pure) ----------------------------------------------------------------------------------


def projector(spec: dict, height: int = CHART_HEIGHT) -> dict:
    """Bigger type: the look of every chart in the brief and the briefing mode (a new spec; `spec` is kept)."""
    return {**spec, "height": height, "config": charts.config(CHART_FONT)}


def kpi_slide(d: BriefData, period: str, subject: str, defs: Mapping[str, str]) -> Slide:
    """关键指标: 工单量, the three rates and 综合成绩 as cards with 环比 and 同比."""
    c, p, y = d.kpis.cur, d.kpis.prev, d.kpis.yoy
    cards = [Kpi(m.label, m.format(c[m.key]), m.change(c[m.key], p[m.key]), m.change(c[m.key], y[m.key]),
                 m.tone(c[m.key] - p[m.key]), defs[m.key])
             for m in (metrics.METRICS[k] for k in KPI_KEYS)]
    note = (f"环比对比 {d.previous.label()}，同比对比 {d.year_ago.label()}；有效回访 {fmt.count(c['valid'])} 件"
            + ("，样本不足，比率仅供参考" if c["valid"] and c["small_sample"] else ""))
    return Slide("kpis", "关键指标", headlines.kpis(period, subject, c, p, d.ranked, d.state.streets),
                 kpis=tuple(cards), note=note,
                 definitions=KPI_KEYS)


def ranking_frame(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranking as the briefing shows it: every street, formatted text, Chinese headers."""
    t = tables.ranking_table(ranked, pd.DataFrame())
    out = pd.DataFrame({
        "排名": t["排名"].astype(str), "变化": t["变化"], "街道": t["街道"], "分类": t["分类"],
        "综合成绩": t["综合成绩"].map(fmt.score),
        **{metrics.METRICS[k].label: ranked[k].map(fmt.rate).to_numpy() for k in metrics.RATE_COLUMNS},
        "工单量": t["工单量"].map(lambda n: f"{n:,}"), "每万人": t["每万人工单"].map(fmt.per),
    })
    return out


def ranking_slide(d: BriefData) -> Slide:
    """街道排名: every street's rank as a table, the streets in the filter highlighted."""
    table = ranking_frame(d.ranked)
    hl = tuple(i for i, code in enumerate(d.ranked["street_code"]) if code in d.state.streets)
    n = int(d.ranked["rank"].notna().sum())
    return Slide("ranking", "街道排名", headlines.ranking(d.ranked, d.settings.small_sample_min, d.state.streets), table=table,
                 highlight=hl, note=f"{n}个街道参与排名；变化为与上期（{d.previous.label()}）名次相比。",
                 definitions=("score", "rank", "class"))


def per_10k_bars(ranked: pd.DataFrame, average: float, selected: tuple[str, ...] = ()) -> dict:
    """Tickets per 10,000 residents by street, most on top, with the district average as a dashed rule."""
    df = ranked.dropna(subset=["per_10k"]).sort_values("per_10k", ascending=False, kind="stable")
    data = pd.DataFrame({"street": df["short_zh"].astype(str), "x_end": df["per_10k"],
                         "label": [fmt.per(v) for v in df["per_10k"]],
                         "colour": [ACCENT if c in selected else OKABE_ITO[3] for c in df["street_code"]]})
    x = {"field": "x_end", "type": "quantitative", "title": "每万人工单（件）"}
    layers = charts.value_bars({"field": "street", "type": "nominal", "sort": None, "title": None}, x,
                               charts.fixed_colour(), [charts.name_field("street", "街道"),
                                                       {"field": "x_end", "type": "quantitative",
                                                        "title": "每万人工单（件）", "format": ".1f"}],
                               one_line=True)
    if average == average:  # not NaN
        layers += [{"data": {"values": [{"avg": average}]}, "mark": {"type": "rule", "color": "#555555",
                                                                      "strokeDash": [6, 4], "strokeWidth": 2},
                    "encoding": {"x": {"field": "avg", "type": "quantitative"}}},
                   {"data": {"values": [{"avg": average}]},
                    "mark": {"type": "text", "text": f"全区平均 {fmt.per(average)}", "y": -6, "baseline": "bottom",
                             "color": "#333333"},
                    "encoding": {"x": {"field": "avg", "type": "quantitative"}}}]
    return charts.chart(360, data={"values": charts.records(data)}, layer=layers)


def _fit_bars(spec: dict, n: int) -> dict:
    """Fifteen bars in a 720p slide: smaller street names and values than the projector default, so none is skipped."""
    size = CHART_FONT - 3 if n > 10 else CHART_FONT
    cfg = spec["config"]
    return {**spec, "config": {**cfg, "axisY": {"labelFontSize": size}, "text": {"fontSize": size}}}


def map_slide(d: BriefData) -> Slide:
    """工单强度地图: tickets per 10,000 residents as a street map and as bars against the district average."""
    r = d.ranked
    values = r.set_index("street_code")["per_10k"]
    per_10k = metrics.METRICS["per_10k"]
    shapes = projector(charts.street_choropleth(d.streets, values, per_10k.label, per_10k.format,
                                                scale=per_10k.scale, highlight=d.state.streets))
    shapes["config"]["text"] = {"fontSize": CHART_FONT - 3}   # names; values are in the bars
    known = r[(r["population"] > 0) & r["per_10k"].notna()]
    avg = 10_000 * known["tickets"].sum() / known["population"].sum() if len(known) else float("nan")
    return Slide("map", "工单强度地图", headlines.intensity(r, d.state.streets),
                 figures=(shapes,
                          _fit_bars(projector(per_10k_bars(r, avg, d.state.streets)), len(known))),
                 note="每万人工单 = 工单量 ÷ 常住人口 × 10000"
                      + ("；街道边界为示意" if d.choices.schematic_boundaries else ""),
                 definitions=("per_10k",))


def trend_slide(d: BriefData) -> Slide:
    """月度走势: monthly volume against a year before, and the monthly rates, over `trend_window`."""
    cur = metrics.add_rates(d.trend, d.settings)
    tw = trend_window(d.window)
    months = f"{headlines.month_label(tw.start)}—{headlines.month_label(tw.end)}"
    vol = charts.volume_trend(d.trend, d.trend_yoy, "month", "本期", "上年同期", tick="%-m月", axis_title=months)
    rates = charts.rate_trend(cur, tick="%-m月", axis_title=months)
    return Slide("trend", "月度走势", headlines.trend(cur), figures=(projector(vol), projector(rates)),
                 note=f"{tw.label()}，按月；虚线为上年同期工单量。", definitions=("tickets", *metrics.RATE_COLUMNS))


def category_slide(d: BriefData) -> Slide:
    """增长最多的类别: the eight first-level categories that grew most in tickets against the previous period."""
    changes = analysis.category_changes(d.growth, top=len(d.growth))
    fig = charts.category_change_bar(changes.head(8), "上期")
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
    """便民生活圈缺口: each basic category's walk reach, the residents without it and the circles lacking it."""
    a = d.circles.assessment
    summary = a.summary
    table = circle_table(a.completeness, a.category_coverage)
    top = (summary.get("top_gap") or {}).get("category")
    return Slide("circles", "便民生活圈缺口", headlines.circle_gaps(summary, len(CATEGORIES)), table=table,
                 highlight=tuple(i for i, c in enumerate(table["业态"]) if c == top),
                 note=f"按北京10类基本便民业态统计；步行时限5/8/15分钟按商务部指南，直线距离按绕行系数"
                      f"{d.settings.route_directness:g}折算，可能高估可达范围。",
                 definitions=("circles",))


PARTY_SLIDE_KEYS = ("report_on_time_rate", "whistle_close_rate", "project_on_time_rate", "pairing_coverage",
                    "item_done_rate")


def party_slide(d: BriefData) -> Slide:
    """党建引领: the streets on five party-building metrics beside their hotline 综合成绩."""
    ps = d.party
    df = ps.streets
    table = pd.DataFrame({
        "街道": df["name_zh"].to_numpy(),
        **{metrics.PARTY_METRICS[k].label: df[k].map(metrics.PARTY_METRICS[k].format).to_numpy()
           for k in PARTY_SLIDE_KEYS},
        "接诉即办综合成绩": df["score"].map(fmt.score).to_numpy(),
    })
    hl = tuple(i for i, code in enumerate(df["street_code"]) if code in d.state.streets)
    return Slide("party", "党建引领", headlines.party(ps.district, df), table=table, highlight=hl,
                 note=f"{d.window.label()}；分母少于{d.settings.party_sample_min}件的比率仅供参考。类别筛选不适用于党建指标。",
                 definitions=PARTY_SLIDE_KEYS)


def outcome_slide(d: BriefData) -> Slide | None:
    """成效评估: the pooled before/after estimate against other communities, then per program and
    category; None when no action could be evaluated."""
    ev = d.effects
    overall = ev.overall[(ev.overall["comparison"] == "elsewhere") & (ev.overall["kind"] == "事项")]
    if overall.empty:
        return None
    head = effects.overall_sentence(overall.iloc[0].to_dict())
    items = ev.pooled[(ev.pooled["comparison"] == "elsewhere") & (ev.pooled["program"] != "吹哨")]
    rows = items.sort_values("actions", ascending=False).head(10)
    table = pd.DataFrame({
        "类别": rows["program"], "12345类别": rows["category_l1"], "事项数": rows["actions"].astype(int),
        "净变化（每千人每周）及95%区间": [effects.interval_text(a, lo, hi) for a, lo, hi in
                                 zip(rows["did"], rows["lo"], rows["hi"])],
        "结论": rows["status"].map(effects.STATUS_TEXT)})
    return Slide("outcomes", "成效评估", head, table=table,
                 note=f"实事项目，开始前与办结后各{d.settings.effect_weeks}周，对照为之后才开展同类事项的社区；"
                      "比较的类别多，约每20个“明显”结论中可能有1个出于偶然；这是估计，不是证明。", definitions=())


def slides(d: BriefData) -> list[Slide]:
    """The views of the briefing, in order (党建引领 only when the snapshot has party data)."""
    defs = metrics.definitions(d.settings)
    period = headlines.period_phrase(d.state.period, d.window)
    street_names = [d.choices.streets.get(c, c) for c in d.state.streets]
    subject = headlines.subject_phrase(street_names, d.state.categories + d.state.subcategories)
    views = [kpi_slide(d, period, subject, defs), ranking_slide(d), map_slide(d), trend_slide(d),
             category_slide(d), circle_slide(d)]
    if d.party.has_data:
        views.append(party_slide(d))
    outcome = outcome_slide(d)
    return views + [outcome] if outcome is not None else views


def make_stamp(info: SnapshotInfo, choices: Choices, state: FilterState) -> Stamp:
    """The stamp of one filter state on one snapshot (no queries: the download names use it)."""
    return Stamp(describe(state, choices), info.data_as_of, info.id, info.is_demo)


def circle_definition(s: Settings) -> str:
    """The 口径 of 业态可达 and 业态齐全, with the walking speed and route directness of `s`."""
    return (f"业态可达：社区（或生活圈中心）到最近同类设施的直线距离 × {s.route_directness:g} ÷ "
            f"{s.walk_m_per_min:g}米/分钟，不超过该业态的步行时限（便利店5分钟；早餐、菜店、药店等8分钟；"
            "超市、维修、家政15分钟）即为可达；生活圈业态齐全 = 10类基本业态在圈中心步行时限内都有。")


def labelled_definitions(s: Settings) -> dict[str, str]:
    """metrics.definitions, each starting with the name of what it defines ('每万人工单：…')."""
    out = {}
    for key, term in metrics.GLOSSARY.items():
        text = term.describe(s)
        out[key] = text if text.startswith(term.label) else f"{term.label}：{text}"
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

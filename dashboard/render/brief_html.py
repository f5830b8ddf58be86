"""The brief in HTML: the slide pieces the briefing mode shows, and the one-file HTML brief.

    CSS, kpi_html, table_html, headline_html, defs_html   pieces (the briefing mode draws with them too)
    to_html(brief) -> str   one self-contained file: Vega inlined once, charts interactive
"""
from __future__ import annotations

import json
from functools import lru_cache

import pandas as pd

from ..core import plain
from .brief import DEMO_TEXT, Brief, Kpi, Slide, Stamp, change_tone, numeric_column

# --- pieces (shared by the HTML brief and the briefing mode) --------------------------------------------

CSS = """
.bf-headline{font-weight:700;line-height:1.25;color:#1a1a1a;margin:0 0 .4em 0;
  font-size:max(40px,4.4vh)}
.bf-kicker{font-size:max(18px,2vh);color:#b22222;font-weight:600;letter-spacing:.05em}
.bf-demo{display:inline-block;background:#fff3e0;color:#b35900;border:1px solid #f0a040;border-radius:6px;
  padding:0 .5em;margin-left:.6em;font-weight:600}
.bf-kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:1.6vw;margin:2vh 0}
.bf-kpi{border:2px solid #e3e3e3;border-radius:14px;padding:3.5vh 1.4vw;background:#fafafa;align-self:center}
.bf-kpi-label{font-size:max(20px,3vh);color:#444;font-weight:600}
.bf-kpi-value{font-size:max(40px,min(9.5vh,3.7vw));font-weight:700;color:#111;line-height:1.15;margin:1.2vh 0;
  font-variant-numeric:tabular-nums;white-space:nowrap}
.bf-kpi-delta{font-size:max(20px,3vh);font-weight:600}
.bf-kpi-sub{font-size:max(16px,2.4vh);color:#666;margin-top:.6vh}
.bf-good{color:#0b7a3e}.bf-bad{color:#c62828}.bf-flat{color:#555}
.bf-table{border-collapse:collapse;width:100%;font-size:2.2vh;line-height:1.2;font-variant-numeric:tabular-nums}
.bf-table th{background:#b22222;color:#fff;font-weight:600;padding:.3vh .8vw;text-align:left;white-space:nowrap}
.bf-table td{padding:.25vh .8vw;border-bottom:1px solid #e6e6e6;text-align:left;white-space:nowrap}
.bf-table .bf-num{text-align:right}
.bf-table tr.bf-hl td{background:#fff0c2;font-weight:700}
.bf-table td.bf-up{color:#0b7a3e;font-weight:600}.bf-table td.bf-down{color:#c62828;font-weight:600}
.bf-note{font-size:max(16px,1.9vh);color:#555;margin:.6vh 0}
.bf-defs{font-size:max(13px,1.45vh);color:#666;margin:.4vh 0}
.bf-stamp{font-size:max(13px,1.5vh);color:#666;border-top:1px solid #ddd;padding-top:.4vh}
"""


def _e(text) -> str:
    """Text made safe inside HTML, attribute values included."""
    return plain.html(text)


def kpi_html(kpis: tuple[Kpi, ...]) -> str:
    """The KPI cards in a row: value, 环比 in its tone's colour, 同比; the 口径 as each card's tooltip."""
    tone = {1: "bf-good", -1: "bf-bad", 0: "bf-flat"}
    cards = "".join(
        f'<div class="bf-kpi" title="{_e(k.help)}"><div class="bf-kpi-label">{_e(k.label)}</div>'
        f'<div class="bf-kpi-value">{_e(k.value)}</div>'
        f'<div class="bf-kpi-delta {tone[k.tone]}">环比 {_e(k.prev)}</div>'
        f'<div class="bf-kpi-sub">同比 {_e(k.yoy)}</div></div>' for k in kpis)
    return f'<div class="bf-kpis">{cards}</div>'


def table_html(table: pd.DataFrame, highlight: tuple[int, ...] = ()) -> str:
    """A slide's table: numeric columns right-aligned, rank changes coloured, `highlight` rows marked."""
    numeric = [numeric_column(table[c]) for c in table.columns]
    tone = {1: "bf-up", -1: "bf-down"}
    head = "".join(f'<th{" class=bf-num" if n else ""}>{_e(c)}</th>' for c, n in zip(table.columns, numeric))
    rows = []
    for i, row in enumerate(table.itertuples(index=False)):
        cells = []
        for col, n, v in zip(table.columns, numeric, row):
            cls = " ".join(filter(None, ["bf-num" if n else "", tone.get(change_tone(col, v), "")]))
            attr = f' class="{cls}"' if cls else ""
            cells.append(f"<td{attr}>{_e(v)}</td>")
        rows.append(f'<tr{" class=bf-hl" if i in highlight else ""}>{"".join(cells)}</tr>')
    return f'<table class="bf-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def headline_html(slide: Slide, number: int, total: int, stamp: Stamp) -> str:
    """The kicker ('2 / 6 · 街道排名', plus 演示数据 on a demo) over the slide's headline."""
    demo = f'<span class="bf-demo">{DEMO_TEXT}</span>' if stamp.demo else ""
    return (f'<div class="bf-kicker">{number} / {total} · {_e(slide.title)}{demo}</div>'
            f'<div class="bf-headline">{_e(slide.headline)}</div>')


def defs_html(brief: Brief, slide: Slide) -> str:
    """The 口径 line of the metrics a slide relies on ('' when it relies on none)."""
    items = brief.slide_definitions(slide)
    return f'<div class="bf-defs">口径：{_e(" ".join(items))}</div>' if items else ""


# --- the HTML brief --------------------------------------------------------------------------------------

_PAGE_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;background:#eee}
.bf-slide{background:#fff;margin:0 auto 24px;max-width:1600px;min-height:92vh;padding:3vh 3vw;box-sizing:border-box;
  display:flex;flex-direction:column;page-break-after:always;break-after:page}
.bf-body{flex:1}
.bf-two{display:grid;grid-template-columns:1fr 1fr;gap:2vw}
.bf-cover h1{font-size:56px;margin:20vh 0 2vh}
.bf-cover p{font-size:24px;color:#333;margin:.6em 0}
.bf-chart{width:100%}
@media print{body{background:#fff}.bf-slide{margin:0;min-height:auto;max-width:none}@page{size:landscape}}
"""


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script that sets window.vegaEmbed (built once, about 0.9 MB)."""
    import vl_convert as vlc

    return vlc.javascript_bundle()


def script_json(value) -> str:
    """`value` as JSON that is safe inside a <script> element (no '<', '>' or '&' left to end it)."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _figure_html(spec: dict, number: int) -> str:
    """A chart's element and the call that draws it into it (vegaEmbed, as SVG, no action menu)."""
    return (f'<div class="bf-chart" id="bf-chart-{number}"></div><script>vegaEmbed("#bf-chart-{number}", '
            f'{script_json(spec)}, {{"actions": false, "renderer": "svg"}});</script>')


def slide_body_html(slide: Slide, render_figure) -> str:
    """A slide's body: its KPI cards, its table, or its figures (two side by side) via `render_figure`."""
    if slide.kpis:
        return kpi_html(slide.kpis)
    if slide.table is not None:
        return table_html(slide.table, slide.highlight)
    figs = [render_figure(f) for f in slide.figures]
    return f'<div class="bf-two">{"".join(f"<div>{f}</div>" for f in figs)}</div>' if len(figs) == 2 else "".join(figs)


def to_html(brief: Brief) -> str:
    """The brief as one HTML file that opens offline (no external script, style, font or image)."""
    st_ = brief.stamp
    emitted = []

    def render_figure(spec):
        emitted.append(spec)
        return _figure_html(spec, len(emitted))

    sections = [
        f'<section class="bf-slide bf-cover"><div class="bf-body"><h1>{_e(brief.title)}</h1>'
        f'<p>{_e(st_.filters)}</p><p>数据截至 {st_.as_of:%Y-%m-%d} ｜ 快照 {_e(st_.snapshot_id)}</p>'
        + (f'<p><span class="bf-demo">{DEMO_TEXT}：由程序生成，仅供演示，不代表真实情况</span></p>' if st_.demo else "")
        + (f'<p>{"；".join(_e(s.headline) for s in brief.slides[:1])}</p>') + "</div>"
        f'<div class="bf-stamp">{_e(st_.line())}</div></section>'
    ]
    n = len(brief.slides)
    for i, s in enumerate(brief.slides, 1):
        sections.append(
            f'<section class="bf-slide" id="slide-{i}">{headline_html(s, i, n, st_)}'
            f'<div class="bf-body">{slide_body_html(s, render_figure)}</div>'
            + (f'<div class="bf-note">{_e(s.note)}</div>' if s.note else "")
            + f'{defs_html(brief, s)}<div class="bf-stamp">{_e(st_.line())}</div></section>')
    defs = "".join(f"<li>{_e(v)}</li>" for v in brief.definitions.values())
    sections.append(f'<section class="bf-slide"><div class="bf-kicker">附 · 口径说明</div>'
                    f'<div class="bf-body"><ul style="font-size:20px;line-height:1.7">{defs}</ul></div>'
                    f'<div class="bf-stamp">{_e(st_.line())}</div></section>')
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{_e(brief.title)}</title>"
            f"<style>{CSS}{_PAGE_CSS}</style>" + (f"<script>{vega_bundle()}</script>" if emitted else "")
            + f"</head><body>{''.join(sections)}</body></html>")

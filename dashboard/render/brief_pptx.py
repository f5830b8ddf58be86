"""The brief as a 16:9 PowerPoint deck: a cover, one slide per view, a 口径 slide.

    to_pptx(brief) -> bytes   charts as PNG, drawn by vl-convert (Vega in-process, no browser)
"""
from __future__ import annotations

import io

import pandas as pd

from .brief import DEMO_TEXT, Brief, Slide, change_tone, numeric_column

_W, _H = 13.333, 7.5                # 16:9 slide, inches
_BODY = (1.8, 4.25)                 # top and height of a slide's body (below a two-line headline)
_NOTE_TOP, _DEFS_TOP, _STAMP_TOP = 6.1, 6.45, 7.05
_PX = 110                           # chart pixels per inch (rendered at scale 2 on top)
_FONT = "Microsoft YaHei"           # Chinese office default; viewers without it fall back to a CJK font
_RED, _GREY, _DARK = "B22222", "666666", "1A1A1A"
_TONE_INK = {1: "0B7A3E", -1: "C62828", 0: "555555"}


def render_pngs(specs: list[dict], sizes: list[tuple[int, int]]) -> list[bytes]:
    """PNG bytes of each Vega-Lite spec at (width, height) px, drawn at twice that resolution."""
    import vl_convert as vlc

    return [vlc.vegalite_to_png({**spec, "width": w, "height": h}, scale=2) for spec, (w, h) in zip(specs, sizes)]


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

"""Short tables as static HTML (pure: no Streamlit here), for the lists a page shows whole.

A data grid (st.dataframe) costs a page load its script chunk and a canvas per grid: on 便民生活圈
at 10M tickets its five grids held the page's settle ~180 ms behind the same page with the short
ones as HTML (interleaved loads, 2 cores, SwiftShader).  A ranked list of 10–20 rows read whole
needs no scrolling, sorting or search; as HTML it wraps long text on a phone, reads on a projector
and can be selected and copied.  Long lists stay grids.

Every header and value is escaped (plain.html): imported names are data, never markup.  Numbers are
right-aligned; a `Bar` column draws value ÷ maximum as a bar beside its text (what st.dataframe's
ProgressColumn showed); a column's help is its header's tooltip.  The CSS comes with the app's
(ui.style); on a narrow screen the table scrolls sideways inside its box, never the page.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import plain

CSS = """
.dt-box {overflow-x: auto; max-width: 100%; margin: 0 0 .75rem}
.dt {border-collapse: collapse; width: 100%; font-size: .875rem; line-height: 1.4; font-variant-numeric: tabular-nums}
.dt th {text-align: left; font-weight: 600; color: rgba(49, 51, 63, .8); background: #f6f6f8; padding: .4rem .6rem;
        border-bottom: 1px solid rgba(49, 51, 63, .2); white-space: nowrap}
.dt th[title] {cursor: help; text-decoration: underline dotted rgba(49, 51, 63, .4); text-underline-offset: 3px}
.dt td {padding: .35rem .6rem; border-bottom: 1px solid rgba(49, 51, 63, .08); white-space: nowrap}
.dt .n {text-align: right}
.dt td.w {white-space: normal; min-width: 12rem}
.dt .bar {display: inline-block; width: 4.5rem; height: .5rem; margin-right: .45rem; vertical-align: middle;
          background: rgba(49, 51, 63, .1); border-radius: .25rem; overflow: hidden}
.dt .bar > i {display: block; height: 100%; background: #b22222}
"""


@dataclass(frozen=True)
class Bar:
    """A column drawn as a bar of value ÷ `maximum` (clipped to 0–100 %) beside `text(value)`."""
    maximum: float
    text: Callable[[float], str]


def cell_text(value) -> str:
    """A value as shown when its column has no formatter: thousands separators on integers, two
    decimals on other numbers, — for a missing value."""
    if value is None or value is pd.NA or (isinstance(value, (float, np.floating)) and np.isnan(value)):
        return "—"
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):,.2f}"
    return str(value)


def _bar(value, bar: Bar) -> str:
    share = value / bar.maximum if bar.maximum and value == value else 0.0
    width = f"{min(max(share, 0.0), 1.0) * 100:.1f}%"
    return f'<span class="bar"><i style="width:{width}"></i></span>{plain.html(bar.text(value))}'


def table_html(df: pd.DataFrame, *, bars: Mapping[str, Bar] | None = None,
               texts: Mapping[str, Callable] | None = None, tips: Mapping[str, str] | None = None,
               wrap: Collection[str] = ()) -> str:
    """`df` as an HTML table: columns in order, headers as given.

    `bars`: columns drawn as a Bar; `texts`: a formatter per column (else cell_text); `tips`: a
    header's tooltip; `wrap`: columns whose text wraps (long lists of names).  Numeric columns are
    right-aligned, bars left-aligned so they line up.
    """
    bars, texts, tips = bars or {}, texts or {}, tips or {}
    cols = list(df.columns)
    right = {c for c in cols if c not in bars and pd.api.types.is_numeric_dtype(df[c])}

    def head(c) -> str:
        cls = ' class="n"' if c in right else ""
        tip = f' title="{plain.html(tips[c])}"' if c in tips else ""
        return f"<th{cls}{tip}>{plain.html(c)}</th>"

    def cell(c, v) -> str:
        if c in bars:
            return f"<td>{_bar(v, bars[c])}</td>"
        cls = ' class="n"' if c in right else (' class="w"' if c in wrap else "")
        return f"<td{cls}>{plain.html(texts[c](v) if c in texts else cell_text(v))}</td>"

    rows = "".join("<tr>" + "".join(cell(c, v) for c, v in zip(cols, row)) + "</tr>"
                   for row in df.itertuples(index=False, name=None))
    return (f'<div class="dt-box"><table class="dt"><thead><tr>{"".join(head(c) for c in cols)}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")

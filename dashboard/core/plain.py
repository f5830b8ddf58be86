"""Imported text is data: the one place that turns it into plain text for each renderer.

Category, street, community and unit names come from the district's exports, so any of them may
hold markdown (`![x](http://host/pixel.png)` would make the browser fetch that URL), HTML
(`<a href=...>` would become a link in a plotly label or the HTML brief) or Streamlit's own
directives (`:red[...]`, `:material/...:`, `$...$`).  Every page, chart and brief renders such
text through these functions, never raw.
"""
from __future__ import annotations

import html as _html
import re

import numpy as np

# every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them all
# also disarms links, images, emphasis, HTML, GFM autolinks (`:`) and Streamlit directives
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def md(text) -> str:
    """`text` as literal text inside st.markdown / st.caption (no link, image, HTML or directive)."""
    return _MD_SPECIAL.sub(r"\\\1", _CONTROL.sub("", str(text))).replace("\n", " ")


def html(text) -> str:
    """`text` as literal text inside HTML, attribute values included."""
    return _html.escape(_CONTROL.sub("", str(text)))


def _plotly_values(values):
    if isinstance(values, str):
        return html(values)
    if isinstance(values, np.ndarray):
        if values.dtype.kind not in "OUS":
            return values
        return np.array([_plotly_values(v) for v in values], dtype=object)
    if isinstance(values, (list, tuple)):
        return [_plotly_values(v) for v in values]
    return values


PLOTLY_DATA_FIELDS = ("x", "y", "text", "labels", "customdata", "ids", "parents", "locations")


def plotly_figure(fig):
    """Escape the data strings of every trace of a plotly figure in place (plotly renders a subset
    of HTML, links included, in labels, ticks and hover text); templates and titles, written by
    the app, are left alone.  Returns the figure."""
    for trace in fig.data:
        for field in PLOTLY_DATA_FIELDS:
            if field in trace and trace[field] is not None:
                trace[field] = _plotly_values(trace[field])
    return fig

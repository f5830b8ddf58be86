"""Imported text is data: the one place that turns it into plain text for each renderer.

Category, street, community and unit names come from the district's exports, so any of them may
hold markdown (`![x](http://host/pixel.png)` would make the browser fetch that URL), HTML
(`<a href=...>` would become a link in the HTML brief) or Streamlit's own directives (`:red[...]`,
`:material/...:`, `$...$`).  Every page and brief renders such text through these functions, never
raw.  Charts need neither: Vega draws data values as text, never as HTML or markdown.
"""
from __future__ import annotations

import html as _html
import re

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

"""The phone layout: which variant of a table or map a session gets (phone or wide, chosen on the
server from the browser's User-Agent), CSS media queries for the layout at widths up to PHONE_MAX px
(ui.style injects them once per run), and the filter bar at the top of every page.

A table or map is sent once, in a container keyed `phoneonly_*` on a phone and `wideonly_*`
elsewhere; CSS never hides it, so a narrow desktop window gets the wide variant (a table then
scrolls sideways inside itself).  Only the filter bar (`phoneonly_bar`) is hidden on wide screens,
where the sidebar it opens is always in sight; the style block takes no space (style-only st.html
goes to Streamlit's event container).
"""
from __future__ import annotations

import copy
import html
import json
import math

import streamlit as st

from ..core import filters
from ..views.context import Context
from . import grids

PHONE_MAX = 480
PHONE_MARKS = ("Mobi", "Android", "iPhone")   # in a phone browser's User-Agent (is_phone_agent)
HEADER_PX = 60          # Streamlit's header (the sidebar's >> button) above the page

_WRAP = "[data-testid=stLayoutWrapper]:has(> {0}), {0}"      # a keyed container and its layout wrapper
_KPI_ROW = "[data-testid=stHorizontalBlock]:has(> [data-testid=stColumn] [data-testid=stMetric])"
# maps leave the finger to the page until 操作地图 is on (charts have no pan or zoom to lock)
_LOCKED = ("body:not(:has(.st-key-phoneonly_bar input.map-touch:checked)) "
           "[data-testid=stMain] {0}")

CSS = f"""
@media (min-width: {PHONE_MAX + 1}px) {{
  {_WRAP.format('.st-key-phoneonly_bar')} {{display: none !important}}
}}
@media (max-width: {PHONE_MAX}px) {{
  [data-testid=stMainBlockContainer] {{padding: {HEADER_PX + 4}px .75rem 5rem !important; max-width: 100% !important}}
  [data-testid=stMain] h1 {{font-size: 1.7rem; padding: .25rem 0 .1rem}}
  [data-testid=stMain] h2 {{font-size: 1.35rem}}
  [data-testid=stMain] h3 {{font-size: 1.15rem}}
  [data-testid=stMain] [data-testid=stCaptionContainer] {{font-size: .78rem}}
  /* KPI cards: a compact grid of two per row (an odd last card takes the row) */
  {_KPI_ROW} {{flex-wrap: wrap !important; gap: .5rem !important}}
  {_KPI_ROW} > [data-testid=stColumn] {{flex: 1 1 calc(50% - .25rem) !important;
      min-width: calc(50% - .25rem) !important; width: calc(50% - .25rem) !important}}
  {_KPI_ROW} [data-testid=stVerticalBlock] {{gap: .15rem}}
  [data-testid=stMain] [data-testid=stMetric] {{padding: .5rem .6rem !important}}
  [data-testid=stMain] [data-testid=stMetric] > div {{padding: 0 !important}}
  [data-testid=stMain] [data-testid=stMetricValue] {{font-size: 1.4rem !important}}
  [data-testid=stMain] [data-testid=stMetricLabel] p {{font-size: .8rem !important}}
  [data-testid=stMain] [data-testid=stMetricDelta] {{font-size: .75rem !important}}
  /* segmented controls and pills wrap instead of running off the side */
  [data-testid=stMain] [data-testid=stButtonGroup],
  [data-testid=stMain] [data-testid=stButtonGroup] > div {{flex-wrap: wrap !important; max-width: 100%}}
  [data-testid=stMain] [data-testid=stElementContainer] {{max-width: 100%}}
  [data-testid=stMain] {{overflow-x: hidden}}
  {_LOCKED.format('[data-testid=stDeckGlJsonChart] canvas')},
  {_LOCKED.format('[data-testid=stDeckGlJsonChart] #deckgl-wrapper')} {{pointer-events: none !important}}
  /* the filter bar: stays at the top while the page scrolls */
  {_WRAP.format('.st-key-phoneonly_bar')} {{position: sticky; top: {HEADER_PX}px; z-index: 50}}
  .st-key-phoneonly_bar {{background: var(--background-color, #fff); padding: .3rem 0;
      border-bottom: 1px solid rgba(49, 51, 63, .15)}}
  /* 汇报模式: the slide's headline, numbers, table and footer at a phone's size */
  .bf-headline {{font-size: 1.3rem !important; line-height: 1.35 !important}}
  .bf-kicker {{font-size: .95rem !important}}
  .bf-demo {{font-size: .8rem}}
  .st-key-bf_body .bf-kpis {{min-height: 0 !important; grid-template-columns: 1fr 1fr !important; gap: .5rem !important;
      margin: .5rem 0 !important}}
  .bf-kpi {{padding: .5rem .6rem !important}}
  .bf-kpi-label, .bf-kpi-delta {{font-size: .9rem !important}}
  .bf-kpi-value {{font-size: 1.6rem !important; margin: .2rem 0 !important}}
  .bf-kpi-sub {{font-size: .8rem !important}}
  .st-key-bf_body [data-testid=stHtml] {{overflow-x: auto; max-width: 100%}}
  .bf-table {{font-size: .8rem !important}}
  .bf-note {{font-size: .85rem !important}}
  .st-key-bf_body [data-testid=stVegaLiteChart] {{height: 55vh !important}}
  .st-key-bf_footer {{flex-wrap: wrap !important; gap: .4rem !important}}
  .st-key-bf_footer [data-testid=stCaptionContainer] {{flex-basis: 100%; font-size: .72rem !important}}
}}
.phone-bar {{display: flex; align-items: center; gap: .5rem; font-size: .82rem; line-height: 1.3}}
.phone-bar .filters {{flex: 1 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis;
    display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; color: rgba(49, 51, 63, .85)}}
.phone-bar button, .phone-bar label {{flex: 0 0 auto; font: inherit; font-size: .82rem; cursor: pointer;
    border: 1px solid rgba(49, 51, 63, .25); border-radius: .5rem; padding: .3rem .55rem; background: #fff;
    color: inherit; display: inline-flex; align-items: center; gap: .25rem; white-space: nowrap}}
.phone-bar button.open {{background: #c8102e; border-color: #c8102e; color: #fff}}
.phone-bar label {{display: none}}
body:has([data-testid=stDeckGlJsonChart]) .phone-bar label {{display: inline-flex}}
.phone-bar label input {{margin: 0; accent-color: #c8102e}}
"""

_BAR = """
<div class="phone-bar">
 <button type="button" class="open" id="{id}" title="打开筛选（时间、街道、类别）">筛选 ▸</button>
 <span class="filters">{summary}</span>
 <label title="打开后可拖动、缩放地图；关闭时手指滑动只滚动页面"><input type="checkbox" class="map-touch">
  操作地图</label>
</div>
<script>
(function () {{
  const b = document.getElementById({id_js});
  if (!b) return;
  b.addEventListener("click", function () {{
    const open = window.parent.document.querySelector("[data-testid=stExpandSidebarButton]")
              || document.querySelector("[data-testid=stExpandSidebarButton]");
    if (open) open.click();
    // the filters sit below the navigation: bring them into sight once the sidebar is open
    let tries = 0;
    const show = function () {{
      const f = document.querySelector("[data-testid=stSidebar] .st-key-f_period");
      const bar = document.querySelector("[data-testid=stSidebar]");
      if (f && bar && bar.getBoundingClientRect().width > 100) f.scrollIntoView({{block: "start"}});
      else if (tries++ < 40) setTimeout(show, 50);
    }};
    show();
  }});
}})();
</script>
"""


def filter_bar(ctx: Context) -> None:
    """On a phone: the active filters in one line and the button that opens them (the sidebar,
    collapsed on a phone), plus the 操作地图 switch on pages with a map."""
    summary = filters.describe(ctx.state, ctx.choices).replace("｜", " · ")
    uid = "phone-filters-open"
    with st.container(key="phoneonly_bar"):
        st.html(_BAR.format(id=uid, id_js=json.dumps(uid), summary=html.escape(summary)),
                unsafe_allow_javascript=True)


def is_phone_agent(user_agent: str | None) -> bool:
    """Whether a browser's User-Agent string is a phone's: it contains "Mobi" (MDN's advice for
    telling a mobile browser), "Android" or "iPhone".  No User-Agent is not a phone."""
    return any(mark in (user_agent or "") for mark in PHONE_MARKS)


def on_phone() -> bool:
    """Whether this session's browser is a phone, by its request's User-Agent (is_phone_agent);
    False when there are no request headers (AppTest, the bench's script runs)."""
    return is_phone_agent(st.context.headers.get("User-Agent"))


def dataframe(data, *, key: str, phone_columns: list[str], phone_widths: dict[str, int] | None = None,
              more: str | None = "查看全部列", **kwargs) -> None:
    """st.dataframe(data, key=key, **kwargs) as it always was, except on a phone (on_phone): there the
    key columns `phone_columns` first (narrowed to `phone_widths`).  With `more`, only they are shown, so
    they fit the width without a sideways scroll, and every column is one tap away in an expander titled
    `more` (its table is sent only once it is opened); without it the other columns follow them, a swipe
    inside the table away, the first one pinned."""
    if not on_phone():
        with st.container(key=f"wideonly_{key}"):
            st.dataframe(data, key=key, **kwargs)
        return
    with st.container(key=f"phoneonly_{key}"):
        config = dict(kwargs.get("column_config") or {})
        for col, width in (phone_widths or {}).items():
            config[col] = {**(config.get(col) or {}), "width": width}
        order = list(phone_columns)
        if more is None:
            hidden = {c for c, v in config.items() if v is None}
            order += [c for c in data.columns if c not in order and c not in hidden]
            config[order[0]] = {**(config.get(order[0]) or {}), "pinned": True}
        narrow = {k: v for k, v in kwargs.items() if k not in ("column_config", "column_order")}
        st.dataframe(data, key=f"{key}_phone", column_config=config, column_order=order, **narrow)
        if more is not None:
            grids.when_opened(more, data, key=f"{key}_phone_all", expander_key=f"{key}_phone_more", **kwargs)


def pydeck_chart(deck, *, key: str, width: int, height: int, phone_width: int = 340, phone_height: int = 560,
                 **kwargs) -> None:
    """st.pydeck_chart(deck, key=key, height=height, **kwargs), where `deck`'s view was fitted to
    `width` × `height` px; on a phone (on_phone) the same deck zoomed out to fit `phone_width` ×
    `phone_height` px, so the whole area is in sight without panning."""
    if not on_phone():
        with st.container(key=f"wideonly_{key}"):
            st.pydeck_chart(deck, key=key, height=height, **kwargs)
        return
    with st.container(key=f"phoneonly_{key}"):
        small = copy.copy(deck)
        small.initial_view_state = copy.copy(deck.initial_view_state)
        small.initial_view_state.zoom -= max(math.log2(width / phone_width), math.log2(height / phone_height), 0)
        small.height = phone_height
        st.pydeck_chart(small, key=f"{key}_phone", height=phone_height, **kwargs)

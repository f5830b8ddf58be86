"""汇报模式 and sharing: thin Streamlit glue over dashboard/render/brief.py.

URL parameters (on top of the shared filters, which stay in force):
    present=1     briefing mode: full screen, one view per slide, no sidebar or Streamlit chrome
    slide=N       the slide shown (1-based; out of range is clamped)
    auto=SECONDS  advance every SECONDS (5–3600), looping, for a screen in a hall

The sidebar filters still run in briefing mode (hidden by CSS: `initial_sidebar_state`
cannot change after set_page_config), so the filters keep coming from the URL.  Keys:
← / → and PageUp / PageDown (what presentation clickers send) move, Esc leaves.
"""
from __future__ import annotations

import json
import secrets
import time
from urllib.parse import urlencode

import streamlit as st

from ..core import filters, plain
from ..render import brief, brief_html, brief_pptx
from ..views.context import Context
from . import widgets

PRESENT, SLIDE, AUTO = "present", "slide", "auto"
AUTO_RANGE = (5, 3600)
_TICK = "_bf_shown_at"      # session key: when the slide on screen was put there (monotonic seconds)

# Briefing mode only: no sidebar, header, toolbar or decoration; the page fills the screen.
# The body leaves ~30 px spare at 720 px (headline, footer and gaps take ~330 px), so a footer
# that wraps or a font that loads late does not push the slide past the screen.
PRESENT_CSS = """
[data-testid=stSidebar],[data-testid=stSidebarCollapsedControl],[data-testid=stHeader],
[data-testid=stToolbar],[data-testid=stDecoration],[data-testid=stStatusWidget]{display:none!important}
[data-testid=stMainBlockContainer]{padding:2vh 3vw 1vh!important;max-width:100%!important}
[data-testid=stMainBlockContainer] [data-testid=stVerticalBlock]{gap:.6vh}
[data-testid=stMain]{overflow-x:hidden}
.st-key-bf_body [data-testid=stVegaLiteChart]{height:calc(100vh - 390px)}
.st-key-bf_body .bf-kpis{min-height:calc(100vh - 410px);align-content:center}
.st-key-bf_hidden{display:none!important}
.st-key-bf_footer{border-top:1px solid #ddd;padding-top:.6vh}
.st-key-bf_footer [data-testid=stCaptionContainer]{font-size:max(12px,1.45vh)}
.st-key-bf_counter p{font-size:max(18px,2.2vh);font-weight:700;margin:0;white-space:nowrap}
"""

_COPY_JS = """
<button id="{id}" class="bf-copy" type="button" title="复制可重现当前页面与筛选的链接"
 style="cursor:pointer;font:inherit;font-size:1rem;line-height:1.6;color:inherit;background:#fff;
 border:1px solid rgba(49,51,63,.2);border-radius:.5rem;padding:.25rem .75rem;min-height:2.5rem">复制链接</button>
<script>
(function () {{
  const b = document.getElementById({id_js}), url = {url_js};
  if (!b) return;
  b.addEventListener("click", async function () {{
    let ok = false;
    try {{ await navigator.clipboard.writeText(url); ok = true; }} catch (e) {{
      const t = document.createElement("textarea");   // http on an intranet: no clipboard API
      t.value = url; document.body.appendChild(t); t.select();
      try {{ ok = document.execCommand("copy"); }} catch (e2) {{}}
      t.remove();
    }}
    b.textContent = ok ? "已复制 ✓" : "请手动复制下方链接";
    setTimeout(function () {{ b.textContent = "复制链接"; }}, 2500);
  }});
}})();
</script>
"""


# --- URL state ----------------------------------------------------------------------------------


def presenting() -> bool:
    """True when the URL asks for briefing mode (present=1)."""
    return st.query_params.get(PRESENT, "").lower() in ("1", "true", "yes", "on")


def auto_seconds() -> int | None:
    """The auto-advance interval from the URL, clamped to AUTO_RANGE; None when off or unreadable."""
    raw = st.query_params.get(AUTO)
    if not raw:
        return None
    try:
        value = int(float(raw))
    except (ValueError, OverflowError):
        st.toast(f"链接参数 auto={filters.md_escape(raw)} 无法识别，已关闭自动翻页", icon="⚠️")
        return None
    return min(max(value, AUTO_RANGE[0]), AUTO_RANGE[1]) if value > 0 else None


def slide_number(n: int) -> int:
    """The 1-based slide in the URL, clamped to 1..n (1 when missing or unreadable)."""
    try:
        i = int(st.query_params.get(SLIDE, "1"))
    except ValueError:
        i = 1
    return min(max(i, 1), n)


def share_url(base: str | None, url_path: str, params: dict[str, list[str]]) -> str:
    """The link reproducing a view: the app's base URL, the page's url_path and every URL
    parameter (filters, page options, present/slide).  Relative when the base is unknown."""
    query = urlencode([(k, v) for k, values in params.items() for v in values])
    root = (base or "").rstrip("/")
    return f"{root}/{url_path}" + (f"?{query}" if query else "")


def current_url(url_path: str) -> str:
    """This view's link, built from st.context.url (which ends with the current page's path)."""
    url = (st.context.url or "").rstrip("/")
    base = url.removesuffix("/" + url_path) if url_path else url
    return share_url(base, url_path, {k: st.query_params.get_all(k) for k in st.query_params.keys()})


def copy_button(url: str) -> None:
    """A 复制链接 button: the clipboard API, or a selection copy where it is missing (plain http)."""
    uid = "bf-copy-" + secrets.token_hex(4)
    st.html(_COPY_JS.format(id=uid, id_js=json.dumps(uid), url_js=json.dumps(url)), width="content",
            unsafe_allow_javascript=True)


def copy_link(url_path: str) -> None:
    """The 复制链接 button and, below it, the link itself (to read, or to copy by hand)."""
    url = current_url(url_path)
    copy_button(url)
    st.text(url, width="stretch")   # not st.code: it fetches a 1.5 MB highlighter


# --- the brief, cached per snapshot and filter state --------------------------------------------------


@st.cache_data(show_spinner="正在生成汇报…", max_entries=32)
def _brief(snapshot_id: str, state_key: str, settings_key: str, _ctx: Context) -> brief.Brief:
    return brief.build(_ctx.snapshot, _ctx.choices, _ctx.state, _ctx.settings)


def current_brief(ctx: Context) -> brief.Brief:
    """The brief of this run's filters (a failure shows a reference id and stops the page)."""
    try:
        return _brief(ctx.snapshot.id, repr(ctx.state), repr(ctx.settings), ctx)
    except Exception:
        widgets.fail("汇报生成", "brief")


def downloads(ctx: Context, *, key: str) -> None:
    """Download buttons for the meeting brief of the current filters, built only when clicked
    (the callables run outside the script run, so they build the brief without st.* calls).
    Like every export, it needs the staff role."""
    if not ctx.access.can("staff"):
        st.caption("导出汇报材料需工作人员权限。")
        return

    def build():
        return brief.build(ctx.snapshot, ctx.choices, ctx.state, ctx.settings)

    def html_bytes():
        return brief_html.to_html(build()).encode("utf-8")

    def pptx_bytes():
        return brief_pptx.to_pptx(build())

    stamp = brief.make_stamp(ctx.snapshot, ctx.choices, ctx.state)
    st.download_button("汇报材料 HTML", html_bytes, file_name=brief.file_name(stamp, "html"), mime="text/html",
                       key=f"{key}_html", icon=":material/download:", on_click="ignore",
                       help="单个HTML文件，离线可打开，图表可交互")
    st.download_button("汇报材料 PPTX", pptx_bytes, file_name=brief.file_name(stamp, "pptx"), key=f"{key}_pptx",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       icon=":material/download:", on_click="ignore", help="每个视图一页，图表为图片（生成约需10秒）")


# --- the sidebar section on every page --------------------------------------------------------------------


def _enter() -> None:
    st.query_params[PRESENT] = "1"
    st.query_params[SLIDE] = "1"


def share_sidebar(ctx: Context, url_path: str, top) -> None:
    """分享与汇报: briefing mode and the link to this view in `top` (a sidebar container above the
    filters, so they are in sight on every page); the meeting brief at the sidebar's end."""
    url = current_url(url_path)
    with top:
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.button("汇报模式", icon=":material/slideshow:", on_click=_enter, key="bf_enter", type="primary",
                      help="全屏放映：每页一个视图，← → 翻页，Esc 退出；链接加 auto=30 每30秒自动翻页")
            copy_button(url)
        st.text(url, width="stretch")   # not st.code: it fetches a 1.5 MB highlighter
    with st.sidebar:
        st.markdown("#### 导出汇报材料")
        downloads(ctx, key="bf_side")


# --- briefing mode -------------------------------------------------------------------------------------------


def _go(i: int) -> None:
    st.query_params[SLIDE] = str(i)
    st.session_state[_TICK] = time.monotonic()


def present(ctx: Context, url_path: str) -> None:
    """The briefing instead of the page: the current filters' views, one per slide."""
    st.html(f"<style>{PRESENT_CSS}{brief_html.CSS}</style>")
    deck = current_brief(ctx)
    st.session_state[_TICK] = time.monotonic()   # a full run shows a slide afresh
    auto = auto_seconds()
    st.fragment(_slides, run_every=auto)(deck, ctx, url_path, auto)


def _slides(deck: brief.Brief, ctx: Context, url_path: str, auto: int | None) -> None:
    n = len(deck.slides)
    i = slide_number(n)
    now = time.monotonic()
    if auto and now - st.session_state.get(_TICK, now) >= 0.8 * auto:   # a timer run: next slide, looping
        i = i % n + 1
        st.session_state[_TICK] = now
    if st.query_params.get(SLIDE) != str(i):
        st.query_params[SLIDE] = str(i)
    s = deck.slides[i - 1]

    st.html(brief_html.headline_html(s, i, n, deck.stamp))
    with st.container(key="bf_body"):
        if s.kpis:
            st.html(brief_html.kpi_html(s.kpis))
        elif s.table is not None:
            st.html(brief_html.table_html(s.table, s.highlight))
        elif s.figures:
            for j, (col, spec) in enumerate(zip(st.columns(len(s.figures), gap="large"), s.figures)):
                with col:
                    widgets.chart({**spec, "height": "container"}, key=f"bf_fig_{s.key}_{j}", height="stretch")
        if s.note:
            st.html(f'<div class="bf-note">{plain.html(s.note)}</div>')

    with st.container(key="bf_footer", horizontal=True, vertical_alignment="center", wrap=False):
        st.caption(plain.md(deck.stamp.line()), help="\n\n".join(deck.slide_definitions(s)) or None)
        st.space("stretch")
        st.button("上一页", icon=":material/chevron_left:", shortcut="Left", on_click=_go, args=(i - 1,),
                  disabled=i == 1, key="bf_prev")
        with st.container(key="bf_counter", width="content"):
            st.markdown(f"{i} / {n}" + (f" · 每{auto}秒" if auto else ""))
        st.button("下一页", icon=":material/chevron_right:", shortcut="Right", on_click=_go, args=(i + 1,),
                  disabled=i == n, key="bf_next")
        with st.popover("更多", icon=":material/more_horiz:"):
            copy_link(url_path)
            downloads(ctx, key="bf_pop")
        leave = st.button("退出汇报", icon=":material/close:", shortcut="Esc", key="bf_exit")
    with st.container(key="bf_hidden"):   # presentation clickers send PageDown / PageUp
        st.button("下一页", shortcut="PageDown", on_click=_go, args=(min(i + 1, n),), key="bf_next_pg")
        st.button("上一页", shortcut="PageUp", on_click=_go, args=(max(i - 1, 1),), key="bf_prev_pg")
    if leave:
        for k in (PRESENT, SLIDE, AUTO):
            st.query_params.pop(k, None)
        st.rerun(scope="app")

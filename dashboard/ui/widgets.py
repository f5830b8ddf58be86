"""Small Streamlit pieces the pages share: the stamp, 口径 tooltips, empty states, CSV downloads,
URL-bound selectboxes, role checks, and the one way a failure is shown (a reference id)."""
from __future__ import annotations

import logging
import secrets

import pandas as pd
import streamlit as st

from ..core import auth, export, filters, metrics, plain
from ..core.config import settings
from ..store import query
from ..views.context import Context
from . import phone
from .frame import context

log = logging.getLogger("dashboard")

DEMO_BADGE = "演示数据"


def fail(what: str, action: str) -> None:
    """Log the exception being handled under a short reference id, show `what` failed with that
    id (details stay in the log, never on the page) and stop the run."""
    ref = secrets.token_hex(4)
    log.exception("%s failed (ref %s)", action, ref)
    st.error(f"{what}出错（参考编号 {ref}），请联系管理员。")
    st.stop()


def guarded_query(name: str, *, snapshot, **params) -> pd.DataFrame:
    """query.run for the pages' Context: a failure shows a reference id and stops the page."""
    try:
        return query.run(name, snapshot=snapshot, **params)
    except Exception:
        fail("数据查询", f"query {name}")


@st.cache_data(show_spinner="正在估计…", max_entries=32)
def _cached(name: str, snapshot_id: str, state_key: str, settings_key: str, args: tuple, _fn, _ctx):
    return _fn(_ctx, *args)


def cached(fn, ctx: Context, *args):
    """`fn(ctx, *args)` for a slow view (an estimate), cached per view, snapshot, filters, settings and
    arguments: the snapshot id is part of the key, so a new snapshot never serves an old answer."""
    return _cached(f"{fn.__module__}.{fn.__qualname__}", ctx.snapshot.id, repr(ctx.state), repr(ctx.settings),
                   args, fn, ctx)


@st.cache_data(show_spinner=False, max_entries=64)
def _page_data(name: str, snapshot_id: str, state_key: str, settings_key: str, _fn, _ctx):
    return _fn(_ctx)


def page_data(fn, ctx: Context):
    """`fn(ctx)`, a page's sections worked out from the context alone (its PAGE_DATA function), cached like
    `cached` per view, snapshot, filters and settings, in entries of their own (no estimate is evicted for
    it) and without a spinner: the pandas on top of the cached queries then runs once per view, not once
    per page load (便民生活圈's walking reach and before/after: 150-300 ms a run on the 10M snapshot)."""
    return _page_data(f"{fn.__module__}.{fn.__qualname__}", ctx.snapshot.id, repr(ctx.state), repr(ctx.settings),
                      fn, ctx)


def require(role: str) -> None:
    """Stop the page unless the user has `role` (a page opened by URL checks again)."""
    if not context().access.can(role):
        st.error(f"此页面需要{auth.ROLE_LABELS[role]}权限。")
        st.stop()


def stamp(ctx: Context) -> None:
    """The line every page shows: snapshot, 数据截至, demo and schematic labels."""
    info = ctx.snapshot
    badges = []
    if info.is_demo:
        badges.append(f":orange-badge[{DEMO_BADGE}·非官方数据]")
    if ctx.choices.schematic_boundaries:
        badges.append(":gray-badge[示意边界]")
    st.caption(f"{' '.join(badges)} 快照 `{info.id}` · 数据截至 **{info.data_as_of:%Y-%m-%d}** · "
               f"{plain.md(filters.describe(ctx.state, ctx.choices))}")
    phone.filter_bar(ctx)       # on a phone: the filters in one line and the button that opens them


def community_scope(ctx: Context, section: str) -> None:
    """Say under a section that the 社区 filter does not narrow it (nothing when none is chosen)."""
    note = filters.community_note(ctx.state, section)
    if note:
        st.caption(note)


def chart(spec: dict, *, key: str, height: str = "content") -> None:
    """A Vega-Lite chart (render/charts.py) at the container's width, in its own look (not the theme's);
    height "stretch" fills the element's CSS height (the spec's height must then be "container")."""
    st.vega_lite_chart(spec, theme=None, width="stretch", height=height, key=key)


def help_for(key: str) -> str:
    """The 口径 of a metric, for help= tooltips."""
    return metrics.definitions(settings())[key]


def empty_state(message: str = "当前筛选条件下没有数据。请放宽时间范围、街道、社区或类别。") -> None:
    """A clear empty state instead of an empty chart."""
    st.info(message, icon="ℹ️")


def csv_download(data, name: str, *, key: str, rows: int | None = None) -> None:
    """A download button with exactly `data` as CSV (UTF-8 with BOM), named after the view.

    `data` is a DataFrame, or a zero-argument callable returning one (see `deferred`),
    which Streamlit runs only when the button is clicked.
    """
    ctx = context()
    if not ctx.access.can("staff"):
        st.caption("导出需工作人员权限。")
        return
    w = ctx.window
    n = len(data) if rows is None else rows
    payload = (lambda: export.csv_bytes(data())) if callable(data) else export.csv_bytes(data)
    st.download_button(f"下载CSV（{n:,}行）", payload, file_name=f"{name}_{w.start:%Y%m%d}-{w.end:%Y%m%d}.csv",
                       mime="text/csv", key=key, icon=":material/download:")


def deferred(name: str, **params):
    """A zero-argument function that runs query `name` later (on another thread) on this run's snapshot."""
    info = context().snapshot
    return lambda: query.run(name, snapshot=info, **params)


def delta_or_none(text: str) -> str | None:
    """st.metric delta: None (no arrow) for '持平' and '—', else the signed text."""
    return None if text in ("持平", "—") else text


def url_selectbox(label: str, options: list, *, key: str, default, format_func=str, resolve=None, **kwargs):
    """A selectbox whose *value* (e.g. a street code) lives in the URL parameter `key`.

    Streamlit's own binding writes the formatted label; links from other pages carry
    codes, so this one reads `resolve(raw)` (codes or names) and writes the value back.
    An unknown value in the URL gets a notice and the default.
    """
    if key not in st.session_state:
        raw = st.query_params.get(key)
        value = (resolve(raw) if resolve else raw) if raw else default
        if value not in options:
            st.warning(f"链接参数 {key}={filters.md_escape(raw)} 无法识别，已使用默认值", icon="⚠️")
            value = default
        st.session_state[key] = value
    value = st.selectbox(label, options, key=key, format_func=format_func, **kwargs)
    if value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value
    return value

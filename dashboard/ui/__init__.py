"""Thin Streamlit helpers shared by app.py and the pages: the frame, filters, stamps.

Everything here is UI glue; numbers come from queries (query.run) and metrics.py,
figures from charts.py / maps.py.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from ..core import auth, export, filters, metrics, periods
from ..core.config import Settings, settings
from ..core.filters import Choices, FilterState
from ..store import bootstrap, query, snapshot

log = logging.getLogger("dashboard")

DEMO_BADGE = "演示数据"


@dataclass(frozen=True)
class Context:
    """What every page needs: the snapshot, the filter choices and state, the window."""

    snapshot: snapshot.SnapshotInfo
    choices: Choices
    state: FilterState
    window: periods.Window
    settings: Settings
    access: auth.Access = auth.Access(auth.LOCAL, "admin")

    def params(self, window: periods.Window | None = None, *, streets: bool = True) -> dict:
        """The shared filter parameters most queries take."""
        w = window or self.window
        p = {"start": w.start, "end": w.end, "categories": list(self.state.categories),
             "subs": list(self.state.subcategories)}
        if streets:
            p["streets"] = list(self.state.streets)
        return p

    @property
    def previous(self) -> periods.Window:
        return periods.previous(self.window, self.settings.cycle_start_day)

    @property
    def year_ago(self) -> periods.Window:
        return periods.year_ago(self.window)


def ensure_snapshot() -> snapshot.SnapshotInfo:
    """The live snapshot; on first start, build the demo with a visible progress bar."""
    info = snapshot.current()
    if info is not None:
        return info
    with st.status("首次启动：正在生成演示数据快照（约半分钟）…", expanded=True) as status:
        bar = st.progress(0.0)
        info = bootstrap.ensure_snapshot(progress=lambda f, t: bar.progress(min(f, 1.0), text=t))
        status.update(label=f"演示数据已就绪：{info.id}", state="complete")
    return info


@st.cache_data(show_spinner=False, max_entries=8)
def load_choices(snapshot_id: str) -> Choices:
    """Filter options of a snapshot (cached per snapshot id)."""
    return choices_for(snapshot.load(snapshot_id))


def choices_for(info: snapshot.SnapshotInfo) -> Choices:
    """Filter options of a snapshot, uncached and without st.* calls (the brief CLI uses it too)."""
    from ..demo.generator import load_streets

    # district documents list streets in a conventional order (德胜, 什刹海, 西长安街, …), not by code
    order = {code: i for i, code in enumerate(load_streets()["street_code"])}
    st_df = query.run("streets", snapshot=info)
    st_df = (st_df.assign(order=st_df["street_code"].map(order).fillna(len(order)))
             .sort_values(["order", "street_code"]))
    cats = query.run("filter_choices", snapshot=info)
    tickets = info.manifest.get("tickets", {})
    first = tickets.get("min_created_at")
    return Choices(
        streets=dict(zip(st_df.street_code, st_df.name_zh)),
        short_names=dict(zip(st_df.street_code, st_df.short_zh)),
        categories={l1: list(g.category_l2) for l1, g in cats.groupby("category_l1", sort=False)},
        first_day=date.fromisoformat(first[:10]) if first else info.data_as_of,
        as_of=info.data_as_of,
        cycle_start_day=settings().cycle_start_day,
        schematic_boundaries=bool((st_df["boundary_kind"] == "schematic").any()),
    )


def _url_params() -> dict[str, list[str]]:
    qp = st.query_params
    return {k: qp.get_all(k) for k in qp.keys()}


def _seed_widgets(choices: Choices) -> list[str]:
    """On a session's first run, put the URL's filters into the widgets' state."""
    parsed = filters.parse(_url_params(), choices)
    s = parsed.state
    w = s.window(choices)
    st.session_state.update({
        "f_period": s.period,
        "f_range": (w.start, w.end),
        "f_street": list(s.streets),
        "f_category": list(s.categories),
        "f_sub": list(s.subcategories),
    })
    return parsed.notices


def filter_sidebar(choices: Choices) -> FilterState:
    """The shared sidebar filters; returns their state and writes it into the URL."""
    notices = _seed_widgets(choices) if "f_period" not in st.session_state else []
    with st.sidebar:
        st.markdown("#### 筛选")
        period = st.selectbox("时间范围", list(periods.PRESETS), key="f_period",
                              format_func=periods.PRESETS.get,
                              help="预设区间以数据截至日为准；考核月自上月"
                                   f"{choices.cycle_start_day}日起算。")
        start = end = None
        if period == "custom":
            # bounds fixed per snapshot (changing them would reset the widget); a link may reach
            # before or after the data, as far as filters.parse accepts
            lo, hi = filters.reach(choices)
            rng = st.date_input("自定义区间", key="f_range", min_value=lo, max_value=hi, format="YYYY-MM-DD",
                                help=f"数据范围 {choices.first_day:%Y-%m-%d} 至 {choices.as_of:%Y-%m-%d}")
            if isinstance(rng, (tuple, list)) and len(rng) == 2:
                start, end = rng
            else:
                st.caption("请选择结束日期")
                start, end = st.session_state.get("f_last_range", (choices.first_day, choices.as_of))
            st.session_state["f_last_range"] = (start, end)
        else:
            w = periods.preset(period, choices.as_of, choices.cycle_start_day)
            st.caption(f"{w.start:%Y-%m-%d} 至 {w.end:%Y-%m-%d}")
        streets = st.multiselect("街道", list(choices.streets), key="f_street",
                                 format_func=lambda c: choices.streets.get(c, c), placeholder="全区")
        cats = st.multiselect("一级类别", list(choices.categories), key="f_category", placeholder="全部类别")
        sub_options = [s for c in (cats or choices.categories) for s in choices.categories[c]]
        st.session_state["f_sub"] = [s for s in st.session_state.get("f_sub", []) if s in sub_options]
        subs = st.multiselect("二级类别（可选）", sub_options, key="f_sub", placeholder="全部")
    state = FilterState(period, start, end, tuple(streets), tuple(cats), tuple(subs))
    sync_url(state)
    for n in notices:
        st.warning(n, icon="⚠️")
    return state


def sync_url(state: FilterState) -> None:
    """Write the filter state into the URL, leaving other (page-specific) parameters alone."""
    wanted = filters.to_params(state)
    qp = st.query_params
    for key in filters.FILTER_KEYS:
        if key in wanted:
            if qp.get_all(key) != wanted[key]:
                qp[key] = wanted[key]
        elif key in qp:
            del qp[key]


def set_context(ctx: Context) -> None:
    st.session_state["_ctx"] = ctx


def navigation_pages(access: auth.Access | None = None) -> list:
    """The pages `access` may open, registered explicitly (legacy pages/ discovery stays off).

    A page left out is absent from the navigation, and its URL falls back to the
    default page.  Each url_path equals its file's stem: a server's first request is
    routed by the legacy discovery, which knows pages only by file name (see `context`).
    """
    access = access or auth.Access(auth.LOCAL, "admin")
    pages = [
        st.Page("pages/overview.py", title="总览", icon=":material/leaderboard:", url_path="overview", default=True),
        st.Page("pages/map.py", title="街道地图", icon=":material/map:", url_path="map"),
        st.Page("pages/hotline.py", title="接诉即办", icon=":material/support_agent:", url_path="hotline"),
        st.Page("pages/profile.py", title="街道画像", icon=":material/location_city:", url_path="profile"),
        st.Page("pages/circles.py", title="便民生活圈", icon=":material/storefront:", url_path="circles"),
        st.Page("pages/data_admin.py", title="数据管理", icon=":material/database:", url_path="data_admin"),
    ]
    return [p for p in pages if access.can_open(p.url_path)]


def _secrets() -> dict:
    """st.secrets as a dict; {} when there is no secrets.toml (local mode)."""
    from streamlit.errors import StreamlitSecretNotFoundError

    try:
        return st.secrets.to_dict()
    except StreamlitSecretNotFoundError:
        return {}


def gate() -> auth.Access:
    """Who is here: local mode, or st.login with a role from the config.  Stops the run
    (after showing a login button or a refusal) unless the user may see the app."""
    access = auth.access_for(_secrets(), st.user.to_dict())
    if access.mode == auth.LOCAL:
        st.sidebar.caption(":orange-badge[本地模式] 未配置登录，仅限本机访问（127.0.0.1）。")
        return access
    if access.role is None:
        st.title("红墙先锋 · 西城基层治理看板")
        if not st.user.is_logged_in:
            st.info("请使用单位统一身份认证登录。")
            st.button("登录", on_click=st.login, type="primary", key="login")
        else:
            st.error(f"账号 {access.email or ''} 未获授权访问本看板，请联系管理员开通。")
            st.button("退出登录", on_click=st.logout, key="logout")
        st.stop()
    with st.sidebar:
        st.caption(f"{access.email} · {auth.ROLE_LABELS[access.role]}")
        st.button("退出登录", on_click=st.logout, key="logout", type="tertiary")
    return access


def require(role: str) -> None:
    """Stop the page unless the user has `role` (a page opened by URL checks again)."""
    if not context().access.can(role):
        st.error(f"此页面需要{auth.ROLE_LABELS[role]}权限。")
        st.stop()


def context() -> Context:
    """The context app.py prepared for this run."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory or "_ctx" not in st.session_state:
        # Streamlit's legacy pages/ discovery is on until st.navigation first runs (on a server,
        # once; under AppTest, at every run): it routes a page's URL straight to the page
        # script, skipping app.py and so the login gate and the filters.  Turn it off as
        # st.navigation would, and rerun the same URL through app.py.
        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state["_ctx"]


def run(name: str, **params) -> pd.DataFrame:
    """query.run on this run's snapshot.  A failure shows a short message with a reference
    id (details go to the log) and stops the page."""
    try:
        return query.run(name, snapshot=context().snapshot, **params)
    except Exception:
        ref = secrets.token_hex(4)
        log.exception("query %s failed (ref %s)", name, ref)
        st.error(f"数据查询出错（参考编号 {ref}），请联系管理员。")
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
               f"{filters.describe(ctx.state, ctx.choices)}")


def help_for(key: str) -> str:
    """The 口径 of a metric, for help= tooltips."""
    return metrics.definitions(settings())[key]


def empty_state(message: str = "当前筛选条件下没有数据。请放宽时间范围、街道或类别。") -> None:
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

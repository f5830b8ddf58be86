"""The frame app.py draws around every page: login gate, first-start snapshot, shared sidebar
filters (kept in the URL), the navigation, and the Context handed to the page."""
from __future__ import annotations

import streamlit as st

from ..core import auth, filters, periods
from ..core import pages as page_list
from ..core.filters import Choices, FilterState
from ..store import bootstrap, snapshot
from ..views.context import Context, choices_for
from . import routing, snapshots_panel


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


def open_snapshot(access: auth.Access) -> tuple[snapshot.SnapshotInfo, Choices]:
    """The live snapshot and its filter options.  Opening it verifies its checksums (once per
    process); a snapshot that is damaged, or a CURRENT that names none, stops the run with the
    reason in Chinese, and an admin gets the snapshot list and rollback right there."""
    try:
        info = ensure_snapshot()
        return info, load_choices(info.id)
    except snapshot.SnapshotError as e:
        st.error(str(e), icon=":material/error:")
        if access.can("admin"):
            st.subheader("数据管理 · 快照与回滚")
            snapshots_panel.show()
        else:
            st.info("请联系管理员处理。")
        st.stop()


@st.cache_data(show_spinner=False, max_entries=8)
def load_choices(snapshot_id: str) -> Choices:
    """Filter options of a snapshot (cached per snapshot id)."""
    return choices_for(snapshot.load(snapshot_id))


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
        "f_community": list(s.communities),
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
        communities = community_filter(choices, streets)
        cats = st.multiselect("一级类别", list(choices.categories), key="f_category", placeholder="全部类别")
        sub_options = [s for c in (cats or choices.categories) for s in choices.categories[c]]
        st.session_state["f_sub"] = [s for s in st.session_state.get("f_sub", []) if s in sub_options]
        subs = st.multiselect("二级类别（可选）", sub_options, key="f_sub", placeholder="全部")
    state = FilterState(period, start, end, tuple(streets), tuple(cats), tuple(subs), tuple(communities))
    sync_url(state)
    for n in notices:
        st.warning(n, icon="⚠️")
    return state


def community_filter(choices: Choices, streets: list[str]) -> list[str]:
    """The 社区 multiselect: the communities of the chosen streets (none offered for the whole
    district: 263 names are no list to pick from, and a street's staff start from their street)."""
    options = choices.communities_of(streets)
    st.session_state["f_community"] = [c for c in st.session_state.get("f_community", []) if c in options]
    several = len(streets) > 1

    def label(cid: str) -> str:
        name, street = choices.communities[cid]
        return f"{name}（{choices.short_names.get(street, street)}）" if several else name

    return st.multiselect("社区", options, key="f_community", format_func=label, disabled=not streets,
                          placeholder="全部社区" if streets else "先选择街道",
                          help="只看所选社区的工单与党建工作；街道之间的排名与比较仍按街道全部社区。")


def page_filters(choices: Choices, url_path: str) -> FilterState:
    """The shared sidebar filters, or — on a page they do not apply to (数据管理) — no sidebar
    filters, the URL's state kept as it is for the next page."""
    page = page_list.BY_KEY.get(url_path or page_list.DEFAULT)
    if page is None or page.filters:
        return filter_sidebar(choices)
    return filters.parse(_url_params(), choices).state


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
    """Hand this run's Context to the page (read back with `context()`)."""
    st.session_state["_ctx"] = ctx


def context() -> Context:
    """The context app.py prepared for this run (a page reached by legacy routing, which
    skipped app.py, is rerun through it first: see routing)."""
    if routing.legacy_routing_on() or "_ctx" not in st.session_state:
        routing.reroute_through_app()
    return st.session_state["_ctx"]


def navigation_pages(access: auth.Access | None = None) -> dict[str, list]:
    """The pages `access` may open (core/pages.py) by navigation section, registered explicitly
    for st.navigation.  A page left out is absent from the navigation, and its URL falls back to
    the default page."""
    access = access or auth.Access(auth.LOCAL, "admin")
    sections: dict[str, list] = {}
    for p in page_list.PAGES:
        if access.can_open(p.key):
            sections.setdefault(p.section, []).append(
                st.Page(p.script, title=p.title, icon=p.icon, url_path=p.key, default=p.key == page_list.DEFAULT))
    return sections


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
    address = st.get_option("server.address")
    access = auth.access_for(_secrets(), st.user.to_dict(), address)
    if access.mode == auth.LOCAL:
        if access.can("admin"):
            st.sidebar.caption(":orange-badge[本地模式] 未配置登录，仅限本机访问（127.0.0.1）。")
        else:
            st.warning(f"本地模式（未配置登录）却在网络地址 {address or '0.0.0.0（全部网卡）'} 上提供服务："
                       "所有人只有浏览权限，导入和回滚已关闭。请配置登录，或改为仅本机访问（127.0.0.1）。",
                       icon=":material/warning:")
        return access
    if access.role is None:
        st.title("红墙先锋 · 西城基层治理看板")
        if not st.user.is_logged_in:
            st.info("请使用单位统一身份认证登录。")
            st.button("登录", on_click=st.login, type="primary", key="login")
        else:
            if not access.email_verified:
                st.error("身份认证系统没有确认该账号的邮箱（email_verified），无法据此授权。请联系管理员。")
            else:
                st.error(f"账号 {access.email or ''} 未获授权访问本看板，请联系管理员开通。")
            st.button("退出登录", on_click=st.logout, key="logout")
        st.stop()
    with st.sidebar:
        st.caption(f"{access.email} · {auth.ROLE_LABELS[access.role]}")
        st.button("退出登录", on_click=st.logout, key="logout", type="tertiary")
    return access

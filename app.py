"""红墙先锋 · 西城基层治理看板 — entry point.

Page config, the snapshot (built from demo data on first start), the shared sidebar
filters and the navigation.  Every page is registered here explicitly.
"""
from pathlib import Path

import streamlit as st

from dashboard import ui
from dashboard.core.config import settings
from dashboard.ui import briefing
from dashboard.views.context import make_context

ICON = Path(__file__).parent / "assets" / "icon.png"  # local: an icon by name is fetched from the internet
st.set_page_config(page_title="红墙先锋 · 西城基层治理看板", page_icon=str(ICON), layout="wide")

ui.style.inject()    # the app's CSS (phone layout, tables, still placeholders): no space on the page
access = ui.gate()
page = st.navigation(ui.navigation_pages(access), expanded=True)   # every page listed: none behind "View more"
info, choices = ui.open_snapshot(access)  # verified; a damaged one stops here (admins get rollback)
share = st.sidebar.container()  # 汇报模式 and 复制链接, above the filters; filled after the page runs
state = ui.page_filters(choices, page.url_path)   # none on 数据管理: they do not apply there
ctx = make_context(info, choices, state, settings(), access=access, runner=ui.guarded_query)
ui.set_context(ctx)
st.sidebar.caption(f"快照 {info.id}")
if briefing.presenting():    # 汇报模式: the briefing instead of the page, same filters
    briefing.present(ctx, page.url_path)
else:
    try:
        page.run()
    finally:  # after the page, so the link carries the page's own URL parameters too
        briefing.share_sidebar(ctx, page.url_path, share)

"""红墙先锋 · 西城基层治理看板 — entry point.

Page config, the snapshot (built from demo data on first start), the shared sidebar
filters and the navigation.  Every page is registered here explicitly.
"""
import streamlit as st

from dashboard import periods, ui
from dashboard.config import settings

st.set_page_config(page_title="红墙先锋 · 西城基层治理看板", page_icon="🏮", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="总览", icon="📊", url_path="overview", default=True),
    st.Page("pages/street_map.py", title="街道地图", icon="🗺️", url_path="map"),
    st.Page("pages/hotline.py", title="接诉即办", icon="☎️", url_path="hotline"),
    st.Page("pages/street_profile.py", title="街道画像", icon="🏘️", url_path="profile"),
]

page = st.navigation(PAGES)
info = ui.ensure_snapshot()
choices = ui.load_choices(info.id)
state = ui.filter_sidebar(choices)
ctx = ui.Context(snapshot=info, choices=choices, state=state, window=state.window(choices), settings=settings())
ui.set_context(ctx)
st.sidebar.caption(f"快照 {info.id}")
page.run()

"""The app's own CSS, injected once per run before the page (app.py calls `inject`): the phone layout
(phone.CSS), the static tables (render.tables.CSS) and placeholders that stay still.

Streamlit draws a grey placeholder (stSkeleton) where an element is still loading, with a shimmer: a
CSS animation that repaints the placeholder every frame.  A page load shows 20–30 of them (26 on
便民生活圈, recorded with the DevTools Animation domain), and with software rendering every frame of
every shimmer is painted on the CPU the page needs to draw: still placeholders brought 便民生活圈's
settle from 1,740 to 1,549 ms at 10M tickets (interleaved loads, 2 cores, SwiftShader).  A still grey
block says "loading" as well; spinners keep spinning.
"""
from __future__ import annotations

import streamlit as st

from ..render import tables
from . import phone

STILL_PLACEHOLDERS = "[data-testid=stSkeleton] {animation: none !important}"


def inject() -> None:
    """The app's CSS, once per run before the page; a style-only st.html takes no space on the page."""
    st.html(f"<style>{STILL_PLACEHOLDERS}\n{phone.CSS}{tables.CSS}</style>")

"""Streamlit's legacy pages/ routing, and the one workaround for it.

The product keeps its page scripts in `pages/` (the layout it promises), and that folder
name switches on Streamlit's legacy auto-discovery until `st.navigation` first runs: on a
server, for its very first request; under AppTest, at every run.  While it is on, a page's
URL is routed straight to the page script, skipping app.py, and so the login gate and the
shared filters.  `reroute_through_app` turns it off as st.navigation would and reruns the
same URL through app.py; `keep_legacy_routing_off` gives AppTest a server's steady state.
Page keys equal file stems (core/pages.py) because the legacy router knows pages by file name.
"""
from __future__ import annotations

import functools

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def legacy_routing_on() -> bool:
    """True while Streamlit would route a pages/ URL straight to the page script."""
    return bool(PagesManager.uses_pages_directory)


def reroute_through_app() -> None:
    """Turn legacy routing off and rerun the same URL, now through app.py (never returns)."""
    PagesManager.uses_pages_directory = False
    st.rerun()


def keep_legacy_routing_off(monkeypatch) -> None:
    """Make every new PagesManager leave legacy routing off, so AppTest runs each script as a
    server does after its first request.  `monkeypatch` (pytest's) undoes it after the test."""
    init = PagesManager.__init__

    @functools.wraps(init)
    def wrapped(self, *args, **kwargs):
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", wrapped)

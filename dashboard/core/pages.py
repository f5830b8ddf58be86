"""The app's pages, declared once: navigation, access rules, the bench and the tests read this list.

A page's key is its URL path and the stem of its script in pages/ (Streamlit's legacy
pages/ routing finds a page by file name on a server's first request; see ui/routing.py).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One page: key (= url path = pages/<key>.py), title, Material icon, least role to open it."""

    key: str
    title: str
    icon: str
    role: str = "viewer"

    @property
    def script(self) -> str:
        """The page script, relative to the project root."""
        return f"pages/{self.key}.py"


PAGES = (
    Page("overview", "总览", ":material/leaderboard:"),
    Page("map", "街道地图", ":material/map:"),
    Page("hotline", "接诉即办", ":material/support_agent:"),
    Page("profile", "街道画像", ":material/location_city:"),
    Page("circles", "便民生活圈", ":material/storefront:"),
    Page("data_admin", "数据管理", ":material/database:", role="admin"),
)
BY_KEY = {p.key: p for p in PAGES}
DEFAULT = PAGES[0].key

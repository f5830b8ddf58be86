"""The app's pages, declared once: navigation, access rules, the bench and the tests read this list.

A page's key is its URL path and the stem of its script in pages/ (Streamlit's legacy
pages/ routing finds a page by file name on a server's first request; see ui/routing.py).
"""
from __future__ import annotations

from dataclasses import dataclass

HOTLINE, PARTY, ADMIN = "接诉即办 · 生活圈", "红墙先锋 · 党建引领", "管理"


@dataclass(frozen=True)
class Page:
    """One page: key (= url path = pages/<key>.py), title, Material icon, navigation section,
    least role to open it, and whether the shared ticket filters apply to it."""

    key: str
    title: str
    icon: str
    section: str = HOTLINE
    role: str = "viewer"
    filters: bool = True

    @property
    def script(self) -> str:
        """The page script, relative to the project root."""
        return f"pages/{self.key}.py"


PAGES = (
    Page("overview", "总览", ":material/leaderboard:"),
    Page("map", "街道地图", ":material/map:"),
    Page("hotline", "接诉即办", ":material/support_agent:"),
    Page("tickets", "诉求明细", ":material/list_alt:", role="staff"),
    Page("profile", "街道画像", ":material/location_city:"),
    Page("circles", "便民生活圈", ":material/storefront:"),
    Page("party", "党建引领", ":material/flag:", PARTY),
    Page("whistles", "吹哨报到", ":material/campaign:", PARTY),
    Page("cobuild", "共建结对", ":material/handshake:", PARTY),
    Page("items", "实事项目", ":material/task_alt:", PARTY),
    Page("deliberations", "议事协商", ":material/forum:", PARTY),
    Page("outcomes", "成效评估", ":material/query_stats:", PARTY),
    Page("data_admin", "数据管理", ":material/database:", ADMIN, role="admin", filters=False),
)
BY_KEY = {p.key: p for p in PAGES}
DEFAULT = PAGES[0].key

"""Helpers for the real-browser tests: a Streamlit server on a free port and Debian's chromium
(shared with the bench: dashboard/bench/browser.py)."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from dashboard.bench.browser import CHROMIUM, CHROMIUM_ARGS, DRAWN, PHONE_UA, launch, server, wait_idle

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
__all__ = ["ARTIFACTS", "CHROMIUM", "CHROMIUM_ARGS", "DRAWN", "PHONE_UA", "ROOT", "app_in_chromium", "server",
           "wait_idle"]


@contextmanager
def app_in_chromium(data_dir: Path, log_name: str):
    """A server on `data_dir` (its log in artifacts/`log_name`) and Debian's chromium; yields (url, browser)."""
    from playwright import sync_api as playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with server(data_dir, ARTIFACTS / log_name) as url:
        with playwright.sync_playwright() as p:
            browser = launch(p)
            try:
                yield url, browser
            finally:
                browser.close()

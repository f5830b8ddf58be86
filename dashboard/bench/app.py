"""The whole-app parts of `python -m dashboard bench`: page reruns through AppTest, the RSS
of a real server after a browser rendered every page, and many sessions at once."""
from __future__ import annotations

import importlib.util
import os
import random
import threading
import time
from pathlib import Path

from ..core import periods
from ..core.filters import FilterState
from ..core.pages import PAGES
from ..store import query
from .builds import ROOT
from .measure import Scenario, run_page
from .stats import timed

APP = ROOT / "app.py"


def _use_data_dir(data_dir: Path) -> None:
    os.environ["DASHBOARD_DATA_DIR"] = str(data_dir)


def _problems(at) -> list[str]:
    return [str(e.value)[:200] for e in at.exception] + [str(e.value)[:200] for e in at.error]


def _open(page: str, url: dict | None = None):
    """A new session (AppTest) showing `page`; returns (AppTest, ms of the page's render).

    AppTest reaches a page only through the default one: the first run renders the overview
    (untimed, except for the overview itself), then switch_page renders the page."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=600)
    for k, v in (url or {}).items():
        at.query_params[k] = v
    if page == "overview":
        return at, timed(at.run)[0]
    at.run()
    return at, timed(at.switch_page(f"pages/{page}.py").run)[0]


def page_reruns(data_dir: Path, pages: list[str], runs: int, streets: list[str]) -> dict[str, dict]:
    """Per page: a session's first render of it (query cache cleared first); the render after a
    street is picked (a new street each run, so street-dependent queries miss the cache: on the
    overview in the sidebar, on other pages by a new session arriving with it in the URL, the
    way a shared link opens); and a rerun with nothing changed."""
    _use_data_dir(data_dir)
    out = {}
    for page in pages:
        res = {"first": [], "change": [], "warm": [], "errors": []}
        for i in range(runs):
            street = streets[i % len(streets)]
            query.clear_cache()
            at, ms = _open(page)
            res["first"].append(ms)
            res["errors"] += _problems(at)
            if page == "overview":
                at.session_state["f_street"] = [street]  # as if picked in the sidebar
                res["change"].append(timed(at.run)[0])
            else:
                at, ms = _open(page, {"street": street})
                res["change"].append(ms)
            res["errors"] += _problems(at)
            res["warm"].append(timed(at.run)[0])
            res["errors"] += _problems(at)
        out[page] = res
    return out


# --- a real server, a real browser --------------------------------------------------------------
def _browser_helpers():
    """tests/browser.py: Debian's chromium, its flags, and the wait for an idle script."""
    spec = importlib.util.spec_from_file_location("_bench_browser", ROOT / "tests" / "browser.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _status(pid: int) -> dict[str, float]:
    """VmHWM and VmRSS of a process, in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            out[key] = int(value.split()[0]) / 1024
    return out


def _child(marker: str) -> int:
    """The pid of this process's child whose command line holds `marker`."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmd = (proc / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and marker.encode() in cmd:
            return int(proc.name)
    raise RuntimeError(f"no child process running {marker}")


def server_rss(data_dir: Path, log_path: Path) -> dict:
    """Start `streamlit run app.py` on 127.0.0.1 (tests/browser.py's server), open every page
    (the map with both layers) in headless Chromium, then read the server's peak and current RSS."""
    from playwright.sync_api import sync_playwright

    helpers = _browser_helpers()
    result = {"pages": {}, "errors": []}
    with helpers.server(data_dir, log_path) as url:
        pid = _child("streamlit")
        result["idle"] = _status(pid)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=helpers.CHROMIUM, args=helpers.CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page()
            page.on("pageerror", lambda e: result["errors"].append(str(e)[:200]))
            for name in (p.key for p in PAGES):
                path = f"{name}?layers=density&layers=circles" if name == "map" else name
                t = time.perf_counter()
                page.goto(f"{url}/{path}")
                helpers.wait_idle(page, timeout=300_000)
                result["pages"][name] = (time.perf_counter() - t) * 1000
                exc = page.locator("[data-testid=stException]")
                if exc.count():
                    result["errors"].append(f"{name}: {exc.first.inner_text()[:200]}")
            browser.close()
        result.update(_status(pid))
    return result


# --- many sessions at once ---------------------------------------------------------------------
# How often a session is on each page when it changes a filter (leaders mostly read the overview).
PAGE_MIX = {"overview": 0.4, "hotline": 0.25, "map": 0.15, "profile": 0.2}


def _random_state(rng: random.Random, choices) -> FilterState:
    preset = rng.choice([p for p in periods.PRESETS if p != "custom"])
    streets = tuple(rng.sample(list(choices.streets), rng.choice([0, 0, 1, 2])))
    cats = tuple(rng.sample(list(choices.categories), rng.choice([0, 0, 1])))
    return FilterState(period=preset, streets=streets, categories=cats)


def load(info, choices, sessions: int, seconds: float, think_ms: float, seed: int = 7) -> dict:
    """`sessions` threads, each a user changing filters: a random view of a random page, its
    view functions run as the page runs them (each thread its own cursor), then a pause of up
    to `think_ms`.  Returns page-view latencies and errors."""
    query.clear_cache()
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    views: list[tuple[str, float]] = []
    errors: list[str] = []

    def session(i: int) -> None:
        rng = random.Random(seed * 1000 + i)
        while time.monotonic() < deadline:
            page = rng.choices(list(PAGE_MIX), weights=list(PAGE_MIX.values()))[0]
            sc = Scenario(page, "load", _random_state(rng, choices))
            t = time.perf_counter()
            try:
                run_page(sc, info, choices)
            except Exception as e:  # counted, never raised: the load goes on
                with lock:
                    errors.append(f"{page}: {type(e).__name__}: {e}"[:200])
                continue
            ms = (time.perf_counter() - t) * 1000
            with lock:
                views.append((page, ms))
            time.sleep(rng.uniform(0, think_ms) / 1000)

    threads = [threading.Thread(target=session, args=(i,), daemon=True) for i in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 600)
    return {"views": views, "errors": errors, "sessions": sessions, "seconds": seconds, "think_ms": think_ms}

"""The whole-app parts of `python -m dashboard bench`: page renders and reruns through AppTest,
every page in a real browser on a desktop and a phone viewport (settle time, payload, and the
server's RSS afterwards), and many sessions at once."""
from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

from ..core import periods
from ..core.filters import FilterState
from ..core.pages import BY_KEY, PAGES
from ..store import query
from . import browser as browser_mod
from . import payload
from .builds import ROOT
from .measure import Scenario, run_page
from .stats import p50, timed

APP = ROOT / "app.py"


def _use_data_dir(data_dir: Path) -> None:
    os.environ["DASHBOARD_DATA_DIR"] = str(data_dir)


def _problems(at) -> list[str]:
    return [str(e.value)[:200] for e in at.exception] + [str(e.value)[:200] for e in at.error]


def _open(page: str):
    """A new session (AppTest) showing `page`; returns (AppTest, ms of the page's render).

    AppTest reaches a page only through the default one: the first run renders the overview
    (untimed, except for the overview itself), then switch_page renders the page."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=600)
    if page == "overview":
        return at, timed(at.run)[0]
    at.run()
    return at, timed(at.switch_page(f"pages/{page}.py").run)[0]


def _clear_caches() -> None:
    """Forget every cached result: the query cache and the UI's st.cache_data (slow views' answers,
    choices), as on a server that just started."""
    import streamlit as st

    query.clear_cache()
    st.cache_data.clear()


def page_reruns(data_dir: Path, pages: list[str], runs: int, streets: list[str]) -> dict[str, dict]:
    """Per page: a session's first render of it (every result cache cleared first); the rerun after a
    street is picked in the sidebar (a new street each run, so street-dependent queries miss the
    cache; a page without the shared filters just reruns); and a rerun with nothing changed."""
    _use_data_dir(data_dir)
    out = {}
    for page in pages:
        res = {"first": [], "change": [], "warm": [], "errors": []}
        for i in range(runs):
            _clear_caches()
            at, ms = _open(page)
            res["first"].append(ms)
            res["errors"] += _problems(at)
            if BY_KEY[page].filters:
                at.session_state["f_street"] = [streets[i % len(streets)]]  # as if picked in the sidebar
            res["change"].append(timed(at.run)[0])
            res["errors"] += _problems(at)
            res["warm"].append(timed(at.run)[0])
            res["errors"] += _problems(at)
        out[page] = res
    return out


# --- a real server, a real browser --------------------------------------------------------------
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


def _sweep(browser, url: str, viewport: str, pages: list[str], runs: int, result: dict) -> None:
    """Each page on `viewport`: a first load, then `runs` loads, each in a fresh tab."""
    ctx = browser_mod.new_tab(browser, viewport)
    for name in pages:
        r = result["pages"].setdefault(name, {})
        loads = [browser_mod.timed_load(ctx, f"{url}/{name}") for _ in range(runs + 1)]
        for done in loads:
            result["errors"] += [f"{name} ({viewport}): {e}" for e in done["errors"]]
        r[f"{viewport}_first"] = loads[0]["settle_ms"]
        r[viewport] = [done["settle_ms"] for done in loads[1:]]
        r[f"{viewport}_marks"] = {k: p50([done[k] for done in loads[1:]]) for k in ("first_run_ms", "last_idle_ms", "runs")}
        r[f"{viewport}_payload"] = payload.breakdown(loads[-1]["frames"])
    ctx.close()


def browser_pages(data_dir: Path, log_path: Path, pages: list[str], runs: int) -> dict:
    """Start `streamlit run app.py` on 127.0.0.1 and open each page in headless Chromium, on a
    desktop and then on a phone viewport: per page, the first load's settle time (desktop: the
    server's caches cold), `runs` more loads' settle times, and the last load's payload.  Then
    the map with both layers, and the server's peak and current RSS."""
    from playwright.sync_api import sync_playwright

    result = {"pages": {}, "errors": []}
    with browser_mod.server(data_dir, log_path) as url:
        pid = _child("streamlit")
        result["idle"] = _status(pid)
        with sync_playwright() as p:
            browser = browser_mod.launch(p)
            for viewport in browser_mod.VIEWPORTS:
                _sweep(browser, url, viewport, pages, runs, result)
            ctx = browser_mod.new_tab(browser, "desktop")
            browser_mod.timed_load(ctx, f"{url}/map?layers=density&layers=circles")
            browser.close()
        result.update(_status(pid))
    return result


# --- many sessions at once ---------------------------------------------------------------------
# How often a session is on each page when it changes a filter (leaders mostly read the overview;
# every page is visited).
_LEADERS = {"overview": 0.3, "hotline": 0.2, "map": 0.1, "profile": 0.1}
PAGE_MIX = {**_LEADERS, **{p.key: 0.3 / (len(PAGES) - len(_LEADERS)) for p in PAGES if p.key not in _LEADERS}}


def _random_state(rng: random.Random, choices) -> FilterState:
    preset = rng.choice([p for p in periods.PRESETS if p != "custom"])
    streets = tuple(rng.sample(list(choices.streets), rng.choice([0, 0, 1, 2])))
    cats = tuple(rng.sample(list(choices.categories), rng.choice([0, 0, 1])))
    return FilterState(period=preset, streets=streets, categories=cats)


def load(info, choices, sessions: int, seconds: float, think_ms: float, seed: int = 7, processes: int = 1) -> dict:
    """`sessions` users changing filters for `seconds`: each a random view of a random page, its view
    functions run as the page runs them, then a pause of up to `think_ms`.  With `processes` > 1 the
    sessions are shared out over that many app processes, as deploy/run-replicas.sh runs them behind
    nginx (each process its own database and result cache; session i is the same user either way).
    Returns page-view latencies and errors."""
    if processes <= 1:
        return _sessions(info, choices, range(sessions), seconds, think_ms, seed)
    import multiprocessing as mp

    spawn = mp.get_context("spawn")
    shares = [range(i, sessions, processes) for i in range(processes)]
    with spawn.Manager() as manager, spawn.Pool(processes) as pool:
        ready = manager.Barrier(processes)  # every process opens its database first, then all start at once
        parts = pool.starmap(_replica, [(info.id, ids, seconds, think_ms, seed, ready) for ids in shares])
    return {"views": [v for p in parts for v in p["views"]], "errors": [e for p in parts for e in p["errors"]],
            "sessions": sessions, "seconds": seconds, "think_ms": think_ms,
            "per_process": [len(p["views"]) for p in parts]}


def _replica(snapshot_id: str, ids: range, seconds: float, think_ms: float, seed: int, ready) -> dict:
    """One app process of a multi-process load (DASHBOARD_DATA_DIR comes with the environment): opens
    the snapshot and its choices as a replica's first session does, waits for the common start, then
    runs sessions `ids`."""
    from ..store import snapshot
    from ..views.context import choices_for

    info = snapshot.load(snapshot_id)
    choices = choices_for(info)         # its queries open the database before the clock starts
    ready.wait()
    return _sessions(info, choices, ids, seconds, think_ms, seed)


def _sessions(info, choices, ids: range, seconds: float, think_ms: float, seed: int) -> dict:
    """Sessions `ids`, one thread each, in this process (its own cursor each); see `load`."""
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
                    errors.append(" ".join(f"{page}: {type(e).__name__}: {e}".split())[:200])
                continue
            ms = (time.perf_counter() - t) * 1000
            with lock:
                views.append((page, ms))
            time.sleep(rng.uniform(0, think_ms) / 1000)

    threads = [threading.Thread(target=session, args=(i,), daemon=True) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 600)
    return {"views": views, "errors": errors, "sessions": len(ids), "seconds": seconds, "think_ms": think_ms,
            "per_process": [len(views)]}

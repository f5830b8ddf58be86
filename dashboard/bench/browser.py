"""A real Streamlit server and Debian's Chromium, for the bench and the browser tests: the server
on a free port, the browser's flags, the waits for an idle script and for drawn charts, and one
timed page load (settle time and the bytes the server sent over the websocket)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from .builds import ROOT

CHROMIUM = "/usr/bin/chromium"
# WebGL through SwiftShader so deck.gl renders headless; no background traffic (offline machines)
CHROMIUM_ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-dev-shm-usage"]
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
# Chrome on an Android phone: the server sends a phone the phone variant of tables and maps (ui/phone.py)
PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36")
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"

# Every Vega-Lite chart on screen has drawn (its canvas or svg has a size): the test for a drawn chart
# wherever a page is measured or looked at
CHARTS_DRAWN = """[...document.querySelectorAll('[data-testid=stVegaLiteChart]')].filter(e => e.offsetParent !== null)
  .every(v => { const c = v.querySelector('canvas, svg.marks'); return c && c.getBoundingClientRect().width > 0; })"""

# Every chart and map on screen has drawn: Vega's canvas, deck.gl's canvas (none inside a closed
# expander or a container hidden for this screen), and no skeleton left in the main area.
DRAWN = """() => {
  const shown = e => e.offsetParent !== null;
  const decks = [...document.querySelectorAll('[data-testid=stDeckGlJsonChart]')].filter(shown);
  return document.querySelectorAll('[data-testid=stMain] [data-testid=stSkeleton]').length === 0
    && %s
    && decks.every(d => d.querySelector('canvas') && d.querySelector('canvas').width > 0);
}""" % CHARTS_DRAWN

# Installed before the page's own scripts: every 25 ms, is the page settled (the script has run
# and is idle, everything DRAWN)?  __settledAt is the performance.now() (ms since navigation
# started) at which it last became so; a rerun or a late chart clears it.  __t notes when the
# first run started, when the last run ended, and how many runs there were.
SETTLE_WATCH = """(() => {
  const drawn = %s;
  const t = window.__t = {firstRun: null, lastIdle: null, runs: 0};
  window.__settledAt = null;
  const state = () => { const a = document.querySelector('[data-testid=stApp]');
                        return a && a.getAttribute('data-test-script-state'); };
  new MutationObserver(() => {  // every change of the script state, however short the run
    const s = state(), now = performance.now();
    if (s === 'running' && t.last !== 'running') { t.runs += 1; if (t.firstRun === null) t.firstRun = now; }
    if (s === 'notRunning' && t.last === 'running') t.lastIdle = now;
    t.last = s;
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
  setInterval(() => {
    const ok = t.runs > 0 && state() === 'notRunning' && drawn();
    if (!ok) window.__settledAt = null;
    else if (window.__settledAt === null) window.__settledAt = performance.now();
  }, 25);
})();""" % DRAWN


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(data_dir: Path, log_path: Path):
    """Run `streamlit run app.py` on 127.0.0.1 with `data_dir`; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data_dir)}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true", f"--server.port={port}",
             "--server.address=127.0.0.1", "--server.fileWatcherType=none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):
                try:
                    if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                        break
                except OSError:
                    time.sleep(0.25)
            else:
                raise RuntimeError("streamlit never became healthy: " + log_path.read_text()[-500:])
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def launch(playwright):
    """Debian's chromium, headless, with CHROMIUM_ARGS."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_idle(page, timeout: int = 60_000) -> None:
    """Wait until the Streamlit script has finished its run."""
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_timeout(500)


def new_tab(browser, viewport: str):
    """A fresh context (no cache, no cookies) with the viewport's size; a phone gets touch, a
    phone's User-Agent (so the server sends the phone variants) and a mobile layout.  The settle watch is installed in every page it opens."""
    phone = viewport == "phone"
    ctx = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN", is_mobile=phone, has_touch=phone,
                              **({"user_agent": PHONE_UA} if phone else {}))
    ctx.add_init_script(SETTLE_WATCH)
    return ctx


def timed_load(ctx, url: str, quiet_ms: int = 600, timeout: int = 300_000) -> dict:
    """Open `url` in a new tab of `ctx`: ms from navigation start until the page settled (and
    stayed so for `quiet_ms`), until its first script run started and its last one ended, the
    number of runs, the websocket frames the server sent meanwhile, page errors."""
    frames: list[bytes] = []
    errors: list[str] = []
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)[:200]))
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(
        f if isinstance(f, bytes) else f.encode())))
    page.goto(url)
    page.wait_for_function(f"() => window.__settledAt !== null && performance.now() - window.__settledAt > {quiet_ms}",
                           polling=50, timeout=timeout)
    settle, marks = page.evaluate("[window.__settledAt, window.__t]")
    exc = page.locator("[data-testid=stException]")
    if exc.count():
        errors.append(exc.first.inner_text()[:200])
    page.close()
    return {"settle_ms": settle, "frames": frames, "errors": errors, "first_run_ms": marks["firstRun"],
            "last_idle_ms": marks["lastIdle"], "runs": marks["runs"]}

"""Helpers for the real-browser tests: a Streamlit server on a free port and Debian's chromium."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
# WebGL through SwiftShader so deck.gl renders headless; no background traffic (offline machines)
CHROMIUM_ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-dev-shm-usage"]


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


@contextmanager
def app_in_chromium(data_dir: Path, log_name: str):
    """A server on `data_dir` (its log in artifacts/`log_name`) and Debian's chromium; yields (url, browser)."""
    from playwright import sync_api as playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with server(data_dir, ARTIFACTS / log_name) as url:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield url, browser
            finally:
                browser.close()


def wait_idle(page, timeout: int = 60_000) -> None:
    """Wait until the Streamlit script has finished its run."""
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
    page.wait_for_timeout(500)

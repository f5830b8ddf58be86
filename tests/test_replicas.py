"""The whole arrangement of issue 17 on this machine, started and stopped by the test: moto's S3
server on loopback, three app replicas (each with its own cache, as on three machines) behind
Debian's nginx run from deploy/nginx-conf.sh, an import published from a separate process, and
one replica killed under load."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import fixture_data
import pytest
from browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, wait_idle
from playwright import sync_api as playwright
from s3server import free_port, wait_for_port

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"
STREET = "德胜"


def healthy(url: str, seconds: float = 90) -> None:
    """Until url/_stcore/health answers ok."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"{url} never became healthy")


@contextmanager
def process(args: list[str], env: dict, log: Path):
    """A child process (its output in `log`), stopped at the end."""
    with open(log, "w") as out:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def replica_args(port: int) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true", f"--server.port={port}",
            "--server.address=127.0.0.1", "--server.fileWatcherType=none"]


def stamp_id(page) -> str:
    """The snapshot id the page's stamp shows (once the page has one)."""
    page.wait_for_selector("text=/\\d{8}T\\d{6}-/", timeout=60_000)
    text = page.locator("[data-testid=stCaptionContainer]", has_text="快照").first.inner_text()
    return re.search(r"快照\s*(\d{8}T\d{6}-[\w-]+)", text).group(1)


def shows_snapshot(page, url: str, sid: str, seconds: float = 60) -> bool:
    """Open `url` until its stamp names `sid` (a replica notices CURRENT within its interval)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page.goto(url)
        wait_idle(page)
        if stamp_id(page) == sid:
            return True
        time.sleep(0.5)
    return False


def routes(access_log: Path) -> dict[str, str]:
    """{stickiness cookie: replica address} from nginx's access log."""
    out = {}
    for line in access_log.read_text().splitlines():
        m = re.search(r"route=(\S+) upstream=(.+?) rt=", line)
        if m and m.group(2) != "-":
            out[m.group(1)] = m.group(2).split(", ")[-1]     # after a retry: the replica that answered
    return out


def test_replicas_behind_nginx_follow_a_publish_and_survive_a_killed_replica(bucket, s3, tmp_path):
    first = fixture_data.build(bucket.loc)
    config = tmp_path / "dashboard.toml"
    config.write_text("snapshot_refresh_s = 1\nsmall_sample_min = 2\n", encoding="utf-8")
    env = {**os.environ, **s3.env(), "DASHBOARD_DATA_DIR": bucket.loc, "DASHBOARD_CONFIG": str(config)}
    ports = [free_port() for _ in range(3)]
    listen, run = free_port(), tmp_path / "nginx"
    ARTIFACTS.mkdir(exist_ok=True)
    with ExitStack() as stack:
        replicas = {f"127.0.0.1:{p}": stack.enter_context(process(
            replica_args(p), {**env, "DASHBOARD_CACHE_DIR": str(tmp_path / f"cache-{p}")},
            ARTIFACTS / f"replica-{i}.log")) for i, p in enumerate(ports)}
        for p in ports:
            healthy(f"http://127.0.0.1:{p}")
        conf = subprocess.run(["bash", "deploy/nginx-conf.sh", f"127.0.0.1:{listen}", str(run), *replicas],
                              cwd=ROOT, capture_output=True, text=True, check=True).stdout
        (run / "nginx.conf").write_text(conf)
        stack.enter_context(process([NGINX, "-p", str(run), "-e", str(run / "error.log"), "-c",
                                     str(run / "nginx.conf"), "-g", "daemon off;"], env, ARTIFACTS / "nginx.log"))
        wait_for_port(listen)
        front = f"http://127.0.0.1:{listen}"
        healthy(front)

        browser = stack.enter_context(playwright.sync_playwright()).chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        direct = browser.new_page(viewport={"width": 1440, "height": 1000})
        for address in replicas:                                   # every replica serves the first
            assert shows_snapshot(direct, f"http://{address}/", first)

        # a publish from a separate process: the import job, as from another machine
        csv_file = tmp_path / "t.csv"
        csv_file.write_text("工单编号,创建时间,被反映街乡镇,一级分类,是否有效回访,是否联系,是否解决,是否满意\n"
                            "X1,2024-03-30 10:00,德胜街道,供暖,是,是,是,满意\n", encoding="utf-8")
        job = subprocess.run([sys.executable, "-m", "dashboard", "import", str(csv_file), "--kind", "tickets"],
                             cwd=ROOT, env={**env, "DASHBOARD_CACHE_DIR": str(tmp_path / "cache-job")},
                             capture_output=True, text=True, timeout=300)
        assert job.returncode == 0, job.stderr
        second = re.search(r"已发布快照 (\d{8}T\d{6}-[\w-]+)", job.stdout).group(1)
        assert bucket.read("CURRENT").decode().strip() == second != first
        for address in replicas:                                   # ... and every replica the new one
            assert shows_snapshot(direct, f"http://{address}/", second), address

        # sessions through nginx, each with its own stickiness cookie, the filter in the URL
        sessions = []
        for _ in range(4):
            ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
            page = ctx.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.goto(f"{front}/?street={STREET}")
            wait_idle(page)
            cookie = next(c["value"] for c in ctx.cookies() if c["name"] == "dashboard_route")
            sessions.append((page, errors, cookie, page.url))
        route = routes(run / "access.log")
        victim = route[sessions[0][2]]
        for s in sessions:     # the URL now holds the street's code, the filter the page applies
            assert stamp_id(s[0]) == second and re.search(r"street=\d+", s[3]), s[3]

        # load through nginx while the victim dies: page loads and health checks, new and pinned cookies
        statuses: list[int] = []
        stop = threading.Event()

        def load():
            while not stop.is_set():
                for path, cookie in (("/", uuid.uuid4().hex), ("/_stcore/health", sessions[0][2]),
                                     (f"/?street={urllib.parse.quote(STREET)}", sessions[0][2])):
                    req = urllib.request.Request(front + path, headers={"Cookie": f"dashboard_route={cookie}"})
                    try:
                        with urllib.request.urlopen(req, timeout=10) as r:
                            statuses.append(r.status)
                    except urllib.error.HTTPError as e:
                        statuses.append(e.code)
                    except OSError:
                        statuses.append(0)
                    stop.wait(0.2)          # a user's pace, well inside nginx's rate limit

        workers = [threading.Thread(target=load, daemon=True) for _ in range(3)]
        for w in workers:
            w.start()
        time.sleep(1)
        replicas[victim].send_signal(signal.SIGKILL)
        replicas[victim].wait()
        time.sleep(3)

        for page, errors, cookie, before in sessions:              # every session carries on
            page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=60_000)
            wait_idle(page)
            assert stamp_id(page) == second and page.url == before   # same snapshot, same filters
            assert page.locator("[data-testid=stException]").count() == 0
            assert page.get_by_text("Connection error").count() == 0
            assert not errors, errors
        page = sessions[0][0]                                      # the victim's session: one more click
        page.get_by_role("link", name="成效评估").first.click()
        page.wait_for_selector("h1:has-text('成效评估')", timeout=60_000)   # drawn by a live replica
        wait_idle(page)
        assert stamp_id(page) == second and page.locator("[data-testid=stException]").count() == 0
        stop.set()
        for w in workers:
            w.join(timeout=30)
        assert len(statuses) > 30 and set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}
        after_kill = routes(run / "access.log")
        assert after_kill[sessions[0][2]] != victim                 # the cookie moved to a live replica

        def hit(_):
            try:
                return urllib.request.urlopen(front + "/", timeout=30).status
            except urllib.error.HTTPError as e:
                return e.code

        with ThreadPoolExecutor(16) as pool:                       # and a flood is cut off by the rate limit
            burst = list(pool.map(hit, range(600)))
        assert set(burst) == {200, 429}

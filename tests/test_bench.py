"""A smoke run of `python -m dashboard bench`, so the command cannot rot.

Tiny on purpose (10k tickets, one run, a 2-second load, the overview's reruns only, no browser):
it checks that every step runs and the last line keeps its format, not how fast anything is.
"""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAST = re.compile(r"tickets=(\d+) overview_query_p50_ms=([\d.]+) overview_rerun_p50_ms=([\d.]+) "
                  r"naive_p50_ms=([\d.]+) speedup=([\d.]+) rss_mb=(nan|\d+) errors=(\d+)")


def test_bench_smoke(tmp_path):
    cmd = [sys.executable, "-m", "dashboard", "bench", "--tickets", "10000", "--runs", "1",
           "--concurrency-seconds", "2", "--sessions", "3", "--think-ms", "100", "--pages", "overview",
           "--no-browser", "--dir", str(tmp_path)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    m = LAST.fullmatch(lines[-1])
    assert m, lines[-1]
    tickets, query_ms, rerun_ms, naive_ms, speedup, rss, errors = m.groups()
    assert 9_000 <= int(tickets) <= 11_000
    assert 0 < float(query_ms) < 10_000 and 0 < float(rerun_ms) < 60_000 and 0 < float(naive_ms) < 60_000
    assert float(speedup) > 0 and rss == "nan" and errors == "0"
    out = done.stdout
    for section in ("queries, ms", "page reruns through AppTest", "load: 3 sessions", "targets at"):
        assert section in out, section
    # the next run reuses the snapshot instead of building it again
    from dashboard.bench import builds
    assert builds.ensure_build(10000, 2024, tmp_path).reused

"""A smoke run of `python -m dashboard bench`, so the command cannot rot, and the bench's pure
parts (target evaluation, payload sums) on made-up figures worked out by hand.

The smoke run is tiny on purpose (10k tickets, one run, a 2-second load, the overview's reruns
only, no browser): it checks that every step runs and the last line keeps its format, not how
fast anything is.  Nothing here is timed.
"""
import math
import re
import subprocess
import sys
from pathlib import Path

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.bench import payload, targets

ROOT = Path(__file__).resolve().parent.parent
LAST = re.compile(r"tickets=(\d+) overview_query_p50_ms=([\d.]+) overview_rerun_p50_ms=([\d.]+) "
                  r"naive_p50_ms=([\d.]+) speedup=([\d.]+) rss_mb=(nan|\d+) errors=(\d+)")


def test_bench_smoke(tmp_path):
    cmd = [sys.executable, "-m", "dashboard", "bench", "--tickets", "10000", "--runs", "1",
           "--concurrency-seconds", "2", "--sessions", "3", "--processes", "2", "--think-ms", "100", "--pages", "overview",
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
    for section in ("queries, ms", "page renders through AppTest", "load: 3 sessions for 2 s on 2 app processes",
                    "per page at", "targets at"):
        assert section in out, section
    per_process = re.search(r"page views per process: (\d+), (\d+)\)", out)
    assert per_process and min(map(int, per_process.groups())) > 0     # both processes served their sessions
    # the next run reuses the snapshot instead of building it again
    from dashboard.bench import builds
    assert builds.ensure_build(10000, 2024, tmp_path).reused


def made_up_results(**load) -> dict:
    per_page = {"overview": {"desktop": 2400.0, "phone": 1800.0, "first": 700.0, "change": 120.0},
                "map": {"desktop": 1900.0, "phone": 2100.0, "first": 900.0, "change": math.nan},
                "items": {"desktop": 800.0, "phone": 700.0, "first": 150.0, "change": 510.0}}
    return {"per_page": per_page, "overview_query_worst_ms": 31.0, "overview_query_worst": "street_counts",
            "speedup": 12.0, "rss_mb": 900.0, "build_s": 95.0, "build_rss_mb": 2000.0, "errors": 0,
            "load_p95_ms": 1400.0, "load_errors": 2, "load_worst_page": "hotline", **load}


def test_targets_name_the_worst_page_and_judge_each_line():
    lines = targets.evaluate(made_up_results(load_sessions=50, load_seconds=60))
    desktop, phone, first, rerun, p95, load_errors, query, speedup, rss, build, build_rss, errors = lines
    assert "desktop" in desktop.label and "phone" in phone.label
    assert (desktop.where, desktop.value, desktop.status) == ("overview", 2400.0, "MISSED")
    assert (phone.where, phone.value, phone.status) == ("map", 2100.0, "MISSED")
    assert (first.where, first.value, first.status) == ("map", 900.0, "MISSED")     # 900 > 800
    assert (rerun.where, rerun.value, rerun.status) == ("items", 510.0, "MISSED")   # NaN ignored, 510 > 500
    assert (p95.value, p95.status, load_errors.value, load_errors.status) == (1400.0, "met", 2, "MISSED")
    assert "hotline" in p95.where and "50 sessions × 60 s" in p95.where
    assert (query.where, query.status) == ("street_counts", "MISSED")                # 31 > 30
    assert [x.status for x in (speedup, rss, build, build_rss, errors)] == ["met", "met", "MISSED", "met", "met"]


def test_a_lighter_load_is_not_measured_against_the_target():
    lines = targets.evaluate(made_up_results(load_sessions=20, load_seconds=60))
    load = [line for line in lines if line.label.startswith("load")]
    assert [line.status for line in load] == ["not measured", "not measured"]
    assert "lighter" in load[0].where


def test_a_line_on_its_target_is_met_and_nothing_measured_is_said_so():
    assert targets.Line("x", 2000.0, "p", "ms", 2000).status == "met"
    assert targets.Line("x", 9.9, "p", "×", 10, higher=True).status == "MISSED"
    assert targets.Line("x", math.nan, "p", "ms", 10).status == "not measured"
    page, value = targets.worst({"a": {"desktop": math.nan}, "b": {}}, "desktop")
    assert page == "—" and math.isnan(value)


def frame(path: list[int], build) -> bytes:
    msg = ForwardMsg()
    msg.metadata.delta_path[:] = path
    build(msg)
    return msg.SerializeToString()


def test_payload_sums_frames_by_element_type_and_screen():
    frames = [
        frame([0, 0], lambda m: m.delta.new_element.markdown.__setattr__("body", "总览")),
        frame([0, 1], lambda m: m.delta.add_block.__setattr__("id", "$$ID-abc-phoneonly_ranking")),
        frame([0, 1, 0], lambda m: m.delta.new_element.markdown.__setattr__("body", "x" * 300)),
        frame([0, 2], lambda m: m.delta.new_element.vega_lite_chart.__setattr__("spec", "{}" * 500)),
        frame([0, 2, 0], lambda m: m.delta.new_element.markdown.__setattr__("body", "外")),  # a sibling's path
        frame([], lambda m: m.__setattr__("script_finished", 1)),
    ]
    sizes = [len(f) for f in frames]
    p = payload.breakdown(frames)
    assert p.total == sum(sizes) and p.messages == 6
    assert p.by_type["markdown"] == sizes[0] + sizes[2] + sizes[4]
    assert p.by_type["block"] == sizes[1] and p.by_type["vega_lite_chart"] == sizes[3]
    assert p.by_type["script_finished"] == sizes[5]
    assert dict(p.by_screen) == {"phoneonly": sizes[1] + sizes[2]}
    assert payload.top_types(p, 1) == f"vega_lite_chart {sizes[3] / 1000:,.1f} kB"

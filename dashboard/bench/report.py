"""The run and the report of `python -m dashboard bench`: one size after another, its tables,
the targets of issue 7 met or missed, and the summary line."""
from __future__ import annotations

import logging
import math
import os
from pathlib import Path

from ..core.pages import PAGES
from .builds import bench_root, ensure_build
from .measure import measure_scenarios, query_key
from .stats import p50, p95

TARGETS = {"overview_query_ms": 30, "overview_rerun_ms": 400, "page_rerun_ms": 1000, "speedup": 10,
           "rss_mb": 1024, "build_s": 90, "build_rss_mb": 3072, "load_p95_ms": 2000}


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "?")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {model}, {mem:.0f} GiB RAM"


def _f(x: float, nd: int = 1) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{nd}f}"


def _ok(value: float, target: float, higher: bool = False) -> str:
    if value is None or math.isnan(value):
        return "not measured"
    return "met" if (value >= target if higher else value <= target) else "MISSED"


def measure_size(tickets: int, opts, largest: bool, out=print) -> dict:
    """Everything for one size; prints its tables and returns the summary figures."""
    from .. import ui
    from . import app as bench_app
    from . import naive as bench_naive

    b = ensure_build(tickets, opts.seed, bench_root(opts.dir), opts.rebuild, say=out)
    info = b.info
    os.environ["DASHBOARD_DATA_DIR"] = str(b.data_dir)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    choices = ui.load_choices(info.id)  # the app's own choices, cached per snapshot id
    out(f"\n== {info.row_counts['tickets']:,} tickets · snapshot {info.id} · 数据截至 {info.data_as_of} "
        f"· {b.data_dir} ==")
    out(f"build: {b.seconds:.1f} s, peak RSS {b.peak_rss_mb:,.0f} MB"
        f"{' (built earlier, reused)' if b.reused else ''}")

    rows = measure_scenarios(info, choices, opts.runs)
    bench_naive.measure(info, rows, max(1, min(opts.runs, 3)))
    out(f"\nqueries, ms (cold: result cache cleared + fresh database; warm: repeated; {opts.runs} runs; "
        "naive: pandas over tickets.parquet)")
    out(f"{'page':<11}{'interaction':<15}{'query':<22}{'cold p50':>9}{'p95':>8}{'warm p50':>9}{'p95':>7}"
        f"{'naive p50':>11}{'rows':>7}")
    shown: set = set()
    totals: dict[tuple[str, str], list[float]] = {}
    for r in rows:
        key = (r["page"], *query_key(r["query"], r["params"]))
        total = totals.setdefault((r["page"], r["interaction"]), [0.0, 0.0])
        total[0] += p50(r["cold"])
        if key in shown:  # the same query as this page's default view: a cache hit in the app
            continue
        shown.add(key)
        total[1] += p50(r["cold"])
        out(f"{r['page']:<11}{r['interaction']:<15}{r['label']:<22}{_f(p50(r['cold'])):>9}{_f(p95(r['cold'])):>8}"
            f"{_f(p50(r['warm']), 2):>9}{_f(p95(r['warm']), 2):>7}{_f(p50(r.get('naive', []))):>11}{r['rows']:>7}")
    out("(a query an interaction leaves unchanged is listed once, under the page's default view)")
    out("\nper view, sum of cold p50, ms: all its queries / only those the interaction changes")
    for (page, inter), (every, changed) in totals.items():
        out(f"  {page:<11}{inter:<15}{every:>9.1f}{changed:>9.1f}")

    ov = [r for r in rows if r["page"] == "overview"]
    res = {"tickets": info.row_counts["tickets"], "build_s": b.seconds, "build_rss_mb": b.peak_rss_mb,
           "overview_query_p50_ms": p50([p50(r["cold"]) for r in ov]),
           "overview_query_worst_ms": max(p50(r["cold"]) for r in ov),
           "naive_p50_ms": p50([p50(r["naive"]) for r in ov if "naive" in r]),
           "overview_rerun_p50_ms": math.nan, "page_rerun_worst_ms": math.nan, "rss_mb": math.nan,
           "overview_first_p50_ms": math.nan, "page_first_worst_ms": math.nan,
           "errors": 0, "load_p95_ms": math.nan}
    res["speedup"] = res["naive_p50_ms"] / res["overview_query_p50_ms"]

    if opts.apptest:
        pages = opts.pages or [p.key for p in PAGES]
        reruns = bench_app.page_reruns(b.data_dir, pages, opts.runs, list(choices.streets))
        out(f"\npage reruns through AppTest, ms ({opts.runs} runs; first: a session's first render of the page, "
            "query cache cleared; change: after a new street is picked (overview: in the sidebar; other pages: "
            "a session arriving with it in the URL); warm: run again)")
        out(f"{'page':<11}{'first p50':>10}{'p95':>8}{'change p50':>11}{'p95':>8}{'warm p50':>9}{'p95':>8}{'errors':>7}")
        for page, r in reruns.items():
            out(f"{page:<11}{_f(p50(r['first'])):>10}{_f(p95(r['first'])):>8}{_f(p50(r['change'])):>11}"
                f"{_f(p95(r['change'])):>8}{_f(p50(r['warm'])):>9}{_f(p95(r['warm'])):>8}{len(r['errors']):>7}")
            for e in r["errors"][:3]:
                out(f"    error: {e}")
            res["errors"] += len(r["errors"])
        if "overview" in reruns:
            res["overview_rerun_p50_ms"] = p50(reruns["overview"]["change"])
            res["overview_first_p50_ms"] = p50(reruns["overview"]["first"])
        others = {p: r for p, r in reruns.items() if p != "overview"}
        if others:
            res["page_rerun_worst_ms"] = max(p50(r["change"]) for r in others.values())
            res["page_first_worst_ms"] = max(p50(r["first"]) for r in others.values())

    if largest and opts.browser:
        rss = bench_app.server_rss(b.data_dir, b.data_dir / "server.log")
        res["rss_mb"] = rss.get("VmHWM", math.nan)
        res["errors"] += len(rss["errors"])
        out(f"\nserver (streamlit run app.py) after Chromium rendered every page: VmHWM {_f(rss.get('VmHWM'), 0)} MB, "
            f"VmRSS {_f(rss.get('VmRSS'), 0)} MB (idle before: {_f(rss['idle'].get('VmRSS'), 0)} MB); "
            "page loads ms: " + ", ".join(f"{k} {v:,.0f}" for k, v in rss["pages"].items()))
        for e in rss["errors"][:5]:
            out(f"    error: {e}")

    if largest and opts.bucket:  # issue 17: the same snapshot served from a bucket (bench/bucket.py)
        from . import bucket as bench_bucket
        extra = bench_bucket.measure(b, choices, opts, out)
        res["errors"] += extra.pop("errors")
        res.update(extra)

    if largest and opts.concurrency_seconds > 0:
        load = bench_app.load(info, choices, opts.sessions, opts.concurrency_seconds, opts.think_ms)
        lat = [ms for _, ms in load["views"]]
        res["load_p95_ms"] = p95(lat)
        res["errors"] += len(load["errors"])
        out(f"\nload: {opts.sessions} sessions for {opts.concurrency_seconds:g} s, each changing filters "
            f"(pause 0–{opts.think_ms:g} ms between views): {len(lat):,} page views, {len(load['errors'])} errors, "
            f"latency p50 {_f(p50(lat))} ms, p95 {_f(p95(lat))} ms")
        for page in bench_app.PAGE_MIX:
            xs = [ms for p, ms in load["views"] if p == page]
            out(f"  {page:<11}{len(xs):>6} views  p50 {_f(p50(xs)):>9} ms  p95 {_f(p95(xs)):>9} ms")
        for e in load["errors"][:5]:
            out(f"    error: {e}")
    return res


def report_targets(res: dict, out=print) -> None:
    t = TARGETS
    out(f"\ntargets at {res['tickets']:,} tickets:")
    lines = [
        ("median query behind an overview interaction (worst query)", res["overview_query_worst_ms"], "ms",
         t["overview_query_ms"], False),
        ("whole overview rerun after a filter change, p50", res["overview_rerun_p50_ms"], "ms",
         t["overview_rerun_ms"], False),
        ("whole overview, a session's first render (cold cache), p50", res["overview_first_p50_ms"], "ms",
         t["overview_rerun_ms"], False),
        ("every other page's rerun after a filter change, worst p50", res["page_rerun_worst_ms"], "ms",
         t["page_rerun_ms"], False),
        ("every other page's first render (cold cache), worst p50", res["page_first_worst_ms"], "ms",
         t["page_rerun_ms"], False),
        ("speedup over the naive baseline (median query)", res["speedup"], "×", t["speedup"], True),
        ("server peak RSS after every page", res["rss_mb"], "MB", t["rss_mb"], False),
        ("load p95", res["load_p95_ms"], "ms", t["load_p95_ms"], False),
        ("demo build time", res["build_s"], "s", t["build_s"], False),
        ("demo build peak RSS", res["build_rss_mb"], "MB", t["build_rss_mb"], False),
    ]
    for label, value, unit, target, higher in lines:
        out(f"  {label:<60}{_f(value):>10} {unit:<3} target {'≥' if higher else '≤'} {target:<6} "
            f"{_ok(value, target, higher)}")
    out(f"  {'errors (AppTest, browser, load)':<60}{res['errors']:>10}     target = 0      "
        f"{'met' if res['errors'] == 0 else 'MISSED'}")


def summary_line(res: dict) -> str:
    return (f"tickets={res['tickets']} overview_query_p50_ms={res['overview_query_p50_ms']:.1f} "
            f"overview_rerun_p50_ms={res['overview_rerun_p50_ms']:.1f} naive_p50_ms={res['naive_p50_ms']:.1f} "
            f"speedup={res['speedup']:.1f} rss_mb={res['rss_mb']:.0f} errors={res['errors']}")


def main(opts, out=print) -> int:
    """Run the benchmark for every size in opts.tickets; the last line sums up the largest."""
    sizes = sorted(opts.tickets)
    out(f"machine: {machine()}; other work on it makes timings noisy, so medians are reported")
    results = [measure_size(n, opts, n == sizes[-1], out) for n in sizes]
    for res in results:
        report_targets(res, out)
    out(summary_line(results[-1]))
    return 0

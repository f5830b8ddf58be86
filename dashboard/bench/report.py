"""The run and the report of `python -m dashboard bench`: one size after another, its tables,
the per-page table, the targets of issues 7 and 16 met or missed, and the summary line."""
from __future__ import annotations

import logging
import math
import os
from pathlib import Path

from ..core.pages import PAGES
from .builds import bench_root, ensure_build
from .measure import measure_scenarios, query_key
from .payload import top_types
from .stats import p50, p95
from .targets import evaluate

def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "?")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {model}, {mem:.0f} GiB RAM"


def _f(x: float, nd: int = 1) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{nd}f}"


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
    out(f"{'page':<14}{'interaction':<15}{'query':<22}{'cold p50':>9}{'p95':>8}{'warm p50':>9}{'p95':>7}"
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
        out(f"{r['page']:<14}{r['interaction']:<15}{r['label']:<22}{_f(p50(r['cold'])):>9}{_f(p95(r['cold'])):>8}"
            f"{_f(p50(r['warm']), 2):>9}{_f(p95(r['warm']), 2):>7}{_f(p50(r.get('naive', []))):>11}{r['rows']:>7}")
    out("(a query an interaction leaves unchanged is listed once, under the page's default view)")
    out("\nper view, sum of cold p50, ms: all its queries / only those the interaction changes")
    for (page, inter), (every, changed) in totals.items():
        out(f"  {page:<14}{inter:<15}{every:>9.1f}{changed:>9.1f}")

    ov = [r for r in rows if r["page"] == "overview"]
    worst_ov = max(ov, key=lambda r: p50(r["cold"]))
    res = {"tickets": info.row_counts["tickets"], "build_s": b.seconds, "build_rss_mb": b.peak_rss_mb,
           "overview_query_p50_ms": p50([p50(r["cold"]) for r in ov]),
           "overview_query_worst_ms": p50(worst_ov["cold"]),
           "overview_query_worst": f"{worst_ov['label']} ({worst_ov['interaction']})",
           "naive_p50_ms": p50([p50(r["naive"]) for r in ov if "naive" in r]),
           "overview_rerun_p50_ms": math.nan, "rss_mb": math.nan, "errors": 0, "load_p95_ms": math.nan,
           "per_page": {}}
    res["speedup"] = res["naive_p50_ms"] / res["overview_query_p50_ms"]
    pages = opts.pages or [p.key for p in PAGES]
    per_page = res["per_page"]

    if opts.apptest:
        reruns = bench_app.page_reruns(b.data_dir, pages, opts.runs, list(choices.streets))
        out(f"\npage renders through AppTest, ms ({opts.runs} runs; first: a session's first render of the page, "
            "every result cache cleared; change: the rerun after a new street is picked in the sidebar (a page without "
            "the shared filters: a plain rerun); warm: run again)")
        out(f"{'page':<14}{'first p50':>10}{'p95':>8}{'change p50':>11}{'p95':>8}{'warm p50':>9}{'p95':>8}{'errors':>7}")
        for page, r in reruns.items():
            out(f"{page:<14}{_f(p50(r['first'])):>10}{_f(p95(r['first'])):>8}{_f(p50(r['change'])):>11}"
                f"{_f(p95(r['change'])):>8}{_f(p50(r['warm'])):>9}{_f(p95(r['warm'])):>8}{len(r['errors']):>7}")
            for e in r["errors"][:3]:
                out(f"    error: {e}")
            res["errors"] += len(r["errors"])
            per_page.setdefault(page, {}).update(first=p50(r["first"]), change=p50(r["change"]))
        if "overview" in reruns:
            res["overview_rerun_p50_ms"] = p50(reruns["overview"]["change"])

    if opts.browser:
        seen = bench_app.browser_pages(b.data_dir, b.data_dir / "server.log", pages, opts.browser_runs)
        res["rss_mb"] = seen.get("VmHWM", math.nan)
        res["errors"] += len(seen["errors"])
        out(f"\nreal browser (Chromium, SwiftShader WebGL), settle ms: navigation to script idle with every "
            f"visible chart and map drawn; first load, then p50 of {opts.browser_runs} loads, each in a new tab; "
            "payload: bytes the server sent over the websocket (last load), its largest element types")
        for page, r in seen["pages"].items():
            per_page.setdefault(page, {}).update(
                desktop=p50(r["desktop"]), phone=p50(r["phone"]), desktop_first=r["desktop_first"],
                phone_first=r["phone_first"], payload_desktop=r["desktop_payload"].total,
                payload_phone=r["phone_payload"].total)
            for vp in ("desktop", "phone"):
                pay, marks = r[f"{vp}_payload"], r[f"{vp}_marks"]
                screen = ", ".join(f"{k} {v / 1000:,.1f} kB" for k, v in pay.by_screen.items())
                out(f"  {page:<14}{vp:<8} first {_f(r[f'{vp}_first'], 0):>7}  p50 {_f(p50(r[vp]), 0):>7}  (runs "
                    f"{_f(marks['runs'], 0)}: first starts {_f(marks['first_run_ms'], 0)}, last ends "
                    f"{_f(marks['last_idle_ms'], 0)})  {pay.total / 1000:,.1f} kB in {pay.messages} msgs: {top_types(pay)}"
                    f"{f' (screen-only: {screen})' if screen else ''}")
        out(f"server (streamlit run app.py) after every page and the map with both layers: VmHWM "
            f"{_f(seen.get('VmHWM'), 0)} MB, VmRSS {_f(seen.get('VmRSS'), 0)} MB "
            f"(idle before: {_f(seen['idle'].get('VmRSS'), 0)} MB)")
        for e in seen["errors"][:5]:
            out(f"    error: {e}")

    if largest and opts.bucket:  # issue 17: the same snapshot served from a bucket (bench/bucket.py)
        from . import bucket as bench_bucket
        extra = bench_bucket.measure(b, choices, opts, out)
        res["errors"] += extra.pop("errors")
        res.update(extra)

    if largest and opts.concurrency_seconds > 0:
        load = bench_app.load(info, choices, opts.sessions, opts.concurrency_seconds, opts.think_ms,
                              processes=opts.processes)
        lat = [ms for _, ms in load["views"]]
        by_page = {page: [ms for p, ms in load["views"] if p == page] for page in bench_app.PAGE_MIX}
        res.update(load_p95_ms=p95(lat), load_errors=len(load["errors"]), load_sessions=opts.sessions,
                   load_seconds=opts.concurrency_seconds, load_processes=opts.processes,
                   load_worst_page=max(by_page, key=lambda k: p95(by_page[k]) if by_page[k] else -1))
        res["errors"] += len(load["errors"])
        out(f"\nload: {opts.sessions} sessions for {opts.concurrency_seconds:g} s on {opts.processes} app process"
            f"{'es' if opts.processes > 1 else ''} (sessions shared out as nginx does over deploy/run-replicas.sh), "
            "each changing filters "
            f"(pause 0–{opts.think_ms:g} ms between views; the pages' view functions, not Streamlit): "
            f"{len(lat):,} page views, {len(load['errors'])} errors, latency p50 {_f(p50(lat))} ms, p95 {_f(p95(lat))} ms"
            f" (page views per process: {', '.join(f'{n:,}' for n in load['per_process'])})")
        for page, xs in by_page.items():
            out(f"  {page:<14}{len(xs):>6} views  p50 {_f(p50(xs)):>9} ms  p95 {_f(p95(xs)):>9} ms")
        for e in load["errors"][:5]:
            out(f"    error: {e}")
    return res


COLUMNS = (("desktop settle", "desktop", "ms"), ("phone settle", "phone", "ms"), ("first render", "first", "ms"),
           ("rerun", "change", "ms"), ("payload desktop", "payload_desktop", "kB"),
           ("payload phone", "payload_phone", "kB"))


def report_pages(res: dict, out=print) -> None:
    """The per-page table: browser settle p50 per viewport, server first render and rerun p50, payload."""
    out(f"\nper page at {res['tickets']:,} tickets (p50):")
    out(f"  {'page':<14}" + "".join(f"{title:>17}" for title, _, _ in COLUMNS))
    for page, v in res["per_page"].items():
        cells = [v.get(key, math.nan) for _, key, _ in COLUMNS]
        out(f"  {page:<14}" + "".join(f"{_f(c / 1000 if unit == 'kB' else c, 0):>14} {unit}"
                                     for c, (_, _, unit) in zip(cells, COLUMNS)))


def report_targets(res: dict, out=print) -> None:
    """The target table: each line's measured worst value, where, and met / MISSED."""
    out(f"\ntargets at {res['tickets']:,} tickets:")
    for line in evaluate(res):
        out(f"  {line.label:<60}{_f(line.value, 1 if line.unit else 0):>10} {line.unit:<3} target {'≥' if line.higher else '≤'} "
            f"{line.target:<6} {line.status:<13} {line.where}")


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
        report_pages(res, out)
        report_targets(res, out)
    out(summary_line(results[-1]))
    return 0

"""`python -m dashboard bench`: the performance figures of issue 7, measured in one run.

For each size (demo snapshots of N tickets, built once per size and seed in a scratch
folder and reused): the build's time and peak RSS; every query behind each page's
default view and typical interactions, cold (result cache cleared, fresh database)
and warm (repeated); the same overview queries done the naive way (pandas over
tickets.parquet, no rollups, no caching); each page's whole server-side rerun through
AppTest.  For the largest size also: the peak RSS of a real server after a browser
has rendered every page, and many sessions changing filters at once.

The page -> query list below mirrors the pages (pages/*.py): params are built with
the pages' own helpers (ui.Context.params, periods), from the snapshot's data_as_of.
The last printed line is the summary the issue asks for.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core import config, periods, schema
from ..core.filters import FilterState
from ..views.context import make_context
from ..store import db, query, snapshot, sql

ROOT = config.PROJECT_ROOT
DEFAULT_SIZES = (1_000_000, 10_000_000)
TARGETS = {"overview_query_ms": 30, "overview_rerun_ms": 400, "page_rerun_ms": 1000, "speedup": 10,
           "rss_mb": 1024, "build_s": 90, "build_rss_mb": 3072, "load_p95_ms": 2000}


# --- statistics ------------------------------------------------------------------------------
def p50(xs: list[float]) -> float:
    return statistics.median(xs) if xs else math.nan


def p95(xs: list[float]) -> float:
    """Nearest-rank 95th percentile (with 5 runs that is the slowest)."""
    if not xs:
        return math.nan
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def timed(fn: Callable, *args, **kwargs) -> tuple[float, object]:
    """(milliseconds, result) of one call."""
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return (time.perf_counter() - t) * 1000, out


# --- data: build or reuse one demo snapshot per size and seed --------------------------------
@dataclass
class Build:
    tickets: int
    seed: int
    data_dir: Path
    info: snapshot.SnapshotInfo
    seconds: float
    peak_rss_mb: float
    reused: bool


def _recipe() -> str:
    """What a built snapshot depends on: a change here (a new rollup, say) means rebuild."""
    from ..demo import generator as demo
    from ..store import rollups
    parts = [str(schema.SCHEMA_VERSION), str(demo.GENERATOR_VERSION), json.dumps(rollups.ROLLUPS, sort_keys=True)]
    parts += [sql.load_sql(q) for q in sorted(rollups.ROLLUPS.values())]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def bench_root(override: Path | None = None) -> Path:
    return Path(override or os.environ.get("DASHBOARD_BENCH_DIR") or "/tmp/dashboard-bench")


def ensure_build(tickets: int, seed: int, root: Path, rebuild: bool = False, say=print) -> Build:
    """The data dir for `tickets` and `seed`, building the demo there (in a child process,
    to measure its time and peak RSS) unless an up-to-date one exists."""
    data_dir = root / f"{tickets}-{seed}"
    stamp = data_dir / "bench-build.json"
    recipe = _recipe()
    if not rebuild and stamp.exists():
        meta = json.loads(stamp.read_text())
        info = snapshot.current(data_dir)
        if info is not None and info.id == meta.get("snapshot") and meta.get("recipe") == recipe:
            return Build(tickets, seed, data_dir, info, meta["seconds"], meta["peak_rss_mb"], True)
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    say(f"building the {tickets:,}-ticket demo in {data_dir} …")
    cmd = [sys.executable, "-m", "dashboard", "--data-dir", str(data_dir), "demo",
           "--tickets", str(tickets), "--seed", str(seed)]
    t = time.perf_counter()
    with open(data_dir / "build.log", "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage (ru_maxrss in KiB)
    seconds = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"demo build failed, see {data_dir / 'build.log'}")
    info = snapshot.current(data_dir)
    meta = {"snapshot": info.id, "recipe": recipe, "seconds": round(seconds, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}
    stamp.write_text(json.dumps(meta))
    return Build(tickets, seed, data_dir, info, meta["seconds"], meta["peak_rss_mb"], False)


# --- what each page queries: (label, query, params), built the way the pages build them ------
def street_free(ctx, window=None) -> dict:
    return ctx.params(window, streets=False)


def overview(ctx) -> list[tuple[str, str, dict]]:
    cat = {"categories": list(ctx.state.categories), "subs": list(ctx.state.subcategories)}
    spark = periods.add_months(ctx.window.end.replace(day=1), -11)
    return [
        ("street_counts", "street_counts", street_free(ctx)),
        ("street_counts prev", "street_counts", street_free(ctx, ctx.previous)),
        ("street_counts yoy", "street_counts", street_free(ctx, ctx.year_ago)),
        ("street_monthly", "street_monthly", {"start": spark, "end": ctx.window.end, **cat}),
        ("streets", "streets", {}),
        ("category_growth", "category_growth",
         {**ctx.params(), "prev_start": ctx.previous.start, "prev_end": ctx.previous.end, "level": 1}),
    ]


def street_map(ctx, layers: tuple[str, ...] = ()) -> list[tuple[str, str, dict]]:
    out = [("street_counts", "street_counts", street_free(ctx)),
           ("street_counts prev", "street_counts", street_free(ctx, ctx.previous)),
           ("streets", "streets", {})]
    if "density" in layers:
        out.append(("ticket_grid", "ticket_grid", ctx.params()))
    if "circles" in layers:
        out.append(("circles", "circles", {"streets": []}))
    return out


def hotline(ctx, grain: str | None = None, drill: str | None = None) -> list[tuple[str, str, dict]]:
    p, prev = ctx.params(), ctx.params(ctx.previous)
    grain = grain or ("day" if ctx.window.days <= 45 else "week" if ctx.window.days <= 120 else "month")
    growth = {"prev_start": ctx.previous.start, "prev_end": ctx.previous.end}
    out = [("trend", "trend", {**p, "grain": grain}), ("trend prev", "trend", {**prev, "grain": grain}),
           ("category_growth", "category_growth", {**p, **growth, "level": 1})]
    if drill:
        out.append(("category_growth l2", "category_growth", {**p, "categories": [drill], **growth, "level": 2}))
    out += [("handling_times", "handling_times", p),
            ("hotspot_communities", "hotspot_communities", {**p, "min_population": 500}),
            ("weekday_hour", "weekday_hour", p),
            ("repeat_callers", "repeat_callers", p), ("repeat_places", "repeat_places", p),
            ("ticket_list", "ticket_list", {**p, "limit": 2000})]
    return out


def profile(ctx, focus: str | None = None) -> list[tuple[str, str, dict]]:
    code = focus or (ctx.state.streets[0] if ctx.state.streets else next(iter(ctx.choices.streets)))
    cat = {"categories": list(ctx.state.categories), "subs": list(ctx.state.subcategories)}
    hist = periods.add_months(ctx.window.end.replace(day=1), -11)
    return [
        ("street_counts", "street_counts", street_free(ctx)),
        ("street_counts prev", "street_counts", street_free(ctx, ctx.previous)),
        ("street_monthly", "street_monthly", {"start": hist, "end": ctx.window.end, **cat}),
        ("category_growth", "category_growth", {**ctx.params(), "streets": [code], "prev_start": ctx.previous.start,
                                                "prev_end": ctx.previous.end, "level": 1}),
        ("hotspot_communities", "hotspot_communities", {**ctx.params(), "streets": [code], "min_population": 0}),
        ("circles", "circles", {"streets": [code]}),
    ]


def circles(ctx) -> list[tuple[str, str, dict]]:
    return [("circles", "circles", {"streets": list(ctx.state.streets)})]


def data_admin(ctx) -> list[tuple[str, str, dict]]:
    return [("data_health", "data_health", {}), ("data_health_months", "data_health_months", {})]


def app_frame(ctx) -> list[tuple[str, str, dict]]:
    """What app.py runs once per snapshot (st.cache_data): the filter choices."""
    return [("streets", "streets", {}), ("filter_choices", "filter_choices", {})]


PAGES: dict[str, Callable] = {"overview": overview, "map": street_map, "hotline": hotline, "profile": profile,
                              "circles": circles, "data_admin": data_admin}


@dataclass(frozen=True)
class Scenario:
    page: str
    interaction: str
    state: FilterState
    page_args: dict = field(default_factory=dict)


def scenarios(choices) -> list[Scenario]:
    """Each page's default view and the typical interactions: change street, time window,
    category, plus each page's own controls."""
    codes = list(choices.streets)
    street = codes[len(codes) // 2]
    top_category = next(iter(choices.categories))
    shared = [("default", FilterState()), ("street", FilterState(streets=(street,))),
              ("window 本月", FilterState(period="month")), ("window 考核月", FilterState(period="cycle")),
              ("category", FilterState(categories=(top_category,)))]
    out = [Scenario("app", "first run", FilterState())]
    for page in ("overview", "map", "hotline", "profile"):
        out += [Scenario(page, name, state) for name, state in shared]
    out += [Scenario("map", "layers", FilterState(), {"layers": ("density", "circles")}),
            Scenario("hotline", "grain day", FilterState(), {"grain": "day"}),
            Scenario("hotline", "drill", FilterState(), {"drill": top_category}),
            Scenario("profile", "focus", FilterState(), {"focus": codes[-1]}),
            Scenario("circles", "default", FilterState()),
            Scenario("data_admin", "default", FilterState())]
    return out


def context(info: snapshot.SnapshotInfo, choices, state: FilterState):
    return make_context(info, choices, state, config.settings())


def queries_of(sc: Scenario, info, choices) -> list[tuple[str, str, dict]]:
    ctx = context(info, choices, sc.state)
    return app_frame(ctx) if sc.page == "app" else PAGES[sc.page](ctx, **sc.page_args)


def load_choices(info):
    from .. import ui
    return ui.load_choices(info.id)  # the app's own choices, cached per snapshot id


# --- measuring queries ---------------------------------------------------------------------------
def fresh_database(info) -> None:
    """Forget the database of `info` (and this thread's cursor), then open a new one."""
    db.forget(info.id)
    db.cursor(info)


def measure_query(info, name: str, params: dict, runs: int) -> dict:
    cold, warm = [], []
    rows = 0
    for _ in range(runs):
        query.clear_cache()
        fresh_database(info)
        ms, df = timed(query.run, name, snapshot=info, **params)
        cold.append(ms)
        rows = len(df)
    for _ in range(runs):
        warm.append(timed(query.run, name, snapshot=info, **params)[0])
    return {"cold": cold, "warm": warm, "rows": rows}


def _key(name: str, params: dict):
    return name, tuple(sorted((k, query.freeze(v)) for k, v in params.items()))


def measure_scenarios(info, choices, runs: int) -> list[dict]:
    """One row per (scenario, query); identical (query, params) pairs are measured once."""
    seen: dict = {}
    rows = []
    for sc in scenarios(choices):
        for label, name, params in queries_of(sc, info, choices):
            k = _key(name, params)
            if k not in seen:
                seen[k] = measure_query(info, name, params, runs)
            rows.append({"page": sc.page, "interaction": sc.interaction, "label": label, "query": name,
                         "params": params, **seen[k]})
    return rows


# --- the run ---------------------------------------------------------------------------------
def main(opts, out=print) -> int:
    """Run the benchmark for every size in opts.tickets; the last line sums up the largest."""
    from . import report as bench_report
    return bench_report.main(opts, out)

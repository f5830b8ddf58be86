"""The bucket run of `python -m dashboard bench --bucket s3://bucket/prefix` (issue 17): the bench
snapshot published to an S3-compatible bucket (endpoint and keys from the standard AWS
variables) and served from there, beside the local-folder figures.

    publish       upload every file, read each back against its sha256, manifest, CURRENT
    replica start a new process opening the live snapshot: cold (empty cache: download + sha256)
                  and warm (files cached: sha256 only), then the first query
    CURRENT       one re-read (each process does one per Settings.snapshot_refresh_s)
    queries       the overview's queries, cold and warm, on the folder and on the bucket's cache
    pages         the overview's first render and rerun after a street change (AppTest)
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..core import config
from ..store import db, objects, query, snapshot
from .builds import ROOT
from .measure import queries_of, scenarios
from .stats import p50, timed

_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from dashboard.store import db, snapshot
from dashboard.views.context import choices_for
loc = sys.argv[1]
t1 = time.perf_counter(); info = snapshot.current(loc)
t2 = time.perf_counter(); snapshot.check_once(info)
t3 = time.perf_counter(); cur = db.cursor(info)
t4 = time.perf_counter(); choices_for(info)
t5 = time.perf_counter()
print(json.dumps({"current_ms": (t2 - t1) * 1e3, "files_ms": (t3 - t2) * 1e3, "database_ms": (t4 - t3) * 1e3,
                  "first_query_ms": (t5 - t4) * 1e3, "total_ms": (t5 - t1) * 1e3}))
"""


def publish_copy(info: snapshot.SnapshotInfo, loc: str) -> tuple[float, int]:
    """Publish the folder snapshot `info` as it is to the bucket at `loc` (replacing an earlier
    copy of it); returns (seconds, bytes uploaded)."""
    store = objects.open_store(loc)
    if info.id in store.ids():
        store.discard(info.id)
    build = snapshot.root(store) / snapshot.SNAPSHOTS / f"{snapshot.BUILDING_PREFIX}{info.id}"
    shutil.rmtree(build, ignore_errors=True)
    shutil.copytree(info.path, build)
    files = {name: {**entry, "bytes": (build / entry["file"]).stat().st_size}
             for name, entry in info.manifest["tables"].items()}
    seconds = timed(lambda: (store.install(info.id, build, files),
                             store.put_if(snapshot.CURRENT, f"{info.id}\n".encode(), store.pointer().tag)))[0] / 1e3
    return seconds, sum(e["bytes"] for e in files.values())


def replica_start(loc: str, cache: Path) -> dict:
    """A new process's first open of the live snapshot with `cache` as its cache dir, up to the
    app's first query (its filter choices), in ms."""
    env = {**os.environ, "DASHBOARD_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", _CHILD, loc], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def overview_queries(info, choices, runs: int) -> tuple[float, float]:
    """(cold p50, warm p50) in ms over the overview's default view, summed over its queries."""
    cold = warm = 0.0
    sc = next(s for s in scenarios(choices) if s.page == "overview")
    for _, name, params in queries_of(sc, info, choices):
        c, w = [], []
        for _ in range(runs):
            query.clear_cache()
            db.forget(info.id)
            c.append(timed(query.run, name, snapshot=info, **params)[0])
            w.append(timed(query.run, name, snapshot=info, **params)[0])
        cold, warm = cold + p50(c), warm + p50(w)
    return cold, warm


def measure(b, choices, opts, out=print) -> dict:
    """The bucket figures for bench build `b` (its folder snapshot), printed beside the folder's."""
    from . import app as bench_app

    loc = f"{opts.bucket.rstrip('/')}/{b.tickets}-{b.seed}"
    folder_env = os.environ.get("DASHBOARD_DATA_DIR")
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-cache-") as tmp:
        os.environ["DASHBOARD_CACHE_DIR"] = str(Path(tmp) / "bench")
        try:
            up_s, size = publish_copy(b.info, loc)
            cold = replica_start(loc, Path(tmp) / "replica")
            warm = replica_start(loc, Path(tmp) / "replica")
            store = objects.open_store(loc)
            pointer_ms = p50([timed(store.pointer)[0] for _ in range(max(opts.runs, 10))])
            info = snapshot.current(loc)
            q_folder, q_bucket = overview_queries(b.info, choices, opts.runs), overview_queries(info, choices, opts.runs)
            pages = {}
            if opts.apptest:
                for where in (str(b.data_dir), loc):
                    r = bench_app.page_reruns(where, ["overview"], opts.runs, list(choices.streets))["overview"]
                    pages[where] = (p50(r["first"]), p50(r["change"]), len(r["errors"]))
        finally:
            os.environ.pop("DASHBOARD_CACHE_DIR")
            os.environ["DASHBOARD_DATA_DIR"] = folder_env or str(b.data_dir)
    store = objects.open_store(loc)
    out(f"\nbucket {store.label} at {store.endpoint} — the same snapshot ({size / 2**20:,.1f} MB, "
        f"{len(b.info.manifest['tables'])} files) beside the local folder")
    out(f"  publish: upload + read back every file (sha256) + manifest + CURRENT: {up_s:,.2f} s "
        f"({size / 2**20 / up_s:,.1f} MB/s)")
    for label, r in (("cold cache: download + sha256", cold), ("warm cache: sha256 of the cached files", warm)):
        out(f"  replica start, {label}: CURRENT+manifest {r['current_ms']:,.0f} ms, files {r['files_ms']:,.0f} ms, "
            f"database {r['database_ms']:,.0f} ms, first query {r['first_query_ms']:,.0f} ms = {r['total_ms']:,.0f} ms")
    out(f"  CURRENT re-read: p50 {pointer_ms:,.1f} ms, at most once per {config.settings().snapshot_refresh_s:g} s "
        "per process")
    out(f"  overview queries (sum of p50), ms: folder cold {q_folder[0]:,.1f} warm {q_folder[1]:,.2f} · "
        f"bucket (cached files) cold {q_bucket[0]:,.1f} warm {q_bucket[1]:,.2f}")
    for where, (first, change, errors) in pages.items():
        out(f"  overview page ({'bucket' if config.is_bucket(where) else 'folder'}): first render p50 "
            f"{first:,.0f} ms, rerun after a street change p50 {change:,.0f} ms, errors {errors}")
    return {"bucket_publish_s": up_s, "bucket_cold_start_ms": cold["total_ms"], "bucket_warm_start_ms": warm["total_ms"],
            "bucket_pointer_ms": pointer_ms, "errors": sum(e for *_, e in pages.values())}

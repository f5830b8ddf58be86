"""The bench's data: one demo snapshot per size and seed, built once in a scratch folder (in a
child process, to measure its time and peak RSS) and reused while its recipe is unchanged."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..core import config, schema
from ..store import snapshot, sql

ROOT = config.PROJECT_ROOT


@dataclass
class Build:
    """A built (or reused) demo snapshot and what building it took."""

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
    """The scratch folder for bench snapshots."""
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

"""Settings in one place: data dir, metric weights, thresholds.

Defaults follow ../shared/reference/FACTS.md.  A `dashboard.toml` in the data dir
(or the file named by $DASHBOARD_CONFIG) may override any key of `Settings`, e.g.

    weight_response = 0.1
    basic_satisfied_factor = 0.9
    cycle_start_day = 19
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def data_location() -> str:
    """Where the snapshots are: $DASHBOARD_DATA_DIR (a folder or s3://bucket/prefix), else `data/`."""
    return os.environ.get("DASHBOARD_DATA_DIR") or str(PROJECT_ROOT / "data")


def is_bucket(location: str | Path) -> bool:
    """Whether a data location names an S3-compatible bucket (s3://bucket/prefix)."""
    return str(location).startswith("s3://")


def local_dir(location: str | Path) -> Path:
    """The local folder of a data location: the folder itself, or for a bucket its local cache
    and work folder under $DASHBOARD_CACHE_DIR (default ~/.cache/dashboard): cached snapshot
    files, builds in progress, import archives, locks and dashboard.toml."""
    if not is_bucket(location):
        return Path(location).resolve()
    bucket, _, prefix = str(location)[len("s3://"):].partition("/")
    cache = os.environ.get("DASHBOARD_CACHE_DIR") or Path.home() / ".cache" / "dashboard"
    return (Path(cache) / "s3" / bucket / prefix.strip("/").replace("/", "~")).resolve()


def data_dir() -> Path:
    """The runtime data dir on this machine (see `local_dir`)."""
    return local_dir(data_location())


@dataclass(frozen=True)
class Settings:
    """Every tunable of the metrics and the maps.  Frozen: pass a new one to change."""

    # 综合成绩 = 100 × (w_r × 响应率 + w_s × 解决率 + w_m × 满意率)  [S-code, configurable: E]
    weight_response: float = 0.10
    weight_resolution: float = 0.50
    weight_satisfaction: float = 0.40
    # 基本满意 counts this much of a 满意 in 满意率  [S-code]
    basic_satisfied_factor: float = 0.9
    # The assessment month runs from this day of the previous month  [S-code]
    cycle_start_day: int = 19
    # Fewer valid callbacks than this: the rates are flagged and not ranked as certain
    small_sample_min: int = 30
    # Four-class grouping of streets by rank share (先进/进步/整改/治理), see metrics.classify
    class_top_share: float = 0.2
    class_bottom_share: float = 0.2
    # Walking catchments: ≈80 m/min, straight-line distance divided by route directness [E]
    walk_m_per_min: float = 80.0
    route_directness: float = 1.3
    # 吹哨报到: a unit reports within this many minutes of the whistle (a pilot used 30 [S]; no
    # city-wide limit was found, so it is a setting).  Applied where a response has no due_at.
    whistle_report_minutes: int = 30
    # Party-layer rates with fewer cases than this are shown but not ranked
    party_sample_min: int = 10
    # 吹哨强度 band: whistles per 1,000 tickets outside the district's [low, high] quantiles are flagged
    whistle_band_low: float = 0.2
    whistle_band_high: float = 0.8
    # 成效评估: a lead is followed up when an item or whistle comes within this many days; the
    # before/after windows are this many weeks; a panel looks back this many months
    lead_followup_days: int = 30
    effect_weeks: int = 8
    panel_months: int = 24
    # 每月一题: a topic's complaints are counted over its month and the months after it, this many in all
    topic_months: int = 3
    # Import: fail when more than this share of rows is rejected
    max_reject_share: float = 0.01
    # Import: a file with more data rows or cells than this is refused as it is read (a year of
    # the district's tickets is about 270,000 rows of 20 columns), so a decompression bomb stops
    # early with bounded memory
    import_max_rows: int = 600_000
    import_max_cells: int = 15_000_000
    # Import: how long an import waits for another one to finish before it gives up
    import_lock_wait_s: float = 300.0
    # DuckDB per-connection limits
    duckdb_memory_limit: str = "1GB"
    duckdb_threads: int = 2
    # At most this many queries run at once per process; the others wait their turn.  All sessions
    # share one database (and its memory limit), so a burst of sessions must queue, not fail with
    # out-of-memory; with duckdb_threads each, two at once already keep both cores busy.
    duckdb_concurrent_queries: int = 2
    # A bucket's CURRENT is re-read at most this often per process: a new snapshot reaches every
    # replica's new page loads within this many seconds (a folder's CURRENT is read every run)
    snapshot_refresh_s: float = 10.0


def _config_file() -> Path:
    return Path(os.environ.get("DASHBOARD_CONFIG") or data_dir() / "dashboard.toml")


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Settings:
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8")) if mtime else {}
    known = {f.name for f in fields(Settings)}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"{path}: unknown settings {sorted(unknown)}")
    return replace(Settings(), **raw)


def settings() -> Settings:
    """Current settings: defaults overridden by the config file, if there is one."""
    path = _config_file()
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return _load(str(path), mtime)

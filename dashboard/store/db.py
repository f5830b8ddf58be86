"""DuckDB over one snapshot: views on its Parquet files, sandboxed, one cursor per thread.

One in-memory database is opened per snapshot per process; every thread (each
Streamlit session runs its script in its own thread) gets its own cursor on it,
because a DuckDB connection must not be shared across threads.  The database may
read exactly the snapshot's files and nothing else: external access is off,
extensions cannot be installed or loaded, and the configuration is locked.
"""
from __future__ import annotations

import threading

import duckdb

from ..core import config, schema
from .rollups import ROLLUPS
from .snapshot import SnapshotInfo, check_once
from .sql import load_sql

_lock = threading.Lock()
_databases: dict[str, duckdb.DuckDBPyConnection] = {}
_local = threading.local()
# Keep the live snapshot and the one before it (sessions still on it finish their run).
_MAX_OPEN = 2


def open_database(info: SnapshotInfo) -> duckdb.DuckDBPyConnection:
    """A new sandboxed in-memory DuckDB with one view per table of the snapshot.

    The snapshot's checksums are verified first (once per process): a damaged snapshot raises
    SnapshotError instead of being served.
    """
    check_once(info)
    s = config.settings()
    con = duckdb.connect(config={
        "memory_limit": s.duckdb_memory_limit,
        "threads": s.duckdb_threads,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
    })
    files = {name: str(info.path / entry["file"]) for name, entry in info.manifest["tables"].items()}
    # Parquet footers read once per database, not once per table reference: binding tickets.parquet
    # (165 row groups) cost ~5 ms a time, and the rollup macros name it up to 8 times in one query
    # (category_growth planned in ~45 ms; ~15 ms with the cache).  Snapshot files never change.
    # GLOBAL: the threads' cursors share it.
    con.execute("SET GLOBAL parquet_metadata_cache = true")
    con.execute("SET allowed_paths = $paths", {"paths": list(files.values())})
    con.execute("SET enable_external_access = false")
    for name, path in files.items():
        con.read_parquet(path).create_view(name)
    for name in schema.OPTIONAL_TABLES:    # a snapshot from before the party layer: empty, not missing
        if name not in files:
            con.from_arrow(schema.TABLES[name].empty_table()).create_view(name)
    con.execute(load_sql("_ticket_macros"))
    for name, rollup in ROLLUPS.items():
        # a snapshot published before this rollup existed, or before it gained a column (handling's
        # community_id): compute it on the fly from tickets (correct, only slower)
        fresh = con.sql(load_sql(rollup))
        if name not in files or set(fresh.columns) - set(con.table(name).columns):
            fresh.create_view(name, replace=True)
    con.execute(load_sql("_macros"))
    con.execute("SET lock_configuration = true")
    return con


def forget(snapshot_id: str) -> None:
    """Drop this process's database for a snapshot (the next cursor opens it afresh)."""
    with _lock:
        _databases.pop(snapshot_id, None)
    getattr(_local, "cursors", {}).pop(snapshot_id, None)


_gate: threading.BoundedSemaphore | None = None


def fetch_df(info: SnapshotInfo, name: str, params: dict):
    """Run queries/<name>.sql with bound `params` on this thread's cursor of `info`, as a DataFrame,
    once a turn is free (settings.duckdb_concurrent_queries at a time; the others wait)."""
    global _gate
    if _gate is None:
        with _lock:
            _gate = _gate or threading.BoundedSemaphore(config.settings().duckdb_concurrent_queries)
    cur = cursor(info)
    with _gate:
        return cur.execute(load_sql(name), params).df()


def cursor(info: SnapshotInfo) -> duckdb.DuckDBPyConnection:
    """This thread's cursor on the database of snapshot `info` (opened on first use)."""
    cached = getattr(_local, "cursors", None)
    if cached is None:
        cached = _local.cursors = {}
    for old in [sid for sid in cached if sid not in _databases]:  # let an evicted database go
        del cached[old]
    cur = cached.get(info.id)
    if cur is None:
        with _lock:
            db = _databases.get(info.id)
            if db is None:
                db = _databases[info.id] = open_database(info)
                while len(_databases) > _MAX_OPEN:
                    _databases.pop(next(iter(_databases)))
        cur = cached[info.id] = db.cursor()
    return cur

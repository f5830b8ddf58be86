"""Run named queries: `run("name", **params)` runs queries/name.sql on a snapshot.

The parameters given must be exactly the `$named` ones in the file (store.sql checks):
a missing or an unexpected one is an error before anything runs, so a page cannot
silently query with a filter left out.  Values are always bound, never pasted into SQL.
Results are cached per (snapshot id, query, parameters), so a new snapshot never serves
an old answer, and a result is worked out once however many sessions ask for it at the same time.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date, datetime

import pandas as pd

from . import db
from . import snapshot as store
from .sql import QueryParamError, check_params

# Results kept at most, and at most this much memory in all, the least recently used going first.  Most
# results are a few kB (15 streets, 12 months), so the count, not the bytes, decides how many filter states
# stay answered: under the bench's load (50 sessions on random pages and filters at 10M tickets) 256 kept
# the last ~40 page views' results and a third of DuckDB's work recomputed evicted ones.
_CACHE_SIZE = 8192
_CACHE_BYTES = 256 << 20
# A bigger result is not kept (a full ticket export would pin hundreds of MB); by bytes, not rows, so a
# page's long list of narrow rows (成效评估's leads: 80k rows, a few MB at 10M tickets) is kept
_RESULT_MAX_BYTES = 32 << 20


def freeze(value):
    """A hashable form of a parameter value (lists become tuples); refuses other types."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(freeze(v) for v in value)
    if isinstance(value, (str, int, float, bool, date, datetime)) or value is None:
        return value
    raise QueryParamError(f"unsupported parameter type {type(value).__name__}")


def _bindable(value):
    return list(value) if isinstance(value, tuple) else value


class _LRU:
    """A small thread-safe LRU of query results, bounded in count and in bytes."""

    def __init__(self, size: int, max_bytes: int):
        self.size, self.max_bytes, self.bytes = size, max_bytes, 0
        self.data, self.lock = OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key][0]
        return None

    def put(self, key, value, nbytes: int):
        with self.lock:
            old = self.data.pop(key, None)
            self.bytes += nbytes - (old[1] if old else 0)
            self.data[key] = (value, nbytes)
            while len(self.data) > self.size or self.bytes > self.max_bytes:
                self.bytes -= self.data.popitem(last=False)[1][1]

    def clear(self):
        with self.lock:
            self.data.clear()
            self.bytes = 0


class _Flight:
    """One result being worked out; the threads that ask for the same one meanwhile wait for it."""

    def __init__(self):
        self.done = threading.Event()
        self.result: pd.DataFrame | None = None


_results = _LRU(_CACHE_SIZE, _CACHE_BYTES)
_flights: dict[tuple, _Flight] = {}
_flights_lock = threading.Lock()


def cache_key(snapshot_id: str, name: str, params: dict) -> tuple:
    """The key a result is cached under: snapshot id, query name, frozen parameters."""
    return snapshot_id, name, tuple(sorted((k, freeze(v)) for k, v in params.items()))


def clear_cache() -> None:
    """Forget every cached result (the bench measures cold queries)."""
    _results.clear()


def run(name: str, *, snapshot=None, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with bound `params` on `snapshot` (default: the live one).

    Lists bind as DuckDB lists (the SQL casts them, e.g. `$streets::VARCHAR[]`).
    Returns a fresh DataFrame the caller may modify.
    """
    check_params(name, params)
    info = snapshot or store.current()
    if info is None:
        raise store.SnapshotError("还没有发布任何快照")
    key = cache_key(info.id, name, params)
    hit = _results.get(key)
    if hit is None:
        hit = _fetch_once(info, name, key)
    return hit.copy()


def _fetch_once(info, name: str, key: tuple) -> pd.DataFrame:
    """The result of `key`, run by the first thread that asks; a thread asking while it runs waits for
    that run instead of queueing the same query again (many sessions open the same view at once, e.g.
    after a new snapshot).  If that run fails, the waiting thread runs the query itself."""
    with _flights_lock:
        hit = _results.get(key)         # put there while this thread waited for the lock
        if hit is not None:
            return hit
        flight = _flights.get(key)
        leader = flight is None
        if leader:
            flight = _flights[key] = _Flight()
    if not leader:
        flight.done.wait()
        if flight.result is not None:
            return flight.result
    try:
        df = db.fetch_df(info, name, {k: _bindable(v) for k, v in key[2]})
        nbytes = int(df.memory_usage(index=True, deep=True).sum())
        if nbytes <= _RESULT_MAX_BYTES:
            _results.put(key, df, nbytes)
        flight.result = df
        return df
    finally:
        if leader:
            with _flights_lock:
                del _flights[key]
            flight.done.set()

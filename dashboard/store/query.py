"""Run named queries: `run("name", **params)` runs queries/name.sql on a snapshot.

The parameters given must be exactly the `$named` ones in the file (store.sql checks):
a missing or an unexpected one is an error before anything runs, so a page cannot
silently query with a filter left out.  Values are always bound, never pasted into SQL.
Results are cached per (snapshot id, query, parameters), so a new snapshot never serves
an old answer.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date, datetime

import pandas as pd

from . import db
from . import snapshot as store
from .sql import QueryParamError, check_params

_CACHE_SIZE = 256
# Results bigger than this are not kept (a full ticket export would pin hundreds of MB)
_CACHE_MAX_ROWS = 50_000


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
    """A small thread-safe LRU of query results."""

    def __init__(self, size: int):
        self.size, self.data, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        return None

    def put(self, key, value):
        with self.lock:
            self.data[key] = value
            while len(self.data) > self.size:
                self.data.popitem(last=False)

    def clear(self):
        with self.lock:
            self.data.clear()


_results = _LRU(_CACHE_SIZE)


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
    frozen = key[2]
    hit = _results.get(key)
    if hit is None:
        bound = {k: _bindable(v) for k, v in frozen}
        hit = db.fetch_df(info, name, bound)
        if len(hit) <= _CACHE_MAX_ROWS:
            _results.put(key, hit)
    return hit.copy()

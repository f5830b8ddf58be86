"""Named queries: `run("name", **params)` runs queries/name.sql on the live snapshot.

The parameters given must be exactly the `$named` ones in the file: a missing or an
unexpected one is an error before anything runs, so a page cannot silently query
with a filter left out.  Values are always bound, never pasted into SQL.  Results
are cached per (snapshot id, query, parameters), so a new snapshot never serves an
old answer.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from datetime import date, datetime
from functools import lru_cache

import pandas as pd

from ..core.config import PROJECT_ROOT

QUERIES_DIR = PROJECT_ROOT / "queries"
_NAME = re.compile(r"^_?[a-z][a-z0-9_]*$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Comments and string literals may mention "$x" without it being a parameter.
_COMMENT_OR_STRING = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", re.S)
_CACHE_SIZE = 256
# Results bigger than this are not kept (a full ticket export would pin hundreds of MB)
_CACHE_MAX_ROWS = 50_000


class QueryParamError(ValueError):
    """The parameters given do not match the query's `$named` parameters."""


@lru_cache(maxsize=None)
def load_sql(name: str) -> str:
    """The text of queries/<name>.sql (the name must be a plain identifier)."""
    if not _NAME.match(name):
        raise QueryParamError(f"bad query name {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.exists():
        raise QueryParamError(f"no query named {name!r}")
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def params_of(name: str) -> frozenset[str]:
    """The `$named` parameters a query file uses."""
    return frozenset(_PARAM.findall(_COMMENT_OR_STRING.sub(" ", load_sql(name))))


def check_params(name: str, params: dict) -> None:
    """Raise QueryParamError unless `params` are exactly the query's parameters."""
    expected = params_of(name)
    missing, extra = expected - set(params), set(params) - expected
    if missing or extra:
        raise QueryParamError(
            f"query {name}: missing {sorted(missing)} unexpected {sorted(extra)}")


def _freeze(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_freeze(v) for v in value)
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


def run(name: str, *, snapshot=None, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with bound `params` on `snapshot` (default: the live one).

    Lists bind as DuckDB lists (the SQL casts them, e.g. `$streets::VARCHAR[]`).
    Returns a fresh DataFrame the caller may modify.
    """
    from . import db  # late: snapshot imports rollups imports this module
    from . import snapshot as store

    check_params(name, params)
    info = snapshot or store.current()
    if info is None:
        raise store.SnapshotError("还没有发布任何快照")
    frozen = tuple(sorted((k, _freeze(v)) for k, v in params.items()))
    key = (info.id, name, frozen)
    hit = _results.get(key)
    if hit is None:
        bound = {k: _bindable(v) for k, v in frozen}
        hit = db.cursor(info).execute(load_sql(name), bound).df()
        if len(hit) <= _CACHE_MAX_ROWS:
            _results.put(key, hit)
    return hit.copy()

"""Named SQL, loaded without a connection: queries/<name>.sql and the `$named` parameters it takes.

Pure text handling (no DuckDB, no snapshot), so the rollup builder, the database setup and
the query runner can all read SQL without importing each other.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..core.config import PROJECT_ROOT

QUERIES_DIR = PROJECT_ROOT / "queries"
_NAME = re.compile(r"^_?[a-z][a-z0-9_]*$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Comments and string literals may mention "$x" without it being a parameter.
_COMMENT_OR_STRING = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", re.S)


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


def query_names() -> list[str]:
    """Every named query (file stem) under queries/, sorted."""
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))

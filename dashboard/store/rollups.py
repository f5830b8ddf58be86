"""Rollups built once at publish time, so page queries touch thousands of rows, not millions.

Each rollup keeps the *counts* behind the metrics (never rates), so any window or
grouping can be re-aggregated exactly and metrics.py stays the one place rates are
defined.  The SQL lives in queries/rollup_*.sql like every other query.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

from .sql import load_sql

ROLLUP_MEMORY = "1500MB"  # the 10M-ticket build must stay under 3 GB in all

# rollup table -> the query that builds it from tickets.parquet
ROLLUPS = {
    "daily": "rollup_daily",                    # day × street × category l1/l2
    "monthly": "rollup_monthly",                # month × street × category l1/l2 (from daily)
    "community_monthly": "rollup_community_monthly",  # month × community × category l1/l2
    "repeat_callers": "rollup_repeat_callers",  # tickets of callers with ≥ 3 calls in 30 days
    "repeat_places": "rollup_repeat_places",    # tickets at spots with ≥ 3 same-kind calls in 30 days
    "handling": "rollup_handling",              # each ticket's limit class and durations, narrow
    "handling_months": "rollup_handling_months",  # month × limit class × minutes: a histogram (from handling)
    "weekday_hours": "rollup_weekday_hours",    # month × street × category l1 × weekday × hour
    "health_months": "rollup_health_months",    # tickets per month with the data-health counts
    "community_weekly": "rollup_community_weekly",  # week × community × category l1 (成效评估)
    "lead_list": "rollup_lead_list",            # one row per 未诉先办 lead (from the two repeat rollups)
    "ticket_gaps": "rollup_ticket_gaps",        # quiet spells between days with tickets per community × l1
}


def build_rollups(folder: Path) -> dict[str, dict]:
    """Write every rollup beside `folder/tickets.parquet`; returns {name: {"rows": n}}.

    Each rollup written becomes a view, so a later one may build on an earlier one.
    The window functions over millions of tickets may want more memory than a build
    should take, so DuckDB gets a limit and a private spill folder outside the snapshot.
    """
    with tempfile.TemporaryDirectory(prefix="rollup-spill-") as spill:
        con = duckdb.connect(config={"threads": 2, "memory_limit": ROLLUP_MEMORY, "temp_directory": spill})
        con.read_parquet(str(folder / "tickets.parquet")).create_view("tickets")
        con.execute(load_sql("_ticket_macros"))   # rollup_daily counts with the pages' ticket_counts
        out = {}
        for name, query in ROLLUPS.items():
            target = folder / f"{name}.parquet"
            con.sql(load_sql(query)).write_parquet(str(target), compression="zstd")
            written = con.read_parquet(str(target))
            written.create_view(name)
            out[name] = {"rows": written.shape[0]}
        con.close()
    return out

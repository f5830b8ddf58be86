"""The 12345 time limits, defined once in core/limits.py."""
from __future__ import annotations

import duckdb
import pytest

from dashboard.core import limits
from dashboard.ingest.tickets import time_limit_hours

# The CASE of queries/handling_times.sql as it stood when core/limits.py was written
# (commit b1dd05f).  label_for_hours must give the same label for every value it sees.
HANDLING_TIMES_CASE = """
    CASE limit_hours WHEN 2 THEN '紧急 2小时' WHEN 24 THEN '水电气热 24小时'
                     WHEN 168 THEN '一般 7天' ELSE '复杂 15天' END
"""
HOURS = [2, 24, 168, 360, 0, 1, 3, 23, 25, 48, 167, 169, 720, None]


def test_label_for_hours_matches_the_sql_case():
    con = duckdb.connect()
    rows = con.execute(f"SELECT h, {HANDLING_TIMES_CASE.replace('limit_hours', 'h')} "
                       "FROM unnest(?::INTEGER[]) AS t(h)", [HOURS]).fetchall()
    assert len(rows) == len(HOURS)
    for hours, label in rows:
        assert limits.label_for_hours(hours) == label, hours
    assert {label for _, label in rows} == {limit.label for limit in limits.TIME_LIMITS}


def test_the_four_classes():
    assert [(t.key, t.hours, t.label) for t in limits.TIME_LIMITS] == [
        ("emergency", 2, "紧急 2小时"), ("utility", 24, "水电气热 24小时"),
        ("general", 168, "一般 7天"), ("complex", 360, "复杂 15天")]
    assert limits.hours_of("general") == 7 * 24 and limits.hours_of("complex") == 15 * 24
    assert limits.CONTACT_LIMIT_H == 24
    with pytest.raises(KeyError):
        limits.hours_of("urgent")


def test_the_import_assigns_limits_from_category_texts():
    assert time_limit_hours("消防安全", "火灾隐患") == limits.hours_of("emergency")
    assert time_limit_hours("公共服务", "燃气泄漏") == limits.hours_of("emergency")
    assert time_limit_hours("公共服务", "燃气问题") == limits.hours_of("utility")
    assert time_limit_hours("物业管理", "物业服务") == limits.hours_of("general")
    assert time_limit_hours("物业管理", None) == limits.hours_of("general")


def test_the_handling_rollup_sorts_tickets_into_these_classes():
    """queries/rollup_handling.sql classifies by due_at − created_at: a limit of exactly a class's
    hours is that class, a minute more is the next one (the longest takes everything above)."""
    from datetime import datetime

    from dashboard.store.sql import load_sql

    t0 = datetime(2024, 3, 1, 9, 0)
    minutes = [60 * limit.hours + extra for limit in limits.TIME_LIMITS for extra in (0, 1)]
    con = duckdb.connect()
    con.execute("CREATE TABLE tickets AS SELECT $t0::TIMESTAMP AS created_at, $t0::TIMESTAMP + to_minutes(m) AS due_at,"
                " '110102010' AS street_code, NULL::VARCHAR AS community_id, 'a' AS category_l1, 'b' AS category_l2, NULL::TIMESTAMP AS contacted_at,"
                " NULL::TIMESTAMP AS closed_at FROM unnest($m::BIGINT[]) AS t(m)", {"t0": t0, "m": minutes})
    got = [r[0] for r in con.execute(f"SELECT limit_hours FROM ({load_sql('rollup_handling')})").fetchall()]
    hours = [limit.hours for limit in limits.TIME_LIMITS]
    expected = []
    for m in minutes:
        expected.append(next((h for h in hours if m <= 60 * h), hours[-1]))
    assert got == expected == [2, 24, 24, 168, 168, 360, 360, 360]

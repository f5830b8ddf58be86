"""The 12345 hotline's handling time limits, defined once.

Beijing's 接诉即办 standard [S]: emergencies within 2 hours, water, power, gas and heating
(水电气热) within 24 hours, general requests within 7 days, complex ones within 15 days.
The demo gives its categories these limits, the import assigns them from category texts,
and the handling-time table names its classes with `label_for_hours`.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TimeLimit:
    """One time-limit class: its key, its limit in hours and its label in tables."""

    key: str     # used in code and in the demo's category file
    hours: int
    label: str   # the class's name in the handling-time table


# Shortest first.  queries/rollup_handling.sql sorts tickets into these classes by due_at − created_at
# (tests/test_limits.py runs it against this table).
TIME_LIMITS = (
    TimeLimit("emergency", 2, "紧急 2小时"),
    TimeLimit("utility", 24, "水电气热 24小时"),
    TimeLimit("general", 7 * 24, "一般 7天"),
    TimeLimit("complex", 15 * 24, "复杂 15天"),
)
CONTACT_LIMIT_H = 24   # the caller is contacted within min(limit, 24 h) [E]

_BY_KEY = {limit.key: limit for limit in TIME_LIMITS}


def hours_of(key: str) -> int:
    """The limit in hours of the class `key` ('emergency', 'utility', 'general', 'complex')."""
    return _BY_KEY[key].hours


def label_for_hours(hours: float | None) -> str:
    """The label of the class whose limit is exactly `hours`, e.g. 168 -> '一般 7天'.

    Any other value, None included, gets the longest class's label ('复杂 15天'), as the
    ELSE of the rollup's CASE does.
    """
    return next((limit.label for limit in TIME_LIMITS[:-1] if limit.hours == hours), TIME_LIMITS[-1].label)

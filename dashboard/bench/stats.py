"""Small statistics for the bench: medians, nearest-rank p95, and a timed call."""
from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable


def p50(xs: list[float]) -> float:
    """The median (NaN for no values)."""
    return statistics.median(xs) if xs else math.nan


def p95(xs: list[float]) -> float:
    """Nearest-rank 95th percentile (with 5 runs that is the slowest)."""
    if not xs:
        return math.nan
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def timed(fn: Callable, *args, **kwargs) -> tuple[float, object]:
    """(milliseconds, result) of one call."""
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return (time.perf_counter() - t) * 1000, out

"""The bench's targets (issues 7 and 16) and their evaluation: each line's measured worst value,
where it was measured (the page, or the query), and met / MISSED.  Pure: no timing here."""
from __future__ import annotations

import math
from dataclasses import dataclass

TARGETS = {"settle_ms": 2000, "first_render_ms": 800, "rerun_ms": 500, "load_p95_ms": 1500, "load_sessions": 50,
           "load_seconds": 60, "overview_query_ms": 30, "speedup": 10, "rss_mb": 1024, "build_s": 90,
           "build_rss_mb": 3072}


@dataclass(frozen=True)
class Line:
    """One target: what, the measured value, where (page or query), unit, target, and whether
    higher is better."""

    label: str
    value: float
    where: str
    unit: str
    target: float
    higher: bool = False

    @property
    def status(self) -> str:
        """'met', 'MISSED', or 'not measured' (no value)."""
        if self.value is None or math.isnan(self.value):
            return "not measured"
        return "met" if (self.value >= self.target if self.higher else self.value <= self.target) else "MISSED"


def worst(per_page: dict[str, dict], key: str) -> tuple[str, float]:
    """(page, value) of the page with the highest `key` (NaN values ignored); ('—', NaN) if none."""
    found = [(v[key], page) for page, v in per_page.items()
             if v.get(key) is not None and not math.isnan(v[key])]
    if not found:
        return "—", math.nan
    value, page = max(found)
    return page, value


def evaluate(res: dict, t: dict = TARGETS) -> list[Line]:
    """The target lines for one size's results `res` (see report.measure_size for its keys)."""
    pp = res.get("per_page", {})
    nan = ("—", math.nan)
    lines = [Line(f"{label}, worst page (p50)", v, page, "ms", t[target])
             for label, key, target in (
                 ("browser settle, desktop 1440×900", "desktop", "settle_ms"),
                 ("browser settle, phone 390×844", "phone", "settle_ms"),
                 ("server first render (caches cleared)", "first", "first_render_ms"),
                 ("server rerun after a filter change", "change", "rerun_ms"))
             for page, v in [worst(pp, key) if pp else nan]]
    sessions, seconds = res.get("load_sessions", 0), res.get("load_seconds", 0)
    full = load_meets_target_size(sessions, seconds, t)  # a lighter load proves nothing
    procs = res.get("load_processes", 1)
    load = (f"{sessions} sessions × {seconds:g} s{'' if full else ' (lighter than the target)'}, "
            f"{procs} process{'es' if procs > 1 else ''}")
    lines += [
        Line(f"load {t['load_sessions']} sessions × {t['load_seconds']} s: p95 (worst page)",
             res.get("load_p95_ms", math.nan) if full else math.nan,
             f"{load}, {res.get('load_worst_page', '—')}", "ms", t["load_p95_ms"]),
        Line(f"load {t['load_sessions']} sessions × {t['load_seconds']} s: errors",
             res.get("load_errors", math.nan) if full else math.nan, load, "", 0),
        Line("median query behind an overview interaction (worst query)", res["overview_query_worst_ms"],
             res.get("overview_query_worst", "—"), "ms", t["overview_query_ms"]),
        Line("speedup over the naive baseline (median query)", res["speedup"], "overview", "×", t["speedup"], True),
        Line("server peak RSS after every page", res["rss_mb"], "streamlit run", "MB", t["rss_mb"]),
        Line("demo build time", res["build_s"], "demo", "s", t["build_s"]),
        Line("demo build peak RSS", res["build_rss_mb"], "demo", "MB", t["build_rss_mb"]),
        Line("errors (AppTest, browser, load)", res["errors"], "all", "", 0),
    ]
    return lines


def load_meets_target_size(sessions: int, seconds: float, t: dict = TARGETS) -> bool:
    """Whether a load run is at least as heavy as the target's (50 sessions for 60 s)."""
    return sessions >= t["load_sessions"] and seconds >= t["load_seconds"]

"""What `python -m dashboard bench` times: each page's view functions (views/pages.py), run for
the page's default view and its typical interactions, query by query.

A recording runner in the Context notes every named query a view runs, with its parameters,
so the list timed here is exactly what the page runs (tests/test_architecture.py checks the
pages against the same functions).  Each query is then timed cold (result cache cleared,
fresh database) and warm (repeated).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..core.filters import FilterState
from ..store import db, query
from ..views.context import choices_for, make_context
from ..views.pages import PAGE_DATA
from .stats import timed


@dataclass(frozen=True)
class Scenario:
    """One view of one page: the filters and the page's own controls (e.g. grain, layers)."""

    page: str
    interaction: str
    state: FilterState
    page_args: dict = field(default_factory=dict)


def scenarios(choices) -> list[Scenario]:
    """Each page's default view and the typical interactions: change street, time window,
    category, plus each page's own controls."""
    codes = list(choices.streets)
    street = codes[len(codes) // 2]
    top_category = next(iter(choices.categories))
    shared = [("default", FilterState()), ("street", FilterState(streets=(street,))),
              ("window 本月", FilterState(period="month")), ("window 考核月", FilterState(period="cycle")),
              ("category", FilterState(categories=(top_category,)))]
    out = [Scenario("app", "first run", FilterState())]
    for page in ("overview", "map", "hotline", "tickets", "profile"):
        out += [Scenario(page, name, state) for name, state in shared]
    out += [Scenario("map", "layers", FilterState(), {"layers": ("density", "circles")}),
            Scenario("hotline", "grain day", FilterState(), {"grain": "day"}),
            Scenario("hotline", "drill", FilterState(), {"drill": top_category}),
            Scenario("profile", "focus", FilterState(), {"focus": codes[-1]}),
            Scenario("circles", "default", FilterState()),
            Scenario("party", "default", FilterState()), Scenario("party", "street", FilterState(streets=(street,))),
            Scenario("whistles", "default", FilterState()), Scenario("cobuild", "default", FilterState()),
            Scenario("items", "default", FilterState()), Scenario("deliberations", "default", FilterState()),
            Scenario("outcomes", "default", FilterState()),
            Scenario("data_admin", "default", FilterState())]
    return out


class Recorder:
    """A query runner that runs each query (views need the results) and notes (label, name, params)."""

    def __init__(self):
        self.calls: list[tuple[str, str, dict]] = []

    def __call__(self, name: str, *, snapshot, **params):
        n = sum(1 for _, q, _ in self.calls if q == name)
        self.calls.append((name if n == 0 else f"{name} #{n + 1}", name, params))
        return query.run(name, snapshot=snapshot, **params)


def run_page(sc: Scenario, info, choices, runner=None) -> dict:
    """The page's data for one scenario, as the page assembles it (the app frame: its choices)."""
    if sc.page == "app":
        return {"choices": choices_for(info, run=runner or query.run)}
    ctx = make_context(info, choices, sc.state, runner=runner)
    return PAGE_DATA[sc.page](ctx, **sc.page_args)


def queries_of(sc: Scenario, info, choices) -> list[tuple[str, str, dict]]:
    """(label, query, params) of every named query the scenario's page runs, in order."""
    rec = Recorder()
    run_page(sc, info, choices, rec)
    return rec.calls


def fresh_database(info) -> None:
    """Forget the database of `info` (and this thread's cursor), then open a new one."""
    db.forget(info.id)
    db.cursor(info)


def measure_query(info, name: str, params: dict, runs: int) -> dict:
    """Cold and warm timings (ms) of one query, and its row count."""
    cold, warm = [], []
    rows = 0
    for _ in range(runs):
        query.clear_cache()
        fresh_database(info)
        ms, df = timed(query.run, name, snapshot=info, **params)
        cold.append(ms)
        rows = len(df)
    for _ in range(runs):
        warm.append(timed(query.run, name, snapshot=info, **params)[0])
    return {"cold": cold, "warm": warm, "rows": rows}


def query_key(name: str, params: dict) -> tuple:
    """A hashable (query, params) key: the same query with the same values is one measurement."""
    return name, query.cache_key("", name, params)[2]


def measure_scenarios(info, choices, runs: int) -> list[dict]:
    """One row per (scenario, query); identical (query, params) pairs are measured once."""
    seen: dict = {}
    rows = []
    for sc in scenarios(choices):
        for label, name, params in queries_of(sc, info, choices):
            k = query_key(name, params)
            if k not in seen:
                seen[k] = measure_query(info, name, params, runs)
            rows.append({"page": sc.page, "interaction": sc.interaction, "label": label, "query": name,
                         "params": params, **seen[k]})
    return rows

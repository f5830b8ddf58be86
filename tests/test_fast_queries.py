"""The queries rewritten for speed (issues 7 and 16) give the same answers as the straightforward ones.

tests/reference_sql/ keeps each query as it was before it read the monthly rollups, a cutoff
from the daily rollup, or worked in two steps (street_counts, category_growth and trend count
each ticket themselves, so the 社区 filter is checked against tickets too; leads grouped the repeat
rollups itself before the lead_list rollup; proactive_items looked for tickets before each item before
the ticket_gaps rollup; circle_service_* counted tickets before community_monthly; handling_times took
quantile_cont over every ticket before the handling_months histogram; weekday_hour counted every ticket
before the weekday_hours rollup; repeat_places grouped by cell and subcategory before place_id); both
versions run on
the same database, for windows that start and end inside months, on month edges, inside one month
and past the data, with and without street, category and community filters.
Columns decided by a tie (the commonest community or category, any street of a place) may pick
another of the tied values, so they are left out of the comparison; a lead whose street, community
or category is such a tie is left out whole (its follow-up depends on them).
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.core import periods
from dashboard.store import bootstrap, db, snapshot, sql
from dashboard.store.objects import sha256_file
from dashboard.views import analysis

REFERENCE = Path(__file__).resolve().parent / "reference_sql"
TIED = {"top_category", "top_subcategory", "community", "street"}
WINDOWS = [
    ("2024-03-01", "2024-03-31"),   # one whole month
    ("2024-02-01", "2024-03-31"),   # whole months
    ("2024-02-19", "2024-03-18"),   # an assessment month: two partial months
    ("2024-02-10", "2024-03-05"),   # partial, partial
    ("2024-03-02", "2024-03-30"),   # inside one month
    ("2024-03-31", "2024-04-01"),   # across a month edge
    ("2020-01-01", "2030-12-31"),   # past both ends of the data
]
QUERIES = sorted(p.stem for p in REFERENCE.glob("*.sql"))


@pytest.fixture(scope="module")
def demo_snapshot(tmp_path_factory):
    """A small demo: enough tickets for every month to have many rows, ties and repeats."""
    d = tmp_path_factory.mktemp("fast-queries")
    bootstrap.publish_demo(data_dir=d, tickets=20_000, end="2024-06", years=1)
    return snapshot.current(d)


def _params(name: str, start: str, end: str, streets, categories, communities=(), grain="month", subs=()) -> dict:
    w = periods.Window(date.fromisoformat(start), date.fromisoformat(end))
    prev = periods.previous(w)
    every = {"start": w.start, "end": w.end, "streets": streets, "categories": categories, "subs": list(subs),
             "communities": list(communities),
             "prev_start": prev.start, "prev_end": prev.end, "level": 1, "min_population": 0, "limit": 50,
             "grain": grain, "followup_days": 30, "horizon": datetime(2024, 5, 20), "lookback_days": 30}
    return {k: every[k] for k in sql.params_of(name) | ({"streets"} if name in PICKED_BY_STREET else set())}


# leads whose commonest street, community or category (mode()) is a tie between two values
TIED_LEADS = """
WITH v AS (
    SELECT 'P' || cell_lat || ',' || cell_lon || ',' || category_l2 AS lead_id, c.*
    FROM repeat_places, LATERAL (VALUES ('s', street_code), ('c', community_id)) c(col, val)
    UNION ALL
    SELECT 'C' || left(caller_key, 8), c.*
    FROM repeat_callers,
         LATERAL (VALUES ('s', street_code), ('c', community_id), ('1', category_l1), ('2', category_l2)) c(col, val)
), n AS (
    SELECT lead_id, col, val, count(*) AS n FROM v WHERE val IS NOT NULL GROUP BY lead_id, col, val
    QUALIFY n = max(n) OVER (PARTITION BY lead_id, col)
)
SELECT DISTINCT lead_id FROM n GROUP BY lead_id, col HAVING count(*) > 1
"""


# queries that answer for every street, the views picking the chosen streets' rows (analysis.of_streets) or
# summing them per these columns (analysis.summed_over_streets); their references still take $streets
PICKED_BY_STREET = {"hotspot_communities": None, "trend": ["bucket"], "weekday_hour": ["weekday", "hour"],
                    "category_growth": ["category", "parent"]}


def _same(con, name: str, params: dict) -> None:
    ref = con.execute((REFERENCE / f"{name}.sql").read_text(encoding="utf-8"), params).df()
    if name in PICKED_BY_STREET:
        rows = con.execute(sql.load_sql(name), {k: v for k, v in params.items() if k != "streets"}).df()
        by = PICKED_BY_STREET[name]
        new = (analysis.of_streets(rows, params["streets"]) if by is None
               else analysis.summed_over_streets(rows, params["streets"], by))
    else:
        new = con.execute(sql.load_sql(name), params).df()
    if name == "leads":
        tied = set(con.execute(TIED_LEADS).df()["lead_id"])
        ref, new = (df[~df["lead_id"].isin(tied)].reset_index(drop=True) for df in (ref, new))
    assert list(new.columns) == list(ref.columns)
    if ref.empty and new.empty:     # no rows: a picked result keeps its columns' types, an empty one has none
        return
    cols = [c for c in ref.columns if c not in TIED]
    # quantiles are interpolated from a histogram (handling_times): the same to the last bit or two
    if name in ("ticket_list", "repeat_callers", "repeat_places", "leads"):  # ordered lists: the order is part of the answer
        pd.testing.assert_frame_equal(new[cols], ref[cols], rtol=1e-12)
    else:
        pd.testing.assert_frame_equal(new[cols].sort_values(cols).reset_index(drop=True),
                                      ref[cols].sort_values(cols).reset_index(drop=True), rtol=1e-12)


def _views(con, street: str, top: str) -> list[tuple[list, list, list]]:
    """(streets, categories, communities) to compare on: none, a street, a category, and the
    community filter (which the fast queries answer from tickets, not the rollups): the street's
    busiest community, and its two busiest (one on the fixture) with the category."""
    busiest = [r[0] for r in con.execute(
        "SELECT community_id FROM tickets WHERE street_code = $s AND community_id IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2", {"s": street}).fetchall()]
    assert busiest
    return [([], [], []), ([street], [], []), ([], [top], []), ([street], [], busiest[:1]),
            ([street], [top], busiest)]


@pytest.mark.parametrize("name", QUERIES)
def test_same_answers_on_the_fixture(fixture_snapshot, name):
    con = db.open_database(fixture_snapshot)
    for start, end in WINDOWS:
        for streets, categories, communities in _views(con, "110102012", "噪声扰民"):
            _same(con, name, _params(name, start, end, streets, categories, communities))


def _compare_on_demo(snap, name: str, grain: str = "month") -> None:
    con = db.open_database(snap)
    top = con.execute("SELECT category_l1 FROM daily GROUP BY 1 ORDER BY sum(tickets) DESC LIMIT 1").fetchone()[0]
    street = con.execute("SELECT min(street_code) FROM streets").fetchone()[0]
    for start, end in WINDOWS:
        for streets, categories, communities in _views(con, street, top):
            _same(con, name, _params(name, start, end, streets, categories, communities, grain))


@pytest.mark.parametrize("name", QUERIES)
def test_same_answers_on_demo_data(demo_snapshot, name):
    _compare_on_demo(demo_snapshot, name)


@pytest.mark.parametrize("grain", ["day", "week"])
def test_trend_by_day_and_week_on_demo_data(demo_snapshot, grain):
    """The trend reads days from another path than months (test_same_answers_on_demo_data)."""
    _compare_on_demo(demo_snapshot, "trend", grain)


@pytest.mark.parametrize("name", ["handling_times", "weekday_hour", "repeat_places", "repeat_callers", "ticket_list",
                                  "hotspot_communities", "trend"])
def test_a_subcategory_filter_on_demo_data(demo_snapshot, name):
    """A subcategory filter: the rollups kept without subcategories (handling_months, weekday_hours)
    must not be read, the tickets are counted instead."""
    con = db.open_database(demo_snapshot)
    sub, l1 = con.execute("SELECT category_l2, any_value(category_l1) FROM tickets GROUP BY 1 "
                          "ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()
    street = con.execute("SELECT min(street_code) FROM streets").fetchone()[0]
    for start, end in WINDOWS:
        for streets, categories in (([], []), ([street], [l1])):
            _same(con, name, _params(name, start, end, streets, categories, subs=[sub]))


def test_a_snapshot_published_before_the_monthly_rollups_still_answers(fixture_snapshot, tmp_path):
    """Rollups missing from an older snapshot are computed on the fly from its tickets."""
    import json
    import shutil

    old = tmp_path / "snapshots" / fixture_snapshot.id
    shutil.copytree(fixture_snapshot.path, old)
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    for name in ("monthly", "community_monthly", "handling_months", "weekday_hours"):
        manifest["tables"].pop(name, None)
    # repeat_places as it was before place_id and caller_id: recomputed on the fly (a column is missing)
    places = old / manifest["tables"]["repeat_places"]["file"]
    before = tmp_path / "before.parquet"
    duckdb.connect().execute(f"COPY (SELECT * EXCLUDE (place_id, caller_id) FROM read_parquet('{places}')) TO '{before}'")
    places.chmod(0o644)
    shutil.move(before, places)
    manifest["tables"]["repeat_places"]["sha256"] = sha256_file(places)
    (old / "manifest.json").chmod(0o644)
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    info = snapshot.load(fixture_snapshot.id, tmp_path)
    con = db.open_database(info)
    _same(con, "street_counts", _params("street_counts", "2024-02-10", "2024-03-31", [], []))
    _same(con, "hotspot_communities", _params("hotspot_communities", "2024-02-01", "2024-03-31", [], []))
    for name in ("handling_times", "weekday_hour", "repeat_places"):
        _same(con, name, _params(name, "2024-02-10", "2024-03-31", [], []))


def _same_lead_views(con, params: dict) -> None:
    """lead_states and waiting_leads (what 成效评估 reads) give the counts and the first rows of leads."""
    every = con.execute(sql.load_sql("leads"), params).df()
    states = con.execute(sql.load_sql("lead_states"), params).df().iloc[0]
    counts = every["state"].value_counts()
    assert [int(states[c]) for c in ("acted", "not_acted", "pending")] == \
        [int(counts.get(s, 0)) for s in ("已跟进", "未跟进", "跟进期内")]
    waiting = every[every["state"] != "已跟进"].reset_index(drop=True)
    for limit in (50, len(waiting)):     # the page's first rows, and every row (its CSV)
        rows = con.execute(sql.load_sql("waiting_leads"), params | {"limit": limit}).df()
        plain = [df.astype(object).where(df.notna(), None) for df in (rows, waiting.head(limit))]
        pd.testing.assert_frame_equal(*plain)   # an all-NULL column (no follow-up) may come as another dtype


@pytest.mark.parametrize("where", ["fixture", "demo"])
def test_lead_counts_and_waiting_rows_equal_the_lead_list(fixture_snapshot, demo_snapshot, where):
    snap = fixture_snapshot if where == "fixture" else demo_snapshot
    con = db.open_database(snap)
    street = "110102012" if where == "fixture" else con.execute("SELECT min(street_code) FROM streets").fetchone()[0]
    top = "噪声扰民" if where == "fixture" else \
        con.execute("SELECT category_l1 FROM daily GROUP BY 1 ORDER BY sum(tickets) DESC LIMIT 1").fetchone()[0]
    for start, end in WINDOWS:
        for streets, _, communities in _views(con, street, top):
            _same_lead_views(con, _params("leads", start, end, streets, [], communities))


@pytest.mark.parametrize("lookback", [0, 1, 2, 7, 90])
def test_proactive_items_for_other_lookbacks_on_demo_data(demo_snapshot, lookback):
    """The quiet spells (ticket_gaps) answer for any lookback, including a day and none at all."""
    con = db.open_database(demo_snapshot)
    found = set()
    for start, end in (WINDOWS[1], WINDOWS[-1]):
        params = _params("proactive_items", start, end, [], []) | {"lookback_days": lookback}
        _same(con, "proactive_items", params)
        found.add(len(con.execute(sql.load_sql("proactive_items"), params).fetchall()))
    assert max(found) > 0


@pytest.mark.parametrize("name", ["circle_service_tickets", "circle_service_monthly"])
def test_circle_service_counts_for_the_service_categories_on_demo_data(demo_snapshot, name):
    """The 便民生活圈 page asks for the 生活服务 level-1 and level-2 lists together ($subs non-empty)."""
    from dashboard.views import circle_analysis
    from dashboard.views.context import choices_for

    con = db.open_database(demo_snapshot)
    cats, subs = circle_analysis.service_filter(choices_for(demo_snapshot).categories)
    assert subs
    for start, end in WINDOWS:
        params = _params(name, start, end, [], cats) | {"subs": subs}
        _same(con, name, params)
        assert con.execute(sql.load_sql(name), params).fetchall() or start > "2024-06"

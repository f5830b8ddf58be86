"""The named-query layer: the parameter contract, binding, caching per snapshot, headers."""
from datetime import date, datetime

import pytest

from dashboard.store import query, sql
from dashboard.store.sql import QueryParamError

MARCH = dict(start=date(2024, 3, 1), end=date(2024, 3, 31), categories=[], subs=[], communities=[])


def test_params_of_ignores_comments_and_strings():
    assert sql.params_of("street_counts") == {"start", "end", "categories", "subs", "communities"}
    assert sql.params_of("rollup_daily") == frozenset()


def test_missing_and_unexpected_params_are_refused(fixture_snapshot):
    with pytest.raises(QueryParamError, match=r"missing \['subs'\]"):
        query.run("street_counts", snapshot=fixture_snapshot, start=date(2024, 3, 1), end=date(2024, 3, 31),
                  categories=[], communities=[])
    with pytest.raises(QueryParamError, match=r"unexpected \['streets'\]"):
        query.run("street_counts", snapshot=fixture_snapshot, **MARCH, streets=[])


def test_bad_query_names_are_refused():
    for name in ("../etc/passwd", "Street_counts", "street counts", "nope_not_here"):
        with pytest.raises(QueryParamError):
            sql.load_sql(name)


def test_values_are_bound_not_pasted(fixture_snapshot):
    hostile = ["' OR 1=1 --", "供暖'); DROP VIEW tickets; --", "$start"]
    df = query.run("street_counts", snapshot=fixture_snapshot, **{**MARCH, "categories": hostile})
    assert df["tickets"].sum() == 0                       # matched nothing, broke nothing
    again = query.run("street_counts", snapshot=fixture_snapshot, **MARCH)
    assert again["tickets"].sum() == 14                   # the views are intact


def test_list_filters(fixture_snapshot):
    df = query.run("street_counts", snapshot=fixture_snapshot, **{**MARCH, "categories": ["供暖"]})
    assert df.set_index("street_code")["tickets"].to_dict() == {"110102010": 4, "110102012": 0}
    df = query.run("street_counts", snapshot=fixture_snapshot, **{**MARCH, "subs": ["电梯故障"]})
    assert df["tickets"].sum() == 6


def test_results_are_copies(fixture_snapshot):
    a = query.run("streets", snapshot=fixture_snapshot)
    a.loc[0, "name_zh"] = "changed"
    assert query.run("streets", snapshot=fixture_snapshot).loc[0, "name_zh"] == "德胜街道"


def test_every_query_has_a_header():
    """Each file opens with a comment block naming the query, its params and what it returns."""
    for path in sorted(sql.QUERIES_DIR.glob("*.sql")):
        lines = path.read_text(encoding="utf-8").splitlines()
        header = "\n".join(line for line in lines[:next(i for i, ln in enumerate(lines) if not ln.startswith("--"))])
        assert header.startswith(f"-- {path.stem}"), path.name
        if not path.stem.startswith("_"):
            assert "params:" in header and "returns:" in header, path.name


def test_every_query_runs_on_the_fixture(fixture_snapshot):
    """Each query file binds and runs with plausible values (so none can rot unnoticed)."""
    values = {"start": date(2024, 2, 1), "end": date(2024, 3, 31), "prev_start": date(2024, 1, 1),
              "prev_end": date(2024, 1, 31), "streets": [], "categories": [], "subs": [], "communities": [], "level": 1,
              "grain": "month", "min_population": 0, "limit": 10, "as_of": date(2024, 3, 31),
              "horizon": datetime(2024, 4, 1), "report_minutes": 30, "quarter_start": date(2024, 1, 1),
              "open_only": False, "whistle_id": "W1", "programs": [],
              "followup_days": 30, "lookback_days": 30, "topic_id": "T2024-03-1", "topic_months": 3}
    for path in sorted(sql.QUERIES_DIR.glob("*.sql")):
        if path.stem.startswith("_"):
            continue
        params = {k: values[k] for k in sql.params_of(path.stem)}
        query.run(path.stem, snapshot=fixture_snapshot, **params)


def test_queries_wait_for_a_free_turn(fixture_snapshot, monkeypatch):
    """With every turn taken, a query waits (instead of running DuckDB out of memory next to the
    others) and runs as soon as a turn is free."""
    import threading

    from dashboard.store import db

    gate = threading.BoundedSemaphore(1)
    monkeypatch.setattr(db, "_gate", gate)
    query.clear_cache()
    out = []
    gate.acquire()                      # another session's query is running
    t = threading.Thread(target=lambda: out.append(query.run("street_counts", snapshot=fixture_snapshot, **MARCH)))
    t.start()
    t.join(timeout=1.0)
    assert t.is_alive() and out == []   # still waiting for its turn
    gate.release()
    t.join(timeout=30)
    assert not t.is_alive() and out[0]["tickets"].sum() == 14


def test_the_result_cache_is_bounded_in_bytes():
    lru = query._LRU(size=10, max_bytes=100)
    lru.put("a", "A", 40)
    lru.put("b", "B", 40)
    assert lru.get("a") == "A"          # a is now the most recently used
    lru.put("c", "C", 40)               # 120 bytes: the least recently used (b) goes
    assert (lru.get("a"), lru.get("b"), lru.get("c"), lru.bytes) == ("A", None, "C", 80)
    lru.put("a", "A2", 10)              # replacing a result counts its new size only
    assert (lru.get("a"), lru.bytes) == ("A2", 50)


def test_a_result_too_big_to_keep_is_run_again(fixture_snapshot, monkeypatch):
    query.clear_cache()
    monkeypatch.setattr(query, "_RESULT_MAX_BYTES", 10)
    query.run("street_counts", snapshot=fixture_snapshot, **MARCH)
    assert query._results.data == {}
    monkeypatch.setattr(query, "_RESULT_MAX_BYTES", 32 << 20)
    query.run("street_counts", snapshot=fixture_snapshot, **MARCH)
    assert len(query._results.data) == 1 and query._results.bytes > 0


def _concurrent_runs(fixture_snapshot, monkeypatch, fail_first: bool) -> tuple[list, list]:
    """Three threads ask for the same result while the first run is held inside DuckDB; returns the
    calls that reached the database and the three answers' ticket totals."""
    import threading

    from dashboard.store import db

    real, started, release, calls = db.fetch_df, threading.Event(), threading.Event(), []

    def held(info, name, params):
        calls.append(name)
        if len(calls) == 1:
            started.set()
            release.wait(timeout=30)
            if fail_first:
                raise RuntimeError("the first run failed")
        return real(info, name, params)

    monkeypatch.setattr(db, "fetch_df", held)
    query.clear_cache()
    out = []

    def ask():
        try:
            out.append(int(query.run("street_counts", snapshot=fixture_snapshot, **MARCH)["tickets"].sum()))
        except RuntimeError as e:
            out.append(str(e))

    threads = [threading.Thread(target=ask) for _ in range(3)]
    threads[0].start()
    assert started.wait(timeout=30)
    for t in threads[1:]:
        t.start()
    for t in threads[1:]:
        t.join(timeout=0.5)
        assert t.is_alive()             # waiting for the first run, not running the query again
    release.set()
    for t in threads:
        t.join(timeout=30)
    return calls, sorted(out, key=str)


def test_a_result_asked_for_at_once_is_worked_out_once(fixture_snapshot, monkeypatch):
    calls, out = _concurrent_runs(fixture_snapshot, monkeypatch, fail_first=False)
    assert calls == ["street_counts"] and out == [14, 14, 14]


def test_when_the_shared_run_fails_the_waiting_sessions_run_it_themselves(fixture_snapshot, monkeypatch):
    calls, out = _concurrent_runs(fixture_snapshot, monkeypatch, fail_first=True)
    assert calls == ["street_counts"] * 3 and out == [14, 14, "the first run failed"]

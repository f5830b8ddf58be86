"""The snapshot store: atomic publish, rollback, and builds that fail or are killed half-way;
each on both back ends, a local folder and a bucket (the `where` fixture, conftest.py)."""
import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import fixture_data
import pytest

from dashboard.core import schema
from dashboard.store import snapshot
from dashboard.store.snapshot import SnapshotError

ROOT = Path(__file__).resolve().parent.parent


def live_files(where):
    """CURRENT's id and the stored bytes of every file of the live snapshot."""
    info = snapshot.current(where.loc)
    names = ["manifest.json", *(e["file"] for e in info.manifest["tables"].values())]
    return info.id, {n: where.read(f"snapshots/{info.id}/{n}") for n in names}


def snapshot_ids_stored(where):
    """Every snapshot id anything is stored under (whole or not)."""
    return sorted({k.split("/")[1] for k in where.keys("snapshots/")})


def building(where):
    return [p.name for p in (where.local / "snapshots").iterdir() if p.name.startswith(".building-")]


def test_publish_writes_manifest_and_current(where):
    sid = fixture_data.build(where.loc)
    assert where.read("CURRENT").decode().strip() == sid
    m = json.loads(where.read(f"snapshots/{sid}/manifest.json").decode("utf-8"))
    assert m["id"] == sid and m["source"] == "fixture" and m["data_as_of"] == "2024-03-31"
    assert m["schema_version"] == schema.SCHEMA_VERSION
    assert m["tables"]["tickets"]["rows"] == 18 and m["tables"]["streets"]["rows"] == 2
    assert set(m["tables"]) >= {"streets", "communities", "circles", "facilities", "tickets", "daily"}
    assert all(len(e["sha256"]) == 64 for e in m["tables"].values())
    assert all(e["bytes"] == len(where.read(f"snapshots/{sid}/{e['file']}")) for e in m["tables"].values())
    assert snapshot.verify(sid, where.loc) == []


def test_rollback_and_list(where):
    first = fixture_data.build(where.loc)
    second = fixture_data.build(where.loc)
    assert snapshot.current_id(where.loc) == second
    assert [i.id for i in snapshot.list_snapshots(where.loc)] == [second, first]   # newest first
    snapshot.rollback(first, where.loc)
    assert snapshot.current_id(where.loc) == first
    with pytest.raises(SnapshotError):
        snapshot.rollback("no-such-id", where.loc)
    with pytest.raises(SnapshotError):
        snapshot.rollback("../etc", where.loc)
    assert snapshot.current_id(where.loc) == first
    assert where.read("CURRENT").decode().strip() == first


def test_rollback_refuses_a_tampered_snapshot(where):
    first = fixture_data.build(where.loc)
    second = fixture_data.build(where.loc)
    key = f"snapshots/{first}/streets.parquet"
    where.write(key, where.read(key) + b"x")
    with pytest.raises(SnapshotError, match="校验失败"):
        snapshot.rollback(first, where.loc)
    assert snapshot.current_id(where.loc) == second


def test_failed_build_leaves_live_snapshot_untouched(where):
    sid = fixture_data.build(where.loc)
    before = live_files(where)
    tables = {n: schema.conform(n, getattr(fixture_data, n)()) for n in schema.SOURCE_TABLES}

    def exploding():
        yield tables["tickets"]
        raise RuntimeError("export truncated")

    with pytest.raises(RuntimeError):
        snapshot.publish({**tables, "tickets": exploding()}, source="test", data_as_of=date(2024, 3, 31),
                         data_dir=where.loc)
    assert live_files(where) == before
    assert not building(where) and snapshot_ids_stored(where) == [sid]


def test_unsorted_or_duplicate_tickets_are_refused(where):
    fixture_data.build(where.loc)
    before = live_files(where)
    tables = {n: schema.conform(n, getattr(fixture_data, n)()) for n in schema.SOURCE_TABLES}
    t = fixture_data.tickets()
    with pytest.raises(SnapshotError, match="out of created_at order"):
        snapshot.publish({**tables, "tickets": schema.conform("tickets", t.iloc[::-1])}, source="test",
                         data_as_of=date(2024, 3, 31), data_dir=where.loc)
    t.loc[1, "ticket_id"] = t.loc[0, "ticket_id"]
    with pytest.raises(SnapshotError, match="duplicate"):
        snapshot.publish({**tables, "tickets": schema.conform("tickets", t)}, source="test",
                         data_as_of=date(2024, 3, 31), data_dir=where.loc)
    assert live_files(where) == before


def test_wrong_schema_is_refused(where):
    tables = {n: schema.conform(n, getattr(fixture_data, n)()) for n in schema.SOURCE_TABLES}
    bad = tables["streets"].drop_columns(["name_en"])
    with pytest.raises(SnapshotError, match="schema differs"):
        snapshot.publish({**tables, "streets": bad}, source="test", data_as_of=date(2024, 3, 31), data_dir=where.loc)
    with pytest.raises(ValueError, match="missing columns"):
        schema.conform("streets", fixture_data.streets().drop(columns=["population"]))
    assert snapshot.current_id(where.loc) is None and where.read("CURRENT") is None


def test_build_killed_half_way(where):
    """SIGKILL a publishing process mid-stream: CURRENT and the live snapshot stay as they were."""
    sid = fixture_data.build(where.loc)
    before = live_files(where)
    script = textwrap.dedent(f"""
        import sys, time
        sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'tests')!r}]
        from datetime import date
        import fixture_data
        from dashboard.core import schema
        from dashboard.store import snapshot
        tables = {{n: schema.conform(n, getattr(fixture_data, n)()) for n in schema.SOURCE_TABLES}}
        def slow():
            yield tables["tickets"]
            print("HALF", flush=True)
            time.sleep(60)
            yield tables["tickets"]
        snapshot.publish({{**tables, "tickets": slow()}}, source="killed", data_as_of=date(2024, 3, 31),
                         data_dir={str(where.loc)!r})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "HALF"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert live_files(where) == before
    assert building(where)
    assert [i.id for i in snapshot.list_snapshots(where.loc)] == [sid]   # the half build is not a snapshot
    assert snapshot.clean_stale_builds(where.loc, min_age_s=0)
    assert live_files(where) == before and not building(where) and snapshot_ids_stored(where) == [sid]


def test_snapshot_files_are_read_only(where):
    sid = fixture_data.build(where.loc)
    info = snapshot.load(sid, where.loc)
    snapshot.check_once(info)       # a bucket's files: downloaded into the local cache
    assert {p.name for p in info.path.iterdir()} >= {e["file"] for e in info.manifest["tables"].values()}
    for p in info.path.iterdir():
        assert not p.stat().st_mode & 0o222


def test_database_is_sandboxed(where, tmp_path):
    from dashboard.store import db
    fixture_data.build(where.loc)
    cur = db.cursor(snapshot.current(where.loc))
    refused = ["SELECT * FROM read_csv('/etc/passwd')", f"COPY (SELECT 1) TO '{tmp_path / 'x.csv'}'",
               "INSTALL spatial", "LOAD spatial", f"ATTACH '{tmp_path / 'y.db'}'",
               f"SELECT * FROM read_parquet('{where.loc}/snapshots/*/tickets.parquet')", "INSTALL httpfs",
               "SET memory_limit = '20GB'", "SET enable_external_access = true", "SET lock_configuration = false"]
    for sql in refused:
        with pytest.raises(Exception):
            cur.execute(sql)
    assert not (tmp_path / "x.csv").exists()
    assert cur.execute("SELECT count(*) FROM tickets").fetchone()[0] == 18

"""The snapshot store: atomic publish, rollback, and builds that fail or are killed half-way."""
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


def live_files(d):
    info = snapshot.current(d)
    return info.id, {p.name: p.read_bytes() for p in sorted(info.path.iterdir())}


def test_publish_writes_manifest_and_current(tmp_path):
    sid = fixture_data.build(tmp_path)
    assert (tmp_path / "CURRENT").read_text().strip() == sid
    m = json.loads((tmp_path / "snapshots" / sid / "manifest.json").read_text(encoding="utf-8"))
    assert m["id"] == sid and m["source"] == "fixture" and m["data_as_of"] == "2024-03-31"
    assert m["schema_version"] == schema.SCHEMA_VERSION
    assert m["tables"]["tickets"]["rows"] == 18 and m["tables"]["streets"]["rows"] == 2
    assert set(m["tables"]) >= {"streets", "communities", "circles", "facilities", "tickets", "daily"}
    assert all(len(e["sha256"]) == 64 for e in m["tables"].values())
    assert snapshot.verify(sid, tmp_path) == []


def test_rollback_and_list(tmp_path):
    first = fixture_data.build(tmp_path)
    second = fixture_data.build(tmp_path)
    assert snapshot.current_id(tmp_path) == second
    assert [i.id for i in snapshot.list_snapshots(tmp_path)] == [second, first]   # newest first
    snapshot.rollback(first, tmp_path)
    assert snapshot.current_id(tmp_path) == first
    with pytest.raises(SnapshotError):
        snapshot.rollback("no-such-id", tmp_path)
    with pytest.raises(SnapshotError):
        snapshot.rollback("../etc", tmp_path)
    assert snapshot.current_id(tmp_path) == first


def test_rollback_refuses_a_tampered_snapshot(tmp_path):
    first = fixture_data.build(tmp_path)
    fixture_data.build(tmp_path)
    f = tmp_path / "snapshots" / first / "streets.parquet"
    f.chmod(0o644)
    f.write_bytes(f.read_bytes() + b"x")
    with pytest.raises(SnapshotError, match="校验失败"):
        snapshot.rollback(first, tmp_path)


def test_failed_build_leaves_live_snapshot_untouched(tmp_path):
    fixture_data.build(tmp_path)
    before = live_files(tmp_path)
    tables = {n: schema.conform(n, getattr(fixture_data, n)()) for n in schema.SOURCE_TABLES}

    def exploding():
        yield tables["tickets"]
        raise RuntimeError("export truncated")

    with pytest.raises(RuntimeError):
        snapshot.publish({**tables, "tickets": exploding()}, source="test", data_as_of=date(2024, 3, 31),
                         data_dir=tmp_path)
    assert live_files(tmp_path) == before
    assert not [p for p in (tmp_path / "snapshots").iterdir() if p.name.startswith(".building-")]


def test_unsorted_or_duplicate_tickets_are_refused(tmp_path):
    fixture_data.build(tmp_path)
    before = live_files(tmp_path)
    tables = {n: schema.conform(n, getattr(fixture_data, n)()) for n in schema.SOURCE_TABLES}
    t = fixture_data.tickets()
    with pytest.raises(SnapshotError, match="out of created_at order"):
        snapshot.publish({**tables, "tickets": schema.conform("tickets", t.iloc[::-1])}, source="test",
                         data_as_of=date(2024, 3, 31), data_dir=tmp_path)
    t.loc[1, "ticket_id"] = t.loc[0, "ticket_id"]
    with pytest.raises(SnapshotError, match="duplicate"):
        snapshot.publish({**tables, "tickets": schema.conform("tickets", t)}, source="test",
                         data_as_of=date(2024, 3, 31), data_dir=tmp_path)
    assert live_files(tmp_path) == before


def test_wrong_schema_is_refused(tmp_path):
    tables = {n: schema.conform(n, getattr(fixture_data, n)()) for n in schema.SOURCE_TABLES}
    bad = tables["streets"].drop_columns(["name_en"])
    with pytest.raises(SnapshotError, match="schema differs"):
        snapshot.publish({**tables, "streets": bad}, source="test", data_as_of=date(2024, 3, 31), data_dir=tmp_path)
    with pytest.raises(ValueError, match="missing columns"):
        schema.conform("streets", fixture_data.streets().drop(columns=["population"]))
    assert snapshot.current_id(tmp_path) is None


def test_build_killed_half_way(tmp_path):
    """SIGKILL a publishing process mid-stream: CURRENT and the live snapshot stay as they were."""
    fixture_data.build(tmp_path)
    before = live_files(tmp_path)
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
                         data_dir={str(tmp_path)!r})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "HALF"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert live_files(tmp_path) == before
    assert [p.name for p in (tmp_path / "snapshots").iterdir() if p.name.startswith(".building-")]
    assert len(snapshot.list_snapshots(tmp_path)) == 1           # the half build is not a snapshot
    assert snapshot.clean_stale_builds(tmp_path, min_age_s=0)
    assert live_files(tmp_path) == before


def test_snapshot_files_are_read_only(tmp_path):
    sid = fixture_data.build(tmp_path)
    for p in (tmp_path / "snapshots" / sid).iterdir():
        assert not p.stat().st_mode & 0o222


def test_database_is_sandboxed(fixture_snapshot, tmp_path):
    from dashboard.store import db
    cur = db.cursor(fixture_snapshot)
    refused = ["SELECT * FROM read_csv('/etc/passwd')", f"COPY (SELECT 1) TO '{tmp_path / 'x.csv'}'",
               "INSTALL spatial", "LOAD spatial", f"ATTACH '{tmp_path / 'y.db'}'",
               "SET memory_limit = '20GB'", "SET enable_external_access = true", "SET lock_configuration = false"]
    for sql in refused:
        with pytest.raises(Exception):
            cur.execute(sql)
    assert not (tmp_path / "x.csv").exists()
    assert cur.execute("SELECT count(*) FROM tickets").fetchone()[0] == 18

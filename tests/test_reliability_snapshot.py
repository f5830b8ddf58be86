"""Issue 14, items 1-2: a broken CURRENT never brings the demo over real data, and a damaged
snapshot is refused (in Chinese, naming the rollback) while 数据管理 can still roll back.
Each on both back ends, a local folder and a bucket (the `where` fixture, conftest.py)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import fixture_data
import pytest
from backends import damage
from streamlit.testing.v1 import AppTest

from dashboard.store import bootstrap, db, snapshot
from dashboard.store.snapshot import SnapshotError

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


@pytest.fixture
def no_demo(monkeypatch):
    """Record demo builds instead of running them (the generator takes half a minute)."""
    calls = []
    monkeypatch.setattr(bootstrap, "publish_demo", lambda **kw: calls.append(kw))
    return calls


@pytest.mark.parametrize("pointer", ["", "   \n", None, "no-such-snapshot", "../etc"])
def test_a_broken_current_with_snapshots_present_refuses_and_builds_no_demo(where, no_demo, pointer):
    sid = fixture_data.build(where.loc)
    if pointer is None:
        where.delete("CURRENT")
    else:
        where.write("CURRENT", pointer.encode("utf-8"))
    with pytest.raises(SnapshotError, match=f"python -m dashboard rollback {sid}"):
        bootstrap.ensure_snapshot(where.loc)
    assert no_demo == [] and snapshot.published_ids(where.loc) == [sid]


def test_the_demo_is_built_into_an_empty_data_dir_only(where, no_demo):
    assert bootstrap.ensure_snapshot(where.loc) is None   # the recorded build published nothing
    assert len(no_demo) == 1


def test_start_sh_builds_no_demo_over_snapshots_without_current(where):
    sid = fixture_data.build(where.loc)
    where.write("CURRENT", b"")
    done = subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(where.loc), "demo", "--if-empty"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0 and "rollback" in done.stderr
    assert snapshot.published_ids(where.loc) == [sid]
    assert "--if-empty" in (ROOT / "scripts" / "start.sh").read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["overwrite", "truncate", "delete"])
def test_a_damaged_snapshot_is_refused_when_first_opened(where, how):
    sid = fixture_data.build(where.loc)
    damage(where, f"snapshots/{sid}/tickets.parquet", how)
    info = snapshot.current(where.loc)
    with pytest.raises(SnapshotError, match=f"快照 {sid} 已损坏.*tickets.*python -m dashboard rollback"):
        db.cursor(info)


def test_snapshots_cli_marks_damaged_ones_and_survives_a_corrupt_manifest(where):
    first = fixture_data.build(where.loc)
    second = fixture_data.build(where.loc)
    third = fixture_data.build(where.loc)
    damage(where, f"snapshots/{second}/streets.parquet", "overwrite")
    where.write(f"snapshots/{first}/manifest.json", b"{not json")
    assert [i.id for i in snapshot.list_snapshots(where.loc)] == [third, second]
    done = subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(where.loc), "snapshots"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = {line.split()[1] if line.startswith("*") else line.split()[0]: line for line in done.stdout.splitlines()}
    assert "损坏" not in lines[third] and lines[third].startswith("*")
    assert "损坏" in lines[second] and "损坏" in lines[first]


def test_the_app_refuses_a_damaged_live_snapshot_and_the_admin_can_roll_back(where, monkeypatch):
    before = fixture_data.build(where.loc)
    live = fixture_data.build(where.loc)
    damage(where, f"snapshots/{live}/tickets.parquet", "overwrite")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(where.loc))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"快照 {live} 已损坏" in e.value and "rollback" in e.value for e in at.error)
    at.selectbox(key="admin_rollback_target").set_value(before).run()
    at.button(key="admin_rollback").click().run()
    assert snapshot.current_id(where.loc) == before and where.read("CURRENT").decode().strip() == before
    assert not at.exception and not at.error
    assert at.selectbox(key="f_period").value     # the app runs again on the good snapshot


@pytest.mark.parametrize("broken", ["empty-current", "damaged-live"])
def test_an_import_refuses_to_build_on_a_broken_current_or_a_damaged_live_snapshot(where, tmp_path, broken):
    sid = fixture_data.build(where.loc)
    if broken == "empty-current":
        where.write("CURRENT", b"")
    else:
        damage(where, f"snapshots/{sid}/communities.parquet", "overwrite")
    csv_file = tmp_path / "t.csv"
    csv_file.write_text("工单编号,创建时间,被反映街乡镇,一级分类,是否有效回访,是否联系,是否解决,是否满意\n"
                        "X1,2024-04-01 10:00,德胜街道,供暖,是,是,是,满意\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(where.loc), "import", str(csv_file),
                           "--kind", "tickets"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 1 and "python -m dashboard rollback" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and snapshot.published_ids(where.loc) == [sid]

"""What a bucket adds to the snapshot store (issue 17): the conditional CURRENT write, the
failures of a remote store (wrong credentials, missing bucket, the network gone mid-publish),
each with a Chinese message and nothing published or lost, the read-through cache and the
interval at which a process notices a new CURRENT."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import fixture_data
import pytest
import s3server
from backends import Bucket, forget_process_state

from dashboard.core import schema
from dashboard.store import db, objects, snapshot
from dashboard.store.objects import Conflict, StoreError

ROOT = Path(__file__).resolve().parent.parent


def tables():
    return {n: schema.conform(n, getattr(fixture_data, n)()) for n in schema.SOURCE_TABLES}


def publish(loc, **kw):
    return snapshot.publish(tables(), source="test", data_as_of=date(2024, 3, 31), data_dir=loc, **kw)


def stored_ids(where) -> list[str]:
    return sorted({k.split("/")[1] for k in where.keys("snapshots/")})


def test_a_publisher_on_a_stale_current_is_refused_and_publishes_nothing(where):
    first = fixture_data.build(where.loc)
    stale = snapshot.pointer(where.loc)          # publisher B reads CURRENT and starts building
    second = publish(where.loc)                  # meanwhile publisher A publishes
    with pytest.raises(Conflict, match="另一个发布者已更新.*CURRENT.*线上数据保持不变") as refused:
        publish(where.loc, after=stale)
    assert "Conflict" not in str(refused.value)
    assert snapshot.current_id(where.loc) == second and where.read("CURRENT").decode().strip() == second
    assert stored_ids(where) == sorted([first, second])     # B's snapshot was removed again
    assert [i.id for i in snapshot.list_snapshots(where.loc)] == [second, first]


def test_the_second_of_two_conditional_writes_on_one_version_is_refused(where):
    snapshot.root(where.loc)
    store = objects.open_store(where.loc)
    assert store.pointer().tag is None
    store.put_if("CURRENT", b"a\n", None)                 # If-None-Match: * on an absent CURRENT
    with pytest.raises(Conflict):
        store.put_if("CURRENT", b"b\n", None)             # ... a second time: it exists now
    seen = store.pointer()
    store.put_if("CURRENT", b"c\n", seen.tag)             # If-Match on the version just read
    with pytest.raises(Conflict):
        store.put_if("CURRENT", b"d\n", seen.tag)         # the same version again: refused
    assert where.read("CURRENT") == b"c\n"


def test_wrong_credentials_publish_nothing_and_never_show_the_secret(bucket, s3, monkeypatch):
    first = fixture_data.build(bucket.loc)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret-0123456789")
    with pytest.raises(StoreError, match="拒绝了访问凭据.*AWS_SECRET_ACCESS_KEY") as refused:
        publish(bucket.loc)
    assert "wrong-secret" not in str(refused.value) and s3.secret not in str(refused.value)
    with pytest.raises(StoreError, match="拒绝了访问凭据"):
        snapshot.current(bucket.loc)
    done = subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", bucket.loc, "snapshots"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 1 and "拒绝了访问凭据" in done.stderr and "Traceback" not in done.stderr
    assert "wrong-secret" not in done.stderr + done.stdout
    assert bucket.read("CURRENT").decode().strip() == first and stored_ids(bucket) == [first]
    for key in bucket.keys():                      # nothing stored carries a credential
        assert s3.secret.encode() not in bucket.read(key) and s3.key_id.encode() not in bucket.read(key)


def test_a_missing_bucket_is_named_and_nothing_is_built(s3, tmp_path, monkeypatch):
    for k, v in s3.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    loc = "s3://no-such-bucket-17/dash"
    with pytest.raises(StoreError, match="存储桶 no-such-bucket-17 不存在"):
        publish(loc)
    done = subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", loc, "demo", "--tickets", "2000"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 1 and "存储桶 no-such-bucket-17 不存在" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not list((snapshot.root(loc) / "snapshots").iterdir())   # no build was left behind


def test_the_network_gone_mid_publish_leaves_current_and_the_live_snapshot(s3, s3_bucket, tmp_path, monkeypatch):
    relay = s3server.Relay(int(s3.endpoint.rsplit(":", 1)[1]))
    for k, v in s3.env(f"http://127.0.0.1:{relay.port}").items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    loc = f"s3://{s3_bucket}/{tmp_path.name}-net"
    forget_process_state()
    first = fixture_data.build(loc)
    uploads = []

    def cut_after_three(fraction, text):
        if text.startswith("上传"):
            uploads.append(text)
            if len(uploads) == 4:
                relay.cut()

    with pytest.raises(StoreError, match="无法连接对象存储.*AWS_ENDPOINT_URL") as failed:
        publish(loc, progress=cut_after_three)
    assert s3.secret not in str(failed.value)
    for k, v in s3.env().items():
        monkeypatch.setenv(k, v)
    direct = Bucket(s3, s3_bucket, f"{tmp_path.name}-net")   # the store as seen past the broken network
    assert direct.read("CURRENT").decode().strip() == first
    assert snapshot.published_ids(direct.loc) == [first]      # the half upload is not a snapshot
    assert len(stored_ids(direct)) == 2                       # ... but left its files (no manifest)
    assert snapshot.clean_stale_builds(direct.loc, min_age_s=0)
    assert stored_ids(direct) == [first] and snapshot.verify(first, direct.loc) == []
    assert db.cursor(snapshot.current(direct.loc)).execute("SELECT count(*) FROM tickets").fetchone()[0] == 18


def test_files_are_downloaded_once_into_the_cache_and_a_bad_copy_is_fetched_again(bucket, monkeypatch):
    sid = fixture_data.build(bucket.loc)
    info = snapshot.current(bucket.loc)
    files = {e["file"] for e in info.manifest["tables"].values()}
    fetched = []
    real = objects.BucketStore.fetch

    def counting(self, sid_, name, sha):
        got = real(self, sid_, name, sha)
        fetched.append(name)
        return got

    downloads = []
    monkeypatch.setattr(objects.BucketStore, "fetch", counting)
    assert db.cursor(info).execute("SELECT count(*) FROM tickets").fetchone()[0] == 18
    assert set(fetched) == files and {p.name for p in info.path.iterdir()} == files
    assert info.path == bucket.local / "snapshots" / sid

    forget_process_state()                     # a second process on the same machine: the cache is warm
    store = objects.open_store(bucket.loc)
    monkeypatch.setattr(store.client, "download_file", lambda *a, **k: downloads.append(a[1]))
    info = snapshot.current(bucket.loc)
    assert db.cursor(info).execute("SELECT count(*) FROM tickets").fetchone()[0] == 18
    assert downloads == []

    forget_process_state()                     # a damaged cached copy is replaced from the bucket
    cached = info.path / "streets.parquet"
    cached.chmod(0o644)
    cached.write_bytes(b"garbage")
    info = snapshot.current(bucket.loc)
    assert db.cursor(info).execute("SELECT count(*) FROM streets").fetchone()[0] == 2
    assert cached.read_bytes() == bucket.read(f"snapshots/{sid}/streets.parquet")


def test_a_new_current_is_noticed_within_the_refresh_interval(bucket, monkeypatch):
    first = fixture_data.build(bucket.loc)
    second = publish(bucket.loc)
    snapshot.rollback(first, bucket.loc)
    clock = [1000.0]
    monkeypatch.setattr(objects.time, "monotonic", lambda: clock[0])
    forget_process_state()
    assert snapshot.current_id(bucket.loc) == first
    bucket.client.put_object(Bucket=bucket.bucket, Key=bucket.prefix + "CURRENT", Body=f"{second}\n".encode())
    clock[0] += 9.0                 # within the interval (Settings.snapshot_refresh_s = 10): still the old one
    assert snapshot.current_id(bucket.loc) == first
    clock[0] += 1.5                 # past it: the next run reads CURRENT again
    assert snapshot.current(bucket.loc).id == second


def test_publish_reads_back_what_it_uploaded(bucket, monkeypatch):
    first = fixture_data.build(bucket.loc)
    real = objects.BucketStore._hash_object
    monkeypatch.setattr(objects.BucketStore, "_hash_object",   # the bucket returns other bytes
                        lambda self, key: ("0" * 64, 1) if key.endswith("tickets.parquet") else real(self, key))
    with pytest.raises(StoreError, match="上传后校验失败.*tickets.parquet"):
        publish(bucket.loc)
    assert bucket.read("CURRENT").decode().strip() == first and stored_ids(bucket) == [first]
    manifest = json.loads(bucket.read(f"snapshots/{first}/manifest.json"))
    assert manifest["tables"]["tickets"]["rows"] == 18


def test_two_imports_from_two_machines_lose_no_update(bucket, tmp_path):
    """Two import jobs at once, each with its own cache (two machines: no shared lock): whichever
    way they interleave, every import that reports success is in the final live snapshot, and one
    that lost the race says so and changed nothing."""
    fixture_data.build(bucket.loc)
    header = "工单编号,创建时间,被反映街乡镇,一级分类,是否有效回访,是否联系,是否解决,是否满意\n"
    jobs = {}
    for name in ("A1", "B1"):
        f = tmp_path / f"{name}.csv"
        f.write_text(header + f"{name},2024-03-30 10:00,德胜街道,供暖,是,是,是,满意\n", encoding="utf-8")
        env = {**os.environ, "DASHBOARD_CACHE_DIR": str(tmp_path / f"machine-{name}")}
        jobs[name] = subprocess.Popen([sys.executable, "-m", "dashboard", "--data-dir", bucket.loc, "import", str(f),
                                       "--kind", "tickets"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True)
    results = {name: (p.wait(timeout=300), *p.communicate()) for name, p in jobs.items()}
    forget_process_state()
    live = snapshot.current(bucket.loc)
    ids = set(db.cursor(live).execute("SELECT ticket_id FROM tickets").fetchdf()["ticket_id"])
    won = [name for name, (rc, _, _) in results.items() if rc == 0]
    assert won, results
    for name, (rc, out, err) in results.items():
        if rc == 0:
            assert any(name in i for i in ids), (name, sorted(ids)[:5])
        else:
            assert "发布被拒绝" in err + out and "Traceback" not in err
    assert live.row_counts["tickets"] == 18 + len(won)


def test_a_run_resolves_the_snapshot_once_and_the_next_run_takes_the_new_one(bucket, monkeypatch):
    """One snapshot per script run (the stamp and every query of the run use it); after a publish
    the session's next run shows the new one."""
    from streamlit.testing.v1 import AppTest

    first = fixture_data.build(bucket.loc)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", bucket.loc)
    resolved = []
    real = snapshot.current

    def recording(*args, **kwargs):
        info = real(*args, **kwargs)
        resolved.append(info.id)
        return info

    monkeypatch.setattr(snapshot, "current", recording)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception and resolved == [first]
    assert any(first in c.value for c in at.caption)
    second = publish(bucket.loc)      # this process wrote CURRENT: no interval to wait for
    at.run()
    assert not at.exception and resolved == [first, second]
    stamps = [c.value for c in at.caption if "快照" in c.value]
    assert stamps and all(second in s and first not in s for s in stamps)


def test_read_only_keys_serve_the_app_but_cannot_publish(bucket, s3, monkeypatch):
    """A replica's keys need only read and list; a publish with them is refused at its first
    upload, in Chinese, and nothing is published."""
    first = fixture_data.build(bucket.loc)
    key_id, secret = s3.reader_keys()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    forget_process_state()
    info = snapshot.current(bucket.loc)
    assert info.id == first and db.cursor(info).execute("SELECT count(*) FROM tickets").fetchone()[0] == 18
    with pytest.raises(StoreError, match="上传 .*失败：.*拒绝了访问凭据（AccessDenied）") as refused:
        publish(bucket.loc)
    assert secret not in str(refused.value)
    assert bucket.read("CURRENT").decode().strip() == first and stored_ids(bucket) == [first]
    assert not [p for p in (bucket.local / "snapshots").iterdir() if p.name.startswith(".building-")]


def test_the_admin_import_publishes_to_the_bucket_the_app_reads(bucket, monkeypatch):
    """数据管理 runs the import CLI on the configured location (s3://…), not on the local cache."""
    from dashboard.core import config
    from dashboard.ingest import admin as ingest_admin

    first = fixture_data.build(bucket.loc)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", bucket.loc)
    csv_text = ("工单编号,创建时间,被反映街乡镇,一级分类,是否有效回访,是否联系,是否解决,是否满意\n"
                "Z9,2024-03-30 10:00,德胜街道,供暖,是,是,是,满意\n")
    done = ingest_admin.run_in_subprocess([("t.csv", csv_text.encode("utf-8"))], "tickets", "wgs84",
                                          config.data_location())
    assert done["code"] == 0, done["stderr"]
    forget_process_state()
    live = snapshot.current(bucket.loc)
    assert live.id != first and bucket.read("CURRENT").decode().strip() == live.id
    assert live.row_counts["tickets"] == 19 and stored_ids(bucket) == sorted([first, live.id])
    assert not (config.data_dir() / "CURRENT").exists()        # nothing was published into the cache folder

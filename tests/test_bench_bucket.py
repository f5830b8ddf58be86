"""A smoke run of the bench's bucket part (`--bucket`, dashboard/bench/bucket.py) against the
loopback S3 server: every step runs, its lines are printed, and the bucket's live snapshot is the
folder's, byte for byte.  Tiny on purpose; speed belongs to the bench itself."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from dashboard.store import snapshot

ROOT = Path(__file__).resolve().parent.parent


def test_bench_bucket_smoke(s3, s3_bucket, tmp_path):
    loc = f"s3://{s3_bucket}/bench-{tmp_path.name}"
    cmd = [sys.executable, "-m", "dashboard", "bench", "--tickets", "10000", "--runs", "1", "--bucket", loc,
           "--concurrency-seconds", "0", "--pages", "overview", "--no-browser", "--dir", str(tmp_path)]
    env = {**os.environ, **s3.env(), "DASHBOARD_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    for line in (f"bucket {loc}/10000-2024/", "publish: upload + read back", "replica start, cold cache",
                 "replica start, warm cache", "CURRENT re-read", "overview queries (sum of p50)",
                 "overview page (folder)", "overview page (bucket)"):
        assert line in out, line
    assert re.search(r"overview page \(bucket\).*errors 0", out) and out.strip().endswith("errors=0")
    assert s3.secret not in out + done.stderr
    folder = snapshot.current(tmp_path / "10000-2024")
    client = s3.client()
    prefix = f"bench-{tmp_path.name}/10000-2024/"
    live = client.get_object(Bucket=s3_bucket, Key=prefix + "CURRENT")["Body"].read().decode().strip()
    assert live == folder.id
    manifest = json.loads(client.get_object(Bucket=s3_bucket, Key=f"{prefix}snapshots/{live}/manifest.json")["Body"]
                          .read())
    assert manifest["tables"]["tickets"]["rows"] == folder.row_counts["tickets"]
    tickets = client.get_object(Bucket=s3_bucket, Key=f"{prefix}snapshots/{live}/tickets.parquet")["Body"].read()
    assert tickets == (folder.path / "tickets.parquet").read_bytes()

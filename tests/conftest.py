"""Shared pytest fixtures: a hand-built snapshot in a temporary data dir."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixture_data  # noqa: E402


@pytest.fixture(scope="session")
def fixture_dir(tmp_path_factory):
    """A data dir holding the published hand-built fixture snapshot."""
    d = tmp_path_factory.mktemp("fixture-data")
    fixture_data.build(d)
    return d


@pytest.fixture
def fixture_snapshot(fixture_dir):
    """The fixture snapshot's SnapshotInfo."""
    from dashboard.store import snapshot
    return snapshot.current(fixture_dir)


@pytest.fixture(autouse=True)
def served_app(monkeypatch):
    """Run AppTest as a server runs after its first request (see dashboard/ui/routing.py).

    AppTest turns Streamlit's legacy pages/ routing back on at every run, a state a real
    server is in only for its very first request (the browser tests open deep links on fresh
    servers to cover it, test_routing the reroute itself).  Left on, every AppTest run would
    pass through the reroute and drop the widget values a test sets.
    """
    from dashboard.ui import routing

    routing.keep_legacy_routing_off(monkeypatch)


@pytest.fixture(scope="session")
def s3(tmp_path_factory):
    """moto's S3 server on loopback for the whole session (tests/s3server.py)."""
    import s3server

    with s3server.running(tmp_path_factory.mktemp("s3") / "moto.log") as server:
        yield server


@pytest.fixture(scope="session")
def s3_bucket(s3):
    """One bucket the bucket-backed tests share, each under its own prefix."""
    return s3.new_bucket()


@pytest.fixture(params=["folder", "bucket"])
def where(request, tmp_path, monkeypatch):
    """The snapshot store's two back ends: a local data dir, or a prefix of a bucket on the
    loopback S3 server (credentials in the environment, a private cache dir)."""
    import backends

    if request.param == "folder":
        return backends.Folder(tmp_path / "data")
    return request.getfixturevalue("bucket")


@pytest.fixture
def bucket(request, tmp_path, monkeypatch):
    """A prefix of a bucket on the loopback S3 server as the snapshot store (see `where`)."""
    import backends

    s3 = request.getfixturevalue("s3")
    for k, v in s3.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    return backends.Bucket(s3, request.getfixturevalue("s3_bucket"), tmp_path.name)

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
    from dashboard import snapshot
    return snapshot.current(fixture_dir)

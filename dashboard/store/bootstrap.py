"""Publishing the demo snapshot, and making sure one exists on first start."""
from __future__ import annotations

import fcntl

from . import snapshot
from .objects import Conflict


def publish_demo(seed: int = 2024, end: str | None = None, years: int = 3, tickets: int | None = None,
                 data_dir: snapshot.Where = None, progress=None, planted_effect: float | None = None,
                 after: snapshot.Tagged | None = None) -> str:
    """Build the deterministic demo data and publish it as the live snapshot; returns its id.

    `planted_effect`: the demo's planted share (None: its default, 0: none; demo/effect.py);
    `after`: the CURRENT it replaces (see snapshot.publish)."""
    from ..demo import generator as demo  # the generator is only needed when building

    say = progress or (lambda f, t: None)
    say(0.0, "生成演示数据（街道、社区、生活圈、设施、党建）")
    data = demo.build(seed=seed, end=end, years=years, tickets=tickets, planted_effect=planted_effect)
    tables = dict(data.static, tickets=data.ticket_batches())
    return snapshot.publish(tables, source="demo", data_as_of=data.data_as_of,
                            details={"generator": data.meta}, data_dir=data_dir, progress=say, after=after)


def ensure_snapshot(data_dir: snapshot.Where = None, progress=None) -> snapshot.SnapshotInfo:
    """The live snapshot; builds and publishes the default demo first only into an empty data
    dir.  Snapshots present but CURRENT missing, empty or invalid raise SnapshotError (see
    snapshot.current): the demo is never published over real data.

    A file lock makes concurrent first starts (two sessions, two processes) build once; on a
    bucket, replicas on other machines are kept from publishing twice by the conditional
    CURRENT write (the loser takes the winner's snapshot).
    """
    info = snapshot.current(data_dir)
    if info is not None:
        return info
    with open(snapshot.root(data_dir) / ".bootstrap.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        at = snapshot.pointer(data_dir)
        info = snapshot.current(data_dir, at)
        if info is None:
            try:
                publish_demo(data_dir=data_dir, progress=progress, after=at)
            except Conflict:
                pass
            info = snapshot.current(data_dir, snapshot.pointer(data_dir))
    return info

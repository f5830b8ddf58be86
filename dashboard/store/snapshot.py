"""The snapshot store: immutable Parquet folders, a manifest, and an atomic CURRENT pointer.

    data/
      CURRENT                      id of the live snapshot (replaced with os.replace)
      snapshots/<id>/              one Parquet file per table + manifest.json
      snapshots/.building-<id>/    a build in progress; never read, removed on failure

A build writes everything into `.building-<id>`, verifies it, renames the folder to
`<id>` (atomic on one filesystem) and only then repoints CURRENT.  A build that fails
or is killed half-way therefore leaves CURRENT and the live snapshot untouched.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..core import config, schema
from .rollups import build_rollups

SNAPSHOTS = "snapshots"
CURRENT = "CURRENT"
BUILDING_PREFIX = ".building-"
# Small row groups keep time-window queries pruning well on sorted tickets.
TICKET_ROW_GROUP = 64 * 1024


class SnapshotError(RuntimeError):
    """A snapshot is missing, incomplete or fails its checksums."""


@dataclass(frozen=True)
class SnapshotInfo:
    """What the UI and the CLI need to know about one snapshot (from its manifest)."""

    id: str
    path: Path
    manifest: dict

    @property
    def source(self) -> str:
        return self.manifest["source"]

    @property
    def is_demo(self) -> bool:
        return self.manifest["source"] == "demo"

    @property
    def data_as_of(self) -> date:
        return date.fromisoformat(self.manifest["data_as_of"])

    @property
    def row_counts(self) -> dict[str, int]:
        return {k: v["rows"] for k, v in self.manifest["tables"].items()}


def root(data_dir: Path | None = None) -> Path:
    """The data dir (created if missing)."""
    d = Path(data_dir) if data_dir else config.data_dir()
    (d / SNAPSHOTS).mkdir(parents=True, exist_ok=True)
    return d


def current_id(data_dir: Path | None = None) -> str | None:
    """The id CURRENT names, or None when CURRENT is missing or empty (see `current`)."""
    f = root(data_dir) / CURRENT
    return f.read_text(encoding="utf-8").strip() or None if f.exists() else None


def rollback_hint(data_dir: Path | None = None) -> str:
    """How to repoint CURRENT by hand: the command, with the newest whole snapshot as example."""
    infos = list_snapshots(data_dir)
    sid = infos[0].id if infos else "<快照编号>"
    return (f"请管理员在「数据管理 → 快照与回滚」中选择快照回滚，或运行 "
            f"python -m dashboard rollback {sid}（python -m dashboard snapshots 列出全部快照）")


def load(snapshot_id: str, data_dir: Path | None = None) -> SnapshotInfo:
    """Read a published snapshot's manifest; raises SnapshotError if it is not whole
    (missing, or a manifest that is not readable JSON with the fields the app needs)."""
    if not snapshot_id or "/" in snapshot_id or snapshot_id.startswith("."):
        raise SnapshotError(f"不是有效的快照编号: {snapshot_id!r}")
    path = root(data_dir) / SNAPSHOTS / snapshot_id
    mf = path / "manifest.json"
    if not mf.exists():
        raise SnapshotError(f"快照 {snapshot_id} 不存在或不完整")
    try:
        manifest = json.loads(mf.read_text(encoding="utf-8"))
        date.fromisoformat(manifest["data_as_of"])
        if not all(isinstance(e["file"], str) and isinstance(e["sha256"], str) and int(e["rows"]) >= 0
                   for e in manifest["tables"].values()) or not isinstance(manifest["created_at"], str) \
                or not isinstance(manifest["source"], str):
            raise ValueError("bad field")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise SnapshotError(f"快照 {snapshot_id} 损坏：manifest.json 无法读取（{type(e).__name__}）") from None
    return SnapshotInfo(snapshot_id, path, manifest)


def current(data_dir: Path | None = None) -> SnapshotInfo | None:
    """The live snapshot; None only when the data dir holds no snapshot at all (first start).

    When snapshots exist but CURRENT is missing, empty or names nothing whole, raises
    SnapshotError naming the rollback command: building the demo then would publish it over
    the real data (and the next import would take it as its base).
    """
    sid = current_id(data_dir)
    if sid is None:
        if not published_ids(data_dir):
            return None
        raise SnapshotError("当前快照指针 CURRENT 缺失或为空，但数据目录中已有快照；看板不会用演示数据覆盖它们。"
                            + rollback_hint(data_dir))
    try:
        return load(sid, data_dir)
    except SnapshotError as e:
        raise SnapshotError(f"当前快照指针 CURRENT 指向的快照不可用：{e}。{rollback_hint(data_dir)}") from None


def published_ids(data_dir: Path | None = None) -> list[str]:
    """Names of the published snapshot folders (whole or not; building folders are skipped)."""
    base = root(data_dir) / SNAPSHOTS
    return sorted(p.name for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))


def list_snapshots(data_dir: Path | None = None) -> list[SnapshotInfo]:
    """All published snapshots whose manifest reads, newest first (building folders and
    snapshots with a damaged manifest are skipped: see `damaged_manifests`)."""
    infos = []
    for sid in published_ids(data_dir):
        try:
            infos.append(load(sid, data_dir))
        except SnapshotError:
            continue
    return sorted(infos, key=lambda i: i.manifest["created_at"], reverse=True)


def damaged_manifests(data_dir: Path | None = None) -> dict[str, str]:
    """Snapshot folders whose manifest is missing or unreadable: {id: reason}."""
    out = {}
    for sid in published_ids(data_dir):
        try:
            load(sid, data_dir)
        except SnapshotError as e:
            out[sid] = str(e)
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_table(path: Path, name: str, data: pa.Table | Iterable[pa.Table]) -> int:
    """Write one table; `data` may be a stream of batches (tickets).  Returns the row count."""
    target = schema.TABLES[name]
    batches = [data] if isinstance(data, pa.Table) else data
    rows = 0
    with pq.ParquetWriter(path, target, compression="zstd") as writer:
        for batch in batches:
            if batch.schema != target:
                raise SnapshotError(f"table {name}: schema differs from the canonical one:\n{batch.schema}")
            writer.write_table(batch, row_group_size=TICKET_ROW_GROUP)
            rows += batch.num_rows
    return rows


def _check_tickets(path: Path) -> dict:
    """Tickets must be sorted by created_at (time filters rely on row-group pruning) with unique ids."""
    con = duckdb.connect()
    unsorted, dupes, lo, hi = con.execute(
        """SELECT count(*) FILTER (WHERE created_at < prev),
                  count(*) - count(DISTINCT ticket_id), min(created_at), max(created_at)
           FROM (SELECT ticket_id, created_at, lag(created_at) OVER () AS prev
                 FROM read_parquet($p))""", {"p": str(path)}).fetchone()
    con.close()
    if unsorted:
        raise SnapshotError(f"tickets: {unsorted} rows out of created_at order")
    if dupes:
        raise SnapshotError(f"tickets: {dupes} duplicate ticket_id values")
    return {"min_created_at": lo.isoformat() if lo else None, "max_created_at": hi.isoformat() if hi else None}


def new_id(source: str) -> str:
    """A sortable, unique snapshot id: UTC time, source and a random suffix."""
    return f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{source}-{secrets.token_hex(2)}"


def publish(tables: Mapping[str, pa.Table | Iterable[pa.Table]], *, source: str, data_as_of: date,
            details: dict | None = None, data_dir: Path | None = None, progress=None) -> str:
    """Write a complete snapshot, verify it, and make it the live one.  Returns its id.

    `tables` holds every table of schema.TABLES (an optional one left out is written empty);
    `tickets` may be an iterable of Arrow tables in created_at order.  `progress(fraction,
    text)` is called along the way.
    On any error the half-built folder is removed and CURRENT is not touched.
    """
    say = progress or (lambda f, t: None)
    missing = set(schema.SOURCE_TABLES) - set(tables) - set(schema.OPTIONAL_TABLES)
    if missing:
        raise SnapshotError(f"missing tables: {sorted(missing)}")
    tables = {**{t: schema.TABLES[t].empty_table() for t in schema.OPTIONAL_TABLES}, **tables}
    base = root(data_dir)
    clean_stale_builds(base)  # folders of builds killed long ago
    sid = new_id(source)
    tmp = base / SNAPSHOTS / f"{BUILDING_PREFIX}{sid}"
    tmp.mkdir()
    try:
        files: dict[str, dict] = {}
        for i, name in enumerate(schema.SOURCE_TABLES):
            say(0.05 + 0.6 * i / len(schema.SOURCE_TABLES), f"写入 {name}")
            rows = _write_table(tmp / f"{name}.parquet", name, tables[name])
            files[name] = {"rows": rows}
        say(0.7, "校验工单排序")
        ticket_range = _check_tickets(tmp / "tickets.parquet")
        say(0.75, "生成汇总表")
        files.update(build_rollups(tmp))
        say(0.9, "计算校验和")
        for name, entry in files.items():
            entry["file"] = f"{name}.parquet"
            entry["sha256"] = _sha256(tmp / entry["file"])
        manifest = {
            "id": sid,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="microseconds"),
            "source": source,
            "data_as_of": data_as_of.isoformat(),
            "schema_version": schema.SCHEMA_VERSION,
            "tables": files,
            "tickets": ticket_range,
            "details": details or {},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        for p in tmp.iterdir():
            p.chmod(0o444)  # immutable from here on
        os.rename(tmp, base / SNAPSHOTS / sid)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    set_current(sid, base)
    say(1.0, f"已发布快照 {sid}")
    return sid


def set_current(snapshot_id: str, data_dir: Path | None = None) -> None:
    """Point CURRENT at a published snapshot, atomically (write a temp file, os.replace)."""
    info = load(snapshot_id, data_dir)
    base = root(data_dir)
    tmp = base / f".{CURRENT}.{secrets.token_hex(4)}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(info.id + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, base / CURRENT)


def verify(snapshot_id: str, data_dir: Path | None = None) -> list[str]:
    """Problems found checking a snapshot's files against its manifest (empty = whole)."""
    return _problems(load(snapshot_id, data_dir))


def _problems(info: SnapshotInfo) -> list[str]:
    problems = []
    for name, entry in info.manifest["tables"].items():
        f = info.path / entry["file"]
        if not f.is_file():
            problems.append(f"{name}: file missing")
        elif _sha256(f) != entry["sha256"]:
            problems.append(f"{name}: sha256 differs")
    return problems


_checked: set[tuple[str, str]] = set()   # (folder, id) verified whole by this process


def check_once(info: SnapshotInfo) -> None:
    """Verify a snapshot's checksums the first time this process opens it (later calls are
    free); raises SnapshotError in Chinese naming the snapshot and how to roll back."""
    key = (str(info.path), info.id)
    if key in _checked:
        return
    problems = _problems(info)
    if problems:
        raise SnapshotError(f"快照 {info.id} 已损坏（{'; '.join(problems)}），看板拒绝显示其中的数据。"
                            + rollback_hint(info.path.parent.parent))
    _checked.add(key)


def rollback(snapshot_id: str, data_dir: Path | None = None) -> SnapshotInfo:
    """Make an older (verified) snapshot the live one again."""
    problems = verify(snapshot_id, data_dir)
    if problems:
        raise SnapshotError(f"快照 {snapshot_id} 校验失败: {'; '.join(problems)}")
    set_current(snapshot_id, data_dir)
    return load(snapshot_id, data_dir)


def clean_stale_builds(data_dir: Path | None = None, min_age_s: float = 3600) -> list[str]:
    """Remove folders of builds killed half-way (older than `min_age_s`, so a build still
    running in another process is left alone); returns their names."""
    base = root(data_dir) / SNAPSHOTS
    cutoff = datetime.now().timestamp() - min_age_s
    stale = [p for p in base.iterdir()
             if p.name.startswith(BUILDING_PREFIX) and p.stat().st_mtime < cutoff]
    for p in stale:
        shutil.rmtree(p, ignore_errors=True)
    return [p.name for p in stale]

"""The snapshot store: immutable Parquet folders, a manifest, and a CURRENT pointer.

    <data dir or s3://bucket/prefix>/
      CURRENT                      id of the live snapshot (replaced by a conditional write)
      snapshots/<id>/              one Parquet file per table + manifest.json
    <local folder>/snapshots/.building-<id>/   a build in progress; never read, removed on failure

A build writes everything into a local `.building-<id>` folder and verifies it.  On a folder
the build is renamed to `<id>` (atomic on one filesystem); on a bucket every file is uploaded
and read back against the manifest, the manifest last (objects.py).  Only then is CURRENT
replaced, conditionally on the version read before (If-Match / If-None-Match), so two
publishers cannot lose each other's update.  A build that fails or is killed half-way
therefore leaves CURRENT and the live snapshot untouched.
"""
from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..core import config, schema
from .objects import MANIFEST, SNAPSHOTS, BucketStore, FolderStore, SnapshotError, StoreError, Tagged, \
    open_store, sha256_file
from .rollups import build_rollups

CURRENT = "CURRENT"
BUILDING_PREFIX = ".building-"
# Small row groups keep time-window queries pruning well on sorted tickets.
TICKET_ROW_GROUP = 64 * 1024
Where = Path | str | FolderStore | BucketStore | None   # a data dir, s3://bucket/prefix, or a store


@dataclass(frozen=True)
class SnapshotInfo:
    """What the UI and the CLI need to know about one snapshot (from its manifest)."""

    id: str
    path: Path                     # the local folder DuckDB reads (a bucket's: its cache)
    manifest: dict
    store: FolderStore | BucketStore = field(compare=False, repr=False)   # where it is kept

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


def root(data_dir: Where = None) -> Path:
    """The local folder of the data location (created if missing): the data dir itself, or a
    bucket's cache and work folder (config.local_dir)."""
    d = open_store(data_dir).local
    (d / SNAPSHOTS).mkdir(parents=True, exist_ok=True)
    return d


def pointer(data_dir: Where = None, max_age: float = 0.0) -> Tagged:
    """CURRENT's content and version tag, read at most `max_age` seconds ago (0: now)."""
    return open_store(data_dir).pointer(max_age)


def _pointed(p: Tagged) -> str | None:
    return (p.data.decode("utf-8", "replace").strip() or None) if p.data is not None else None


def current_id(data_dir: Where = None) -> str | None:
    """The id CURRENT names, or None when CURRENT is missing or empty (see `current`).  A bucket's
    CURRENT is re-read at most once per Settings.snapshot_refresh_s."""
    root(data_dir)
    return _pointed(pointer(data_dir, config.settings().snapshot_refresh_s))


def rollback_hint(data_dir: Where = None) -> str:
    """How to repoint CURRENT by hand: the command, with the newest whole snapshot as example."""
    infos = list_snapshots(data_dir)
    sid = infos[0].id if infos else "<快照编号>"
    return (f"请管理员在「数据管理 → 快照与回滚」中选择快照回滚，或运行 "
            f"python -m dashboard rollback {sid}（python -m dashboard snapshots 列出全部快照）")


def load(snapshot_id: str, data_dir: Where = None) -> SnapshotInfo:
    """Read a published snapshot's manifest; raises SnapshotError if it is not whole
    (missing, or a manifest that is not readable JSON with the fields the app needs)."""
    if not snapshot_id or "/" in snapshot_id or snapshot_id.startswith("."):
        raise SnapshotError(f"不是有效的快照编号: {snapshot_id!r}")
    store = open_store(data_dir)
    raw = store.read(f"{SNAPSHOTS}/{snapshot_id}/{MANIFEST}")
    if raw is None:
        raise SnapshotError(f"快照 {snapshot_id} 不存在或不完整")
    try:
        manifest = json.loads(raw.decode("utf-8"))
        date.fromisoformat(manifest["data_as_of"])
        if not all(isinstance(e["file"], str) and isinstance(e["sha256"], str) and int(e["rows"]) >= 0
                   for e in manifest["tables"].values()) or not isinstance(manifest["created_at"], str) \
                or not isinstance(manifest["source"], str):
            raise ValueError("bad field")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise SnapshotError(f"快照 {snapshot_id} 损坏：manifest.json 无法读取（{type(e).__name__}）") from None
    return SnapshotInfo(snapshot_id, store.snapshot_dir(snapshot_id), manifest, store)


def current(data_dir: Where = None, at: Tagged | None = None) -> SnapshotInfo | None:
    """The live snapshot (the one pointer `at` names, default CURRENT as `current_id` reads it);
    None only when the data dir holds no snapshot at all (first start).

    When snapshots exist but CURRENT is missing, empty or names nothing whole, raises
    SnapshotError naming the rollback command: building the demo then would publish it over
    the real data (and the next import would take it as its base).
    """
    sid = current_id(data_dir) if at is None else _pointed(at)
    if sid is None:
        if not published_ids(data_dir):
            return None
        raise SnapshotError("当前快照指针 CURRENT 缺失或为空，但数据目录中已有快照；看板不会用演示数据覆盖它们。"
                            + rollback_hint(data_dir))
    try:
        return load(sid, data_dir)
    except SnapshotError as e:
        raise SnapshotError(f"当前快照指针 CURRENT 指向的快照不可用：{e}。{rollback_hint(data_dir)}") from None


def published_ids(data_dir: Where = None) -> list[str]:
    """Ids of the published snapshots (whole or not; builds in progress are skipped)."""
    root(data_dir)
    return open_store(data_dir).ids()


def list_snapshots(data_dir: Where = None) -> list[SnapshotInfo]:
    """All published snapshots whose manifest reads, newest first (building folders and
    snapshots with a damaged manifest are skipped: see `damaged_manifests`)."""
    infos = []
    for sid in published_ids(data_dir):
        try:
            infos.append(load(sid, data_dir))
        except SnapshotError:
            continue
    return sorted(infos, key=lambda i: i.manifest["created_at"], reverse=True)


def damaged_manifests(data_dir: Where = None) -> dict[str, str]:
    """Snapshot folders whose manifest is missing or unreadable: {id: reason}."""
    out = {}
    for sid in published_ids(data_dir):
        try:
            load(sid, data_dir)
        except SnapshotError as e:
            out[sid] = str(e)
    return out


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
            details: dict | None = None, data_dir: Where = None, progress=None, after: Tagged | None = None) -> str:
    """Write a complete snapshot, verify it, and make it the live one.  Returns its id.

    `tables` holds every table of schema.TABLES (an optional one left out is written empty);
    `tickets` may be an iterable of Arrow tables in created_at order.  `progress(fraction,
    text)` is called along the way.  CURRENT is replaced only if it is still as `after` (the
    pointer the caller built on; default: as read when this publish starts), else StoreError's
    Conflict is raised in Chinese and the new snapshot is removed again.
    On any error the half-built folder is removed and CURRENT is not touched.
    """
    say = progress or (lambda f, t: None)
    missing = set(schema.SOURCE_TABLES) - set(tables) - set(schema.OPTIONAL_TABLES)
    if missing:
        raise SnapshotError(f"missing tables: {sorted(missing)}")
    tables = {**{t: schema.TABLES[t].empty_table() for t in schema.OPTIONAL_TABLES}, **tables}
    store = open_store(data_dir)
    base = root(store)
    after = after or store.pointer()   # before building: a bucket that cannot be reached fails here
    clean_stale_builds(store)  # folders of builds killed long ago
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
        say(0.85, "计算校验和")
        for name, entry in files.items():
            entry["file"] = f"{name}.parquet"
            entry["sha256"] = sha256_file(tmp / entry["file"])
            entry["bytes"] = (tmp / entry["file"]).stat().st_size
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
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        for p in tmp.iterdir():
            p.chmod(0o444)  # immutable from here on
        store.install(sid, tmp, files, say)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        _swap(store, sid, after)
    except StoreError:
        store.discard(sid)   # never live: not left behind as a snapshot nobody asked for
        raise
    say(1.0, f"已发布快照 {sid}")
    return sid


def _swap(store: FolderStore | BucketStore, snapshot_id: str, after: Tagged) -> None:
    store.put_if(CURRENT, (snapshot_id + "\n").encode("utf-8"), after.tag)


def set_current(snapshot_id: str, data_dir: Where = None) -> None:
    """Point CURRENT at a published snapshot (a conditional write on the CURRENT read just before)."""
    store = open_store(data_dir)
    info = load(snapshot_id, store)
    _swap(store, info.id, store.pointer())


def verify(snapshot_id: str, data_dir: Where = None) -> list[str]:
    """Problems found checking a snapshot's files as stored against its manifest (empty = whole)."""
    info = load(snapshot_id, data_dir)
    return _problems(info, info.store.check)


def _problems(info: SnapshotInfo, check) -> list[str]:
    problems = []
    for name, entry in info.manifest["tables"].items():
        problem = check(info.id, entry["file"], entry["sha256"])
        if problem:
            problems.append(f"{name}: {problem}")
    return problems


_checked: set[tuple[str, str]] = set()   # (local folder, id) verified whole by this process


def check_once(info: SnapshotInfo) -> None:
    """Verify a snapshot's checksums the first time this process opens it (later calls are
    free); a bucket's files are downloaded into the local cache first.  Raises SnapshotError
    in Chinese naming the snapshot and how to roll back."""
    key = (str(info.path), info.id)
    if key in _checked:
        return
    problems = _problems(info, info.store.fetch)
    if problems:
        raise SnapshotError(f"快照 {info.id} 已损坏（{'; '.join(problems)}），看板拒绝显示其中的数据。"
                            + rollback_hint(info.store))
    _checked.add(key)


def rollback(snapshot_id: str, data_dir: Where = None) -> SnapshotInfo:
    """Make an older (verified) snapshot the live one again."""
    store = open_store(data_dir)
    before = store.pointer()
    problems = verify(snapshot_id, store)
    if problems:
        raise SnapshotError(f"快照 {snapshot_id} 校验失败: {'; '.join(problems)}")
    _swap(store, snapshot_id, before)
    return load(snapshot_id, store)


def clean_stale_builds(data_dir: Where = None, min_age_s: float = 3600) -> list[str]:
    """Remove folders of builds killed half-way (older than `min_age_s`, so a build still
    running in another process is left alone), and a bucket's uploads of publishes that died
    before their manifest; returns their names."""
    base = root(data_dir) / SNAPSHOTS
    cutoff = datetime.now().timestamp() - min_age_s
    stale = [p for p in base.iterdir()
             if p.name.startswith(BUILDING_PREFIX) and p.stat().st_mtime < cutoff]
    for p in stale:
        shutil.rmtree(p, ignore_errors=True)
    return [p.name for p in stale] + open_store(data_dir).stale(min_age_s)

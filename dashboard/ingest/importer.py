"""Real exports -> a validated, merged, published snapshot.  Run as its own process:

    python -m dashboard import FILE [FILE ...] --kind KIND [--crs wgs84|gcj02] [--data-dir DIR]

KIND is tickets, facilities, communities, boundaries or one of the nine party-building tables
(party.SPECS: units, party_orgs, pairings, pairing_activities, cobuild_projects, whistles,
whistle_responses, action_items, deliberations).

One import = one kind, one or more files, all or nothing:
  1. every file is read and its rows checked (ingest_read, ingest_tickets, ingest_places,
     ingest_party);
     a file-level problem, or more than settings().max_reject_share of a file's rows
     rejected, stops the import and publishes nothing;
  2. rejected rows go to `<data dir>/imports/<stamp>/rejects-<file>.csv` (UTF-8 with BOM,
     source line and reason, personal data masked), the original files are archived
     there with their sha256, and `result.json` records what happened;
  3. the rows are merged into the live snapshot's tables — a re-imported id replaces the
     old record (pairing_activities: the same pairing and quarter), so monthly exports
     accumulate — and published as a new snapshot.

The base of the merge is the live snapshot, with two exceptions, so that a snapshot
marked `import` never holds invented data:
  * no snapshot yet: the streets come from dashboard/core/reference/streets.csv with schematic
    boundaries (as in the demo), every other table starts empty;
  * the live snapshot is the demo: only its streets (reference data) are kept; the demo's
    communities, circles, facilities and tickets are not merged with real data.  Boundaries
    are the one kind laid under the demo as it is: the result keeps all demo tables and
    stays source 'demo' (labelled 演示数据), only with the real street outlines.
Rows are validated against the base's streets, communities and circles, party rows also
against the party tables they point into; dates of the
archive folder and the data_as_of (max of the base's and the newest imported ticket day)
are local time, as the hotline records it.
Imports take a lock in the data dir, so two imports at once cannot lose each other's rows.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..core import config, geo, privacy, reference, schema
from ..core.export import csv_bytes
from ..store import snapshot
from ..store.objects import open_store
from . import party as ingest_party
from . import places as ingest_places
from . import tickets as ingest_tickets
from .readers import ImportFailed, read_table
from .records import CRS_CHOICES, Prepared, Reference, keep_last

KINDS = ("tickets", "facilities", "communities", "boundaries", *ingest_party.SPECS)
IMPORTS = "imports"
RESULT_FILE = "result.json"
_LOCK = ".import.lock"
_BATCH_ROWS = 64 * 1024
# kind -> (table it changes, key columns a re-imported row replaces on)
_TARGET = {"tickets": ("tickets", ("ticket_id",)), "facilities": ("facilities", ("facility_id",)),
           "communities": ("communities", ("community_id",)), "boundaries": ("streets", ("street_code",)),
           **{kind: (spec.table, spec.key) for kind, spec in ingest_party.SPECS.items()}}


@dataclass
class FileReport:
    """What one file contributed; printed as one line of the summary."""

    name: str
    sha256: str
    encoding: str = ""
    rows: int = 0
    accepted: int = 0
    quarantined: int = 0
    duplicates: int = 0
    rejects: str | None = None       # path of the rejects file, relative to the data dir
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """The outcome of one import; `ok` means a new snapshot is live."""

    kind: str
    files: list[FileReport] = field(default_factory=list)
    base_id: str | None = None
    base_note: str | None = None
    cross_file_duplicates: int = 0
    replaced: int = 0                # records of the live snapshot replaced by imported ones
    snapshot_id: str | None = None
    data_as_of: str | None = None
    import_dir: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.snapshot_id is not None and self.error is None


@dataclass
class Base:
    """The tables an import merges into."""

    info: snapshot.SnapshotInfo | None
    tables: dict[str, pa.Table]      # every source table except tickets
    tickets: Path | None             # the live tickets.parquet, streamed rather than loaded
    note: str | None
    as_of: date | None
    source: str = "import"           # the new snapshot's source: 'demo' only for demo + real boundaries
    at: snapshot.Tagged | None = None  # CURRENT as read: the publish is refused if it changed since


def reference_streets() -> pd.DataFrame:
    """The 15 streets of dashboard/core/reference/streets.csv with schematic boundaries, as the demo has them."""
    df = reference.load_streets().rename(columns={"population_2020": "population"})
    polys = geo.schematic_boundaries(df)
    return df.assign(geometry_geojson=[geo.to_geojson(polys[c]) for c in df["street_code"]],
                     boundary_kind="schematic")


def _empty(name: str) -> pa.Table:
    return schema.TABLES[name].empty_table()


def load_base(data_dir: snapshot.Where, kind: str) -> Base:
    """The live snapshot's tables (or the reference streets when there is none or it is the demo).
    Raises SnapshotError when CURRENT is broken or the live snapshot fails its checksums: an
    import never builds on damaged data, nor on nothing when real snapshots exist."""
    at = snapshot.pointer(data_dir)
    info = snapshot.current(data_dir, at)
    if info is not None:
        snapshot.check_once(info)
    base = _base(info, kind)
    return replace(base, at=at)


def _base(info: snapshot.SnapshotInfo | None, kind: str) -> Base:
    static = [t for t in schema.SOURCE_TABLES if t != "tickets"]
    if info is None:
        tables = {t: _empty(t) for t in static}
        tables["streets"] = schema.conform("streets", reference_streets())
        return Base(None, tables, None, "数据目录中还没有快照：街道取自内置参考数据（示意边界），其余表从空开始", None)
    read = {t: pq.read_table(info.path / f"{t}.parquet", schema=schema.TABLES[t])
            if t in info.manifest["tables"] else _empty(t) for t in static}   # a table newer than the snapshot: empty
    if info.is_demo and kind == "boundaries":  # real outlines under demo data: still demo data
        return Base(info, read, info.path / "tickets.parquet", f"当前快照 {info.id} 是演示数据：只替换街道边界，"
                    "新快照仍标为演示数据", info.data_as_of, "demo")
    if info.is_demo:
        tables = {t: _empty(t) for t in static}
        tables["streets"] = read["streets"]
        return Base(info, tables, None, f"当前快照 {info.id} 是演示数据：只沿用其街道参考数据，"
                                        "演示的社区、生活圈、设施和工单不并入", None)
    # a snapshot without tickets has no real 数据截至 (it got the day it was made): not carried on
    as_of = info.data_as_of if info.row_counts.get("tickets") else None
    return Base(info, read, info.path / "tickets.parquet", None, as_of)


@contextmanager
def _locked(data_dir: Path, wait_s: float, say=print):
    """Hold the data dir's import lock; yields False (without it) after waiting `wait_s` seconds
    for another import, having said once that it waits."""
    with open(data_dir / _LOCK, "w") as f:
        deadline = time.monotonic() + wait_s
        told = False
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told:
                    say(f"另一个导入正在进行，等待其完成（最多 {wait_s:g} 秒）…")
                    told = True
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.2)
        yield True


def import_running(data_dir: Path) -> bool:
    """Whether another import holds the data dir's lock right now (the page says a new one waits)."""
    with open(snapshot.root(data_dir) / _LOCK, "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _prepare(path: Path, kind: str, ref: Reference, crs: str, secret: bytes | None,
             now: datetime) -> tuple[Prepared, str, int]:
    """(prepared rows, encoding, rows read) of one file."""
    if kind == "boundaries":
        streets, notes, n = ingest_places.prepare_boundaries(path, ref, crs)
        return Prepared(streets, pd.DataFrame(), 0, notes), "GeoJSON", n
    if kind == "tickets":
        raw = read_table(path, ingest_tickets.ALIASES, ingest_tickets.REQUIRED, ingest_tickets.LABELS)
        prep = ingest_tickets.prepare(raw, ref, crs, secret, now)
    elif kind in ingest_party.SPECS:
        raw = ingest_party.read(path, kind)
        prep = ingest_party.prepare(kind, raw, ref, crs)
    else:
        aliases, required, fn = {
            "facilities": (ingest_places.FACILITY_ALIASES, ingest_places.FACILITY_REQUIRED,
                           ingest_places.prepare_facilities),
            "communities": (ingest_places.COMMUNITY_ALIASES, ingest_places.COMMUNITY_REQUIRED,
                            ingest_places.prepare_communities),
        }[kind]
        raw = read_table(path, aliases, required, ingest_places.LABELS)
        prep = fn(raw, ref, crs)
    if raw.ignored:  # so a column under an unexpected name is noticed, not silently lost
        prep.notes.append(f"未使用的列：{'、'.join(raw.ignored[:12])}")
    return prep, raw.encoding, len(raw)


def _new_import_dir(data_dir: Path) -> Path:
    base = data_dir / IMPORTS
    base.mkdir(mode=0o700, exist_ok=True)  # originals hold callers' numbers: owner only
    d = base / f"{datetime.now():%Y%m%dT%H%M%S}-{secrets.token_hex(2)}"
    d.mkdir(mode=0o700)
    return d


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _write_result(d: Path, report: ImportReport) -> None:
    body = dict(asdict(report), status="ok" if report.ok else "failed",
                finished_at=datetime.now().isoformat(timespec="seconds"))
    (d / RESULT_FILE).write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")


def _merge_tickets(base: Path | None, new: pa.Table):
    """The merged tickets as Arrow batches in created_at order (DuckDB sorts, spilling if need be)."""
    if base is None or new.num_rows == 0:
        if base is not None:  # nothing imported: the live file streams through unchanged
            for batch in pq.ParquetFile(base).iter_batches(_BATCH_ROWS):
                yield pa.Table.from_batches([batch]).cast(schema.TABLES["tickets"])
            return
        yield new.sort_by([("created_at", "ascending"), ("ticket_id", "ascending")])
        return
    s = config.settings()
    con = duckdb.connect(config={"threads": s.duckdb_threads, "memory_limit": s.duckdb_memory_limit})
    try:
        fresh = con.from_arrow(new)
        ids = fresh.select(duckdb.ColumnExpression("ticket_id").alias("new_id"))
        kept = con.read_parquet(str(base)).join(
            ids, duckdb.ColumnExpression("ticket_id") == duckdb.ColumnExpression("new_id"), how="anti")
        for batch in kept.union(fresh).order("created_at, ticket_id").to_arrow_reader(_BATCH_ROWS):
            yield pa.Table.from_batches([batch]).cast(schema.TABLES["tickets"])
    finally:
        con.close()


def _count_replaced_tickets(base: Path | None, new: pa.Table) -> int:
    if base is None or new.num_rows == 0:
        return 0
    con = duckdb.connect()
    try:
        ids = con.from_arrow(new.select(["ticket_id"]))
        old = con.read_parquet(str(base)).select(duckdb.ColumnExpression("ticket_id").alias("old_id"))
        return old.join(ids, duckdb.ColumnExpression("old_id") == duckdb.ColumnExpression("ticket_id"),
                        how="semi").shape[0]
    finally:
        con.close()


def _upsert(old: pa.Table, new: pd.DataFrame, name: str, key: tuple[str, ...]) -> tuple[pa.Table, int]:
    """`old` with the rows of `new` replacing those with the same key columns; (table, replaced)."""
    o = old.to_pandas()
    hit = pd.MultiIndex.from_frame(o[list(key)]).isin(pd.MultiIndex.from_frame(new[list(key)]))
    merged = pd.concat([o.loc[~hit], new], ignore_index=True) if len(o) else new
    return schema.conform(name, merged), int(hit.sum())


def run_import(paths: list[Path], kind: str, crs: str = "wgs84", data_dir: Path | None = None,
               now: datetime | None = None) -> ImportReport:
    """Import `paths` of one `kind`; returns the report (report.ok: a new snapshot is live).

    Never raises for bad input: file-level problems and too many rejected rows come back
    as report.error, with CURRENT and every snapshot left as they were.
    """
    if kind not in KINDS or crs not in CRS_CHOICES or not paths:
        raise ValueError(f"need files, kind one of {KINDS}, crs one of {CRS_CHOICES}")
    store = open_store(data_dir)
    root = snapshot.root(store)
    report = ImportReport(kind)
    wait_s = config.settings().import_lock_wait_s
    with _locked(root, wait_s, lambda text: print(text, flush=True)) as got:
        if not got:
            report.error = f"另一个导入仍在进行（已等待 {wait_s:g} 秒），本次导入未运行，当前数据未改变。请稍后重试"
            return report
        try:
            base = load_base(store, kind)
        except snapshot.SnapshotError as e:
            report.error = str(e)
            return report
        report.base_id, report.base_note = base.info.id if base.info else None, base.note
        ref = Reference(base.tables["streets"].to_pandas(), base.tables["communities"].to_pandas(),
                        base.tables["circles"].to_pandas(), config.settings(),
                        {t: base.tables[t].to_pandas() for t in schema.PARTY_TABLES},
                        _ticket_categories(base.tickets) if kind == "monthly_topics" else frozenset())
        try:
            prepared = _check_files([Path(p) for p in paths], kind, ref, crs, root, report, now or datetime.now())
        except ImportFailed as e:
            report.error = str(e)
            if report.import_dir:  # an earlier file already left its rejects there
                _write_result(root / report.import_dir, report)
            return report
        if report.error:
            return report
        _publish(prepared, [Path(p) for p in paths], kind, crs, base, store, report)
    return report


def _ticket_categories(tickets: Path | None) -> frozenset[str]:
    """The level-1 categories of the base snapshot's tickets (none without tickets)."""
    if tickets is None or not tickets.exists():
        return frozenset()
    column = pq.read_table(tickets, columns=["category_l1"]).column("category_l1")
    return frozenset(v for v in pc.unique(column).to_pylist() if v)


def _check_files(paths, kind, ref, crs, root, report, now) -> list[Prepared]:
    secret = privacy.load_secret(root) if kind == "tickets" else None
    limit = config.settings().max_reject_share
    prepared = []
    for path in paths:
        prep, encoding, rows = _prepare(path, kind, ref, crs, secret, now)
        fr = FileReport(path.name, _sha256(path), encoding, rows, len(prep.table), len(prep.rejects),
                        prep.duplicates, notes=prep.notes)
        report.files.append(fr)
        prepared.append(prep)
        if len(prep.rejects):
            if report.import_dir is None:
                report.import_dir = str(_new_import_dir(root).relative_to(root))
            target = root / report.import_dir / f"rejects-{len(report.files)}-{path.stem}.csv"
            _write_private(target, csv_bytes(prep.rejects))
            fr.rejects = str(target.relative_to(root))
        share = fr.quarantined / rows if rows else 0.0
        if share > limit:  # keep checking the other files, so one run shows every file's problems
            problem = (f"{path.name}：{fr.quarantined} / {rows} 行未通过检查（{share:.1%}），超过上限 "
                       f"{limit:.0%}，本次导入未发布。隔离明细见 {fr.rejects}")
            report.error = f"{report.error}\n{problem}" if report.error else problem
    if report.error and report.import_dir:
        _write_result(root / report.import_dir, report)
    return prepared


def _publish(prepared: list[Prepared], paths: list[Path], kind: str, crs: str, base: Base,
             store: snapshot.FolderStore | snapshot.BucketStore, report: ImportReport) -> None:
    root = snapshot.root(store)
    if report.import_dir is None:
        report.import_dir = str(_new_import_dir(root).relative_to(root))
    folder = root / report.import_dir
    for i, path in enumerate(paths, start=1):  # archive first: what is published is never lost
        _write_private(folder / f"{i}-{path.name}", path.read_bytes())
    name, key = _TARGET[kind]
    tables = dict(base.tables)
    frames = [p.table for p in prepared]
    new, dropped = keep_last(pd.concat(frames, ignore_index=True), key)
    report.cross_file_duplicates = dropped
    as_of = base.as_of
    if kind == "tickets":
        arrow = schema.conform("tickets", new)
        report.replaced = _count_replaced_tickets(base.tickets, arrow)
        tables["tickets"] = _merge_tickets(base.tickets, arrow)
        as_of = max(filter(None, (as_of, *(p.last_day for p in prepared))), default=None)
    else:
        tables["tickets"] = _merge_tickets(base.tickets, _empty("tickets"))
        if kind == "boundaries":
            tables["streets"] = schema.conform("streets", prepared[-1].table)
            report.replaced = tables["streets"].num_rows
        else:
            tables[name], report.replaced = _upsert(base.tables[name], new, name, key)
    streets = tables["streets"].column("boundary_kind").to_pylist()
    details = {
        "kind": kind, "crs": crs, "base_snapshot": report.base_id, "base_note": report.base_note,
        "import_dir": report.import_dir, "replaced": report.replaced,
        "boundary_kind": "imported" if streets and all(k == "imported" for k in streets) else "schematic",
        "generator": base.info.manifest["details"].get("generator") if base.source == "demo" else None,
        "files": [{k: getattr(f, k) for k in ("name", "sha256", "encoding", "rows", "accepted", "quarantined",
                                               "duplicates")} for f in report.files],
    }
    as_of = as_of or date.today()
    try:
        report.snapshot_id = snapshot.publish(tables, source=base.source, data_as_of=as_of, details=details,
                                              data_dir=store, after=base.at)
        report.data_as_of = as_of.isoformat()
    except snapshot.SnapshotError as e:  # incl. a bucket's refusals, already in Chinese
        report.error = f"发布快照失败：{e}"
    except Exception as e:  # a failed build leaves CURRENT alone; say why instead of a traceback
        report.error = f"发布快照失败：{type(e).__name__}: {e}"
    _write_result(folder, report)


def format_report(report: ImportReport) -> str:
    """The human summary the CLI prints (and the 数据管理 page shows)."""
    lines = [f"导入类型：{report.kind}", f"基于快照：{report.base_id or '（无）'}"]
    if report.base_note:
        lines.append(f"说明：{report.base_note}")
    unit = "个要素" if report.kind == "boundaries" else "行"
    for f in report.files:
        line = (f"文件 {f.name}｜编码 {f.encoding or '—'}｜读取 {f.rows:,} {unit}｜接受 {f.accepted:,} {unit}｜"
                f"隔离 {f.quarantined:,} {unit}")
        if f.rejects:
            line += f"（{f.rejects}）"
        if report.kind != "boundaries":
            line += f"｜文件内重复编号 {f.duplicates:,} 条（以后出现的为准）"
        lines.append(line)
        lines += [f"    {n}" for n in f.notes]
    if report.cross_file_duplicates:
        lines.append(f"文件之间重复编号 {report.cross_file_duplicates:,} 条（以后面的文件为准）")
    if report.ok:
        lines.append(f"替换已有记录 {report.replaced:,} 条")
        lines.append(f"已发布快照 {report.snapshot_id}（数据截至 {report.data_as_of}），原始文件已存档于 "
                     f"{report.import_dir}")
    else:
        lines.append(f"导入失败，未发布任何快照：{report.error}")
    return "\n".join(lines)

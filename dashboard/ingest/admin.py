"""Pure builders for the 数据管理 page: the import command, snapshot list, health and history tables.

No Streamlit here; the page (pages/data_admin.py) only lays these out.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..core import config, fmt
from ..store import snapshot
from .importer import IMPORTS, RESULT_FILE, import_running  # noqa: F401 (the page asks through here)
from .party_specs import LABELS as PARTY_LABELS

# Every import kind, in the order the page offers them (the party kinds in the order their
# references need: units before organisations, organisations before pairings ...).
KIND_LABELS = {"tickets": "12345工单", "facilities": "便民设施", "communities": "社区", "boundaries": "街道边界（GeoJSON）",
               **PARTY_LABELS}
CRS_LABELS = {"wgs84": "WGS-84（GPS、天地图）", "gcj02": "GCJ-02（高德、腾讯地图导出）"}
_TABLE_FILES = ["csv", "txt", "tsv", "xlsx"]
UPLOAD_TYPES = {**{kind: list(_TABLE_FILES) for kind in KIND_LABELS}, "boundaries": ["geojson", "json"]}
TABLE_LABELS = {"tickets": "工单", "streets": "街道", "communities": "社区", "circles": "生活圈", "facilities": "设施",
                **PARTY_LABELS}
IMPORT_TIMEOUT_S = 1800  # a year of tickets imports in well under a minute; this guards against a hang
SOURCE_LABELS = {"demo": "演示数据", "import": "导入", "fixture": "测试数据"}


def import_command(files: Sequence[Path], kind: str, crs: str, data_dir: Path | str) -> list[str]:
    """The argv that runs the import CLI in a separate process (the page never imports in-process)."""
    return [sys.executable, "-m", "dashboard", "import", *map(str, files), "--kind", kind, "--crs", crs,
            "--data-dir", str(data_dir)]


MAX_NAME_BYTES = 180  # file systems allow 255 bytes a name; a Chinese character takes 3


def upload_name(name: str) -> str:
    """The browser's file name made safe to save: no path it may carry, at most MAX_NAME_BYTES
    bytes (the stem is shortened, the extension kept), never empty."""
    base = Path(name.replace("\\", "/")).name.replace("\x00", "") or "upload"
    stem, suffix = Path(base).stem, Path(base).suffix[:16]
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem or "upload") + suffix


def run_in_subprocess(uploads: Sequence[tuple[str, bytes]], kind: str, crs: str, data_dir: Path | str) -> dict:
    """Save uploaded (name, bytes) under their own names in a temp dir and run the import CLI on
    them in a separate process.  Returns {"code", "stdout", "stderr"}; code None = timed out."""
    with tempfile.TemporaryDirectory(prefix="dashboard-upload-") as tmp:
        paths = []
        for i, (name, data) in enumerate(uploads, start=1):
            # only the browser's file name, never a path it may carry; one folder each against clashes
            path = Path(tmp) / str(i) / upload_name(name)
            path.parent.mkdir()
            path.write_bytes(data)
            paths.append(path)
        try:
            done = subprocess.run(import_command(paths, kind, crs, data_dir), capture_output=True, text=True,
                                  timeout=IMPORT_TIMEOUT_S, cwd=config.PROJECT_ROOT)
        except subprocess.TimeoutExpired:
            return {"code": None, "stdout": "", "stderr": f"导入超过 {IMPORT_TIMEOUT_S // 60} 分钟未完成，已停止。"}
    return {"code": done.returncode, "stdout": done.stdout, "stderr": done.stderr}


def rejects_path(data_dir: Path, relative: str) -> Path | None:
    """A rejects file named in an import result, only if it really lies under <data dir>/imports."""
    root = (Path(data_dir) / IMPORTS).resolve()
    path = (Path(data_dir) / relative).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def snapshot_table(infos: Sequence[snapshot.SnapshotInfo], live_id: str | None,
                   damaged: dict[str, str] | None = None) -> pd.DataFrame:
    """Snapshots newest first, the live one marked, with what each import brought in; those
    whose manifest cannot be read (`damaged`: id -> reason) follow, marked 损坏."""
    rows = []
    for info in infos:
        details = info.manifest.get("details", {})
        files = "、".join(f["name"] for f in details.get("files", []))
        rows.append({
            "当前": "● 当前" if info.id == live_id else "",
            "快照": info.id,
            "来源": SOURCE_LABELS.get(info.source, info.source),
            "数据截至": info.data_as_of.isoformat(),
            "工单数": info.row_counts.get("tickets", 0),
            "创建时间(UTC)": info.manifest.get("created_at", "")[:19].replace("T", " "),
            "说明": f"{KIND_LABELS.get(details.get('kind'), '')} {files}".strip(),
        })
    for sid, reason in (damaged or {}).items():
        rows.append({"当前": "● 当前" if sid == live_id else "", "快照": sid, "来源": "损坏", "数据截至": "—",
                     "工单数": 0, "创建时间(UTC)": "", "说明": reason})
    return pd.DataFrame(rows, columns=["当前", "快照", "来源", "数据截至", "工单数", "创建时间(UTC)", "说明"])


def health_table(df: pd.DataFrame) -> pd.DataFrame:
    """The data_health query as the page shows it."""
    return pd.DataFrame({
        "表": df["table_name"].map(lambda t: TABLE_LABELS.get(t, t)),
        "行数": df["rows"].astype("int64"),
        "最早日期": df["first_day"].map(fmt.day),
        "最晚日期": df["last_day"].map(fmt.day),
        "需关注": [f"{label} {int(n):,}" for label, n in zip(df["gap_label"], df["gaps"])],
    })


def months_table(df: pd.DataFrame) -> pd.DataFrame:
    """Tickets per month, with months missing between the first and the last filled in as 0."""
    if df.empty:
        return pd.DataFrame(columns=["月份", "工单", "有效回访", "未匹配社区", "无坐标", "未办结", "提示"])
    months = pd.to_datetime(df["month"])
    full = pd.date_range(months.min(), months.max(), freq="MS")
    m = df.assign(month=months).set_index("month").reindex(full, fill_value=0)
    counts = m[["tickets", "valid", "no_community", "no_point", "still_open"]].astype("int64")
    return pd.DataFrame({
        "月份": full.strftime("%Y-%m"),
        "工单": counts["tickets"].to_numpy(),
        "有效回访": counts["valid"].to_numpy(),
        "未匹配社区": counts["no_community"].to_numpy(),
        "无坐标": counts["no_point"].to_numpy(),
        "未办结": counts["still_open"].to_numpy(),
        "提示": ["缺月：没有任何工单" if n == 0 else "" for n in counts["tickets"]],
    })


def import_history(data_dir: Path, limit: int = 10) -> list[dict]:
    """The `result.json` of the latest imports (newest first), each with its folder."""
    base = Path(data_dir) / IMPORTS
    if not base.is_dir():
        return []
    out = []
    for d in sorted((p for p in base.iterdir() if (p / RESULT_FILE).is_file()), reverse=True)[:limit]:
        try:
            out.append(dict(json.loads((d / RESULT_FILE).read_text(encoding="utf-8")), folder=d.name))
        except (OSError, json.JSONDecodeError):
            continue  # a half-written result of an import still running
    return out


def history_table(results: Sequence[dict]) -> pd.DataFrame:
    """One row per file of the latest imports: outcome, counts and the rejects file."""
    rows = []
    for r in results:
        for f in r.get("files") or [{}]:
            rows.append({
                "时间": r.get("finished_at", "")[:19].replace("T", " "),
                "类型": KIND_LABELS.get(r.get("kind"), r.get("kind")),
                "结果": "已发布" if r.get("status") == "ok" else "被拒绝",
                "文件": f.get("name", "—"),
                "读取": f.get("rows", 0),
                "接受": f.get("accepted", 0),
                "隔离": f.get("quarantined", 0),
                "快照": r.get("snapshot_id") or "—",
                "说明": r.get("error") or "",
                "隔离文件": f.get("rejects") or "",
            })
    return pd.DataFrame(rows, columns=["时间", "类型", "结果", "文件", "读取", "接受", "隔离", "快照", "说明", "隔离文件"])

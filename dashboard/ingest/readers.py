"""Reading real exports: encodings, CSV or XLSX, header rows, column aliases, value parsers.

Everything that can be wrong with a *file* (unreadable, not a table, an encoding we cannot
decode, a required column missing, no rows) raises `ImportFailed` naming the file.
Everything that can be wrong with a *row* is left to the callers, which get every cell as
a stripped string and the row's line number in the source, so a rejected row can be
found again in the original file.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

# How far down a file the header row may be (exports often carry a title row or two).
HEADER_SEARCH_ROWS = 10
_DELIMITERS = (",", "\t", ";", "|")
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / .doc
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # day 0 of Excel's 1900 date system (after its 1900 leap bug)
# Excel serial numbers we accept as dates: 1954-10-04 .. 2119-01-09; anything else is no date.
_SERIAL_RANGE = (20_000, 80_000)
_DATE = re.compile(
    r"^(?P<year>\d{4})[-/.年](?P<month>\d{1,2})[-/.月](?P<day>\d{1,2})日?"
    r"(?:[ T]+(?P<hour>\d{1,2})[:时](?P<minute>\d{1,2})(?:[:分](?P<second>\d{1,2})(?:\.\d+)?秒?)?)?$")
EXTRA = "(多余列)"  # cells to the right of the header, joined; non-empty = a malformed row
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_TRUE = frozenset({"是", "y", "yes", "1", "true", "t", "有效", "已"})
_FALSE = frozenset({"否", "n", "no", "0", "false", "f", "无效", "未", "不"})


class ImportFailed(Exception):
    """A file-level problem: the import stops and nothing is published."""


@dataclass
class RawTable:
    """One file as read: canonical field -> its cells (strings), and the source line numbers."""

    path: Path
    encoding: str                 # 'UTF-8', 'UTF-8 BOM', 'GBK', 'GB18030', 'UTF-16', 'XLSX'
    header: list[str]             # the file's own column names
    cells: pd.DataFrame           # one column per source column (original header as name), all str
    line: np.ndarray              # source line (CSV) or sheet row (XLSX) of each row
    fields: dict[str, list[str]]  # canonical field -> the source columns that map onto it
    ignored: list[str]            # source columns no alias maps

    def __len__(self) -> int:
        return len(self.cells)

    def field(self, name: str) -> pd.Series:
        """The cells of a canonical field: the first non-blank of its source columns ('' if none)."""
        cols = self.fields.get(name, [])
        if not cols:
            return pd.Series("", index=self.cells.index, dtype=object)
        out = self.cells[cols[0]].astype(object)
        for c in cols[1:]:
            out = out.where(out != "", self.cells[c])
        return out

    def text(self, name: str) -> pd.Series:
        """The cells of a canonical field folded for matching: NFKC (full-width -> ASCII), stripped."""
        return _fold(self.field(name))

    def has(self, name: str) -> bool:
        """Whether the file has a column for the canonical field."""
        return bool(self.fields.get(name))


def header_key(text: str) -> str:
    """A header cell folded for alias lookup: NFKC, no spaces, lower case, no '*' marks."""
    return unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "").replace("*", "").lower()


def alias_table(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """{field: [aliases]} -> {folded alias: field}; the field's own name is always an alias."""
    return {header_key(a): field for field, names in aliases.items() for a in (field, *names)}


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """Bytes -> (text, encoding label).  BOMs first, then strict UTF-8, then GBK, then GB18030."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "UTF-8 BOM"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        return raw.decode("utf-16"), "UTF-16"
    for codec, label in (("utf-8", "UTF-8"), ("gbk", "GBK"), ("gb18030", "GB18030")):
        try:
            return raw.decode(codec, errors="strict"), label
        except UnicodeDecodeError:
            continue
    raise ImportFailed(f"{name}：无法识别文本编码（试过 UTF-8、GBK、GB18030），请另存为 UTF-8 CSV 或 XLSX")


def _cell_text(v) -> str:
    """An XLSX cell as the text a CSV export would hold."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, (date, time)):
        return v.isoformat()
    return str(v)


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException)
        raise ImportFailed(f"{path.name}：无法读取 Excel 文件（文件损坏或不是 .xlsx）：{type(e).__name__}") from e
    try:
        for ws in wb.worksheets:
            rows = [(i, [_cell_text(v).strip() for v in row])
                    for i, row in enumerate(ws.iter_rows(values_only=True), start=1)]
            rows = [(i, r) for i, r in rows if any(r)]
            if rows:
                return rows
        return []
    finally:
        wb.close()


def _csv_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, start = [], 1
    try:
        for record in reader:
            if any(c.strip() for c in record):
                rows.append((start, [c.strip() for c in record]))
            start = reader.line_num + 1
    except csv.Error as e:
        raise ImportFailed(f"第 {start} 行附近无法按表格解析：{e}") from e
    return rows


def _unique(names: list[str]) -> list[str]:
    """Column names made unique: a repeated 联系电话 becomes 联系电话(2)."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}({seen[n]})")
    return out


def _find_header(rows: list[tuple[int, list[str]]], aliases: dict[str, str]) -> tuple[int, int]:
    """(index of the header row, number of recognised columns in it)."""
    best, hits = 0, -1
    for k, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        n = sum(header_key(c) in aliases for c in cells)
        if n > hits:
            best, hits = k, n
    return best, hits


def _parse_text(text: str, name: str, aliases: dict[str, str]) -> list[tuple[int, list[str]]]:
    """Pick the delimiter under which a header row is recognised best."""
    best, score = "", (-1, 0)
    sample = "\n".join(text.splitlines()[: HEADER_SEARCH_ROWS * 4])
    for d in _DELIMITERS:
        if d not in sample:
            continue
        try:
            head = _csv_rows(sample, d)
        except ImportFailed:
            continue
        k, hits = _find_header(head, aliases)
        cand = (hits, len(head[k][1]) if head else 0)
        if cand > score:
            best, score = d, cand
    if not best or score[1] < 2:
        raise ImportFailed(f"{name}：不是表格文件（找不到用逗号、制表符或分号分隔的表头）")
    try:
        return _csv_rows(text, best)
    except ImportFailed as e:
        raise ImportFailed(f"{name}：不是有效的表格：{e}") from e


def read_bytes(path: Path) -> bytes:
    """The file's bytes; ImportFailed when it cannot be read or holds nothing but whitespace."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ImportFailed(f"{path.name}：无法读取文件（{e.strerror or type(e).__name__}）") from e
    if not raw.strip():
        raise ImportFailed(f"{path.name}：文件为空")
    return raw


def read_table(path: Path, aliases: Mapping[str, Sequence[str]], required: Sequence[str | tuple[str, ...]],
               labels: Mapping[str, str]) -> RawTable:
    """Read a CSV (UTF-8, UTF-8 BOM, GBK/GB18030, UTF-16) or XLSX file into a RawTable.

    `aliases` maps canonical fields to the header spellings that mean them; `required`
    lists fields (or tuples of alternatives, one of which must be there); `labels` names
    fields in messages.  Raises ImportFailed for every file-level problem.
    """
    path = Path(path)
    name = path.name
    raw = read_bytes(path)
    table = alias_table(aliases)
    if raw.startswith(_XLSX_MAGIC):
        rows, encoding = _xlsx_rows(path), "XLSX"
    elif raw.startswith(_OLE_MAGIC):
        raise ImportFailed(f"{name}：是旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后再导入")
    else:
        text, encoding = decode(raw, name)
        if "\x00" in text[:4096]:
            raise ImportFailed(f"{name}：不是表格文件（二进制内容）")
        head = text.lstrip()[:1]
        if head in ("{", "[", "<"):  # JSON/GeoJSON, HTML or XML: commas inside, but no table
            kind = "JSON/GeoJSON" if head != "<" else "HTML/XML"
            raise ImportFailed(f"{name}：不是表格文件（内容是 {kind}）")
        rows = _parse_text(text, name, table)
    if not rows:
        raise ImportFailed(f"{name}：文件为空（没有任何内容）")
    k, _ = _find_header(rows, table)
    header = _unique([c or f"(第{j + 1}列)" for j, c in enumerate(rows[k][1])])
    body = rows[k + 1:]
    if not body:
        raise ImportFailed(f"{name}：只有表头，没有数据行")
    fields: dict[str, list[str]] = {}
    ignored = []
    for col, orig in zip(header, rows[k][1]):
        f = table.get(header_key(orig))
        if f:
            fields.setdefault(f, []).append(col)
        else:
            ignored.append(col)
    missing = [req for req in required
               if not any(fields.get(r) for r in ((req,) if isinstance(req, str) else req))]
    if missing:
        need = "、".join("/".join(labels[r] for r in ((m,) if isinstance(m, str) else m)) for m in missing)
        raise ImportFailed(f"{name}：缺少必需列 {need}（文件中的列：{'、'.join(header[:20])}）")
    width = len(header)
    # short rows are padded; cells beyond the header are kept in EXTRA so that a row which
    # really has too many fields can be quarantined instead of silently cut
    matrix = [cells[:width] + [""] * (width - len(cells)) + ["|".join(c for c in cells[width:] if c)]
              for _, cells in body]
    cells = pd.DataFrame(matrix, columns=[*header, EXTRA], dtype=object)
    return RawTable(path, encoding, header, cells, np.array([ln for ln, _ in body]), fields, ignored)


# --- value parsers: vectorised, each returns (values, bad) where bad = non-blank but unparseable

def _fold(s: pd.Series) -> pd.Series:
    t = s.astype(object)
    wide = ~t.map(str.isascii, na_action="ignore").fillna(True).astype(bool)  # NFKC only where it can matter
    t[wide] = t[wide].map(lambda v: unicodedata.normalize("NFKC", v))
    return t.str.strip()


def parse_datetimes(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """'2024-03-05 08:01:02', '2024/3/5 8:01', '2024年3月5日', Excel serials -> datetime64[us]."""
    t = _fold(s)
    if not (t != "").any():  # a field the file does not have
        return pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]"), t != ""
    parts = t.str.extract(_DATE)
    nums = parts.apply(pd.to_numeric, errors="coerce").fillna({"hour": 0, "minute": 0, "second": 0})
    out = pd.to_datetime(nums, errors="coerce")
    serial = t.str.match(_SERIAL)
    if serial.any():
        days = pd.to_numeric(t[serial], errors="coerce")
        days = days.where(days.between(*_SERIAL_RANGE))
        out[serial] = (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).dt.round("s")
    out = out.astype("datetime64[us]")
    return out, (t != "") & out.isna()


def parse_bools(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """是/否, Y/N, 1/0, true/false, 已解决/未解决, 有效/无效 -> bool; blank -> False."""
    t = _fold(s).str.lower()
    first = t.str[:1]
    true = t.isin(_TRUE) | ((first == "已") & (t.str.len() > 1))
    false = t.isin(_FALSE) | (first.isin(["未", "不", "无"]) & (t.str.len() > 1))
    return true, (t != "") & ~true & ~false


def parse_floats(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers (full-width digits and thousands separators allowed) -> float64."""
    t = _fold(s).str.replace(",", "", regex=False)
    out = pd.to_numeric(t.where(t != ""), errors="coerce").astype("float64")
    return out, (t != "") & out.isna()


def parse_dates(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates (any form parse_datetimes takes) -> python date objects or None."""
    ts, bad = parse_datetimes(s)
    return ts.dt.date.astype(object).where(ts.notna(), None), bad

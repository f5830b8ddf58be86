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
import itertools
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
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
PROBLEM = "(读取问题)"  # why the reader could not read a row faithfully; non-empty = quarantined
# control characters (NUL, ESC, DEL, C1 …) never belong in a field: they split categories
# (物业\x00管理) and hide text; tab and line breaks inside a field become spaces
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_BREAKS = re.compile(r"[\t\r\n]+")
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
    cells: pd.DataFrame           # one column per source column (original header as name), all str,
                                  # plus EXTRA and PROBLEM (see check_extra_cells in records.py)
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
    try:
        return raw.decode("utf-8", errors="strict"), "UTF-8"
    except UnicodeDecodeError:
        _refuse_mixed(raw, name)
    for codec, label in (("gbk", "GBK"), ("gb18030", "GB18030")):
        try:
            return raw.decode(codec, errors="strict"), label
        except UnicodeDecodeError:
            continue
    raise ImportFailed(f"{name}：无法识别文本编码（试过 UTF-8、GBK、GB18030），请另存为 UTF-8 CSV 或 XLSX")


def _refuse_mixed(raw: bytes, name: str) -> None:
    """A file that is not UTF-8 as a whole but whose non-ASCII lines mostly are: UTF-8 rows with
    a few in another encoding (pasted from a GBK file).  Decoding it whole as GBK would turn every
    Chinese text into mojibake without a single reject, so the file is refused naming the lines."""
    utf8, other = 0, []
    for n, line in enumerate(raw.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8", errors="strict")
            utf8 += 1
            continue
        except UnicodeDecodeError:
            pass
        try:
            line.decode("gb18030", errors="strict")
        except UnicodeDecodeError:
            return  # bytes no encoding reads: refused as undecodable by `decode`
        other.append(n)
    if other and utf8 >= len(other):
        lines = "、".join(map(str, other[:5])) + ("…" if len(other) > 5 else "")
        raise ImportFailed(f"{name}：编码混杂：第 {lines} 行不是 UTF-8，其余为 UTF-8。"
                           "请把整个文件另存为同一种编码（UTF-8）后再导入")


def clean_cell(text: str) -> str:
    """A cell as text: control characters removed, tabs and line breaks as one space, stripped."""
    if text.isascii() and text.isprintable():
        return text.strip()
    return _BREAKS.sub(" ", _CONTROL.sub("", text)).strip()


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


def _is_formula(v) -> bool:
    return (isinstance(v, str) and v.startswith("=")) or type(v).__name__ in ("ArrayFormula", "DataTableFormula")


def _xlsx_rows(path: Path, max_rows: int, max_cells: int) -> Iterator[tuple[int, list[str], str]]:
    """The first non-empty sheet's rows, streamed: (sheet row, cells, problem).  A formula cell
    without a cached result (a file written by a program, never opened in Excel) is not read as
    blank: its row carries a problem and is quarantined.  A sheet whose declared size exceeds the
    caps is refused before any row is parsed."""
    from openpyxl import load_workbook

    try:
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as e:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException)
        raise ImportFailed(f"{path.name}：无法读取 Excel 文件（文件损坏或不是 .xlsx）：{type(e).__name__}") from e
    try:
        for ws, wf in zip(values.worksheets, formulas.worksheets):
            rows, cols = ws.max_row or 0, ws.max_column or 0
            if rows > max_rows + HEADER_SEARCH_ROWS or rows * cols > max_cells:
                raise ImportFailed(_too_big(path.name, max_rows, max_cells) + f"（工作表 {rows:,} 行 × {cols:,} 列）")
            found = False
            for i, (row, frow) in enumerate(zip(ws.iter_rows(values_only=True), wf.iter_rows(values_only=True)),
                                            start=1):
                cells = [clean_cell(_cell_text(v)) for v in row]
                if not any(cells):
                    continue
                found = True
                lost = [j + 1 for j, (v, f) in enumerate(zip(row, frow)) if v is None and _is_formula(f)]
                problem = (f"第{'、'.join(map(str, lost[:5]))}列是没有计算结果的公式"
                           "（请在 Excel 中打开、保存后再导入）") if lost else ""
                yield i, cells, problem
            if found:
                return
    except ImportFailed:
        raise
    except Exception as e:
        raise ImportFailed(f"{path.name}：无法读取 Excel 文件（文件损坏）：{type(e).__name__}") from e
    finally:
        values.close()
        formulas.close()


def _too_big(name: str, max_rows: int, max_cells: int) -> str:
    return f"{name}：超过单个文件的上限（{max_rows:,} 行或 {max_cells:,} 个单元格），请按月份拆分后分批导入"


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str], str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for record in reader:
            cells = [clean_cell(c) for c in record]
            if any(cells):
                yield start, cells, ""
            start = reader.line_num + 1
    except csv.Error as e:
        raise ImportFailed(f"第 {start} 行附近无法按表格解析：{e}") from e


def _unique(names: list[str]) -> list[str]:
    """Column names made unique: a repeated 联系电话 becomes 联系电话(2)."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}({seen[n]})")
    return out


def _find_header(rows: list[tuple], aliases: dict[str, str]) -> tuple[int, int]:
    """(index of the header row, number of recognised columns in it)."""
    best, hits = 0, -1
    for k, (_, cells, *_) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        n = sum(header_key(c) in aliases for c in cells)
        if n > hits:
            best, hits = k, n
    return best, hits


def _parse_text(text: str, name: str, aliases: dict[str, str]) -> Iterator[tuple[int, list[str], str]]:
    """Pick the delimiter under which a header row is recognised best."""
    best, score = "", (-1, 0)
    sample = "\n".join(text.splitlines()[: HEADER_SEARCH_ROWS * 4])
    for d in _DELIMITERS:
        if d not in sample:
            continue
        try:
            head = list(_csv_rows(sample, d))
        except ImportFailed:
            continue
        k, hits = _find_header(head, aliases)
        cand = (hits, len(head[k][1]) if head else 0)
        if cand > score:
            best, score = d, cand
    if not best or score[1] < 2:
        raise ImportFailed(f"{name}：不是表格文件（找不到用逗号、制表符或分号分隔的表头）")
    try:
        yield from _csv_rows(text, best)
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
               labels: Mapping[str, str], *, max_rows: int | None = None,
               max_cells: int | None = None) -> RawTable:
    """Read a CSV (UTF-8, UTF-8 BOM, GBK/GB18030, UTF-16) or XLSX file into a RawTable.

    `aliases` maps canonical fields to the header spellings that mean them; `required`
    lists fields (or tuples of alternatives, one of which must be there); `labels` names
    fields in messages.  Rows are streamed: the header is checked before any further row is
    read, and a file with more than `max_rows` data rows or `max_cells` cells (settings) is
    refused as soon as it passes them.  Raises ImportFailed for every file-level problem.
    """
    from ..core.config import settings

    path = Path(path)
    name = path.name
    raw = read_bytes(path)
    table = alias_table(aliases)
    s = settings()
    max_rows = max_rows or s.import_max_rows
    max_cells = max_cells or s.import_max_cells
    if raw.startswith(_XLSX_MAGIC):
        stream, encoding = _xlsx_rows(path, max_rows, max_cells), "XLSX"
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
        stream = _parse_text(text, name, table)
    rows = [r for _, r in zip(range(HEADER_SEARCH_ROWS), stream)]
    if not rows:
        raise ImportFailed(f"{name}：文件为空（没有任何内容）")
    k, _ = _find_header(rows, table)
    header_cells = rows[k][1]
    header = _unique([c or f"(第{j + 1}列)" for j, c in enumerate(header_cells)])
    fields: dict[str, list[str]] = {}
    ignored = []
    for col, orig in zip(header, header_cells):
        f = table.get(header_key(orig))
        if f:
            fields.setdefault(f, []).append(col)
        else:
            ignored.append(col)
    missing = [req for req in required
               if not any(fields.get(r) for r in ((req,) if isinstance(req, str) else req))]
    if missing:  # before reading any further row
        need = "、".join("/".join(labels[r] for r in ((m,) if isinstance(m, str) else m)) for m in missing)
        raise ImportFailed(f"{name}：缺少必需列 {need}（文件中的列：{'、'.join(header[:20])}）")
    width = len(header)
    # short rows are padded; cells beyond the header are kept in EXTRA so that a row which
    # really has too many fields can be quarantined instead of silently cut
    matrix, lines, n_cells = [], [], 0
    for line, cells, problem in itertools.chain(rows[k + 1:], stream):
        n_cells += max(len(cells), width)
        if len(matrix) >= max_rows or n_cells > max_cells:
            raise ImportFailed(_too_big(name, max_rows, max_cells))
        matrix.append(cells[:width] + [""] * (width - len(cells)) + ["|".join(c for c in cells[width:] if c), problem])
        lines.append(line)
    if not matrix:
        raise ImportFailed(f"{name}：只有表头，没有数据行")
    frame = pd.DataFrame(matrix, columns=[*header, EXTRA, PROBLEM], dtype=object)
    return RawTable(path, encoding, header, frame, np.array(lines), fields, ignored)


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

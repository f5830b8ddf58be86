"""Party-building exports (红墙先锋) -> rows of the nine party tables and monthly_topics, one rule
set for all kinds.

The kinds and their columns are data (party_specs.SPECS); this module reads them with the
rules every import follows: cells checked one by one, a bad row rejected with its reason,
vocabularies only with their schema values (or an obvious synonym), streets in any spelling,
communities by id or by name within the row's street, references checked against the base
snapshot.  A reference into a table the base holds nothing of refuses the whole file, naming
the kind to import first (an organisation's parent may also be in the same file).

Organisations and units keep their names; people never reach a snapshot: columns naming or
reaching a person (联系人, 书记, 电话 ...) are dropped, kept free text has phone and ID numbers
(and the row's personal names) masked, and the rejects file masks them too.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import pandas as pd

from ..core import schema
from ..core.privacy import mask_text
from .party_specs import LABELS, SPECS, Col, Spec
from .readers import ImportFailed, RawTable, parse_bools, parse_dates, read_table
from .records import (
    Prepared,
    Reasons,
    Reference,
    check_extra_cells,
    coordinates,
    counts,
    dates,
    keep_last,
    rejects_frame,
    resolve_communities,
    resolve_streets,
    timestamps,
)

YEARS = (2000, 2100)   # a planned_year outside is a typo
_QUARTER = re.compile(r"^(\d{4})年?[-/]?(?:Q([1-4])|第?([1-4一二三四])季度?)$", re.IGNORECASE)
_CHINESE_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4}
# Tables whose rows a reference may also name by their (exact) name.
_NAMED = {"party_orgs", "units"}


def read(path: Path, kind: str) -> RawTable:
    """Read one export of party `kind` (CSV in any supported encoding, or XLSX)."""
    spec = SPECS[kind]
    return read_table(path, spec.aliases, spec.required, spec.labels)


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", str(value)).replace(" ", "").strip().lower()


def map_vocab(values: pd.Series, col: Col) -> pd.Series:
    """Cells -> the column's schema values (synonyms mapped); None where blank or unknown."""
    table = {_fold(v): v for v in col.values} | {_fold(k): v for k, v in col.synonyms.items()}
    found = {v: table.get(_fold(v)) if v else None for v in values.unique()}   # few spellings, many rows
    return pd.Series([found[v] for v in values], index=values.index, dtype=object)


def quarter_start(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """'2024Q1', '2024-Q1', '2024年第一季度', '2024年1季度' or any date in the quarter -> the
    quarter's first day (date or None); and the bad mask (non-blank, unreadable)."""
    folded = values.map(lambda v: _fold(v).upper())
    day, bad = parse_dates(values)
    out = []
    for text, d in zip(folded, day):
        m = _QUARTER.match(text)
        if m:
            q = m.group(2) or m.group(3)
            out.append(date(int(m.group(1)), 3 * (_CHINESE_DIGIT.get(q) or int(q)) - 2, 1))
        else:
            out.append(date(d.year, 3 * ((d.month - 1) // 3) + 1, 1) if d else None)
    result = pd.Series(out, index=values.index, dtype=object)
    return result, (values != "") & result.isna()


class _Rows:
    """One file being checked: its cells, the reasons, the base and the columns read so far."""

    def __init__(self, spec: Spec, raw: RawTable, ref: Reference):
        self.spec, self.raw, self.ref = spec, raw, ref
        self.r = Reasons(raw.cells.index)
        self.out: dict[str, pd.Series] = {}
        people = [raw.cells[c] for c in raw.fields.get("person", [])]
        self.people = list(zip(*people)) if people else [()] * len(raw)

    def refuse(self, col: Col, table: str, kind: str) -> None:
        raise ImportFailed(f"{self.raw.path.name}：{col.label}须对应已导入的{table}，但当前快照中还没有{table}数据，"
                           f"请先导入{table}（--kind {kind}）")

    def missing(self, col: Col, blank: pd.Series) -> None:
        if col.required:
            self.r.add(blank, f"缺少{col.label}")


def _id(rows: _Rows, col: Col) -> pd.Series:
    v = rows.raw.text(col.name)
    rows.missing(col, v == "")
    return v.where(v != "", col.default)


def _text(rows: _Rows, col: Col) -> pd.Series:
    v = rows.raw.text(col.name)
    rows.missing(col, v == "")
    masked = [mask_text(t, names) if t else col.default for t, names in zip(v, rows.people)]
    return pd.Series(masked, index=v.index, dtype=object)


def _when(parse):
    def read_column(rows: _Rows, col: Col) -> pd.Series:
        v = parse(rows.raw, rows.r, col.name, col.label)
        rows.missing(col, rows.raw.text(col.name) == "")
        return v
    return read_column


def _count(rows: _Rows, col: Col) -> pd.Series:
    v = counts(rows.raw, rows.r, col.name, col.label, required=col.required, units="人次名个")
    return v.where(rows.r.ok, 0).astype("int64")   # every count is required: blank or bad rows are rejected


def _year(rows: _Rows, col: Col) -> pd.Series:
    v = counts(rows.raw, rows.r, col.name, col.label, required=col.required, units="年")
    wrong = v.notna() & ~v.between(*YEARS)
    rows.r.add(wrong, f"{col.label}不在合理范围（{YEARS[0]}–{YEARS[1]}）：", rows.raw.field(col.name))
    return v.where(rows.r.ok, 0).astype("int64")


def _month(rows: _Rows, col: Col) -> pd.Series:
    v = counts(rows.raw, rows.r, col.name, col.label, required=col.required, units="月")
    rows.r.add(v.notna() & ~v.between(1, 12), f"{col.label}不在 1–12：", rows.raw.field(col.name))
    return v.where(rows.r.ok, 0).astype("int64")


def _category(rows: _Rows, col: Col) -> pd.Series:
    text = rows.raw.text(col.name)
    known = rows.ref.ticket_categories
    if not known and (col.required or (text != "").any()):
        raise ImportFailed(f"{rows.raw.path.name}：{col.label}须是已导入工单中的分类，但当前快照中还没有工单，"
                           "请先导入工单（--kind tickets）")
    rows.r.add((text != "") & ~text.isin(known), f"{col.label}不是当前快照工单中的分类：", text)
    rows.missing(col, text == "")
    return text.where(text != "", col.default)


def _quarter(rows: _Rows, col: Col) -> pd.Series:
    v, bad = quarter_start(rows.raw.text(col.name))
    rows.r.add(bad, f"{col.label}无法识别：", rows.raw.field(col.name))
    rows.missing(col, rows.raw.text(col.name) == "")
    return v


def _bool(rows: _Rows, col: Col) -> pd.Series:
    v, bad = parse_bools(rows.raw.field(col.name))
    rows.r.add(bad, f"{col.label}取值无法识别：", rows.raw.field(col.name))
    return v


def _vocab(rows: _Rows, col: Col) -> pd.Series:
    text = rows.raw.text(col.name)
    v = map_vocab(text, col)
    rows.r.add((text != "") & v.isna(), f"{col.label}取值无法识别（应为 {'/'.join(col.values)}）：", text)
    rows.missing(col, text == "")
    return v.where(text != "", col.default)


def _street(rows: _Rows, col: Col) -> pd.Series:
    text = rows.raw.text(col.name)
    v = resolve_streets(text, rows.ref.lookup)
    rows.r.add((text != "") & v.isna(), "未知街道：", text)
    rows.missing(col, text == "")
    return v


def _community(rows: _Rows, col: Col) -> pd.Series:
    text, known = rows.raw.text(col.name), rows.ref.communities
    if known.empty and (col.required or (text != "").any()):
        rows.refuse(col, "社区", "communities")
    street = rows.out["street_code"]
    v, unknown = resolve_communities(known, street, text)
    rows.r.add(unknown, "未知社区（按编码或所填街道内的名称均未找到）：", text)
    home = v.map(dict(zip(known["community_id"], known["street_code"])))
    rows.r.add(street.notna() & v.notna() & (home != street), "社区不属于所填街道：", text)
    rows.out["street_code"] = street.where(street.notna(), home)   # a community id names its street too
    rows.missing(col, text == "")
    return v


def _reference(rows: _Rows, col: Col) -> pd.Series:
    text = rows.raw.text(col.name)
    base = rows.ref.tables.get(col.ref, schema.TABLES[col.ref].empty_table().to_pandas())
    key = schema.TABLES[col.ref].names[0]
    ids, names = list(base[key]), list(base["name_zh"]) if col.ref in _NAMED else []
    if col.ref == rows.spec.table:   # a parent may be in the same file
        ids += list(rows.out[key].dropna())
        names += list(rows.raw.text("name_zh")) if col.ref in _NAMED else []
    if not ids and (col.required or (text != "").any()):
        rows.refuse(col, LABELS[col.ref], col.ref)
    folded = [_fold(n) for n in names]
    seen = Counter(folded)
    lookup = {n: i for n, i in zip(folded, ids) if n and seen[n] == 1}   # a name two rows share names neither
    lookup |= {_fold(i): i for i in ids}   # an id wins over a name
    v = text.map(lambda t: lookup.get(_fold(t)) if t else None).astype(object)
    rows.r.add((text != "") & v.isna(), f"{col.label}在已导入的{LABELS[col.ref]}中不存在：", text)
    rows.missing(col, text == "")
    return v


_READ = {"id": _id, "text": _text, "date": _when(dates), "datetime": _when(timestamps), "count": _count,
         "year": _year, "month": _month, "category": _category, "quarter": _quarter, "bool": _bool,
         "vocab": _vocab, "street": _street, "community": _community, "ref": _reference}


def prepare(kind: str, raw: RawTable, ref: Reference, crs: str) -> Prepared:
    """Check and convert the rows of one party export of `kind`.

    Raises ImportFailed when a reference points into a table the base holds nothing of."""
    spec = SPECS[kind]
    rows = _Rows(spec, raw, ref)
    check_extra_cells(raw, rows.r)
    for col in spec.columns:
        rows.out[col.name] = _READ[col.type](rows, col)
    if spec.point:
        rows.out["lat"], rows.out["lon"] = coordinates(raw, rows.r, ref, crs, required=False)
    for earlier, later, reason in spec.order:
        rows.r.add(pd.to_datetime(rows.out[later]) < pd.to_datetime(rows.out[earlier]), reason)
    if spec.done_needs_date:
        rows.r.add((rows.out["status"] == "完成") & rows.out["done_on"].isna(), "状态为完成但缺少完成日期")
    if "parent_org_id" in rows.out:
        rows.r.add(rows.out["parent_org_id"] == rows.out["org_id"], "上级组织不能是自身")
    df = pd.DataFrame(rows.out)[schema.TABLES[spec.table].names]
    table, dupes = keep_last(df.loc[rows.r.ok], spec.key)
    private = [c for c in raw.header if c in {*raw.fields.get("person", []), *raw.fields.get("phone", [])}]
    notes = [f"含个人信息的列未导入快照：{'、'.join(private)}"] if private else []
    texts = [c for col in spec.columns if col.type == "text" for c in raw.fields.get(col.name, [])]
    rejects = rejects_frame(raw, rows.r, name_cols=raw.fields.get("person", []),
                            text_cols=[*raw.fields.get("phone", []), *texts, *raw.ignored])
    return Prepared(table, rejects, dupes, notes)

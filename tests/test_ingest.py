"""The import (python -m dashboard import): bad input changes nothing, good input shows up.

Every bad-input class gets its own test asserting the message, exit code 1 and that CURRENT
and every file of every snapshot are byte-for-byte unchanged.  Good imports are checked
through the query layer and, once, through the overview page (AppTest).  All runs happen
in temporary data dirs seeded with the hand-built fixture (德胜 + 什刹海, 18 tickets).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import fixture_data
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from dashboard.__main__ import main
from dashboard.core import filters, geo
from dashboard.ingest import admin as ingest_admin
from dashboard.ingest import importer as ingest
from dashboard.ingest import readers as ingest_read
from dashboard.ingest import records as ingest_rows
from dashboard.store import query, snapshot

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["工单编号", "创建时间", "办结时间", "一级分类", "二级分类", "三级分类", "主要内容", "二级承办单位简称",
          "被反映街乡镇", "所属社区", "是否有效回访", "是否联系", "是否解决", "是否满意", "来电号码", "联系人",
          "经度", "纬度"]
FIXTURE_TICKETS = 18
APRIL = {"start": date(2024, 4, 1), "end": date(2024, 4, 30), "categories": [], "subs": [], "communities": []}
DESHENG, SHICHAHAI = fixture_data.DESHENG, fixture_data.SHICHAHAI


def ticket(tid, created, street="德胜街道", *, closed="", community="德胜里社区", valid="是", contacted="是",
           resolved="是", sat="满意", phone="", name="", content="诉求内容", lon="", lat="", l1="供暖",
           l2="室温不达标") -> list:
    """One row of a Beijing-style 12345 export, in HEADER order."""
    return [tid, created, closed, l1, l2, "", content, "", street, community, valid, contacted, resolved, sat,
            phone, name, lon, lat]


def write_csv(path: Path, rows, *, encoding="utf-8", header=HEADER) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def april_rows(n, prefix="P", street="德胜街道"):
    return [ticket(f"{prefix}{i:04d}", f"2024-04-{1 + i % 28:02d} 09:{i % 60:02d}:00", street,
                   closed=f"2024-04-{1 + i % 28:02d} 18:00:00") for i in range(n)]


def fingerprint(d: Path) -> dict:
    """CURRENT and the sha256 of every file under snapshots/ (building folders included)."""
    files = {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted((d / "snapshots").rglob("*")) if p.is_file()}
    return {"CURRENT": (d / "CURRENT").read_text(), "files": files}


def cli(capsys, *args) -> tuple[int, str, str]:
    """Run the CLI in-process (fast); argparse's usage errors come back as exit code 2."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def data_dir(fixture_dir, tmp_path):
    """A private copy of the fixture data dir."""
    d = tmp_path / "data"
    shutil.copytree(fixture_dir, d)
    return d


def assert_rejected(capsys, data_dir, files, kind, *fragments, crs="wgs84"):
    """Import must fail with exit 1, name the file and the problem, and change nothing."""
    before = fingerprint(data_dir)
    code, out, err = cli(capsys, "import", *files, "--kind", kind, "--crs", crs, "--data-dir", data_dir)
    assert code == 1, out + err
    for frag in fragments:
        assert frag in err, err
    assert fingerprint(data_dir) == before
    return err


def _square(lon0, lat0, size=0.01):
    return [[[lon0, lat0], [lon0 + size, lat0], [lon0 + size, lat0 + size], [lon0, lat0 + size], [lon0, lat0]]]


def _collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": coords}}
        for props, coords in features]}, ensure_ascii=False)


GOOD_DESHENG = ({"name_zh": "德胜街道"}, _square(116.36, 39.94, 0.02))   # 3.8 km² (reference 4.0)
GOOD_SHICHAHAI = ({"name": "什刹海街道办事处"}, _square(116.38, 39.92))
BOWTIE = [[[116.36, 39.94], [116.37, 39.95], [116.37, 39.94], [116.36, 39.95], [116.36, 39.94]]]


# --- bad input: one test per class ----------------------------------------------------------

def _folder(d: Path) -> Path:
    (d / "a-folder.csv").mkdir()
    return d / "a-folder.csv"


def _broken_xlsx(d: Path) -> Path:
    (d / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    return d / "broken.xlsx"


@pytest.mark.parametrize("make, problem", [
    (lambda d: d / "no-such-export.csv", "无法读取文件"),
    (_folder, "无法读取文件"),
    (_broken_xlsx, "无法读取 Excel 文件"),
], ids=["missing", "directory", "corrupt-xlsx"])
def test_unreadable_file(capsys, data_dir, tmp_path, make, problem):
    path = make(tmp_path)
    assert_rejected(capsys, data_dir, [path], "tickets", path.name, problem)


@pytest.mark.parametrize("name, content, problem", [
    ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "不是表格文件"),
    ("notes.csv", "这是一份会议纪要，没有表格。\n第二行文字\n".encode(), "不是表格文件"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "旧版 Excel"),
    ("streets.geojson", _collection(GOOD_DESHENG).encode(), "不是表格文件（内容是 JSON/GeoJSON）"),
], ids=["binary", "prose", "legacy-xls", "geojson"])
def test_not_a_table(capsys, data_dir, tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    assert_rejected(capsys, data_dir, [path], "tickets", name, problem)


def test_undecodable_encoding(capsys, data_dir, tmp_path):
    path = tmp_path / "mojibake.csv"
    # 0x80 and 0xFF open no character in UTF-8, GBK or GB18030
    path.write_bytes(",".join(HEADER).encode("utf-8") + b"\r\nA1,\x80\xff\x80\xff\r\n")
    assert_rejected(capsys, data_dir, [path], "tickets", "mojibake.csv", "无法识别文本编码")


def test_missing_required_column(capsys, data_dir, tmp_path):
    header = [h for h in HEADER if h != "创建时间"]
    rows = [[c for h, c in zip(HEADER, r) if h != "创建时间"] for r in april_rows(3)]
    path = write_csv(tmp_path / "no-created.csv", rows, header=header)
    assert_rejected(capsys, data_dir, [path], "tickets", "no-created.csv", "缺少必需列 创建时间")


@pytest.mark.parametrize("content, problem", [
    (b"", "文件为空"), (b"\r\n \r\n", "文件为空"),
    (",".join(HEADER).encode("utf-8") + b"\r\n", "只有表头，没有数据行"),
], ids=["zero-bytes", "blank-lines", "header-only"])
def test_empty_file(capsys, data_dir, tmp_path, content, problem):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert_rejected(capsys, data_dir, [path], "tickets", "empty.csv", problem)


def test_too_many_bad_rows(capsys, data_dir, tmp_path):
    rows = april_rows(8) + [
        ticket("BAD1", "2024-02-30 09:00", phone="13812345678", name="王小明"),   # no such day
        ticket("BAD2", "2024-04-10 09:00", "东城区某街道"),                        # not a street here
        ticket("BAD3", "2024-04-10 09:00", closed="2024-04-09 09:00"),           # closed before created
        ticket("BAD4", "2024-04-10 09:00", lon="116.45", lat="39.95"),           # in Chaoyang
    ]
    path = write_csv(tmp_path / "april.csv", rows)
    err = assert_rejected(capsys, data_dir, [path], "tickets", "april.csv", "4 / 12 行未通过检查", "超过上限 1%")
    rejects = sorted((data_dir / "imports").glob("*/rejects-*.csv"))
    assert len(rejects) == 1 and str(rejects[0].relative_to(data_dir)) in err
    raw = rejects[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel opens it
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    got = {r["工单编号"]: (int(r["源文件行号"]), r["原因"]) for r in table}
    assert got["BAD1"] == (10, "创建时间无法识别：2024-02-30 09:00")
    assert got["BAD2"] == (11, "非本区街道：东城区某街道")
    assert got["BAD3"] == (12, "办结时间早于创建时间")
    assert got["BAD4"] == (13, "坐标在西城区范围外")
    bad1 = next(r for r in table if r["工单编号"] == "BAD1")
    assert (bad1["来电号码"], bad1["联系人"]) == ("138****5678", "王**")  # rejects are shared: masked too
    result = json.loads((rejects[0].parent / "result.json").read_text(encoding="utf-8"))
    assert result["status"] == "failed" and result["snapshot_id"] is None


@pytest.mark.parametrize("text, problems", [
    (_collection(({"name_zh": "德胜街道"}, BOWTIE), GOOD_SHICHAHAI), ["德胜街道", "多边形无效", "Self-intersection"]),
    (_collection(GOOD_DESHENG), ["缺少街道：什刹海街道"]),
    (_collection(GOOD_DESHENG, ({"name_zh": "什刹海"}, _square(116.50, 39.92))), ["坐标超出西城区范围"]),
    (_collection(GOOD_DESHENG, GOOD_SHICHAHAI, ({"name_zh": "朝阳门街道"}, _square(116.36, 39.90))),
     ["朝阳门街道", "不是已知街道"]),
    (_collection(GOOD_DESHENG, ({"name_zh": "什刹海"}, _square(116.361, 39.941))), ["大面积重叠"]),
    ('{"type": "Feature"', ["不是 GeoJSON"]),
], ids=["invalid-polygon", "street-missing", "outside-district", "unknown-street", "overlap", "not-json"])
def test_bad_boundaries(capsys, data_dir, tmp_path, text, problems):
    path = tmp_path / "streets.geojson"
    path.write_text(text, encoding="utf-8")
    assert_rejected(capsys, data_dir, [path], "boundaries", "streets.geojson", *problems)


def test_usage_errors_exit_2(capsys, data_dir, tmp_path):
    path = write_csv(tmp_path / "a.csv", april_rows(2))
    before = fingerprint(data_dir)
    assert cli(capsys, "import", path, "--data-dir", data_dir)[0] == 2                      # no --kind
    assert cli(capsys, "import", path, "--kind", "people", "--data-dir", data_dir)[0] == 2  # bad kind
    assert cli(capsys, "import", "--kind", "tickets", "--data-dir", data_dir)[0] == 2       # no file
    assert cli(capsys, "import", path, "--kind", "tickets", "--crs", "bd09", "--data-dir", data_dir)[0] == 2
    assert fingerprint(data_dir) == before


# --- good imports ---------------------------------------------------------------------------

@pytest.mark.parametrize("data, label", [
    ("工单编号,街道\nA1,德胜".encode("utf-8"), "UTF-8"),
    ("工单编号,街道\nA1,德胜".encode("utf-8-sig"), "UTF-8 BOM"),
    ("工单编号,街道\nA1,德胜".encode("gbk"), "GBK"),
    ("工单编号,街道\nA1,䶮".encode("gb18030"), "GB18030"),   # 䶮 is beyond GBK
    ("工单编号\t街道\nA1\t德胜".encode("utf-16"), "UTF-16"),  # Excel's "Unicode text"
])
def test_encodings_are_detected_and_named(data, label):
    text, got = ingest_read.decode(data, "x.csv")
    assert got == label and text.startswith("工单编号")


@pytest.mark.parametrize("text, expected", [
    ("2024-03-05 08:01:02", datetime(2024, 3, 5, 8, 1, 2)), ("2024/3/5 8:01", datetime(2024, 3, 5, 8, 1)),
    ("2024年3月5日", datetime(2024, 3, 5)), ("45356.5", datetime(2024, 3, 5, 12)),
    ("２０２４-03-05", datetime(2024, 3, 5)), ("2024-02-30", None), ("yesterday", None), ("123", None),
])
def test_dates_in_the_forms_exports_use(text, expected):
    values, bad = ingest_read.parse_datetimes(pd.Series([text], dtype=object))
    if expected is None:
        assert bad[0] and pd.isna(values[0])
    else:
        assert values[0] == expected and not bad[0]


def test_booleans_in_the_forms_exports_use():
    yes = ["是", "Y", "y", "1", "true", "TRUE", "已解决", "有效"]
    no = ["否", "N", "0", "false", "未联系", "无效", ""]
    values, bad = ingest_read.parse_bools(pd.Series(yes + no + ["也许"], dtype=object))
    assert list(values) == [True] * len(yes) + [False] * (len(no) + 1) and list(bad) == [False] * 15 + [True]


def _serial(dt: datetime) -> float:
    return (dt - datetime(1899, 12, 30)).total_seconds() / 86400


def _good_files(d: Path) -> list[Path]:
    """Four exports of April 2024, one per encoding.  Hand count, per street:
    德胜 3 (a) + 2 (c) + 1 (d) = 6;  什刹海 4 (b) + 1 (c) + 1 (d) = 6.
    Valid callbacks 10 (A3 否, D2 'false'); of those resolved 8 (not C2: 0, C3: N);
    满意 9 (all valid but D1), 基本满意 1 (D1)."""
    a = write_csv(d / "a-utf8.csv", [
        ticket("A1", "2024-04-01 08:01:02", "德胜街道", closed="2024-04-02 10:00:00"),
        ticket("A2", "2024-04-02 09:00:00", "德胜街道", closed="2024-04-03 10:00:00"),
        ticket("A3", "2024-04-03 09:00:00", "德胜", valid="否", sat=""),
    ])
    b = write_csv(d / "b-gbk.csv", [
        ticket(f"B{i}", f"2024/4/{5 + i} 8:01", "什刹海街道办事处", community="西海社区",
               closed=f"2024/4/{6 + i} 8:01") for i in range(4)
    ], encoding="gbk")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["西城区12345工单明细（2024年4月）"])  # a title row above the header, as exports have
    ws.append(HEADER)
    ws.append(ticket("C1", _serial(datetime(2024, 4, 10, 9, 30)), "德胜街道　", closed=_serial(datetime(2024, 4, 11))))
    ws.append(ticket("C2", datetime(2024, 4, 11, 14, 0), " 德 胜 ", valid=1, contacted=1, resolved=0, sat="满意"))
    ws.append(ticket("C3", _serial(datetime(2024, 4, 12, 8, 0)), "１１０１０２０１２", community="", valid=True,
                     contacted="Y", resolved="N", sat="满意"))
    c = d / "c.xlsx"
    wb.save(c)
    bom = write_csv(d / "d-bom.csv", [
        ticket("D1", "2024-04-20 10:00", "德胜街道", valid="true", sat="基本满意"),
        ticket("D2", "2024-04-21 10:00", "什刹海", valid="false", contacted="false", resolved="false", sat=""),
    ], encoding="utf-8-sig")
    return [a, b, c, bom]


@pytest.fixture(scope="module")
def good_import(fixture_dir, tmp_path_factory):
    """The fixture plus the four April exports, imported in one CLI call."""
    d = tmp_path_factory.mktemp("good") / "data"
    shutil.copytree(fixture_dir, d)
    files = _good_files(d.parent)
    report = ingest.run_import(files, "tickets", data_dir=d)
    return d, report


def test_good_import_in_every_encoding(good_import):
    d, report = good_import
    assert report.ok, report.error
    text = ingest.format_report(report)
    for enc, n in (("UTF-8", 3), ("GBK", 4), ("XLSX", 3), ("UTF-8 BOM", 2)):
        assert f"编码 {enc}｜读取 {n} 行｜接受 {n} 行｜隔离 0 行" in text
    assert f"已发布快照 {report.snapshot_id}" in text
    info = snapshot.current(d)
    assert info.id == report.snapshot_id and info.source == "import"
    assert info.data_as_of == date(2024, 4, 21)  # later than the fixture's 2024-03-31
    assert info.row_counts["tickets"] == FIXTURE_TICKETS + 12
    counts = query.run("street_counts", snapshot=info, **APRIL).set_index("street_code")
    assert counts.loc[DESHENG, "tickets"] == 6 and counts.loc[SHICHAHAI, "tickets"] == 6
    assert counts["valid"].sum() == 10 and counts["resolved"].sum() == 8
    assert counts["sat_full"].sum() == 9 and counts["sat_basic"].sum() == 1
    march = query.run("street_counts", snapshot=info, **{**APRIL, "start": date(2024, 3, 1),
                                                          "end": date(2024, 3, 31)})
    assert march["tickets"].sum() == 14  # the fixture's March is untouched
    details = info.manifest["details"]
    assert [(f["name"], f["sha256"]) for f in details["files"]] == [
        (n, hashlib.sha256((d.parent / n).read_bytes()).hexdigest())
        for n in ("a-utf8.csv", "b-gbk.csv", "c.xlsx", "d-bom.csv")]
    archived = sorted(p.name for p in (d / details["import_dir"]).iterdir())
    assert archived == ["1-a-utf8.csv", "2-b-gbk.csv", "3-c.xlsx", "4-d-bom.csv", "result.json"]


def test_excel_serial_dates_and_defaults(good_import):
    d, _ = good_import
    t = pq.read_table(snapshot.current(d).path / "tickets.parquet").to_pandas().set_index("ticket_id")
    assert t.loc["C1", "created_at"] == datetime(2024, 4, 10, 9, 30)
    assert t.loc["C1", "closed_at"] == datetime(2024, 4, 11)
    assert t.loc["C2", "created_at"] == datetime(2024, 4, 11, 14, 0)
    assert t.loc["B0", "created_at"] == datetime(2024, 4, 5, 8, 1)
    assert t.loc["A1", "due_at"] == datetime(2024, 4, 2, 8, 1, 2)      # 供暖: 24 h
    assert t.loc["A1", "channel"] == "12345" and t.loc["A1", "category_l2"] == "室温不达标"
    assert t.loc["B0", "community_id"] == SHICHAHAI + "001" and t.loc["A1", "community_id"] == DESHENG + "001"
    assert t.loc["C3", "street_code"] == SHICHAHAI and pd.isna(t.loc["C3", "community_id"])
    assert not t.loc["C3", "resolved"] and t.loc["C3", "contacted"]
    assert list(t["created_at"]) == sorted(t["created_at"])


def test_overview_page_shows_the_imported_count(good_import, monkeypatch):
    from streamlit.testing.v1 import AppTest

    d, _ = good_import
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(d))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["from"], at.query_params["to"] = "2024-04", "2024-04"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["工单量"] == "12"
    assert metrics["解决率"] == "80.0%"  # 8 resolved of 10 valid callbacks


def test_street_aliases_into_an_empty_data_dir(capsys, tmp_path):
    """No snapshot yet: the 15 reference streets are the base, and every spelling finds its street.
    Boundaries come first here: a snapshot without tickets must not pin 数据截至 to its own day."""
    d = tmp_path / "fresh"
    boundaries = tmp_path / "b.geojson"
    streets = ingest.reference_streets()   # outlines of about the reference areas
    boundaries.write_text(_collection(*[({"adcode": c}, json.loads(g)["coordinates"]) for c, g in
                                        zip(streets["street_code"], streets["geometry_geojson"])]), encoding="utf-8")
    code, out, _ = cli(capsys, "import", boundaries, "--kind", "boundaries", "--data-dir", d)
    assert code == 0 and "还没有快照" in out, out
    spellings = {"广内": "110102017", "广安门外街道": "110102020", "西长安街街道办事处": "110102001",
                 "西城区德胜街道": "110102010", "大栅栏 街道": "110102013", "天桥街道　": "110102014",
                 "牛街街道": "110102018"}
    rows = [ticket(f"S{i}", f"2024-05-0{1 + i} 10:00", name, community="") for i, name in enumerate(spellings)]
    code, out, _ = cli(capsys, "import", write_csv(tmp_path / "aliases.csv", rows), "--kind", "tickets",
                       "--data-dir", d)
    assert code == 0, out
    assert "编码 UTF-8｜读取 7 行｜接受 7 行" in out
    info = snapshot.current(d)
    assert info.row_counts["streets"] == 15 and info.data_as_of == date(2024, 5, 7)
    assert info.manifest["details"]["boundary_kind"] == "imported"
    t = pq.read_table(info.path / "tickets.parquet").to_pandas().set_index("ticket_id")
    assert {k: t.loc[f"S{i}", "street_code"] for i, k in enumerate(spellings)} == spellings
    streets = pq.read_table(info.path / "streets.parquet").to_pandas()
    lookup = filters.street_aliases(zip(streets["street_code"], streets["name_zh"], streets["short_zh"]))
    assert ingest_rows.resolve_streets(pd.Series(["ＪＩＮＲＯＮＧ", "东城区东华门街道", ""]), lookup).isna().all()


def test_quarantine_within_the_limit_publishes(capsys, data_dir, tmp_path):
    rows = april_rows(120) + [ticket("X1", "2024-04-31 09:00")]
    path = write_csv(tmp_path / "big.csv", rows)
    code, out, _ = cli(capsys, "import", path, "--kind", "tickets", "--data-dir", data_dir)
    assert code == 0, out
    assert "读取 121 行｜接受 120 行｜隔离 1 行" in out
    (rejects,) = (data_dir / "imports").glob("*/rejects-*.csv")
    line = list(csv.DictReader(io.StringIO(rejects.read_bytes().decode("utf-8-sig"))))[0]
    assert (line["源文件行号"], line["原因"]) == ("122", "创建时间无法识别：2024-04-31 09:00")


def test_no_personal_data_in_the_snapshot(capsys, data_dir, tmp_path):
    people = [("王小明", "13812345678"), ("李四光", "+86 139-1234-5678"), ("赵六", "010-66012345")]
    rows = [ticket(f"PD{i}", f"2024-04-0{i + 1} 10:00", name=name, phone=phone,
                   content=f"我是{name}，电话{phone}，身份证11010219900307123X，请回电{phone.replace('-', '')}")
            for i, (name, phone) in enumerate(people)]
    rows.append(ticket("PD9", "2024-04-09 10:00", name="王小明", phone="138 1234 5678", content="再次反映"))
    code, out, _ = cli(capsys, "import", write_csv(tmp_path / "pd.csv", rows), "--kind", "tickets",
                       "--data-dir", data_dir)
    assert code == 0, out
    forbidden = ["王小明", "李四光", "赵六", "13812345678", "13912345678", "66012345", "11010219900307123X",
                 "110102199003071"]
    info = snapshot.current(data_dir)
    scanned = 0
    for f in sorted(info.path.glob("*.parquet")):
        table = pq.read_table(f)
        for col in table.column_names:
            if str(table.schema.field(col).type) not in ("string", "large_string"):
                continue
            for v in table.column(col).to_pylist():
                if v:
                    scanned += 1
                    digits = "".join(ch for ch in v if ch.isdigit())
                    assert not any(x in v or x in digits for x in forbidden), (f.name, col, v)
    assert scanned > 100
    t = pq.read_table(info.path / "tickets.parquet").to_pandas().set_index("ticket_id")
    assert t.loc["PD0", "content"].startswith("我是王**，电话138****5678")
    assert t.loc["PD0", "caller_key"] == t.loc["PD9", "caller_key"] != t.loc["PD1", "caller_key"]
    assert len(t.loc["PD2", "caller_key"]) == 16


def test_reimported_ids_replace_and_later_duplicates_win(capsys, data_dir, tmp_path):
    first = write_csv(tmp_path / "m1.csv", [ticket("M1", "2024-04-01 10:00"), ticket("M2", "2024-04-02 10:00"),
                                            ticket("T00001", "2024-02-05 09:00", resolved="否")])
    assert cli(capsys, "import", first, "--kind", "tickets", "--data-dir", data_dir)[0] == 0
    second = write_csv(tmp_path / "m2.csv", [
        ticket("M2", "2024-04-02 10:00", "什刹海", community=""),          # moved street
        ticket("M3", "2024-04-03 10:00"),
        ticket("M3", "2024-04-04 10:00", sat="不满意"),                  # the later row wins
    ])
    code, out, _ = cli(capsys, "import", second, "--kind", "tickets", "--data-dir", data_dir)
    assert code == 0, out
    assert "文件内重复编号 1 条" in out and "替换已有记录 1 条" in out
    info = snapshot.current(data_dir)
    t = pq.read_table(info.path / "tickets.parquet").to_pandas().set_index("ticket_id")
    assert len(t) == FIXTURE_TICKETS + 3  # T00001 replaced the fixture's own; M1, M2, M3 are new
    assert t.loc["M2", "street_code"] == SHICHAHAI and t.loc["M3", "satisfaction"] == "不满意"
    assert not t.loc["T00001", "resolved"]
    assert t.index.is_unique and list(t["created_at"]) == sorted(t["created_at"])
    assert info.manifest["details"]["base_snapshot"] != info.id


def test_demo_snapshot_is_not_merged_with_real_data(capsys, tmp_path):
    d = tmp_path / "demo-data"
    tables = {name: fixture_data.schema.conform(name, getattr(fixture_data, name)())
              for name in ("streets", "communities", "circles", "facilities", "tickets")}
    snapshot.publish(tables, source="demo", data_as_of=date(2024, 3, 31), data_dir=d)
    code, out, _ = cli(capsys, "import", write_csv(tmp_path / "r.csv", april_rows(3)), "--kind", "tickets",
                       "--data-dir", d)
    assert code == 0 and "是演示数据" in out
    counts = snapshot.current(d).row_counts
    assert (counts["tickets"], counts["communities"], counts["circles"], counts["facilities"]) == (3, 0, 0, 0)
    assert counts["streets"] == 2 and not snapshot.current(d).is_demo


def test_readers_see_one_whole_snapshot_while_publishing(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    path = write_csv(tmp_path / "more.csv", april_rows(30))
    seen, errors, stop = [], [], threading.Event()

    def reader(k: int):
        i = 0
        try:
            while not stop.is_set() or i < 3:
                # a new window end each time, so every call really reads the files (no cache hit)
                end = date(2024, 5, 1) + timedelta(days=1000 * k + i)
                df = query.run("street_counts", start=date(2024, 1, 1), end=end, categories=[], subs=[], communities=[])
                seen.append(int(df["tickets"].sum()))
                i += 1
        except Exception as e:  # surfaced by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    report = ingest.run_import([path], "tickets", data_dir=data_dir)
    after = len(seen)
    while len(seen) < after + 8 and not errors:
        threading.Event().wait(0.01)
    stop.set()
    for t in threads:
        t.join()
    assert report.ok and not errors, errors
    assert set(seen) <= {FIXTURE_TICKETS, FIXTURE_TICKETS + 30}, set(seen)
    assert seen[-1] == FIXTURE_TICKETS + 30


# --- facilities, communities, boundaries ---------------------------------------------------------

def test_facility_categories_map_onto_the_standard_list():
    m = ingest.ingest_places.map_category
    assert [m(x) for x in ("超市", "便民超市", "快递柜", "菜鸟驿站", "理发", "修鞋", "修理", "洗衣", "菜市场",
                           "菜店", "药房", "社区便利店", "  早餐 ", "网吧", "")] == [
        "综合超市", "便利店", "末端配送", "末端配送", "美容美发", "便民维修", "便民维修", "洗染", "蔬菜零售",
        "蔬菜零售", "药店", "便利店", "早餐", None, None]


def test_facilities_gcj02_and_circles(capsys, data_dir, tmp_path):
    # C01's centre is (39.95, 116.37) with a 10-minute walk: 800 m / 1.3 ≈ 615 m as the crow flies
    near_lon, near_lat = geo.wgs84_to_gcj02(116.372, 39.951)
    far_lon, far_lat = geo.wgs84_to_gcj02(116.35, 39.93)
    rows = [["物美便利店", "便利店", near_lon, near_lat, "2023-05-01"],
            ["菜鸟驿站(德胜店)", "快递驿站", near_lon, near_lat, ""],
            ["老王修鞋", "修鞋", far_lon, far_lat, "2019/1/1"]]
    path = write_csv(tmp_path / "shops.csv", rows, header=["门店名称", "业态", "经度", "纬度", "开业日期"])
    code, out, _ = cli(capsys, "import", path, "--kind", "facilities", "--crs", "gcj02", "--data-dir", data_dir)
    assert code == 0, out
    assert "未归入任何生活圈（不在步行半径内）1 个" in out
    f = pq.read_table(snapshot.current(data_dir).path / "facilities.parquet").to_pandas().set_index("name_zh")
    assert len(f) == 2 + 3
    assert abs(f.loc["物美便利店", "lon"] - 116.372) < 1e-6 and abs(f.loc["物美便利店", "lat"] - 39.951) < 1e-6
    assert f.loc["物美便利店", "circle_id"] == "C01" and pd.isna(f.loc["老王修鞋", "circle_id"])
    assert f.loc["菜鸟驿站(德胜店)", "category"] == "末端配送" and f.loc["老王修鞋", "category"] == "便民维修"
    assert f.loc["物美便利店", "opened_on"] == date(2023, 5, 1)
    # importing the same list again replaces, never doubles
    assert cli(capsys, "import", path, "--kind", "facilities", "--crs", "gcj02", "--data-dir", data_dir)[0] == 0
    assert snapshot.current(data_dir).row_counts["facilities"] == 5


def test_unknown_facility_category_is_reported(capsys, data_dir, tmp_path):
    rows = [["某网吧", "网吧", 116.37, 39.95]] + [[f"便利店{i}", "便利店", 116.37, 39.95] for i in range(3)]
    path = write_csv(tmp_path / "shops.csv", rows, header=["名称", "类别", "经度", "纬度"])
    assert_rejected(capsys, data_dir, [path], "facilities", "shops.csv", "1 / 4 行未通过检查")
    (rejects,) = (data_dir / "imports").glob("*/rejects-*.csv")
    assert "未知类别：网吧" in rejects.read_bytes().decode("utf-8-sig")


def test_communities_keep_ids_and_tickets_find_new_ones(capsys, data_dir, tmp_path):
    rows = [["德胜里", "德胜街道", 116.371, 39.951, 2500], ["新风社区", "德胜", 116.374, 39.952, 3100]]
    path = write_csv(tmp_path / "c.csv", rows, header=["社区名称", "所属街道", "经度", "纬度", "常住人口"])
    code, out, _ = cli(capsys, "import", path, "--kind", "communities", "--data-dir", data_dir)
    assert code == 0, out
    c = pq.read_table(snapshot.current(data_dir).path / "communities.parquet").to_pandas().set_index("name_zh")
    # matched by name within its street: same id, the list's spelling and population
    assert c.loc["德胜里", "community_id"] == DESHENG + "001" and c.loc["德胜里", "population"] == 2500
    assert len(c) == 5
    assert c.loc["新风社区", "community_id"] == DESHENG + "003"
    tickets = write_csv(tmp_path / "t.csv", [ticket("N1", "2024-04-01 10:00", community="新风"),
                                             ticket("N2", "2024-04-01 11:00", community="不存在社区")])
    code, out, _ = cli(capsys, "import", tickets, "--kind", "tickets", "--data-dir", data_dir)
    assert code == 0 and "社区未识别 1 行" in out
    t = pq.read_table(snapshot.current(data_dir).path / "tickets.parquet").to_pandas().set_index("ticket_id")
    assert t.loc["N1", "community_id"] == DESHENG + "003" and pd.isna(t.loc["N2", "community_id"])


def test_good_boundaries_replace_the_schematic_ones(capsys, data_dir, tmp_path):
    path = tmp_path / "real.geojson"
    path.write_text(_collection(GOOD_DESHENG, ({"adcode": SHICHAHAI}, _square(116.38, 39.92, 0.02))),
                    encoding="utf-8")
    code, out, _ = cli(capsys, "import", path, "--kind", "boundaries", "--data-dir", data_dir)
    assert code == 0, out
    assert "读取 2 个要素" in out and "保留参考面积" in out
    assert snapshot.current(data_dir).data_as_of == date(2024, 3, 31)  # the tickets' date, carried on
    info = snapshot.current(data_dir)
    assert info.manifest["details"]["boundary_kind"] == "imported"
    s = pq.read_table(info.path / "streets.parquet").to_pandas().set_index("street_code")
    assert set(s["boundary_kind"]) == {"imported"} and s.loc[DESHENG, "area_km2"] == 4.0
    assert abs(s.loc[DESHENG, "centroid_lon"] - 116.37) < 1e-9 and abs(s.loc[DESHENG, "centroid_lat"] - 39.95) < 1e-9
    assert info.row_counts["tickets"] == FIXTURE_TICKETS
    # with real boundaries, a point outside them (inside the old schematic outline) is rejected
    rows = april_rows(120) + [ticket("OUT", "2024-04-02 10:00", lon="116.33", lat="39.90")]
    code, out, _ = cli(capsys, "import", write_csv(tmp_path / "t.csv", rows), "--kind", "tickets",
                       "--data-dir", data_dir)
    assert code == 0 and "隔离 1 行" in out


def test_admin_page_imports_in_a_subprocess_and_rolls_back(data_dir, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    before = snapshot.current_id(data_dir)
    upload = write_csv(tmp_path / "up.csv", april_rows(5))
    result = ingest_admin.run_in_subprocess([("../../up.csv", upload.read_bytes())], "tickets", "wgs84", data_dir)
    assert result["code"] == 0, result
    assert "编码 UTF-8｜读取 5 行｜接受 5 行" in result["stdout"] and "已发布快照" in result["stdout"]
    bad = ingest_admin.run_in_subprocess([("x.csv", b"")], "tickets", "wgs84", data_dir)
    assert bad["code"] == 1 and "x.csv：文件为空" in bad["stderr"]
    live = snapshot.current_id(data_dir)
    assert live != before

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    at = AppTest.from_string(HARNESS.replace("{page}", str(ROOT / "pages" / "data_admin.py")), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    tables = [df.value for df in at.dataframe]
    snaps = next(t for t in tables if "快照" in t.columns and "当前" in t.columns)
    assert list(snaps.loc[snaps["当前"] != "", "快照"]) == [live]
    health = next(t for t in tables if "需关注" in t.columns).set_index("表")
    assert health.loc["工单", "行数"] == FIXTURE_TICKETS + 5 and health.loc["工单", "最晚日期"] == "2024-04-05"
    at.selectbox(key="admin_rollback_target").set_value(before).run()
    at.button(key="admin_rollback").click().run()
    assert snapshot.current_id(data_dir) == before


# Runs the 数据管理 page the way app.py runs a page (app.py registers it as url_path "data").
HARNESS = """
import streamlit as st
from dashboard import ui
from dashboard.core.config import settings
from dashboard.views.context import make_context
PAGE = "{page}"
page = st.navigation([st.Page(PAGE, title="数据管理", url_path="data")])
info = ui.ensure_snapshot()
choices = ui.load_choices(info.id)
state = ui.filter_sidebar(choices)
ui.set_context(make_context(info, choices, state, settings()))
page.run()
"""

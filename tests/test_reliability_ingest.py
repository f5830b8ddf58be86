"""Issue 14, data that went wrong silently: each case is quarantined or refused with a reason."""
from __future__ import annotations

import csv
import io

from test_ingest import HEADER, april_rows, cli, data_dir, ticket, write_csv  # noqa: F401 (data_dir: fixture)


def rejects_of(capsys, data_dir, path, kind="tickets", key="工单编号") -> dict[str, str]:
    """Import `path` (expected refused over the 1 % rule) and return {id: reason} of its rejects."""
    code, out, err = cli(capsys, "import", path, "--kind", kind, "--data-dir", data_dir)
    assert code == 1, out + err
    files = sorted((data_dir / "imports").glob("*/rejects-*.csv"))
    assert files, err
    table = list(csv.reader(io.StringIO(files[-1].read_bytes().decode("utf-8-sig"))))
    head = table[0]
    return {row[head.index(key)]: row[head.index("原因")] for row in table[1:]}


def with_unit(row: list, unit: str) -> list:
    row = list(row)
    row[HEADER.index("二级承办单位简称")] = unit
    return row


def test_a_named_street_that_is_unknown_or_elsewhere_is_quarantined_not_given_to_the_handling_unit(
        capsys, data_dir, tmp_path):
    rows = april_rows(8) + [
        with_unit(ticket("U1", "2024-04-10 09:00", "某某街道"), "德胜街道"),
        with_unit(ticket("U2", "2024-04-10 09:00", "朝阳区望京街道"), "德胜街道"),
        with_unit(ticket("U3", "2024-04-10 09:00", "温泉镇"), "德胜"),
        with_unit(ticket("U4", "2024-04-10 09:00", ""), "德胜"),          # blank street: the unit stands in
    ]
    got = rejects_of(capsys, data_dir, write_csv(tmp_path / "streets.csv", rows))
    assert got["U1"] == "未知街道：某某街道"
    assert got["U2"] == "非本区街道：朝阳区望京街道"
    assert got["U3"] == "非本区街道：温泉镇"
    assert "U4" not in got


def test_xlsx_formulas_without_a_cached_result_are_quarantined_not_read_as_no(capsys, data_dir, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in april_rows(8):
        ws.append(row)
    formula = ticket("F1", "2024-04-10 09:00")
    formula[HEADER.index("是否解决")] = '=IF(1=1,"是","否")'     # openpyxl writes no cached value
    ws.append(formula)
    path = tmp_path / "formulas.xlsx"
    wb.save(path)
    got = rejects_of(capsys, data_dir, path)
    assert set(got) == {"F1"} and "第13列是没有计算结果的公式" in got["F1"]


def test_a_utf8_file_with_one_gbk_row_is_refused_naming_the_line(capsys, data_dir, tmp_path):
    path = write_csv(tmp_path / "mixed.csv", april_rows(8))
    gbk = ",".join(ticket("G1", "2024-04-10 09:00", l1="市容环境", l2="垃圾清运")).encode("gbk")
    path.write_bytes(path.read_bytes() + gbk + b"\r\n")
    code, out, err = cli(capsys, "import", path, "--kind", "tickets", "--data-dir", data_dir)
    assert code == 1 and "mixed.csv：编码混杂：第 10 行不是 UTF-8" in err


def test_control_characters_are_stripped_from_fields(capsys, data_dir, tmp_path):
    rows = april_rows(8)
    rows[0][HEADER.index("一级分类")] = "物业\x00管理\x1b"
    rows[1][HEADER.index("一级分类")] = "物业管理"
    path = tmp_path / "nul.csv"
    path.write_bytes(("x" * 5000 + "\r\n").encode() + write_csv(tmp_path / "n.csv", rows).read_bytes())
    code, out, err = cli(capsys, "import", path, "--kind", "tickets", "--data-dir", data_dir)
    assert code == 0, err
    import pyarrow.parquet as pq
    from dashboard.store import snapshot
    t = pq.read_table(snapshot.current(data_dir).path / "tickets.parquet").to_pandas().set_index("ticket_id")
    assert t.loc["P0000", "category_l1"] == "物业管理" == t.loc["P0001", "category_l1"]


def test_a_file_is_refused_by_its_header_before_its_rows_are_read_and_capped_in_rows(tmp_path, monkeypatch):
    from dashboard.ingest import readers
    from dashboard.ingest import tickets as ingest_tickets

    read = []
    real = readers._csv_rows

    def counting(text, delimiter):
        for row in real(text, delimiter):
            read.append(row[0])
            yield row
    monkeypatch.setattr(readers, "_csv_rows", counting)
    header = [h for h in HEADER if h != "创建时间"]
    path = write_csv(tmp_path / "nohead.csv", [r[:len(header)] for r in april_rows(5000)], header=header)
    read.clear()
    with __import__("pytest").raises(readers.ImportFailed, match="缺少必需列 创建时间"):
        readers.read_table(path, ingest_tickets.ALIASES, ingest_tickets.REQUIRED, ingest_tickets.LABELS)
    assert len(read) <= 5 * readers.HEADER_SEARCH_ROWS   # the delimiter sniff and the header search only
    path = write_csv(tmp_path / "big.csv", april_rows(50))
    with __import__("pytest").raises(readers.ImportFailed, match="超过单个文件的上限"):
        readers.read_table(path, ingest_tickets.ALIASES, ingest_tickets.REQUIRED, ingest_tickets.LABELS, max_rows=20)


def test_an_import_waiting_for_the_lock_says_so_and_gives_up_after_the_set_time(capsys, data_dir, tmp_path,
                                                                                  monkeypatch):
    import fcntl

    from dashboard.ingest import importer

    (tmp_path / "wait.toml").write_text("import_lock_wait_s = 0.5\n", encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_CONFIG", str(tmp_path / "wait.toml"))
    path = write_csv(tmp_path / "april.csv", april_rows(3))
    with open(data_dir / importer._LOCK, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert importer.import_running(data_dir)
        code, out, err = cli(capsys, "import", path, "--kind", "tickets", "--data-dir", data_dir)
    assert code == 1
    assert "另一个导入正在进行，等待其完成（最多 0.5 秒）" in out
    assert "另一个导入仍在进行（已等待 0.5 秒），本次导入未运行" in err
    assert not importer.import_running(data_dir)


def test_absurd_numbers_are_quarantined_not_wrapped(capsys, data_dir, tmp_path):
    rows = [[f"社区{i}", "德胜街道", 116.371, 39.951, 2500 + i] for i in range(6)] + [
        ["巨大社区", "德胜街道", 116.371, 39.951, "1e30"],
        ["二十位社区", "德胜街道", 116.371, 39.951, "12345678901234567890"],
        ["四十万社区", "德胜街道", 116.371, 39.951, "400000"],
        ["无穷社区", "德胜街道", 116.371, 39.951, "inf"],
    ]
    path = write_csv(tmp_path / "c.csv", rows, header=["社区名称", "所属街道", "经度", "纬度", "常住人口"])
    got = rejects_of(capsys, data_dir, path, kind="communities", key="社区名称")
    assert got["巨大社区"] == "人口超出合理范围（0–300,000）：1e30"
    assert got["二十位社区"].startswith("人口超出合理范围") and got["四十万社区"].startswith("人口超出合理范围")
    assert got["无穷社区"] == "人口不是非负整数：inf"
    assert len(got) == 4


def test_an_xlsx_larger_than_the_caps_is_refused_by_its_declared_size(tmp_path):
    import pytest
    from openpyxl import Workbook

    from dashboard.ingest import readers
    from dashboard.ingest import tickets as ingest_tickets

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in april_rows(60):
        ws.append(row)
    wb.save(tmp_path / "big.xlsx")
    with pytest.raises(readers.ImportFailed, match="超过单个文件的上限.*工作表 61 行"):
        readers.read_table(tmp_path / "big.xlsx", ingest_tickets.ALIASES, ingest_tickets.REQUIRED,
                           ingest_tickets.LABELS, max_rows=20)


def test_a_300_character_upload_name_imports_instead_of_crashing(data_dir):
    from dashboard.ingest import admin

    name = "西城区12345工单明细" * 25 + ".csv"
    assert len(name) > 300
    buf = io.StringIO()
    csv.writer(buf).writerows([HEADER, *april_rows(3)])
    result = admin.run_in_subprocess([(name, buf.getvalue().encode("utf-8"))], "tickets", "wgs84", data_dir)
    assert result["code"] == 0, result
    assert admin.upload_name(name).endswith(".csv") and len(admin.upload_name(name).encode()) <= 180
    assert admin.upload_name("..\\\\..\\\\evil.csv") == "evil.csv"


def _deep(n: int) -> str:
    return "[" * n + "]" * n


import pytest  # noqa: E402


@pytest.mark.parametrize("doc", [
    '{"type": "FeatureCollection", "features": ["a string"]}',
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": ["德胜街道"], "geometry": null}]}',
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "德胜街道"}, '
    '"geometry": {"type": "Polygon", "coordinates": ' + _deep(5000) + '}}]}',
    '{"type": "FeatureCollection", "features": ' + _deep(100_000) + '}',
    '{"type": "FeatureCollection", "crs": "EPSG:4326", "features": [1]}',
], ids=["feature-string", "properties-list", "deep-coordinates", "deep-document", "crs-string"])
def test_malformed_geojson_gets_one_chinese_line_and_exit_1(capsys, data_dir, tmp_path, doc):
    path = tmp_path / "bad.geojson"
    path.write_text(doc, encoding="utf-8")
    code, out, err = cli(capsys, "import", path, "--kind", "boundaries", "--data-dir", data_dir)
    assert code == 1
    assert "Traceback" not in err + out and err.startswith("导入失败：") and "bad.geojson" in err


def test_boundaries_of_implausible_area_or_missing_communities_are_refused(capsys, data_dir, tmp_path):
    from test_ingest import GOOD_DESHENG, _collection, _square, assert_rejected

    tiny = tmp_path / "tiny.geojson"      # ~10 m polygons: "0.00 km² vs 4.00" is no note, it is wrong
    tiny.write_text(_collection(({"name_zh": "德胜街道"}, _square(116.37, 39.95, 0.0001)),
                                ({"name_zh": "什刹海街道"}, _square(116.39, 39.93, 0.0001))), encoding="utf-8")
    assert_rejected(capsys, data_dir, [tiny], "boundaries", "tiny.geojson", "德胜街道：边界面积 0.00 km²",
                    "相差超过 3 倍")
    moved = tmp_path / "moved.geojson"    # right sizes, but 什刹海's communities lie outside every outline
    moved.write_text(_collection(GOOD_DESHENG, ({"name_zh": "什刹海街道"}, _square(116.38, 39.90, 0.02))),
                     encoding="utf-8")
    assert_rejected(capsys, data_dir, [moved], "boundaries", "moved.geojson", "边界没有覆盖 2 个社区：西海社区、鼓楼苑社区")

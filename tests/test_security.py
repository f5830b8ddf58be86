"""Safety: no SQL built from strings, hostile input changes nothing, locked config, no leaks."""
import ast
import re
import tomllib
from datetime import date, datetime
from pathlib import Path

import fixture_data
import pytest
from streamlit.testing.v1 import AppTest
from test_ingest import ticket, write_csv

from dashboard.__main__ import main
from dashboard.core import export, filters
from dashboard.core import pages as page_list
from dashboard.render import brief, brief_html
from dashboard.store import query, snapshot, sql
from dashboard.views.context import choices_for

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|COPY|ATTACH|PRAGMA|INSTALL|LOAD|SET|FROM|WHERE)\b")
CODE = sorted([ROOT / "app.py", *ROOT.glob("dashboard/**/*.py"), *ROOT.glob("pages/*.py")])


def test_the_scan_covers_every_sub_package():
    """The scans below read every module of every layer (a glob of dashboard/*.py once read two files)."""
    scanned = {p.relative_to(ROOT / "dashboard").parts[0] for p in CODE if "dashboard" in p.parts}
    packages = {p.parent.name for p in ROOT.glob("dashboard/*/__init__.py")}
    assert packages <= scanned and len(packages) >= 8, (packages, scanned)
    assert len([p for p in CODE if "dashboard" in p.parts]) >= 40
PAGES = [p.script for p in page_list.PAGES if p.role != "admin"]


def _sql_like(text: str) -> bool:
    return bool(SQL_WORDS.search(text)) and bool(re.search(r"\b(SELECT|FROM|INTO|TO|VIEW|TABLE|SET)\b", text))


def sql_built_from_strings(path: Path) -> list[str]:
    """f-strings, .format() and % applied to text that reads like SQL."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if _sql_like(text):
                found.append(f"{path.name}:{node.lineno} f-string")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
                and isinstance(node.func.value, ast.Constant) and _sql_like(str(node.func.value.value)):
            found.append(f"{path.name}:{node.lineno} .format")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) \
                and _sql_like(str(node.left.value)):
            found.append(f"{path.name}:{node.lineno} %")
    return found


def test_the_scanner_catches_what_it_should(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('q = f"SELECT * FROM t WHERE x = {v}"\n'
                   'r = "SELECT * FROM t WHERE x = {}".format(v)\n'
                   's = "DELETE FROM t WHERE x = %s" % v\n'
                   'ok = f"第{n}位 from {a} to {b}"\n', encoding="utf-8")
    assert [f.split()[-1] for f in sql_built_from_strings(bad)] == ["f-string", ".format", "%"]


def test_no_sql_is_built_from_strings():
    found = [f for path in CODE for f in sql_built_from_strings(path)]
    assert not found, found


def test_only_query_files_reach_execute():
    """Every .execute/.sql call passes a query file's text, a constant, or bound parameters."""
    offenders = []
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("execute", "sql") and node.args:
                arg = node.args[0]
                ok = isinstance(arg, ast.Constant) or (isinstance(arg, ast.Call) and getattr(arg.func, "id", getattr(
                    arg.func, "attr", "")) == "load_sql")
                if not ok:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders


def test_committed_config_keeps_protections():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["server"]["enableCORS"] is True
    assert cfg["server"]["address"] == "127.0.0.1"
    assert 0 < cfg["server"]["maxUploadSize"] <= 100
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["client"]["showErrorDetails"] in ("none", False)


HOSTILE = ["' OR 1=1 --", "'; DROP VIEW tickets; --", "$start", "${end}", "\x00\x07\x1b[31m", "<script>alert(1)</script>",
           "街" * 5000, "🙂\u202e\u200b", "..%2f..%2fetc%2fpasswd", "1e999", "-1", "inf", "nan", "9999-12", "0001-01-01"]
PARAMS = ["period", "from", "to", "street", "community", "category", "sub", "focus", "metric", "layers", "grain", "drill",
          "present", "slide", "auto"]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("security-data")
    fixture_data.build(d)
    return d


@pytest.mark.parametrize("page", PAGES)
def test_hostile_values_in_every_url_parameter(data, monkeypatch, page):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data))
    info = snapshot.current(data)
    for i, value in enumerate(HOSTILE):
        at = AppTest.from_file(APP, default_timeout=60)
        for p in PARAMS:
            at.query_params[p] = value if (i + len(p)) % 2 else [value, "德胜"]
        at.run()
        at.switch_page(page).run()
        assert not at.exception, (page, value, [e.value for e in at.exception])
    march = dict(start=date(2024, 3, 1), end=date(2024, 3, 31), categories=[], subs=[], communities=[])
    assert query.run("street_counts", snapshot=info, **march)["tickets"].sum() == 14   # views intact


def test_a_failing_query_shows_a_reference_not_details(data, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data))
    real = query.run

    def broken(name, **kw):
        if name == "street_counts":
            raise RuntimeError("secret detail: /srv/data/tickets.parquet line 42")
        return real(name, **kw)

    monkeypatch.setattr(query, "run", broken)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    (err,) = at.error
    assert "参考编号" in err.value and "secret" not in err.value and "parquet" not in err.value


GENERIC = {"start": date(2024, 1, 1), "end": date(2024, 12, 31), "prev_start": date(2023, 1, 1),
           "prev_end": date(2023, 12, 31), "streets": [], "categories": [], "subs": [], "communities": [], "level": 2,
           "grain": "day", "min_population": 0, "limit": 100_000, "as_of": date(2024, 12, 31),
           "horizon": datetime(2025, 1, 1), "report_minutes": 30, "quarter_start": date(2024, 10, 1),
           "open_only": False, "whistle_id": "W1", "programs": [],
              "followup_days": 30, "lookback_days": 30, "topic_id": "T2024-03-1", "topic_months": 3}
PEOPLE = [("王小明", "13812345678"), ("李四光", "+86 139-1234-5678"), ("赵六", "010-66012345")]
FORBIDDEN = ["王小明", "李四光", "赵六", "13812345678", "13912345678", "66012345", "11010219900307123X"]


def test_no_name_or_phone_in_any_query_output_or_export(tmp_path, capsys):
    d = tmp_path / "pd"
    fixture_data.build(d)
    rows = [ticket(f"PD{i}", f"2024-04-0{i + 1} 10:00", name=name, phone=phone,
                   content=f"我是{name}，电话{phone}，身份证11010219900307123X")
            for i, (name, phone) in enumerate(PEOPLE)]
    assert main(["import", str(write_csv(tmp_path / "pd.csv", rows)), "--kind", "tickets", "--data-dir", str(d)]) == 0
    info = snapshot.current(d)
    checked = 0
    for path in sorted(sql.QUERIES_DIR.glob("*.sql")):
        if path.stem.startswith("_"):
            continue
        params = {k: GENERIC[k] for k in sql.params_of(path.stem)}
        out = query.run(path.stem, snapshot=info, **params)
        text = export.csv_bytes(out).decode("utf-8-sig")
        digits = re.sub(r"\D", "", text)
        for bad in FORBIDDEN:
            assert bad not in text and bad not in digits, (path.stem, bad)
        checked += len(out)
    assert checked > 20
    # the meeting brief of that data (HTML; the PPTX is built from the same slides)
    choices = choices_for(info)
    html = brief_html.to_html(brief.build(info, choices, filters.parse({"from": "2024-04", "to": "2024-04"}, choices).state))
    assert "2024年4月" in html
    for bad in FORBIDDEN:
        assert bad not in html, bad

"""Issue 14, output that can hurt the reader: CSV formula injection and markup through imported names."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from dashboard.core import export

ROOT = Path(__file__).resolve().parent.parent


def test_csv_cells_that_start_a_formula_are_text_and_negative_numbers_stay_numbers():
    df = pd.DataFrame({
        "类别": ['=HYPERLINK("http://evil","x")', "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "+1", "\tx", "\rx"],
        "差值": [-5, -1, 0, 2, 3, 4],
        "比例": [-0.5, 0.1, 0.2, 0.3, 0.4, 0.5],
    })
    back = pd.read_csv(io.BytesIO(export.csv_bytes(df)), encoding="utf-8-sig", keep_default_na=False)
    assert all(v.startswith("'") for v in back["类别"])
    assert back["差值"].tolist() == [-5, -1, 0, 2, 3, 4]
    assert back["比例"].iloc[0] == -0.5
    assert df["类别"].iloc[0].startswith("=")  # the caller's frame is left alone


def test_every_csv_the_app_writes_goes_through_export_csv_bytes():
    """One place neutralises: no other module writes CSV on its own."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "dashboard").rglob("*.py")
                 if p.name != "export.py" and re.search(r"\.to_csv\(|csv\.writer|DictWriter", p.read_text("utf-8"))]
    offenders += [str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")
                  if re.search(r"\.to_csv\(|csv\.writer|DictWriter", p.read_text("utf-8"))]
    assert offenders == []


HOSTILE = ["![x](http://host/pixel.png)", '<a href="http://host">点我</a>', ":red[假]", "$x$", "物业\x00管理"]


def _unescaped(text: str) -> str:
    """The characters of `text` that markdown would still treat as syntax (backslash pairs removed)."""
    return re.sub(r"\\.", "", text)


def test_imported_names_are_plain_text_in_markdown():
    from dashboard.core import plain

    for name in HOSTILE:
        out = plain.md(name)
        assert not set(_unescaped(out)) & set("[]()!<>:$`*_\\"), out
        assert "\x00" not in out


def test_stamp_and_briefing_footer_escape_the_filter_description():
    """The page stamp and the briefing footer show filters (category names) through plain.md."""
    widgets = (ROOT / "dashboard" / "ui" / "widgets.py").read_text("utf-8")
    briefing = (ROOT / "dashboard" / "ui" / "briefing.py").read_text("utf-8")
    assert "plain.md(filters.describe(" in widgets
    assert "plain.md(deck.stamp.line())" in briefing


def test_imported_names_are_data_in_charts_and_cannot_end_the_html_briefs_script():
    """Vega draws data values as text: a hostile name travels only as a data value (never inside an
    expression), unchanged; in the HTML brief, the spec's JSON cannot close its <script>."""
    import json

    from dashboard.render import brief_html, charts

    df = pd.DataFrame({"category": HOSTILE, "tickets": [5, 4, 3, 2, 1], "prev_tickets": [1, 2, 3, 4, 5]})
    spec = charts.category_bars(df)
    assert sorted(r["category"] for r in spec["data"]["values"]) == sorted(HOSTILE)
    expressions = [v for k, v in _walk(spec) if k in ("labelExpr", "filter", "test", "expr", "calculate")]
    assert expressions and not any(name in e for e in expressions for name in HOSTILE)
    page = brief_html._figure_html(spec, 1)
    assert page.count("<script>") == 1 and page.count("</script>") == 1 and "<a href" not in page
    assert json.loads(page[page.index(", {") + 2 - 1:page.rindex(', {"actions"')])["data"] == spec["data"]


def _walk(value, key=None):
    """Every (key, value) pair of a nested spec, strings at the leaves."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, key)
    else:
        yield key, value


def test_an_unverified_email_maps_to_no_role():
    from dashboard.core import auth

    secrets = {"auth": {"client_id": "x"}, "roles": {"admin": ["chief@xicheng.gov.cn"], "viewer": ["@xicheng.gov.cn"]}}
    for claims in ({"email_verified": False}, {}, {"email_verified": "true"}):
        user = {"is_logged_in": True, "email": "chief@xicheng.gov.cn", **claims}
        assert auth.access_for(secrets, user).role is None, claims
    user = {"is_logged_in": True, "email": "chief@xicheng.gov.cn", "email_verified": True}
    assert auth.access_for(secrets, user).role == "admin"


def test_local_mode_served_to_a_network_is_viewer_only():
    from dashboard.core import auth

    assert auth.access_for({}, {}, "127.0.0.1").role == "admin"
    assert auth.access_for({}, {}, "localhost").role == "admin"
    for address in ("0.0.0.0", "", None, "192.168.1.5", "::"):
        access = auth.access_for({}, {}, address)
        assert access.role == "viewer" and not access.can_open("data_admin"), address


def test_local_mode_on_0000_shows_a_warning_and_hides_data_admin(fixture_dir, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(fixture_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    import streamlit as st
    real = st.get_option
    monkeypatch.setattr(st, "get_option", lambda key: "0.0.0.0" if key == "server.address" else real(key))
    at.run()
    assert not at.exception
    assert any("0.0.0.0" in w.value and "浏览权限" in w.value for w in at.warning)

"""Every page through AppTest on the hand-built fixture: real values, URL round trips, bad params."""
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import fixture_data
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["pages/overview.py", "pages/map.py", "pages/hotline.py", "pages/tickets.py", "pages/profile.py"]
MARCH = {"from": "2024-03", "to": "2024-03"}


@pytest.fixture(scope="module")
def app_data(tmp_path_factory):
    d = tmp_path_factory.mktemp("app-data")
    # the fixture is tiny; rank streets with ≥ 2 valid callbacks so February ranks too
    (d / "dashboard.toml").write_text("small_sample_min = 2\n", encoding="utf-8")
    fixture_data.build(d)
    return d


@pytest.fixture(scope="module")
def one_street_data(tmp_path_factory):
    d = tmp_path_factory.mktemp("one-street")
    fixture_data.build(d, one_street=True)
    return d


def open_page(data_dir, monkeypatch, page="pages/overview.py", **params):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="f_period").value       # app.py's frame ran on this run, not just the page
    return at


def frame(at, column):
    """The first table on the page with this column (st.dataframe has no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


class _TableText(HTMLParser):
    """The texts of an HTML table's header and body cells, row by row."""
    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.rows[-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def html_table(at, column):
    """The first static table (render.tables, drawn with st.html) on the page with this column, as the
    texts shown: a DataFrame of strings."""
    for el in at.get("html"):
        parser = _TableText()
        parser.feed(el.proto.body)
        if parser.rows and column in parser.rows[0]:
            return pd.DataFrame(parser.rows[1:], columns=parser.rows[0])
    raise AssertionError(f"no table with column {column}")


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


def test_overview_values(app_data, monkeypatch):
    at = open_page(app_data, monkeypatch, **MARCH)
    assert metric(at, "工单量").value == "14"
    assert metric(at, "响应率").value == "91.7%"          # 11 / 12
    assert metric(at, "满意率").value == "90.0%"          # (9 + 0.9×2) / 12
    assert metric(at, "综合成绩").value == "91.00"
    # February: 4 valid, 4 contacted, 3 resolved, 3 满意 → 解决率 75 %, so March is +16.7 points
    assert metric(at, "解决率").delta == "+16.7个百分点"
    ranking = frame(at, "分类")
    assert ranking["街道"].tolist() == ["什刹海街道", "德胜街道"]
    assert ranking["综合成绩"].tolist() == [97.5, 87.75]
    assert ranking["响应率(%)"].tolist() == [75.0, 100.0]
    assert ranking["变化"].tolist() == ["↑1", "↓1"]
    assert ranking["排名"].tolist() == [1, 2]
    assert "2024年3月" in at.caption[0].value and "演示数据" not in at.caption[0].value
    assert "示意边界" in at.caption[0].value


def test_overview_street_filter_changes_kpis(app_data, monkeypatch):
    at = open_page(app_data, monkeypatch, **MARCH, street="什刹海")
    assert metric(at, "工单量").value == "4"
    assert metric(at, "响应率").value == "75.0%"
    assert frame(at, "分类")["街道"].tolist() == ["什刹海街道"]


def test_map_values(app_data, monkeypatch):
    at = open_page(app_data, monkeypatch, "pages/map.py", **MARCH)
    table = frame(at, "街道")
    assert table["街道"].tolist() == ["什刹海街道", "德胜街道"]
    assert table["综合成绩"].tolist() == [97.5, 87.75]
    assert table["响应率(%)"].tolist() == [75.0, 100.0]
    assert table["每万人工单"].tolist() == [0.8, 1.0]          # 4 / 50,000 and 10 / 100,000 × 10,000


def test_hotline_values(app_data, monkeypatch):
    at = open_page(app_data, monkeypatch, "pages/hotline.py", **MARCH)
    assert any("共 14 件" in c.value for c in at.caption)
    times = frame(at, "时限类别").set_index("时限类别")
    assert times.loc["一般 7天", "超期"] == 1 and times.loc["一般 7天", "未办结"] == 1
    assert not any("工单编号" in d.value.columns for d in at.dataframe)     # the lists are on 诉求明细
    assert any("诉求明细" in link.label for link in at.get("page_link"))


def test_ticket_detail_values(app_data, monkeypatch):
    at = open_page(app_data, monkeypatch, "pages/tickets.py", **MARCH)
    assert at.title[0].value == "诉求明细"
    assert any("显示最新 14 件，共 14 件" in c.value for c in at.caption)
    tickets = frame(at, "工单编号")
    assert len(tickets) == 14 and tickets["创建时间"].is_monotonic_decreasing
    callers = frame(at, "来电人标识")
    assert callers["工单"].tolist() == [3] and callers["来电人标识"].tolist() == ["abc123"]


def test_hotline_drill_down(app_data, monkeypatch):
    at = open_page(app_data, monkeypatch, "pages/hotline.py", **MARCH, drill="物业管理")
    assert at.selectbox(key="drill").value == "物业管理"
    assert not at.exception


def test_profile_values(app_data, monkeypatch):
    at = open_page(app_data, monkeypatch, "pages/profile.py", **MARCH)
    assert at.selectbox(key="focus").value == "110102010"          # the first street by default
    at.selectbox(key="focus").select("110102012").run()
    assert metric(at, "综合成绩").value == "97.50"
    assert metric(at, "响应率").value == "75.0%"
    assert metric(at, "响应率").delta == "-16.7个百分点"       # 75 % against the district's 91.7 %
    comm = frame(at, "每千人")
    assert comm["社区"].tolist() == ["西海社区"] and comm["每千人"].tolist() == [4.0]


def test_url_round_trip(app_data, monkeypatch):
    at = open_page(app_data, monkeypatch, **{"from": "2024-03-01", "to": "2024-03-31", "street": "什刹海街道",
                                             "category": "噪声扰民"})
    assert at.session_state["f_period"] == "custom"
    assert at.session_state["f_street"] == ["110102012"]
    assert at.session_state["f_category"] == ["噪声扰民"]
    assert at.query_params["street"] == ["110102012"] or at.query_params["street"] == "110102012"
    assert metric(at, "工单量").value == "4"


@pytest.mark.parametrize("params", [
    {"from": "2024-99", "street": "火星街道"},
    {"street": "' OR 1=1 --", "category": "\x00\x07<script>", "period": "'; DROP VIEW tickets; --"},
    {"from": "2024-03-31", "to": "2024-03-01", "sub": "$start" * 200},
])
def test_invalid_params_show_a_notice_and_fall_back(app_data, monkeypatch, params):
    at = open_page(app_data, monkeypatch, **params)
    assert at.warning, "a notice should say what was ignored"
    assert at.session_state["f_period"] == "12m"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_one_street_one_month(one_street_data, monkeypatch, page):
    at = open_page(one_street_data, monkeypatch, page)
    assert not at.error


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_an_empty_state(app_data, monkeypatch, page):
    at = open_page(app_data, monkeypatch, page, **{"from": "2023-01", "to": "2023-01"})
    assert at.info, "an empty window must say so"


def test_profile_with_a_single_month_of_history(app_data, monkeypatch):
    """February is the first month of the fixture: the rank history has one month (one group)."""
    at = open_page(app_data, monkeypatch, "pages/profile.py", **{"from": "2024-02", "to": "2024-02"})
    assert not at.error and not at.info                     # a rank history, not an empty state
    assert len(at.get("vega_lite_chart")) == 2               # rank history + categories


def test_half_picked_custom_range_keeps_the_last_window(app_data, monkeypatch):
    at = open_page(app_data, monkeypatch, **MARCH)
    assert at.session_state["f_period"] == "custom"
    at.date_input(key="f_range").set_value((date(2024, 2, 1),)).run()      # only the start picked so far
    assert not at.exception
    assert metric(at, "工单量").value == "14"                               # still March until the end is picked
    at.date_input(key="f_range").set_value((date(2024, 2, 1), date(2024, 3, 31))).run()
    assert metric(at, "工单量").value == "18"


def test_imported_boundaries_drop_the_schematic_label(tmp_path, monkeypatch):
    """The 示意 label follows the streets table, so it goes once real boundaries are in."""
    from dashboard.core import schema
    from dashboard.store import snapshot

    frames = {n: getattr(fixture_data, n)() for n in schema.SOURCE_TABLES}
    frames["streets"]["boundary_kind"] = "imported"
    snapshot.publish({n: schema.conform(n, df) for n, df in frames.items()}, source="import",
                     data_as_of=date(2024, 3, 31), data_dir=tmp_path)
    for page in ("pages/overview.py", "pages/map.py", "pages/circles.py"):
        at = open_page(tmp_path, monkeypatch, page, **MARCH)
        text = " ".join(c.value for c in at.caption)
        assert "示意" not in text, page

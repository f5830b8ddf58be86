"""The meeting brief on the hand-built fixture (published as a demo snapshot, so 演示数据 must show):
the slide specs, the self-contained HTML, the PPTX, the CLI and the briefing mode in AppTest.

Figures are the fixture's, worked out by hand in fixture_data.tickets (March 2024 against
February; small_sample_min = 2 so both streets rank):
    district March: 14 tickets, 12 valid, 11 contacted (91.7 %), 11 resolved (91.7 %),
    满意率 (9 + 0.9 × 2) / 12 = 90.0 %, 综合成绩 91.00; February 解决率 3 / 4 = 75 %;
    什刹海 97.50 (1st, was 2nd), 德胜 87.75 (2nd, was 1st).
"""
from datetime import date
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import fixture_data
import pytest
from PIL import Image
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from dashboard.__main__ import main
from dashboard.core import filters
from dashboard.render import brief, brief_html, brief_pptx
from dashboard.store import snapshot
from dashboard.views.context import choices_for

APP = str(Path(__file__).resolve().parent.parent / "app.py")
MARCH = {"from": "2024-03", "to": "2024-03"}
TITLES = ["关键指标", "街道排名", "工单强度地图", "月度走势", "增长最多的类别", "便民生活圈缺口", "党建引领"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("brief-data")
    (d / "dashboard.toml").write_text("small_sample_min = 2\n", encoding="utf-8")
    fixture_data.build(d, source="demo")
    return d


@pytest.fixture(scope="module")
def march(data_dir):
    mp = pytest.MonkeyPatch()
    mp.setenv("DASHBOARD_DATA_DIR", str(data_dir))   # settings (small_sample_min) come from the data dir
    info = snapshot.current(data_dir)
    choices = choices_for(info)
    b = brief.build(info, choices, filters.parse(MARCH, choices).state)
    yield b
    mp.undo()


@pytest.fixture(scope="module")
def pptx_bytes(march):
    return brief_pptx.to_pptx(march)


def test_slides_headlines_and_numbers(march):
    assert [s.title for s in march.slides] == TITLES
    k = {c.label: c for c in march.slides[0].kpis}
    assert (k["工单量"].value, k["响应率"].value, k["解决率"].value, k["满意率"].value, k["综合成绩"].value) == \
           ("14", "91.7%", "91.7%", "90.0%", "91.00")
    assert k["解决率"].prev == "+16.7个百分点" and k["解决率"].tone == 1
    assert k["响应率"].prev == "-8.3个百分点" and k["响应率"].tone == -1      # February: 4 of 4 contacted
    assert k["综合成绩"].prev == "+13.50分"                                   # February 77.50
    heads = [s.headline for s in march.slides]
    assert heads[0] == "2024年3月全区解决率91.7%，环比上升16.7个百分点；什刹海街道综合成绩升至第1位"
    assert heads[1] == "什刹海街道上升1位，以97.50分居首；德胜街道下降1位至第2位"
    # per 10k: 德胜 10 / 100,000 → 1.0, 什刹海 4 / 50,000 → 0.8, district 14 / 150,000 → 0.93
    assert heads[2] == "每万人工单最多的是德胜街道（1.0件），为全区平均（0.9件）的1.1倍；最少的是什刹海街道（0.8件）"
    assert heads[3] == "近2个月工单量高峰在2024年3月（14件）；解决率由2024年2月的75.0%升至2024年3月的91.7%"
    # March vs February: 物业管理 0 → 6, 供暖 2 → 4, 噪声扰民 2 → 4
    assert heads[4] == "与上期相比，物业管理类诉求增加最多（+6件，新增），其次是供暖、噪声扰民（各+2件）"
    # one circle with 2 of the 10 categories; no community reaches all ten
    assert heads[5].startswith("1个便民生活圈业态均不齐全；0.0%的居民步行可达全部10类业态")
    ranking = march.slides[1].table
    assert ranking["街道"].tolist() == ["什刹海街道", "德胜街道"]
    assert ranking["综合成绩"].tolist() == ["97.50", "87.75"] and ranking["变化"].tolist() == ["↑1", "↓1"]


def test_stamp(march):
    st_ = march.stamp
    assert st_.demo and st_.as_of == date(2024, 3, 31)
    line = st_.line()
    assert "演示数据" in line and "数据截至 2024-03-31" in line and st_.snapshot_id in line
    assert "2024年3月｜全区2个街道｜全部类别" in line
    official = brief.Stamp("x", date(2024, 3, 31), "id", demo=False)
    assert "演示数据" not in official.line()


class Tags(HTMLParser):
    """Every URL an HTML file would load: script src, link href, img src (and any other src)."""

    def __init__(self):
        super().__init__()
        self.urls, self.sections, self.scripts = [], 0, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections += 1
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            if a.get(key) and tag in ("script", "link", "img", "iframe", "source", "video", "audio", "embed"):
                self.urls.append(a[key])


def test_html_is_self_contained_and_says_the_numbers(march):
    html = brief_html.to_html(march)
    tags = Tags()
    tags.feed(html)
    assert tags.urls == [], f"external resources: {tags.urls}"
    assert "@import" not in html and "url(http" not in html
    assert tags.sections == 1 + len(TITLES) + 1                       # cover, seven views, 口径
    assert html.count(brief_html.vega_bundle()) == 1                   # the library inlined once
    assert html.count('vegaEmbed("#bf-chart-') == 5                     # map + bars, trend ×2, categories
    for s in march.slides:
        assert s.headline in html
    for number in ("91.7%", "90.0%", "91.00", "97.50", "87.75", "+16.7个百分点"):
        assert number in html
    assert html.count(march.stamp.line()) == tags.sections              # every page stamped
    assert "综合成绩 = 100 × (0.1 × 响应率" in html                   # 口径


def test_pptx_opens_with_the_slides_and_titles(march, pptx_bytes):
    prs = Presentation(BytesIO(pptx_bytes))
    slides = list(prs.slides)
    assert len(slides) == 1 + len(TITLES) + 1
    titles = [s.shapes.title.text_frame.text for s in slides]
    assert titles == [brief.TITLE, *[s.headline for s in march.slides], "口径说明"]
    for s in slides:
        text = " ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
        assert march.stamp.line() in text and "演示数据" in text
    assert any(sh.text_frame.text.startswith("2 / 7 · 街道排名") for sh in slides[2].shapes if sh.has_text_frame)
    table = next(sh.table for sh in slides[2].shapes if sh.has_table)
    assert [table.cell(r, 2).text for r in range(3)] == ["街道", "什刹海街道", "德胜街道"]
    assert table.cell(1, 4).text == "97.50"
    kpis = " ".join(sh.text_frame.text for sh in slides[1].shapes if sh.has_text_frame)
    assert "91.7%" in kpis and "91.00" in kpis and "口径" in kpis


def test_pptx_charts_are_images(march, pptx_bytes):
    prs = Presentation(BytesIO(pptx_bytes))
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 5
    for p in pictures:
        img = Image.open(BytesIO(p.image.blob))
        assert img.format == "PNG" and img.size[0] > 800
        assert len(img.convert("L").getcolors(1 << 16)) > 20            # drawn, not blank


def test_cli_writes_the_brief(data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    out = tmp_path / "brief.html"
    assert main(["brief", "--out", str(out), "--from", "2024-03", "--to", "2024-03", "--street", "什刹海"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "2024年3月什刹海街道解决率100.0%" in html                 # 4 of 4 resolved
    assert "什刹海" in capsys.readouterr().out
    bad = tmp_path / "bad.html"
    assert main(["brief", "--out", str(bad), "--street", "火星街道"]) == 2
    assert not bad.exists() and "火星街道" in capsys.readouterr().err
    assert main(["brief", "--out", str(tmp_path / "x.pdf")]) == 2


def test_file_name(march):
    assert brief.file_name(march.stamp, "pptx") == "汇报_2024年3月_全区2个街道.pptx"


# --- briefing mode in AppTest ------------------------------------------------------------------------


def open_app(data_dir, monkeypatch, **params):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def html_texts(at) -> str:
    return "\n".join(h.proto.body for h in at.html)


# AppTest reruns a multipage app's page script without app.py (Streamlit's legacy pages/ routing,
# see ui.context), so each view is opened afresh from its URL; clicks are in the browser test.


def test_briefing_mode_opens_on_the_slide_in_the_url(data_dir, monkeypatch):
    at = open_app(data_dir, monkeypatch, present="1", slide="2", **MARCH)
    text = html_texts(at)
    assert "什刹海街道上升1位，以97.50分居首；德胜街道下降1位至第2位" in text
    assert "2 / 7 · 街道排名" in text and "[data-testid=stSidebar]" in text   # chrome hidden by CSS
    assert at.session_state["f_period"] == "custom"                        # the filters still come from the URL
    assert not at.metric                                                    # the page itself is not drawn
    assert [b.label for b in at.button if b.key in ("bf_prev", "bf_next", "bf_exit")] == ["上一页", "下一页", "退出汇报"]
    at = open_app(data_dir, monkeypatch, present="1", slide="3", **MARCH)
    assert "每万人工单最多的是德胜街道" in html_texts(at)


def test_briefing_mode_clamps_a_bad_slide_and_the_link_keeps_it(data_dir, monkeypatch):
    at = open_app(data_dir, monkeypatch, present="1", slide="99", street="德胜")
    assert "7 / 7 · 党建引领" in html_texts(at)
    assert at.button(key="bf_next").disabled and not at.button(key="bf_prev").disabled
    link = at.text[0].value
    assert link.startswith("/?") and "present=1" in link and "slide=7" in link and "street=110102010" in link


def test_every_page_has_the_share_controls(data_dir, monkeypatch):
    at = open_app(data_dir, monkeypatch, **MARCH)
    assert at.button(key="bf_enter").label == "汇报模式"
    assert at.text[0].value == "/?from=2024-03-01&to=2024-03-31"
    assert {d.label for d in at.get("download_button")} >= {"汇报材料 HTML", "汇报材料 PPTX"}
    at.button(key="bf_enter").click().run()
    assert at.query_params["present"] in ("1", ["1"]) and at.query_params["slide"] in ("1", ["1"])
    assert at.query_params["from"] in ("2024-03-01", ["2024-03-01"])      # the filters stay


def test_share_url():
    from dashboard.ui.briefing import share_url

    params = {"from": ["2024-03-01"], "to": ["2024-03-31"], "street": ["110102010", "110102012"],
              "category": ["噪声扰民"], "present": ["1"], "slide": ["2"]}
    assert share_url("http://10.1.2.3:8501/", "map", params) == (
        "http://10.1.2.3:8501/map?from=2024-03-01&to=2024-03-31&street=110102010&street=110102012"
        "&category=%E5%99%AA%E5%A3%B0%E6%89%B0%E6%B0%91&present=1&slide=2")
    assert share_url(None, "", {}) == "/"
    assert share_url("https://host/dash", "hotline", {"grain": ["week"]}) == "https://host/dash/hotline?grain=week"

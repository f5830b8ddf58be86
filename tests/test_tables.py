"""render.tables: short tables as static HTML, values worked out by hand."""
import numpy as np
import pandas as pd
from test_app import _TableText

from dashboard.render import tables


def parse(html: str) -> list[list[str]]:
    p = _TableText()
    p.feed(html)
    return p.rows


def test_cells_headers_and_alignment():
    df = pd.DataFrame({"街道": ["德胜", "什刹海"], "人口": [116338, 3], "每千人": [2.5, np.nan]})
    html = tables.table_html(df)
    assert parse(html) == [["街道", "人口", "每千人"], ["德胜", "116,338", "2.50"], ["什刹海", "3", "—"]]
    assert '<th class="n">人口</th>' in html and '<td class="n">116,338</td>' in html   # numbers right-aligned
    assert "<td>德胜</td>" in html


def test_bars_tips_wrap_and_formatters():
    df = pd.DataFrame({"业态": ["洗染", "家政"], "占比": [0.673, 1.4], "得分": [8, 10], "缺项": ["药店、洗染", "—"]})
    html = tables.table_html(df, bars={"占比": tables.Bar(1.0, lambda v: f"{v:.1%}")},
                             texts={"得分": lambda v: f"{v} / 10"}, tips={"占比": '可达 ÷ 全部 "居民"'}, wrap=("缺项",))
    rows = parse(html)
    assert rows[1] == ["洗染", "67.3%", "8 / 10", "药店、洗染"] and rows[2][1] == "140.0%"
    assert 'style="width:67.3%"' in html and 'style="width:100.0%"' in html     # a bar never runs past its box
    assert 'title="可达 ÷ 全部 &quot;居民&quot;"' in html
    assert '<td class="w">药店、洗染</td>' in html


def test_imported_names_are_text_never_markup():
    df = pd.DataFrame({"<b>社区</b>": ['<img src=x onerror="alert(1)">'], "n": [1]})
    html = tables.table_html(df)
    assert "<img" not in html and "<b>" not in html
    assert parse(html) == [["<b>社区</b>", "n"], ['<img src=x onerror="alert(1)">', "1"]]


def test_cell_text():
    assert [tables.cell_text(v) for v in (None, float("nan"), pd.NA, np.int64(1234567), 3, 0.125, "x", True)] == \
        ["—", "—", "—", "1,234,567", "3", "0.12", "x", "True"]

"""The phone layout in real Chromium (Playwright, Debian's chromium, touch on) at 390 × 844 and 360 × 800
over the demo snapshot: on every page nothing scrolls sideways, the page's key numbers are on the first
screen, the filter bar is there and opens the filters, no exception; 总览's ranking shows 综合成绩 inside
the screen; a finger swiping across a map scrolls the page until 操作地图 is on; 汇报模式 and a
forwarded link open cleanly.  Screenshots go to artifacts/phone-*.png."""
import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from browser import ARTIFACTS, DRAWN, PHONE_UA, ROOT, app_in_chromium, wait_idle
from playwright import sync_api  # noqa: F401  (a missing Playwright fails, never skips)

from dashboard.core import metrics
from dashboard.core import pages as page_list
from dashboard.ui import columns

pytestmark = pytest.mark.browser

SIZES = {"390x844": (390, 844), "360x800": (360, 800)}
PAGES = {p.key: p.title for p in page_list.PAGES if p.role != "admin"}   # every page a viewer or staff opens
# the numbers a leader opens the page for, which must be on the first screen: every one of the first n
# KPI cards whole; or the top 150 px of the page's first chart or map; or the page's headline
METRICS = "[data-testid=stMetric]"
KEY_NUMBERS = {"overview": (METRICS, 5), "profile": (METRICS, 5), "party": (METRICS, 6), "whistles": (METRICS, 3),
               "items": (METRICS, 4), "deliberations": (METRICS, 3), "outcomes": (METRICS, 4), "map": ("[data-testid=stDeckGlJsonChart]", 0),
               "hotline": ("[data-testid=stVegaLiteChart]", 0), "tickets": ("[data-testid=stDataFrame]", 0), "cobuild": ("[data-testid=stVegaLiteChart]", 0),
               "circles": ("[data-testid=stMarkdownContainer]:has-text('要点：')", 1)}
MAP_PAGES = {"map": "street_map", "circles": "circles_map", "cobuild": "cobuild_map"}
RANKING = ".st-key-phoneonly_overview_ranking"

WIDTHS = """() => {
  const m = document.querySelector('[data-testid=stMain]');
  const b = document.querySelector('[data-testid=stMainBlockContainer]');
  return {doc: document.scrollingElement.scrollWidth, inner: innerWidth, main: m.scrollWidth,
          mainClient: m.clientWidth, block: b.scrollWidth, blockClient: b.clientWidth};
}"""
MAIN = "document.querySelector('[data-testid=stMain]')"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data = tmp_path_factory.mktemp("phone-data")
    subprocess.run([sys.executable, "-m", "dashboard", "demo"], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "DASHBOARD_DATA_DIR": str(data)}, timeout=600)
    with app_in_chromium(data, "server-phone.log") as app:
        yield app


@pytest.fixture(params=list(SIZES))
def phone(app, request):
    """A phone: the size's viewport, touch, a phone's user agent (so the server sends the phone variant of
    tables and maps) and its layout; fails on any page error."""
    url, browser = app
    width, height = SIZES[request.param]
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", is_mobile=True,
                              has_touch=True, user_agent=PHONE_UA)
    pg = ctx.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield url, pg, request.param
    assert pg.locator("[data-testid=stException]").count() == 0, pg.locator("[data-testid=stException]").first.inner_text()
    assert not errors, errors
    ctx.close()


def open_page(pg, url):
    pg.goto(url)
    wait_idle(pg, 120_000)
    pg.wait_for_function(DRAWN, timeout=60_000)
    wait_idle(pg)          # a page may rerun once (a URL-bound widget settling)
    pg.wait_for_function(DRAWN, timeout=60_000)
    pg.wait_for_timeout(800)    # charts settle their layout after the first draw


def assert_no_sideways_scroll(pg, name):
    w = pg.evaluate(WIDTHS)
    assert w["doc"] <= w["inner"], f"{name}: the document is {w['doc']}px wide in a {w['inner']}px screen"
    assert w["main"] <= w["mainClient"], f"{name}: the main area scrolls sideways ({w['main']} > {w['mainClient']})"
    assert w["block"] <= w["blockClient"], f"{name}: the page's content is {w['block']}px in {w['blockClient']}px"
    return w


def sidebar_width(pg) -> float:
    """How much of the sidebar is on screen (0 when collapsed)."""
    box = pg.locator("[data-testid=stSidebar]").bounding_box()
    return 0 if box is None else max(0, min(box["x"] + box["width"], pg.viewport_size["width"]) - max(box["x"], 0))


def assert_first_screen(pg, key, height, name):
    selector, n = KEY_NUMBERS[key]
    boxes = [b for b in (pg.locator(selector).nth(i).bounding_box() for i in range(max(n, 1))) if b]
    assert len(boxes) == max(n, 1), f"{name}: {selector} not shown"
    if n == 0:      # a chart or map: its top part is on the first screen
        assert boxes[0]["y"] + 150 <= height, f"{name}: the first chart starts at {boxes[0]['y']:.0f}px"
    else:
        bottom = max(b["y"] + b["height"] for b in boxes)
        assert bottom <= height, f"{name}: the key numbers end at {bottom:.0f}px, below the {height}px screen"
    return boxes


@pytest.mark.parametrize("key", list(PAGES))
def test_page_on_a_phone(phone, key):
    url, pg, size = phone
    width, height = SIZES[size]
    name = f"{key} at {size}"
    open_page(pg, f"{url}/{'' if key == page_list.DEFAULT else key}")
    pg.screenshot(path=str(ARTIFACTS / f"phone-{size}-{key}.png"))
    assert PAGES[key] in pg.locator("[data-testid=stMain] h1").first.inner_text()
    assert_no_sideways_scroll(pg, name)
    # the filters: summarised at the top, one visible control opens them
    bar = pg.locator(".st-key-phoneonly_bar")
    assert bar.is_visible(), f"{name}: no filter bar"
    box = bar.bounding_box()
    assert box["y"] + box["height"] <= height / 3 and box["x"] + box["width"] <= width
    assert "全区15个街道" in bar.inner_text() and bar.locator("button", has_text="筛选").is_visible()
    assert sidebar_width(pg) < 1, f"{name}: the sidebar is open"     # collapsed on a phone
    assert_first_screen(pg, key, height, name)
    assert pg.locator('[class*="st-key-wideonly"]').filter(visible=True).count() == 0
    # the whole page after scrolling through it: still nothing sideways (late charts, tables)
    pg.evaluate(f"{MAIN}.scrollTop = {MAIN}.scrollHeight")
    pg.wait_for_timeout(500)
    assert_no_sideways_scroll(pg, name + " (scrolled to the end)")


def test_overview_ranking_fits(phone):
    url, pg, size = phone
    width, height = SIZES[size]
    open_page(pg, f"{url}/")
    grid = pg.locator(f"{RANKING} [data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    pg.wait_for_timeout(500)
    heads = grid.locator("th[role=columnheader]").all_inner_texts()
    assert heads == ["排名", "街道", "综合成绩", "变化", "分类"]
    # the canvas grid draws every column inside its scroller: nothing to scroll sideways to, and the grid
    # itself inside the screen, so 综合成绩 (third) is in sight
    fit = grid.evaluate("""g => { const s = g.querySelector('.dvn-scroller'), r = g.getBoundingClientRect();
                                  return {scroll: s.scrollWidth, client: s.clientWidth, left: r.left, right: r.right}; }""")
    assert fit["scroll"] <= fit["client"], f"the ranking scrolls sideways at {size}: {fit}"
    assert fit["left"] >= 0 and fit["right"] <= width, fit
    assert not pg.locator(".st-key-wideonly_overview_ranking").is_visible()
    # every other column one tap away
    pg.locator(f"{RANKING} [data-testid=stExpander] summary").click()
    wait_idle(pg)
    full = pg.locator(f"{RANKING} [data-testid=stExpander] [data-testid=stDataFrame]")
    full.wait_for(state="visible")
    assert int(full.locator("table[role=grid]").get_attribute("aria-colcount")) >= 12
    pg.screenshot(path=str(ARTIFACTS / f"phone-{size}-overview-ranking.png"))
    print(f"ranking at {size}: grid {fit['left']:.0f}–{fit['right']:.0f}px, columns {fit['scroll']}/{fit['client']}px")


def test_party_ranking_key_columns_first(phone):
    """党建引领's ranking: 排名, 街道, the ranked metric and 综合成绩 in sight, the other columns a swipe away."""
    url, pg, size = phone
    open_page(pg, f"{url}/party")
    grid = pg.locator(".st-key-phoneonly_party_ranking [data-testid=stDataFrame]")
    grid.scroll_into_view_if_needed()
    heads = grid.locator("th[role=columnheader]").all_inner_texts()
    assert heads[:4] == ["排名", "街道", "吹哨按时报到率(%)", "接诉即办综合成绩"], heads
    fit = grid.evaluate("g => { const s = g.querySelector('.dvn-scroller'), r = g.getBoundingClientRect();"
                        " return {client: s.clientWidth, scroll: s.scrollWidth, right: r.right}; }")
    assert fit["client"] >= sum(columns.PARTY_PHONE_WIDTHS) and fit["right"] <= SIZES[size][0], fit
    assert fit["scroll"] > fit["client"]            # the rest of the columns: a swipe inside the table


def test_filter_button_opens_the_filters(phone):
    url, pg, size = phone
    open_page(pg, f"{url}/?period=3m&street=德胜")
    bar = pg.locator(".st-key-phoneonly_bar")
    assert "德胜" in bar.inner_text()
    assert sidebar_width(pg) < 1
    bar.locator("button", has_text="筛选").click()
    pg.wait_for_function("(() => { const r = document.querySelector('[data-testid=stSidebar]').getBoundingClientRect();"
                         " return r.width > 200 && r.left >= 0; })()")      # slid in
    assert sidebar_width(pg) > 200
    # the filters themselves are brought into sight (they sit below the navigation)
    pg.wait_for_function(f"(() => {{ const r = document.querySelector('[data-testid=stSidebar] .st-key-f_period')"
                         f".getBoundingClientRect(); return r.top >= 0 && r.bottom <= {SIZES[size][1]}; }})()")
    box = pg.locator("[data-testid=stSidebar] .st-key-f_period").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SIZES[size][0]
    pg.screenshot(path=str(ARTIFACTS / f"phone-{size}-filters-open.png"))


def swipe(pg, cdp, x, y, dy=-240):
    """A finger drags from (x, y) by dy px: touchStart, moves, touchEnd."""
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 13):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y + dy * i / 12}]})
        pg.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    pg.wait_for_timeout(700)


@pytest.mark.parametrize("key", list(MAP_PAGES))
def test_a_map_does_not_trap_the_scroll(phone, key):
    url, pg, size = phone
    width, height = SIZES[size]
    open_page(pg, f"{url}/{key}")
    deck = pg.locator("[data-testid=stDeckGlJsonChart]").filter(visible=True).first
    deck.scroll_into_view_if_needed()
    box = deck.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{key}: the map is wider than the screen: {box}"
    pg.evaluate(f"{MAIN}.scrollTop += {box['y']} - 140")      # the map under the finger, page left below it
    pg.wait_for_timeout(300)
    box = deck.bounding_box()
    x, y = box["x"] + box["width"] / 2, min(box["y"] + box["height"] / 2, height - 120)
    cdp = pg.context.new_cdp_session(pg)
    before = pg.evaluate(f"{MAIN}.scrollTop")
    swipe(pg, cdp, x, y)
    scrolled = pg.evaluate(f"{MAIN}.scrollTop") - before
    assert scrolled >= 150, f"{key} at {size}: a swipe across the map scrolled the page {scrolled}px"
    # 操作地图: now the map takes the finger, and the page stays put
    toggle = pg.locator(".st-key-phoneonly_bar input.map-touch")
    assert toggle.is_visible()
    toggle.check()
    box = deck.bounding_box()
    x, y = box["x"] + box["width"] / 2, min(max(box["y"] + 100, 200), box["y"] + box["height"] - 60)
    before = pg.evaluate(f"{MAIN}.scrollTop")
    swipe(pg, cdp, x, y)
    assert abs(pg.evaluate(f"{MAIN}.scrollTop") - before) <= 2, f"{key}: the page scrolled while 操作地图 was on"
    pg.screenshot(path=str(ARTIFACTS / f"phone-{size}-{key}-map.png"))
    print(f"{key} at {size}: map {box['x']:.0f}–{box['x'] + box['width']:.0f}px wide, locked swipe scrolled {scrolled}px")


@pytest.mark.parametrize("slide", [1, 2, 3, 7])
def test_briefing_on_a_phone(phone, slide):
    url, pg, size = phone
    width, height = SIZES[size]
    open_page(pg, f"{url}/?present=1&slide={slide}&period=3m&street=德胜&street=什刹海")
    assert "street=" in pg.url and "period=3m" in pg.url            # the forwarded link keeps its filters
    assert "德胜" in pg.locator(".st-key-bf_footer").inner_text()
    assert_no_sideways_scroll(pg, f"slide {slide} at {size}")
    head = pg.locator(".bf-headline").bounding_box()
    assert head["y"] >= 0 and head["y"] + head["height"] <= height / 2 and head["x"] + head["width"] <= width
    for button in (".st-key-bf_next", ".st-key-bf_exit"):
        b = pg.locator(button).bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= width, f"{button} off screen: {b}"
    pg.screenshot(path=str(ARTIFACTS / f"phone-{size}-briefing-{slide}.png"))


def test_forwarded_link_keeps_its_filters(phone):
    url, pg, size = phone
    label = metrics.PARTY_METRICS["project_on_time_rate"].label      # what 复制链接 writes for rank_by
    open_page(pg, f"{url}/party?period=3m&street=德胜&rank_by={quote(label)}")
    assert "period=3m" in pg.url and "street=" in pg.url and f"rank_by={quote(label)}" in pg.url
    heads = pg.locator("[data-testid=stDataFrame] th[role=columnheader]").all_inner_texts()
    assert f"{label}(%)" in heads, heads                                # ranked by the link's metric
    assert "德胜" in pg.locator(".st-key-phoneonly_bar").inner_text()
    assert_no_sideways_scroll(pg, f"forwarded link at {size}")


def test_overview_whole_page(app):
    """The whole 总览 at 390 px in one picture, to look at."""
    url, browser = app
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True,
                              user_agent=PHONE_UA)
    pg = ctx.new_page()
    for key in ("overview", "party"):
        open_page(pg, f"{url}/{'' if key == page_list.DEFAULT else key}")
        tall = pg.evaluate(f"{MAIN}.scrollHeight")
        pg.set_viewport_size({"width": 390, "height": min(int(tall), 8000)})
        pg.wait_for_timeout(1000)
        pg.screenshot(path=str(ARTIFACTS / f"phone-390-{key}-whole.png"))
        pg.set_viewport_size({"width": 390, "height": 844})
    ctx.close()

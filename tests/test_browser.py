"""Real Chromium (Playwright, Debian's /usr/bin/chromium) over a live server on the fixture:
every page opens, one filter changes, no exception element and no page error; screenshots
of every page are kept in artifacts/ for a person to look at."""
import fixture_data
import pytest
from browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, server, wait_idle
from PIL import Image
from playwright import sync_api as playwright  # noqa: E402  (a missing Playwright fails, never skips)

from dashboard.core import pages as page_list

pytestmark = pytest.mark.browser

PAGES = {p.key: p.title for p in page_list.PAGES if p.role != "admin"}   # every page a viewer or staff opens


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    data = tmp_path_factory.mktemp("browser-data")
    (data / "dashboard.toml").write_text("small_sample_min = 2\n", encoding="utf-8")
    fixture_data.build(data)
    ARTIFACTS.mkdir(exist_ok=True)
    with server(data, ARTIFACTS / "server.log") as url:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
            page = ctx.new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            yield url, page, errors
            browser.close()


def assert_clean(page, errors, name):
    exc = page.locator("[data-testid=stException]")
    assert exc.count() == 0, f"{name}: {exc.first.inner_text()[:300]}"
    assert not errors, f"{name}: page errors {errors}"


@pytest.mark.parametrize("path", list(PAGES))
def test_page_opens_and_filter_changes(browser_page, path):
    url, page, errors = browser_page
    page.goto(f"{url}/{path}?from=2024-03&to=2024-03")
    # a fresh server reports "not running" before its first run starts: wait for the page's own title too
    page.locator("[data-testid=stMain] h1").filter(has_text=PAGES[path]).first.wait_for(timeout=120_000)
    wait_idle(page)
    assert_clean(page, errors, path)
    main = page.locator("[data-testid=stMain]").inner_text()
    assert PAGES[path] in main and "2024年3月" in main
    page.screenshot(path=str(ARTIFACTS / f"browser-{path}.png"), full_page=True)

    # change one filter: pick a street in the sidebar multiselect
    # the sidebar scrolls to bring the picker into view, and a scroll closes an open dropdown: bring it
    # into view first, then click, then type (typing opens the list again if anything closed it)
    picker = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
    picker.scroll_into_view_if_needed()
    picker.click()
    page.keyboard.type("什刹海")
    page.get_by_role("option", name="什刹海街道").click()
    page.keyboard.press("Escape")
    wait_idle(page)
    assert_clean(page, errors, path + " after filter")
    assert "street=110102012" in page.url            # the filter lives in the URL
    page.screenshot(path=str(ARTIFACTS / f"browser-{path}-filtered.png"), full_page=True)


def test_map_draws_streets_and_labels(browser_page):
    """The deck must draw something: a failed layer leaves a blank white canvas, silently."""
    url, page, errors = browser_page
    page.goto(f"{url}/map?from=2024-03&to=2024-03")
    wait_idle(page)
    page.wait_for_selector("[data-testid=stDeckGlJsonChart] canvas", timeout=30_000)
    page.wait_for_timeout(2500)
    shot = ARTIFACTS / "browser-map-canvas.png"
    page.locator("[data-testid=stDeckGlJsonChart]").screenshot(path=str(shot))
    colours = Image.open(shot).convert("RGB").getcolors(1 << 20)
    non_white = sum(n for n, c in colours if c != (255, 255, 255))
    assert len(colours) > 30 and non_white > 5000, "the map canvas is blank"
    assert_clean(page, errors, "map")


def test_deep_link_reproduces_the_view(browser_page):
    url, page, errors = browser_page
    page.goto(f"{url}/profile?from=2024-03&to=2024-03&focus=110102012")
    wait_idle(page)
    assert_clean(page, errors, "profile deep link")
    main = page.locator("[data-testid=stMain]").inner_text()
    assert "什刹海街道" in main and "97.50" in main



def test_loading_placeholders_stay_still(browser_page):
    """Streamlit's loading placeholders shimmer (a CSS animation repainted every frame); the app's CSS stops
    it (ui.style).  The map's script chunk is held back, so its placeholder stays on screen to be looked at;
    nothing on it is animated, and once the chunk is let through the map draws."""
    url, page, errors = browser_page
    fresh = page.context.browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    tab = fresh.new_page()      # nothing cached: the map's chunk is fetched, and held here
    held = []
    tab.route("**/DeckGlJsonChart*.js", lambda route: held.append(route))
    tab.goto(f"{url}/circles?from=2024-03&to=2024-03")
    tab.locator("[data-testid=stMain] h1").filter(has_text="便民生活圈").first.wait_for(timeout=120_000)
    tab.wait_for_function("() => [...document.querySelectorAll('style')]"
                          ".some(s => s.textContent.includes('data-testid=stSkeleton'))", timeout=30_000)
    for _ in range(600):                                          # until the map asks for its chunk
        if held:
            break
        tab.wait_for_timeout(50)
    assert held                                                   # the map is waiting for its chunk
    placeholder = tab.locator("[data-testid=stMain] [data-testid=stSkeleton]").first
    placeholder.wait_for(timeout=30_000)
    running = placeholder.evaluate("""p => [p, ...p.querySelectorAll('*')].flatMap(e => e.getAnimations())
                                           .filter(a => a.playState === 'running').length""")
    assert running == 0
    for route in held:
        route.continue_()
    tab.locator("[data-testid=stDeckGlJsonChart] canvas").wait_for(timeout=60_000)
    fresh.close()


def test_circles_tables_and_the_whole_gap_list(browser_page):
    """便民生活圈's short tables are static HTML with their bars; the 缺什么补什么 list shows its first ten rows
    and, once 查看全部 is opened, every row in a grid (38 on the fixture)."""
    url, page, errors = browser_page
    page.goto(f"{url}/circles?from=2024-03&to=2024-03")
    page.locator("[data-testid=stMain] h1").filter(has_text="便民生活圈").first.wait_for(timeout=120_000)
    wait_idle(page)
    heads = page.locator("table.dt th").all_inner_texts()
    assert {"业态得分", "可达居民占比", "全覆盖占比", "缺少业态"} <= set(heads)
    bars = page.locator("table.dt .bar > i").evaluate_all("bs => bs.map(b => b.getBoundingClientRect().width)")
    assert bars and max(bars) > 0                           # the bars are drawn, not empty boxes
    assert page.locator("[data-testid=stDataFrame]").count() == 0
    page.get_by_text("查看全部 38 项缺口").click()
    grid = page.locator("[data-testid=stDataFrame]")
    grid.wait_for(timeout=30_000)
    wait_idle(page)
    assert grid.count() == 1
    assert grid.locator("[aria-rowcount]").first.get_attribute("aria-rowcount") == "39"   # the header and 38 rows
    assert_clean(page, errors, "circles gap list")

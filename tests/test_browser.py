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



# Installed before the page's scripts: counts the placeholders added while it loads, and every 10 ms the
# running animations on a placeholder (document.getAnimations sees CSS animations as they run)
PLACEHOLDER_WATCH = """(() => { window.__skeletons = 0; window.__shimmers = new Set();
  new MutationObserver(ms => { for (const m of ms) for (const n of m.addedNodes)
      if (n.querySelectorAll) window.__skeletons += (n.matches('[data-testid=stSkeleton]') ? 1 : 0)
                                                   + n.querySelectorAll('[data-testid=stSkeleton]').length; })
    .observe(document, {childList: true, subtree: true});
  setInterval(() => { for (const a of document.getAnimations())
      if (a.playState === 'running' && a.effect && a.effect.target && a.effect.target.closest
          && a.effect.target.closest('[data-testid=stSkeleton]')) window.__shimmers.add(a.animationName || a.id || 'anim'); }, 10);
})();"""


def test_loading_placeholders_stay_still(browser_page):
    """Streamlit's loading placeholders shimmer (a CSS animation repainted every frame); the app's CSS stops
    it (ui.style).  During a load of 便民生活圈, placeholders appear and none of them is animated."""
    url, page, errors = browser_page
    tab = page.context.new_page()
    tab.add_init_script(PLACEHOLDER_WATCH)
    tab.goto(f"{url}/circles?from=2024-03&to=2024-03")
    tab.locator("[data-testid=stMain] h1").filter(has_text="便民生活圈").first.wait_for(timeout=120_000)
    wait_idle(tab)
    tab.wait_for_selector("[data-testid=stDeckGlJsonChart] canvas", timeout=30_000)
    assert tab.evaluate("window.__skeletons") > 0                    # the load did show placeholders
    assert tab.evaluate("[...window.__shimmers]") == []
    tab.close()

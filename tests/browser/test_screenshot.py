"""The dashboard as a reader sees it: a full-page screenshot at 1280 px for the README
(docs/screenshot.png, rewritten by each run), and no sideways scrolling on a 390 px phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import FIGURES, BuiltSite, NewContext
from tests.browser.helpers import SiteServer, Tab, no_problems
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SCREENSHOT = ROOT / "docs" / "screenshot.png"
PHONE = {"width": 390, "height": 844}
# the elements sticking out on the right, to say what makes a page scroll sideways
OVERFLOWING_JS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= window.innerWidth + 0.5)
  .slice(0, 8)
  .map(e => `<${e.localName}${e.id ? ' id=' + e.id : ''}${e.className && typeof e.className === 'string'
            ? ' class="' + e.className + '"' : ''}> right edge at ${Math.round(e.getBoundingClientRect().right)} px`)"""
SCROLL_WIDTH_JS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG image, from its IHDR chunk."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG image"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_dashboard_screenshot(site_server: SiteServer, new_context: NewContext) -> None:
    """docs/screenshot.png shows the dashboard as built from the example plan, charts drawn (the README
    shows it)."""
    context, keeper = new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    tab = Tab(context)
    not_drawn = tab.open(site_server.base_url + "index.html")
    no_problems([f"not drawn: {chart}" for chart in not_drawn], "dashboard charts")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(SCREENSHOT), full_page=True, animations="disabled", caret="hide")
    tab.close()
    width, height = png_size(SCREENSHOT)
    FIGURES["docs/screenshot.png"] = f"{width} x {height} px, {SCREENSHOT.stat().st_size // 1024} KB"
    assert (width, height >= 900) == (1280, True), f"a {width} x {height} px screenshot"
    assert not keeper.blocked


@pytest.mark.parametrize("page", ["index.html"])
def test_no_sideways_scrolling_on_a_phone(page: str, built_site: BuiltSite, site_server: SiteServer,
                                          new_context: NewContext) -> None:
    """On a 390 px wide phone the dashboard fits the screen's width: nothing makes it scroll sideways."""
    context, _ = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    tab = Tab(context)
    tab.open(site_server.base_url + page)
    scroll_width, inner_width = tab.page.evaluate(SCROLL_WIDTH_JS)
    sticking_out = tab.page.evaluate(OVERFLOWING_JS)
    tab.close()
    if scroll_width > inner_width:
        no_problems(sticking_out or ["(no single element found)"],
                    f"{page} is {scroll_width} px wide on a {inner_width} px screen")

"""The site with JavaScript turned off: every chart is there, drawn at build time, at its size, and a phone
gets the narrow drawing."""

from __future__ import annotations

import pytest

from tests.browser.conftest import BuiltSite, NewContext
from tests.browser.helpers import SiteServer

pytestmark = pytest.mark.browser

PAGES = ("index.html", "objectives/croissance-clients.html", "funnels/acquisition.html")
VISIBLE_CHARTS_JS = """() => [...document.querySelectorAll('.chart-canvas')].map(canvas => {
  const shown = [...canvas.querySelectorAll('svg.chart-svg')].filter(svg => svg.getBoundingClientRect().width > 0);
  const box = shown.length === 1 ? shown[0].getBoundingClientRect() : null;
  return {shown: shown.length, width: box ? Math.round(box.width) : 0, height: box ? Math.round(box.height) : 0,
          drawnWidth: shown.length === 1 ? Number(shown[0].getAttribute('width')) : 0,
          marks: shown.length === 1 ? shown[0].querySelectorAll('path, rect, line').length : 0};
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_charts_are_seen_with_javascript_off(site_server: SiteServer, built_site: BuiltSite, new_context: NewContext,
                                             width: int) -> None:
    """With JavaScript disabled, each chart of the dashboard, an objective and a funnel page shows exactly one
    drawing, with marks, fitting the screen: the narrow one on a 390 px phone, the wide one on a screen."""
    context, _ = new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = context.new_page()
    for path in PAGES:
        page.goto(site_server.base_url + path)
        charts = page.evaluate(VISIBLE_CHARTS_JS)
        assert charts, f"{path}: no chart"
        for chart in charts:
            assert chart["shown"] == 1 and chart["marks"] > 5, (path, chart)
            assert 0 < chart["width"] <= width and chart["height"] > 50, (path, chart)
            assert chart["drawnWidth"] == (340 if width < 640 else 720), (path, chart)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} scrolls sideways"
    page.close()


def test_search_box_is_not_shown_with_javascript_off(site_server: SiteServer, new_context: NewContext) -> None:
    """With JavaScript disabled, a reader is not shown a search box that could never answer: the header holds
    only the sections' menu (the box is in the page, hidden by the stylesheet loaded without JavaScript)."""
    context, _ = new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path in PAGES:
        page.goto(site_server.base_url + path)
        assert page.locator("form.search").count() == 1, f"{path} has no search form at all"
        assert not page.locator("form.search").is_visible(), f"{path} shows a dead search box without JavaScript"
        assert page.get_by_role("navigation").first.is_visible()
    page.close()

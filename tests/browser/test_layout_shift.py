"""Nothing on the example site's pages moves once shown (cumulative layout shift, as Chrome measures it for
Core Web Vitals), with JavaScript on, on a 390 px phone and a 1280 px screen: a page of each template (the
dashboard, an objective, a funnel, the lists, a persona, an experience, a solution, a free page). The search
script and the plan's images are made to arrive late (a slow network), so that the page is painted before
they do: whatever the script changes or an image takes must not push the page down. Screenshots go to
<tmp>/layout-shift/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Route

from tests.browser.conftest import FIGURES, NewContext, screenshot_folder
from tests.browser.helpers import SiteServer, Tab, no_problems

pytestmark = pytest.mark.browser

# one page of each template (the three Lighthouse audits first); every page of the example site was measured at
# 0.0000 at both widths on 2026-12-03 (54 runs of this test)
PAGES = ("index.html", "objectives/croissance-clients.html", "funnels/acquisition.html", "objectives/index.html",
         "funnels/index.html", "actions.html", "freshness.html", "personas/directrice-industrielle.html",
         "experiences/demo-sur-site.html", "solutions/portail-donnees.html", "pages/audit.html")
WIDTHS = (390, 1280)
WITH_IMAGE = ("pages/audit.html",)  # a body with an image of the plan's assets
MAX_SHIFT = 0.02
SCRIPT_DELAY_S = 0.4
# every layout shift of the page from its first paint, kept by a buffered observer installed before any script
RECORD_SHIFTS_JS = """window.__shifts = [];
new PerformanceObserver(list => { for (const entry of list.getEntries()) if (!entry.hadRecentInput)
  window.__shifts.push({value: entry.value, moved: entry.sources.map(s => s.node ?
    `<${s.node.nodeName.toLowerCase()} class="${s.node.getAttribute ? s.node.getAttribute('class') || '' : ''}">`
    + ` ${Math.round(s.previousRect.y)} → ${Math.round(s.currentRect.y)} px` : '(gone)')}); })
  .observe({type: 'layout-shift', buffered: true});"""


def _late(route: Route) -> None:
    """The page's own scripts and the plan's images arrive late, as over a slow network (then go through the
    context's guard)."""
    time.sleep(SCRIPT_DELAY_S)
    route.fallback()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screenshot_folder(tmp_path_factory, "layout-shift")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_page_does_not_move_once_shown(page: str, width: int, site_server: SiteServer, new_context: NewContext,
                                       shots: Path) -> None:
    """A reader who starts reading as soon as the page shows does not see it jump: the header (with its search
    box), the sections' menu and the page's content stay where they were first drawn, a cumulative layout
    shift under 0.02, at 390 px and 1280 px."""
    context, keeper = new_context(viewport={"width": width, "height": 844})
    tab = Tab(context)
    tab.page.add_init_script(RECORD_SHIFTS_JS)
    tab.page.route("**/*.js", _late)
    tab.page.route("**/assets/**", _late)  # a body's image (the audit page's logo) keeps its place meanwhile
    tab.open(site_server.base_url + page)
    tab.page.wait_for_timeout(300)  # shifts are reported after the frame that made them
    shifts = tab.page.evaluate("window.__shifts")
    tab.page.screenshot(path=str(shots / f"{width}-{page.replace('/', '_')}.png"))
    total = sum(shift["value"] for shift in shifts)
    FIGURES[f"layout shift {width} px {page}"] = f"{total:.4f}"
    assert total < MAX_SHIFT, f"{page} at {width} px moves by {total:.4f} once shown: " + "; ".join(
        ", ".join(shift["moved"]) for shift in shifts)
    if page in WITH_IMAGE:  # unsized, its logo (0.4 s late) pushed the text down by 23 px: 0.018 at 390 px
        assert not shifts, f"{page} at {width} px moves when its image arrives: " + "; ".join(
            ", ".join(shift["moved"]) for shift in shifts)
    assert tab.page.get_by_role("searchbox").is_visible(), "the search box is not shown on a page served over http"
    no_problems(tab.errors, f"{page} at {width} px")
    tab.close()
    assert not keeper.blocked

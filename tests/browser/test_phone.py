"""The example site on a 390 × 844 phone, one page of every kind, served over http (so the search box shows):
nothing runs past the screen but inside a container meant to scroll, no chart clips its own labels or
legend, the header takes at most a quarter of the screen, and the dashboard's first screen says where the
objectives stand. Screenshots of each first screen are written to <tmp>/phone/ to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import NewContext, screenshot_folder
from tests.browser.helpers import SiteServer, Tab, no_problems

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MAX_HEADER = 844 // 4  # 211 px
PAGES = ("index.html", "actions.html", "freshness.html", "objectives/index.html",
         "objectives/croissance-clients.html", "objectives/qualite-leads.html", "funnels/index.html",
         "funnels/acquisition.html", "personas/index.html", "personas/acheteur-industriel.html",
         "experiences/index.html", "experiences/demo-sur-site.html", "solutions/index.html",
         "solutions/portail-donnees.html", "pages/audit.html")

# Elements past the screen's edges, unless inside an element that scrolls sideways on purpose (overflow-x auto
# or scroll: the sections' row, a wide data table) or hidden for screen readers only (clip, 1 px).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  const hidden = e => { for (let p = e; p; p = p.parentElement) {
    const s = getComputedStyle(p); if (s.clip !== 'auto' || s.clipPath !== 'none') return true; } return false; };
  return [...document.body.querySelectorAll('*')].filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5) && !scrolls(e) && !hidden(e)
      && !e.matches('.skip');
  }).slice(0, 8).map(e => `<${e.localName} class="${e.getAttribute('class') || ''}"> from ${Math.round(
    e.getBoundingClientRect().left)} to ${Math.round(e.getBoundingClientRect().right)} px`);
}"""
# Text of a shown chart drawing outside its SVG's box: a label or legend cut off.
CLIPPED_LABELS_JS = """() => [...document.querySelectorAll('svg.chart-svg')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .flatMap(svg => { const box = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')].filter(t => { const r = t.getBoundingClientRect();
      return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
                             || r.bottom > box.bottom + 1); })
    .map(t => `"${t.textContent}" in ${svg.closest('[data-chart]').getAttribute('data-chart')}`); })"""
HEADER_JS = "() => Math.round(document.querySelector('.site-header').getBoundingClientRect().height)"
# The menu's current section, where it sits across the screen (null on a page of no section)
CURRENT_SECTION_JS = """() => { const a = document.querySelector('.site-nav a[aria-current="page"]');
  if (!a) return null; const r = a.getBoundingClientRect();
  return {text: a.textContent.trim(), left: r.left, right: r.right}; }"""


@pytest.fixture(scope="module")
def phone(site_server: SiteServer, new_context: NewContext) -> Iterator[Tab]:
    context, keeper = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    tab = Tab(context)
    yield tab
    tab.close()
    assert not keeper.blocked


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screenshot_folder(tmp_path_factory, "phone")


@pytest.mark.parametrize("page", PAGES)
def test_page_fits_a_phone(page: str, phone: Tab, site_server: SiteServer, shots: Path) -> None:
    """At 390 × 844 the page does not scroll sideways, nothing runs past the screen except inside a container
    meant to scroll, no chart cuts off its own labels or legend, the header is at most 211 px tall, and the
    menu's current section shows whole (the menu's row is scrolled to it: Solutions is far along it)."""
    phone.open(site_server.base_url + page)
    phone.page.screenshot(path=str(shots / (page.replace("/", "_") + ".png")))
    problems = [f"sticks out: {line}" for line in phone.page.evaluate(OVERFLOW_JS)]
    problems += [f"clipped chart text: {line}" for line in phone.page.evaluate(CLIPPED_LABELS_JS)]
    scroll_width = phone.page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > PHONE["width"]:
        problems.append(f"the page is {scroll_width} px wide")
    header = phone.page.evaluate(HEADER_JS)
    if header > MAX_HEADER:
        problems.append(f"the header is {header} px tall")
    current = phone.page.evaluate(CURRENT_SECTION_JS)
    if current and (current["left"] < -0.5 or current["right"] > PHONE["width"] + 0.5):
        problems.append(f"the menu's current section '{current['text']}' is cut off by the screen's edge "
                        f"({current['left']:.0f} to {current['right']:.0f} px)")
    no_problems(problems + phone.errors, f"{page} on a 390 px phone")


def test_dashboard_first_screen_says_where_the_objectives_stand(phone: Tab, site_server: SiteServer) -> None:
    """The dashboard's first phone screen shows the plan's title once, then the objectives' counts by status and
    the objective in trouble (off track in the example), linked to its page, before any other section."""
    phone.open(site_server.base_url + "index.html")
    page = phone.page
    first_screen = page.evaluate("""() => [...document.querySelectorAll('h1, h2, .counts .badge, .card h3 a')]
      .filter(e => e.getBoundingClientRect().bottom <= innerHeight)
      .map(e => [e.localName, e.textContent.trim(), e.getAttribute('href')])""")
    title = "Plan stratégique numérique 2026"
    assert page.get_by_text(title, exact=True).count() == 1
    assert first_screen[0] == ["h1", title, None]
    assert first_screen[1] == ["h2", "Où en sont les objectifs", None]
    assert ["span", "1 en retard", None] in first_screen and ["span", "4 en bonne voie", None] in first_screen
    trouble = ["a", "Signer 5 nouveaux clients industriels sur abonnement en 2026",
               "objectives/croissance-clients.html"]
    assert first_screen.index(trouble) == 4, first_screen  # the off-track objective comes first of the cards

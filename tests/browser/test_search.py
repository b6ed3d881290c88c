"""The search box of the built example site in Chromium: served from 127.0.0.1 under /strategy-site/, it
appears, finds pages as the reader types and its results lead to pages that exist; opened from disk, it
stays hidden and nothing fails."""

from __future__ import annotations

import pytest

from tests.browser.conftest import BuiltSite, NewContext, screenshot_folder
from tests.browser.helpers import SiteServer, Tab, no_problems, path_of

pytestmark = pytest.mark.browser

WORD = "webinaire"  # in the example plan: a solution, an experience and the objectives they serve
RESULTS = ".search-results a"


def type_query(tab: Tab, text: str) -> None:
    box = tab.page.get_by_role("searchbox")
    box.click()
    box.press_sequentially(text, delay=20)


@pytest.mark.parametrize("page", ["index.html", "objectives/qualite-leads.html"])
def test_search_finds_pages_and_results_resolve(page: str, built_site: BuiltSite, site_server: SiteServer,
                                                new_context: NewContext) -> None:
    """A reader on the dashboard or on a page one folder down types a word of the plan in the search box and
    gets at most 8 results, each titled with a page's title and leading to a page of the site (under the
    site's sub-path); following the first one opens it; nothing logs an error and no request fails."""
    assert (built_site.root / page).is_file(), f"the example site has no {page}"
    context, keeper = new_context(viewport={"width": 1280, "height": 900})
    tab = Tab(context)
    errors_before = len(site_server.errors())
    tab.open(site_server.base_url + page)
    box = tab.page.get_by_role("searchbox", name="Rechercher dans le plan")
    assert box.is_visible(), "the search box is not shown on a page served over http"
    type_query(tab, WORD)
    tab.page.locator(RESULTS).first.wait_for(timeout=10_000)
    links = tab.page.locator(RESULTS)
    count = links.count()
    assert 1 <= count <= 8, f"{count} results for '{WORD}'"
    problems = []
    for i in range(count):
        link = links.nth(i)
        href = link.get_attribute("href") or ""
        url = link.evaluate("a => a.href")
        if href.startswith(("/", "http:", "https:")):
            problems.append(f"result {href}: not a relative link")
        path = path_of(url)
        if not path.startswith(site_server.prefix) or site_server.status(path) != 200:
            problems.append(f"result {href} → {path}: not a page of the site")
        if not (link.text_content() or "").strip():
            problems.append(f"result {href}: no title")
    status = tab.page.locator(".search [role=status]").text_content() or ""
    if str(count) not in status:
        problems.append(f"the live status says '{status}' for {count} results")
    first = links.first
    title = (first.text_content() or "").strip()
    tab.page.get_by_role("searchbox").press("Enter")  # Enter opens the first result
    tab.page.wait_for_load_state("load")
    if title not in tab.page.title():
        problems.append(f"Enter opened '{tab.page.title()}', not the first result '{title}'")
    problems += tab.errors
    problems += [f"request failed: {p} ({code})" for p, code in site_server.errors()[errors_before:]]
    problems += [f"blocked: {url}" for url in keeper.blocked]
    tab.close()
    no_problems(problems, f"searching '{WORD}' from {page}")


def test_search_says_when_nothing_is_found(site_server: SiteServer, new_context: NewContext) -> None:
    """A word that is nowhere in the plan gives no link and a 'no result' message, read out to screen
    readers by the live status."""
    context, _ = new_context(viewport={"width": 1280, "height": 900})
    tab = Tab(context)
    tab.open(site_server.base_url + "index.html")
    type_query(tab, "zzyzxquux")
    status = tab.page.locator(".search [role=status]")
    status.filter(has_text="Aucun résultat").wait_for(timeout=10_000)
    assert tab.page.locator(RESULTS).count() == 0
    assert tab.errors == []
    tab.close()


def test_search_is_hidden_when_opened_from_disk(built_site: BuiltSite, new_context: NewContext) -> None:
    """Opened from disk (file://), where the browser refuses to load the index, the search box is not shown,
    and the page logs no error."""
    context, keeper = new_context(viewport={"width": 1280, "height": 900})
    tab = Tab(context)
    tab.open((built_site.root / "index.html").as_uri())
    form = tab.page.locator("form.search")
    assert form.count() == 1, "the page has no search form at all"
    assert not form.is_visible(), "the search form is shown on a page opened from disk"
    problems = list(tab.errors) + [f"blocked: {url}" for url in keeper.blocked]
    tab.close()
    no_problems(problems, "the search box opened from disk")


@pytest.mark.parametrize("page", ["index.html", "objectives/qualite-leads.html"])
def test_search_results_fit_a_phone(page: str, site_server: SiteServer, new_context: NewContext,
                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    """On a 390 × 844 phone, the results of a search sit whole on the screen: the panel and every result link
    lie between the screen's left and right edges (nothing to scroll sideways to read a title), the first
    result's title shows below the search box, and the page does not scroll sideways. A screenshot is written to
    <tmp>/search-phone/ to look at."""
    shots = screenshot_folder(tmp_path_factory, "search-phone")
    context, _ = new_context(viewport={"width": 390, "height": 844})
    tab = Tab(context)
    tab.open(site_server.base_url + page)
    type_query(tab, WORD)
    tab.page.locator(RESULTS).first.wait_for(timeout=10_000)
    tab.page.screenshot(path=str(shots / (page.replace("/", "_") + ".png")))
    boxes = tab.page.evaluate("""(selector) => {
      const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top,
        bottom: r.bottom, text: (e.textContent || '').trim().slice(0, 40)}; };
      return {screen: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth,
        search: box(document.querySelector('.search')), panel: box(document.querySelector('#search-results')),
        links: [...document.querySelectorAll(selector)].map(box)};
    }""", RESULTS)
    width = boxes["screen"]
    problems = [f"{name} runs from {b['left']:.0f} to {b['right']:.0f} px on a {width} px screen"
                for name, b in [("the panel", boxes["panel"]), *((f"result '{b['text']}'", b) for b in boxes["links"])]
                if b["left"] < -0.5 or b["right"] > width + 0.5]
    if boxes["scroll"] > width:
        problems.append(f"the page scrolls sideways ({boxes['scroll']} px wide)")
    if boxes["links"] and boxes["links"][0]["top"] < boxes["search"]["top"]:
        problems.append("the first result shows above the search box")
    problems += tab.errors
    tab.close()
    no_problems(problems, f"searching '{WORD}' on a phone from {page}")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_search_box_shows_its_whole_placeholder(width: int, site_server: SiteServer,
                                                    new_context: NewContext) -> None:
    """The empty search box reads « Rechercher dans le plan » whole, on a phone and on a wide screen (it read
    « Rechercher dans le plar » at 1280 px)."""
    context, _ = new_context(viewport={"width": width, "height": 844})
    tab = Tab(context)
    tab.open(site_server.base_url + "index.html")
    room, needed = tab.page.evaluate("""() => { const box = document.querySelector('#search-box');
      const style = getComputedStyle(box); const ctx = document.createElement('canvas').getContext('2d');
      ctx.font = style.font;
      return [box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
              ctx.measureText(box.placeholder).width]; }""")
    tab.close()
    assert needed <= room, f"the placeholder needs {needed:.0f} px, the box gives it {room:.0f} px at {width} px"

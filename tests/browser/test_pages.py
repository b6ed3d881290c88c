"""Every page of the built example site, served from 127.0.0.1 under /strategy-site/, in Chromium: reached
from the dashboard, without console errors, with every chart drawn, every link and anchor resolving, and
no request leaving the machine. The pages are found by following links from index.html, visited once,
and the tests below look at what each visit showed."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.browser.conftest import FIGURES, BuiltSite, NewContext
from tests.browser.helpers import (
    CHART_TIMEOUT_MS,
    LOCAL_HOST,
    Guard,
    PageReport,
    SiteServer,
    Tab,
    fragment_of,
    host_of,
    ids_in_html,
    no_problems,
    path_of,
)

pytestmark = pytest.mark.browser

# The chart library (~1 MB) is one shared file; a page that inlines it would weigh as much.
MAX_INLINE_SCRIPT = 200_000


@dataclass
class Crawl:
    """Every page reached from index.html (path relative to the site root → what its visit showed)."""

    reports: dict[str, PageReport]
    guard: Guard
    server: SiteServer
    site: BuiltSite

    def relative(self, path: str) -> str | None:
        """'objectives/x.html' for '/strategy-site/objectives/x.html'; None outside the site."""
        prefix = self.server.prefix
        return path[len(prefix):] if path.startswith(prefix) else None

    def ids_of(self, path: str) -> set[str]:
        """The ids of the page at server `path`: from the crawl, or parsed from disk for a page not visited."""
        relative = self.relative(path)
        if relative in self.reports:
            return self.reports[relative].ids
        file = self.site.root / (relative or "")
        return ids_in_html(file.read_text(encoding="utf-8")) if file.is_file() else set()


@pytest.fixture(scope="module")
def crawl(built_site: BuiltSite, site_server: SiteServer, new_context: NewContext) -> Crawl:
    """Visit index.html, then every page it links to, and so on (breadth first), once each."""
    context, keeper = new_context(viewport={"width": 1280, "height": 900})
    tab = Tab(context)
    result = Crawl(reports={}, guard=keeper, server=site_server, site=built_site)
    on_disk = set(built_site.pages())
    queue = ["index.html"]
    while queue:
        relative = queue.pop(0)
        if relative in result.reports:
            continue
        before = site_server.request_count()
        report = tab.visit(site_server.base_url + relative)
        report.requests = site_server.request_count() - before
        result.reports[relative] = report
        for link in report.links:
            target = result.relative(path_of(link.url)) if host_of(link.url) == LOCAL_HOST else None
            if link.is_navigation and target in on_disk and target not in result.reports:
                queue.append(target)
    tab.close()
    FIGURES["pages crawled"] = str(len(result.reports))
    FIGURES["charts drawn"] = str(sum(r.charts - len(r.charts_not_drawn) for r in result.reports.values()))
    FIGURES["requests a page makes (max)"] = str(max(r.requests for r in result.reports.values()))
    return result


def test_every_page_is_reached_from_the_dashboard(crawl: Crawl, built_site: BuiltSite) -> None:
    """A reader who starts on the dashboard can reach every page the build wrote (links to pages that do
    not exist are reported by test_every_link_and_source_resolves)."""
    on_disk = set(built_site.pages())
    reached = set(crawl.reports)
    problems = [f"{page}: written by the build but no link leads to it" for page in sorted(on_disk - reached)]
    no_problems(problems, "pages no reader can reach")
    assert len(reached) > 1, "the dashboard links to no other page"


def test_no_console_error_on_any_page(crawl: Crawl) -> None:
    """No page logs an error in the browser console or throws an uncaught exception."""
    problems = [f"{page}: {error}" for page, report in crawl.reports.items() for error in report.errors]
    no_problems(problems, "errors in the browser console")


def test_every_chart_is_drawn(crawl: Crawl) -> None:
    """Every [data-chart] element of every page ends up holding a drawn chart (an <svg>)."""
    problems = [f"{page}: not drawn: {chart}" for page, report in crawl.reports.items()
                for chart in report.charts_not_drawn]
    no_problems(problems, f"charts not drawn within {CHART_TIMEOUT_MS / 1000:.0f} s")
    assert crawl.reports["index.html"].charts > 0, "the dashboard has no [data-chart] element"


def test_every_link_and_source_resolves(crawl: Crawl) -> None:
    """Every href and src of every page leads to a file the server has (200), inside the site's sub-path,
    so the site works from GitHub project pages; resources never come from elsewhere; links to folders are
    refused because they do not open from disk."""
    problems = []
    external_links = 0
    for page, report in crawl.reports.items():
        for link in report.links:
            scheme = link.url.split(":", 1)[0].lower()
            if scheme in ("mailto", "tel", "data"):
                continue
            if scheme not in ("http", "https"):
                problems.append(f"{page}: {link.describe()}: a {scheme}: URL")
                continue
            if host_of(link.url) != LOCAL_HOST:
                if link.is_navigation:
                    external_links += 1  # a link to another site: allowed, not followed offline
                else:
                    problems.append(f"{page}: {link.describe()}: loads a resource from another host")
                continue
            path = path_of(link.url)
            if crawl.relative(path) is None:
                problems.append(f"{page}: {link.describe()}: leaves the site's sub-path ({path}); use a relative link")
            elif path.endswith("/"):
                problems.append(f"{page}: {link.describe()}: links to a folder, which does not open from disk; "
                                "link to its index.html")
            elif (status := crawl.server.status(path)) != 200:
                problems.append(f"{page}: {link.describe()}: the server answers {status}")
    FIGURES["links to other sites (not followed)"] = str(external_links)
    no_problems(problems, "broken links and sources")


def test_every_anchor_exists(crawl: Crawl) -> None:
    """Every link to '#id' (on the same page or another one) finds an element with that id."""
    problems = []
    for page, report in crawl.reports.items():
        for link in report.links:
            fragment = fragment_of(link.url)
            path = path_of(link.url)
            if not fragment or host_of(link.url) != LOCAL_HOST or not path.endswith(".html"):
                continue
            if fragment not in crawl.ids_of(path):
                problems.append(f"{page}: {link.describe()}: no element has id=\"{fragment}\" on {path}")
    no_problems(problems, "anchors without a target")


def test_no_request_leaves_the_machine(crawl: Crawl) -> None:
    """Opening the site sends no request anywhere but 127.0.0.1 (no CDN, web font or tracker), favicon
    included."""
    no_problems([f"blocked: {url}" for url in crawl.guard.blocked], "requests that would leave the machine")


def test_server_never_answers_not_found(crawl: Crawl) -> None:
    """Every file a page asks for (stylesheet, script, image, font, favicon) exists: the server answered
    no request with an error while the pages were open."""
    missing = sorted(set(crawl.server.errors()))
    no_problems([f"{code} for {path}" for path, code in missing], "files asked for but missing")


def test_chart_library_is_shared_not_inlined(crawl: Crawl) -> None:
    """The chart library is one file shared by all pages, not copied into each page."""
    problems = [f"{page}: an inline <script> of {report.largest_inline_script:,} characters"
                for page, report in crawl.reports.items() if report.largest_inline_script > MAX_INLINE_SCRIPT]
    no_problems(problems, "chart library copied into pages")

"""The site opened from disk (a file:// URL, no server): the dashboard and an objective page draw their
charts without a console error, so the scripts load and the Content-Security-Policy allows them."""

from __future__ import annotations

import pytest

from tests.browser.conftest import BuiltSite, NewContext
from tests.browser.helpers import Tab, no_problems

pytestmark = pytest.mark.browser


def pages_to_open(site: BuiltSite) -> list[str]:
    """The dashboard and the first objective page."""
    objectives = [page for page in site.pages() if page.startswith("objectives/")]
    assert objectives, "the built site has no objectives/*.html page"
    return ["index.html", objectives[0]]


def test_site_works_opened_from_disk(built_site: BuiltSite, new_context: NewContext) -> None:
    """A reader who opens index.html (or an objective page) straight from the folder sees the charts
    drawn and no error, without any web server."""
    context, keeper = new_context(viewport={"width": 1280, "height": 900})
    tab = Tab(context)
    problems = []
    charts = 0
    for page in pages_to_open(built_site):
        url = (built_site.root / page).as_uri()
        problems += [f"{page}: not drawn: {chart}" for chart in tab.open(url)]
        problems += [f"{page}: {error}" for error in tab.errors]
        charts += tab.page.locator("[data-chart]").count()
    tab.close()
    problems += [f"blocked: {url}" for url in keeper.blocked]
    no_problems(problems, "the site opened from disk")
    assert charts > 0, "no [data-chart] element on the pages opened from disk"

"""axe-core finds no serious or critical WCAG 2 A/AA violation on any page of the built site, with the
charts drawn (axe is injected into each page; the context bypasses the site's Content-Security-Policy for
that, and only in this module)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import FIGURES, BuiltSite, NewContext
from tests.browser.helpers import SiteServer, Tab, no_problems

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")
RUN_AXE_JS = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"


def test_no_serious_accessibility_violation(built_site: BuiltSite, site_server: SiteServer,
                                            new_context: NewContext, axe_source: str) -> None:
    """A reader using a screen reader, a keyboard or poor eyesight can use every page: axe-core reports
    no serious or critical WCAG 2 A/AA violation (rule, impact, elements and help are listed otherwise)."""
    context, _ = new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    tab = Tab(context)
    problems = []
    minor = 0
    for page in built_site.pages():
        tab.open(site_server.base_url + page)
        tab.page.add_script_tag(content=axe_source)
        for violation in tab.page.evaluate(RUN_AXE_JS, WCAG_TAGS)["violations"]:
            if violation["impact"] not in FAILING_IMPACTS:
                minor += 1
                continue
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            more = f" (+{len(violation['nodes']) - 5} more)" if len(violation["nodes"]) > 5 else ""
            problems.append(f"{page}: {violation['id']} ({violation['impact']}): {violation['help']}\n"
                            f"    elements: {targets}{more}\n    see {violation['helpUrl']}")
    tab.close()
    FIGURES["axe: minor or moderate violations (not failing)"] = str(minor)
    no_problems(problems, "axe-core")

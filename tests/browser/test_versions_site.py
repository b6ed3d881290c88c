"""A site built with `--all-versions` from a repository with two tags, served under /strategy-site/ (as on
GitHub project pages) in Chromium: the switcher, the banner, the changes and the history pages all lead
to pages that exist, charts draw in old versions (whose static/ is the root's) and nothing fails. The switcher,
drawn from versions.js at run time, leads to the same page in another version, or says it did not exist there."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import SUB_PATH, TODAY, NewContext
from tests.browser.helpers import LOCAL_HOST, PageReport, SiteServer, Tab, host_of, no_problems, path_of
from tests.test_gitsource import GitRepo, base_plan

pytestmark = pytest.mark.browser

JAN_1 = 1_767_225_600  # 2026-01-01T00:00:00Z
DAY = 86_400
PAGES = ["index.html", "history.html", "changes/v1..v2.html", "v/v1/index.html", "v/v1/funnels/acquisition.html",
         "v/v2/objectives/growth.html", "v/v2/personas/buyer.html"]
BUYER = "---\nname: Buyer\nrole: Purchasing\n---\nBuys things.\n"


def _plan(goal: int, target: int, *, buyer: bool = False) -> dict[str, str]:
    plan = base_plan(goal=goal, target=target)
    plan["data/new-clients.csv"] = "date,value\n2026-01-05,2\n"
    if buyer:  # a persona page v1 does not have
        plan["personas/buyer.md"] = BUYER
    return plan


@pytest.fixture(scope="module")
def versions_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two tags and a working tree, built with --all-versions into www/strategy-site; v2 and the working tree
    have a persona page that v1 does not."""
    import subprocess

    repo = GitRepo(tmp_path_factory.mktemp("versions") / "repo")
    repo.commit(_plan(5, 20), tag="v1", when=f"@{JAN_1 + 10 * DAY} +0000")
    repo.commit(_plan(8, 30, buyer=True), tag="v2", when=f"@{JAN_1 + 40 * DAY} +0000")
    repo.write(_plan(10, 35, buyer=True))
    www = repo.root.parent / "www"
    done = subprocess.run([sys.executable, "-m", "generator", "build", "content", "--all-versions", "-o",
                           str(www / SUB_PATH), "--today", TODAY], cwd=repo.root, capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        pytest.fail(f"`strategy build --all-versions` failed:\n{done.stdout}{done.stderr}", pytrace=False)
    return www / SUB_PATH


@pytest.fixture(scope="module")
def versions_server(versions_root: Path) -> Iterator[SiteServer]:
    """The versioned site served at http://127.0.0.1:PORT/strategy-site/."""
    server = SiteServer(versions_root.parent, SUB_PATH)
    yield server
    server.close()


@pytest.fixture(scope="module")
def reports(versions_server: SiteServer, new_context: NewContext) -> dict[str, PageReport]:
    context, _keeper = new_context(viewport={"width": 1280, "height": 900})
    tab = Tab(context)
    found = {rel: tab.visit(versions_server.base_url + rel) for rel in PAGES}
    tab.close()
    return found


def _site_path(server: SiteServer, url: str) -> str | None:
    path = path_of(url)
    return path[len(server.prefix):] if host_of(url) == LOCAL_HOST and path.startswith(server.prefix) else None


def test_pages_open_without_errors_and_draw_their_charts(reports: dict[str, PageReport]) -> None:
    """The current version, an old version's pages, the changes and the history pages open without console
    errors and draw every chart, the old versions loading the chart library from the root's static/."""
    problems = [f"{rel}: {e}" for rel, r in reports.items() for e in r.errors]
    problems += [f"{rel}: not drawn: {c}" for rel, r in reports.items() for c in r.charts_not_drawn]
    no_problems(problems, "pages of the versioned site")
    assert reports["history.html"].charts == 1
    assert reports["v/v1/funnels/acquisition.html"].charts >= 1


def test_every_link_resolves_under_the_sub_path(reports: dict[str, PageReport], versions_server: SiteServer) -> None:
    """Every link and source of these pages (switcher, banner, menu, changes, history) stays in /strategy-site/
    and the server has it."""
    problems = []
    for rel, report in reports.items():
        for link in report.links:
            if host_of(link.url) != LOCAL_HOST:
                continue
            target = _site_path(versions_server, link.url)
            if target is None:
                problems.append(f"{rel}: {link.describe()} leaves the sub-path")
            elif versions_server.status(path_of(link.url)) != 200:
                problems.append(f"{rel}: {link.describe()} answers {versions_server.status(path_of(link.url))}")
    no_problems(problems, "broken links in the versioned site")


def test_switcher_banner_and_history_lead_where_they_say(reports: dict[str, PageReport],
                                                         versions_server: SiteServer) -> None:
    """The switcher of an old page leads to that same page in the current version, v2 and v1, and to the
    history page; its banner leads to the same page in the current version; the history page links to the
    changes page and to each version."""
    def targets(rel: str) -> set[str]:
        return {t for link in reports[rel].links if link.is_navigation
                and (t := _site_path(versions_server, link.url)) is not None}

    old = targets("v/v1/funnels/acquisition.html")
    assert {"funnels/acquisition.html", "v/v2/funnels/acquisition.html", "v/v1/funnels/acquisition.html",
            "history.html"} <= old
    history = targets("history.html")
    assert {"changes/v1..v2.html", "v/v1/index.html", "v/v2/index.html", "index.html"} <= history
    assert {"v/v1/index.html", "v/v2/index.html", "v/v2/funnels/acquisition.html"} <= targets("changes/v1..v2.html")


def test_switcher_opens_and_navigates(versions_server: SiteServer, new_context: NewContext) -> None:
    """A reader opens the switcher on the current dashboard, clicks v1, and lands on v1's dashboard, which
    shows the banner; its link brings them back."""
    context, _keeper = new_context()
    page = context.new_page()
    page.goto(versions_server.base_url + "index.html")
    page.locator("details.versions summary").click()
    page.locator("details.versions a", has_text="v1").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/{SUB_PATH}/v/v1/index.html")
    page.locator(".banner a").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/{SUB_PATH}/index.html")
    page.close()


@pytest.mark.parametrize("width", [390, 700])
@pytest.mark.parametrize("rel", ["v/v1/index.html", "v/v2/objectives/growth.html", "index.html"])
def test_the_switchers_menu_opens_inside_the_screen(rel: str, width: int, versions_server: SiteServer,
                                                    new_context: NewContext) -> None:
    """On a phone (390 px) and a small tablet (700 px), the menu the switcher opens stays inside the screen on
    an old version's pages too, whose label ("Versions: v1") is shorter than the current one's: every entry
    reads whole, none starts left of the screen ("urrent version")."""
    context, _keeper = new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(versions_server.base_url + rel)
    page.locator("details.versions summary").click()
    menu = page.locator("details.versions ul")
    menu.wait_for(state="visible")
    # switcher.js places the menu on the details' toggle event, a task queued when it opens: wait for a later one
    page.evaluate("() => new Promise(done => setTimeout(done))")
    box = menu.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (rel, width, box)
    for entry in page.locator("details.versions li").all():
        entry_box = entry.bounding_box()
        assert entry_box is not None and entry_box["x"] >= 0 and entry_box["x"] + entry_box["width"] <= width
    page.close()


def _switcher(page: Page) -> list[tuple[str, str, bool, str]]:
    """Each entry of the page's switcher: its label, where it leads (from the site's root), whether it is marked
    as the page's own version, and its note."""
    found = page.evaluate("""() => [...document.querySelectorAll("details.versions li")].map(li => {
        const a = li.querySelector("a");
        const note = li.querySelector(".version-missing");
        return [a.textContent, a.href, a.getAttribute("aria-current") === "true", note ? note.textContent : ""];
    })""")
    return [tuple(entry) for entry in found]


def test_switcher_stays_on_the_same_page_or_says_it_is_missing(versions_server: SiteServer,
                                                                new_context: NewContext) -> None:
    """On v2's persona page the switcher lists the current version, v2 (marked) and v1 with their dates, each
    leading to the persona page, but v1, which had no such page: that entry says so and leads to v1's
    dashboard; the history page comes last. The banner leads to the persona page of the current version."""
    context, _keeper = new_context()
    page = context.new_page()
    page.goto(versions_server.base_url + "v/v2/personas/buyer.html")
    base = versions_server.base_url
    missing = "(no such page in this version: links to its home page)"
    assert _switcher(page) == [
        ("Current version", base + "personas/buyer.html", False, ""),
        ("v2", base + "v/v2/personas/buyer.html", True, ""),
        ("v1", base + "v/v1/index.html", False, missing),
        ("All versions", base + "history.html", False, ""),
    ]
    dates = page.locator("details.versions li small:not(.version-missing)").all_text_contents()
    assert dates == ["Nov 23, 2026", "Feb 10, 2026", "Jan 11, 2026"]
    assert page.locator(".banner a").get_attribute("href") == "../../../personas/buyer.html"
    page.locator("details.versions summary").click()
    page.locator("details.versions a", has_text="v1").click()
    page.wait_for_load_state("load")
    assert page.url == base + "v/v1/index.html"
    page.close()


def test_old_version_opens_from_disk(versions_root: Path, new_context: NewContext) -> None:
    """Opened from disk (file://), an old version's page finds its stylesheet, draws its charts and lists
    the versions in its switcher, each leading to the same page."""
    root = versions_root
    context, _keeper = new_context()
    tab = Tab(context)
    not_drawn = tab.open((root / "v/v1/funnels/acquisition.html").as_uri())
    # site.css loaded from ../../../static/: the skip link is moved off screen by it
    styled = tab.page.evaluate("() => getComputedStyle(document.querySelector('a.skip')).position !== 'static'")
    # the switcher is drawn from versions.js there too: a script, which a page opened from disk may load
    entries = _switcher(tab.page)
    tab.close()
    assert not_drawn == [] and styled
    assert [entry[0] for entry in entries] == ["Current version", "v2", "v1", "All versions"]
    assert entries[1][1] == (root / "v/v2/funnels/acquisition.html").as_uri()


def test_versioned_pages_are_valid_html(versions_root: Path, java: str, vnu_jar: Path) -> None:
    """The changes and history pages, and the pages of old versions (switcher, banner), are valid HTML."""
    import json
    import subprocess

    files = [str(versions_root / rel) for rel in PAGES]
    done = subprocess.run([java, "-jar", str(vnu_jar), "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    messages = json.loads(done.stderr or "{}").get("messages", [])
    no_problems([f"{m.get('url', '?').split(SUB_PATH + '/')[-1]}:{m.get('lastLine', '?')}: {m.get('message')}"
                 for m in messages], "Nu Html Checker")


def test_versioned_pages_are_accessible(versions_server: SiteServer, new_context: NewContext, axe_source: str) -> None:
    """axe-core finds no serious or critical WCAG 2 A/AA violation on the changes, history and old pages."""
    from tests.browser.test_accessibility import FAILING_IMPACTS, RUN_AXE_JS, WCAG_TAGS

    context, _ = new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    tab = Tab(context)
    problems = []
    for rel in PAGES:
        tab.open(versions_server.base_url + rel)
        tab.page.add_script_tag(content=axe_source)
        for violation in tab.page.evaluate(RUN_AXE_JS, WCAG_TAGS)["violations"]:
            if violation["impact"] in FAILING_IMPACTS:
                targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
                problems.append(f"{rel}: {violation['id']} ({violation['impact']}): {violation['help']} [{targets}]")
    tab.close()
    no_problems(problems, "axe-core")

"""Archived versions never change (issue 17, item 3): the version switcher of every page is drawn at run time from
versions.js at the site's root, which lists each version and its pages, so that adding a tag rewrites no file
under v/, and the switcher can lead to the same page in another version or say that it did not exist there.

Every test builds a real git repository in a temporary folder (helpers from test_gitsource); the browser test
of the switcher itself is tests/browser/test_versions_site.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from generator.versions.build import build_all_versions
from tests.test_gitsource import DAY, JAN_1, GitRepo, base_plan

TODAY = dt.date(2026, 11, 23)
BUYER = "---\nname: Buyer\nrole: Purchasing\n---\nBuys things.\n"


def tagged(root: Path) -> GitRepo:
    """v1, then v2 a month later with a persona page v1 does not have; the working tree moves the target."""
    repo = GitRepo(root)
    repo.commit(base_plan(target=20), tag="v1", when=f"@{JAN_1 + 10 * DAY} +0000")
    plan = base_plan(target=30)
    plan["personas/buyer.md"] = BUYER
    repo.commit(plan, tag="v2", when=f"@{JAN_1 + 40 * DAY} +0000")
    plan["objectives/growth.md"] = base_plan(target=35)["objectives/growth.md"]
    repo.write(plan)
    return repo


def files_under(root: Path, folder: str) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / folder).rglob("*")) if p.is_file()}


def versions_data(site: Path) -> dict[str, Any]:
    """The global that versions.js sets, read back as JSON."""
    text = (site / "versions.js").read_text(encoding="utf-8")
    match = re.fullmatch(r"window\.strategyVersions = (.*);\n", text, re.S)
    assert match, text[:200]
    return json.loads(match.group(1))


def test_adding_a_tag_changes_no_byte_of_the_published_versions(tmp_path: Path) -> None:
    """A new tag, an edited working tree and a build three days later, every page rendered again (no cache, no
    memo): every file of v1 and v2 is byte for byte what the first build wrote; only versions.js tells of v3."""
    repo = tagged(tmp_path / "repo")
    assert build_all_versions(repo.plan, tmp_path / "first", TODAY, share=False).ok
    plan = base_plan(target=50, goal=7)
    plan["personas/buyer.md"] = BUYER
    repo.commit(plan, tag="v3", when=f"@{JAN_1 + 200 * DAY} +0000")
    second = build_all_versions(repo.plan, tmp_path / "second", TODAY + dt.timedelta(days=3), share=False)
    assert second.ok, second.message
    before = files_under(tmp_path / "first", "v")
    after = {p: b for p, b in files_under(tmp_path / "second", "v").items() if not p.startswith("v/v3/")}
    assert before and after == before
    assert [v["tag"] for v in versions_data(tmp_path / "second")["versions"]] == ["", "v3", "v2", "v1"]


def test_versions_script_lists_every_version_and_its_pages(tmp_path: Path) -> None:
    """versions.js lists the current version then the tags, newest first, each with its date as the plan words
    it, its folder and its pages: the persona page is v2's and the current one's, not v1's."""
    repo = tagged(tmp_path / "repo")
    assert build_all_versions(repo.plan, tmp_path / "out", TODAY).ok
    data = versions_data(tmp_path / "out")
    shown = [(v["tag"], v["date"], v["root"]) for v in data["versions"]]
    assert shown == [("", "Nov 23, 2026", ""), ("v2", "Feb 10, 2026", "v/v2/"), ("v1", "Jan 11, 2026", "v/v1/")]

    def pages(tag: str) -> set[str]:
        (version,) = [v for v in data["versions"] if v["tag"] == tag]
        return {data["pages"][i] for i in version["pages"]}

    assert "personas/buyer.html" in pages("") and "personas/buyer.html" in pages("v2")
    assert "personas/buyer.html" not in pages("v1")
    assert {"index.html", "funnels/acquisition.html", "objectives/growth.html"} <= pages("v1")
    assert "history.html" in pages("") and "history.html" not in pages("v1")


def test_each_page_tells_the_switcher_where_it_is(tmp_path: Path) -> None:
    """Every page's switcher names its version and its path within it, the way to the site's root, and holds a
    link to the history page for a reader without JavaScript; the page loads versions.js then the switcher."""
    repo = tagged(tmp_path / "repo")
    assert build_all_versions(repo.plan, tmp_path / "out", TODAY).ok
    cases = [("personas/buyer.html", "", "../"), ("v/v2/personas/buyer.html", "v2", "../../../"),
             ("v/v1/index.html", "v1", "../../"), ("changes/v1..v2.html", "", "../")]
    for rel, version, root in cases:
        html = (tmp_path / "out" / rel).read_text(encoding="utf-8")
        inside = rel.removeprefix(f"v/{version}/") if version else rel
        assert f'data-version="{version}" data-page="{inside}"' in html, rel
        assert f'data-site-root="{root}"' in html, rel
        assert f'<li><a href="{root}history.html">All versions</a></li>' in html, rel
        assert f'<script src="{root}versions.js"></script>' in html, rel
        assert re.search(rf'<script src="{re.escape(root)}static/switcher\.[0-9a-f]+\.js"></script>', html), rel
        assert 'data-missing="(no such page in this version: links to its home page)"' in html
    assert "· Versions: v2</p>" in (tmp_path / "out" / "v/v2/personas/buyer.html").read_text(encoding="utf-8")


def test_the_switcher_speaks_the_plans_language(tmp_path: Path) -> None:
    """A French plan's switcher says « Version en cours », « Toutes les versions » and that a page is missing in
    French; versions.js words the dates in French."""
    repo = GitRepo(tmp_path / "repo")
    french = base_plan()
    french["strategy.yaml"] = french["strategy.yaml"].replace("language: en", "language: fr")
    assert "language: fr" in french["strategy.yaml"]
    repo.commit(french, tag="v1", when=f"@{JAN_1 + 10 * DAY} +0000")
    assert build_all_versions(repo.plan, tmp_path / "out", TODAY).ok
    html = (tmp_path / "out" / "v/v1/index.html").read_text(encoding="utf-8")
    assert 'data-current-label="Version en cours"' in html
    assert "Toutes les versions</a>" in html
    assert "data-missing=\"(page absente de cette version\u00a0: lien vers son accueil)\"" in html
    assert "Versions\u00a0: v1</summary>" in html
    assert "· Versions\u00a0: v1</p>" in html  # the footer
    assert versions_data(tmp_path / "out")["versions"][1]["date"] == "11 janv. 2026"

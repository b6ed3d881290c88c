"""`build --all-versions` shares its work between versions (issue 4, item 4; issue 6): one drawing of a chart that
several versions show alike, and the pages of a version sharing another's plan, must give the very bytes of a
render for each version.

Every test builds a real git repository in a temporary folder (helpers from test_gitsource).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.versions.build import build_all_versions
from tests.test_gitsource import DAY, JAN_1, GitRepo, base_plan

TODAY = dt.date(2026, 11, 23)


def history(repo: GitRepo) -> None:
    """Four tags: v1 and v2 the same day with different targets, v2.1 the same plan as v2 that day, v3 a month
    later with a new persona page; the working tree moves the target again. A CSV gives the KPI numbers."""
    plan = base_plan(target=20)
    plan["data/new-clients.csv"] = "date,value\n2026-01-05,2\n2026-02-02,6\n2026-03-02,9\n"
    same_day = f"@{JAN_1 + 70 * DAY} +0000"
    repo.commit(plan, tag="v1", when=same_day)
    plan["objectives/growth.md"] = base_plan(target=30)["objectives/growth.md"]
    repo.commit(plan, tag="v2", when=same_day)
    repo.git("tag", "v2.1")
    plan["personas/buyer.md"] = "---\nname: Buyer\nrole: Purchasing\n---\nBuys things.\n"
    repo.commit(plan, tag="v3", when=f"@{JAN_1 + 100 * DAY} +0000")
    plan["objectives/growth.md"] = base_plan(target=35)["objectives/growth.md"]
    repo.write(plan)


def site(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_shared_renders_give_the_bytes_of_separate_renders(repo: GitRepo, tmp_path: Path) -> None:
    """The whole output tree is byte for byte the same whether charts are shared between versions or every
    version is rendered for itself, and charts really were shared."""
    history(repo)
    shared = build_all_versions(repo.plan, tmp_path / "shared", TODAY)
    alone = build_all_versions(repo.plan, tmp_path / "alone", TODAY, share=False)
    assert shared.ok and alone.ok, (shared.message, alone.message)
    assert site(tmp_path / "shared") == site(tmp_path / "alone")
    assert shared.charts_reused > 0


def test_same_day_versions_render_a_page_they_show_alike_once(repo: GitRepo, tmp_path: Path) -> None:
    """v1, v2 and v2.1 are evaluated on the same day: a page they show alike (the funnel page) is rendered once and
    named for each version afterwards, so fewer pages are rendered than when each version renders its own, and
    every copy names its own version and none the stand-in it was rendered under."""
    from generator.versions.version_files import VERSION_STAND_IN

    history(repo)
    shared = build_all_versions(repo.plan, tmp_path / "shared", TODAY)
    alone = build_all_versions(repo.plan, tmp_path / "alone", TODAY, share=False)
    assert shared.ok and alone.ok, (shared.message, alone.message)
    assert shared.pages_reused > 0 and shared.pages_rendered < alone.pages_rendered
    assert site(tmp_path / "shared") == site(tmp_path / "alone")
    for path, data in site(tmp_path / "shared").items():
        assert VERSION_STAND_IN.encode() not in data and b"strategy-version" not in data, path


def test_versions_built_in_two_processes_give_the_bytes_of_one(repo: GitRepo, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """With four versions the older half is built by a forked copy of the build; the site is the one a
    single process writes (STRATEGY_JOBS=1), and a copy that fails leaves its work to the build itself."""
    from generator.versions.fork import OtherProcess

    history(repo)
    assert build_all_versions(repo.plan, tmp_path / "two", TODAY).ok
    monkeypatch.setenv("STRATEGY_JOBS", "1")
    assert build_all_versions(repo.plan, tmp_path / "one", TODAY).ok
    assert site(tmp_path / "two") == site(tmp_path / "one")
    with OtherProcess(lambda: ["sent", "back"]) as other:
        assert other.result() == ["sent", "back"]
    with OtherProcess(lambda: 1 / 0) as other:
        assert other.result() is None


def test_a_changed_page_shows_each_versions_own_numbers(repo: GitRepo, tmp_path: Path) -> None:
    """v1 and v2, tagged the same day, differ by the KPI target only: each version's objective page shows its
    own target, and the page of the version sharing v2's plan shows v2's."""
    history(repo)
    assert build_all_versions(repo.plan, tmp_path / "out", TODAY).ok

    def shown(rel: str) -> str:
        return (tmp_path / "out" / rel).read_text(encoding="utf-8")

    assert "target 20\xa0clients" in shown("v/v1/objectives/growth.html")
    assert "target 30\xa0clients" not in shown("v/v1/objectives/growth.html")
    for version in ("v2", "v2.1"):
        assert "target 30\xa0clients" in shown(f"v/{version}/objectives/growth.html")
    assert "target 35\xa0clients" in shown("objectives/growth.html")


def test_an_unchanged_page_names_its_own_version(repo: GitRepo, tmp_path: Path) -> None:
    """The funnel page is the same in v1, v2 and v2.1, yet each copy names its own version in the switcher's
    title, the banner and the footer; the current version's page has no banner."""
    history(repo)
    assert build_all_versions(repo.plan, tmp_path / "out", TODAY).ok
    for version in ("v1", "v2", "v2.1", "v3"):
        html = (tmp_path / "out" / f"v/{version}/funnels/acquisition.html").read_text(encoding="utf-8")
        assert f'data-version="{version}"' in html
        assert f"Versions: {version}</summary>" in html
        banner = re.search(r'<div class="banner".*?</div></div>', html, re.S)
        assert banner and f"version {version} of the plan" in banner.group(0)
        assert re.search(rf"<footer.*{re.escape(version)}.*</footer>", html, re.S)
    root = (tmp_path / "out/funnels/acquisition.html").read_text(encoding="utf-8")
    assert "Versions: Current version</summary>" in root
    assert 'class="banner"' not in root


def test_digests_see_values_not_which_objects_hold_them() -> None:
    """Equal values digest alike whether or not they are one shared object (the loader's fresh objects vs
    those its parse cache hands out), so an unchanged page of the next version is found in the memo; and a
    location alone never tells two entities apart."""
    from generator.cache.render_memo import digest_pickle
    from generator.plan.diagnostics import Location
    from generator.plan.model import KPI

    level = "level"
    copy = "".join(["le", "vel"])
    assert copy == level and copy is not level
    assert digest_pickle([level, level]) == digest_pickle([level, copy])

    def kpi(where: str, target: float) -> KPI:
        return KPI(id="k", loc=Location(where), locs={"target": Location(where, 3)}, title="K", target=target,
                   objective="o")

    assert digest_pickle(kpi("v1:content/objectives/o.md", 5)) == digest_pickle(kpi("v2:content/objectives/o.md", 5))
    assert digest_pickle(kpi("v1:content/objectives/o.md", 5)) != digest_pickle(kpi("v1:content/objectives/o.md", 6))

"""Listing the published versions: tags matching `versions.tags`, newest first (SPEC §5, issue 4)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from generator.read.gitsource import GitError
from generator.read.tags import list_versions
from tests.test_gitsource import DAY, JAN_1, GitRepo, base_plan


def test_tags_newest_first_with_commit_date_and_title(repo: GitRepo) -> None:
    """Each version has its commit, its date and the plan title of its own revision, newest first."""
    first = repo.commit(base_plan(title="Plan 2026"), tag="v1", when=f"@{JAN_1 + 10 * DAY} +0000")
    second = repo.commit(base_plan(title="Plan 2026, revised"), tag="v2", when=f"@{JAN_1 + 40 * DAY} +0000")
    listing = list_versions(repo.plan)
    assert listing.warnings == []
    assert [v.to_json() for v in listing.versions] == [
        {"version": "v2", "title": "Plan 2026, revised", "date": "2026-02-10", "commit": second},
        {"version": "v1", "title": "Plan 2026", "date": "2026-01-11", "commit": first},
    ]


def test_only_tags_matching_the_glob(repo: GitRepo) -> None:
    """`versions.tags` chooses which tags are versions: `v*` ignores `draft-1`, `release-*` takes only it."""
    repo.commit(base_plan(), tag="v1")
    repo.commit(base_plan(), tag="draft-1")
    assert [v.version for v in list_versions(repo.plan).versions] == ["v1"]
    assert [v.version for v in list_versions(repo.plan, "draft-*").versions] == ["draft-1"]
    assert list_versions(repo.plan, "nothing-*").versions == []


def test_an_annotated_tag_is_dated_when_it_was_tagged(repo: GitRepo) -> None:
    """An annotated tag made later than its commit carries the tag's date and still names the commit."""
    commit = repo.commit(base_plan(), when=f"@{JAN_1} +0000")
    repo.git("tag", "-a", "v1", "-m", "release", when=f"@{JAN_1 + 60 * DAY} +0000")
    (version,) = list_versions(repo.plan).versions
    assert version.commit == commit
    assert version.date == dt.date(2026, 3, 2)


def test_same_day_versions_order_by_number(repo: GitRepo) -> None:
    """Tags on one commit order as numbers, newest first: v1.10 before v1.9 before v1.2."""
    repo.commit(base_plan(), when=f"@{JAN_1} +0000")
    for tag in ("v1.2", "v1.10", "v1.9"):
        repo.git("tag", tag)
    assert [v.version for v in list_versions(repo.plan).versions] == ["v1.10", "v1.9", "v1.2"]


def test_a_tag_without_the_plan_folder_is_skipped_with_a_warning(repo: GitRepo) -> None:
    """A tag from before the plan existed is left out of the versions, and a warning says why."""
    (repo.root / "README.md").write_text("hello")
    repo.commit(tag="v0")
    repo.commit(base_plan(), tag="v1")
    listing = list_versions(repo.plan)
    assert [v.version for v in listing.versions] == ["v1"]
    assert len(listing.warnings) == 1
    assert "`v0`" in str(listing.warnings[0]) and "skipped" in str(listing.warnings[0])


def test_a_plan_without_a_readable_title_falls_back_to_the_tag(repo: GitRepo) -> None:
    """A revision whose strategy.yaml does not parse is still listed (its build reports the errors)."""
    plan = base_plan()
    plan["strategy.yaml"] = "title: [unclosed\n"
    repo.commit(plan, tag="v1")
    (version,) = list_versions(repo.plan).versions
    assert version.title == "v1"


def test_a_huge_strategy_yaml_in_an_old_tag_is_not_parsed_for_its_title(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing versions reads each tag's title: a 6 MB strategy.yaml in an old tag is known too large from
    its size and never parsed (the version is named by its tag); an alias bomb there gives no title either."""
    import generator.read.tags as versions

    parsed: list[int] = []
    real = versions.parse_yaml
    monkeypatch.setattr(versions, "parse_yaml", lambda text: parsed.append(len(text)) or real(text))
    huge = base_plan(title="Enorme")
    huge["strategy.yaml"] += "# " + "x" * (6 * 1024 * 1024) + "\n"
    repo.commit(huge, tag="v1", when=f"@{JAN_1} +0000")
    bomb = base_plan()
    bomb["strategy.yaml"] = "a: &a [x, x]\nb: &b [*a, *a]\ntitle: *b\n" + bomb["strategy.yaml"].split("\n", 1)[1]
    repo.commit(bomb, tag="v2", when=f"@{JAN_1 + DAY} +0000")
    repo.commit(base_plan(title="Petit"), tag="v3", when=f"@{JAN_1 + 2 * DAY} +0000")
    listing = list_versions(repo.plan)
    assert [(v.version, v.title) for v in listing.versions] == [("v3", "Petit"), ("v2", "v2"), ("v1", "v1")]
    assert max(parsed) < 1024 * 1024


def test_a_shallow_clone_warns_that_versions_may_be_missing(repo: GitRepo, tmp_path: Path) -> None:
    """In a shallow checkout the listing warns and says to check out with fetch-depth: 0."""
    repo.commit(base_plan(), tag="v1")
    repo.commit(base_plan(goal=8), tag="v2")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    listing = list_versions(clone / "content")
    assert any("fetch-depth: 0" in str(w) for w in listing.warnings)


def test_not_a_repository(tmp_path: Path) -> None:
    """Listing versions outside git is a clear GitError, not a traceback."""
    with pytest.raises(GitError) as caught:
        list_versions(tmp_path / "content")
    assert caught.value.code == "not-a-repository"

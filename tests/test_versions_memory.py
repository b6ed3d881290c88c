"""`strategy build --all-versions` within its memory budget (issue 15, item 7): the versions are compared pair by
pair as they are checked, each version's checked plan let go then and checked again when it is built
(versions/comparisons.py), with the same site as a build that held every plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.cache import store
from generator.versions.build import build_all_versions
from generator.versions.comparisons import Comparisons
from generator.versions.revisions import CheckedVersion
from tests.test_gitsource import DAY, JAN_1, GitRepo, base_plan

TODAY = dt.date(2026, 11, 23)


def five_versions(repo: GitRepo) -> None:
    """Five tags a month apart, two of them on one plan the same day (one check shared), and a working tree."""
    for month, goal in enumerate((5, 6, 7, 9)):
        repo.commit(base_plan(goal=goal, target=20 + month, title=f"Plan {month}"), tag=f"v{month + 1}",
                    when=f"@{JAN_1 + (10 + 30 * month) * DAY} +0000")
    repo.git("tag", "v4.1")
    repo.write(base_plan(goal=10, target=35, title="Plan today"))


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_version_checked_again_when_built_shows_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               ) -> None:
    """Every page, changes page and history chart is the same, byte for byte, whether each version's checked plan
    was let go after its comparison (and checked again to be built) or held throughout, as builds did before."""
    repo = GitRepo(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    five_versions(repo)
    monkeypatch.setattr(store.VERSIONS, "root", tmp_path / "kept-a")  # nothing kept from the other build
    let_go = build_all_versions(repo.plan, tmp_path / "a", TODAY)
    assert let_go.ok, let_go.message
    assert sorted(o.status for o in let_go.outcomes) == ["built", "built", "built", "built", "reused"]

    monkeypatch.setattr(CheckedVersion, "release", lambda self: None)
    monkeypatch.setattr(store.VERSIONS, "root", tmp_path / "kept-b")
    held = build_all_versions(repo.plan, tmp_path / "b", TODAY)
    assert held.ok, held.message
    site = files_of(tmp_path / "a")
    assert "changes/v4.1..current.html" in site and "history.html" in site
    assert site == files_of(tmp_path / "b")


def test_checking_twenty_versions_holds_two_checked_plans_at_most(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """However many versions there are, no more than two versions' checked plans are in memory while they are
    checked and compared (a plan of 250 objectives takes ~13 MB: 21 of them were most of the build's peak)."""
    repo = GitRepo(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    for n in range(20):
        repo.commit(base_plan(goal=5 + n, target=20 + n), tag=f"v{n + 1}", when=f"@{JAN_1 + (10 + 9 * n) * DAY} +0000")
    seen: list[CheckedVersion] = []
    held: list[int] = []
    add = Comparisons.add

    def counting(self: Comparisons, g: CheckedVersion) -> None:
        add(self, g)
        seen.append(g)
        held.append(sum(v.checked is not None for v in seen))

    monkeypatch.setattr(Comparisons, "add", counting)
    result = build_all_versions(repo.plan, tmp_path / "out", TODAY)
    assert result.ok, result.message
    assert len(held) == 20 and max(held) <= 2
    assert (tmp_path / "out/changes/v1..v2.html").is_file() and (tmp_path / "out/changes/v20..current.html").is_file()


def test_a_comparison_whose_copy_failed_is_made_here_with_the_same_pages(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A forked copy comparing two versions that dies (out of memory, killed) costs time, not pages: the build's
    process compares them itself and writes the same changes pages."""
    import os

    from generator.versions import comparisons

    repo = GitRepo(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    five_versions(repo)
    monkeypatch.setattr(store.VERSIONS, "root", tmp_path / "kept-a")
    assert build_all_versions(repo.plan, tmp_path / "a", TODAY).ok

    here, compare, init = os.getpid(), comparisons.compare, comparisons.Comparisons.__init__
    compared_here: list[str] = []

    def failing_in_a_copy(*args: object) -> comparisons.View:
        if os.getpid() != here:
            raise MemoryError
        compared_here.append(str(args[2]))
        return compare(*args)  # type: ignore[arg-type]

    def on_two_cores(self: comparisons.Comparisons, *args: object) -> None:
        init(self, *args[:3], 2)  # type: ignore[arg-type]

    monkeypatch.setattr(comparisons, "compare", failing_in_a_copy)
    monkeypatch.setattr(comparisons.Comparisons, "__init__", on_two_cores)
    monkeypatch.setattr(store.VERSIONS, "root", tmp_path / "kept-b")
    assert build_all_versions(repo.plan, tmp_path / "b", TODAY).ok
    site = files_of(tmp_path / "a")
    changes = {path for path in site if path.startswith("changes/")}
    assert len(changes) == 5 and sorted(compared_here) == ["v1", "v2", "v3", "v4", "v4.1"]
    assert {path: site[path] for path in changes} == {path: files_of(tmp_path / "b")[path] for path in changes}

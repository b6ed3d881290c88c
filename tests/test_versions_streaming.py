"""`build --all-versions` writes each version's files as soon as that version is built instead of holding every
version in memory (issue 6: 20 versions of a big plan took ~800 MB), and must stay as safe as one write: a build
that fails late leaves the previous site as it was, and the output is the same bytes however it was written.

Every test builds a real git repository in a temporary folder (helpers from test_gitsource).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest

import generator.site.search
import generator.versions.build as versions_build
import generator.versions.version_files as version_files
from generator.plan.messages import words
from generator.versions.build import build_all_versions
from tests.test_gitsource import DAY, JAN_1, GitRepo, base_plan

TODAY = dt.date(2026, 11, 23)


def tagged(root: Path, days_apart: int) -> GitRepo:
    """Five tags `days_apart` days apart, each moving the KPI target (enough for the forked builder of the
    older half), and a working tree moving it again."""
    repo = GitRepo(root)
    for i in range(5):
        repo.commit(base_plan(target=20 + i), tag=f"v{i + 1}", when=f"@{JAN_1 + days_apart * i * DAY} +0000")
    repo.write(base_plan(target=30))
    return repo


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return tagged(tmp_path / "repo", 30)


def site(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def fail_on(monkeypatch: pytest.MonkeyPatch, tag: str) -> None:
    """Building version `tag` raises, wherever it is built (here or in the forked copy), and so does writing
    it out from what an earlier build kept of it."""
    for name in ("version_files", "kept_files"):
        real = getattr(version_files, name)

        def failing(g: Any, *args: Any, real: Any = real, **kwargs: Any) -> Any:
            if g.version.version == tag:
                raise RuntimeError(f"cannot build {tag}")
            return real(g, *args, **kwargs)

        monkeypatch.setattr(versions_build, name, failing)
        monkeypatch.setattr(version_files, name, failing)  # where the writer of kept versions calls it


@pytest.mark.parametrize("jobs", ["1", ""], ids=["one-process", "forked"])
def test_a_late_failing_version_leaves_the_previous_site_untouched(repo: GitRepo, tmp_path: Path, jobs: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """When the oldest version (the last one built, after the others were written) fails, the build fails
    with its reason, the site built before is byte for byte as it was, and no half-written folder is left
    beside it, whether the versions were built in one process or two."""
    monkeypatch.setenv("STRATEGY_JOBS", jobs)
    output = tmp_path / "out" / "site"
    assert build_all_versions(repo.plan, output, TODAY).ok
    before = site(output)
    repo.write(base_plan(target=40))  # the next build would change the site
    fail_on(monkeypatch, "v1")
    result = build_all_versions(repo.plan, output, TODAY)
    assert not result.ok
    assert "cannot build v1" in (words("en", result.message) or "")
    assert site(output) == before
    assert [p.name for p in output.parent.iterdir()] == ["site"], "a staging folder was left behind"


def test_a_failing_search_index_leaves_the_previous_site_untouched(repo: GitRepo, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """pagefind indexes the current version while the tagged versions are built: when it fails, the build
    fails with pagefind's reason and nothing of the new site reaches OUTPUT."""
    output = tmp_path / "out" / "site"
    assert build_all_versions(repo.plan, output, TODAY).ok
    before = site(output)
    failing = "import sys; sys.stderr.write('Error: Pagefind could not write the index\\n'); sys.exit(1)"
    monkeypatch.setattr(generator.site.search, "PAGEFIND", [sys.executable, "-c", failing])
    result = build_all_versions(repo.plan, output, TODAY)
    said = "pagefind could not index the site for search: Error: Pagefind could not write the index"
    assert words("en", result.message) == said
    assert site(output) == before
    assert [p.name for p in output.parent.iterdir()] == ["site"], "a staging folder was left behind"


def test_a_forked_builder_that_fails_midway_is_redone_here(repo: GitRepo, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The forked copy writes the older versions itself; when it fails after writing some files, those are
    discarded and the versions built again here: the site is the bytes of a one-process build, with no stray
    file."""
    monkeypatch.setenv("STRATEGY_JOBS", "1")
    assert build_all_versions(repo.plan, tmp_path / "one", TODAY).ok
    monkeypatch.delenv("STRATEGY_JOBS")
    real = versions_build.built_there

    def built_there(versions: Any, build: Any, memo: Any) -> Any:
        real(versions, build, memo)
        for g in versions:  # its own versions' folders only: the build writes the others meanwhile
            for folder in tmp_path.glob(f".two.building-*.versions/v/{g.version.version}"):
                (folder / "stray.html").write_bytes(b"half-written")
        raise RuntimeError("the copy dies")

    monkeypatch.setattr(versions_build, "built_there", built_there)
    assert build_all_versions(repo.plan, tmp_path / "two", TODAY).ok
    assert site(tmp_path / "two") == site(tmp_path / "one")


@pytest.mark.parametrize("days_apart", [0, 30])
def test_forgetting_older_versions_keeps_the_bytes(tmp_path: Path, days_apart: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo keeps only what the last version used (older charts and pages are let go): the site is the
    same bytes as when every version is rendered for itself, and charts are still shared between neighbours
    evaluated on the same day (versions a month apart have none to share; pages name their own version)."""
    repo = tagged(tmp_path / "repo", days_apart)
    monkeypatch.setenv("STRATEGY_JOBS", "1")
    shared = build_all_versions(repo.plan, tmp_path / "shared", TODAY)
    alone = build_all_versions(repo.plan, tmp_path / "alone", TODAY, share=False)
    assert shared.ok and alone.ok, (shared.message, alone.message)
    assert site(tmp_path / "shared") == site(tmp_path / "alone")
    if days_apart == 0:
        assert shared.charts_reused > 0
    assert shared.pages == alone.pages and shared.charts == alone.charts

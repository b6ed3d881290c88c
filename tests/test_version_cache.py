"""Archived versions kept between builds of `--all-versions` (cache/archived_versions, issue 6: 20 versions should cost
little more than one build): the next build writes them out instead of checking and rendering them again, and
what it writes is byte for byte what rendering them again gives, whatever changed around them (a new tag, an
edited working tree, another day). A cache that lies (edited theme, corrupt entry) is never believed.

Every test builds a real git repository in a temporary folder (helpers from test_gitsource); the autouse
fixture of conftest gives each test an empty cache folder of its own (`_no_kept_versions`).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from generator.cache import archived_versions as version_cache
from generator.cache import store
from generator.versions.build import AllVersionsResult, build_all_versions
from generator.versions.cli import summary_line
from tests.test_gitsource import DAY, JAN_1, GitRepo, base_plan

TODAY = dt.date(2026, 11, 23)


def tagged(root: Path, tags: int = 4) -> GitRepo:
    """`tags` tags a month apart, each moving the KPI target, and a working tree moving it again."""
    repo = GitRepo(root)
    for i in range(tags):
        repo.commit(base_plan(target=20 + i), tag=f"v{i + 1}", when=f"@{JAN_1 + 30 * i * DAY} +0000")
    repo.write(base_plan(target=30))
    return repo


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return tagged(tmp_path / "repo")


def site(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def statuses(result: AllVersionsResult) -> list[str]:
    return [o.status for o in result.outcomes]


def fresh(repo: GitRepo, output: Path, today: dt.date = TODAY) -> dict[str, bytes]:
    """The site as a build that renders every page of every version for itself makes it (no cache, no memo)."""
    result = build_all_versions(repo.plan, output, today, share=False)
    assert result.ok, result.message
    return site(output)


@pytest.mark.parametrize("jobs", ["1", ""], ids=["one-process", "forked"])
def test_the_next_build_keeps_every_version_and_writes_the_same_bytes(repo: GitRepo, tmp_path: Path, jobs: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A second build takes every tagged version from the first one's cache, says so in its summary line, and
    the site is byte for byte the one a build rendering everything gives, whether a forked copy writes the
    kept versions or, where forking is not used, the build itself."""
    monkeypatch.setenv("STRATEGY_JOBS", jobs)
    first = build_all_versions(repo.plan, tmp_path / "first", TODAY)
    assert first.ok and statuses(first) == ["built"] * 4
    second = build_all_versions(repo.plan, tmp_path / "second", TODAY)
    assert second.ok and statuses(second) == ["cached"] * 4
    assert "(4 kept from an earlier build)" in summary_line(second, tmp_path / "second")
    assert site(tmp_path / "second") == fresh(repo, tmp_path / "fresh") == site(tmp_path / "first")


def test_a_new_tag_an_edit_and_another_day_are_in_every_kept_page(repo: GitRepo, tmp_path: Path) -> None:
    """After a new tag, an edit of the working tree and a build on another day, the kept versions' files are
    written as they were (the switcher's versions.js lists the new tag), and the changes pages are made again
    where needed: the site is still the bytes of a full render."""
    assert build_all_versions(repo.plan, tmp_path / "first", TODAY).ok
    repo.commit(base_plan(target=50, goal=7), tag="v5", when=f"@{JAN_1 + 200 * DAY} +0000")
    repo.write(base_plan(target=60, title="Plan, revised"))
    later = TODAY + dt.timedelta(days=3)
    second = build_all_versions(repo.plan, tmp_path / "second", later)
    assert second.ok and statuses(second) == ["built"] + ["cached"] * 4
    before, after = site(tmp_path / "first"), site(tmp_path / "second")
    assert {p: b for p, b in after.items() if p.startswith("v/") and not p.startswith("v/v5/")} == \
        {p: b for p, b in before.items() if p.startswith("v/")}
    assert b'"tag":"v5"' in after["versions.js"]
    assert site(tmp_path / "second") == fresh(repo, tmp_path / "fresh", later)


def test_an_edited_theme_is_never_served_from_the_cache(repo: GitRepo, tmp_path: Path) -> None:
    """Editing a template of the plan's own theme (beside the plan folder) makes every version render again:
    the old versions show the edit."""
    assert build_all_versions(repo.plan, tmp_path / "first", TODAY).ok
    theme = repo.root / "themes" / "default" / "templates"
    theme.mkdir(parents=True)
    default = Path(version_cache.template_dirs(None)[0]) / "templates" / "objective.html"
    (theme / "objective.html").write_text(default.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}<p>Edited theme</p>", 1), encoding="utf-8")
    second = build_all_versions(repo.plan, tmp_path / "second", TODAY)
    assert second.ok and statuses(second) == ["built"] * 4
    assert "Edited theme" in (tmp_path / "second" / "v" / "v1" / "objectives" / "growth.html").read_text("utf-8")


@pytest.mark.parametrize("jobs", ["1", ""], ids=["one-process", "forked"])
def test_a_corrupt_entry_is_built_again(repo: GitRepo, tmp_path: Path, _no_kept_versions: Path, jobs: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry cut short (a full disk, a killed build) or overwritten with garbage is not believed: that version
    is checked and rendered again, the others are kept, and the site is the bytes of a full render."""
    monkeypatch.setenv("STRATEGY_JOBS", jobs)
    assert build_all_versions(repo.plan, tmp_path / "first", TODAY).ok
    entries = sorted(_no_kept_versions.glob("*.version"), key=lambda p: p.stat().st_size)
    assert len(entries) == 4
    entries[0].write_bytes(entries[0].read_bytes()[:-100])
    store.VERSIONS.write(entries[1].name, b"12\n{not json}")  # framed as the store frames it, the rest wrong
    flipped = bytearray(entries[2].read_bytes())  # one bit of a page, the header intact
    flipped[-200] ^= 1
    entries[2].write_bytes(bytes(flipped))
    for pair in _no_kept_versions.glob("*.pair"):  # comparisons that read well but hold the wrong things
        store.VERSIONS.write(pair.name, b"{}")
    second = build_all_versions(repo.plan, tmp_path / "second", TODAY)
    assert second.ok and sorted(statuses(second)) == ["built", "built", "built", "cached"]
    assert site(tmp_path / "second") == fresh(repo, tmp_path / "fresh")


@pytest.mark.parametrize("meta", [{}, {"targets": [["x"]]}, {"language": "xx"}, {"pages": "12"}])
def test_an_entry_with_the_wrong_fields_is_built_again(repo: GitRepo, tmp_path: Path, _no_kept_versions: Path,
                                                       meta: dict[str, object]) -> None:
    """An entry whose header reads as JSON but lacks a field, or holds one of the wrong kind (written by hand,
    or by a bug), is no entry: the version is built again, never a failed build."""
    import json

    assert build_all_versions(repo.plan, tmp_path / "first", TODAY).ok
    for entry in _no_kept_versions.glob("*.version"):
        data = store.VERSIONS.read(entry.name) or b""
        size, _, rest = data.partition(b"\n")
        header = json.loads(rest[:int(size)])
        header["meta"] = {**header["meta"], **meta} if meta else {}
        text = json.dumps(header).encode()
        store.VERSIONS.write(entry.name, str(len(text)).encode() + b"\n" + text + rest[int(size):])
    second = build_all_versions(repo.plan, tmp_path / "second", TODAY)
    assert second.ok and statuses(second) == ["built"] * 4
    assert site(tmp_path / "second") == site(tmp_path / "first")


def test_an_edited_theme_template_is_part_of_the_key(tmp_path: Path) -> None:
    """Editing a template of the plan's theme (outside git, in the working tree) renders the kept versions
    again, as it renders the current one. (A theme linked from elsewhere is refused: see test_build_output.)"""
    shared = tmp_path / "repo" / "themes" / "mine" / "templates"
    shared.mkdir(parents=True)
    default = Path(version_cache.template_dirs(None)[0]) / "templates" / "objective.html"

    def theme(word: str) -> None:
        (shared / "objective.html").write_text(default.read_text(encoding="utf-8").replace(
            "{% block content %}", f"{{% block content %}}<p>{word}</p>", 1), encoding="utf-8")

    repo = GitRepo(tmp_path / "repo")
    for i in range(2):
        plan = base_plan(target=20 + i)
        plan["strategy.yaml"] += "theme: mine\n"
        repo.commit(plan, tag=f"v{i + 1}", when=f"@{JAN_1 + 30 * i * DAY} +0000")
    theme("FIRST")
    assert build_all_versions(repo.plan, tmp_path / "first", TODAY).ok
    theme("SECOND")
    second = build_all_versions(repo.plan, tmp_path / "second", TODAY)
    assert second.ok and statuses(second) == ["built"] * 2
    assert "<p>SECOND</p>" in (tmp_path / "second" / "v" / "v1" / "objectives" / "growth.html").read_text("utf-8")


def test_an_unwritable_cache_only_costs_time(repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder that cannot be created (read-only home, a file in its way) changes nothing but speed."""
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(store.VERSIONS, "root", blocked / "versions")
    first = build_all_versions(repo.plan, tmp_path / "first", TODAY)
    second = build_all_versions(repo.plan, tmp_path / "second", TODAY)
    assert first.ok and second.ok and statuses(second) == ["built"] * 4
    assert site(tmp_path / "second") == site(tmp_path / "first")


def test_pruning_drops_the_least_recently_used_entries_first(tmp_path: Path) -> None:
    """Over its size limit, the cache drops the entries used longest ago, never those of the build at hand."""
    cache = version_cache.VersionCache("code", tmp_path)
    for age, name in enumerate(["new", "old", "older", "in-use"]):
        cache.store(name, version_cache.Kept({"index.html": b"x" * 1000}, {
            "language": "en", "currency": "EUR", "theme": "default", "pages": 1, "charts": 0,
            "targets": []}))
        stamp = 1_700_000_000 - 1000 * age
        os.utime(tmp_path / f"{name}.version", (stamp, stamp))
    cache = version_cache.VersionCache("code", tmp_path)  # another build: nothing used yet
    size = (tmp_path / "new.version").stat().st_size
    cache.partition.max_bytes = 3 * size  # over it: down to 2.25 entries, the newest and the one in use left
    cache.prune(keep=["in-use"])
    assert sorted(p.stem for p in tmp_path.glob("*.version")) == ["in-use", "new"]

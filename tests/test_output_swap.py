"""The output folder across killed, failed and concurrent builds: OUTPUT is always a whole site (one exchange
into place, a half-finished swap put back by the next build), what killed builds leave beside it is removed
(only folders named as ours, only when their build is gone), and the files a user adds for publishing
(`CNAME`, `.nojekyll`, `.git/`) are kept."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator.site import swap
from generator.site.writer import write_site
from tests.test_build_output import TODAY, built, leftovers, plan, run, snapshot

__all__ = ["built", "plan"]  # fixtures used below

ROOT = Path(__file__).resolve().parent.parent

# A build killed (SIGKILL: no cleanup runs) between the two renames of a file system that cannot exchange.
KILLED_BETWEEN_RENAMES = """
import datetime as dt, os, sys
from pathlib import Path
from generator.build import build
from generator.site import swap
swap._exchange = lambda a, b: False
out, real = Path(sys.argv[2]).resolve(), os.replace
def replace(src, dst):
    if Path(dst) == out:  # the new site into place, after the previous one was moved aside
        os._exit(9)
    real(src, dst)
os.replace = replace
build(Path(sys.argv[1]), out, dt.date(2026, 11, 23), search=False)
"""

# A build killed while it was writing its staging folder and the pages for the search index.
KILLED_WHILE_WRITING = """
import os, sys
from pathlib import Path
from generator.site import search, swap
staging, _lock = swap.new_staging(Path(sys.argv[1]).resolve())
(staging / "index.html").write_text("half a site")
search._write_searchable(search.reading_folder(staging), {"index.html": b"<html></html>"})
(staging.parent / (staging.name + ".versions")).mkdir()
os._exit(9)
"""


def killed(script: str, *args: Path) -> None:
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 9, done.stderr


def test_a_build_killed_in_the_middle_of_the_swap_is_put_back_by_the_next(
        built: tuple[Path, dict[str, bytes]], plan: Path) -> None:
    """A build killed between moving the previous site aside and moving the new one in leaves no OUTPUT; the
    next build, even one that fails on a plan error, puts the previous site back byte for byte (so its "as it
    was" is true) and leaves nothing beside it."""
    out, before = built
    (plan / "objectives" / "grow.md").write_text((plan / "objectives" / "grow.md").read_text(encoding="utf-8")
                                                 .replace("title: Grow", "title: Grow more"), encoding="utf-8")
    killed(KILLED_BETWEEN_RENAMES, plan, out)
    assert not out.exists() and leftovers(out.parent)
    (plan / "objectives" / "grow.md").write_text("---\ntitle: Grow\nparent: nowhere\n---\n", encoding="utf-8")
    result = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert result.exit_code == 1 and "est tel qu'il était" in result.output  # the plan speaks French
    assert snapshot(out) == before
    assert leftovers(out.parent) == []


def test_what_killed_builds_left_is_removed_but_not_a_live_builds_folder(
        built: tuple[Path, dict[str, bytes]], plan: Path, tmp_path: Path) -> None:
    """A killed build's staging folder, its search pages and its versions folder are removed by the next
    build; the staging folder of a build still running beside it, and folders not named as ours, stay."""
    out, _before = built
    killed(KILLED_WHILE_WRITING, out)
    names = leftovers(out.parent)
    assert [n.rsplit(".", 1)[-1] for n in names] == [names[0].rsplit(".", 1)[-1], "search", "versions"]
    live, lock = swap.new_staging(out.resolve())
    theirs = out.parent / ".site.building-by-someone-else"
    theirs.mkdir()
    try:
        assert run("build", str(plan), "-o", str(out), "--today", TODAY).exit_code == 0
        assert leftovers(out.parent) == sorted([live.name, theirs.name])
    finally:
        if lock is not None:
            os.close(lock)
        live.rmdir()


def test_the_search_pages_are_beside_the_staging_folder_and_gone_after_the_build(
        built: tuple[Path, dict[str, bytes]], plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pagefind's pages are written beside OUTPUT under the staging folder's name (never an anonymous
    temporary folder elsewhere), and removed once the index is made."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    out, _before = built
    assert run("build", str(plan), "-o", str(out), "--today", TODAY).exit_code == 0
    assert (out / "pagefind" / "pagefind-entry.json").is_file()
    assert list((tmp_path / "tmp").iterdir()) == [] and leftovers(out.parent) == []


def test_the_users_publishing_files_are_kept(built: tuple[Path, dict[str, bytes]], plan: Path) -> None:
    """`CNAME`, `.nojekyll` and a `.git/` checkout (of a gh-pages branch) that the user put in OUTPUT are still
    there, unchanged, after the next build; an old page the plan no longer makes is gone."""
    out, _before = built
    (out / "CNAME").write_text("strategy.example.org\n", encoding="utf-8")
    (out / ".nojekyll").write_text("", encoding="utf-8")
    (out / ".git" / "objects" / "ab").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (out / ".git" / "objects" / "ab" / "cdef").write_bytes(b"\x00object")
    (out / "old-page.html").write_text("gone next time", encoding="utf-8")
    kept = {k: v for k, v in snapshot(out).items() if k in ("CNAME", ".nojekyll") or k.startswith(".git/")}
    assert run("build", str(plan), "-o", str(out), "--today", TODAY).exit_code == 0
    after = snapshot(out)
    assert {k: v for k, v in after.items() if k in kept} == kept and len(kept) == 4
    assert "old-page.html" not in after and "index.html" in after


def test_a_folder_holding_only_publishing_files_is_built_into(plan: Path, tmp_path: Path) -> None:
    """A folder no build made but holding only `CNAME` and a `.git/` checkout is accepted (nothing in it is
    lost), and both are kept; docs/publishing.md says so."""
    out = tmp_path / "gh-pages"
    (out / ".git").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (out / "CNAME").write_text("strategy.example.org\n", encoding="utf-8")
    assert run("build", str(plan), "-o", str(out), "--today", TODAY).exit_code == 0
    assert (out / "CNAME").read_text(encoding="utf-8") == "strategy.example.org\n"
    assert (out / ".git" / "HEAD").is_file() and (out / "index.html").is_file()
    assert "CNAME" in (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")


def test_concurrent_builds_into_one_output_all_succeed_and_leave_a_whole_site(tmp_path: Path) -> None:
    """Builds racing into the same OUTPUT take turns at the swap: none fails (so none says "as it was" while
    another changed it), OUTPUT is always one build's whole site, and nothing is left beside it."""
    out = tmp_path / "site"
    failures: list[BaseException] = []

    def builds(writer: int) -> None:
        for turn in range(15):
            mark = f"{writer}-{turn}".encode()
            try:
                write_site(out, {"index.html": mark, "objectives/a.html": mark})
            except BaseException as exc:  # reported below
                failures.append(exc)

    threads = [threading.Thread(target=builds, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    site = snapshot(out)
    assert site["index.html"] == site["objectives/a.html"] and ".strategy-site" in site
    assert leftovers(tmp_path) == []


def test_a_build_that_fails_while_another_replaced_the_site_does_not_say_as_it_was(
        built: tuple[Path, dict[str, bytes]], plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When a build fails after another build, run meanwhile, put its site in OUTPUT, its last line says so
    instead of claiming that OUTPUT "is as it was"; a failure with nothing else going on still says it."""
    import generator.build as build_module

    out, _before = built

    def another_build_swaps_then_this_one_fails(*args: object, **kwargs: object) -> object:
        write_site(out, {"index.html": b"the other build's site"})
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "site_files", another_build_swaps_then_this_one_fails)
    result = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert result.exit_code == 1
    assert "rien n'est écrit par ce build" in result.output
    assert f"{out} a été remplacé entre-temps par un autre build." in result.output
    assert "tel qu'il était" not in result.output

    def this_one_fails(*args: object, **kwargs: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "site_files", this_one_fails)
    result = run("build", str(plan), "-o", str(out), "--today", TODAY)
    assert result.exit_code == 1 and f"{out} est tel qu'il était." in result.output

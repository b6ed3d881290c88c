"""Shared fixtures: a plan written into a temporary folder from a dict of file texts."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from generator.pipeline import Checked, check
from generator.plan.diagnostics import Diagnostic
from generator.read.source import DirectorySource
from tests.test_gitsource import GitRepo

# CI (CI=true) runs hypothesis derandomized, with no example database: the same examples on every run,
# so that a red build can be reproduced. HYPOTHESIS_PROFILE=ci does the same locally.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("HYPOTHESIS_PROFILE") == "ci" or os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content"

MINIMAL_SETTINGS = """\
title: Plan de test
language: fr
period:
  start: 2026-01-01
  end: 2026-12-31
"""


@pytest.fixture(autouse=True)
def _no_kept_versions(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's `--all-versions` builds start with no version kept by an earlier build (of another test, or
    of the user's own plans), and its commands with no parse cache or rendered page kept on disk: they keep
    theirs in a folder of their own (the store's `versions`, `parsed` and `pages` partitions, cache/store.py)."""
    from generator.cache import store

    folder = tmp_path_factory.mktemp("kept-versions")
    monkeypatch.setattr(store.VERSIONS, "root", folder)
    monkeypatch.setattr(store.PARSED_FILES, "root", folder / "parsed")
    monkeypatch.setattr(store.RENDERED_PAGES, "root", folder / "pages")  # a page rendered by this test's code
    return folder


def cli_build(plan: Path, out: Path, today: str) -> Path:
    """`strategy build PLAN -o OUT --today TODAY` as a user runs it (the command's own words and exit code), the
    test failing with its output when it does not build."""
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(main, ["build", str(plan), "-o", str(out), "--today", today], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def make_plan(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write `files` (relative path → text) into tmp_path/plan, with a default strategy.yaml."""

    def make(files: dict[str, str], *, settings: str | None = MINIMAL_SETTINGS) -> Path:
        plan = tmp_path / "plan"
        plan.mkdir(exist_ok=True)
        if settings is not None and "strategy.yaml" not in files:
            (plan / "strategy.yaml").write_text(settings, encoding="utf-8")
        for rel, text in files.items():
            path = plan / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return plan

    return make


TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def check_plan(make_plan: Callable[..., Path], tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> Callable[..., Checked]:
    """Write a plan like `make_plan`, then run `strategy check` on it from tmp_path, so that files
    are shown to the user as `plan/objectives/x.md`, as the command line would show them."""

    def run(files: dict[str, str], *, settings: str | None = MINIMAL_SETTINGS, today: dt.date = TODAY) -> Checked:
        folder = make_plan(files, settings=settings)
        monkeypatch.chdir(tmp_path)
        return check(DirectorySource(Path(folder.name)), today)

    return run


def codes(checked: Checked, severity: str | None = None) -> list[str]:
    """The codes of a check's diagnostics, in report order (optionally of one severity)."""
    return [d.code for d in checked.diagnostics.sorted() if severity in (None, d.severity)]


def only(checked: Checked, code: str) -> Diagnostic:
    """The single diagnostic with `code`; fails with the whole report when there is not exactly one."""
    found = [d for d in checked.diagnostics if d.code == code]
    assert len(found) == 1, f"expected one `{code}`, got:\n" + "\n".join(map(str, checked.diagnostics.sorted()))
    return found[0]


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """A new git repository (tests/test_gitsource.py's GitRepo); a test module may define its own."""
    return GitRepo(tmp_path / "repo")

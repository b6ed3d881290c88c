"""`strategy init` that publishes (issue 14, item 4): a git repository on branch main, steps and a README that
reach a published site (tags included), and `strategy check` that finds the plan from inside its folder."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

EPOCH = "1795392000"  # 2026-11-23


def _init(target: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["init", str(target), *args], env={"SOURCE_DATE_EPOCH": EPOCH})
    return result.exit_code, result.output


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True).stdout.strip()


def test_init_makes_a_git_repository_on_main(tmp_path: Path) -> None:
    """The new folder is a git repository whose branch is `main` (the publish workflow's), whatever git's own
    default, and the first commit lands on main."""
    code, output = _init(tmp_path / "plan")
    assert code == 0, output
    assert "Made it a git repository, on branch main." in output
    assert _git(tmp_path / "plan", "symbolic-ref", "HEAD") == "refs/heads/main"
    assert (tmp_path / "plan" / ".gitignore").is_file()


def test_init_inside_a_repository_leaves_it_alone(tmp_path: Path) -> None:
    """In a folder of an existing repository, init makes no repository of its own."""
    _git(tmp_path, "init", "-q", "-b", "trunk")
    code, output = _init(tmp_path / "strategy", "--lang", "fr")
    assert code == 0, output
    assert "Le dossier est déjà dans un dépôt git : il est laissé tel quel." in output
    assert not (tmp_path / "strategy" / ".git").exists()


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["git push -u origin main", "Settings → Pages → Source: GitHub Actions",
            "Settings → Environments → github-pages → Deployment branches and tags: add the rule `v*`",
            "git tag v1.0 && git push --tags"]),
    ("fr", ["Ensuite :", "git push -u origin main", "Settings → Pages → Source : GitHub Actions",
            "Deployment branches and tags : ajoutez la règle «\u00a0v*\u00a0»", "publie la version v1.0"]),
])
def test_the_printed_steps_lead_to_a_published_site(tmp_path: Path, lang: str, words: list[str]) -> None:
    """The steps init prints, in the plan's language, go from commit to push, the Pages source, and the
    environment rule that lets tags deploy; no bare `git init` (which makes `master` on many machines)."""
    code, output = _init(tmp_path / "plan", "--lang", lang)
    assert code == 0, output
    for expected in words:
        assert expected in output, expected
    assert "git init" not in output


@pytest.mark.parametrize(("lang", "rule"), [
    ("en", "**Settings → Environments → github-pages → Deployment\n   branches and tags"),
    ("fr", "**Settings → Environments → github-pages →\n   Deployment branches and tags"),
])
def test_the_readme_names_the_tag_rule_of_the_pages_environment(tmp_path: Path, lang: str, rule: str) -> None:
    """The new repository's README says how to push to main and how to let tags `v*` deploy."""
    _init(tmp_path / "plan", "--lang", lang)
    readme = (tmp_path / "plan" / "README.md").read_text(encoding="utf-8")
    assert rule in readme and "`v*`" in readme and "git push -u origin main" in readme


def test_check_without_argument_finds_the_plan_it_runs_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`strategy check` with no argument, run in the plan folder or one of its folders, checks that plan; at
    the repository's root it checks ./content."""
    _init(tmp_path / "plan")
    for where in ("plan/content", "plan/content/objectives", "plan"):
        monkeypatch.chdir(tmp_path / where)
        result = CliRunner().invoke(main, ["check", "--today", "2026-11-23"])
        assert result.exit_code == 0, (where, result.output)
        assert "0 errors, 0 warnings" in result.output

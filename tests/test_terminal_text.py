"""Plan text printed to a terminal or a CI log (issue 18): a file name or a title cannot send ESC or BEL
to the terminal, nor start a GitHub workflow command (`::error …`) on a line of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.plan.terminal_text import terminal_safe
from tests.test_gitsource import GitRepo, base_plan

SETTINGS = "title: P\nperiod: {start: 2026-01-01, end: 2026-12-31}\n"


def _hostile_plan(root: Path) -> Path:
    plan = root / "plan"
    (plan / "pages").mkdir(parents=True)
    (plan / "strategy.yaml").write_text(SETTINGS, encoding="utf-8")
    (plan / "pages" / "x\n::error file=a.md::pwned.md").write_text("---\ntitle: T\n---\n", encoding="utf-8")
    # YAML's own escapes make an ESC (\e) and a BEL (\a) in a key the message quotes
    (plan / "pages" / "b.md").write_text('---\ntitle: T\n"\\e[2J\\a": 1\n---\n', encoding="utf-8")
    return plan


def _command_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.lstrip().startswith("::")]


def test_check_text_escapes_control_characters_and_workflow_commands(tmp_path: Path) -> None:
    """`strategy check` prints the file name `x⏎::error …` on one line as `x\\n:\\:error …`, and a quoted
    key holding ESC and BEL as `\\x1b[2J\\x07`: no line of the output is a workflow command, no ESC or BEL."""
    plan = _hostile_plan(tmp_path)
    result = CliRunner().invoke(main, ["check", str(plan)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert _command_lines(result.output) == []
    assert "pages/x\\n:\\:error file=a.md:\\:pwned.md" in result.output
    assert "\\x1b[2J\\x07" in result.output


def test_check_github_format_keeps_each_annotation_on_its_line(tmp_path: Path) -> None:
    """In `--format github` every line is one of our annotations: the file name's newline and colons are
    percent-encoded in its property, ESC and BEL escaped in the message."""
    plan = _hostile_plan(tmp_path)
    result = CliRunner().invoke(main, ["check", str(plan), "--format", "github"])
    lines = [line for line in result.stdout.splitlines() if line]
    assert len(lines) == 2 and all(line.startswith("::error file=") for line in lines)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "x%0A%3A%3Aerror file=a.md%3A%3Apwned.md" in result.stdout


def test_diff_text_escapes_a_title(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`strategy diff` prints an objective's title as written, but its ESC sequence and its `::` escaped."""
    repo = GitRepo(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    repo.commit(base_plan(), tag="v1")
    plan = base_plan()
    plan["objectives/growth.md"] = plan["objectives/growth.md"].replace(
        "title: Grow", 'title: "\\e]0;owned\\a::warning::Grow"', 1)
    repo.commit(plan, tag="v2")
    result = CliRunner().invoke(main, ["diff", "v1", "v2", "--today", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b]0;owned\\x07:\\:warning:\\:Grow" in result.stdout


def test_terminal_safe_leaves_ordinary_text_alone() -> None:
    """Accents, typographic quotes, arrows and single colons are printed as they are."""
    text = "Croissance « CA » : 5 → 8 clients, 10:30"
    assert terminal_safe(text) == text
    assert terminal_safe("a\u202eb\u2028c") == "a\\u202eb\\u2028c"


def test_a_hint_example_keeps_its_lines_and_the_plans_text_stays_escaped(tmp_path: Path) -> None:
    """A plan without strategy.yaml is told what to write on lines of their own (`title: …`, `period:`,
    indented), not as one line with `\\n` in it; a hint quoting a file name with a newline still shows it
    escaped, on the hint's line."""
    plan = tmp_path / "plan"
    (plan / "pages").mkdir(parents=True)
    (plan / "pages" / "a.md").write_text("---\ntitle: T\n---\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(plan)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    hint = next(i for i, line in enumerate(lines) if "create strategy.yaml with at least:" in line)
    assert [line.strip() for line in lines[hint + 1:hint + 5]] == [
        "title: …", "period:", "start: 2026-01-01", "end: 2026-12-31"]
    assert "\\n" not in lines[hint]

    hostile = _hostile_plan(tmp_path / "h")
    (hostile / "objectives").mkdir()
    (hostile / "objectives" / "o.md").write_text("---\ntitle: T\nkpis: 3\n---\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(hostile)])
    assert _command_lines(result.output) == [] and "\x1b" not in result.output


def test_a_folder_above_the_plan_gets_one_error_naming_the_plans_folder(tmp_path: Path) -> None:
    """`strategy build .` at the root of a repository made by `strategy init` (the plan in content/) says
    once where the plan is and what to run, in the plan's language, instead of a missing strategy.yaml and a
    warning for each file of the repository."""
    repo = tmp_path / "repo"
    (repo / "content").mkdir(parents=True)
    (repo / "README.md").write_text("# Notre stratégie\n", encoding="utf-8")
    (repo / "content" / "strategy.yaml").write_text("language: fr\n" + SETTINGS, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(repo), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "pas de plan ici : le plan est dans le dossier `content/`" in result.output
    assert "`strategy build content`" in result.output
    assert "1 erreur, 0 avertissement" in result.output
    assert not (tmp_path / "out").exists()

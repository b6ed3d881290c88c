"""Every word in the plan's language: what `check`, `build` and `serve` say, and the small things a careful
reader saw (issue 14, items 1 and 7). Codes stay English whatever the language."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.plan.i18n import Formatter

from .conftest import EXAMPLE, MINIMAL_SETTINGS, only

EN_SETTINGS = MINIMAL_SETTINGS.replace("language: fr", "language: en")
WRONG = {"objectives/croissance.md": """\
    ---
    title: Croissance
    due: 2026-12-1
    kpis:
      - id: ca
        title: Chiffre d'affaires
        target: beaucoup
    ---
    """}


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env={"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def test_a_french_plan_gets_french_from_check(make_plan, tmp_path, monkeypatch):
    """Text, json and github outputs of a French plan are French: messages, hints, labels and the summary with
    Babel's plurals; the codes stay English."""
    make_plan(WRONG)
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run("check", "plan", "--today", "2026-11-23")
    assert code == 1
    assert "erreur  `target` ne peut pas être «\u00a0beaucoup\u00a0»  [type]" in out
    assert "conseil : écrivez un nombre simple, par ex. target: 1250" in out
    assert out.splitlines()[-1] == "2 erreurs, 0 avertissement"
    payload = json.loads(_run("check", "plan", "--format", "json")[1])
    assert {d["code"] for d in payload["diagnostics"]} == {"type", "bad-date"}
    assert all(" ne " in d["message"] or " est " in d["message"] for d in payload["diagnostics"])
    _, github, summary = _run("check", "plan", "--format", "github")
    assert "title=type::`target` ne peut pas être" in github
    assert summary.strip() == "strategy check : 2 erreurs, 0 avertissement"


def test_an_english_plan_gets_english_from_check(make_plan, tmp_path, monkeypatch):
    """The same mistakes in a plan whose language is en are said in English, whatever the locale."""
    make_plan(WRONG, settings=EN_SETTINGS)
    monkeypatch.chdir(tmp_path)
    _, out, _ = _run("check", "plan", env={"LANG": "fr_FR.UTF-8"})
    assert "error  `target` cannot be \"beaucoup\"  [type]" in out
    assert "hint: write a plain number" in out
    assert out.splitlines()[-1] == "2 errors, 0 warnings"


def test_without_a_readable_plan_the_language_is_lang_then_the_locale(make_plan, tmp_path, monkeypatch):
    """A plan without strategy.yaml has no language: --lang says it, else the locale, else English."""
    make_plan({"objectives/a.md": "---\ntitle: A\n---\n"}, settings=None)
    monkeypatch.chdir(tmp_path)
    assert "le plan n'a pas de strategy.yaml" in _run("check", "plan", "--lang", "fr")[1]
    assert "le plan n'a pas de strategy.yaml" in _run("check", "plan", env={"LANG": "fr_FR.UTF-8"})[1]
    assert "the plan has no strategy.yaml" in _run("check", "plan")[1]


def test_a_broken_strategy_yaml_still_speaks_its_language(make_plan, tmp_path, monkeypatch):
    """strategy.yaml with a mistake is still read for its `language:` line, so its errors are French."""
    make_plan({}, settings="titel: Plan\nlanguage: fr\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n")
    monkeypatch.chdir(tmp_path)
    out = _run("check", "plan")[1]
    assert "`titel` n'est pas une clé connue dans strategy.yaml" in out
    assert "vouliez-vous dire `title` ?" in out


def test_build_says_why_nothing_was_written_in_the_plans_language(make_plan, tmp_path, monkeypatch):
    """A French plan with errors: `strategy build` says "rien n'est écrit (le plan a des erreurs)"."""
    make_plan(WRONG)
    monkeypatch.chdir(tmp_path)
    code, _, err = _run("build", "plan", "-o", "out")
    assert code == 1
    assert "strategy build : rien n'est écrit (le plan a des erreurs) ; out est tel qu'il était." in err


# --- the small things (item 7) ---------------------------------------------------------------------


def test_a_date_hint_says_write_once(check_plan):
    """A `due` that is no date at all gets "write a date as YYYY-MM-DD", never "write write dates"."""
    checked = check_plan({"objectives/a.md": "---\ntitle: A\ndue: bientôt\n---\n"}, settings=EN_SETTINGS)
    diagnostic = only(checked, "type")
    assert diagnostic.hint == "write a date as YYYY-MM-DD, e.g. 2026-12-31"
    assert "write write" not in diagnostic.hint_text("en") and "écrivez écrivez" not in diagnostic.hint_text("fr")


def test_a_real_date_without_its_zeros_is_said_so(check_plan):
    """`due: 2026-12-1` is a real date not written YYYY-MM-DD: the message says so, the hint gives 2026-12-01."""
    checked = check_plan({"objectives/a.md": "---\ntitle: A\ndue: 2026-12-1\n---\n"})
    diagnostic = only(checked, "bad-date")
    assert "is not a real date" not in diagnostic.message
    assert "it is a real date, but a date is written YYYY-MM-DD" in diagnostic.message
    assert diagnostic.hint == "write due: 2026-12-01"
    assert diagnostic.text("fr").startswith("`due` est écrit 2026-12-1 : la date existe")
    impossible = only(check_plan({"objectives/a.md": "---\ntitle: A\ndue: 2026-02-30\n---\n"}), "bad-date")
    assert impossible.message == "`due` is not a real date: 2026-02-30"


@pytest.mark.parametrize(("due", "language", "hint"), [
    ("2026-02-30", "en", "February 2026 has 28 days: write 2026-02-28 or 2026-03-01"),
    ("2026-02-30", "fr", "février 2026 n'a que 28 jours : écrivez 2026-02-28 ou 2026-03-01"),
    ("2026-04-31", "en", "April 2026 has 30 days: write 2026-04-30 or 2026-05-01"),
    ("2026-05-00", "fr", "les jours se comptent à partir de 01 : écrivez 2026-04-30 ou 2026-05-01"),
])
def test_an_impossible_day_is_told_what_is_wrong_and_what_to_write(check_plan, due, language, hint):
    """`due: 2026-02-30` is already written YYYY-MM-DD: the hint says February 2026 has 28 days and names the
    real days on either side, in the plan's language, not "write dates as YYYY-MM-DD"."""
    diagnostic = only(check_plan({"objectives/a.md": f"---\ntitle: A\ndue: {due}\n---\n"}), "bad-date")
    assert diagnostic.hint_text(language) == hint


def test_a_french_colon_in_a_list_item_gets_the_quoting_hint(check_plan):
    """`- Objectif : croissance` in a persona's list reads as a mapping in YAML: the message names the " : "
    and the hint shows the item in quotes, instead of "cannot be a mapping"."""
    checked = check_plan({"personas/anne.md": "---\nname: Anne\ngoals:\n  - Objectif : croissance\n---\n"})
    diagnostic = only(checked, "type")
    assert (diagnostic.line, diagnostic.column) == (4, 5)
    assert "mapping" not in diagnostic.message
    assert diagnostic.text("fr") == ("cet élément se lit comme `clé: valeur` à cause de son «\u00a0:\u00a0» : "
                                     "Objectif : croissance")
    assert diagnostic.hint_text("fr") == 'mettez tout le texte entre guillemets, par ex. - "Objectif : croissance"'


@pytest.mark.parametrize(("language", "count", "title", "shown"), [
    ("fr", 1, "Clients signés", "client signé"), ("fr", 5, "Clients signés", "clients signés"),
    ("fr", 1, "Rendez-vous", "rendez-vous"), ("en", 1, "Signed clients", "signed client"),
    ("en", 0, "Signed clients", "signed clients"), ("fr", 3, "CRM leads", "CRM leads"),
])
def test_a_stage_after_its_count_agrees_with_it(language, count, title, shown):
    """"1 client signé", not "1 clients"; "5 clients signés", not "5 Clients signés"."""
    assert Formatter(language).unit(count, title) == shown


def test_pages_write_stages_after_numbers_in_lower_case_and_experiences_by_stage_title(tmp_path: Path):
    """The funnels page reads "5 clients signés ← … prospects"; the experiences page names a stage by its title,
    never by its id; the cost per result is per one client."""
    from generator.build import build
    from tests.conftest import EXAMPLE, TODAY

    result = build(EXAMPLE, tmp_path / "site", TODAY, search=False)
    assert result.ok
    funnels = (tmp_path / "site" / "funnels" / "index.html").read_text(encoding="utf-8")
    assert " clients signés ←" in funnels and "Clients signés ←" not in funnels
    experiences = (tmp_path / "site" / "experiences" / "index.html").read_text(encoding="utf-8")
    assert "Tunnel d&#39;acquisition de nouveaux clients / Rendez-vous qualifiés" in experiences
    assert "acquisition / rendez-vous" not in experiences
    acquisition = (tmp_path / "site" / "funnels" / "acquisition.html").read_text(encoding="utf-8")
    assert "<small>(client signé)</small>" in acquisition


def test_a_git_error_is_said_in_the_plan_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`strategy diff` with an unknown revision in a French plan's repository says so in French, with the
    known tags (or how to tag) as the hint."""
    import subprocess

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo / "content")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "plan"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["diff", "nope", "--plan", "content"])
    assert result.exit_code == 2
    assert "strategy diff : révision inconnue `nope`" in result.output
    assert "conseil : ce dépôt n'a pas encore d'étiquette" in result.output


def test_an_acronym_opening_a_title_keeps_its_capitals_after_a_count() -> None:
    """A stage "A/B tests" reads "1 A/B test" and "3 A/B tests" in a sentence, not "1 a/B test"; a plain
    title still reads as a common noun ("2 prospects")."""
    from generator.plan.i18n import Formatter

    fmt = Formatter("en", "USD")
    assert fmt.unit(1, "A/B tests") == "A/B test"
    assert fmt.unit(3, "A/B tests") == "A/B tests"
    assert fmt.unit(2, "Prospects") == "prospects"


@pytest.mark.parametrize(("title", "shown"), [("X", "X"), ("X leads", "X leads"), ("Plan B", "plan B"),
                                              ("A better site", "a better site"), ("À la une", "à la une")])
def test_a_one_letter_name_opening_a_title_keeps_its_capital(title: str, shown: str) -> None:
    """A stage or a field titled "X" reads "X" inside a sentence ("3 X"), not "x"; the one-letter words "A" and
    « À » still read as words ("a better site", « à la une »)."""
    from generator.plan.i18n import common_noun

    assert common_noun(title) == shown

"""The last English a French reader got (issue 14): a theme's template error, pagefind failing, the PDF engine
missing or failing. Each is said in the plan's language, with its file and line where it has one, and what to
do; never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator.site.search
from generator.cli import main

from .conftest import MINIMAL_SETTINGS

EN_SETTINGS = MINIMAL_SETTINGS.replace("language: fr", "language: en")
SETTINGS = {"fr": MINIMAL_SETTINGS, "en": EN_SETTINGS}
PLAN = {  # a plan without a warning: a template's failure is then its one diagnostic
    "objectives/croissance.md": "---\ntitle: Croissance\ndue: 2026-12-31\nkpis:\n"
                                "  - {id: clients, title: Clients, baseline: 0, target: 5, measure: cumulative}\n"
                                "---\nGrandir.\n",
    "data/clients.csv": "date,value\n2026-10,2\n2026-11,1\n",
}


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"LC_ALL": "", "LC_MESSAGES": "", "LANG": ""})
    return result.exit_code, result.output


def _themed(make_plan, tmp_path: Path, language: str, files: dict[str, str]) -> Path:  # type: ignore[no-untyped-def]
    """A plan in `language` with `theme: broken`, whose theme holds `files`."""
    plan = make_plan(PLAN, settings=SETTINGS[language] + "theme: broken\n")
    for rel, text in files.items():
        path = tmp_path / "themes" / "broken" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return plan


UNCLOSED_IF = "<!doctype html>\n<title>x</title>\n{% if page %}\n<p>hello</p>\n"


@pytest.mark.parametrize(("language", "said", "hint", "last"), [
    ("fr", "erreur  le bloc `{% if %}` n'est jamais fermé : le modèle se termine avant son `{% endif %}`",
     "conseil : écrivez `{% endif %}` là où le bloc se termine",
     "strategy build : rien n'est écrit (themes/broken/templates/base.html:4 : le bloc `{% if %}`"),
    ("en", "error  the `{% if %}` block is never closed: the template ends before its `{% endif %}`",
     "hint: write `{% endif %}` where the block ends",
     "strategy build: nothing written (themes/broken/templates/base.html:4: the `{% if %}` block"),
])
def test_an_unclosed_if_in_a_theme_is_said_in_the_plans_language(make_plan, tmp_path, monkeypatch,  # type: ignore[no-untyped-def]
                                                                  language, said, hint, last):
    """`{% if %}` never closed in a theme's template: the build names the template and its line, says what is
    wrong and what to write, in the plan's language, and writes nothing."""
    _themed(make_plan, tmp_path, language, {"templates/base.html": UNCLOSED_IF})
    monkeypatch.chdir(tmp_path)
    code, out = _run("build", "plan", "-o", "site", "--today", "2026-11-23")
    assert code == 1
    assert f"themes/broken/templates/base.html\n  4:1  {said}  [build-failed]" in out
    assert hint in out
    assert out.splitlines()[-1].startswith(last)
    assert "Traceback" not in out and "Jinja was looking for" not in out
    assert not (tmp_path / "site").exists()


MISSING_INCLUDE = "<!doctype html>\n<title>x</title>\n{% include \"manquant.html\" %}\n"
OUTSIDE_INCLUDE = "<!doctype html>\n<title>x</title>\n{% include \"../../../../../../etc/passwd\" %}\n"


@pytest.mark.parametrize(("language", "said", "hint"), [
    ("fr", "erreur  ce modèle demande le modèle `manquant.html`, qui n'est pas dans themes/broken/templates/",
     "conseil : créez themes/broken/templates/manquant.html, ou corrigez le nom : un modèle ne peut utiliser que "
     "les modèles de son thème"),
    ("en", "error  this template asks for the template `manquant.html`, which is not in themes/broken/templates/",
     "hint: create themes/broken/templates/manquant.html, or correct the name: a template can use only the "
     "templates of its theme"),
])
def test_an_include_of_a_missing_template_names_the_file_to_create(make_plan, tmp_path, monkeypatch,  # type: ignore[no-untyped-def]
                                                                   language, said, hint):
    """`{% include "manquant.html" %}` in a theme's template, the theme lacking it: one error at the including
    template's line, naming the template asked for and the file to create, in the plan's language; not "could
    not write the site", no Jinja English, nothing written. Shown even when the plan has warnings."""
    plan = _themed(make_plan, tmp_path, language, {"templates/base.html": MISSING_INCLUDE})
    (plan / "data" / "clients.csv").write_text("date,value\n2026-01,2\n", encoding="utf-8")  # a stale-data warning
    monkeypatch.chdir(tmp_path)
    code, out = _run("build", "plan", "-o", "site", "--today", "2026-11-23")
    assert code == 1
    assert f"themes/broken/templates/base.html\n  3:1  {said}  [build-failed]" in out
    assert hint in out
    assert "[stale-data]" in out
    assert "search paths" not in out
    assert "écrire le site" not in out and "could not write" not in out
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(("language", "said", "hint", "summary"), [
    ("fr", "erreur  ce modèle demande le modèle `manquant.html`, qui n'est pas dans themes/broken/templates/",
     "conseil : créez themes/broken/templates/manquant.html", "1 erreur, 0 avertissement"),
    ("en", "error  this template asks for the template `manquant.html`, which is not in themes/broken/templates/",
     "hint: create themes/broken/templates/manquant.html", "1 error, 0 warnings"),
])
def test_check_finds_the_missing_include_the_build_would_stop_on(make_plan, tmp_path, monkeypatch,  # type: ignore[no-untyped-def]
                                                                 language, said, hint, summary):
    """`strategy check` reports the theme template including a template no theme has, in the build's words,
    at the include's line and column, in the plan's language; not "0 errors" before a build that fails."""
    _themed(make_plan, tmp_path, language, {"templates/base.html": MISSING_INCLUDE,
                                            "templates/encart.html": "<aside>{% include 'macros.html' %}</aside>"})
    monkeypatch.chdir(tmp_path)
    code, out = _run("check", "plan", "--today", "2026-11-23")
    assert code == 1
    assert f"themes/broken/templates/base.html\n  3:13  {said}  [theme-template]" in out
    assert hint in out and out.rstrip().endswith(summary)


def test_check_reads_a_plan_without_a_theme_of_its_own_as_before(make_plan, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A plan on the default theme, or naming a theme with no folder, gets no template error from check."""
    make_plan(PLAN, settings=SETTINGS["en"])
    monkeypatch.chdir(tmp_path)
    code, out = _run("check", "plan", "--today", "2026-11-23")
    assert code == 0 and "[theme-template]" not in out


@pytest.mark.parametrize(("language", "said", "hint"), [
    ("fr", "ce modèle demande `../../../../../../etc/passwd`, hors des modèles du thème : c'est refusé",
     "conseil : placez le fichier dans themes/broken/templates/ et écrivez son nom"),
    ("en", "this template asks for `../../../../../../etc/passwd`, outside the theme's templates: it is refused",
     "hint: put the file in themes/broken/templates/ and write its name"),
])
def test_an_include_outside_the_theme_is_refused_with_what_to_do(make_plan, tmp_path, monkeypatch,  # type: ignore[no-untyped-def]
                                                                 language, said, hint):
    """An include reaching outside the theme (`../../etc/passwd`) is refused with a sentence saying so and what
    to write instead, at the template's line, in the plan's language; nothing written."""
    _themed(make_plan, tmp_path, language, {"templates/base.html": OUTSIDE_INCLUDE})
    monkeypatch.chdir(tmp_path)
    code, out = _run("build", "plan", "-o", "site", "--today", "2026-11-23")
    assert code == 1
    assert "themes/broken/templates/base.html\n  3:1  " in out and said in out and hint in out
    assert "root:" not in out and not (tmp_path / "site").exists()


@pytest.mark.parametrize(("language", "said"), [
    ("fr", "`{% endfor %}` ne ferme pas le bloc `{% if %}` ouvert"),
    ("en", "`{% endfor %}` does not close the open `{% if %}` block"),
])
def test_a_wrong_end_tag_in_the_packs_template_is_said_in_the_plans_language(make_plan, tmp_path, monkeypatch,  # type: ignore[no-untyped-def]
                                                                             language, said):
    """`strategy pack` with a theme whose pack/ template closes a block with the wrong end tag: the template,
    its line and the slip in the plan's language, exit 1, no PDF, no traceback."""
    _themed(make_plan, tmp_path, language, {"pack/pack.html": "<p>\n{% if p %}x{% endfor %}\n</p>\n"})
    monkeypatch.chdir(tmp_path)
    code, out = _run("pack", "plan", "-o", "pack.pdf", "--today", "2026-11-23")
    assert code == 1
    assert "themes/broken/pack/pack.html\n  2:1  " in out and said in out
    assert "Traceback" not in out
    assert not (tmp_path / "pack.pdf").exists()


FAILING_PAGEFIND = "import sys; sys.stderr.write('Error: Pagefind could not write the index\\n'); sys.exit(1)"


@pytest.mark.parametrize(("language", "failing", "missing"), [
    ("fr", "rien n'est écrit (pagefind n'a pas pu indexer le site pour la recherche : "
           "Error: Pagefind could not write the index)",
     "rien n'est écrit (impossible de lancer pagefind pour l'index de recherche : "),
    ("en", "nothing written (pagefind could not index the site for search: "
           "Error: Pagefind could not write the index)",
     "nothing written (could not run pagefind for the search index: "),
])
def test_a_failing_or_missing_pagefind_is_said_in_the_plans_language(make_plan, tmp_path, monkeypatch,  # type: ignore[no-untyped-def]
                                                                    language, failing, missing):
    """pagefind exiting with an error, or its binary not there: the build says why in the plan's language."""
    make_plan(PLAN, settings=SETTINGS[language])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(generator.site.search, "PAGEFIND", [sys.executable, "-c", FAILING_PAGEFIND])
    code, out = _run("build", "plan", "-o", "site", "--today", "2026-11-23")
    assert code == 1 and failing in out and "Traceback" not in out
    monkeypatch.setattr(generator.site.search, "PAGEFIND", [str(tmp_path / "no-such-pagefind")])
    code, out = _run("build", "plan", "-o", "site", "--today", "2026-11-23")
    assert code == 1 and missing in out and "Traceback" not in out


class _FailingHTML:
    """WeasyPrint's HTML, as when it chokes on a document."""

    def __init__(self, **_: object) -> None:
        pass

    def render(self) -> None:
        raise ValueError("unsupported font")


@pytest.mark.parametrize(("language", "missing", "failing"), [
    ("fr", ["strategy pack : WeasyPrint n'est pas installé",
            "  conseil : réinstallez strategy-site (pip install strategy-site), qui l'installe"],
     ["strategy pack : WeasyPrint n'a pas pu faire le PDF (ValueError: unsupported font)",
      "  conseil : vérifiez le modèle pack/ du thème et sa CSS, ou essayez le thème par défaut ; "
      "si l'échec persiste, signalez-le avec le plan"]),
    ("en", ["strategy pack: WeasyPrint is not installed",
            "  hint: reinstall strategy-site (pip install strategy-site), which installs it"],
     ["strategy pack: WeasyPrint could not make the PDF (ValueError: unsupported font)",
      "  hint: check the theme's pack/ template and its CSS, or try the default theme; if it still fails, "
      "report it with the plan"]),
])
def test_the_pdf_engine_missing_or_failing_is_said_in_the_plans_language(make_plan, tmp_path, monkeypatch,  # type: ignore[no-untyped-def]
                                                                        language, missing, failing):
    """`strategy pack` without WeasyPrint, or with WeasyPrint failing on the document: what happened and what
    to do, in the plan's language, exit 1, no PDF and no traceback."""
    make_plan(PLAN, settings=SETTINGS[language])
    monkeypatch.chdir(tmp_path)
    weasyprint = pytest.importorskip("weasyprint")
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as when it is not installed: its import fails
    code, out = _run("pack", "plan", "-o", "pack.pdf", "--today", "2026-11-23")
    assert code == 1 and out.splitlines()[-2:] == missing
    monkeypatch.setitem(sys.modules, "weasyprint", weasyprint)
    monkeypatch.setattr(weasyprint, "HTML", _FailingHTML)
    code, out = _run("pack", "plan", "-o", "pack.pdf", "--today", "2026-11-23")
    assert code == 1 and out.splitlines()[-2:] == failing
    assert not (tmp_path / "pack.pdf").exists()


@pytest.mark.parametrize(("language", "said"), [
    ("fr", "avertissement  il n'y a pas de dossier de thème themes/nope/ à côté du dossier du plan  [unknown-theme]"),
    ("en", "warning  there is no theme folder themes/nope/ beside the plan folder  [unknown-theme]"),
])
def test_a_theme_that_is_not_there_is_said_in_the_plans_language(make_plan, tmp_path, monkeypatch,  # type: ignore[no-untyped-def]
                                                                 language, said):
    """`theme: nope` with no themes/nope/ folder: the build warns in the plan's language and uses the default."""
    make_plan(PLAN, settings=SETTINGS[language] + "theme: nope\n")
    monkeypatch.chdir(tmp_path)
    code, out = _run("build", "plan", "-o", "site", "--today", "2026-11-23")
    assert code == 0 and said in out


@pytest.mark.parametrize(("language", "said", "hint"), [
    ("fr", "fichiers existent déjà, donc rien n'est écrit :",
     "  conseil : choisissez un dossier nouveau ou vide, par ex. strategy init mon-plan"),
    ("en", "files already exist, so nothing was written:",
     "  hint: choose a new or empty folder, e.g. strategy init my-plan"),
])
def test_init_refusing_to_overwrite_speaks_the_chosen_language(tmp_path, monkeypatch, language, said, hint):  # type: ignore[no-untyped-def]
    """`strategy init --lang fr` into a folder that has the plan's files already says so in French."""
    monkeypatch.chdir(tmp_path)
    assert _run("init", "mine", "--lang", language)[0] == 0
    code, out = _run("init", "mine", "--lang", language)
    assert code == 1
    assert said in out.splitlines()[0] and out.splitlines()[-1] == hint

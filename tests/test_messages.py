"""The tool's sentences: one table per language, every key in both, the same values filled in."""

from __future__ import annotations

import re

import pytest
from babel import Locale

from generator.plan.i18n import Formatter
from generator.plan.message_tables import AREAS
from generator.plan.messages import MESSAGES, locale_language, msg, placeholders, reader_language, render, say
from generator.site.ui_text import ui


def test_every_key_is_in_both_languages():
    """A French reader never meets an English sentence a key forgot, nor an English one a French sentence."""
    assert sorted(set(MESSAGES["en"]) ^ set(MESSAGES["fr"])) == []


@pytest.mark.parametrize("key", sorted(MESSAGES["en"]))
def test_both_languages_fill_in_the_same_values(key):
    """A value said in English (an id, a count, a date) is said in French too, and nothing else is asked for."""
    assert placeholders(MESSAGES["en"][key]) == placeholders(MESSAGES["fr"][key])


def test_plural_forms_follow_babel():
    """"1 erreur, 2 avertissements", "0 erreur" in French; "0 errors, 1 warning" in English."""
    def summary(language, errors, warnings):
        return render(language, "summary", errors=msg("errors", count=errors), warnings=msg("warnings", count=warnings))

    assert summary("fr", 1, 2) == "1 erreur, 2 avertissements"
    assert summary("fr", 0, 0) == "0 erreur, 0 avertissement"
    assert summary("en", 0, 1) == "0 errors, 1 warning"


def test_without_a_plan_the_language_is_the_option_then_the_locale():
    """--lang first, then LC_ALL / LC_MESSAGES / LANG, then English; a plan's own language wins over all."""
    assert locale_language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert locale_language({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}) is None
    assert locale_language({"LANG": "de_DE.UTF-8"}) is None
    assert reader_language("en", "fr") == "en"
    assert reader_language(None, "fr") == "fr"


@pytest.mark.parametrize("language", sorted(AREAS))
def test_a_key_is_written_once_for_its_area(language):
    """A word is looked up in one place: no area's table (checks, site, data, commands) redefines another's key,
    which would show one sentence where the other was meant."""
    areas = AREAS[language]
    assert sum(len(area) for area in areas) == len(MESSAGES[language])


@pytest.mark.parametrize("language", sorted(MESSAGES))
def test_plural_forms_are_the_languages_own(language):
    """A count is said with a form Babel's rules choose for the language ("0 jour de retard", "0 days late"):
    every plural table has "other" and only forms the language has."""
    babel_forms = Locale.parse({"fr": "fr_FR"}.get(language, "en_GB")).plural_form.tags | {"other"}
    wrong = {key: sorted(template) for key, template in MESSAGES[language].items()
             if isinstance(template, dict) and ("other" not in template or set(template) - babel_forms)}
    assert wrong == {}


def test_the_commands_and_the_site_say_their_words_in_the_plans_language():
    """The tables that lived apart (site, explanations, data files, sources, refresh, funnel, diff, pack, init,
    workflows) are in the one table: a French reader gets French from each, an English reader English."""
    assert ui("fr", "late_actions") == "Actions en retard ou à échéance proche"
    assert ui("en", "late_actions") == "Actions late or due soon"
    assert ui("fr", "not-a-word") == "not-a-word"  # a theme's typo shows as itself
    assert render("fr", "pack.late_by", count=0) == "0 jour de retard"
    assert render("en", "pack.late_by", count=0) == "0 days late"
    assert say("fr", "data.empty-file") == ("ce fichier CSV est vide",
                                            "commencez-le par une ligne d'en-tête, par ex. date,value")
    assert say("en", "source.none-yet") == ("", "none yet")
    assert render("fr", "funnel.header.stage") == "étape"
    assert Formatter("fr").label("at-risk") == "à risque"
    assert Formatter("en").label("made-up") == "made-up"



# formats, not sentences: how a quarter, a tooltip's separator and a language's default locale are written
# and the grammar of a counted title (plan/singular.py): words, not sentences a reader is told
FORMAT_TABLES = {"_QUARTER_FORMATS", "TIP_SEPARATOR", "DEFAULT_LOCALES", "_COMPLEMENT_OPENERS", "_SINGULAR_ALREADY",
                 "_PLURAL_ALREADY"}


def test_no_words_are_kept_outside_the_one_table():
    """A sentence added anywhere but plan/messages_*.py would escape the key test above, and a reader could get it
    in one language only: no module of generator/ keeps a table keyed by "fr" and "en" except the message tables
    (and a few formats, named in FORMAT_TABLES)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "generator"
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.parent.name == "plan" and path.name.startswith(("messages", "message_tables")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        formats = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                   and any(isinstance(t, ast.Name) and t.id in FORMAT_TABLES for t in node.targets)}
        for node in ast.walk(tree):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)} if isinstance(node, ast.Dict) else set()
            if {"fr", "en"} <= keys and id(node) not in formats:
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []


def _daily_csv(days: int, again: int) -> bytes:
    """`days` daily measurements from 2020-01-01 (line 2 on), then the one of line `again` once more."""
    import datetime as dt

    dates = [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(days)]
    lines = ["date,value", *(f"{d.isoformat()},{i}" for i, d in enumerate(dates)), f"{dates[again - 2]},7"]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(("settings", "cells", "line"), [
    ("fr", "la feuille `Ventes` contient plus de 5\u202f000 cellules", "(aussi ligne 1234)"),
    ("en", "the sheet `Ventes` holds more than 5,000 cells", "(also on line 1234)"),
])
def test_a_count_in_a_message_is_grouped_as_the_pages_group_it(tmp_path, monkeypatch, settings, cells, line):
    """A count of four digits reads « 5 000 » in French and "5,000" in English, as the pages write numbers;
    a line number stays as an editor shows it (« ligne 1234 »)."""
    from generator.read import xlsx_bounds
    from tests.test_exports import EN_SETTINGS, MINIMAL_SETTINGS, _workbook, run

    plan_settings = EN_SETTINGS if settings == "en" else MINIMAL_SETTINGS
    monkeypatch.setattr(xlsx_bounds, "MAX_SHEET_CELLS", 5000)
    book = _workbook({"Ventes": [["Date", "value"], *([[1, 2]] * 2600)]})
    checked = run(tmp_path / "book", monkeypatch, book, name="data/ventes.xlsx", extra="    data: data/ventes.xlsx\n",
                  settings=plan_settings)
    assert [d.message[:len(cells) + 1] for d in checked.diagnostics if d.code == "xlsx"] == [cells + ","]
    assert Formatter(settings).number(5000, 0) in cells
    checked = run(tmp_path / "csv", monkeypatch, _daily_csv(1300, 1234), settings=plan_settings)
    twice = [d.message for d in checked.diagnostics if line in d.message]
    assert len(twice) == 1, [d.message for d in checked.diagnostics]


def test_french_guillemets_hold_no_break_spaces():
    """A French title quoted in a sentence (« Clients signés ») never has its « left at the end of a line or its »
    sent to the next one on a phone: every « … » the tool writes, on pages, in the terminal, the diff and the pack,
    has a no-break space inside each guillemet."""
    forms = [form for template in MESSAGES["fr"].values()
             for form in (template.values() if isinstance(template, dict) else [template])]
    quoting = [form for form in forms if "«" in form]
    assert len(quoting) > 30
    assert [form for form in quoting if "« " in form or " »" in form] == []
    said = render("fr", "diff.phrase.added.kpi", title="Leads qualifiés")
    assert said == "indicateur «\u00a0Leads qualifiés\u00a0» ajouté"
    assert render("en", "diff.phrase.added.kpi", title="Qualified leads") == "KPI “Qualified leads” added"


def test_french_sentences_say_indicateur_not_kpi() -> None:
    """The French site calls a KPI « indicateur » (its pages, its notes, `strategy check`): no French sentence
    says "KPI", such as the dashboard note « … de chaque KPI »."""
    said_kpi = [key for key, template in MESSAGES["fr"].items()
                for form in (template.values() if isinstance(template, dict) else [template])
                if re.search(r"\bKPIs?\b", form)]
    assert said_kpi == []

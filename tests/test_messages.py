"""The tool's sentences: one table per language, every key in both, the same values filled in."""

from __future__ import annotations

import pytest

from generator.plan.messages import MESSAGES, locale_language, msg, placeholders, reader_language, render


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

"""The sentence under a KPI's status says what a board should read from it: "above" the expected value for
a KPI that should go down, and, once the latest measurement is stale, that it is old and compared with what
is expected by today, with where it stood against its path when it was measured."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.plan.compute import compute_kpi
from generator.plan.i18n import Formatter
from generator.site.explain import status_rule
from tests.test_funnel_to_date import page_text
from tests.test_kpi_status import HALF, d, kpi, make_plan

# churn going down from 6.5 % to 4.5 %: 5.6 % at the end of June is behind the 5.5 % expected, at risk
CHURN_BEHIND = [("2026-05-31", 5.9), ("2026-06-30", 5.6)]


def sentence(k, points: list[tuple[str, float]], today: dt.date, language: str, unit: str = "%") -> str:  # type: ignore[no-untyped-def]
    k = dataclasses.replace(k, unit=unit)
    state = compute_kpi(k, make_plan([k], {k.id: points}), today, 0.9)
    return status_rule(state, Formatter(language, "USD" if language == "en" else "EUR"), 0.9)


@pytest.mark.parametrize(("language", "words", "wrong"), [
    ("en", "is above the value expected on Jun 30, 2026", "below the value expected"),
    ("fr", "est au-dessus du niveau attendu au 30 juin 2026", "sous le niveau attendu"),
])
def test_a_kpi_going_down_is_above_its_path_not_below(language: str, words: str, wrong: str) -> None:
    """Churn at 5.6 % against 5.5 % expected is worse for being higher: the sentence says "above" / « au-dessus »
    and names the latest measurement it compared."""
    k = kpi(4.5, baseline=6.5, direction="down")
    text = sentence(k, CHURN_BEHIND, d("2026-06-30"), language)
    assert words in text and wrong not in text
    assert "5.6%" in text or "5,6 %" in text.replace("\u202f", " ")


@pytest.mark.parametrize(("language", "words"), [
    ("en", "is below the value expected on Jun 30, 2026"),
    ("fr", "est sous le niveau attendu au 30 juin 2026"),
])
def test_a_kpi_going_up_is_below_its_path(language: str, words: str) -> None:
    """A revenue going up, behind its path, is "below" / « sous » the value expected."""
    k = kpi(200, baseline=100)
    text = sentence(k, [("2026-05-31", 140), ("2026-06-30", 146)], d("2026-06-30"), language, unit="k$")
    assert words in text


@pytest.mark.parametrize(("language", "words"), [
    ("en", "At risk: the latest measurement, 3 months old, is well below the value expected by today, but the "
           "forecast reaches the target. Latest: $565.8K (Sep 1, 2026); expected by today (Dec 3, 2026): $646.2K; "
           "when measured, it was on or ahead of its path (expected on Sep 1, 2026: $467.3K). Forecast at the due "
           "date: $847.5K, for a target of $700K."),
    ("fr", "À risque : la dernière mesure, vieille de 3 mois, est loin sous le niveau attendu à ce jour, mais la "
           "prévision atteint la cible. Dernière mesure : 565,8 k $US (1er sept. 2026) ; attendu à ce jour (3 déc. "
           "2026) : 646,2 k $US ; à sa date, elle était sur sa trajectoire ou en avance (attendu au 1er sept. 2026 : "
           "467,3 k $US)."),
])
def test_an_old_figure_is_said_old_not_behind(language: str, words: str) -> None:
    """Paid media spent ahead of its path until September, not measured since: in December the sentence says
    the figure is from September, compared with what is expected by today, and was ahead when measured."""
    k = kpi(700000, measure="cumulative")
    spend = [("2026-01-01", 45000), ("2026-02-01", 52000), ("2026-03-01", 61000), ("2026-04-01", 58500.5),
             ("2026-05-01", 63000), ("2026-06-01", 70250), ("2026-07-01", 72000), ("2026-08-01", 69000),
             ("2026-09-01", 75000)]
    text = sentence(k, spend, d("2026-12-03"), language, unit="$").replace("\u202f", " ").replace("\u00a0", " ")
    assert words in text, text


@pytest.mark.parametrize(("language", "words"), [
    ("en", "Off track: the latest measurement, 2 months old, is well above the value expected by today. Latest: "
           "6.8% (Sep 30, 2026); expected by today (Dec 3, 2026): 4.65%; when measured, it was already behind its "
           "path (expected on Sep 30, 2026: 5.01%)"),
    ("fr", "En retard : la dernière mesure, vieille de 2 mois, est loin au-dessus du niveau attendu à ce jour. "
           "Dernière mesure : 6,8 % (30 sept. 2026) ; attendu à ce jour (3 déc. 2026) : 4,65 % ; à sa date, elle "
           "était déjà en retard sur sa trajectoire (attendu au 30 sept. 2026 : 5,01 %)"),
])
def test_an_old_figure_going_down_is_above_and_was_already_behind(language: str, words: str) -> None:
    """Churn last measured in September (6.8 %, 5.01 % expected then): in December it is above today's
    expected value and was already behind its path when measured."""
    k = kpi(4.5, baseline=6.5, direction="down")
    churn = [("2026-08-31", 6.0), ("2026-09-30", 6.8)]
    text = sentence(k, churn, d("2026-12-03"), language).replace("\u202f", " ").replace("\u00a0", " ")
    assert words in text, text


def test_a_fresh_figure_keeps_the_short_sentence() -> None:
    """A measurement still fresh is compared at its own date, and the sentence says nothing of its age."""
    k = kpi(4.5, baseline=6.5, direction="down")
    text = sentence(k, CHURN_BEHIND, HALF, "en")
    assert "ago" not in text and "by today" not in text


def test_the_objective_page_says_an_old_figure_is_old(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """On the objective page, a French account-opening KPI last measured in September reads in one short
    sentence that « la dernière mesure, vieille de 2 mois » is behind « à ce jour », never as if September were
    December; its figures (610 comptes in September, 677 expected by today) follow in small type."""
    objective = """\
---
title: Ouvrir des comptes en ligne
due: 2026-12-31
kpis:
  - id: comptes
    title: Comptes ouverts
    unit: comptes
    baseline: 400
    target: 700
    cadence: monthly
    data: data/comptes.csv
---
"""
    rows = "date,value\n2026-07,560\n2026-08,590\n2026-09,610\n"
    plan = make_plan({"objectives/comptes.md": objective, "data/comptes.csv": rows},
                     settings="title: P\nlanguage: fr\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n")
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(plan), "-o", str(out), "--today", "2026-12-03"])
    assert result.exit_code == 0, result.output
    text = page_text(out / "objectives" / "comptes.html")
    assert "En retard : la dernière mesure, vieille de 2 mois, est loin sous le niveau attendu à ce jour." in text
    page = (out / "objectives" / "comptes.html").read_text().replace("\u202f", " ").replace("\u00a0", " ")
    assert "à ce jour.<br><small>Dernière mesure : 610 comptes (septembre 2026) ; attendu à ce jour (3 déc. " \
           "2026) : 677 comptes ;" in page


def test_a_kpi_going_down_reached_early_but_forecast_back_up_says_it_misses() -> None:
    """Churn at the 4.5 % target in June but rising since: the French sentence says the forecast « ne l'atteint
    pas », never « reste en dessous » (a forecast above a lower target is not below it)."""
    k = kpi(4.5, baseline=6.5, direction="down")
    text = sentence(k, [("2026-04-30", 3.0), ("2026-05-31", 3.8), ("2026-06-30", 4.4)], d("2026-06-30"), "fr")
    assert text.startswith("En bonne voie plutôt qu'atteint") and "ne l'atteint pas" in text, text
    assert "en dessous" not in text

"""A KPI whose due date has passed reads as its outcome (tester 19, defect 2): the value that stood at the due
date against the target, "achieved" or "off track … missed", never a forecast made from later measurements."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import cli_build
from tests.test_funnel_to_date import page_text

SETTINGS = """\
title: Digital fundraising plan
language: {language}
locale: {locale}
period:
  start: 2024-01-01
  end: 2027-03-31
"""
GIFT_AID = """\
---
title: Supporters' Gift Aid take-up
due: 2026-06-30
kpis:
  - id: gift-aid-rate
    title: Share of gifts with Gift Aid
    unit: "%"
    baseline: 55
    target: {target}
    cadence: monthly
---
"""
# 55 % in January 2024, half a point a month: 69.5 % in June 2026 (the due month), 72 % in November
RATES = "date,value\n" + "".join(f"{2024 + m // 12}-{m % 12 + 1:02d},{55 + m / 2}\n" for m in range(35))


def _build(make_plan: Callable[..., Path], tmp_path: Path, *, language: str = "en", target: int = 80) -> Path:
    locale = "en-GB" if language == "en" else "fr-CA"
    plan = make_plan({"objectives/gift-aid.md": GIFT_AID.format(target=target), "data/gift-aid-rate.csv": RATES},
                     settings=SETTINGS.format(language=language, locale=locale))
    return cli_build(plan, tmp_path / "site", "2026-12-03")


def test_a_missed_target_reads_missed_with_the_value_at_the_due_date(make_plan: Callable[..., Path],
                                                                     tmp_path: Path) -> None:
    """Due 30 June 2026, target 80 %, 69.5 % in June and 72 % in November: the page says "off track" with
    "Due 30 Jun 2026: 69.5% (June 2026) against a target of 80% — missed", shows 69.5 % at the due date and
    80 % expected on 30 Jun 2026, and no forecast taken from November's figure; the chart's table keeps the
    later months."""
    out = _build(make_plan, tmp_path)
    text = page_text(out / "objectives" / "gift-aid.html")
    kpi = text[text.index("Share of gifts with Gift Aid off track"):]
    assert "Due 30 Jun 2026: 69.5% (June 2026) against a target of 80% — missed." in kpi
    assert "At due date 69.5% June 2026 Expected by then 80% 30 Jun 2026 Progress 58%" in kpi
    assert "Forecast at due date" not in text and "72%" not in kpi.split("Direction:")[0]
    assert "Measurements November 2026 72%" in kpi  # later measurements stay in the table
    page = (out / "objectives" / "gift-aid.html").read_text(encoding="utf-8")  # the chart's description
    assert "Share of gifts with Gift Aid: 69.5% in June 2026 (off track), target 80% by 30 Jun 2026." in page
    dashboard = page_text(out / "index.html")
    assert "Supporters' Gift Aid take-up" in dashboard and "off track 58%" in dashboard


def test_a_target_reached_by_the_due_date_is_achieved(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """Target 69 % by 30 June 2026, 69.5 % in June: achieved, "— reached", whatever came after."""
    out = _build(make_plan, tmp_path, target=69)
    text = page_text(out / "objectives" / "gift-aid.html")
    assert "Share of gifts with Gift Aid achieved" in text
    assert "Due 30 Jun 2026: 69.5% (June 2026) against a target of 69% — reached." in text


@pytest.mark.parametrize("target", [80, 69])
def test_the_outcome_is_said_in_french(make_plan: Callable[..., Path], tmp_path: Path, target: int) -> None:
    """In a French plan: « Échéance du 30 juin 2026 : 69,5 % (juin 2026) pour une cible de 80 % — cible
    manquée », « À l'échéance » on the tile, and no « Prévision à l'échéance »."""
    out = _build(make_plan, tmp_path, language="fr", target=target)
    text = page_text(out / "objectives" / "gift-aid.html")
    outcome = "manquée" if target == 80 else "atteinte"
    assert (f"Échéance du 30 juin 2026 : 69,5 % (juin 2026) pour une cible de {target} % — cible {outcome}."
            in text)
    assert "À l'échéance 69,5 % juin 2026" in text and "Prévision à l'échéance" not in text


@pytest.mark.parametrize(("language", "note"), [("en", "due date passed: 1 KPI missed its target"),
                                                ("fr", "échéance passée : 1 indicateur a manqué sa cible")])
def test_a_card_says_its_due_date_passed_and_missed(make_plan: Callable[..., Path], tmp_path: Path,
                                                    language: str, note: str) -> None:
    """The dashboard card of an objective whose KPI missed its passed due date says so beside "off track"
    (a board reading the dashboard alone must not take it for a target still catchable), in the plan's
    language; an objective whose KPI reached it says nothing of the kind."""
    text = page_text(_build(make_plan, tmp_path / "missed", language=language) / "index.html").replace("\u202f", " ")
    assert note in text
    reached = page_text(_build(make_plan, tmp_path / "reached", language=language, target=65) / "index.html")
    assert note.split(":")[0].strip() not in reached

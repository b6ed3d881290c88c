"""A diff's figures read so that a board sees the difference (tester 19, defect 6): an amount whose short form
would need more than one decimal to show its change is written whole, and a percentage whose two sides round
alike gets the decimals that tell them apart — in every surface's sentences and rows, in both languages."""

from __future__ import annotations

import pytest

from generator.diff.compare import EntityChange, FieldChange, PlanDiff
from generator.diff.values import Sides, change_text


def _text(path: str, old: float, new: float, *, language: str = "en", currency: str = "GBP",
          locale: str | None = "en-GB", unit: str = "", compact: bool = False) -> str:
    change = FieldChange(path, old, new)
    entity = EntityChange("kpi", "k", "changed", "K", [change], units={path: unit}, units_before={path: unit},
                          digits=0)
    sides = Sides.of(PlanDiff("v1", "v2", [entity], language=language, currency=currency, locale=locale))
    return change_text(change, entity, sides, compact=compact).replace("\u202f", " ").replace("\u00a0", " ")


def test_a_forecast_two_pounds_apart_reads_in_whole_pounds_not_in_three_decimal_thousands() -> None:
    """Plan A's summary said "so forecast £189.566k → £189.568k"; it now says "£189,566 → £189,568"."""
    assert _text("forecast", 189_566.2, 189_568.4, unit="£", compact=True) == "£189,566 → £189,568"


def test_amounts_a_decimal_tells_apart_stay_short() -> None:
    """"£149k → £139k" and "4,5 M € → 4,6 M €" keep the short form a summary uses."""
    assert _text("forecast", 149_000, 139_000, unit="£", compact=True) == "£149k → £139k"
    assert _text("forecast", 4_500_000, 4_600_000, language="fr", currency="EUR", locale="fr-FR", unit="€",
                 compact=True) == "4,5 M € → 4,6 M €"


@pytest.mark.parametrize(("language", "locale", "expected"), [("en", "en-GB", "105.9% → 106.5%"),
                                                              ("fr", "fr-CA", "105,9 % → 106,5 %")])
def test_a_progress_that_rounds_alike_shows_the_decimal_that_differs(language: str, locale: str,
                                                                     expected: str) -> None:
    """Plan B listed "Avancement 106 % → 106 %" as a change, which reads as none; it reads "105,9 % → 106,5 %"."""
    assert _text("progress", 1.0591, 1.0648, language=language, locale=locale) == expected


def test_a_progress_that_moved_by_a_hundredth_of_a_point_shows_two_decimals() -> None:
    """A progress a correction moved by 0.03 point reads "61.02% → 61.05%", not "61% → 61%"."""
    assert _text("progress", 0.61021, 0.61048) == "61.02% → 61.05%"

"""A KPI's forecast said beside its target is never rounded onto or across it: 3.55 clients forecast for a
target of 4 reads "3,5 clients", not "4 clients" (the funnel's projection follows the same rule,
Formatter.volume_toward), on the objective page, in its status sentence and in the chart's table; nor is
the level expected by now rounded onto the latest measurement it is compared with."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.build import build
from generator.plan.i18n import Formatter
from tests.conftest import TODAY
from tests.test_locale import _text

# 3 clients signed by 4 November (1, then 2 more): 3.38 expected by then; at that pace, 3.55 by 31 December,
# for a target of 4
PLAN = {
    "objectives/o.md": """\
        ---
        title: Croître
        kpis:
          - {id: clients, title: Clients, unit: clients, baseline: 0, target: 4, measure: cumulative,
             data: data/clients.csv}
        ---
        """,
    "data/clients.csv": "date,value\n2026-03-31,1\n2026-11-04,2\n",
}


def test_a_forecast_short_of_its_target_never_reads_as_the_target(make_plan: Callable[..., Path],
                                                                  tmp_path: Path) -> None:
    """The objective page says "Prévision à l'échéance 3,5 clients" under "Cible 4 clients", its status
    sentence "la prévision à l'échéance (3,5 clients) n'atteint pas la cible (4 clients)", the chart's table
    "Prévision 31 déc. 2026 3,5 clients"; "Attendu à cette date 3,4 clients" beside "Dernière mesure 3
    clients"; nowhere "Prévision à l'échéance 4 clients"."""
    out = tmp_path / "site"
    assert build(make_plan(PLAN), out, TODAY).ok
    page = _text((out / "objectives" / "o.html").read_text(encoding="utf-8"))
    assert "Cible 4 clients" in page and "Prévision à l&#39;échéance 3,5 clients au rythme" in page
    assert "la prévision à l&#39;échéance (3,5 clients) n&#39;atteint pas la cible (4 clients)" in page
    assert "Prévision 31 déc. 2026 3,5 clients" in page  # the chart's data table
    # (the tile also says the quarters with no row between March and November, as the chart does)
    assert ("Dernière mesure 3 clients 4 nov. 2026 (aucune mesure de T2 à T3 2026, comptée pour zéro) "
            "Attendu à cette date 3,4 clients") in page


def test_rounding_that_would_cross_the_target_keeps_a_decimal_or_the_full_figure() -> None:
    """Rounded onto the target, a forecast gets one more decimal cut toward its side ("3,9 clients" for 3.96,
    "4,1" for 4.04 beside 4) or, compact, its full figure ("1 960 000 €" beside 2 M €); away from the target
    it is written as usual ("4 clients" for 3.6 beside 5, "1,9 M €", "$1.9M", "52 151 €")."""
    fr, en = Formatter("fr", "EUR"), Formatter("en", "USD")
    assert fr.measure_toward(3.96, 4, "clients", digits=0) == "3,9\u00a0clients"
    assert fr.measure_toward(4.04, 4, "clients", digits=0) == "4,1\u00a0clients"
    assert fr.measure_toward(3.6, 5, "clients", digits=0) == "4\u00a0clients"
    assert en.measure_toward(3.6, 4, "customers", digits=0, compact=True) == "3.6\u00a0customers"
    assert fr.measure_toward(1_960_000, 2_000_000, "€", compact=True, exact=False) == "1\u202f960\u202f000\u00a0€"
    assert fr.measure_toward(1_900_000, 2_000_000, "€", compact=True, exact=False) == "1,9\u00a0M\u00a0€"
    assert en.measure_toward(1_900_000, 2_000_000, "$", compact=True, exact=False) == "$1.9M"
    assert fr.measure_toward(52_151.10, 55_000, "€", compact=True) == "52\u202f151\u00a0€"  # as `measure` writes it

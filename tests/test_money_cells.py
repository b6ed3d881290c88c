"""Money in a KPI's CSV as US and French spreadsheets write it: `US$200`, `-$5`, `($5)`, `-5 €` all read as
the numbers they show, with no error."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from generator.pipeline import Checked

PERIOD = "period:\n  start: 2026-01-01\n  end: 2026-12-31\n"
US_SETTINGS = "title: Plan\nlanguage: en\nlocale: en-US\ncurrency: USD\n" + PERIOD
FR_SETTINGS = "title: Plan\nlanguage: fr\ncurrency: EUR\n" + PERIOD
OBJECTIVE = ("---\ntitle: Sales\ndue: 2026-12-31\nkpis:\n  - id: basket\n    title: Basket\n    unit: {unit}\n"
             "    target: 500\n---\n")


def _values(check_plan: Callable[..., Checked], settings: str, unit: str, cells: list[str]) -> list[float]:
    rows = "".join(f"2026-0{month}-01,{cell}\n" for month, cell in enumerate(cells, start=1))
    checked = check_plan({"objectives/sales.md": OBJECTIVE.format(unit=unit), "data/basket.csv": "date,value\n" + rows},
                         settings=settings)
    assert [d for d in checked.diagnostics if d.code == "csv-row"] == []
    assert checked.plan is not None
    return [p.value for p in checked.plan.series["basket"].points]


@pytest.mark.parametrize("unit", ["$", "USD"])
def test_us_money_cells_read_as_numbers(check_plan: Callable[..., Checked], unit: str) -> None:
    """In a USD plan, `US$200`, `100 USD`, `$1,250.50`, `-$5` (Excel's US negative currency), `($5)` and
    `(1,000)` (accounting negatives) are 200, 100, 1250.5, -5, -5 and -1000: no "is not a number", no "is in
    `US$`, not in the KPI's currency"."""
    cells = ["US$200", "100 USD", '"$1,250.50"', "-$5", "($5)", '"(1,000)"']
    assert _values(check_plan, US_SETTINGS, unit, cells) == [200, 100, 1250.5, -5, -5, -1000]


def test_french_money_cells_read_as_numbers(check_plan: Callable[..., Checked]) -> None:
    """In a euro plan, `-5 €`, `5 € ` (a trailing space), `(12,50 €)` and `−€3` read as -5, 5, -12.5, -3."""
    cells = ['"-5 €"', '"5 € "', '"(12,50 €)"', "−€3"]
    assert _values(check_plan, FR_SETTINGS, "€", cells) == [-5, 5, -12.5, -3]


def test_a_doubled_sign_is_still_refused(check_plan: Callable[..., Checked]) -> None:
    """`(-5)` says its sign twice: it is one "not a number" error on its cell, not a silent -5 or 5."""
    checked = check_plan({"objectives/sales.md": OBJECTIVE.format(unit="$"),
                          "data/basket.csv": "date,value\n2026-01-01,(-5)\n"}, settings=US_SETTINGS)
    errors = [d for d in checked.diagnostics if d.code == "csv-row"]
    assert len(errors) == 1 and (errors[0].line, errors[0].column) == (2, 12)
    assert errors[0].message == "`(-5)` is not a number"

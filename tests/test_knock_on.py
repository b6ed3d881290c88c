"""One mistake, one message (tester 17, defect 6): the warnings a data file's error or a KPI id's typo would
bring along (`no-data`, `unused-data`, `unknown-file`) are not printed beside the diagnostic that explains them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from generator.pipeline import Checked
from tests.conftest import MINIMAL_SETTINGS, codes, only

CheckPlan = Callable[..., Checked]
EN_SETTINGS = MINIMAL_SETTINGS.replace("language: fr", "language: en")  # "1,5" is 1.5 in a French plan


def _objective(kpi: str, extra: str = "") -> str:
    return ("---\ntitle: Confiance\ndue: 2026-12-31\nkpis:\n"
            f"  - id: {kpi}\n    title: Score\n    baseline: 30\n    target: 45\n    cadence: quarterly\n{extra}"
            "---\nTexte.\n")


def test_a_csv_whose_only_row_is_refused_has_its_error_and_no_no_data_warning(check_plan: CheckPlan) -> None:
    """`data/nps.csv` with one row, `"1,5"`, refused: the row's error only, not also "the KPI `nps` has no
    measurement yet … add rows under the header" (the file has a row)."""
    checked = check_plan({"objectives/confiance.md": _objective("nps"),
                          "data/nps.csv": 'date,value\n2026-Q3,"1,5"\n'}, settings=EN_SETTINGS)
    assert codes(checked) == ["csv-row"]


def test_an_old_workbook_is_one_xlsx_error_not_also_an_unknown_file(check_plan: CheckPlan) -> None:
    """A KPI reading `data/nps.xls`: the `xlsx` error saying to save it as .xlsx, and no `unknown-file` warning
    saying the file is not part of a plan."""
    checked = check_plan({"objectives/confiance.md": _objective("nps", "    data: data/nps.xls\n"),
                          "data/nps.xls": "\xd0\xcf"})
    assert codes(checked) == ["xlsx"]


@pytest.mark.parametrize(("language", "said", "hint"), [
    ("fr", "l'indicateur `npss` n'a pas de données, et aucun indicateur n'utilise data/nps.csv : son identifiant "
           "est-il `nps` ?",
     "écrivez `id: nps` (un indicateur lit data/ID.csv), ou gardez `npss` et ajoutez `data: data/nps.csv`"),
    ("en", "the KPI `npss` has no data, and no KPI uses data/nps.csv: is the KPI's id `nps`?",
     "write `id: nps` (a KPI reads data/ID.csv), or keep `npss` and add `data: data/nps.csv`"),
])
def test_a_typo_in_a_kpi_id_is_one_warning_naming_the_unused_file(check_plan: CheckPlan, language: str,
                                                                  said: str, hint: str) -> None:
    """`id: npss` beside `data/nps.csv`: one warning at the KPI's id, in the plan's language, naming the file
    and the id it asks for; not a `no-data` and an `unused-data` warning apart."""
    settings = MINIMAL_SETTINGS.replace("language: fr", f"language: {language}")
    checked = check_plan({"objectives/confiance.md": _objective("npss"),
                          "data/nps.csv": "date,value\n2026-Q1,34\n2026-Q2,41\n2026-Q3,52\n"}, settings=settings)
    assert codes(checked) == ["no-data"]
    warning = only(checked, "no-data")
    assert (warning.file, warning.line) == ("plan/objectives/confiance.md", 5)
    assert warning.text(language) == said and warning.hint_text(language) == hint


def test_a_typo_in_a_referred_kpi_id_is_the_references_error_alone(check_plan: CheckPlan) -> None:
    """`id: npss` while an action says `kpis: [nps]` and `data/nps.csv` exists: the `unknown-ref` error on the
    reference, and no `no-data` or `unused-data` warning beside it."""
    objective = _objective("npss").replace("---\nTexte.", "actions:\n  - title: Enquête\n    kpis: [nps]\n---\nTexte.")
    checked = check_plan({"objectives/confiance.md": objective,
                          "data/nps.csv": "date,value\n2026-Q1,34\n2026-Q2,41\n2026-Q3,52\n"})
    assert codes(checked) == ["unknown-ref"]


def _monthly_rows(*rows: str) -> str:
    return "date,value\n" + "".join(f"{row}\n" for row in rows)


@pytest.mark.parametrize(("language", "cell", "said"), [
    ("en", "5o", "`5o` is not a number"),
    ("fr", "16 2OO", "`16 2OO` n'est pas un nombre"),
])
def test_a_refused_row_is_its_error_not_also_a_gap_in_its_month(check_plan: CheckPlan, language: str, cell: str,
                                                                said: str) -> None:
    """`2025-03,5o` between February and April: the reader sees the row's error only, not also "`nps` has no
    measurement for March 2025: its chart leaves a gap there" (fixing the cell fills the month)."""
    settings = MINIMAL_SETTINGS.replace("language: fr", f"language: {language}")
    objective = _objective("nps").replace("quarterly", "monthly")
    checked = check_plan({"objectives/confiance.md": objective,
                          "data/nps.csv": _monthly_rows("2025-01,3", "2025-02,4", f'2025-03,"{cell}"', "2025-04,6")},
                         settings=settings, today=dt.date(2025, 5, 2))
    assert codes(checked) == ["csv-row"]
    assert only(checked, "csv-row").text(language) == said


def test_a_refused_row_leaves_a_true_gap_elsewhere_warned(check_plan: CheckPlan) -> None:
    """A refused row in March and no row at all for July: the March error, and the gap warning names July only."""
    objective = _objective("nps").replace("quarterly", "monthly")
    rows = _monthly_rows("2025-02,4", "2025-03,5o", "2025-04,6", "2025-05,6", "2025-06,6", "2025-08,7")
    checked = check_plan({"objectives/confiance.md": objective, "data/nps.csv": rows}, settings=EN_SETTINGS,
                         today=dt.date(2025, 9, 2))
    assert codes(checked) == ["csv-row", "data-gap"]
    gap = only(checked, "data-gap")
    assert "July 2025" in gap.message and "March" not in gap.message

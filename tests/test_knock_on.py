"""One mistake, one message (tester 17, defect 6): the warnings a data file's error or a KPI id's typo would
bring along (`no-data`, `unused-data`, `unknown-file`) are not printed beside the diagnostic that explains them."""

from __future__ import annotations

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

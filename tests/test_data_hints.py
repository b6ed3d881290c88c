"""Hints that point the right way (held-out review of 2026-12-03): what `strategy check` first offers for an
export's own column name, an amount in another currency, a key one space off, and a French quarter `2026-T2`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.pipeline import Checked
from tests.conftest import codes, only
from tests.test_exports import EN_SETTINGS, _workbook, measurements, run


def test_an_exports_own_value_column_is_offered_first_as_column(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A bank export headed `Date;Montant`: the hint first says to write `column: Montant` in the KPI (what
    the export needs, untouched), then renaming the column; and with it the file reads."""
    data = b"Date;Montant\n31/01/2026;18,50\n28/02/2026;1 250,75\n31/03/2026;-3\n"
    checked = run(tmp_path, monkeypatch, data)
    d = only(checked, "csv-header")
    assert d.message == "l'en-tête n'a pas de colonne `value` (indicateur `panier`)"
    assert d.hint == ("dites quelle colonne porte les valeurs : écrivez `column: Montant` dans l'indicateur "
                      "`panier`, ou renommez la colonne, par ex. date;value")
    fixed = run(tmp_path / "again", monkeypatch, data, extra="    column: Montant\n")
    assert codes(fixed) == [] and len(measurements(fixed)) == 3


def test_an_amount_in_another_currency_is_one_error_saying_to_convert_it(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """`$140,310.75` among a French file's `1 250,75` in a € KPI: one error, on that cell, about the currency
    (not the decimal mark), saying to convert the amount, with an example written as the file writes numbers."""
    data = b"date;value\n31/01/2026;18,50\n28/02/2026;$140,310.75\n31/03/2026;1 250,75\n"
    checked: Checked = run(tmp_path, monkeypatch, data)
    d = only(checked, "csv-row")
    assert (d.line, d.column) == (3, 12)
    assert d.message == "`$140,310.75` est en `$`, pas dans la devise de l'indicateur, `€`"
    assert d.hint == ("convertissez le montant en €, puis écrivez-le comme ce fichier écrit les nombres, "
                      "par ex. 1250,5")
    assert "140,310.75" not in (d.hint or "")


def test_an_english_amount_in_dollars_in_a_euro_kpi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In English, the same: convert to €, not "write 18.50 in €"."""
    checked = run(tmp_path, monkeypatch, b"date,value\n2026-01-31,$18.50\n2026-02-28,12.5\n", settings=EN_SETTINGS)
    d = only(checked, "csv-row")
    assert d.message == "`$18.50` is in `$`, not in the KPI's currency `€`"
    assert d.hint == "convert the amount to €, then write it as this file writes numbers, e.g. 1250.5"


def test_a_key_one_space_off_is_said_as_alignment_first(check_plan) -> None:  # type: ignore[no-untyped-def]
    """An action's `due:` indented one space more than its `title:`: the error says where each key starts and
    the hint says to align it first, quoting a text with ": " only second."""
    checked = check_plan({"objectives/a.md": "---\ntitle: Vendre\ndue: 2026-12-31\nactions:\n"
                                             "  - title: Appeler les prospects\n     due: 2026-03-31\n---\n"})
    d = only(checked, "yaml-syntax")
    assert (d.file, d.line, d.column) == ("plan/objectives/a.md", 6, 6)
    assert d.text("fr").endswith("la clé de cette ligne commence en colonne 6, celle du dessus en colonne 5")
    assert (d.hint_text("fr") or "").startswith("commencez `due:` en colonne 5, comme la clé du dessus")


def test_a_colon_inside_a_text_still_says_to_quote_it(check_plan) -> None:  # type: ignore[no-untyped-def]
    """`title: Objectif : croissance` (aligned, a colon in the text) keeps the hint about quotes."""
    checked = check_plan({"objectives/a.md": "---\ntitle: Objectif : croissance\n---\n"})
    d = only(checked, "yaml-syntax")
    assert (d.hint_text("fr") or "").startswith("mettez entre guillemets un texte qui contient")


def test_a_french_plan_reads_2026_t2_as_a_quarter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A French plan's CSV may write its quarters as its pages do, `2026-T1`: read as the quarter; an English
    plan keeps asking for `2026-Q1`."""
    checked = run(tmp_path, monkeypatch, b"date;value\n2026-T1;18,5\n2026-Q2;20\n")
    assert codes(checked) == []
    assert checked.plan is not None
    assert [(p.date, p.period) for p in checked.plan.series["panier"].points] == [
        (dt.date(2026, 1, 1), "quarter"), (dt.date(2026, 4, 1), "quarter")]
    english = run(tmp_path / "en", monkeypatch, b"date,value\n2026-T1,18.5\n", settings=EN_SETTINGS)
    d = only(english, "csv-row")
    assert d.hint == "write a quarter as YYYY-Qn, Q1 to Q4, e.g. 2026-Q1"


@pytest.mark.parametrize(("settings", "hint"), [
    (EN_SETTINGS, "February 2026 has 28 days: write 2026-02-28 or 2026-03-01"),
    (None, "février 2026 n'a que 28 jours : écrivez 2026-02-28 ou 2026-03-01"),
])
def test_an_impossible_day_in_a_row_or_a_cell_says_what_to_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 settings: str | None, hint: str) -> None:
    """A CSV row and a workbook's text cell dated 2026-02-30 (written YYYY-MM-DD already): the hint says
    February 2026 has 28 days and names 2026-02-28 or 2026-03-01, not "write YYYY-MM-DD for a day"."""
    kwargs = {"settings": settings} if settings else {}
    checked = run(tmp_path, monkeypatch, b"date,value\n2026-01-31,18\n2026-02-30,20\n", **kwargs)
    assert only(checked, "csv-row").hint == hint
    book = _workbook({"Ventes": [["date", "value"], ["2026-01-31", 18], ["2026-02-30", 20]]})
    checked = run(tmp_path / "book", monkeypatch, book, name="data/ventes.xlsx",
                  extra="    data: data/ventes.xlsx\n", **kwargs)
    cell = only(checked, "csv-row")
    assert cell.hint == hint and "A3" in cell.message

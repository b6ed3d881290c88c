"""A typo in a KPI's `data:` or `sheet:`, or a workbook with the wrong extension: one error, where the typo is
written, saying what to write instead, in the plan's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import codes, only
from tests.test_exports import EN_SETTINGS, ROWS, _workbook, run


@pytest.mark.parametrize(("settings", "message"), [
    (EN_SETTINGS, "the workbook `data/ventes.xlsx` has no sheet `Vente` (KPI `panier`)"),
    (None, "le classeur `data/ventes.xlsx` n'a pas de feuille `Vente` (indicateur `panier`)"),
])
def test_a_sheet_typo_is_reported_at_the_sheet_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    settings: str | None, message: str) -> None:
    """`sheet: Vente` where the workbook has `Ventes`: the error points at the objective's `sheet:` line (not
    at the workbook's 1:1), names the workbook and lists its sheets; it is the only error."""
    extra = "    data: data/ventes.xlsx\n    sheet: Vente\n"
    kwargs = {"settings": settings} if settings else {}
    checked = run(tmp_path, monkeypatch, _workbook({"Ventes": ROWS, "Notes": [["x"]]}),
                  name="data/ventes.xlsx", extra=extra, **kwargs)
    d = only(checked, "xlsx")
    assert (d.file, d.line, d.column) == ("plan/objectives/ventes.md", 10, 5)
    assert d.message == message
    assert d.hint is not None and d.hint.endswith("Ventes, Notes")
    assert codes(checked, "error") == ["xlsx"]


@pytest.mark.parametrize(("settings", "hint"), [
    (EN_SETTINGS, "write `data: data/ventes.xlsx`, the data file this path is close to"),
    (None, "écrivez `data: data/ventes.xlsx`, le fichier de données dont ce chemin est proche"),
])
def test_a_data_path_typo_suggests_the_near_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 settings: str | None, hint: str) -> None:
    """`data: data/vente.xlsx` beside data/ventes.xlsx: one `missing-data` error whose hint names the file to
    write, and no `unused-data` warning on that file (one mistake, one message)."""
    kwargs = {"settings": settings} if settings else {}
    checked = run(tmp_path, monkeypatch, _workbook({"Ventes": ROWS}), name="data/ventes.xlsx",
                  extra="    data: data/vente.xlsx\n", **kwargs)
    d = only(checked, "missing-data")
    assert (d.file, d.line, d.column) == ("plan/objectives/ventes.md", 9, 5)
    assert d.hint_text("en" if settings else "fr") == hint
    assert "unused-data" not in codes(checked)


def test_a_data_path_far_from_any_file_keeps_its_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `data:` path close to no file still says to create it, and the unrelated file stays `unused-data`."""
    checked = run(tmp_path, monkeypatch, _workbook({"Ventes": ROWS}), name="data/ventes.xlsx",
                  extra="    data: data/budget.csv\n", settings=EN_SETTINGS)
    assert only(checked, "missing-data").hint == "create plan/data/budget.csv (columns date,value) or fix the path"
    assert "unused-data" in codes(checked)


@pytest.mark.parametrize(("settings", "message", "hint"), [
    (EN_SETTINGS, "`ventes.xls` is an Excel workbook (.xlsx) named .xls",
     "rename it to `ventes.xlsx` and write `data: data/ventes.xlsx`"),
    (None, "`ventes.xls` est un classeur Excel (.xlsx) nommé .xls",
     "renommez-le `ventes.xlsx` et écrivez `data: data/ventes.xlsx`"),
])
def test_an_xlsx_renamed_xls_is_told_to_be_renamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   settings: str | None, message: str, hint: str) -> None:
    """An .xlsx workbook renamed .xls is told to be renamed back, not to be "saved as .xlsx" (it is one)."""
    kwargs = {"settings": settings} if settings else {}
    checked = run(tmp_path, monkeypatch, _workbook({"Ventes": ROWS}), name="data/ventes.xls",
                  extra="    data: data/ventes.xls\n", **kwargs)
    d = only(checked, "xlsx")
    assert (d.message, d.hint) == (message, hint)


@pytest.mark.parametrize(("settings", "hint"), [
    (EN_SETTINGS, "write `data: data/panier.csv`, the data file named after this KPI, which no KPI reads yet "
                  "(or remove `data:`: a KPI reads data/ID.csv)"),
    (None, "écrivez `data: data/panier.csv`, le fichier de données au nom de cet indicateur, qu'aucun indicateur "
           "ne lit encore (ou retirez `data:` : un indicateur lit data/ID.csv)"),
])
def test_a_data_path_far_from_the_kpis_own_file_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         settings: str | None, hint: str) -> None:
    """`data: donnees/pan.csv` for the KPI `panier` beside its unused data/panier.csv: one `missing-data` error
    whose hint names data/panier.csv, and no `unused-data` warning on that file (one mistake, one message)."""
    kwargs = {"settings": settings} if settings else {}
    checked = run(tmp_path, monkeypatch, b"date,value\n2026-01-31,18.5\n", name="data/panier.csv",
                  extra="    data: donnees/pan.csv\n", **kwargs)
    assert only(checked, "missing-data").hint_text("en" if settings else "fr") == hint
    assert "unused-data" not in codes(checked)

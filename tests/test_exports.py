"""A KPI's measurements from spreadsheet exports as French and English tools write them, and from .xlsx
workbooks: the same numbers as the plain CSV, or one clear error saying what to write."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from generator.build import build
from generator.pipeline import Checked, check
from generator.read.source import DirectorySource
from tests.conftest import MINIMAL_SETTINGS, codes, only

TODAY = dt.date(2026, 4, 15)
EN_SETTINGS = MINIMAL_SETTINGS.replace("language: fr", "language: en")
OBJECTIVE = """---
title: Ventes
due: 2026-12-31
kpis:
  - id: panier
    title: Panier moyen
    unit: €
    target: 2000
{extra}---
"""
PLAIN = "date,value\n2026-01-31,18.5\n2026-02-28,1250.75\n2026-03-31,-3\n"
EXPECTED = [(dt.date(2026, 1, 31), 18.5), (dt.date(2026, 2, 28), 1250.75), (dt.date(2026, 3, 31), -3.0)]


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, *, name: str = "data/panier.csv",
        extra: str = "", settings: str = MINIMAL_SETTINGS) -> Checked:
    """`strategy check` of a plan whose KPI `panier` (in €) reads `data`, shown as plan/…"""
    plan = tmp_path / "plan"
    (plan / "objectives").mkdir(parents=True)
    (plan / "data").mkdir()
    (plan / "strategy.yaml").write_text(settings, encoding="utf-8")
    (plan / "objectives" / "ventes.md").write_text(OBJECTIVE.format(extra=extra), encoding="utf-8")
    (plan / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    return check(DirectorySource(Path("plan")), TODAY)


def measurements(checked: Checked) -> list[tuple[dt.date, float]]:
    assert checked.plan is not None
    return [(p.date, p.value) for p in checked.plan.series["panier"].points]


# --- the same numbers, however exported ------------------------------------------------------

EXPORTS = {
    # Excel (French) "CSV (séparateur : point-virgule)", saved as UTF-8 with BOM, Windows line endings
    "semicolon-utf8-bom": "\ufeffDate;value\r\n31/01/2026;18,50 €\r\n28/02/2026;1\u202f250,75 €\r\n"
                          "31/03/2026;−3 €\r\n".encode(),
    # LibreOffice: no-break space thousands, dates with dots, no BOM
    "semicolon-dotted-dates": "date;value\n31.01.2026;18,5\n28.02.2026;1\u00a0250,75\n31.03.2026;-3\n".encode(),
    # German-style thousands: a dot, with a decimal comma
    "dot-thousands": b"date;value\n2026-01-31;18,50\n2026-02-28;1.250,75\n2026-03-31;-3,00\n",
    # Excel "Texte Unicode": UTF-16 with its byte order mark, tab separated
    "utf16-tabs": "date\tvalue\r\n31/01/2026\t18,5\r\n28/02/2026\t1 250,75\r\n31/03/2026\t-3\r\n".encode("utf-16"),
    # a spreadsheet's dates with their time, a euro sign before the number
    "midnight-times": "date;value\n2026-01-31 00:00:00;€18,50\n2026-02-28 00:00:00;€1250,75\n"
                      "2026-03-31 00:00:00;-3\n".encode(),
    # a comma-separated file whose decimal commas are quoted (read in a French plan)
    "quoted-decimal-comma": b'date,value\n2026-01-31,"18,5"\n2026-02-28,"1 250,75"\n2026-03-31,-3\n',
    # the KPI's unit written as its currency code
    "currency-code": b"date;value\n31/01/2026;18,50 EUR\n28/02/2026;1 250,75 EUR\n31/03/2026;-3 EUR\n",
}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_an_export_reads_as_the_plain_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Each export a French spreadsheet writes gives the plain CSV's three measurements, with no diagnostic
    about the file."""
    checked = run(tmp_path, monkeypatch, EXPORTS[name])
    assert [d for d in checked.diagnostics if d.file.startswith("plan/data")] == []
    assert measurements(checked) == EXPECTED


def test_the_plain_csv_is_read_as_always(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reference: the plain UTF-8, comma and dot CSV gives the expected numbers."""
    assert measurements(run(tmp_path, monkeypatch, PLAIN.encode())) == EXPECTED


def test_an_english_export_with_thousands_commas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An English plan's comma-separated export with quoted thousands ("1,250.75") and month-first dates
    (01/31/2026, proven by its day 31) reads the same numbers."""
    data = b'date,value\n01/31/2026,$18.50\n02/28/2026,"1,250.75"\n03/31/2026,-3\n'
    checked = run(tmp_path, monkeypatch, data, settings=EN_SETTINGS)
    # the KPI's unit is €: the dollar sign is refused, the rest read
    d = only(checked, "csv-row")
    assert (d.line, d.column) == (2, 12)
    assert d.message == "`$18.50` is in `$`, not in the KPI's currency `€`"
    assert d.hint == "convert the amount to €, then write it as this file writes numbers, e.g. 1250.5"
    fixed = run(tmp_path / "again", monkeypatch, data.replace(b"$", b""), settings=EN_SETTINGS)
    assert measurements(fixed) == EXPECTED


def test_windows_1252_is_read_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel's CSV on Windows (Windows-1252, € as byte 0x80) gives the same numbers and one warning naming
    the encoding read, at the first byte that is not UTF-8; the KPI's `csv: {encoding: windows-1252}`
    silences it."""
    data = "date;value\n31/01/2026;18,50 €\n28/02/2026;1 250,75 €\n31/03/2026;-3 €\n".encode("cp1252")
    checked = run(tmp_path, monkeypatch, data)
    assert measurements(checked) == EXPECTED
    d = only(checked, "encoding")
    assert (d.severity, d.file, d.line, d.column) == ("warning", "plan/data/panier.csv", 2, 18)
    assert d.message == "ce fichier n'est pas en UTF-8 : il a été lu en Windows-1252"
    assert d.hint and "csv: {encoding: windows-1252}" in d.hint
    quiet = run(tmp_path / "quiet", monkeypatch, data, extra="    csv: {encoding: windows-1252}\n")
    assert measurements(quiet) == EXPECTED and codes(quiet) == []


def test_utf16_without_byte_order_mark_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """UTF-16 without its byte order mark cannot be told from other bytes safely: one error naming it."""
    checked = run(tmp_path, monkeypatch, PLAIN.encode("utf-16-le"))
    d = only(checked, "encoding")
    assert d.message == "ce fichier est en UTF-16 sans indicateur d'ordre des octets (BOM)"
    assert codes(checked, "error") == ["encoding"]


# --- a file that reads two ways is one error ----------------------------------------------------


def test_a_lone_dot_group_is_ambiguous(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`1.250` in a semicolon file is 1250 or 1.25: one error at that cell saying both and how to choose, and
    no "no measurement yet" beside it; `csv: {decimal: ","}` settles it."""
    data = b"date;value\n31/01/2026;1.250\n28/02/2026;1.400\n"
    checked = run(tmp_path, monkeypatch, data)
    d = only(checked, "csv-row")
    assert (d.file, d.line, d.column) == ("plan/data/panier.csv", 2, 12)
    assert d.message == "`1.250` peut se lire 1\u202f250 ou 1,25"
    assert d.hint and 'csv: {decimal: ","} (1.250 vaut 1\u202f250)' in d.hint
    assert codes(checked) == ["csv-row"]
    settled = run(tmp_path / "settled", monkeypatch, data, extra='    csv: {decimal: ","}\n')
    assert [v for _, v in measurements(settled)] == [1250, 1400]


def test_decimals_written_both_ways_are_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file with `18,50` and `12.5` is one error, at the second kind's cell, naming both."""
    checked = run(tmp_path, monkeypatch, b"date;value\n2026-01;18,50\n2026-02;12.5\n2026-03;14,5\n")
    d = only(checked, "csv-row")
    assert (d.line, d.column) == (3, 9)
    assert d.message == ("ce fichier écrit des décimales avec une virgule (`18,50`, ligne 2) "
                         "et avec un point (`12.5`, ligne 3)")


def test_an_english_plan_refuses_ambiguous_slashed_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In an English plan `03/04/2026` is 3 April or March 4: one error saying both and what to write;
    `csv: {dates: day-first}` reads it as 3 April."""
    data = b"date,value\n03/04/2026,10\n05/04/2026,12\n"
    checked = run(tmp_path, monkeypatch, data, settings=EN_SETTINGS)
    d = only(checked, "csv-row")
    assert (d.line, d.column) == (2, 1)
    assert d.message == "`03/04/2026` can be April 3, 2026 (day first) or March 4, 2026 (month first)"
    assert d.hint and d.hint.startswith("write 2026-04-03 (YYYY-MM-DD), or say how this file writes dates")
    settled = run(tmp_path / "settled", monkeypatch, data, settings=EN_SETTINGS, extra="    csv: {dates: day-first}\n")
    assert [day for day, _ in measurements(settled)] == [dt.date(2026, 4, 3), dt.date(2026, 4, 5)]


def test_a_french_plan_reads_slashed_dates_day_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a French plan `03/04/2026` is 3 April; a month-first `04/30/2026` is an error saying to write
    2026-04-30, not eleven errors and a "no measurement"."""
    good = run(tmp_path, monkeypatch, b"date;value\n03/04/2026;10\n")
    assert measurements(good) == [(dt.date(2026, 4, 3), 10)]
    checked = run(tmp_path / "us", monkeypatch, b"date;value\n03/04/2026;10\n04/30/2026;12\n04/15/2026;13\n")
    d = only(checked, "csv-row")
    assert (d.line, d.column) == (3, 1)
    assert d.message == "`04/30/2026` est écrit mois d'abord (MM/JJ/AAAA), à l'américaine"
    assert d.hint and d.hint.startswith("écrivez 2026-04-30 (AAAA-MM-JJ)")
    assert codes(checked) == ["csv-row"]


def test_dates_written_both_ways_are_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`31/01/2026` then `02/28/2026` in an English plan: one error naming both."""
    checked = run(tmp_path, monkeypatch, b"date,value\n31/01/2026,1\n02/28/2026,2\n", settings=EN_SETTINGS)
    d = only(checked, "csv-row")
    assert d.message == ("this file writes dates day first (`31/01/2026`, line 2) "
                         "and month first (`02/28/2026`, line 3)")


# --- one cell, one error, saying what to write ---------------------------------------------------


@pytest.mark.parametrize(("cell", "message", "hint"), [
    ("12 %", "`12 %` est en `%`, pas dans l'unité de l'indicateur, `€`", "écrivez le nombre en €, par ex. 12"),
    ("douze", "`douze` n'est pas un nombre", "écrivez un nombre, par ex. 1 250,5 ou 1250.5"),
    ("31/02/2026", "`31/02/2026` n'est pas une date", None),
])
def test_a_bad_cell_says_what_to_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cell: str, message: str,
                                       hint: str | None) -> None:
    """A cell that cannot be read is one error at its line and column, in French for a French plan."""
    row = f"{cell};5" if "/" in cell else f"31/01/2026;{cell}"
    checked = run(tmp_path, monkeypatch, f"date;value\n{row}\n28/02/2026;7\n".encode())
    d = only(checked, "csv-row")
    assert (d.line, d.column) == (2, 1 if "/" in cell else 12)
    assert d.message == message
    if hint:
        assert d.hint == hint


def test_a_decimal_comma_in_an_english_comma_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An English plan's comma-separated file with a quoted `"18,50"`: the cell is called out, in English,
    with the number to write and the option that reads it."""
    checked = run(tmp_path, monkeypatch, b'date,value\n2026-01-31,"18,50"\n2026-02-28,12.5\n', settings=EN_SETTINGS)
    d = only(checked, "csv-row")
    assert d.message == "`18,50` is written with a decimal comma"
    assert d.hint == 'write 18.5 (a dot for decimals), or write csv: {decimal: ","} in the KPI `panier`'


def test_an_unquoted_decimal_comma_says_to_quote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`2026-01,18,50` in a comma file has a cell too many: the hint says to quote it or to use `;`."""
    checked = run(tmp_path, monkeypatch, b"date,value\n2026-01,18,50\n")
    d = only(checked, "csv-row")
    assert d.message == "cette ligne a 3 cellules mais l'en-tête en a 2"
    assert d.hint and '"18,50"' in d.hint and "séparez les colonnes par ;" in d.hint


# --- workbooks ---------------------------------------------------------------------------------


def _workbook(sheets: dict[str, list[list[object]]], number_format: str | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
                cell.number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROWS = [["Date", "value"], [dt.datetime(2026, 1, 31), 18.5], [dt.datetime(2026, 2, 28), "1 250,75 €"],
        [dt.datetime(2026, 3, 31), -3]]


def test_a_workbook_reads_as_the_plain_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An .xlsx named by `data:` (first sheet) gives the plain CSV's numbers: date and number cells as
    such, a text cell as a CSV's; the workbook in data/ is not an unknown file."""
    data = _workbook({"Ventes": ROWS, "Notes": [["rien"]]})
    checked = run(tmp_path, monkeypatch, data, name="data/ventes.xlsx", extra="    data: data/ventes.xlsx\n")
    assert codes(checked) == []
    assert measurements(checked) == EXPECTED


def test_a_workbook_sheet_and_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`sheet:` and `column:` pick another sheet and column; a date cell shown as a month (`mmm yyyy`) on
    the 1st stands for the month."""
    data = _workbook({"Notes": [["rien"]], "Mois": [["date", "Panier"], [dt.datetime(2026, 1, 1), 18.5],
                                                      [dt.datetime(2026, 2, 1), 20]]}, number_format="mmm yyyy")
    extra = "    data: data/ventes.xlsx\n    sheet: Mois\n    column: Panier\n"
    checked = run(tmp_path, monkeypatch, data, name="data/ventes.xlsx", extra=extra)
    assert codes(checked, "error") == []
    assert checked.plan is not None
    points = checked.plan.series["panier"].points
    assert [(p.date, p.period, p.value) for p in points] == [(dt.date(2026, 1, 1), "month", 18.5),
                                                             (dt.date(2026, 2, 1), "month", 20)]


def test_a_workbook_cell_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad cell of a workbook is named by its sheet and cell (B3), at its row and column."""
    rows = [ROWS[0], ROWS[1], [dt.datetime(2026, 2, 28), "abc"]]
    checked = run(tmp_path, monkeypatch, _workbook({"Ventes": rows}), name="data/ventes.xlsx",
                  extra="    data: data/ventes.xlsx\n")
    d = only(checked, "csv-row")
    assert (d.file, d.line, d.column) == ("plan/data/ventes.xlsx", 3, 2)
    assert d.message == "feuille `Ventes`, cellule B3 : `abc` n'est pas un nombre"


def test_a_missing_sheet_lists_the_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`sheet: Ventes` in a workbook without it is one error at that `sheet:` line, listing its sheets."""
    checked = run(tmp_path, monkeypatch, _workbook({"Feuil1": ROWS}), name="data/ventes.xlsx",
                  extra="    data: data/ventes.xlsx\n    sheet: Ventes\n", settings=EN_SETTINGS)
    d = only(checked, "xlsx")
    assert (d.file, d.line, d.column) == ("plan/objectives/ventes.md", 10, 5)
    assert d.message == "the workbook `data/ventes.xlsx` has no sheet `Ventes` (KPI `panier`)"
    assert d.hint == "write one of its sheets: Feuil1"


@pytest.mark.parametrize(("name", "data"), [("data/ventes.xlsx", b"not a zip"), ("data/ventes.xls", b"\xd0\xcf")])
def test_a_file_that_is_not_a_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str,
                                       data: bytes) -> None:
    """A damaged .xlsx or an old .xls is one `xlsx` error saying to save it as .xlsx or CSV, never a
    traceback."""
    checked = run(tmp_path, monkeypatch, data, name=name, extra=f"    data: {name}\n")
    d = only(checked, "xlsx")
    assert d.hint and ".xlsx" in d.hint
    assert codes(checked, "error") == ["xlsx"]


# --- what the reader sees ---------------------------------------------------------------------


def test_the_site_shows_the_exported_numbers(tmp_path: Path) -> None:
    """A site built from a French semicolon export shows the latest measurement as the plain CSV's would."""
    plan = tmp_path / "plan"
    (plan / "objectives").mkdir(parents=True)
    (plan / "data").mkdir()
    (plan / "strategy.yaml").write_text(MINIMAL_SETTINGS, encoding="utf-8")
    (plan / "objectives" / "ventes.md").write_text(OBJECTIVE.format(extra=""), encoding="utf-8")
    (plan / "data" / "panier.csv").write_bytes(EXPORTS["semicolon-utf8-bom"].replace("−3 €".encode(), b"1 300"))
    result = build(plan, tmp_path / "site", TODAY)
    assert result.ok, result.message
    page = (tmp_path / "site" / "objectives" / "ventes.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("\u202f", " ").replace("\u00a0", " ")
    assert "1 300" in text and "1 250,75" in text

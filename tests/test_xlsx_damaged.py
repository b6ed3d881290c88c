"""A workbook that cannot be read (cut short, a zip of something else, an .ods renamed, a part missing, torn or
not XML) is one `xlsx` error on the file, in the plan's language and saying what to do, never openpyxl's own
English words nor a traceback; an .xlsm without macros reads, one with macros says what a plan reads."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import codes, only
from tests.test_exports import EN_SETTINGS, ROWS, _workbook, measurements, run
from tests.test_xlsx_bounds import DATA, SHEET, _rewritten

BOOK = _workbook({"Ventes": ROWS})
MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _without(*names: str) -> bytes:
    """The workbook with some of its parts left out."""
    source = zipfile.ZipFile(io.BytesIO(BOOK))
    return _zip({info.filename: source.read(info.filename) for info in source.infolist()
                 if info.filename not in names})


def _torn() -> bytes:
    """The workbook with bytes of its sheet's packed data changed (a disk or a transfer that damaged it)."""
    info = zipfile.ZipFile(io.BytesIO(BOOK)).getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 5
    torn = bytearray(BOOK)
    torn[start:start + 2] = bytes(b ^ 0xFF for b in torn[start:start + 2])
    return bytes(torn)


def _as_xlsm(book: bytes) -> bytes:
    """`book` as Excel saves a macro-enabled workbook (.xlsm), its VBA left out."""
    types = zipfile.ZipFile(io.BytesIO(book)).read("[Content_Types].xml").decode()
    main_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    assert main_type in types
    return _rewritten(book, {"[Content_Types].xml": lambda: iter([types.replace(main_type, MACRO_TYPE).encode()])})


DAMAGED = {
    "cut short": lambda: BOOK[:len(BOOK) // 2],
    "cut before its end": lambda: BOOK[:-10],
    "a zip of text": lambda: _zip({"notes.txt": b"date;value\n"}),
    "an .ods renamed": lambda: _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                     "content.xml": b"<office:document-content/>"}),
    "a .docx renamed": lambda: _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
    "its sheet missing": lambda: _without(SHEET),
    "its workbook part missing": lambda: _without("xl/workbook.xml"),
    "its sheet not XML": lambda: _rewritten(BOOK, {SHEET: lambda: iter([b"<worksheet><sheetData><row"])}),
    "its sheet torn": _torn,
}

FRENCH = {
    "cut short": ("ce classeur est tronqué : le fichier s'arrête avant la fin de son archive zip (une copie ou "
                  "un téléchargement inachevé)", "copiez de nouveau le classeur"),
    "a zip of text": ("ce fichier est une archive zip, pas un classeur Excel", "indiquez un classeur Excel"),
    "an .ods renamed": ("ce fichier est un classeur OpenDocument (.ods) nommé comme un classeur Excel, qui n'est "
                        "pas lu", "Fichier > Enregistrer sous > Excel 2007-365"),
    "its sheet missing": ("ce classeur est abîmé : une de ses parties ne peut pas être lue",
                          "ouvrez-le dans Excel ou LibreOffice"),
}
FRENCH["cut before its end"] = FRENCH["cut short"]
FRENCH["a .docx renamed"] = FRENCH["a zip of text"]
for _case in ("its workbook part missing", "its sheet not XML", "its sheet torn"):
    FRENCH[_case] = FRENCH["its sheet missing"]


@pytest.mark.parametrize("case", list(DAMAGED))
def test_a_damaged_workbook_is_one_error_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   case: str) -> None:
    """Each way a workbook can be damaged or be something else gives the French reader one error on the file,
    saying what the file is and what to do, with no English reason from the library."""
    checked = run(tmp_path, monkeypatch, DAMAGED[case](), name="data/ventes.xlsx", extra=DATA)
    d = only(checked, "xlsx")
    message, hint_says = FRENCH[case]
    assert (d.file, d.line, d.column) == ("plan/data/ventes.xlsx", 1, 1)
    assert d.message == message
    assert d.hint and hint_says in d.hint
    assert codes(checked, "error") == ["xlsx"]


@pytest.mark.parametrize(("case", "message"), [
    ("cut short", "this workbook is cut short: the file stops before the end of its zip archive (a copy or a "
                  "download that did not finish)"),
    ("its sheet not XML", "this workbook is damaged: a part of it cannot be read"),
    ("a .docx renamed", "this file is a zip archive, not an Excel workbook"),
])
def test_a_damaged_workbook_is_said_in_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str,
                                               message: str) -> None:
    """An English plan reads the same errors in English."""
    checked = run(tmp_path, monkeypatch, DAMAGED[case](), name="data/ventes.xlsx", extra=DATA,
                  settings=EN_SETTINGS)
    assert only(checked, "xlsx").message == message


def test_the_terminal_names_the_damaged_file_without_a_traceback(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`strategy check` prints the file, line and column with the French message, and no traceback."""
    run(tmp_path, monkeypatch, DAMAGED["its sheet torn"](), name="data/ventes.xlsx", extra=DATA)
    result = CliRunner().invoke(main, ["check", "plan", "--today", "2026-04-15"])
    assert result.exit_code == 1
    assert result.output.startswith("plan/data/ventes.xlsx\n  1:1  erreur  ce classeur est abîmé : une de ses "
                                    "parties ne peut pas être lue  [xlsx]\n")
    assert "Traceback" not in result.output and "Error -3" not in result.output


def test_an_xlsm_without_macros_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A macro-enabled workbook (.xlsm) holding no VBA gives its numbers, as docs/format.md says."""
    checked = run(tmp_path, monkeypatch, _as_xlsm(BOOK), name="data/ventes.xlsm",
                  extra="    data: data/ventes.xlsm\n")
    assert codes(checked, "error") == []
    assert [v for _, v in measurements(checked)] == [18.5, 1250.75, -3.0]


def test_an_xlsm_with_macros_says_what_a_plan_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An .xlsm holding its VBA is one error saying that a plan reads workbooks without macros, and how to
    save one."""
    data = _rewritten(_as_xlsm(BOOK), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"})
    checked = run(tmp_path, monkeypatch, data, name="data/ventes.xlsm", extra="    data: data/ventes.xlsm\n",
                  settings=EN_SETTINGS)
    d = only(checked, "xlsx")
    assert d.message == ("this workbook holds macros (VBA): a plan reads workbooks without macros only (.xlsx, or "
                         ".xlsm without its VBA)")
    assert d.hint == "save it as an Excel workbook (.xlsx), which keeps no macros, or export the sheet as CSV UTF-8"
    assert codes(checked, "error") == ["xlsx"]

"""A hostile or unusual .xlsx (a zip bomb, a huge sheet, macros, external links, a password) is one clear
`xlsx` error in the plan's language before openpyxl unpacks it, never a traceback, a hang or a half-written
site; a real workbook, up to a 300,000-row sheet, still reads."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook

from generator.build import build
from generator.plan.diagnostics import Diagnostics, Location
from generator.read import xlsx_bounds
from generator.read.data_words import Reporter
from tests.conftest import codes, only
from tests.test_exports import EN_SETTINGS, ROWS, TODAY, _workbook, measurements, run

SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_END = b"</sheetData></worksheet>"
DATA = "    data: data/ventes.xlsx\n"


def _rewritten(book: bytes, replace: dict[str, Callable[[], Iterator[bytes]]] | None = None,
               add: dict[str, bytes] | None = None, level: int = 6) -> bytes:
    """A real workbook with some parts written anew (streamed: a part may be hundreds of MB) or added."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as parts:
        for info in source.infolist():
            if info.filename not in replace:
                parts.writestr(info.filename, source.read(info.filename))
                continue
            with parts.open(info.filename, "w", force_zip64=True) as part:
                for chunk in replace[info.filename]():
                    part.write(chunk)
        for name, data in add.items():
            parts.writestr(name, data)
    return out.getvalue()


def _repeated_cells(megabytes: int) -> Callable[[], Iterator[bytes]]:
    """A sheet of `megabytes` MB of the same row again and again: what a zip bomb is made of."""
    def chunks() -> Iterator[bytes]:
        yield SHEET_START
        rows = b'<row><c t="n"><v>1</v></c><c t="n"><v>2</v></c></row>' * 20_000
        for _ in range(megabytes * 1024 * 1024 // len(rows)):
            yield rows
        yield SHEET_END
    return chunks


def _daily_rows(count: int, columns: int) -> Callable[[], Iterator[bytes]]:
    """A sheet of `count` daily rows of a date and `columns - 1` decimals, written as openpyxl writes them."""
    def chunks() -> Iterator[bytes]:
        yield SHEET_START
        letters = "ABCDEFGHIJ"[:columns]
        for r in range(2, count + 2):
            cells = [f'<c r="A{r}" t="n" s="1"><v>{36526 + r}</v></c>']
            cells += [f'<c r="{c}{r}" t="n"><v>{1234.5 + r * 0.37 + k}</v></c>' for k, c in enumerate(letters[1:])]
            yield f'<row r="{r}">{"".join(cells)}</row>'.encode()
        yield SHEET_END
    return chunks


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A real workbook whose sheet is 300 MB of repeated cells, packed to less than 1 MB."""
    data = _rewritten(_workbook({"Ventes": ROWS}), {SHEET: _repeated_cells(300)})
    assert len(data) < 1024 * 1024
    return data


def test_a_zip_bomb_is_one_error_and_no_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bomb: bytes) -> None:
    """A 0.9 MB workbook that unpacks to 300 MB is refused from its zip directory, in French for a French
    plan, saying to export a CSV or split it; the build writes no site."""
    checked = run(tmp_path, monkeypatch, bomb, name="data/ventes.xlsx", extra=DATA)
    d = only(checked, "xlsx")
    assert (d.file, d.line) == ("plan/data/ventes.xlsx", 1)
    assert d.message.startswith("ce classeur se décompresse en 299,2 Mo, plus que les 256 Mo permis")
    assert d.hint == "exportez la feuille en CSV UTF-8, ou répartissez le classeur en plusieurs fichiers"
    assert codes(checked, "error") == ["xlsx"]
    result = build(Path("plan"), tmp_path / "site", TODAY)
    assert not result.ok and not (tmp_path / "site").exists()


def test_a_part_packed_too_tight_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet under every size limit but packed ~300 times (repeated cells) is one error naming the part."""
    data = _rewritten(_workbook({"Ventes": ROWS}), {SHEET: _repeated_cells(40)})
    checked = run(tmp_path, monkeypatch, data, name="data/ventes.xlsx", extra=DATA, settings=EN_SETTINGS)
    d = only(checked, "xlsx")
    assert d.message == (f"the part `{SHEET}` of this workbook unpacks to 39.4 MB from 118 KB (343 times): "
                         "a workbook of real data never packs that tight")
    assert codes(checked, "error") == ["xlsx"]


def test_a_sheet_over_its_size_is_refused_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sheet read, unpacking to more XML than a sheet may, is named by its sheet name (limit lowered)."""
    monkeypatch.setattr(xlsx_bounds, "MAX_SHEET_BYTES", 1024)
    data = _workbook({"Notes": [["rien"]], "Ventes": ROWS * 20})
    checked = run(tmp_path, monkeypatch, data, name="data/ventes.xlsx", extra=DATA + "    sheet: Ventes\n",
                  settings=EN_SETTINGS)
    d = only(checked, "xlsx")
    assert d.message.startswith("the sheet `Ventes` unpacks to 0.0 MB, more than the 0 MB a sheet may")


def test_a_sheet_of_too_many_cells_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet holding more cells than a sheet may (limit lowered) is one error, not a grid in memory."""
    monkeypatch.setattr(xlsx_bounds, "MAX_SHEET_CELLS", 10)
    checked = run(tmp_path, monkeypatch, _workbook({"Ventes": ROWS * 3}), name="data/ventes.xlsx", extra=DATA)
    d = only(checked, "xlsx")
    assert d.message == "la feuille `Ventes` contient plus de 10 cellules, le plus qu'une feuille peut en " \
                        "contenir (300 000 lignes de 6 colonnes)"
    assert codes(checked, "error") == ["xlsx"]


def _encrypted() -> bytes:
    """What Excel saves for a workbook with a password: an OLE compound file holding `EncryptedPackage`."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(64)


@pytest.mark.parametrize(("case", "message", "hint_says"), [
    ("macros", "ce classeur contient des macros (VBA) : un plan ne lit que des classeurs sans macros (.xlsx, ou "
                ".xlsm sans son VBA)", "classeur Excel (.xlsx), qui ne garde pas de macros"),
    ("links", "ce classeur prend des valeurs dans d'autres fichiers (liaisons externes), qui ne peuvent pas "
              "être lus avec lui", "Rompre la liaison"),
    ("password", "ce classeur est protégé par un mot de passe : il ne peut pas être lu", "sans mot de passe"),
    ("xls", "ce fichier est un classeur Excel 97-2003 (.xls) nommé .xlsx, qui n'est pas lu", "classeur Excel (.xlsx)"),
    ("text", "ce fichier n'est pas un classeur .xlsx (un .xlsx est une archive zip)", "CSV UTF-8"),
])
def test_a_workbook_that_cannot_be_taken_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str,
                                                   message: str, hint_says: str) -> None:
    """An .xlsm renamed .xlsx (macros), a workbook linked to other files, one saved with a password, an .xls
    renamed, or text named .xlsx: each is one error saying what it is and how to save it instead."""
    book = _workbook({"Ventes": ROWS})
    data = {
        "macros": lambda: _rewritten(book, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"}),
        "links": lambda: _rewritten(book, add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}),
        "password": _encrypted,
        "xls": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le"),
        "text": lambda: b"date;value\n2026-01;12\n",
    }[case]()
    checked = run(tmp_path, monkeypatch, data, name="data/ventes.xlsx", extra=DATA)
    d = only(checked, "xlsx")
    assert d.message == message
    assert d.hint and hint_says in d.hint
    assert codes(checked, "error") == ["xlsx"]


def test_a_300000_row_sheet_is_within_bounds() -> None:
    """A real sheet of 300,000 daily rows of 5 columns (68 MB of XML, 1.5 million cells) is not refused by
    any bound (openpyxl reading it whole takes 30 s: measured by hand, not here)."""
    packed = _rewritten(_workbook({"Ventes": ROWS}), {SHEET: _daily_rows(300_000, 5)}, level=1)
    diagnostics = Diagnostics()
    report = Reporter(diagnostics, lambda line, column: Location("data/ventes.xlsx", line, column), "en")
    with zipfile.ZipFile(io.BytesIO(packed)) as parts:
        assert parts.getinfo(SHEET).file_size > 60 * 1024 * 1024
        assert not xlsx_bounds.parts_refused(parts, report)
        assert not xlsx_bounds.sheet_refused(parts, "/" + SHEET, "Ventes", report)
    assert xlsx_bounds.MAX_SHEET_CELLS >= 300_000 * 5
    assert list(diagnostics) == []


def test_a_real_workbook_with_text_cells_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook of several sheets with shared strings, styles and a date format passes every bound and
    gives its numbers."""
    book = Workbook()
    book.active.title = "Ventes"
    for row in ROWS:
        book.active.append(row)
    notes = book.create_sheet("Notes")
    for i in range(500):
        notes.append([f"note {i}", dt.datetime(2026, 1, 1) + dt.timedelta(days=i), "texte partagé"])
    out = io.BytesIO()
    book.save(out)
    checked = run(tmp_path, monkeypatch, out.getvalue(), name="data/ventes.xlsx", extra=DATA)
    assert codes(checked, "error") == []
    assert [v for _, v in measurements(checked)] == [18.5, 1250.75, -3.0]

"""A workbook's bytes opened as a zip once, for every judgement made before openpyxl reads them, and what
keeps a file from being read as a workbook, said in the plan's language (never openpyxl's own words):

- no zip: a workbook saved with a password, an .xls renamed, a file cut short, a file of another kind;
- a zip holding no workbook: an OpenDocument spreadsheet (.ods) renamed, another archive;
- a workbook damaged inside, found by openpyxl as it reads (a part missing, torn or not XML): one error
  whatever openpyxl raised.
"""

from __future__ import annotations

import io
import zipfile

from .data_words import Reporter

# what a workbook saved with a password, or an Excel 97-2003 file, starts with (an OLE compound file)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"  # a zip's first part, there even when the file was cut short
_ODS_TYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def opened(raw: bytes, report: Reporter) -> zipfile.ZipFile | None:
    """`raw` opened as a zip, or None when it is no zip, so no workbook (reported)."""
    try:
        return zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):  # its directory missing or unreadable
        pass
    if raw.startswith(_ZIP_MAGIC):
        report("error", "xlsx", 1, 1, "xlsx-truncated")
    elif not raw.startswith(_OLE_MAGIC):
        report("error", "xlsx", 1, 1, "xlsx-not-zip")
    elif "EncryptedPackage".encode("utf-16-le") in raw:  # the stream an encrypted workbook is kept in
        report("error", "xlsx", 1, 1, "xlsx-password")
    else:
        report("error", "xlsx", 1, 1, "xlsx-is-xls")
    return None


def not_a_workbook(parts: zipfile.ZipFile, report: Reporter) -> bool:
    """True when the zip holds no Excel workbook (reported): every workbook, as Excel, LibreOffice or Google
    Sheets save it, lists its parts' kinds in [Content_Types].xml and keeps them under xl/. Judged once its
    sizes passed (xlsx_bounds.parts_refused)."""
    names = parts.namelist()
    if "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names):
        return False
    if "mimetype" in names:
        with parts.open("mimetype") as kind:
            if kind.read(len(_ODS_TYPE)) == _ODS_TYPE:
                report("error", "xlsx", 1, 1, "xlsx-is-ods")
                return True
    report("error", "xlsx", 1, 1, "xlsx-not-workbook")
    return True


def damaged(report: Reporter) -> None:
    """A workbook openpyxl failed to read: a part missing, torn (its CRC) or not XML; openpyxl says so in
    many ways, none of them the reader's words."""
    report("error", "xlsx", 1, 1, "xlsx-damaged")

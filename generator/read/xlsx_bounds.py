"""What a workbook may unpack to, judged from its zip directory before openpyxl reads a byte of it.

An .xlsx is a zip of XML parts: 32 MB on disk (budgets.MAX_DATA_FILE_BYTES) can unpack to gigabytes (a zip
bomb) and hold the build for minutes. The sizes judged here are the ones the zip's directory declares, and
they are what reading can cost: Python's zipfile never yields more than a part's declared size (a part that
holds more fails its CRC check, an `xlsx-damaged` error).

Measured (2026-12) on a sheet of 300,000 daily rows as openpyxl saves it: 32 MB of sheet XML with 2 columns
(4.4 MB on disk, 7 times smaller), 68 MB with 5 columns (8.6 MB); `strategy check` read the 2-column one in
30 s with 310 MB of memory on the 2-core build machine.
"""

from __future__ import annotations

import zipfile

from ..plan.messages import Fixed
from .data_words import Reporter

# the sheet read may unpack to this much XML: 300,000 rows of 5 numeric columns (68 MB) pass
MAX_SHEET_BYTES = 96 * 1024 * 1024
# and may hold this many cells (empty ones between two written included): ~200 bytes of memory each, so a
# sheet of 300,000 rows of 5 columns (1.5 million) passes and a hostile one stays under ~600 MB. Its XML alone
# does not bound them: 94 MB of one-digit cells are 5.6 million (1.2 GB, 85 s), and one cell written in
# column XFD stands for 16,384
MAX_SHEET_CELLS = 2_000_000
# every part together (other sheets, shared strings, styles…), however many sheets are not read
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# a part larger than SMALL_PART may unpack to at most MAX_RATIO times its packed size: real sheets pack 5 to 20
# times; a part of repeated cells packs ~1,000 times (what a bomb is made of)
MAX_RATIO = 100
SMALL_PART = 1024 * 1024
# a workbook of a few sheets holds 10 to 50 parts (each sheet, its relations, styles, drawings…)
MAX_PARTS = 2_000
_MACROS = "vbaproject.bin"
_EXTERNAL_LINKS = "xl/externallinks/"


def _megabytes(size: int) -> Fixed:
    return Fixed(size / 1_048_576)


def parts_refused(parts: zipfile.ZipFile, report: Reporter) -> bool:
    """True when the workbook's parts are more, or unpack to more, than a workbook may (reported), or hold
    macros or links to other files."""
    infos = parts.infolist()
    if len(infos) > MAX_PARTS:
        report("error", "xlsx", 1, 1, "xlsx-parts", count=len(infos), most=MAX_PARTS)
        return True
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        report("error", "xlsx", 1, 1, "xlsx-unpacked", size=_megabytes(total),
               most=MAX_UNPACKED_BYTES // 1_048_576)
        return True
    for info in infos:
        if info.file_size > SMALL_PART and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            report("error", "xlsx", 1, 1, "xlsx-ratio", part=info.filename, size=_megabytes(info.file_size),
                   packed=Fixed(info.compress_size / 1024, 0), ratio=info.file_size // max(info.compress_size, 1))
            return True
    names = [info.filename.lower() for info in infos]
    if any(name.endswith(_MACROS) for name in names):
        report("error", "xlsx", 1, 1, "xlsx-macros")
        return True
    if any(name.startswith(_EXTERNAL_LINKS) for name in names):
        report("error", "xlsx", 1, 1, "xlsx-links")
        return True
    return False


def sheet_refused(parts: zipfile.ZipFile, part: str | None, sheet: str, report: Reporter) -> bool:
    """True when the sheet to read, the part `part` of the workbook, unpacks to more XML than a sheet may
    (reported)."""
    try:
        size = parts.getinfo(part.lstrip("/")).file_size if part else 0
    except KeyError:
        return False  # a sheet without its part: openpyxl says so
    if size <= MAX_SHEET_BYTES:
        return False
    report("error", "xlsx", 1, 1, "xlsx-sheet-large", sheet=sheet, size=_megabytes(size),
           most=MAX_SHEET_BYTES // 1_048_576)
    return True

"""A KPI's measurements from an Excel workbook (.xlsx): one sheet (the KPI's `sheet:`, else the first),
its first non-empty row naming the columns.

Date cells and number cells are taken as such; a date cell formatted without its day (`mmm yyyy`) on the
first of a month stands for that month. Text cells are read like a CSV's (kpi_data). Every cell keeps its
name (B14) for the diagnostics. openpyxl reads the file in read-only mode, formulas by their saved value.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from ..plan import periods
from . import xlsx_bounds
from .data_words import Reporter
from .kpi_csv import Cell, Grid


def grid(raw: bytes, sheet: str | None, kpi: str, column: str, report: Reporter) -> Grid | None:
    """The header and rows of the workbook's sheet, or None (reported)."""
    from openpyxl import load_workbook  # only a plan with a workbook pays for importing it
    from openpyxl.utils import get_column_letter

    if xlsx_bounds.not_a_zip(raw, report):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as parts:  # judged before openpyxl unpacks anything
            if xlsx_bounds.parts_refused(parts, report):
                return None
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or foreign file fails in many ways inside openpyxl: each is this error
        report("error", "xlsx", 1, 1, "xlsx-unreadable", reason=str(exc) or type(exc).__name__)
        return None
    try:
        names = book.sheetnames
        name = sheet if sheet is not None else names[0]
        if name not in names:
            report("error", "xlsx", 1, 1, "no-sheet", sheet=name, kpi=kpi, sheets=", ".join(names))
            return None
        # the part of the sheet read (openpyxl keeps its name privately): bounded before its rows are parsed
        part = getattr(book[name], "_worksheet_path", None)
        with zipfile.ZipFile(io.BytesIO(raw)) as parts:
            if xlsx_bounds.sheet_refused(parts, part, name, report):
                return None
        report.sheet = name
        table: Grid | None = None
        kept = 0  # cells read so far: what the grid costs in memory
        for row_number, row in enumerate(book[name].iter_rows(min_row=1, min_col=1), start=1):
            cells = [Cell(_value(c), row_number, col, f"{get_column_letter(col)}{row_number}")
                     for col, c in enumerate(row, start=1)]
            kept += len(cells)
            if kept > xlsx_bounds.MAX_SHEET_CELLS:
                report("error", "xlsx", 1, 1, "xlsx-sheet-cells", sheet=name, most=xlsx_bounds.MAX_SHEET_CELLS)
                return None
            if all(c.text == "" for c in cells):
                continue
            if table is None:
                table = Grid(cells)
            else:
                table.rows.append(cells)
    except Exception as exc:  # a damaged sheet, found while reading it
        report("error", "xlsx", 1, 1, "xlsx-unreadable", reason=str(exc) or type(exc).__name__)
        return None
    finally:
        book.close()
    if table is None:
        report("error", "csv-header", 1, 1, "empty-sheet", sheet=name, column=column)
    return table


def _value(cell: Any) -> object:
    value = cell.value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if value.day == 1 and not _shows_day(getattr(cell, "number_format", "") or ""):
            return periods.written(value, periods.MONTH)  # "janv. 2026": January, not its first day
        return value.isoformat()
    if isinstance(value, int | float):
        return float(value)
    return value


def _shows_day(number_format: str) -> bool:
    """Whether an Excel date format writes the day (d, dd, ddd); quoted text and [$-fr-FR] are not formats."""
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]', "", number_format.lower())
    return "d" in bare or bare in ("general", "")

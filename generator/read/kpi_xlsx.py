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
from dataclasses import dataclass
from typing import Any

from ..plan import periods
from . import xlsx_bounds, xlsx_open
from .data_words import Reporter
from .kpi_csv import Cell, Grid


@dataclass(frozen=True)
class MissingSheet:
    """The KPI's `sheet:` names no sheet of the workbook: reported by the loader at that `sheet:` line, since
    the reading of a workbook, kept by its content, knows nothing of the KPI but its sheet's name."""

    sheet: str
    sheets: tuple[str, ...]  # the workbook's, in its order


class NoSuchSheet(Exception):
    """Raised by `grid` when the KPI's `sheet:` is not in the workbook."""

    def __init__(self, missing: MissingSheet) -> None:
        super().__init__(missing.sheet)
        self.missing = missing


def grid(raw: bytes, sheet: str | None, kpi: str, column: str, report: Reporter) -> Grid | None:
    """The header and rows of the workbook's sheet, or None (reported); raises `NoSuchSheet`, not reported."""
    parts = xlsx_open.opened(raw, report)  # judged from its zip directory before openpyxl unpacks anything
    if parts is None:
        return None
    with parts:
        if xlsx_bounds.parts_refused(parts, report) or xlsx_open.not_a_workbook(parts, report):
            return None
        return _sheet_grid(raw, parts, sheet, kpi, column, report)


def _sheet_grid(raw: bytes, parts: zipfile.ZipFile, sheet: str | None, kpi: str, column: str,
                report: Reporter) -> Grid | None:
    """`grid`, once the workbook's zip (`parts`) passed every judgement made before reading it."""
    from openpyxl import load_workbook  # only a plan with a workbook pays for importing it
    from openpyxl.utils import get_column_letter

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # a damaged workbook fails in many ways inside openpyxl: each is this error
        xlsx_open.damaged(report)
        return None
    try:
        names = book.sheetnames
        name = sheet if sheet is not None else names[0]
        if name not in names:
            raise NoSuchSheet(MissingSheet(name, tuple(names)))
        # the part of the sheet read (openpyxl keeps its name privately): bounded before its rows are parsed
        part = getattr(book[name], "_worksheet_path", None)
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
    except NoSuchSheet:
        raise
    except Exception:  # a damaged sheet (its part missing, torn or not XML), found while reading it
        xlsx_open.damaged(report)
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

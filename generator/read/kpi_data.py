"""A KPI's data file, CSV or workbook, turned into its measurements: the loader's one way in.

The file is read as it is written (kpi_csv, kpi_xlsx); then what the whole file means is decided from
its cells, never guessed: the decimal mark (`18,50` says comma, `12.5` says dot, `1.250` alone says
neither) and the order of `03/04/2026` (a `31/01/2026` says day first). A file that reads two ways with
different numbers is one error naming the cell and what to write; the KPI's `csv:` mapping settles it.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass

from babel.numbers import get_currency_symbol

from ..plan import i18n
from ..plan.model import Point, Series
from ..plan.schema import MAX_NUMBER
from . import kpi_csv, kpi_xlsx
from .budgets import WORKBOOKS
from .data_words import Reporter
from .kpi_csv import DAY_FIRST, MONTH_FIRST, Cell, Grid, Written
from .plain_csv import plain_series

NOT_READ = {".xls": "Excel 97-2003 (.xls)", ".ods": "OpenDocument (.ods)", ".numbers": "Numbers"}


@dataclass(frozen=True)
class ReadSpec:
    """All that reading one KPI's data depends on besides the file's bytes (a key of the parse cache)."""

    kpi: str
    column: str = "value"
    unit: str | None = None
    language: str = "en"
    currency: str = "EUR"
    separator: str | None = None  # `csv:` overrides
    decimal: str | None = None
    dates: str | None = None
    encoding: str | None = None
    sheet: str | None = None


def read_series(raw: bytes, rel: str, spec: ReadSpec, report: Reporter) -> Series | None:
    """The KPI's measurements in `rel`, or None when the file cannot be read as a whole (reported)."""
    suffix = posixpath.splitext(rel)[1].lower()
    if suffix == ".xls" and raw.startswith(b"PK\x03\x04"):  # a zip: an .xlsx workbook renamed, not an old .xls
        renamed = posixpath.splitext(rel)[0] + ".xlsx"
        report("error", "xlsx", 1, 1, "xlsx-named-xls", name=posixpath.basename(rel),
               renamed=posixpath.basename(renamed), path=renamed)
        return None
    if suffix in NOT_READ:
        report("error", "xlsx", 1, 1, "xlsx-old", name=posixpath.basename(rel), kind=NOT_READ[suffix])
        return None
    if suffix in WORKBOOKS:
        table = kpi_xlsx.grid(raw, spec.sheet, spec.kpi, spec.column, report)
    else:
        text = kpi_csv.decode(raw, spec.encoding, spec.kpi, report)
        if text is None:
            return None
        if spec.separator in (None, ",") and spec.decimal is None and spec.dates is None:
            plain = plain_series(text, rel, spec.column)  # `2026-11-03,1450` rows: read at once
            if plain is not None:
                return plain
        separator = kpi_csv.SEPARATORS.get(spec.separator or "")
        table = kpi_csv.grid(text, separator, "date", spec.kpi, report)
    if table is None:
        return None
    return _series(table, rel, spec, report)


def _index(names: list[str], name: str) -> int | None:
    if name in names:
        return names.index(name)
    lowered = [n.lower() for n in names]
    return lowered.index(name.lower()) if name.lower() in lowered else None


def _series(table: Grid, rel: str, spec: ReadSpec, report: Reporter) -> Series | None:
    names = [c.text for c in table.header]
    di, vi = _index(names, "date"), _index(names, spec.column)
    shown_separator = table.separator if table.separator in (",", ";") else ", "  # a tab is not seen
    if di is None or vi is None:
        missing = [f"`{m}`" for m, i in (("date", di), (spec.column, vi)) if i is None]
        first = table.header[0]
        others = [n for i, n in enumerate(names) if n and i != di]
        if di is not None and others:  # an export's own name for the values (Montant): say it in the KPI, first
            report("error", "csv-header", first.line, 1, "no-value-column", missing=", ".join(missing),
                   kpi=spec.kpi, column=others[0], others=", ".join(f"`{n}`" for n in others),
                   example=f"date{shown_separator.strip()}{spec.column}", count=len(others))
            return None
        report("error", "csv-header", first.line, 1, "no-column", missing=", ".join(missing), kpi=spec.kpi,
               example=f"date{shown_separator.strip()}{spec.column}", found=shown_separator.join(names))
        return None
    rows: list[tuple[Cell, Cell, Written | None]] = []
    for cells in table.rows:
        if table.separator is None:  # a workbook's row: cells past its last are empty
            width = max(di, vi) + 1
            cells = cells + [Cell(None, cells[0].line, len(cells) + k + 1) for k in range(width - len(cells))]
        else:
            while len(cells) > len(names) and not cells[-1].text:  # `;;` left by a spreadsheet
                cells = cells[:-1]
            if len(cells) != len(names):
                key = "row-cells-comma" if table.separator == "," and len(cells) > len(names) else "row-cells"
                report("error", "csv-row", cells[0].line, 1, key, count=len(cells), expected=len(names),
                       header=shown_separator.join(names))
                continue
        cell = cells[vi]
        rows.append((cells[di], cell, kpi_csv.written(cell.text) if isinstance(cell.value, str) else None))
    order = _date_order([d for d, _, _ in rows], spec, report)
    units = accepted_units(spec.unit, spec.currency)
    # a number in another unit ($140,310.75 in a € KPI) is that cell's one error (_number): it does not vote
    # on the file's decimal mark, which its own writing may contradict
    decimal = _decimal([(v, n) for _, v, n in rows if n is not None and (not n.unit or n.unit.lower() in units)],
                       table.separator, spec, report)
    if order is None or decimal is None:
        return None
    points: list[Point] = []
    seen: dict[dt.date, tuple[int, str]] = {}  # the first day of a period → (line, date as written)
    for date_cell, value_cell, number in rows:
        line, date_text = date_cell.line, date_cell.text
        dated = kpi_csv.read_date(date_text, order, spec.language)
        if dated is None:
            report("error", "csv-row", line, date_cell.column, "not-date", cell=date_cell.name, text=date_text,
                   hint=kpi_csv.date_hint(date_text, order, report))
            continue
        if value_cell.text == "":
            report("error", "csv-row", line, value_cell.column, "empty-value", cell=value_cell.name,
                   column=spec.column, date=date_text)
            continue
        value = _number(value_cell, number, decimal, units, spec, report)
        if value is None:
            continue
        if abs(value) >= MAX_NUMBER:
            report("error", "csv-row", line, value_cell.column, "too-large", cell=value_cell.name,
                   text=value_cell.text[:30])
            continue
        date, period = dated
        if date in seen:
            first_line, first_written = seen[date]
            key = "twice" if first_written == date_text else "same-start"
            report("error", "csv-row", line, 1, key, cell=date_cell.name, date=date_text, other=first_written,
                   first_line=first_line)
            continue
        seen[date] = (line, date_text)
        points.append(Point(date, value, line, period))
    points.sort(key=lambda p: p.date)
    return Series(path=rel, column=spec.column, points=tuple(points))


# the locales whose symbols a cell may carry: the plan languages' own, and those writing the dollar apart from
# the others' (`US$` in en-GB and en-CA, `$ US` in fr-CA), as exports from their spreadsheets do
_SYMBOL_LOCALES = (*i18n.LOCALES.values(), "en_GB", "en_CA", "fr_CA")


def accepted_units(unit: str | None, currency: str) -> frozenset[str]:
    """The signs a number cell may carry for a KPI in `unit` (lower case): the unit itself, and a
    currency's code and symbols for each other (`€` and `EUR`)."""
    if not unit or not unit.strip():
        return frozenset()
    unit = unit.strip()
    signs = {unit}
    for code in {currency, unit.upper()}:
        if len(code) != 3 or not code.isalpha():
            continue
        symbols = {get_currency_symbol(code, locale) for locale in _SYMBOL_LOCALES} | {code}
        if unit in symbols or unit.upper() == code:
            signs |= symbols
    return frozenset(s.lower() for s in signs)


def _number(cell: Cell, number: Written | None, decimal: str, units: frozenset[str], spec: ReadSpec,
            report: Reporter) -> float | None:
    """The value of a number cell with the file's decimal mark, or None (reported)."""
    if isinstance(cell.value, float):  # a workbook's number cell
        return cell.value
    text = cell.text
    example = "1250,5" if decimal == "," else "1250.5"
    where = (cell.line, cell.column)
    if number is None or number.readings() == (None, None):
        report("error", "csv-row", *where, "not-number", cell=cell.name, text=text)
        return None
    if number.unit and number.unit.lower() not in units:
        bare = _as_written(number, decimal)  # the number as this file writes numbers
        money = i18n.Formatter(spec.language, spec.currency).money_unit  # what the site shows as money
        if units and money(number.unit) and money(spec.unit):  # $ in a € KPI: convert it
            report("error", "csv-row", *where, "other-currency", cell=cell.name, text=text, found=number.unit,
                   unit=spec.unit, example=example)
        elif units:
            report("error", "csv-row", *where, "other-unit", cell=cell.name, text=text, found=number.unit,
                   unit=spec.unit, example=bare)
        else:
            report("error", "csv-row", *where, "unit-without", cell=cell.name, text=text, found=number.unit,
                   kpi=spec.kpi, example=bare)
        return None
    value = number.value(decimal)
    if value is None:
        comma = number.value(",")
        if decimal == "." and comma is not None:
            report("error", "csv-row", *where, "comma-in-en", cell=cell.name, text=text, kpi=spec.kpi,
                   example=f"{comma:g}")
        else:
            report("error", "csv-row", *where, "not-number-comma" if decimal == "," else "not-number-dot",
                   cell=cell.name, text=text, example=example)
    return value


def _as_written(number: Written, decimal: str) -> str:
    """The number alone, with this file's decimal mark (`1250,5`), or as written when it reads no other way."""
    value = number.value(decimal)
    if value is None:
        value = number.value("." if decimal == "," else ",")
    if value is None:
        return number.sign + number.body
    text = f"{value:.15g}"
    return text.replace(".", ",") if decimal == "," else text


def _decimal(cells: list[tuple[Cell, Written]], separator: str | None, spec: ReadSpec,
             report: Reporter) -> str | None:
    """The file's decimal mark: the KPI's, else the one its numbers prove; None when they prove both or
    neither while reading differently (reported)."""
    if spec.decimal is not None:
        return spec.decimal
    if separator == "," and spec.language != "fr":
        return "."  # an English comma-separated file: "1,250" is 1250, and "18,50" a mistake, at its cell
    comma = dot = either = None
    for cell, number in cells:
        with_comma, with_dot = number.readings()
        if with_comma is not None and with_dot is None:
            comma = comma or (cell, number)
        elif with_dot is not None and with_comma is None:
            dot = dot or (cell, number)
        elif with_comma is not None and with_comma != with_dot:
            either = either or (cell, number)
    if comma and dot:
        second = max(comma, dot, key=lambda found: found[0].line)[0]
        report("error", "csv-row", second.line, second.column, "decimal-mixed", cell=second.name,
               comma=comma[0].text, comma_line=comma[0].line, dot=dot[0].text, dot_line=dot[0].line, kpi=spec.kpi)
        return None
    if comma:
        return ","
    if dot or either is None:
        return "."
    cell, number = either
    if separator == "," and "," not in number.body:
        return "."  # 1.250 in a comma-separated file is 1.25, as it always was
    with_comma, with_dot = number.readings()
    fmt = i18n.Formatter(spec.language)
    report("error", "csv-row", cell.line, cell.column, "decimal-either", cell=cell.name, text=cell.text,
           comma=fmt.number(with_comma or 0), dot=fmt.number(with_dot or 0), kpi=spec.kpi)
    return None


def _date_order(cells: list[Cell], spec: ReadSpec, report: Reporter) -> str | None:
    """How the file writes `03/04/2026`: the KPI's order, else the one its dates prove, else day first in
    a French plan; None when its dates prove both, or only month first in a French plan, or neither in an
    English plan while some read two ways (reported)."""
    if spec.dates is not None:
        return spec.dates
    day = month = either = None
    for cell in cells:
        readings = kpi_csv.slashed(cell.text)
        if readings is None:
            continue
        day_first, month_first = readings
        if day_first is not None and month_first is None:
            day = day or (cell, day_first)
        elif month_first is not None and day_first is None:
            month = month or (cell, month_first)
        elif day_first is not None and day_first != month_first:
            either = either or (cell, day_first, month_first)
    if day and month:
        second = max(day, month, key=lambda found: found[0].line)[0]
        report("error", "csv-row", second.line, second.column, "dates-mixed", cell=second.name,
               day=day[0].text, day_line=day[0].line, month=month[0].text, month_line=month[0].line,
               iso=day[1].isoformat())
        return None
    if day:
        return DAY_FIRST
    if month:
        if spec.language == "en":
            return MONTH_FIRST
        cell, date = month
        report("error", "csv-row", cell.line, cell.column, "month-first-fr", cell=cell.name, text=cell.text,
               iso=date.isoformat(), kpi=spec.kpi)
        return None
    if either is None or spec.language == "fr":
        return DAY_FIRST
    cell, day_first, month_first = either
    fmt = i18n.Formatter(spec.language)
    report("error", "csv-row", cell.line, cell.column, "dates-either", cell=cell.name, text=cell.text,
           day_first=fmt.date(day_first, "long"), month_first=fmt.date(month_first, "long"),
           iso=day_first.isoformat(), kpi=spec.kpi)
    return None

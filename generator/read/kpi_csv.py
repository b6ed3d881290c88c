"""A KPI's CSV as spreadsheets export it: its encoding, its separator, its numbers and its dates.

Each is read as the file writes it, never guessed: UTF-8 with or without BOM, UTF-16 with BOM, else
Windows-1252 (with a warning); `,` `;` or tab, found in the header; a decimal comma or dot, thousands
separated by spaces or by the other mark; `DD/MM/YYYY`, `DD.MM.YYYY`, and `MM/DD/YYYY` where nothing
else fits. Deciding what a whole file means (which decimal mark, which date order) is kpi_data's job;
here are the readings of one cell.
"""

from __future__ import annotations

import codecs
import datetime as dt
import math
import re
from dataclasses import dataclass, field

from ..plan import impossible_day, periods
from .data_words import Reporter
from .unreadable import wide_encoding

# `csv: encoding:` values → Python codecs, and the name a warning gives the encoding read
ENCODINGS = {"utf-8": "utf-8-sig", "utf-16": "utf-16", "windows-1252": "cp1252"}
SEPARATORS = {",": ",", ";": ";", "tab": "\t", "\t": "\t"}
SPACES = " \u00a0\u202f"  # thousands separators: space, no-break space, narrow no-break space (French Excel)


@dataclass(frozen=True, slots=True)  # slots: a 300,000-row export holds a million of them
class Cell:
    """One cell as written: its text (or, from a workbook, its number or date), where it starts, and in a
    workbook its name (B14)."""

    value: object
    line: int
    column: int
    name: str | None = None

    @property
    def text(self) -> str:
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        return "" if self.value is None else str(self.value).strip()


@dataclass
class Grid:
    """A data file's header and rows of cells; `separator` is the CSV's (None for a workbook)."""

    header: list[Cell]
    rows: list[list[Cell]] = field(default_factory=list)
    separator: str | None = None


# --- the text ------------------------------------------------------------------------------


def decode(raw: bytes, encoding: str | None, kpi: str, report: Reporter) -> str | None:
    """The text of a data file, or None when it cannot be read (reported)."""
    if encoding is not None:  # the KPI says which
        codec = ENCODINGS[encoding]
        try:
            return raw.decode(codec).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            line, column = _position(raw, exc.start)
            report("error", "encoding", line, column, "not-encoding", encoding=encoding, byte=raw[exc.start])
            return None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not raw.startswith(codecs.BOM_UTF32_LE):
        try:  # Excel's "Unicode text": UTF-16 with its byte order mark, tab separated
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    wide = wide_encoding(raw)
    if wide is not None:
        report("error", "encoding", 1, 1, "wide-no-bom", name=wide[0])
        return None
    if b"\x00" in raw:
        report("error", "binary-file", 1, 1, "binary")
        return None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        try:  # what Excel's "CSV (separator: semicolon)" writes on Windows
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            line, column = _position(raw, exc.start)
            report("error", "encoding", line, column, "not-utf8", byte=raw[exc.start])
            return None
        line, column = _position(raw, exc.start)
        report("warning", "encoding", line, column, "read-as", encoding="Windows-1252", codec="windows-1252",
               kpi=kpi)
        return text


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    return before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1


def split(line: str, number: int, separator: str) -> list[Cell] | None:
    """The cells of one line, each with the column where it starts; None when a quote is never closed."""
    cells: list[Cell] = []
    i, n = 0, len(line)
    while True:
        start = i
        while i < n and line[i] == " ":
            i += 1
        if i < n and line[i] == '"':
            text, i = [], i + 1
            while True:
                if i >= n:
                    return None
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        text.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                text.append(line[i])
                i += 1
            end = line.find(separator, i)
            end = n if end < 0 else end
            value = "".join(text) + line[i:end]
        else:
            end = line.find(separator, i)
            end = n if end < 0 else end
            value = line[i:end]
        cells.append(Cell(value.strip(SPACES + "\t" if separator != "\t" else SPACES), number, start + 1))
        if end >= n:
            return cells
        i = end + 1


def grid(text: str, separator: str | None, date_column: str, kpi: str, report: Reporter) -> Grid | None:
    """The rows of a CSV text; the separator is the KPI's, or the one that splits the header at `date`."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        report("error", "csv-header", 1, 1, "empty-file")
        return None
    header_line = lines[first]
    if separator is None:
        fits = [s for s in (",", ";", "\t") if _names(split(header_line, first + 1, s), date_column)]
        if len(fits) > 1:
            shown = {"\t": "tab"}
            report("error", "csv-header", first + 1, 1, "two-separators", header=header_line,
                   first=shown.get(fits[0], fits[0]), second=shown.get(fits[1], fits[1]), kpi=kpi)
            return None
        # a header without `date` is split where it has the most cells, to name its columns
        separator = fits[0] if fits else max((",", ";", "\t"), key=header_line.count)
    header = split(header_line, first + 1, separator)
    if header is None:
        report("error", "csv-row", first + 1, 1, "quote")
        return None
    table = Grid(header, separator=separator)
    for number, line in enumerate(lines[first + 1:], start=first + 2):
        if not line.strip():
            continue
        cells = split(line, number, separator)
        if cells is None:
            report("error", "csv-row", number, 1, "quote")
            continue
        table.rows.append(cells)
    return table


def _names(cells: list[Cell] | None, name: str) -> bool:
    return cells is not None and len(cells) > 1 and any(c.text.lower() == name for c in cells)


# --- numbers -------------------------------------------------------------------------------

_EXPONENT = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)[eE][-+]?\d+")
# a number with what may surround it: a sign, a unit or currency before or after
# (`-$5`, Excel's US negative currency, has its sign before the currency)
_NUMBER = re.compile(r"(?P<lead>[-+−]?)\s*(?P<before>[^\d+\-−.,]*?)\s*(?P<sign>[-+−]?)\s*"
                     r"(?P<body>[\d.,\u00a0\u202f ]*\d[\d.,\u00a0\u202f ]*)\s*(?P<after>\D*?)")


@dataclass(frozen=True, slots=True)
class Written:
    """A number cell taken apart: its sign, digits with their marks, and a unit written beside it."""

    sign: str
    body: str
    unit: str

    def value(self, decimal: str) -> float | None:
        """The number when `decimal` is its decimal mark; None when it does not read so."""
        body = self.body
        number: float | None
        if decimal == "." and _EXPONENT.fullmatch(body):
            number = float(body)
        else:
            number = _grouped(body, decimal)
            if number is None:
                return None
        if not math.isfinite(number):
            return None
        return -number if self.sign in ("-", "−") else number

    def readings(self) -> tuple[float | None, float | None]:
        """(with a decimal comma, with a decimal dot)."""
        return self.value(","), self.value(".")


def written(text: str) -> Written | None:
    text = text.strip(SPACES)
    if _EXPONENT.fullmatch(text):  # 1.5e3, as a program writes it
        return Written("-" if text.startswith("-") else "", text.lstrip("+-"), "")
    # `(5)`, `($5.00)`: an accountant's negative, as Excel's accounting formats export it
    bracketed = len(text) > 2 and text[0] == "(" and text[-1] == ")"
    if bracketed:
        text = text[1:-1].strip(SPACES)
    m = _NUMBER.fullmatch(text)
    if m is None or (m["lead"] and m["sign"]) or (bracketed and (m["lead"] or m["sign"])):
        return None
    before, after = m["before"].strip(SPACES), m["after"].strip(SPACES)
    if before and after:
        return None
    # a word is a unit only apart from the digits (12 leads); 2OO is a mistyped number, not 2 of "OO"
    apart_before = any(c.isspace() for c in text[m.end("before"):m.start("body")])
    apart_after = any(c.isspace() for c in text[m.end("body") - 1:m.start("after") + 1])
    if (after[:1].isalnum() and not apart_after) or (before[-1:].isalnum() and not apart_before):
        return None
    return Written("-" if bracketed else m["lead"] or m["sign"], m["body"].strip(SPACES), before or after)


# what splits the thousands when the decimal mark is the key: spaces and the other mark
_DOT_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")
_THOUSANDS = {mark: re.compile(f"[{SPACES}{re.escape(other)}]") for mark, other in ((",", "."), (".", ","))}


def _grouped(body: str, decimal: str) -> float | None:
    """`1 250,5`, `1.250,5` (decimal comma) or `1,250.5` (decimal dot); thousands in groups of three."""
    if body.isascii() and body.isdigit():  # most cells of an export: read the same with either mark
        return float(body)
    if decimal == "." and _DOT_DECIMAL.fullmatch(body):  # 1543.29, as a database writes it
        return float(body)
    if body.count(decimal) > 1:
        return None
    whole, mark, fraction = body.partition(decimal)
    if mark and not fraction.isdigit():
        return None
    groups = _THOUSANDS[decimal].split(whole)
    if len(groups) > 1:  # 1 250 or 1.250: each group after the first has three digits, the first one to three
        if not (groups[0].isdigit() and len(groups[0]) <= 3 and groups[0][0] != "0"
                and all(len(g) == 3 and g.isdigit() for g in groups[1:])):
            return None
    elif not whole.isdigit() and not (whole == "" and mark):
        return None
    digits = "".join(groups) or "0"
    return float(f"{digits}.{fraction}" if mark else digits)


# --- dates ---------------------------------------------------------------------------------

_MIDNIGHT = re.compile(r"[ T]00:00(:00(\.0+)?)?$")  # a spreadsheet's date exported with its time
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_SHORT_YEAR = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2})")
DAY_FIRST, MONTH_FIRST = "day-first", "month-first"


def date_text(text: str) -> str:
    return _MIDNIGHT.sub("", text.strip())


def slashed(text: str) -> tuple[dt.date | None, dt.date | None] | None:
    """(read day first, read month first) of `DD/MM/YYYY`; None when the text is not written so."""
    m = _SLASHED.fullmatch(date_text(text))
    if m is None:
        return None
    a, b, year = int(m[1]), int(m[2]), int(m[3])
    return _day(year, b, a), _day(year, a, b)


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_date(text: str, order: str, language: str = "en") -> tuple[dt.date, str] | None:
    """(first day, period) of a date cell, slashed dates read in `order` (`2026-T2` a quarter in French)."""
    text = date_text(text)
    parsed = periods.parse(text, language)
    if parsed is not None:
        return parsed
    m = _DOTTED.fullmatch(text)
    if m is not None:  # 31.01.2026: always day first
        day = _day(int(m[3]), int(m[2]), int(m[1]))
        return None if day is None else (day, periods.DAY)
    readings = slashed(text)
    if readings is None:
        return None
    day = readings[0] if order == DAY_FIRST else readings[1]
    return None if day is None else (day, periods.DAY)


def date_hint(text: str, order: str, report: Reporter) -> str:
    """What to write instead of a date cell that cannot be read."""
    quarter = periods.QUARTER_LIKE.match(text)
    if quarter:  # 2026-T3 (in an English plan), 2026-Q5
        number = quarter[3] if quarter[3] in ("1", "2", "3", "4") else "3"
        return report.say("date-hint-quarter", year=quarter[1], number=number)
    short = _SHORT_YEAR.fullmatch(date_text(text))
    if short:
        return report.say("date-hint-year", example=text.replace(short[3], "20" + short[3], 1))
    readings = slashed(text)
    if readings is not None and any(readings):  # it reads only the other way round
        example = "31/01/2026" if order == DAY_FIRST else "01/31/2026"
        return report.say("date-hint-order", order=order, example=example)
    no_such_day = impossible_day.hint(text)  # 2026-02-30: "February 2026 has 28 days: write 2026-02-28 or …"
    return no_such_day.render(report.language) if no_such_day else report.say("date-hint")

"""The plainest data file read at once: `date,value` then `2026-11-03,1450` rows, as a database export writes them.

The full reader (kpi_csv, kpi_data) handles every way a spreadsheet writes a file, one cell object at a time:
about 17 µs a row, 5 s for a KPI measured daily over centuries (300,000 rows), paid by every `check`, `build`
and `serve` start (such a series is too big for the parse cache to keep). A file whose every row is an ISO day
and a plain number (digits, an optional minus, and a dot only where the file's numbers say the dot is the
decimal mark) means one thing only: read here in one pass, to the same measurements. Anything else (a blank
line, a quote, a separator, a month, an impossible day, the same day twice, a huge number, a `csv:` mapping)
is left to the full reader, which reports it.
"""

from __future__ import annotations

import datetime as dt
import re

from ..plan import periods
from ..plan.model import Point, Series
from ..plan.schema import MAX_NUMBER

_ROW = r"\d{4}-\d{2}-\d{2},-?\d{1,15}(?:\.\d{1,15})?"
_BODY = re.compile(rf"(?:{_ROW}\n)*{_ROW}\n?")
_FRACTION = re.compile(r"\.(\d+)")


def plain_series(text: str, rel: str, column: str) -> Series | None:
    """The measurements of `text` when it is a plain `date,COLUMN` file (see the module's docstring), else None:
    the full reader is to read it."""
    header, newline, body = text.partition("\n")
    if header.rstrip("\r") != f"date,{column}" or not newline or "\r" in body or not _BODY.fullmatch(body):
        return None
    fractions = {len(m.group(1)) for m in _FRACTION.finditer(body)}
    if fractions == {3}:  # `1.250` alone: a thousands separator or a decimal mark, the full reader asks which
        return None
    points: list[Point] = []
    seen: set[dt.date] = set()
    for line, row in enumerate(body.splitlines(), start=2):
        day, _, number = row.partition(",")
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:  # 2026-02-30: the full reader says what to write
            return None
        value = float(number)
        if date in seen or abs(value) >= MAX_NUMBER:
            return None
        seen.add(date)
        points.append(Point(date, value, line, periods.DAY))
    points.sort(key=lambda p: p.date)
    return Series(path=rel, column=column, points=tuple(points))

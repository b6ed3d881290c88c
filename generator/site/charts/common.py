"""What every chart shares: the `Chart` and its `Table`, the axis formats and dashes, the words of each
language, and small helpers of the builders."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from ...plan.i18n import COMPACT_FROM
from ...plan.messages import render

if TYPE_CHECKING:
    from ...plan.i18n import Formatter

STATUS_ORDER = ("achieved", "on-track", "at-risk", "off-track", "no-data")  # legend order, best first

NUMBER_AXIS = ",.2~f"  # d3: grouped, at most two decimals, trailing zeros trimmed (as Formatter.number)
COUNT_AXIS = ",.0f"
PERCENT_AXIS = ".0%"
MONEY_AXIS = "$,.0f"  # the currency symbol and its side come from the format locale



def compact_labels(fmt: Formatter, widest: float, currency: str | None = None) -> str | None:
    """A Vega `labelExpr` writing an axis's ticks as a reader scans them, in the plan's locale: "2.5M",
    "2,5 M", "500 k", "$1.5M", "1,5 M €", "2 Md" (Babel's compact words: d3's SI "G" is no word for a
    billion, and it has no currency). None for an axis below COMPACT_FROM: its ticks stay whole figures.
    The chart's table keeps the exact values."""
    if not math.isfinite(widest) or abs(widest) < COMPACT_FROM:
        return None
    plain = json.dumps("$,.2~f" if currency else ",.2~f")
    label = f"format(datum.value, {plain})"
    for power in (3, 6, 9):
        before, after = fmt.compact_affixes(power, currency)
        scaled = f'format(abs(datum.value) / 1e{power}, ",.2~f")'
        label = (f"abs(datum.value) >= 1e{power} ? (datum.value < 0 ? \"-\" : \"\") + "
                 f"{json.dumps(before, ensure_ascii=False)} + {scaled} + {json.dumps(after, ensure_ascii=False)}"
                 f" : {label}")
    return label


# a bar's value label: its text's width per character (11 px digits, ChartSans) and its gap from the bar
LABEL_CHAR_PX = 7
LABEL_GAP_PX = 4


def label_ends(bars: list[tuple[float, str]], widest: float) -> tuple[tuple[float, int], ...]:
    """The bars (value, label) whose label could run past the plot's right edge, as (value, length of its
    label): for each label length, the longest bar of at least half the widest (a shorter one leaves the other
    half free)."""
    longest: dict[int, float] = {}
    for value, label in bars:
        if value >= widest / 2:
            longest[len(label)] = max(longest.get(len(label), 0.0), value)
    return tuple(sorted((value, chars) for chars, value in longest.items())) or ((widest, 1),)


def room_for_labels(ends: tuple[tuple[float, int], ...]) -> dict[str, str]:
    """A value scale's `domainMax` leaving room right of each long bar for its label, in pixels of the drawing's
    own width (Vega's `width` is the plot's): a share of the axis left a phone's 190 px plot 28 px, and
    "15,000" read "15,00", "14 500 000 €" lost its "€"."""
    room = [f"{value!r} * width / max(width - {chars * LABEL_CHAR_PX + LABEL_GAP_PX + 4}, width / 2)"
            for value, chars in ends]
    return {"expr": f"max({', '.join(room)})" if len(room) > 1 else room[0]}


def label_options(labels: str | None) -> dict[str, str]:
    """An axis's options for `compact_labels`' expression: none when its ticks stay whole figures."""
    return {"labelExpr": labels} if labels else {}


DASH_EXPECTED = [6, 4]
DASH_FORECAST = [2, 3]
SOLID: list[int] = []


@dataclass
class Table:
    """The same numbers as the chart, for screen readers and readers without JavaScript."""

    caption: str
    headers: list[str]
    rows: list[list[str]]  # already formatted with the Formatter (plan language)
    note: str = ""  # how the rows are summarised, when they are (long_series.py)
    download: str = ""  # the address of the full series as CSV, from the page, when the table summarises it
    download_label: str = ""

    @property
    def body(self) -> Markup:
        """The rows as HTML, a row header then data cells, one row a line (the default theme's chart macro):
        each distinct row escaped once per process, as most of them are shown again by other versions."""
        return Markup("".join(_row_html(row) for row in self.rows))


_ROW_HTML: dict[tuple[str, ...], str] = {}
_ROW_HTML_MAX = 200_000


def _row_html(row: list[str]) -> str:
    key = tuple(row)
    html = _ROW_HTML.get(key)
    if html is None:
        if len(_ROW_HTML) >= _ROW_HTML_MAX:
            _ROW_HTML.clear()
        html = _ROW_HTML[key] = _escaped_row(key)
    return html


def _escaped_row(cells: tuple[str, ...]) -> str:
    """A table row's HTML. Its cells are escaped in one call, joined by a NUL that escaping leaves alone and
    then replaced by the tags between cells (twice as fast as a call per cell: a big plan has 40,000 rows);
    cell by cell when a cell holds a NUL itself, or is not a plain string (Markup is not escaped again)."""
    if not cells:
        return "<tr></tr>\n"
    joined = "\x00".join(cells) if set(map(type, cells)) == {str} else None
    if joined is None or joined.count("\x00") != len(cells) - 1:
        escaped = [escape(cell) for cell in cells]
        return (f'<tr><th scope="row">{escaped[0]}</th>' + "".join(f"<td>{cell}</td>" for cell in escaped[1:])
                + "</tr>\n")
    text = str(escape(joined)).replace("\x00", "</th><td>", 1).replace("\x00", "</td><td>")
    return '<tr><th scope="row">' + text + ("</td></tr>\n" if len(cells) > 1 else "</th></tr>\n")


@dataclass
class Chart:
    id: str  # unique within a page and stable, e.g. "kpi-leads-qualifies", "funnel-acquisition"
    spec: dict[str, Any]  # Vega-Lite spec, JSON-serialisable, data inlined as values; read-only (see above)
    table: Table
    description: str  # one sentence for aria-label, in the plan language



class Words:
    """A chart's words, `chart.<area>.<word>` in the one table of messages (English for a language it lacks)."""

    def __init__(self, area: str) -> None:
        self.area = area

    def t(self, lang: str, key: str, **values: object) -> str:
        return render(lang, f"chart.{self.area}.{key}", **values)

    def text(self, fmt: Formatter, key: str, **values: object) -> str:
        return self.t(fmt.language, key, **values)


def _when(day: dt.date) -> str:
    """A date as Vega reads it in local time (a bare YYYY-MM-DD would be UTC midnight, shown as the
    previous day west of Greenwich)."""
    return day.isoformat() + "T00:00:00"


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


_LINE_BREAKS = re.compile("[\u2028\u2029\u0085\r\n]")


def _unique(labels: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Display labels by id, with the id appended where two titles are the same (axis categories
    must be distinct). A line or paragraph separator (U+2028, U+2029, U+0085) becomes a space: Vega-Lite
    writes a category order into an expression's string literals, where Vega's parser ends the string at one
    of them, and the chart is not drawn."""
    pairs = [(key, _LINE_BREAKS.sub(" ", label)) for key, label in labels]
    seen: dict[str, int] = {}
    for _, label in pairs:
        seen[label] = seen.get(label, 0) + 1
    return {key: (f"{label} ({key})" if seen[label] > 1 else label) for key, label in pairs}


def _series_scale(alt: Any, domain: list[str], colours: list[Any]) -> Any:
    return alt.Scale(domain=domain, range=colours)


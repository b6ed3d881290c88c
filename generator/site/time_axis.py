"""The time axis of a KPI chart: ticks on the data's cadence, each label written once.

Left to itself, Vega picks weekly ticks on a wide chart, and a month format then writes "mars 2026" under
four ticks, the label of a month falling under the previous month's point. Here the ticks follow what the
measurements stand for (periods.py) or, for dated measurements, the KPI's cadence: months for monthly data,
quarters for quarterly data, weeks written as day and month for weekly or daily data over a short span.
A month's or quarter's measurement is drawn at its period's last day (compute.py), which is where its tick
falls and its label is written.

The axis is a small hashable value, part of a chart's shape key (charts/shapes.py): a plan's charts share few of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..plan import periods

# the units the ladder walks, finest first, with their length in days
_UNITS = (("week", 7.0), ("month", 30.44), ("quarter", 91.31), ("year", 365.25))
_LENGTH = dict(_UNITS)
_ORDER = [unit for unit, _ in _UNITS]
_CADENCE_UNIT = {"daily": "week", "weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year"}
MIN_TICKS = 3  # fewer periods than this on the axis: the next finer unit
MAX_TICKS = 24  # more than this: every `step`-th period
MAX_WEEK_SPAN = 180  # days: a day and a month ("4 janv.") would come back after a year
# a tick every `step` units when a unit would give more than MAX_TICKS: months by 3, 6 or 12 fall on quarters'
# and years' first months, quarters by 2 on half-years; years by round numbers (_round_steps)
_STEPS = {"week": (2, 4), "month": (3, 6, 12), "quarter": (2, 4)}

# d3-time-format patterns; the month and quarter names come from the page's time locale (i18n.py)
_FORMATS = {"week": "%-d %b", "month": "%b %Y", "year": "%Y"}
_QUARTER_FORMATS = {"fr": "T%q %Y", "en": "Q%q %Y"}


@dataclass(frozen=True)
class TimeAxis:
    unit: str  # what a tick stands for and how it is written: "week", "month", "quarter" or "year"
    step: int = 1  # a tick every `step` units
    # weekly ticks on the measurements' own days: Vega's weeks start on Sunday, a team's weekly figures seldom
    values: tuple[dt.date, ...] = ()


def choose(measured: Iterable[str], cadence: str, first: dt.date, last: dt.date,
           days: Sequence[dt.date] = ()) -> TimeAxis:
    """The axis of a chart from `first` to `last` whose measurements stand for the periods `measured`
    ("day", "month", "quarter") of a KPI measured `cadence`, on `days`."""
    kinds = set(measured)
    if kinds and periods.DAY not in kinds:
        unit = "month" if periods.MONTH in kinds else "quarter"
    else:
        unit = _CADENCE_UNIT.get(cadence, "month")
    span = max((last - first).days, 1)
    while unit != "week" and span / _LENGTH[unit] + 1 < MIN_TICKS:  # ticks at both ends of an aligned span
        unit = _ORDER[_ORDER.index(unit) - 1]
    if unit == "week" and span > MAX_WEEK_SPAN:
        unit = "month"
    # a span too long for this unit's widest step ticks by the next unit: 821 years of daily data tick by
    # decades or centuries, not by 9,855 months 12 at a time (one tick a year, merged into a grey band)
    while unit != "year" and span / _LENGTH[unit] / _STEPS[unit][-1] > MAX_TICKS:
        unit = _ORDER[_ORDER.index(unit) + 1]
    count = span / _LENGTH[unit]
    step = 1
    if count > MAX_TICKS:
        steps = _STEPS[unit] if unit != "year" else _round_steps(count)
        step = next((s for s in steps if count / s <= MAX_TICKS), steps[-1])
    if unit == "week" and days:
        # every step-th measured day, counted back from the last, so that the last point sits on its label
        ordered = sorted(set(days))
        return TimeAxis(unit, step, tuple(reversed(ordered[::-1][::step])))
    if unit in ("month", "quarter") and _at_period_ends(kinds, days):
        return TimeAxis(unit, step, _period_ends(unit, step, first, last))
    return TimeAxis(unit, step)


def _round_steps(years: float) -> tuple[int, ...]:
    """Round steps in years, 2, 5, 10, 20, 50, 100, 200… up to one that keeps `years` to MAX_TICKS ticks, which
    fall on years divisible by the step (Vega's year intervals): 1800, 1850, 1900, never 1206 and 1485."""
    steps: list[int] = []
    power = 1
    while not steps or years / steps[-1] > MAX_TICKS:
        steps += [s * power for s in (2, 5, 10) if s * power not in steps]
        power *= 10
    return tuple(steps)


def _at_period_ends(kinds: set[str], days: Sequence[dt.date]) -> bool:
    """Whether the points stand at their month's last day: months and quarters do (compute.py draws them
    there); dated rows do when most of them fall on a month's last day (2026-01-31 for January). A KPI without
    measurements ticks there too: its quarters' labels would otherwise move once its first figure came in."""
    if kinds and periods.DAY not in kinds:
        return True
    if not days:  # no measurement yet: where a month's or quarter's would stand, as on a KPI with data
        return True
    ends = sum(1 for d in days if periods.end(d.replace(day=1), periods.MONTH) == d)
    return ends * 2 > len(days)


def _period_ends(unit: str, step: int, first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """The last days of the months (every `step`-th, on quarters' or years' last months when `step` is 3, 6
    or 12) or quarters from `first` to `last`, where a month's or quarter's point stands."""
    months = step * (3 if unit == "quarter" else 1)
    align = months if months in (3, 6, 12) else 1
    day = periods.end(first.replace(day=1), periods.MONTH)
    while day.month % align:
        day = periods.add_months(day, 1)
    ends = []
    while day <= last:
        ends.append(day)
        day = periods.add_months(day, months)
    return tuple(ends)


# Where labels would overlap (a narrow drawing), Vega hides every other one, then every other again, so the
# labels shown stay evenly spaced: its default for time axes keeps each label clear of the last one kept, which
# reads "Jan, Mar, May, Jul, Aug, Oct" (months differ in length). The first and last labels are centred on
# their ticks, not pulled inside the plot: a last label pulled left would crowd its neighbour, and the halving
# would then end on the first and last quarters only ("Q1, Q4").
_LABEL_SPACING = {"labelOverlap": "parity", "labelFlush": False}


def axis_options(axis: TimeAxis, language: str) -> dict[str, Any]:
    """Vega-Lite axis properties: where the ticks fall and how they are written."""
    interval, step = axis.unit, axis.step
    if axis.unit == "quarter":  # a quarter is three months, from January
        interval, step = "month", 3 * axis.step
    fmt = _QUARTER_FORMATS.get(language, _QUARTER_FORMATS["en"]) if axis.unit == "quarter" else _FORMATS[axis.unit]
    options: dict[str, Any] = {"format": fmt}
    if axis.unit == "week" and language == "fr":
        # d3-time-format has no ordinal day: French writes a month's first day "1er janv.", not "1 janv."
        options["labelExpr"] = "date(datum.value) === 1 ? '1er ' + timeFormat(datum.value, '%b') : datum.label"
    if axis.values:
        return {"values": [{"year": d.year, "month": d.month, "date": d.day} for d in axis.values], **options,
                **_LABEL_SPACING}
    return {"tickCount": {"interval": interval, "step": step}, **options, **_LABEL_SPACING}

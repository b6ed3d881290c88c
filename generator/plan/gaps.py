"""Periods missing from a KPI's measurements, and rows that look like months written as their first day.

A funnel stage sums its KPI's rows, so a month left out counts as nothing; a chart would join the months on
either side of it. A period is missing when, on the KPI's `cadence` (weeks, months, quarters; days only for a
daily KPI), no row covers it BETWEEN the first and the last row: a series that simply stops is stale data
(its own warning), and rows on a coarser grid than the cadence (a monthly figure on a weekly KPI) are read on
their own grid. A daily series without any weekend row misses no weekend (business days).
`strategy check` warns once per KPI (`data-gap`, `day-as-month`); the chart and the funnel page say it too.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from . import periods
from .diagnostics import Diagnostics, Location
from .messages import Msg, Period, msg
from .model import KPI, Plan, Series

DAY, WEEK, MONTH, QUARTER, YEAR = periods.DAY, periods.WEEK, periods.MONTH, periods.QUARTER, periods.YEAR
GRIDS = (DAY, WEEK, MONTH, QUARTER, YEAR)  # finest first
CADENCE_GRIDS = {"daily": DAY, "weekly": WEEK, "monthly": MONTH, "quarterly": QUARTER, "yearly": YEAR}
_ROW_GRIDS = {periods.DAY: DAY, periods.MONTH: MONTH, periods.QUARTER: QUARTER}
RUNS_SHOWN = 4  # a sentence names the first few runs, then how many more periods are missing
_ELIDED_MONTHS = (4, 8, 10)  # avril, août, octobre: French writes « d'avril », not « de avril »


@dataclass(frozen=True)
class Gap:
    """Periods of the grid missing one after the other: from `first`'s start to `last`'s end."""

    grid: str  # day, week, month, quarter or year
    first: dt.date  # the first missing period's first day
    last: dt.date  # the last missing period's first day
    after: dt.date  # the first day of the row just before the gap
    count: int  # how many periods of the grid are missing

    @property
    def end(self) -> dt.date:
        """The last missing day."""
        return _next(self.last, self.grid) - dt.timedelta(days=1)


def _next(start: dt.date, grid: str) -> dt.date:
    if grid == DAY:
        return start + dt.timedelta(days=1)
    if grid == WEEK:
        return start + dt.timedelta(days=7)
    return periods.add_months(start, {MONTH: 1, QUARTER: 3, YEAR: 12}[grid])


def _spanned(first: dt.date, last: dt.date, grid: str) -> int:
    """How many periods of `grid` the days from `first` to `last` touch, at most."""
    months = (last.year - first.year) * 12 + last.month - first.month
    if grid == YEAR:
        return last.year - first.year + 1
    if grid == QUARTER:
        return months // 3 + 2
    if grid == MONTH:
        return months + 1
    return (last - first).days // 7 + 2 if grid == WEEK else (last - first).days + 1


def grid_of(rows: Sequence[tuple[dt.date, str]], cadence: str) -> str:
    """The grid rows (first day, period) are checked on: the KPI's cadence, or the rows' own grid when that is
    coarser, the coarsest grid holding at most one row a period (monthly rows on a weekly KPI: months)."""
    finest = max((GRIDS.index(_ROW_GRIDS.get(p, DAY)) for _, p in rows), default=0)
    own = finest
    first, last = (min(d for d, _ in rows), max(d for d, _ in rows)) if rows else (None, None)
    for index in range(len(GRIDS) - 1, finest, -1):
        # more rows than the grid has periods between the first and the last: not one a period (300,000 daily
        # rows are not counted by years, quarters, months and weeks to learn it)
        if first is not None and last is not None and len(rows) > _spanned(first, last, GRIDS[index]):
            continue
        if len({periods.start(d, GRIDS[index]) for d, _ in rows}) == len(rows):
            own = index
            break
    return GRIDS[max(own, GRIDS.index(CADENCE_GRIDS.get(cadence, MONTH)))]


def find(rows: Sequence[tuple[dt.date, str]], cadence: str) -> list[Gap]:
    """The runs of periods missing between the first and the last of `rows` (first day, period), sorted.
    Remembered by the rows themselves: check, the chart and the funnel page ask it of the same series, and
    `strategy serve` of every unchanged series at each rebuild."""
    if len(rows) < 2:
        return []
    ordered = tuple(sorted(rows))
    if len(ordered) > _REMEMBERED_ROWS:  # a daily series over decades is found again (tens of ms), not kept whole
        return list(_find.__wrapped__(ordered, cadence))
    return list(_find(ordered, cadence))


# the longest series remembered: 1,000 KPIs of 36 months are (serve asks each at every rebuild); a series of
# 300,000 days held by the cache would be ~20 MB, once more after each edit of it
_REMEMBERED_ROWS = 5000


_WHOLE = {periods.MONTH: (MONTH, 1), periods.QUARTER: (QUARTER, 3)}  # a row's period: its grid, in months


@functools.lru_cache(maxsize=8192)
def _find(rows: tuple[tuple[dt.date, str], ...], cadence: str) -> tuple[Gap, ...]:
    whole = _WHOLE.get(rows[0][1])
    if whole and whole[0] == CADENCE_GRIDS.get(cadence, MONTH) and all(p == rows[0][1] for _, p in rows) \
            and grid_of(rows, cadence) == whole[0]:  # else read on a coarser grid (one row a quarter)
        return _find_whole(rows, *whole)
    if all(p == periods.DAY for _, p in rows) and grid_of(rows, cadence) == DAY:
        return _find_days(rows)
    return tuple(_find_any(rows, cadence))


def _find_whole(rows: tuple[tuple[dt.date, str], ...], grid: str, months: int) -> tuple[Gap, ...]:
    """`_find_any` for rows that are each one whole month (quarter) on a monthly (quarterly) KPI, the
    common case, by counting months: a gap is a step of more than one period between two rows."""
    gaps: list[Gap] = []
    for (before, _), (after, _) in itertools.pairwise(rows):
        step = (after.year - before.year) * 12 + after.month - before.month
        if step > months:
            first = periods.add_months(periods.start(before, grid), months)
            last = periods.add_months(periods.start(after, grid), -months)
            gaps.append(Gap(grid, first, last, before, step // months - 1))
    return tuple(gaps)


def _find_days(rows: tuple[tuple[dt.date, str], ...]) -> tuple[Gap, ...]:
    """`_find_any` for a daily KPI's daily rows (300,000 of them, some plans), by the steps between rows: a gap
    is the days between two rows, without the weekends when no row falls on one (kept on business days)."""
    weekdays_only = all(day.weekday() < 5 for day, _ in rows)
    gaps: list[Gap] = []
    for (before, _), (after, _) in itertools.pairwise(rows):
        if (after - before).days <= 1:
            continue
        missing = [before + dt.timedelta(days=i) for i in range(1, (after - before).days)]
        if weekdays_only:
            missing = [day for day in missing if day.weekday() < 5]
        if missing:
            gaps.append(Gap(DAY, missing[0], missing[-1], before, len(missing)))
    return tuple(gaps)


def _find_any(rows: Sequence[tuple[dt.date, str]], cadence: str) -> list[Gap]:
    grid = grid_of(rows, cadence)
    covered: set[dt.date] = set()
    for day, period in rows:
        start, last = periods.start(day, grid), periods.end(day, period)
        while start <= last:
            covered.add(start)
            start = _next(start, grid)
    # a daily series without any weekend row is kept on business days: its weekends are no gap
    weekdays_only = grid == DAY and all(day.weekday() < 5 for day, _ in rows)
    gaps: list[Gap] = []
    run: list[dt.date] = []
    before = run_after = rows[0][0]
    row_starts = {day: periods.start(day, grid) for day, _ in rows}
    index = 0
    current, stop = periods.start(rows[0][0], grid), periods.start(rows[-1][0], grid)
    while current <= stop:
        while index < len(rows) and row_starts[rows[index][0]] <= current:
            before = rows[index][0]
            index += 1
        if current in covered or (weekdays_only and current.weekday() >= 5):
            if run and current in covered:
                gaps.append(Gap(grid, run[0], run[-1], run_after, len(run)))
                run = []
        else:
            if not run:
                run_after = before
            run.append(current)
        current = _next(current, grid)
    return gaps


def missing(gaps: Sequence[Gap]) -> tuple[Msg, ...]:
    """The missing periods as the reader says them, to follow "no measurement": "for June 2026", "from June
    to August 2026", « d'avril à juin 2026 », the first few runs then how many more periods."""
    parts: list[Msg] = []
    for number, gap in enumerate(gaps[:RUNS_SHOWN]):
        parts.append(_run(gap, "more" if number else "first"))
    rest = sum(gap.count for gap in gaps[RUNS_SHOWN:])
    if rest:
        parts.append(msg("gap.rest", count=rest))
    return tuple(parts)


def _run(gap: Gap, place: str) -> Msg:
    if gap.grid in (MONTH, QUARTER, YEAR):
        period = {MONTH: periods.MONTH, QUARTER: periods.QUARTER, YEAR: YEAR}[gap.grid]
        if gap.count == 1:
            return msg(f"gap.{place}.one", period=Period(gap.first, period))
        named = gap.first.year == gap.last.year and gap.grid != YEAR  # "June to August 2026"
        first = Period(gap.first, f"{period}-name" if named else period)
        elided = "-elided" if gap.grid == MONTH and gap.first.month in _ELIDED_MONTHS else ""
        return msg(f"gap.{place}.span{elided}", first=first, last=Period(gap.last, period))
    if gap.grid == DAY and gap.count == 1:
        return msg(f"gap.{place}.day", period=Period(gap.first, periods.DAY))
    return msg(f"gap.{place}.days", first=Period(gap.first, periods.DAY), last=Period(gap.end, periods.DAY))


def example(gap: Gap) -> str:
    """The first missing period as a row would write it: 2026-06, 2026-Q2, 2026-06-01."""
    return periods.written(gap.first, {MONTH: periods.MONTH, QUARTER: periods.QUARTER}.get(gap.grid, periods.DAY))


def check(plan: Plan, kpi: KPI, series: Series, file: str, diags: Diagnostics) -> None:
    """`strategy check`'s warnings on a KPI's rows: one `data-gap` for all its missing periods, placed at the
    line after which the first is missing, and `day-as-month` when every row looks like a month's first day."""
    rows = [(p.date, p.period) for p in series.points]
    gaps = _not_refused(find(rows, kpi.cadence), series, file, diags)
    if gaps:
        line = next(p.line for p in series.points if p.date == gaps[0].after)
        on_funnel = any(stage.kpi == kpi.id for funnel in plan.funnels.values() for stage in funnel.stages)
        effect = "funnel" if on_funnel else "chart"
        diags.warning("data-gap", Location(file, line),
                      msg(f"data-gap.{effect}", id=kpi.id, missing=missing(gaps)),
                      msg("hint.data-gap", line=line, example=example(gaps[0])))
    if looks_like_months(rows, kpi.cadence):
        last = series.points[-1]
        period = periods.QUARTER if kpi.cadence == "quarterly" else periods.MONTH
        unit = msg(f"gap.unit.{period}")
        workbook = file.lower().endswith((".xlsx", ".xlsm"))
        # a snapshot is refresh's to write (it writes such rows as months now): the fix is a new refresh
        sourced = kpi.source is not None and kpi.query is not None
        hint = "hint.day-as-month.refresh" if sourced else "hint.day-as-month.workbook" if workbook \
            else "hint.day-as-month"
        diags.warning("day-as-month", kpi.at("query") if sourced else Location(file, series.points[0].line),
                      msg("day-as-month", id=kpi.id, unit=unit, day=Period(last.date, periods.DAY),
                          period=Period(last.date, period)),
                      msg(hint, unit=unit, written=periods.written(last.date, period), kpi=kpi.id))


def _not_refused(gaps: list[Gap], series: Series, file: str, diags: Diagnostics) -> list[Gap]:
    """The gaps not explained by the rows refused between their neighbours (`2025-03,5o`, its `csv-row`
    error says it): one mistake, one message. The errors are read only for a series with gaps (once per KPI
    would sort every error of the plan a thousand times in a check)."""
    if not gaps:
        return gaps
    refused = sorted(d.line for d in diags.errors if d.code == "csv-row" and d.file == file)
    if not refused:
        return gaps
    dates = [p.date for p in series.points]  # sorted
    kept = []
    for gap in gaps:
        before = series.points[bisect.bisect_left(dates, gap.after)].line
        after = series.points[bisect.bisect_right(dates, gap.last)].line  # a gap has a row after it
        low, high = min(before, after), max(before, after)
        if bisect.bisect_left(refused, high) - bisect.bisect_right(refused, low) < gap.count:
            kept.append(gap)
    return kept


MONTHS_SEEN = 3  # rows enough to call a habit, not a coincidence


def looks_like_months(rows: Sequence[tuple[dt.date, str]], cadence: str) -> bool:
    """Every row of a monthly (quarterly) KPI is a day, the first of a month (of a quarter), one a period: a
    monthly export whose figures are read as those days ("Sep 1, 2026" for September's whole spend)."""
    grid = {"monthly": MONTH, "quarterly": QUARTER}.get(cadence)
    if grid is None or len(rows) < MONTHS_SEEN:
        return False
    return (all(period == periods.DAY and periods.start(day, grid) == day for day, period in rows)
            and len({day for day, _ in rows}) == len(rows))

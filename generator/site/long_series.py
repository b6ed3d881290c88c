"""A KPI's long series on its page: the data table summarised by period, the full series as a CSV file.

A KPI measured daily for years would make a data table of thousands of rows (300,000 daily rows made a page of
tens of MB). Beyond TABLE_MAX_ROWS measurements, the table shows one row per month (per quarter or per year
when months would still be too many): the period's last measurement, which is the level of a `level` KPI and
the running total of a `cumulative` one, as the chart draws them, under its own date ("31 janv. 2026": one
day's figure under a month's name would read as the month's). Every measurement is in
`objectives/OBJECTIVE/kpi-KPI.csv` beside the page (ids are checked `[a-z0-9-]` names, so the path is safe;
the writer refuses any path outside the output anyway), linked from the chart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..plan import periods

if TYPE_CHECKING:
    from ..plan.compute import PlanState

TABLE_MAX_ROWS = 60  # a data table longer than this is summarised by period
# the summary's period: the shortest giving at most TABLE_MAX_ROWS rows
PERIODS = (periods.MONTH, periods.QUARTER, periods.YEAR)

Point = tuple[dt.date, float]


def summary_period(points: Sequence[Point]) -> str | None:
    """The period the table of `points` is summarised by, or None when it lists them all."""
    if len(points) <= TABLE_MAX_ROWS:
        return None
    for period in PERIODS:
        if _within(points, period, TABLE_MAX_ROWS):
            return period
    return PERIODS[-1]


def _within(points: Sequence[Point], period: str, limit: int) -> bool:
    """Whether the sorted `points` fall in at most `limit` periods, read only until they do not (a daily series
    over decades is not counted whole by months, quarters and years to learn it)."""
    count, current = 0, None
    for day, _ in points:
        start = periods.start(day, period)
        if start != current:
            count, current = count + 1, start
            if count > limit:
                return False
    return True


def by_period(points: Sequence[Point], period: str) -> list[tuple[dt.date, float]]:
    """The last measurement (its date, its value) of each period with a measurement, in order; `points` are
    sorted by date."""
    last: dict[dt.date, tuple[dt.date, float]] = {}
    for day, value in points:
        last[periods.start(day, period)] = (day, value)
    return list(last.values())


def csv_files(state: PlanState) -> dict[str, bytes]:
    """The CSV file of each KPI whose table is summarised, by its path in the site."""
    files = {}
    for objective in state.objectives.values():
        for kpi in objective.kpis:
            points = [(day, value) for day, value in kpi.points if math.isfinite(value)]  # as the chart's
            if summary_period(points) is not None:
                files[csv_path(kpi.kpi.objective, kpi.kpi.id)] = series_csv(points)
    return files


def csv_path(objective: str, kpi: str) -> str:
    """Where the full series of KPI `kpi` is written in the site."""
    return f"objectives/{objective}/kpi-{kpi}.csv"


def csv_link(objective: str, kpi: str) -> str:
    """The CSV's address from the objective's page (`objectives/OBJECTIVE.html`)."""
    return f"{objective}/kpi-{kpi}.csv"


def series_csv(points: Sequence[Point]) -> bytes:
    """Every measurement as CSV, as a plan's data files are written: `date,value`, ISO dates, a dot for
    decimals (what a spreadsheet or a script reads without asking)."""
    lines = ["date,value"]
    lines += [f"{day.isoformat()},{_number(value)}" for day, value in points]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))

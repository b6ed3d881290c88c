"""What a KPI measurement stands for: a day, a month (`2026-11` in a CSV) or a quarter (`2026-Q3`).

A measurement is dated by its period's first day (`Point.date`, which compute.py's arithmetic reads);
its period decides how it is written for the reader ("novembre 2026", "T3 2026") and when it goes stale:
a November figure exists only once November is over, so it is judged from the month's last day.
`strategy check` (stale-data) and the dashboard's freshness table both ask `is_stale`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

DAY, MONTH, QUARTER = "day", "month", "quarter"
WEEK, YEAR = "week", "year"  # periods a series is read or summarised by, never a measurement's own

# how often a KPI is measured, as a step of the calendar: (months, days)
CADENCE_STEPS: dict[str, tuple[int, int]] = {
    "daily": (0, 1), "weekly": (0, 7), "monthly": (1, 0), "quarterly": (3, 0), "yearly": (12, 0),
}
STALE_AFTER_STEPS = 2  # a measurement is stale once two cadence periods have passed since its period ended

_DAY_OR_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
# what is written as a quarter: 2026-Q3 (2026-q3), 2026-T3 (a French plan's trimestre, shown « T3 2026 »), and
# 2026-Q5, which names none (the reader's hint says Q1 to Q4)
QUARTER_LIKE = re.compile(r"^(\d{4})-([QqTt])(\d+)$")


def parse(text: str, language: str = "en") -> tuple[dt.date, str] | None:
    """`YYYY-MM-DD` (a day), `YYYY-MM` (a month) or `YYYY-Qn` (a quarter; also `YYYY-Tn` in a French plan) as
    (first day, period); None when it is none of them or names no real day."""
    quarter = QUARTER_LIKE.match(text)
    if quarter:
        letter, number = quarter[2].upper(), quarter[3]
        if number in ("1", "2", "3", "4") and (letter == "Q" or language == "fr"):
            return dt.date(int(quarter[1]), 3 * int(number) - 2, 1), QUARTER
        return None
    m = _DAY_OR_MONTH.match(text)
    if not m:
        return None
    year = int(m[1])
    try:
        if m[3]:
            return dt.date(year, int(m[2]), int(m[3])), DAY
        return dt.date(year, int(m[2]), 1), MONTH
    except ValueError:
        return None


# add_months and end are asked about the same few dates over and over (a big plan's 36,000 measurements fall
# in 36 months, and every KPI chart places its axis ticks on the same month ends): each answered once
@functools.lru_cache(maxsize=4096)
def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; a month's last day stays its month's last day (30 Nov + 2 = 31 Jan)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month + 1, last if month_end else min(day.day, last))


def start(day: dt.date, period: str) -> dt.date:
    """The first day of the period (day, week, month, quarter or year) holding `day`; a week starts on Monday."""
    if period == DAY:
        return day
    if period == WEEK:
        return day - dt.timedelta(days=day.weekday())
    if period == MONTH:
        return day.replace(day=1)
    if period == QUARTER:
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, 1, 1)


@functools.lru_cache(maxsize=4096)
def end(start: dt.date, period: str) -> dt.date:
    """The last day of the period that starts on `start`."""
    if period == MONTH:
        return add_months(start, 1) - dt.timedelta(days=1)
    if period == QUARTER:
        return add_months(start, 3) - dt.timedelta(days=1)
    return start


def fresh_until(start: dt.date, period: str, cadence: str) -> dt.date:
    """The last day on which a measurement of this period is not stale for a KPI measured `cadence`."""
    months, days = CADENCE_STEPS.get(cadence, CADENCE_STEPS["monthly"])
    last = end(start, period)
    return add_months(last, STALE_AFTER_STEPS * months) + dt.timedelta(days=STALE_AFTER_STEPS * days)


def is_stale(start: dt.date, period: str, cadence: str, today: dt.date) -> bool:
    """The one rule of `strategy check`'s stale-data warning and of the dashboard's freshness table."""
    return today > fresh_until(start, period, cadence)


def age_days(start: dt.date, period: str, today: dt.date) -> int:
    """Days since the period ended (0 while it lasts)."""
    return max(0, (today - end(start, period)).days)


def written(start: dt.date, period: str) -> str:
    """The period as a CSV writes it: 2026-11-15, 2026-11, 2026-Q4."""
    if period == MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    if period == QUARTER:
        return f"{start.year:04d}-Q{(start.month + 2) // 3}"
    return start.isoformat()

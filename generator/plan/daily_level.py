"""A level measured every day (visits per day) is judged on its latest whole week, not on its latest day.

Daily figures swing with the day of the week (a charity's site: ~1,450 visits on weekdays, ~1,175 on
Saturdays), so a KPI judged on one day flips from "on track" to "off track" every weekend. Its actual, progress,
status and the forecast's anchor are read on the mean of the measurements of the 7 days ending on the latest
one: a whole week, so weekdays and weekends weigh as they do (docs/format.md, How statuses are computed).
Running totals, and data measured weekly, monthly or quarterly, are judged on their latest measurement.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from . import periods
from .model import KPI

WINDOW_DAYS = 7  # a whole week


def averages_week(kpi: KPI, latest_period: str) -> bool:
    """Whether the KPI's actual is the mean of its last `WINDOW_DAYS` days: a `level` KPI with `cadence:
    daily` whose latest measurement is a day (not a month written on a daily KPI)."""
    return kpi.measure == "level" and kpi.cadence == "daily" and latest_period == periods.DAY


def week_mean(points: Sequence[tuple[dt.date, float]]) -> float:
    """The mean of the measurements dated in the `WINDOW_DAYS` days ending on the latest one (sorted by date;
    read from the end, so a series of 300,000 rows costs a week's)."""
    first = points[-1][0] - dt.timedelta(days=WINDOW_DAYS - 1)
    values = []
    for day, value in reversed(points):
        if day < first:
            break
        values.append(value)
    return math.fsum(values) / len(values)

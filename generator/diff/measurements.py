"""A KPI's measurements compared row by row, as the diff's fields.

Rows appended (the monthly update) are the usual news: the KPI's `measurements` count says how many are new.
A row whose date is written in another form (2026-01-01 → 2026-01) is still the same row: corrected or not, never new.
A past value edited or a row removed is a correction, a decision someone made: each becomes a field of its
own, `measurement.2026-10` (the date as the CSV writes it) with the old and new value, so that every surface
shows it ("Measured value, October 2026: £4,960,300 → £4,990,300") and says what it moved (the forecast, the
progress, the status). Beyond CORRECTIONS_LISTED corrections, one field `measurements.corrected` counts them
with the first and last period, rather than listing a whole data file rewritten.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..plan import periods
from ..plan.model import Point

CORRECTIONS_LISTED = 3  # corrections of one KPI shown one by one; more are counted
MEASUREMENT_PREFIX = "measurement."  # a corrected row: measurement.2026-10
CORRECTED_PATH = "measurements.corrected"  # many corrected rows, counted


def compared(old: Sequence[Point], new: Sequence[Point]) -> tuple[list[tuple[str, float, float | None]], int]:
    """The rows of `old` whose value differs in `new` or that `new` no longer has, as (date, old, new), and how
    many rows `new` measures that `old` did not (each side's rows made once). A row is the same row when its
    date is written alike, or else when it is the one row of each side over the same days (a date written in
    another form, 2026-01-01 → 2026-01, or moved inside its period): so a row is either corrected or new."""
    if old is new:
        return [], 0
    old_keys, new_keys = [_key(p) for p in old], [_key(p) for p in new]  # each row's date written once
    before = dict(zip(old_keys, (p.value for p in old), strict=True))
    after = dict(zip(new_keys, (p.value for p in new), strict=True))
    gone = [p for date, p in zip(old_keys, old, strict=True) if date not in after]
    came = [p for date, p in zip(new_keys, new, strict=True) if date not in before]
    redated = _redated(gone, came) if gone and came else {}
    changed = []
    for date, point in zip(old_keys, old, strict=True):
        match = after.get(date)
        if date not in after and id(point) in redated:
            date, match = _key(redated[id(point)]), redated[id(point)].value
        if match != point.value:
            changed.append((date, point.value, match))
    return changed, sum(1 for date in after if date not in before) - len(redated)


def _key(point: Point) -> str:
    return periods.written(point.date, point.period)


def _redated(gone: list[Point], came: list[Point]) -> dict[int, Point]:
    """Each row only in `gone` (the old side) → the row only in `came` that stands for the same days, when each
    is the other's only such row. Rows stand for a year at most, so the rows overlapping one are found among
    those starting within a year before its end (a rewritten daily series of thousands of rows: a scan of all
    of them for each row took seconds)."""
    def overlapping(point: Point, side: list[Point], starts: list[dt.date]) -> list[Point]:
        lo = bisect.bisect_left(starts, point.date - _LONGEST)
        hi = bisect.bisect_right(starts, point.end)
        return [other for other in side[lo:hi] if point.date <= other.end and other.date <= point.end]

    gone, came = sorted(gone, key=lambda p: p.date), sorted(came, key=lambda p: p.date)
    gone_starts, came_starts = [p.date for p in gone], [p.date for p in came]
    matched = {}
    for point in gone:
        over = overlapping(point, came, came_starts)
        if len(over) == 1 and len(overlapping(over[0], gone, gone_starts)) == 1:
            matched[id(point)] = over[0]
    return matched


_LONGEST = dt.timedelta(days=366)  # the longest period a row stands for (a year)


def correction_fields(changed: list[tuple[str, float, float | None]]) -> list[tuple[str, Any, Any]]:
    """(path, old, new) of each correction, or of their count when there are more than CORRECTIONS_LISTED."""
    if len(changed) <= CORRECTIONS_LISTED:
        return [(MEASUREMENT_PREFIX + date, old, new) for date, old, new in changed]
    return [(CORRECTED_PATH, None, {"count": len(changed), "first": changed[0][0], "last": changed[-1][0]})]


def is_correction(path: str) -> bool:
    return path.startswith(MEASUREMENT_PREFIX) or path == CORRECTED_PATH


def period_of(path: str) -> tuple[Any, str] | None:
    """The (first day, period) of a `measurement.DATE` path, for the reader's calendar words."""
    return periods.parse(path[len(MEASUREMENT_PREFIX):]) if path.startswith(MEASUREMENT_PREFIX) else None

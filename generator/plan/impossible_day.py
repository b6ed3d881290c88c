"""What to write instead of a well-formed date whose day its month lacks (2026-02-30, 2026-04-31, 2026-05-00):
the hint says why it is no date and names the real days on either side, in the plan's language. The same hint
for a YAML field (`due:`), a CSV row and a workbook's text cell."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from . import periods
from .messages import Msg, Period, msg

_WELL_FORMED = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*")


def hint(text: str) -> Msg | None:
    """"February 2026 has 28 days: write 2026-02-28 or 2026-03-01", or None when `text` is not a date of a real
    month with a day it lacks (a month 13, a real date, another form)."""
    m = _WELL_FORMED.fullmatch(text)
    if m is None:
        return None
    year, month, day = (int(part) for part in m.groups())
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        return None
    days = calendar.monthrange(year, month)[1]
    first = dt.date(year, month, 1)
    try:
        if day == 0:
            before, after = first - dt.timedelta(days=1), first
        elif day > days:
            before = first.replace(day=days)
            after = before + dt.timedelta(days=1)
        else:
            return None
    except OverflowError:  # 0001-01-00, 9999-12-32: no day on the other side
        return None
    key = "hint.day-zero" if day == 0 else "hint.no-such-day"
    return msg(key, month=Period(first, periods.MONTH), days=days, before=before.isoformat(),
               after=after.isoformat())

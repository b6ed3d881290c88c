"""A level measured every day (visits per day) is judged on the mean of its last 7 days, not on its latest
day: a Saturday no longer flips it from "on track" to "off track", and the page says which figure it is."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from generator.plan import periods
from generator.plan.compute import KpiState, compute_kpi
from generator.plan.model import KPI
from tests.test_kpi_status import START, kpi, make_plan


def weekly_visits(until: dt.date) -> list[tuple[str, float]]:
    """Visits growing from 1,000 to 2,100 a weekday over 2026, a fifth fewer on Saturdays and Sundays."""
    rows = []
    day = START
    while day <= until:
        level = 1000 + 1100 * (day - START).days / 364
        rows.append((day.isoformat(), round(level * (0.8 if day.weekday() >= 5 else 1.0))))
        day += dt.timedelta(days=1)
    return rows


DAILY = dataclasses.replace(kpi(2000, baseline=1000), cadence="daily", unit="visits")
FORTNIGHT = [dt.date(2026, 11, 21) + dt.timedelta(days=n) for n in range(14)]  # two Saturdays and Sundays


def judged(k: KPI, today: dt.date) -> KpiState:
    return compute_kpi(k, make_plan([k], {"k": weekly_visits(today)}), today, 0.9)


def test_a_daily_level_has_the_same_status_every_day_of_the_week() -> None:
    """Judged on any day of two weeks, Saturdays included, "visits per day" reads "at risk" with a progress
    of 86-89 %: its actual is the mean of the last 7 days (weekdays and weekend as they weigh), and its
    forecast is carried from that mean, so it no longer drops with each weekend."""
    for today in FORTNIGHT:
        state = judged(DAILY, today)
        week = [v for _, v in weekly_visits(today)[-7:]]
        assert state.averaged_days == 7 and state.actual_date == today
        assert state.actual == pytest.approx(sum(week) / 7)
        assert state.status == "at-risk", today
        assert 0.85 < (state.progress or 0) < 0.9
        assert state.forecast == pytest.approx(1971, abs=3)  # the same whatever the day of the week


def test_the_same_rows_judged_on_their_latest_day_flip_with_the_weekend() -> None:
    """Without the average (a `weekly` KPI is judged on its latest row), the same rows read "off track" on a
    Saturday and "on track" or "achieved" on weekdays: the reason a daily level is averaged."""
    weekly = dataclasses.replace(DAILY, cadence="weekly")
    statuses = {judged(weekly, today).status for today in FORTNIGHT}
    assert statuses == {"off-track", "on-track", "achieved"}
    assert judged(weekly, FORTNIGHT[0]).averaged_days == 0


def test_a_running_total_measured_daily_is_not_averaged() -> None:
    """A cumulative KPI measured daily is still judged on its running total, never on a mean of totals."""
    total = dataclasses.replace(kpi(400000, measure="cumulative"), cadence="daily")
    today = dt.date(2026, 6, 30)
    rows = weekly_visits(today)
    state = compute_kpi(total, make_plan([total], {"k": rows}), today, 0.9)
    assert state.averaged_days == 0
    assert state.actual == pytest.approx(sum(v for _, v in rows))


def test_a_month_written_on_a_daily_kpi_is_not_averaged() -> None:
    """A daily KPI whose latest row is a whole month (2026-11) is judged on that month's figure."""
    plan = make_plan([DAILY], {"k": [("2026-10-01", 1300.0), ("2026-11-01", 1350.0)]})
    months = [dataclasses.replace(p, period=periods.MONTH) for p in plan.series["k"].points]
    plan.series["k"] = dataclasses.replace(plan.series["k"], points=months)
    state = compute_kpi(DAILY, plan, dt.date(2026, 12, 3), 0.9)
    assert state.averaged_days == 0 and state.actual == 1350

"""A trend read over the plan's period (tester 19, defect 4): years of daily rows before the plan neither
flatten the forecast nor squeeze the plan's year into a sliver of the KPI's chart."""

from __future__ import annotations

import datetime as dt

from generator.plan.compute import compute_kpi
from generator.plan.diagnostics import Location
from generator.plan.i18n import Formatter
from generator.plan.model import KPI, Plan, Point, Series, Settings
from generator.site import charts
from tests.test_charts import _values

START, END, TODAY = dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 12, 2)


def _visits(first: dt.date) -> list[Point]:
    """Daily visits: flat at 2,000 before 2026, then up to 2,443 on 2 December 2026."""
    days = [first + dt.timedelta(days=n) for n in range((TODAY - first).days + 1)]
    rise = 443 / (TODAY - START).days
    return [Point(day, 2000 + max(0, (day - START).days) * rise, n + 2) for n, day in enumerate(days)]


def _state(points: list[Point]):  # type: ignore[no-untyped-def]
    kpi = KPI(id="visites", loc=Location("objectives/o.md"), locs={}, title="Visites par jour", target=3000,
              objective="o", unit="visites", baseline=2000, cadence="daily")
    plan = Plan(settings=Settings(title="T", period_start=START, period_end=END, language="fr"),
                series={"visites": Series("data/visites.csv", "value", points)})
    return compute_kpi(kpi, plan, TODAY, 0.9)


def test_the_forecast_follows_the_trend_within_the_plans_period() -> None:
    """Visits flat at 2,000 for ten years, then rising to 2,443 during the plan's year: the forecast at the
    due date rises beyond 2,443 (about 2,477, carried from the last 7 days' mean, a daily level's figure), not
    the flat 2,443 that the ten years' trend gave."""
    state = _state(_visits(dt.date(2016, 1, 1)))
    assert state.forecast is not None and 2470 < state.forecast < 2490


def test_a_series_starting_inside_the_period_is_forecast_as_before() -> None:
    """A series starting in March 2026: all its measurements make the trend, as they did."""
    whole = _state(_visits(dt.date(2026, 3, 1)))
    assert whole.forecast is not None and 2470 < whole.forecast < 2490
    assert whole.points[0][0] == dt.date(2026, 3, 1)


def test_the_chart_starts_at_most_a_period_before_the_plans_start() -> None:
    """The KPI's chart draws from one period-length before the plan's start (1 Jan 2025 for a 2026 plan), so
    the plan's year fills half of it; its table still starts with the first year of the series."""
    state = _state(_visits(dt.date(1990, 1, 1)))
    chart = charts.kpi_chart(state, Formatter("fr", "CAD", "fr-CA"))
    drawn = sorted(row["date"] for row in _values(chart.spec))
    assert drawn[0] >= "2025-01-01" and drawn[-1] == "2026-12-31T00:00:00"
    assert chart.table.rows[0][:2] == ["Mesures", "31 déc. 1990"]

"""A level measured every day (visits per day) is judged on the mean of its last 7 days, not on its latest
day: a Saturday no longer flips it from "on track" to "off track", and the page says which figure it is."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.pack import content as pack_content
from generator.pipeline import Checked
from generator.plan import periods
from generator.plan.compute import KpiState, compute_kpi
from generator.plan.model import KPI
from tests.conftest import cli_build
from tests.test_funnel_to_date import page_text
from tests.test_kpi_status import START, kpi, make_plan
from tests.test_pack_content import pack_text


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


VISITS_OBJECTIVE = """\
---
title: {title}
due: 2026-12-31
kpis:
  - id: visits
    title: {kpi}
    unit: {unit}
    baseline: 1000
    target: 2000
    cadence: daily
---
"""
SETTINGS = "title: P\nlanguage: {language}\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n"
SATURDAY = dt.date(2026, 11, 28)
WORDS = {
    "en": {"title": "Reach more people", "kpi": "Website visits per day", "unit": "visits",
           "tile": "Average of the last 7 days 1,877 visits", "card": "daily figures: average of the last 7 days",
           "rule": "At risk: the average of the last 7 days (1,877 visits) is below the value expected",
           "basis": "along the trend of the measurements, from the average of the last 7 days",
           "chart": "Website visits per day: 1,877 visits on average over the last 7 days to Nov 28, 2026 (at risk)",
           "pack": "1,877 visits average of the last 7 days, Nov 28, 2026"},
    "fr": {"title": "Toucher plus de monde", "kpi": "Visites par jour", "unit": "visites",
           "tile": "Moyenne des 7 derniers jours 1 877 visites",
           "card": "chiffres quotidiens : moyenne des 7 derniers jours",
           "rule": "À risque : la moyenne des 7 derniers jours (1 877 visites) est sous le niveau attendu",
           "basis": "selon la tendance des mesures, depuis la moyenne des 7 derniers jours",
           "chart": "Visites par jour : 1 877 visites en moyenne sur les 7 derniers jours jusqu'au 28 nov. 2026 "
                    "(à risque)",
           "pack": "1 877 visites moyenne des 7 derniers jours, 28 nov. 2026"},
}


def visits_files(language: str) -> dict[str, str]:
    words = WORDS[language]
    rows = "".join(f"{day},{value}\n" for day, value in weekly_visits(SATURDAY))
    return {"objectives/reach.md": VISITS_OBJECTIVE.format(**words), "data/visits.csv": "date,value\n" + rows}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_site_says_a_daily_figure_is_the_average_of_the_last_7_days(
        language: str, make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """On a Saturday, the objective page's tile reads "Average of the last 7 days 1,877 visits" (« Moyenne des
    7 derniers jours »), not the Saturday's 1,600; the status sentence, the forecast's basis and the chart's
    description say the same, and the dashboard card says "daily figures: average of the last 7 days"."""
    words = WORDS[language]
    plan = make_plan(visits_files(language), settings=SETTINGS.format(language=language))
    out = cli_build(plan, tmp_path / "site", SATURDAY.isoformat())
    page = page_text(out / "objectives" / "reach.html")
    for key in ("tile", "rule", "basis"):
        assert words[key] in page, (key, page)
    described = html.unescape((out / "objectives" / "reach.html").read_text(encoding="utf-8"))  # aria-label
    assert words["chart"] in described.replace("\u00a0", " ").replace("\u202f", " ")
    assert words["card"] in page_text(out / "index.html")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_pack_says_a_daily_figure_is_the_average_of_the_last_7_days(
        language: str, check_plan: Callable[..., Checked], monkeypatch: pytest.MonkeyPatch) -> None:
    """The board pack's KPI row writes the week's mean with "average of the last 7 days" under it, in the plan's
    language, where a monthly KPI has its month."""
    monkeypatch.setattr(pack_content, "svg", lambda *args, **kwargs: Markup(""))
    checked = check_plan(visits_files(language), settings=SETTINGS.format(language=language), today=SATURDAY)
    assert WORDS[language]["pack"] in pack_text(checked)

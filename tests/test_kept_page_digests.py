"""The digests that name the pages kept between builds (cache/kept_pages.py, render_memo.page_fingerprints) write
a KPI state's measurement days as day numbers: every change of what a page shows still changes its digest, so a
kept page is never taken for one showing other measurements."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from generator.cache.render_memo import page_fingerprints
from generator.pipeline import check
from generator.plan.compute import KpiState
from generator.read.source import DirectorySource
from tests.conftest import EXAMPLE

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def kpi() -> KpiState:
    state = check(DirectorySource(EXAMPLE), TODAY).state
    assert state is not None
    return next(k for k in state.kpis.values() if len(k.points) >= 3 and len(k.periods) >= 2)


def _digest(kpi: KpiState) -> bytes:
    return page_fingerprints().of(kpi)


def test_an_equal_kpi_state_keeps_its_digest(kpi: KpiState) -> None:
    """A KPI state made again with the same measurements finds its kept pages."""
    same = copy.copy(kpi)
    same.points, same.periods, same.positions = list(kpi.points), dict(kpi.periods), dict(kpi.positions)
    assert _digest(same) == _digest(kpi)


@pytest.mark.parametrize("change", ["day", "value", "period", "position", "one less", "a datetime"])
def test_each_measurement_fact_changes_the_digest(kpi: KpiState, change: str) -> None:
    """A measurement's day, value, period (month or quarter), where it stands, one measurement less, or a day
    that is not a plain date each give another digest: the page showing it is rendered again."""
    other = copy.copy(kpi)
    other.points, other.periods, other.positions = list(kpi.points), dict(kpi.periods), dict(kpi.positions)
    day, value = other.points[1]
    first_period = sorted(kpi.periods)[1]
    if change == "day":
        other.points[1] = (day + dt.timedelta(days=1), value)
    elif change == "value":
        other.points[1] = (day, value + 1.0)
    elif change == "period":
        other.periods[first_period] = "quarter" if kpi.periods[first_period] != "quarter" else "month"
    elif change == "position":
        other.positions[first_period] = kpi.positions[first_period] + dt.timedelta(days=40)
    elif change == "one less":
        other.points.pop()
    else:
        other.points[1] = (dt.datetime(day.year, day.month, day.day), value)
    assert _digest(other) != _digest(kpi)

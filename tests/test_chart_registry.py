"""The registry of charts (site/charts/registry.py): each chart declared once, and every chart declared there
kept by `strategy serve`'s render memo, with no other list to keep in step (the old name tuple lost the memo
of a chart it did not name)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from generator.cache.render_memo import RenderMemo
from generator.pipeline import check
from generator.plan.compute import PlanState
from generator.plan.i18n import Formatter
from generator.read.source import DirectorySource
from generator.site import charts
from generator.site.pages import build_pages
from tests.conftest import EXAMPLE

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def state() -> PlanState:
    checked = check(DirectorySource(EXAMPLE), TODAY)
    assert checked.state is not None
    return checked.state


def _subject(kind: charts.ChartKind, state: PlanState) -> Any:
    """Something the kind is drawn from, taken from the example plan."""
    for candidate in (state, *state.kpis.values(), *state.funnels.values()):
        if isinstance(candidate, kind.drawn_from):
            return candidate
    raise AssertionError(f"no {kind.drawn_from.__name__} in the example plan for chart {kind.name}")


def test_each_chart_is_declared_once_under_its_own_name() -> None:
    """No two charts share a name (the memo keys a chart by it): one would be shown for the other."""
    names = [kind.name for kind in charts.CHART_KINDS]
    assert len(names) == len(set(names))
    assert {kind.name: kind for kind in charts.CHART_KINDS} == charts.BY_NAME


@pytest.mark.parametrize("kind", [k for k in charts.CHART_KINDS if k.memoised], ids=lambda k: k.name)
def test_a_chart_declared_in_the_registry_is_memoised(kind: charts.ChartKind, state: PlanState) -> None:
    """A serve rebuild does not make again a declared chart whose state is unchanged: it is made once, then
    the very same chart comes from the memo."""
    memo, fmt = RenderMemo(), Formatter("fr", "EUR")
    subject = _subject(kind, state)
    with memo.build():
        first = memo.make_chart(kind, subject, fmt)
    with memo.build():
        again = memo.make_chart(kind, subject, fmt)
    assert again is first
    assert (memo.charts_built, memo.charts_reused) == (0, 1)
    assert first == charts.make_chart(kind, subject, fmt)  # the memo's chart is the builder's


def test_a_newly_declared_chart_is_memoised_without_any_other_list(state: PlanState) -> None:
    """A chart added to the site is kept by the memo from its declaration alone: the failure mode of the old
    CHART_BUILDERS tuple, where a chart left out of it was silently made again on every rebuild."""
    made: list[PlanState] = []

    def count_objectives(plan: PlanState, fmt: Formatter) -> charts.Chart:
        made.append(plan)
        table = charts.Table(caption="", headers=[], rows=[[fmt.number(len(plan.objectives))]])
        return charts.Chart(id="objectives-count", spec={}, table=table, description="")

    kind = charts.ChartKind("objectives-count", count_objectives, PlanState)
    memo, fmt = RenderMemo(), Formatter("en", "EUR")
    for _ in range(3):
        with memo.build():
            memo.make_chart(kind, state, fmt)
    assert len(made) == 1


def test_every_chart_of_the_pages_is_made_through_the_registry(state: PlanState) -> None:
    """pages.py asks the maker it is handed for each chart (so the memo's maker reaches them all), and every
    chart the pages show comes from a declared chart."""
    asked: list[str] = []

    def recording(kind: charts.ChartKind, subject: Any, fmt: Formatter) -> charts.Chart:
        assert charts.BY_NAME[kind.name] is kind
        asked.append(kind.name)
        return charts.make_chart(kind, subject, fmt)

    pages = build_pages(state, Formatter("fr", "EUR"), make_chart=recording)
    shown = [chart for page in pages for chart in page.charts]
    assert len(asked) == len(shown)
    assert set(asked) == {"kpi", "funnel", "progress", "budget"}


def test_a_page_names_its_charts_by_id(state: PlanState) -> None:
    """A template asks a page for a chart by its id: the dashboard's funnels show their own chart whatever
    the order of the page's charts, and a chart the page lacks is None (the template leaves it out)."""
    pages = build_pages(state, Formatter("fr", "EUR"))
    dashboard = next(page for page in pages if page.path == "index.html")
    dashboard = dataclasses.replace(dashboard, charts=list(reversed(dashboard.charts)))
    for fid in state.funnels:
        chart = dashboard.chart(f"funnel-{fid}")
        assert chart is not None and chart.id == f"funnel-{fid}"
    progress = dashboard.chart("objectives-progress")
    assert progress is not None and progress.table.headers[0] == "Objectif"
    assert dashboard.chart("solutions-budget") is None

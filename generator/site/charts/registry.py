"""The registry of charts: each chart of the site declared once, with its name, its builder, what it is drawn
from and how the render memo keys it (issue 17, like plan/kinds.py for the entity kinds).

pages.py asks for a chart through a `ChartMaker` (`make(KPI, state, fmt)`): `make_chart` here builds it,
and `strategy serve`'s render memo (cache/render_memo.py) hands pages.py its own maker, which returns the
chart already made for the same state. A chart declared here is therefore memoised with no list to keep in
step elsewhere (tests/test_chart_registry.py checks each one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...plan.compute import FunnelState, KpiState, PlanState
from ...plan.i18n import Formatter
from .budget import budget_chart
from .common import Chart
from .funnel import funnel_chart
from .history import target_history_charts
from .kpi import kpi_chart
from .progress import progress_chart


@dataclass(frozen=True)
class ChartKind:
    """One chart of the site."""

    name: str  # stable English key: the render memo's name of it
    build: Callable[[Any, Formatter], Any]  # (what it is drawn from, the plan's formatter) → its chart(s)
    drawn_from: type  # the computed state (compute.py) or value it is drawn from
    # fields of that state the chart does not draw, left out of its memo key: a KPI whose expected value moved
    # with the evaluation date (another day, another version), but whose chart did not, is found in the memo.
    # tests/test_versions_build.py checks that changing them leaves the chart as it is.
    not_drawn: frozenset[str] = frozenset()
    memoised: bool = True  # kept by the render memo, by a digest of what it is drawn from and the formatter


KPI = ChartKind("kpi", kpi_chart, KpiState,
                not_drawn=frozenset({"expected", "expected_progress", "progress", "future_points"}))
FUNNEL = ChartKind("funnel", funnel_chart, FunnelState)
PROGRESS = ChartKind("progress", progress_chart, PlanState)  # every objective's; a large plan's dashboard
# shows some of them (progress_chart_of), made afresh each build: a dashboard chart, cheap to make
# the solutions' budget reads the solutions alone, yet is drawn from the whole plan: its memo key would digest
# every entity and state of the plan (13 ms of a one-edit rebuild of a big plan, found again only when no file
# changed), where making it costs well under a millisecond (20 solutions)
BUDGET = ChartKind("budget", budget_chart, PlanState, memoised=False)
# the history page's charts, a list of one per KPI from every version's targets: made once per
# `--all-versions` build (versions/history.py), never by the pages the memo keeps
TARGET_HISTORY = ChartKind("target-history", target_history_charts, list, memoised=False)

CHART_KINDS: tuple[ChartKind, ...] = (KPI, FUNNEL, PROGRESS, BUDGET, TARGET_HISTORY)
BY_NAME = {kind.name: kind for kind in CHART_KINDS}

ChartMaker = Callable[[ChartKind, Any, Formatter], Chart]


def make_chart(kind: ChartKind, subject: Any, fmt: Formatter) -> Chart:
    """The chart of `kind` drawn from `subject`, made now."""
    chart: Chart = kind.build(subject, fmt)
    return chart

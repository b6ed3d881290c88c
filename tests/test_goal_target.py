"""A funnel's goal and the target of the KPI measuring its last stage are one number: written differently, a
board reads "5,720 of 6,500 expected" on the funnel and "on track to 6,000" on the KPI for one figure (tester
20). `strategy check` says so once, at the funnel's goal, naming the KPI's target line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.pipeline import check
from generator.read.source import DirectorySource

FUNNEL = """\
title: Sales
goal: {goal}
due: 2026-12-31
stages:
  - id: visits
    title: Visits
  - id: orders
    title: Orders
    rate: "2 %"
    kpi: orders
"""
OBJECTIVE = """\
---
title: Sell online
due: 2026-12-31
kpis:
  - id: orders
    title: Orders
    unit: orders
    measure: cumulative
    target: 6000
    cadence: monthly
---
"""
DATA = "date,value\n2026-01,400\n2026-02,900\n"


def _warnings(make_plan: Callable[..., Path], goal: int) -> list[tuple[str, str, int, str, str]]:
    plan = make_plan({"funnels/sales.yaml": FUNNEL.format(goal=goal), "objectives/sell.md": OBJECTIVE,
                      "data/orders.csv": DATA})
    checked = check(DirectorySource(plan), dt.date(2026, 3, 1))
    return [(d.code, d.file.rsplit("/", 1)[-1], d.line, d.message, d.hint or "")
            for d in checked.diagnostics.warnings if d.code == "goal-target"]


def test_a_funnel_goal_other_than_its_last_stage_kpi_target_is_one_warning(make_plan: Callable[..., Path]) -> None:
    """Goal 6,500 and target 6,000: one `goal-target` warning at the funnel's `goal:` line, saying both
    figures and where the KPI's target is written."""
    [(code, file, line, message, hint)] = _warnings(make_plan, 6500)
    assert (code, file, line) == ("goal-target", "sales.yaml", 2)
    assert message == ("the funnel `sales` aims for 6,500 at its last stage, whose KPI `orders` aims for 6,000: "
                       "a board would read two targets for one number")
    assert hint.startswith("write the same figure as the funnel's `goal:` and the KPI's `target:` (")
    assert hint.endswith("sell.md:9)")


@pytest.mark.parametrize("goal", [6000])
def test_the_same_figure_written_twice_is_no_warning(make_plan: Callable[..., Path], goal: int) -> None:
    """Goal and target both 6,000: nothing to say."""
    assert _warnings(make_plan, goal) == []

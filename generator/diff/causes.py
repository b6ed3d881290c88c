"""Which written fields feed each computed value of the diff's facts, so that a summary can say why a
computed value moved, naming every input that moved with it, and only those.

A funnel stage's need is the goal divided by the rates of the stages below it (`compute.backward_needs`):
a rate above the stage, or any stage's cost, does not change it. The funnel's budget is the sum of each
costed stage's need times its cost; the cost per unit is that budget over the goal. A KPI's status and
progress follow its target, baseline, due date, direction and measurements (and the day, which no field
says). An objective's status and progress follow its KPIs' (`compare._through_kpis`). Paths are those of
`diff.plan_facts`.
"""

from __future__ import annotations

from ..plan.model import Funnel
from .measurements import CORRECTED_PATH, MEASUREMENT_PREFIX

# A KPI's written fields (its count of measurements, its past values corrected) that decide its computed values,
# in the order a sentence names them; a path ending in "." stands for every path it starts (measurement.DATE).
_DATA = ("measurements", MEASUREMENT_PREFIX, CORRECTED_PATH)
_KPI_STATUS = ("target", "baseline", "due", "direction", *_DATA)
KPI_INPUTS: dict[str, tuple[str, ...]] = {"status": _KPI_STATUS, "progress": _KPI_STATUS,
                                          "forecast": _KPI_STATUS, "actual": _DATA}


def funnel_inputs(funnel: Funnel) -> dict[str, tuple[str, ...]]:
    """`need.STAGE`, `budget` and `cost_per_unit` → the paths of the fields they are computed from,
    goal first, then the stages top to bottom."""
    stages = funnel.stages
    inputs: dict[str, tuple[str, ...]] = {}
    for i, stage in enumerate(stages):
        inputs[f"need.{stage.id}"] = ("goal", *(f"stages.{below.id}.rate" for below in stages[i + 1:]))
    budget: list[str] = []
    for stage in stages:
        if stage.cost is not None:
            budget += [path for path in (f"stages.{stage.id}.cost", *inputs[f"need.{stage.id}"])
                       if path not in budget]
    if budget:
        order = ["goal", *(f"stages.{s.id}.{what}" for s in stages for what in ("rate", "cost"))]
        inputs["budget"] = inputs["cost_per_unit"] = tuple(sorted(budget, key=order.index))
    return inputs


def moved_inputs(derived: str, changed: list[str], *sides: dict[str, tuple[str, ...]]) -> list[str]:
    """The paths in `changed` (in its order) that feed `derived` on either side of the comparison: a stage
    added or removed below a stage feeds it on one side only."""
    feeding = {path for inputs in sides for path in inputs.get(derived, ())}
    prefixes = tuple(path for path in feeding if path.endswith("."))
    return [path for path in changed if path in feeding or path.startswith(prefixes)]


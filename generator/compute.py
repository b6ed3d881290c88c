"""The strategy math: backward funnels (exact), KPI status and forecast, objective roll-up.

Pure functions of a `Plan` and a date: no I/O, so they are tested without files.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction

from .model import KPI, Funnel, Objective, Plan, Series, Stage

STATUS_ORDER = ("off-track", "at-risk", "no-data", "on-track", "achieved")  # weakest first


# --- funnels -------------------------------------------------------------------------------


def backward_needs(goal: Fraction | float | int, rates: list[Fraction | None]) -> list[Fraction]:
    """Volume each stage must reach: need[last] = goal, need[i-1] = ceil(need[i] / rate[i]).

    `rates[i]` converts stage i-1 into stage i (rates[0] is unused). Exact rational arithmetic:
    goal 21 at 70 % needs 30, where floats would give 31.
    """
    goal_q = Fraction(goal) if not isinstance(goal, float) else Fraction(repr(goal))
    needs = [goal_q]
    for rate in reversed(rates[1:]):
        if rate is None or rate <= 0:
            raise ValueError("every stage after the first needs a rate in (0, 1]")
        needs.append(Fraction(math.ceil(needs[-1] / rate)))
    return list(reversed(needs))


def number(q: Fraction | float | int) -> int | float:
    """A Fraction as the plainest JSON number: int when whole."""
    if isinstance(q, Fraction):
        return int(q) if q.denominator == 1 else float(q)
    if isinstance(q, float) and q.is_integer():
        return int(q)
    return q


@dataclass
class StageState:
    stage: Stage
    need: Fraction
    actual: float | None = None
    observed_rate: float | None = None
    ratio: float | None = None  # observed / planned rate
    cost_total: float | None = None  # need × cost


@dataclass
class FunnelState:
    funnel: Funnel
    stages: list[StageState]
    bottleneck: str | None = None
    budget: float | None = None
    cost_per_unit: float | None = None
    projected: float | None = None  # final output the actual top volume projects at planned rates


def compute_funnel(funnel: Funnel, kpi_actuals: dict[str, float | None]) -> FunnelState | None:
    stages = funnel.stages
    if len(stages) < 2 or any(s.rate is None for s in stages[1:]):
        return None
    needs = backward_needs(funnel.goal, [s.rate for s in stages])
    states = [StageState(stage=s, need=n) for s, n in zip(stages, needs, strict=True)]
    for st in states:
        if st.stage.kpi is not None:
            st.actual = kpi_actuals.get(st.stage.kpi)
        if st.stage.cost is not None:
            st.cost_total = float(st.need * Fraction(repr(float(st.stage.cost))))
    worst: tuple[float, str] | None = None
    for prev, st in itertools.pairwise(states):
        if st.actual is not None and prev.actual:
            st.observed_rate = st.actual / prev.actual
            assert st.stage.rate is not None
            st.ratio = st.observed_rate / float(st.stage.rate)
            if st.ratio < 1 and (worst is None or st.ratio < worst[0]):
                worst = (st.ratio, st.stage.id)
    state = FunnelState(funnel=funnel, stages=states, bottleneck=worst[1] if worst else None)
    costed = [st.cost_total for st in states if st.cost_total is not None]
    if costed:
        state.budget = round(sum(costed), 2)
        state.cost_per_unit = round(state.budget / float(funnel.goal), 2)
    top = states[0].actual
    if top is not None:
        projected = Fraction(repr(float(top)))
        for st in states[1:]:
            assert st.stage.rate is not None
            projected *= st.stage.rate
        state.projected = round(float(projected), 2)
    return state


# --- KPIs ----------------------------------------------------------------------------------


@dataclass
class KpiState:
    kpi: KPI
    start: dt.date
    due: dt.date
    direction: str
    baseline: float | None
    points: list[tuple[dt.date, float]] = field(default_factory=list)  # as counted, up to today
    future_points: int = 0  # measurements dated after today, ignored
    actual: float | None = None
    actual_date: dt.date | None = None
    expected: float | None = None
    progress: float | None = None
    expected_progress: float = 0.0
    forecast: float | None = None
    status: str = "no-data"

    def expected_at(self, day: dt.date) -> float | None:
        """The straight path from (period start, baseline) to (due, target)."""
        if self.baseline is None:
            return None
        return self.baseline + (self.kpi.target - self.baseline) * _share(self.start, self.due, day)


def _share(start: dt.date, end: dt.date, day: dt.date) -> float:
    span = (end - start).days
    if span <= 0:
        return 1.0
    return min(1.0, max(0.0, (day - start).days / span))


def kpi_direction(kpi: KPI, baseline: float | None) -> str:
    if kpi.direction:
        return kpi.direction
    if baseline is not None and kpi.target < baseline:
        return "down"
    return "up"


Counted = tuple[tuple[dt.date, float], ...]

# What compute_kpi derives from a KPI's measurements alone, by the Series it comes from. The loader hands
# the same immutable Series to every check while its CSV file is unchanged (see parse_cache), so that
# `strategy serve` derives again only the measurements of an edited file. Keyed by the Series' identity
# (kept alive here, so that its id is not reused) and by everything else the result depends on.
_DERIVED: dict[tuple[int, dt.date, dt.date, str, dt.date], tuple[Series, Counted, int, float | None]] = {}
_DERIVED_MAX = 4096  # entries; the memo starts afresh past this (a big plan has about 1000 KPIs)


def _counted(series: Series | None, today: dt.date, start: dt.date, measure: str,
             due: dt.date) -> tuple[Counted, int, float | None]:
    """(the measurements counted up to today, how many are later, the forecast at `due`)."""
    memo = series is not None and type(series.points) is tuple  # a Series made with a list may change
    key = (id(series), today, start, measure, due)
    if memo:
        kept = _DERIVED.get(key)
        if kept is not None and kept[0] is series:
            return kept[1], kept[2], kept[3]
    measured = series.points if series else ()
    past = [(p.date, p.value) for p in measured if p.date <= today]
    future_points = len(measured) - len(past)
    if measure == "cumulative":
        counted, total = [], 0.0
        for d, v in past:
            if d >= start:
                total += v
                counted.append((d, total))
        past = counted
    result = (tuple(past), future_points, _linear_forecast(past, due))
    if memo:
        if len(_DERIVED) >= _DERIVED_MAX:
            _DERIVED.clear()
        assert series is not None
        _DERIVED[key] = (series, *result)
    return result


def compute_kpi(kpi: KPI, plan: Plan, today: dt.date, at_risk: float) -> KpiState:
    start = plan.settings.period_start
    due = kpi.due or plan.settings.period_end
    counted, future_points, forecast = _counted(plan.series.get(kpi.id), today, start, kpi.measure, due)
    past = list(counted)
    baseline = kpi.baseline if kpi.baseline is not None else (past[0][1] if past else None)
    if kpi.baseline is None and kpi.measure == "cumulative":
        baseline = 0.0  # a running total starts from nothing at the period start, data or not
    state = KpiState(kpi=kpi, start=start, due=due, direction=kpi_direction(kpi, baseline),
                     baseline=baseline, points=past, future_points=future_points)
    state.expected_progress = _share(start, due, today)
    state.expected = state.expected_at(today)
    if not past or baseline is None:
        return state
    state.actual_date, state.actual = past[-1]
    span = kpi.target - baseline
    state.progress = (state.actual - baseline) / span if span else (1.0 if state.actual == kpi.target else 0.0)
    state.forecast = forecast
    sign = 1 if state.direction == "up" else -1
    if sign * (state.actual - kpi.target) >= 0:
        state.status = "achieved"
    elif state.expected is not None and sign * (state.actual - state.expected) >= 0:
        state.status = "on-track"
    elif state.progress >= at_risk * state.expected_progress:
        state.status = "at-risk"
    else:
        state.status = "off-track"
    return state


def _linear_forecast(points: list[tuple[dt.date, float]] | Counted, due: dt.date) -> float | None:
    """Least-squares line through the measurements, read at the due date."""
    if len(points) < 2:
        return None
    xs = [d.toordinal() for d, _ in points]
    ys = [v for _, v in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    # lists rather than generators: the same sums in the same order, in half the time
    dxs = [x - mx for x in xs]
    sxx = sum([dx ** 2 for dx in dxs])
    if sxx == 0:
        return None
    slope = sum([dx * (y - my) for dx, y in zip(dxs, ys, strict=True)]) / sxx
    return my + slope * (due.toordinal() - mx)


# --- objectives and the whole plan ---------------------------------------------------------


@dataclass
class ObjectiveState:
    objective: Objective
    kpis: list[KpiState]
    status: str = "no-data"
    progress: float | None = None
    children: list[str] = field(default_factory=list)


def rollup(objective: Objective, kpis: list[KpiState]) -> ObjectiveState:
    state = ObjectiveState(objective=objective, kpis=kpis)
    if kpis:
        state.status = min((k.status for k in kpis), key=STATUS_ORDER.index)
        if all(k.status == "no-data" for k in kpis):
            state.status = "no-data"
        progresses = [k.progress for k in kpis if k.progress is not None]
        if progresses:
            state.progress = sum(progresses) / len(progresses)
    return state


@dataclass
class PlanState:
    plan: Plan
    today: dt.date
    kpis: dict[str, KpiState]
    objectives: dict[str, ObjectiveState]
    funnels: dict[str, FunnelState]
    solutions_budget: float = 0.0


def compute_plan(plan: Plan, today: dt.date) -> PlanState:
    at_risk = plan.settings.rules.at_risk
    kpis = {}
    objectives = {}
    for obj in plan.objectives.values():
        states = [compute_kpi(k, plan, today, at_risk) for k in obj.kpis]
        kpis.update({s.kpi.id: s for s in states})
        objectives[obj.id] = rollup(obj, states)
    for obj in plan.objectives.values():
        if obj.parent in objectives:
            objectives[obj.parent].children.append(obj.id)
    actuals = {kid: s.actual for kid, s in kpis.items()}
    funnels = {}
    for funnel in plan.funnels.values():
        fs = compute_funnel(funnel, actuals)
        if fs is not None:
            funnels[funnel.id] = fs
    budget = sum(s.yearly_cost for s in plan.solutions.values())
    return PlanState(plan=plan, today=today, kpis=kpis, objectives=objectives, funnels=funnels,
                     solutions_budget=budget)

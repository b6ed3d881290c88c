"""The strategy math: backward funnels (exact), KPI status and forecast, objective roll-up.

Pure functions of a `Plan` and a date: no I/O, so they are tested without files.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from . import daily_level, periods
from .model import KPI, Funnel, Objective, Plan, Series, Stage

if TYPE_CHECKING:
    from .computed_memo import ComputedMemo

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
    need: Fraction  # the volume to reach by the funnel's due date
    need_to_date: float | None = None  # the need pro-rated on the time elapsed since the period start
    actual: float | None = None  # the stage's volume since the period start (its KPI's measurements summed)
    observed_rate: float | None = None  # from the stage just above, when both are measured (the tables' column)
    # the rate measured from the nearest measured stage above (`rate_from`, its index), and the planned rate
    # over the same span: the product of the planned rates between them, across any unmeasured stage
    measured_rate: float | None = None
    rate_from: int | None = None
    planned_rate: Fraction | None = None
    ratio: float | None = None  # measured / planned rate over the same span
    pace: float | None = None  # actual / need to date: below 1, the stage is behind
    cost_total: float | None = None  # need × cost


@dataclass
class FunnelState:
    funnel: Funnel
    stages: list[StageState]
    due: dt.date | None = None
    start: dt.date | None = None  # the period start the volumes are counted from
    elapsed: float = 1.0  # share of the time from the period start to the due date gone by
    tolerance: float = 0.9  # a stage converting below this share of its planned rate is a bottleneck
    bottleneck: str | None = None  # the stage converting furthest below its planned rate (rules.bottleneck)
    shortfall: str | None = None  # the stage furthest behind its need to date
    budget: float | None = None
    cost_per_unit: float | None = None
    projection: float | None = None  # the last stage's volume at the due date at the current pace


def compute_funnel(funnel: Funnel, volumes: dict[str, float | None], *, elapsed: float = 1.0,
                   tolerance: float = 0.9, due: dt.date | None = None,
                   start: dt.date | None = None, shares: dict[str, float] | None = None) -> FunnelState | None:
    """The funnel worked backwards, with each stage's volume to date (`volumes`, by KPI id) read against it.

    `elapsed` is the share of the funnel's time gone by (1.0: the due date is reached), so the need to date
    is `need × elapsed`, and the projection at the due date carries the deepest measured stage's pace
    (volume / the share of the time gone by where it stands: `shares`, by KPI id, else `elapsed`) down the
    planned rates of the stages below it.
    """
    stages = funnel.stages
    if len(stages) < 2 or any(s.rate is None for s in stages[1:]):
        return None
    needs = backward_needs(funnel.goal, [s.rate for s in stages])
    states = [StageState(stage=s, need=n, need_to_date=float(n) * elapsed) for s, n in zip(stages, needs, strict=True)]
    for st in states:
        if st.stage.kpi is not None:
            st.actual = volumes.get(st.stage.kpi)
        if st.stage.cost is not None:
            st.cost_total = float(st.need * Fraction(repr(float(st.stage.cost))))
        if st.actual is not None and st.need_to_date:
            st.pace = st.actual / st.need_to_date
    _observe_rates(states)
    state = FunnelState(funnel=funnel, stages=states, due=due, start=start, elapsed=elapsed, tolerance=tolerance,
                        bottleneck=_lowest(states, "ratio", below=tolerance),
                        shortfall=_lowest(states, "pace", below=1.0))
    costed = [st.cost_total for st in states if st.cost_total is not None]
    if costed:
        state.budget = round(sum(costed), 2)
        state.cost_per_unit = round(state.budget / float(funnel.goal), 2)
    state.projection = _projection(states, elapsed, shares or {})
    return state


def _observe_rates(states: list[StageState]) -> None:
    """Each measured stage's rate from the nearest measured stage above it: a rate is judged only between
    two measured volumes, never guessed for a stage without a KPI."""
    above: int | None = None
    for i, st in enumerate(states):
        if st.actual is None:
            continue
        base = states[above].actual if above is not None else None
        if above is not None and base:
            planned = Fraction(1)
            for between in states[above + 1:i + 1]:
                assert between.stage.rate is not None  # compute_funnel needs every rate
                planned *= between.stage.rate
            st.measured_rate = st.actual / base
            st.rate_from, st.planned_rate = above, planned
            st.ratio = st.measured_rate / float(planned)
            if above == i - 1:
                st.observed_rate = st.measured_rate
        above = i


def _lowest(states: list[StageState], attr: str, *, below: float) -> str | None:
    """The stage whose `attr` is lowest and under `below` (the first of equals), or None."""
    worst: tuple[float, str] | None = None
    for st in states:
        value = getattr(st, attr)
        if value is not None and value < below and (worst is None or value < worst[0]):
            worst = (value, st.stage.id)
    return worst[1] if worst else None


def _projection(states: list[StageState], elapsed: float, shares: dict[str, float]) -> float | None:
    """The last stage's volume at the due date: the deepest measured stage at its pace so far, then the
    planned rates below it."""
    deepest = max((i for i, st in enumerate(states) if st.actual is not None), default=None)
    if deepest is None:
        return None
    kpi = states[deepest].stage.kpi
    elapsed = shares.get(kpi, elapsed) if kpi is not None else elapsed
    if elapsed <= 0:
        return None
    actual = states[deepest].actual
    assert actual is not None
    projected = Fraction(repr(float(actual))) / Fraction(repr(elapsed))
    for st in states[deepest + 1:]:
        assert st.stage.rate is not None
        projected *= st.stage.rate
    return round(float(projected), 2)


def stage_volume(series: Series | None, start: dt.date, end: dt.date) -> float | None:
    """A funnel stage's volume: its KPI's measurements dated from `start` to `end` summed (a stage is a flow,
    so a `level` KPI on a stage is read as a volume per cadence period). None without any measurement."""
    if series is None:
        return None
    values = [p.value for p in series.points if start <= p.date <= end]
    return math.fsum(values) if values else None


def stage_share(series: Series | None, start: dt.date, due: dt.date, today: dt.date) -> float | None:
    """The share of the funnel's time gone by where a stage's volume stands, as a running total's does for its
    KPI (`_counted`, `_pace_forecast`): the end of its latest counted month or quarter, or today while that
    lasts; so November's total is read against the time to 30 November, on the funnel as on the KPI's page."""
    if series is None:
        return None
    end = min(today, due)
    latest = next((p for p in reversed(series.points) if start <= p.date <= end), None)
    return time_share(start, due, min(latest.end, today)) if latest is not None else None


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
    forecast_rule: str | None = None  # how the forecast was made: "milestones", "average-pace" or "trend"
    status: str = "no-data"
    rule: str = "no-data"  # which rule of STATUS_RULES set the status
    # the measurements that stand for a month or a quarter, by their first day (model.Point.period)
    periods: dict[dt.date, str] = field(default_factory=dict)
    # where those measurements stand: their period's last day, or today while the period lasts
    positions: dict[dt.date, dt.date] = field(default_factory=dict)
    expected_date: dt.date | None = None  # the day `expected` is read on: the latest measurement's, or today
    # every value written whole (baseline, target, each measurement): a count, whose figures get no decimals
    # (site/explain.kpi_digits, read for each KPI by its page, its chart, the diff of every version, the pack)
    whole: bool = field(init=False)

    def __post_init__(self) -> None:
        written = (self.baseline, self.kpi.target, *(value for _, value in self.points))
        self.whole = all(v is None or float(v).is_integer() for v in written)
    # the due date has passed (and a measurement stood by it): `actual` is the value that stood at the due
    # date, judged against the target, with no forecast (_judge_at_due)
    closed: bool = False
    # the days `actual` is the mean of, ending on `actual_date` (a daily level KPI: 7, daily_level.py); 0: it
    # is the latest measurement
    averaged_days: int = 0

    def path(self) -> list[tuple[dt.date, float]]:
        """The expected path's corners: (period start, baseline), the milestones, (due, target)."""
        if self.baseline is None:
            return []
        inner = [(d, v) for d, v in self.kpi.milestones if self.start < d < self.due]
        return [(self.start, self.baseline), *inner, (self.due, self.kpi.target)]

    def at(self, day: dt.date) -> dt.date:
        """Where the measurement dated `day` stands on the time line: its period's end (or today), or `day`."""
        return self.positions.get(day, day)

    def period_at(self, day: dt.date | None) -> str:
        """What the measurement dated `day` stands for: "day", "month" or "quarter"."""
        return self.periods.get(day, "day") if day is not None else "day"

    def expected_at(self, day: dt.date) -> float | None:
        """The expected path read on `day`: straight from (period start, baseline) to (due, target), or
        piecewise straight through the KPI's milestones."""
        corners = self.path()
        if not corners:
            return None
        if day <= corners[0][0]:
            return corners[0][1]
        for (d0, v0), (d1, v1) in itertools.pairwise(corners):
            if day <= d1:
                return v0 + (v1 - v0) * time_share(d0, d1, day)
        return corners[-1][1]


def time_share(start: dt.date, end: dt.date, day: dt.date) -> float:
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
Positions = dict[dt.date, dt.date]

# What compute_kpi derives from a KPI's measurements alone, by the Series it comes from. The loader hands
# the same immutable Series to every check while its CSV file is unchanged (see cache/parsed_files.py), so that
# `strategy serve` derives again only the measurements of an edited file. Keyed by the Series' identity
# (kept alive here, so that its id is not reused) and by everything else the result depends on.
_DERIVED: dict[tuple[int, dt.date, dt.date, str, dt.date], tuple[Series, Counted, int, Positions]] = {}
_DERIVED_MAX = 4096  # entries; the memo starts afresh past this (a big plan has about 1000 KPIs)


def _counted(series: Series | None, today: dt.date, start: dt.date, measure: str,
             due: dt.date) -> tuple[Counted, int, Positions]:
    """(the measurements counted up to today, how many are later, where the month and quarter ones stand).

    A measurement is dated by its period's first day, but it stands for the period as a whole: November's
    running total is the total at the end of November. So it is compared, forecast from and drawn at its
    period's last day (`Positions`, by first day), or today while the period lasts."""
    memo = series is not None and type(series.points) is tuple  # a Series made with a list may change
    key = (id(series), today, start, measure, due)
    if memo:
        kept = _DERIVED.get(key)
        if kept is not None and kept[0] is series:
            return kept[1], kept[2], kept[3]
    measured = series.points if series else ()
    kept_points = [p for p in measured if p.date <= today]
    past = [(p.date, p.value) for p in kept_points]
    positions = {p.date: min(p.end, today) for p in kept_points if p.period != "day"}
    future_points = len(measured) - len(past)
    if measure == "cumulative":
        counted, total = [], 0.0
        for d, v in past:
            if d >= start:
                total += v
                counted.append((d, total))
        past = counted
    result = (tuple(past), future_points, positions)
    if memo:
        if len(_DERIVED) >= _DERIVED_MAX:
            _DERIVED.clear()
        assert series is not None
        _DERIVED[key] = (series, *result)
    return result


# Why a KPI has its status, in the order they are tried (the page names the one that applied).
STATUS_RULES = {
    "target-reached": "achieved",  # the latest measurement reaches the target
    # a level reaching the target before the due date, but forecast to fall back below it by then
    "reached-forecast-short": "on-track",
    "on-path": "on-track",  # at or beyond the expected path today
    "near-path": "at-risk",  # behind the path, but its progress is at least rules.at_risk of the expected one
    "forecast-reaches-target": "at-risk",  # further behind, but the forecast at the due date reaches the target
    "behind-path": "off-track",  # further behind, and the forecast (if any) misses the target
    # once the due date has passed, the value standing at it is the outcome (_judge_at_due)
    "reached-at-due": "achieved",
    "missed": "off-track",
    "no-data": "no-data",
}


def compute_kpi(kpi: KPI, plan: Plan, today: dt.date, at_risk: float) -> KpiState:
    start = plan.settings.period_start
    due = kpi.due or plan.settings.period_end
    series = plan.series.get(kpi.id)
    counted, future_points, positions = _counted(series, today, start, kpi.measure, due)
    past = list(counted)
    baseline = kpi.baseline if kpi.baseline is not None else (past[0][1] if past else None)
    if kpi.baseline is None and kpi.measure == "cumulative":
        baseline = 0.0  # a running total starts from nothing at the period start, data or not
    state = KpiState(kpi=kpi, start=start, due=due, direction=kpi_direction(kpi, baseline),
                     baseline=baseline, points=past, future_points=future_points, positions=positions,
                     periods={p.date: p.period for p in series.points if p.period != "day"} if series else {})
    if past:
        state.actual_date, state.actual = past[-1]
        if daily_level.averages_week(kpi, state.period_at(state.actual_date)):
            state.actual, state.averaged_days = daily_level.week_mean(past), daily_level.WINDOW_DAYS
    # While it is fresh, the latest measurement is compared with what was expected when it was measured (the
    # end of its month or quarter): a third-quarter figure against the path at the end of September, not in
    # December. Once stale, it is compared with what is expected today: old data never keeps a KPI on track.
    state.expected_date = today
    if state.actual_date is not None:
        period = state.period_at(state.actual_date)
        if not periods.is_stale(state.actual_date, period, kpi.cadence, today):
            state.expected_date = state.at(state.actual_date)
    state.expected = state.expected_at(state.expected_date)
    span = kpi.target - baseline if baseline is not None else 0.0
    if state.expected is not None and baseline is not None and span:
        state.expected_progress = (state.expected - baseline) / span  # the path's progress, milestones included
    else:
        state.expected_progress = time_share(start, due, state.expected_date)
    if state.actual is None or baseline is None:
        return state
    if due < today and _judge_at_due(state, past):
        return state
    state.progress = (state.actual - baseline) / span if span else (1.0 if state.actual == kpi.target else 0.0)
    state.forecast = _forecast(state, [(state.at(d), v) for d, v in past], kpi.measure)
    if state.averaged_days and state.forecast_rule == "trend" and state.forecast is not None:
        state.forecast += state.actual - past[-1][1]  # the trend carried from the week's mean, not from one day
    sign = 1 if state.direction == "up" else -1
    if sign * (state.actual - kpi.target) >= 0:
        # once the due date is measured, the measurement is the outcome, whatever a line through it says
        early = state.actual_date is not None and state.at(state.actual_date) < due
        short = early and state.forecast is not None and sign * (state.forecast - kpi.target) < 0
        state.rule = "reached-forecast-short" if short else "target-reached"  # never "achieved" beside a miss
    elif state.expected is not None and sign * (state.actual - state.expected) >= 0:
        state.rule = "on-path"
    elif state.progress >= at_risk * state.expected_progress:
        state.rule = "near-path"
    elif state.forecast is not None and sign * (state.forecast - kpi.target) >= 0:
        state.rule = "forecast-reaches-target"  # never "off track" beside a forecast that reaches the target
    else:
        state.rule = "behind-path"
    state.status = STATUS_RULES[state.rule]
    return state


def _judge_at_due(state: KpiState, past: list[tuple[dt.date, float]]) -> bool:
    """Once the due date has passed, the outcome rather than a forecast: the latest measurement standing on or
    before the due date (a month's figure at its month's end), against the target, and against the path's end
    (the target) as the value expected. Later measurements stay in the chart and table but judge nothing: the
    June figure decides a KPI due in June, not November's. False (judged as before) when no measurement stood
    by the due date."""
    kpi, baseline = state.kpi, state.baseline
    standing = [(d, v) for d, v in past if state.at(d) <= state.due]
    if not standing or baseline is None:
        return False
    state.closed = True
    state.actual_date, state.actual = standing[-1]
    state.averaged_days = 0  # the one measurement standing at the due date, not a week's mean
    state.expected_date = state.due
    state.expected = state.expected_at(state.due)
    span = kpi.target - baseline
    state.expected_progress = 1.0
    state.progress = (state.actual - baseline) / span if span else (1.0 if state.actual == kpi.target else 0.0)
    sign = 1 if state.direction == "up" else -1
    state.rule = "reached-at-due" if sign * (state.actual - kpi.target) >= 0 else "missed"
    state.status = STATUS_RULES[state.rule]
    return True


def _forecast(state: KpiState, points: list[tuple[dt.date, float]], measure: str) -> float | None:
    """The value at the due date, and which rule made it (`state.forecast_rule`): along the KPI's milestone
    path at the pace it keeps against that path; else a running total at its average pace since the period
    start; else the latest measurement along the least-squares slope of the measurements. A running total is never
    forecast to shrink."""
    baseline, actual, expected = state.baseline, state.actual, state.expected
    if actual is None or baseline is None:
        return None
    forecast: float | None
    if state.kpi.milestones and expected is not None and expected != baseline:
        # a back-loaded path: a straight line through the early, slow measurements would miss the late growth
        forecast = baseline + (state.kpi.target - baseline) * (actual - baseline) / (expected - baseline)
        state.forecast_rule = "milestones"
    elif measure == "cumulative":
        # a running total grows by each period's figure: a line through the totals, bent by their growth, would
        # forecast less than a typical month; its average pace since the start does not (as the funnel projects)
        forecast = _pace_forecast(points, state.start, state.due)
        state.forecast_rule = "average-pace" if forecast is not None else None
    else:
        forecast = _linear_forecast(points, state.due, state.start)
        state.forecast_rule = "trend" if forecast is not None else None
    if forecast is not None and measure == "cumulative" and state.direction == "up":
        forecast = max(forecast, actual)
    return forecast


def _pace_forecast(points: list[tuple[dt.date, float]], start: dt.date, due: dt.date) -> float | None:
    """A running total (nothing at the period start) at the due date, at its average pace since the start:
    the latest total over the share of the time gone by where it stands (the end of its month, or today)."""
    if not points:
        return None
    day, total = points[-1]
    share = time_share(start, due, day)
    return total / share if share > 0 else None


def _linear_forecast(points: list[tuple[dt.date, float]] | Counted, due: dt.date,
                     start: dt.date | None = None) -> float | None:
    """The latest measurement carried to the due date along the least-squares slope of the measurements
    standing from the period `start` on (all of them while fewer than two do): 2,000 → 2,443 visits a day in
    the plan's year is a rising trend, whatever eight centuries of rows before it say.

    Anchored at the latest measurement (where the KPI stands) rather than read on the least-squares line:
    after a V (churn down in spring, up since), the line lies below the latest value, and reading it at the
    due date forecast an improvement against a worsening trend. From the latest value, the forecast always
    moves the way the trend does."""
    if start is not None:
        within = [(d, v) for d, v in points if d >= start]
        points = within if len(within) >= 2 else points
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
    latest_day, latest = points[-1]
    # once the due date is passed, the latest measurement is the outcome (as the status reads it), never a
    # value read back along the slope
    return latest + slope * max(0, (due - latest_day).days)


# --- objectives and the whole plan ---------------------------------------------------------


@dataclass
class ObjectiveState:
    objective: Objective
    kpis: list[KpiState]
    status: str = "no-data"
    progress: float | None = None
    children: list[str] = field(default_factory=list)
    expected_progress: float = 0.0  # the mean of its KPIs', as the progress chart draws it

    @property
    def behind(self) -> float:
        """How far its progress is behind the expected progress (negative when ahead); none counts as 0 %."""
        progress = self.progress if self.progress is not None and math.isfinite(self.progress) else 0.0
        return self.expected_progress - progress


def rollup(objective: Objective, kpis: list[KpiState], elapsed: float = 0.0) -> ObjectiveState:
    """An objective's status is its weakest KPI's ("no data" weaker than on track); its progress the mean of its
    measured KPIs', each up to 100 %, and its expected progress the mean of the same KPIs' (of all of them
    while none is measured; without KPIs, `elapsed`: the share of its time gone)."""
    state = ObjectiveState(objective=objective, kpis=kpis, expected_progress=elapsed)
    if kpis:
        state.status = min((k.status for k in kpis), key=STATUS_ORDER.index)
        if all(k.status == "no-data" for k in kpis):
            state.status = "no-data"
        # a KPI not measured yet is left out, not counted as 0 %: the pages say how many (explain.py), and the
        # expected progress is read on the same KPIs, so that the two compare like with like
        measured = [k for k in kpis if k.progress is not None] or kpis
        state.expected_progress = sum(k.expected_progress for k in measured) / len(measured)
        # each KPI counts for at most all of its share: one beyond its target does not make up for another
        # behind it, so an objective never reads as more than done; one going backwards still pulls it down
        progresses = [min(1.0, k.progress) for k in measured if k.progress is not None]
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


def compute_plan(plan: Plan, today: dt.date, memo: ComputedMemo | None = None) -> PlanState:
    """The plan's states on `today`. With `memo` (`strategy serve`), an objective or funnel whose inputs did not
    change since the previous check keeps the state computed then (plan/computed_memo.py)."""
    rules = plan.settings.rules
    start = plan.settings.period_start
    children: dict[str, list[str]] = {}
    for obj in plan.objectives.values():
        if obj.parent in plan.objectives:
            children.setdefault(obj.parent, []).append(obj.id)
    if memo is not None:
        memo.start()
    kpis = {}
    objectives = {}
    for obj in plan.objectives.values():
        def objective_state(obj: Objective = obj) -> ObjectiveState:
            states = [compute_kpi(k, plan, today, rules.at_risk) for k in obj.kpis]
            state = rollup(obj, states, time_share(start, obj.due or plan.settings.period_end, today))
            state.children = list(children.get(obj.id, ()))
            return state

        state = objective_state() if memo is None else \
            memo.objective(obj, plan, today, children.get(obj.id, []), objective_state)
        kpis.update({s.kpi.id: s for s in state.kpis})
        objectives[obj.id] = state
    funnels = {}
    for funnel in plan.funnels.values():
        due = funnel.due or plan.settings.period_end
        end = min(today, due)
        volumes = {s.kpi: stage_volume(plan.series.get(s.kpi), start, end) for s in funnel.stages if s.kpi}
        elapsed = time_share(start, due, today)
        shares = {s.kpi: share for s in funnel.stages
                  if s.kpi and (share := stage_share(plan.series.get(s.kpi), start, due, today)) is not None}

        def funnel_state(funnel: Funnel = funnel, volumes: dict[str, float | None] = volumes,
                         elapsed: float = elapsed, due: dt.date = due,
                         shares: dict[str, float] = shares) -> FunnelState | None:
            return compute_funnel(funnel, volumes, elapsed=elapsed, tolerance=rules.bottleneck, due=due, start=start,
                                  shares=shares)

        inputs = (tuple(volumes.items()), elapsed, rules.bottleneck, due, start, tuple(shares.items()))
        fs = funnel_state() if memo is None else memo.funnel(funnel, inputs, funnel_state)
        if fs is not None:
            funnels[funnel.id] = fs
    if memo is not None:
        memo.finish()
    budget = sum(s.yearly_cost for s in plan.solutions.values())
    return PlanState(plan=plan, today=today, kpis=kpis, objectives=objectives, funnels=funnels,
                     solutions_budget=budget)

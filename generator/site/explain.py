"""What the computed numbers mean, in the plan's language: a funnel's projection at the due date and its
diagnosis (which rate limits it, which volume is behind), shared by the funnel page, the dashboard and
`strategy funnel`; and which rule gave a KPI its status."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from babel.lists import format_list

from ..plan import gaps, periods
from ..plan.compute import STATUS_ORDER, FunnelState, KpiState, ObjectiveState, StageState
from ..plan.i18n import Formatter
from ..plan.messages import render

T = TypeVar("T")


def _w(fmt: Formatter, key: str, **values: object) -> str:
    return render(fmt.language, f"explain.{key}", **values)


def projection_text(fs: FunnelState, fmt: Formatter) -> str | None:
    """"≈ 3,3 clients signés sur 5 au 31 déc. 2026, au rythme moyen depuis le 1er janv. 2026": the last stage
    at the due date, at the current pace, and what that rests on (`projection_parts`)."""
    return _projection_sentence(fmt, projection_parts(fs, fmt))


def _projection_sentence(fmt: Formatter, parts: tuple[str, str] | None) -> str | None:
    return None if parts is None else _w(fmt, "projection", figure=parts[0], basis=parts[1])


def projection_parts(fs: FunnelState, fmt: Formatter) -> tuple[str, str] | None:
    """The projection's figure and what it rests on: the deepest measured stage at its pace, then the planned
    rates of the unmeasured stages after it, named (or a board reads a planned figure as an observed one)."""
    if fs.projection is None:
        return None
    last = fs.stages[-1].stage
    # a count: whole from 20 up ("≈ 114 833 commandes"), a tenth below ("≈ 6,5 distributeurs"), a tenth where
    # rounding would reach or cross the goal ("≈ 23,8 sur 24")
    shown, value = fmt.volume_toward(fs.projection, fs.funnel.goal)
    figure = _w(fmt, "projection_figure", value=value, unit=fmt.unit(shown, last.title),
                goal=fmt.number(fs.funnel.goal), due=fmt.date(fs.due))
    # the deepest measured stage carries the projection (compute._projection)
    deepest = max(i for i, st in enumerate(fs.stages) if st.actual is not None)
    planned = [st.stage.title for st in fs.stages[deepest + 1:]]
    if not planned:
        return figure, _w(fmt, "forecast.average-pace", start=fmt.date(fs.start))
    # counted, not named: a tile listing every unmeasured stage grows tall, and the table shows them unmeasured
    return figure, _w(fmt, "projection_planned", measured=fs.stages[deepest].stage.title, start=fmt.date(fs.start),
                      planned=_w(fmt, "planned_stages", count=len(planned)))


def _stage(fs: FunnelState, stage_id: str | None) -> tuple[int, StageState] | None:
    return next(((i, st) for i, st in enumerate(fs.stages) if st.stage.id == stage_id), None)


def diagnosis(fs: FunnelState, fmt: Formatter) -> list[str]:
    """What limits the funnel: the rate bottleneck and the volume furthest behind its need to date. Never
    "no bottleneck" while the last stage is behind."""
    tolerance = fmt.percent(fs.tolerance)
    measured = [st for st in fs.stages if st.actual is not None]
    if not measured:
        linked = any(st.stage.kpi for st in fs.stages)
        return [_w(fmt, "no_measurement" if linked else "no_data")]
    if fs.elapsed <= 0:
        return [_w(fmt, "not_started")]
    out = []
    found = _stage(fs, fs.bottleneck)
    if found is not None:
        out.append(_bottleneck(fs, *found, fmt))
    behind = _stage(fs, fs.shortfall)
    if behind is not None:
        _, st = behind
        # every rate within tolerance: the shortfall starts at the top-most stage behind its need to date
        top = st if found is not None else next(s for s in fs.stages if s.pace is not None and s.pace < 1)
        if top is not st:
            out.append(_w(fmt, "shortfall", stage=st.stage.title, actual=fmt.volume(st.actual),
                          to_date=fmt.needed(st.need_to_date), need=fmt.volume(float(st.need)),
                          due=fmt.date(fs.due)))
        rates_seen = any(s.ratio is not None for s in fs.stages)  # never a claim about rates not measured
        out.append(_w(fmt, "volume_limits" if found is None and rates_seen else "shortfall", tolerance=tolerance,
                      stage=top.stage.title, actual=fmt.volume(top.actual), to_date=fmt.needed(top.need_to_date),
                      need=fmt.volume(float(top.need)), due=fmt.date(fs.due)))
    if not out:
        rates_seen = any(st.ratio is not None for st in fs.stages)
        out.append(_w(fmt, "on_pace" if rates_seen else "volumes_ok", tolerance=tolerance))
    return out


def _bottleneck(fs: FunnelState, i: int, st: StageState, fmt: Formatter) -> str:
    """The rate furthest below plan, read from the nearest measured stage above: across unmeasured stages,
    against the product of their planned rates, and saying which stages were not measured."""
    assert st.rate_from is not None and st.planned_rate is not None
    values = {"stage": st.stage.title, "previous": fs.stages[st.rate_from].stage.title,
              "observed": fmt.rate(st.measured_rate), "planned": fmt.rate(float(st.planned_rate)),
              "ratio": fmt.percent(st.ratio)}
    skipped = [s.stage.title for s in fs.stages[st.rate_from + 1:i]]
    if not skipped:
        return _w(fmt, "bottleneck", **values)
    names = format_list([_w(fmt, "quoted", title=t) for t in skipped], locale=fmt.locale)
    return _w(fmt, "bottleneck_span", unmeasured=_w(fmt, "unmeasured", count=len(skipped), stages=names), **values)


def facts(fs: FunnelState, fmt: Formatter) -> dict[str, Any]:
    """What a page says of a funnel in words: its unit (the last stage), projection and diagnosis."""
    last = fs.stages[-1].stage.title
    parts = projection_parts(fs, fmt)  # made once for the sentence and its two halves
    return {"unit": fmt.unit(fs.funnel.goal, last), "one_unit": fmt.unit(1, last),
            "projection": _projection_sentence(fmt, parts), "projection_parts": parts,
            "diagnosis": diagnosis(fs, fmt)}


def stage_gaps(fs: FunnelState, kpis: Mapping[str, KpiState], fmt: Formatter) -> dict[str, str]:
    """By stage id, the periods missing from the rows its actual sums (from the period start to today or the
    funnel's due date): "No measurement for June 2026", said beside the volume, which counts them as nothing."""
    notes = {}
    for st in fs.stages:
        ks = kpis.get(st.stage.kpi) if st.stage.kpi else None
        if ks is None or st.actual is None:
            continue
        missing = _missing(ks, fs.start, fs.due)
        if missing:
            notes[st.stage.id] = _w(fmt, "stage_gap", missing=gaps.missing(missing))
    return notes


def kpi_gap(ks: KpiState, fmt: Formatter) -> str:
    """Beside a KPI's latest figure, the periods missing between its rows, as its chart draws them: "no
    measurement for June 2026", and for a running total (which sums them) ", counted as nothing" as a funnel
    stage says. Empty without a gap."""
    missing = _missing(ks, None, None)
    if not missing:
        return ""
    return _w(fmt, "stage_gap" if ks.kpi.measure == "cumulative" else "kpi_gap", missing=gaps.missing(missing))


def _missing(ks: KpiState, start: dt.date | None, end: dt.date | None) -> list[gaps.Gap]:
    """The runs of periods missing between a KPI's rows counted up to today, those from `start` to `end`."""
    rows = [(day, ks.period_at(day)) for day, _ in ks.points
            if (start is None or day >= start) and (end is None or day <= end)]
    return gaps.find(rows, ks.kpi.cadence)


def forecast_basis(ks: KpiState, fmt: Formatter) -> str:
    """How the forecast at the due date was made, said beside it: "at the average pace since Jan 1, 2026"."""
    if ks.forecast is None or ks.forecast_rule is None:
        return ""
    week = ".week" if ks.averaged_days and ks.forecast_rule == "trend" else ""  # carried from the week's mean
    return _w(fmt, f"forecast.{ks.forecast_rule}{week}", start=fmt.date(ks.start))


def objective_rule(os: ObjectiveState, fmt: Formatter) -> str:
    """How an objective's status and progress follow from its KPIs, naming the weakest: said under the badge
    so that "off track" beside a high progress reads as what it is. Empty with fewer than two measured KPIs."""
    measured = [k for k in os.kpis if k.status != "no-data"]
    if len(measured) < 2:
        return ""
    weakest = min(measured, key=lambda k: STATUS_ORDER.index(k.status))
    return _w(fmt, "objective_rule", kpi=weakest.kpi.title, status=fmt.label(weakest.status))


def unmeasured_kpis(os: ObjectiveState, fmt: Formatter) -> str:
    """"1 of 2 KPIs not measured yet", said beside an objective's status and progress wherever they are shown:
    its progress is the mean of its measured KPIs only, so 68 % must not read as the whole objective's.
    Empty when every KPI is measured, or none is (the status then says "no data")."""
    unmeasured = sum(1 for k in os.kpis if k.progress is None)
    if not unmeasured or unmeasured == len(os.kpis):
        return ""
    return _w(fmt, "unmeasured_kpis", count=unmeasured, total=len(os.kpis))


def daily_averaged(os: ObjectiveState, fmt: Formatter) -> str:
    """"daily figures: average of the last 7 days", beside the status and progress of an objective with a daily
    level KPI (plan/daily_level.py), so that its card is not read as the latest day's. Empty otherwise."""
    return _w(fmt, "daily_averaged") if any(k.averaged_days for k in os.kpis) else ""


def due_passed(os: ObjectiveState, fmt: Formatter) -> str:
    """"due date passed: 1 KPI missed its target", beside the status of an objective with a KPI judged at its
    passed due date (compute._judge_at_due), so that "off track" on a card is not read as still catchable."""
    missed = sum(1 for k in os.kpis if k.closed and k.rule == "missed")
    return _w(fmt, "due_missed", count=missed) if missed else ""


def card_notes(os: ObjectiveState, fmt: Formatter) -> str:
    """What a card says under an objective's status besides its KPIs' count: a daily figure's week, a missed
    due date."""
    return " · ".join(note for note in (daily_averaged(os, fmt), due_passed(os, fmt)) if note)


def unmeasured_rule(os: ObjectiveState, fmt: Formatter) -> str:
    """Under an objective's badge: which KPIs have no measurement yet and what its progress counts, "1 of 2
    KPIs not measured yet (“Daily app use”): the progress shown, 68%, is the measured KPI's only"."""
    note = unmeasured_kpis(os, fmt)
    if not note:
        return ""
    names = format_list([_w(fmt, "quoted", title=k.kpi.title) for k in os.kpis if k.progress is None],
                        locale=fmt.locale)
    measured = sum(1 for k in os.kpis if k.progress is not None)
    counted = _w(fmt, "measured_only", count=measured, progress=fmt.percent(os.progress))
    return _w(fmt, "unmeasured_rule", unmeasured=note, kpis=names, counted=counted)


def kpi_digits(k: KpiState, fmt: Formatter) -> int:
    """The decimals a KPI's figures get: none for a count (every written value whole, its unit neither money
    nor a percentage: "568 signups", not "568.27 signups"), up to two otherwise."""
    if not k.whole or fmt.money_unit(k.kpi.unit) is not None or (k.kpi.unit or "").strip() == "%":
        return 2
    return 0


def status_rule(ks: KpiState, fmt: Formatter, at_risk: float) -> str:
    """Which rule gave the KPI its status, with the numbers it compared, in one text (the pack)."""
    return " ".join(part for part in status_rule_parts(ks, fmt, at_risk) if part)


def status_rule_parts(ks: KpiState, fmt: Formatter, at_risk: float) -> tuple[str, str]:
    """Which rule gave the KPI its status, and the figures of a stale measurement it rests on ("" while fresh):
    a board reads one short sentence, the figures follow in small type."""
    digits = kpi_digits(ks, fmt)  # a count is whole, as on its tiles: "12,451 orders", not "12,451.28"

    # each figure as the KPI's tiles write it ("$10.4M", "162,8 M €"): the sentence explains those tiles
    def value(v: float | None) -> str:
        return fmt.measure(v, ks.kpi.unit, digits=digits, compact=True)

    # compared with the latest measurement: 3.4 expected beside 3 measured is not "(3 clients)"
    def beside_actual(v: float | None) -> str:
        return fmt.measure_toward(v, ks.actual, unit, digits=digits, compact=True)

    unit = ks.kpi.unit
    if ks.closed:  # the outcome at the due date: "Due 30 Jun 2026, 69.5% (June 2026) against a target of 80%"
        return _w(fmt, ks.rule, due=fmt.date(ks.due), actual=value(ks.actual), target=value(ks.kpi.target),
                  period=fmt.period(ks.actual_date, ks.period_at(ks.actual_date))), ""
    values = {"actual": value(ks.actual), "target": value(ks.kpi.target), "expected": beside_actual(ks.expected),
              # said beside the target: never rounded onto it ("3,6 clients", not "4 clients", for a target of 4)
              "forecast": fmt.measure_toward(ks.forecast, ks.kpi.target, unit, digits=digits, compact=True),
              "progress": fmt.percent(ks.progress),
              "expected_progress": fmt.percent(ks.expected_progress), "tolerance": fmt.percent(at_risk),
              "when": fmt.date(ks.expected_date),
              # what was judged: "the average of the last 7 days" for a daily level (plan/daily_level.py)
              "latest": _w(fmt, "latest.week" if ks.averaged_days else "latest.day")}
    # "below" for a KPI going up, "above" for one going down: churn at 4.8% is above the 4.65% expected
    values["short_of"] = _w(fmt, f"short_of.{ks.direction}")
    values["far_short_of"] = _w(fmt, f"far_short_of.{ks.direction}")
    clause = _w(fmt, "forecast_misses", **values) if ks.forecast is not None else ""
    stale = _stale_facts(ks, fmt, beside_actual)
    if stale is not None and ks.rule in _STALE_RULES:
        details = [_w(fmt, "stale.details", **values, **stale)]
        if ks.rule != "on-path":
            details.append(_w(fmt, f"stale.details.{ks.rule}", forecast_clause=clause, **values))
        return _w(fmt, f"stale.{ks.rule}", **values, **stale), " ".join(details)
    return _w(fmt, ks.rule, forecast_clause=clause, **values), ""


# the rules that compare the latest measurement with the path: said otherwise once it is stale
_STALE_RULES = ("on-path", "near-path", "forecast-reaches-target", "behind-path")


def _stale_facts(ks: KpiState, fmt: Formatter, value: Callable[[float | None], str]) -> dict[str, str] | None:
    """When the latest measurement is stale, so compared with what is expected by today rather than at its
    own date (compute_kpi): its date, its age, and where it stood against the path when it was measured, so
    that "well below the value expected" does not read as the KPI's own failing. None while it is fresh."""
    if ks.actual_date is None or ks.actual is None or ks.expected_date is None:
        return None
    measured_at = ks.at(ks.actual_date)
    if ks.expected_date == measured_at:
        return None
    period = ks.period_at(ks.actual_date)
    then_expected = ks.expected_at(measured_at)
    sign = 1 if ks.direction == "up" else -1
    ahead = then_expected is None or sign * (ks.actual - then_expected) >= 0
    then = _w(fmt, "stale.then_ahead" if ahead else "stale.then_behind", then_when=fmt.date(measured_at),
              then_expected=value(then_expected))
    return {"measured": fmt.period(ks.actual_date, period), "then": then,
            "age": _age(periods.end(ks.actual_date, period), ks.expected_date, fmt)}


def _age(since: dt.date, today: dt.date, fmt: Formatter) -> str:
    """"3 months" from two whole months up, "15 days" below (a weekly KPI's stale measurement)."""
    months = 0
    while periods.add_months(since, months + 1) <= today:
        months += 1
    if months >= 2:
        return _w(fmt, "age.months", count=months)
    return _w(fmt, "age.days", count=(today - since).days)


class PerKpi(Mapping[str, T]):
    """What a page says of each of its KPIs, by KPI id: `say(state, fmt, *args)`, made when a template first
    reads it. A rebuild of `strategy serve` makes every page's context but renders only the pages whose
    context changed (cache/render_memo.py): a sentence for each of 1,000 KPIs was a tenth of a rebuild."""

    def __init__(self, say: Callable[..., T], kpis: list[KpiState], fmt: Formatter, *args: Any) -> None:
        self._say, self._fmt, self._args = say, fmt, args
        self._kpis = {k.kpi.id: k for k in kpis}
        self._said: dict[str, T] = {}

    def __getitem__(self, kpi_id: str) -> T:
        said = self._said.get(kpi_id)
        if said is None:
            said = self._said[kpi_id] = self._say(self._kpis[kpi_id], self._fmt, *self._args)
        return said

    def __iter__(self) -> Iterator[str]:
        return iter(self._kpis)

    def __len__(self) -> int:
        return len(self._kpis)

    def __reduce__(self) -> tuple[Any, ...]:
        # what the sayings are made from, never which of them were made yet: a page's digest
        # (cache/render_memo.py) is the same before and after it is rendered
        fmt = tuple(getattr(self._fmt, f.name) for f in dataclasses.fields(self._fmt))
        return _per_kpi, (self._say, tuple(self._kpis.values()), fmt, self._args)


def _per_kpi(say: Callable[..., T], kpis: tuple[KpiState, ...], fmt: tuple[Any, ...],
             args: tuple[Any, ...]) -> PerKpi[T]:
    return PerKpi(say, list(kpis), Formatter(*fmt), *args)

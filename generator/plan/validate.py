"""Checks that need the whole plan: references between files, and the SMART lint rules."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import posixpath
from collections.abc import Collection, Iterable
from fractions import Fraction

from . import gaps, periods
from .compute import kpi_direction
from .diagnostics import Diagnostics, Location
from .messages import Msg, Period, msg
from .misnamed import References, merge_misnamed_files
from .model import KPI, Entity, Funnel, Plan, Series
from .schema import MAX_VOLUME


def _ref(diags: Diagnostics, refs: References, where: Location, what: str, value: str, known: Iterable[str],
         folder: str, *, message: Msg | None = None, ordered: bool = False) -> None:
    """An unknown id: suggest the close one, else list the known ones, else say where to add one.
    `what` is a kind of entity ("objective", "kpi", "stage"…), `folder` where one is added."""
    known = list(known) if ordered else sorted(known)
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    if close:
        hint = msg("hint.did-you-mean", close=close[0])
    elif known:
        shown = ", ".join(known[:12]) + (" …" if len(known) > 12 else "")
        hint = msg(f"ref.known.{what}", known=shown)
    else:
        hint = msg(f"ref.none.{what}", folder=folder)
    error = diags.error("unknown-ref", where, message or msg(f"ref.unknown.{what}", value=value), hint)
    refs.unknown.append((what, value, error))


def _value_at(entity: Entity, key: str) -> Location:
    """Where the value of `key` was written (the key's place when unknown)."""
    return entity.locs.get(f"{key}=") or entity.at(key)


def _item_at(entity: Entity, key: str, item: str) -> Location:
    """Where `item` was written in the list of ids under `key`."""
    return entity.locs.get(f"{key}[{item}]") or _value_at(entity, key)


def _list_refs(diags: Diagnostics, refs: References, entity: Entity, key: str, values: list[str],
               known: Collection[str], what: str, folder: str) -> None:
    # `known` is a dict or its keys: looked up as it is (a set of every KPI id per action was most of this check)
    refs.referred.update((what, value) for value in values)
    for value in values:
        if value not in known:
            _ref(diags, refs, _item_at(entity, key, value), what, value, known, folder)


def _one_ref(diags: Diagnostics, refs: References, entity: Entity, key: str, value: str | None,
             known: Collection[str], what: str, folder: str) -> None:
    """The id written as `key`'s value, when there is one."""
    if value is not None:
        refs.referred.add((what, value))
        if value not in known:
            _ref(diags, refs, _value_at(entity, key), what, value, known, folder)


def check_references(plan: Plan, diags: Diagnostics) -> None:
    # a file that could not be read is known by its id: a reference to it is no second error
    unread = plan.unread
    personas = plan.personas.keys() | unread.of("personas")
    objectives = plan.objectives.keys() | unread.of("objectives")
    funnels = plan.funnels.keys() | unread.of("funnels")
    experiences = plan.experiences.keys() | unread.of("experiences")

    seen_kpis: dict[str, Location] = {}
    for obj in plan.objectives.values():
        for kpi in obj.kpis:
            if kpi.id in seen_kpis:
                diags.error("duplicate-kpi", kpi.at("id"), msg("duplicate-kpi", id=kpi.id, at=str(seen_kpis[kpi.id])),
                            msg("hint.duplicate-kpi"))
            else:
                seen_kpis[kpi.id] = kpi.at("id")
    kpi_ids = seen_kpis.keys() | unread.kpis
    check_kpis = not unread.kpis_unknown  # else any KPI may be declared in the objective file that was not read
    refs = References()  # handed to the misnamed-file check

    for obj in plan.objectives.values():
        _one_ref(diags, refs, obj, "parent", obj.parent, objectives, "objective", "objectives/ID.md")
        _list_refs(diags, refs, obj, "personas", obj.personas, personas, "persona", "personas/ID.md")
        for action in obj.actions if check_kpis else ():
            _list_refs(diags, refs, action, "kpis", action.kpis, kpi_ids, "kpi", "kpis:")
    _check_cycles(plan, diags)

    reported = {(d.file, d.line, d.column) for d in diags.errors}
    for funnel in plan.funnels.values():
        stages_at = _value_at(funnel, "stages")
        stages_unread = "stages" not in funnel.locs or (stages_at.file, stages_at.line, stages_at.column) in reported
        if len(funnel.stages) < 2 and not stages_unread:
            diags.error("funnel-stages", funnel.at("stages"), msg("funnel-stages", count=len(funnel.stages)),
                        msg("hint.funnel-stages"))
        stage_ids: set[str] = set()
        for i, stage in enumerate(funnel.stages):
            placeholder = stage.id.startswith("#")  # its id was wrong, and is reported already
            if stage.id in stage_ids and not placeholder:
                diags.error("duplicate-id", stage.at("id"), msg("duplicate-stage", id=stage.id),
                            msg("hint.duplicate-stage"))
            stage_ids.add(stage.id)
            if i == 0 and "rate" in stage.locs:
                diags.error("bad-rate", stage.at("rate"), msg("bad-rate.first"), msg("hint.rate-first"))
            elif i > 0 and stage.rate is None and "rate" not in stage.locs:
                name = msg("stage.number", number=i + 1) if placeholder else msg("stage.id", id=stage.id)
                diags.error("required", stage.loc, msg("required.rate", stage=name), msg("hint.required-rate"))
            if check_kpis:
                _one_ref(diags, refs, stage, "kpi", stage.kpi, kpi_ids, "kpi", "kpis:")
        _check_volume(funnel, diags)

    for exp in plan.experiences.values():
        _list_refs(diags, refs, exp, "personas", exp.personas, personas, "persona", "personas/ID.md")
        _list_refs(diags, refs, exp, "objectives", exp.objectives, objectives, "objective", "objectives/ID.md")
        _one_ref(diags, refs, exp, "funnel", exp.funnel, funnels, "funnel", "funnels/ID.yaml")
        if exp.stage is not None and (exp.funnel is None or exp.funnel in funnels):  # else no stage to look for
            if exp.funnel is None:
                diags.error("required", _value_at(exp, "stage"), msg("required.funnel"), msg("hint.required-funnel"))
            elif exp.funnel in plan.funnels:  # the stages of a funnel that could not be read are unknown
                stages = [s.id for s in plan.funnels[exp.funnel].stages if not s.id.startswith("#")]
                if exp.stage not in stages:
                    _ref(diags, refs, _value_at(exp, "stage"), "stage", exp.stage, stages, "stages:",
                         message=msg("ref.unknown.stage", funnel=exp.funnel, value=exp.stage), ordered=True)

    for sol in plan.solutions.values():
        _list_refs(diags, refs, sol, "objectives", sol.objectives, objectives, "objective", "objectives/ID.md")
        _list_refs(diags, refs, sol, "experiences", sol.experiences, experiences, "experience", "experiences/ID.md")
    merge_misnamed_files(plan, diags, refs)  # three references to a misspelt file's name: one error, on the file
    check_milestones(plan, diags)


def _check_volume(funnel: Funnel, diags: Diagnostics) -> None:
    """Tiny rates over many stages can ask the first stage for more than any count (and overflow the
    arithmetic): refused at the rate that crosses the bound."""
    if not isinstance(funnel.goal, int | float) or not math.isfinite(funnel.goal) or funnel.goal <= 0:
        return
    need = Fraction(repr(funnel.goal)) if isinstance(funnel.goal, float) else Fraction(funnel.goal)
    for above, stage in zip(reversed(funnel.stages[:-1]), reversed(funnel.stages[1:]), strict=True):
        if stage.rate is None or stage.rate <= 0:
            return
        need /= stage.rate
        if need > MAX_VOLUME:
            diags.error("range", stage.at("rate"), msg("range.volume", stage=above.id), msg("hint.volume"))
            return


def _check_cycles(plan: Plan, diags: Diagnostics) -> None:
    reported: set[str] = set()
    for start in sorted(plan.objectives):
        path: list[str] = []
        current: str | None = start
        while current is not None and current in plan.objectives and current not in path:
            path.append(current)
            current = plan.objectives[current].parent
        if current is not None and current in path:
            cycle = path[path.index(current):]
            if not reported.intersection(cycle):
                reported.update(cycle)
                first = min(cycle)
                chain = " → ".join([*cycle[cycle.index(first):], *cycle[:cycle.index(first)], first])
                diags.error("parent-cycle", _value_at(plan.objectives[first], "parent"),
                            msg("parent-cycle", chain=chain), msg("hint.parent-cycle"))


def check_milestones(plan: Plan, diags: Diagnostics) -> None:
    """A KPI's milestones lie strictly between the period start and the KPI's due date, one a date."""
    start = plan.settings.period_start
    for kpi in plan.kpis.values():
        due = kpi.due or plan.settings.period_end
        seen: dict[dt.date, int] = {}
        for day, _ in kpi.milestones:
            key = f"milestone:{day.isoformat()}" + "+" * seen.get(day, 0)
            where = kpi.locs.get(key) or _value_at(kpi, "milestones")
            if day in seen:
                diags.error("bad-milestone", where, msg("milestone.twice", id=kpi.id, day=day.isoformat()),
                            msg("hint.milestone-twice"))
            elif not start < day < due:
                diags.error("bad-milestone", where, msg("milestone.outside", id=kpi.id, day=day.isoformat(),
                                                        start=start.isoformat(), due=due.isoformat()),
                            msg("hint.milestone-outside"))
            seen[day] = seen.get(day, 0) + 1


def _check_goal_target(plan: Plan, funnel: Funnel, diags: Diagnostics) -> None:
    """A funnel's goal and the target of the KPI measuring its last stage are one number written twice: when
    they differ, a board reads "5,720 of 6,500 expected" on the funnel and "on track to 6,000" on the KPI for
    one figure."""
    kpi = plan.kpis.get(funnel.stages[-1].kpi or "") if funnel.stages else None
    goal = funnel.goal
    if kpi is None or not isinstance(goal, int | float) or not isinstance(kpi.target, int | float) \
            or not math.isfinite(goal) or kpi.target == goal:
        return
    target_at = kpi.at("target")
    diags.warning("goal-target", funnel.at("goal"),
                  msg("goal-target", funnel=funnel.id, goal=goal, kpi=kpi.id, target=kpi.target),
                  msg("hint.goal-target", file=target_at.file, line=target_at.line))


def check_rules(plan: Plan, diags: Diagnostics, today: dt.date) -> None:
    """The SMART and data-hygiene warnings of SPEC §3."""
    rules = plan.settings.rules
    rules_known = not plan.unread.settings  # else the thresholds written in strategy.yaml are unknown
    roots = [o for o in plan.objectives.values() if o.parent is None]
    if len(roots) > rules.max_objectives and rules_known:
        extra = roots[rules.max_objectives]
        diags.warning("too-many-objectives", extra.loc,
                      msg("too-many-objectives", count=len(roots), max=rules.max_objectives),
                      msg("hint.too-many-objectives"))
    used_data: set[str] = set(plan.unread.data)
    broken_files = {d.file for d in diags.errors}  # a KPI there may be unread: "no KPI" would mislead
    for funnel in plan.funnels.values():
        _check_goal_target(plan, funnel, diags)
    for obj in plan.objectives.values():
        if not obj.kpis and obj.loc.file not in broken_files:
            diags.warning("no-kpi", obj.at("title"), msg("no-kpi", id=obj.id), msg("hint.no-kpi"))
        if obj.due is None and not ("due" in obj.locs and obj.loc.file in broken_files):  # a wrong date
            diags.warning("no-due", obj.at("title"), msg("no-due", id=obj.id), msg("hint.no-due"))
        if len(obj.kpis) > rules.max_kpis_per_objective and rules_known:
            diags.warning("too-many-kpis", obj.at("kpis"),
                          msg("too-many-kpis", id=obj.id, count=len(obj.kpis), max=rules.max_kpis_per_objective),
                          msg("hint.too-many-kpis"))
        for kpi in obj.kpis:
            series = plan.series.get(kpi.id)
            if series is not None:
                used_data.add(series.path)
            # a CSV a KPI points at is used even when it could not be read (that is an error already)
            used_data.add(posixpath.normpath(kpi.data) if kpi.data else f"data/{kpi.id}.csv")
            _check_kpi(plan, kpi, series, diags, today)
    for rel in plan.data_files if not plan.unread.kpis_unknown else ():
        if rel not in used_data:
            diags.warning("unused-data", Location(_display(plan, rel)), msg("unused-data"), msg("hint.unused-data"))
    total = sum(s.yearly_cost for s in plan.solutions.values())
    if total > 0 and len(plan.solutions) > 1 and rules_known:
        for sol in plan.solutions.values():
            share = sol.yearly_cost / total
            if share > rules.budget_share:
                diags.warning("budget-share", sol.at("cost"),
                              msg("budget-share", id=sol.id, share=round(share * 100),
                                  max=round(rules.budget_share * 100)),
                              msg("hint.budget-share"))


def _display(plan: Plan, rel: str) -> str:
    return rel if plan.label in ("", ".") else f"{plan.label}/{rel}"


def _check_kpi(plan: Plan, kpi: KPI, series: Series | None, diags: Diagnostics, today: dt.date) -> None:
    if math.isnan(kpi.target):
        return  # kept only so that references to it resolve; its error is reported
    counted = [p for p in series.points if p.date <= today] if series else []  # later ones are ignored
    baseline, source = kpi.baseline, msg("baseline.written")
    if baseline is None and kpi.measure == "cumulative":
        baseline, source = 0.0, msg("baseline.zero")
    elif baseline is None and counted:
        first = counted[0]
        baseline, source = first.value, msg("baseline.first", date=periods.written(first.date, first.period))
    if baseline is not None:
        direction = kpi_direction(kpi, baseline)
        better = kpi.target > baseline if direction == "up" else kpi.target < baseline
        if not better:
            diags.warning("not-ambitious", kpi.at("target"),
                          msg("not-ambitious", id=kpi.id, target=f"{kpi.target:g}", source=source,
                              baseline=f"{baseline:g}"),
                          msg(f"hint.not-ambitious.{direction}", baseline=f"{baseline:g}"))
    if series is None or not series.points:
        if series is not None:
            diags.warning("no-data", Location(_display(plan, series.path)), msg("no-data.empty", id=kpi.id),
                          msg("hint.no-data-rows", column=kpi.column))
        elif (kpi.data is None and "data" not in kpi.locs and f"data/{kpi.id}.csv" not in plan.data_files
              and kpi.source is None):  # a sourced KPI without its snapshot is an error (sources.py)
            diags.warning("no-data", kpi.at("id"), msg("no-data", id=kpi.id), msg("hint.no-data", id=kpi.id))
        return
    if not counted:
        return  # every measurement is dated after today
    last = counted[-1]
    if periods.is_stale(last.date, last.period, kpi.cadence, today):
        ago = msg(f"ago.{kpi.cadence}")
        if last.period == periods.DAY:
            stale = msg("stale-data.day", id=kpi.id, date=last.date.isoformat(), ago=ago)
        else:  # the period in the reader's words, and as the CSV writes it
            stale = msg("stale-data.period", id=kpi.id, written=periods.written(last.date, last.period),
                        ago=ago, period=Period(last.date, last.period))
        diags.warning("stale-data", Location(_display(plan, series.path), last.line), stale,
                      msg("hint.stale-data"))
    gaps.check(plan, kpi, series, _display(plan, series.path), diags)

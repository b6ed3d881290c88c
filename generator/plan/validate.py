"""Checks that need the whole plan: references between files, and the SMART lint rules."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import posixpath
from collections.abc import Collection, Iterable
from fractions import Fraction

from . import periods
from .compute import kpi_direction
from .diagnostics import Diagnostics, Location
from .i18n import Formatter
from .model import KPI, Entity, Funnel, Plan, Series
from .schema import MAX_VOLUME


def _ref(diags: Diagnostics, where: Location, what: str, value: str, known: Iterable[str], folder: str,
         *, message: str | None = None, ordered: bool = False) -> None:
    """An unknown id: suggest the close one, else list the known ones, else say where to add one."""
    known = list(known) if ordered else sorted(known)
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    if close:
        hint = f"did you mean `{close[0]}`?"
    elif known:
        shown = ", ".join(known[:12]) + (" …" if len(known) > 12 else "")
        hint = f"write one of the known {what}s: {shown}"
    else:
        hint = f"the plan has no {what} yet: add {folder}"
    diags.error("unknown-ref", where, message or f"there is no {what} `{value}`", hint)


def _value_at(entity: Entity, key: str) -> Location:
    """Where the value of `key` was written (the key's place when unknown)."""
    return entity.locs.get(f"{key}=") or entity.at(key)


def _item_at(entity: Entity, key: str, item: str) -> Location:
    """Where `item` was written in the list of ids under `key`."""
    return entity.locs.get(f"{key}[{item}]") or _value_at(entity, key)


def _list_refs(diags: Diagnostics, entity: Entity, key: str, values: list[str], known: Collection[str],
               what: str, folder: str) -> None:
    # `known` is a dict or its keys: looked up as it is (a set of every KPI id per action was most of this check)
    for value in values:
        if value not in known:
            _ref(diags, _item_at(entity, key, value), what, value, known, folder)


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
                diags.error("duplicate-kpi", kpi.at("id"),
                            f"the KPI id `{kpi.id}` is already used at {seen_kpis[kpi.id]}",
                            "KPI ids are unique in the whole plan: rename one of them")
            else:
                seen_kpis[kpi.id] = kpi.at("id")
    kpi_ids = seen_kpis.keys() | unread.kpis
    check_kpis = not unread.kpis_unknown  # else any KPI may be declared in the objective file that was not read

    for obj in plan.objectives.values():
        if obj.parent is not None and obj.parent not in objectives:
            _ref(diags, _value_at(obj, "parent"), "objective", obj.parent, objectives, "objectives/ID.md")
        _list_refs(diags, obj, "personas", obj.personas, personas, "persona", "personas/ID.md")
        for action in obj.actions if check_kpis else ():
            _list_refs(diags, action, "kpis", action.kpis, kpi_ids, "KPI", "a KPI to an objective")
    _check_cycles(plan, diags)

    reported = {(d.file, d.line, d.column) for d in diags.errors}
    for funnel in plan.funnels.values():
        stages_at = _value_at(funnel, "stages")
        stages_unread = "stages" not in funnel.locs or (stages_at.file, stages_at.line, stages_at.column) in reported
        if len(funnel.stages) < 2 and not stages_unread:
            diags.error("funnel-stages", funnel.at("stages"),
                        f"a funnel needs at least 2 stages, this one has {len(funnel.stages)}",
                        "list the stages top to bottom, e.g. prospects, then meetings with a rate, then clients")
        stage_ids: set[str] = set()
        for i, stage in enumerate(funnel.stages):
            placeholder = stage.id.startswith("#")  # its id was wrong, and is reported already
            if stage.id in stage_ids and not placeholder:
                diags.error("duplicate-id", stage.at("id"), f"the stage `{stage.id}` appears twice in this funnel",
                            "give each stage its own id")
            stage_ids.add(stage.id)
            if i == 0 and "rate" in stage.locs:
                diags.error("bad-rate", stage.at("rate"),
                            "the first stage cannot have a rate: nothing comes before it",
                            "remove `rate` from the first stage; each rate converts the stage above into this one")
            elif i > 0 and stage.rate is None and "rate" not in stage.locs:
                name = f"stage {i + 1}" if placeholder else f"stage `{stage.id}`"
                diags.error("required", stage.loc, f"the {name} needs a `rate`",
                            'add the conversion from the stage above, e.g. rate: "1/5"')
            if stage.kpi is not None and stage.kpi not in kpi_ids and check_kpis:
                _ref(diags, _value_at(stage, "kpi"), "KPI", stage.kpi, kpi_ids, "a KPI to an objective")
        _check_volume(funnel, diags)

    for exp in plan.experiences.values():
        _list_refs(diags, exp, "personas", exp.personas, personas, "persona", "personas/ID.md")
        _list_refs(diags, exp, "objectives", exp.objectives, objectives, "objective", "objectives/ID.md")
        if exp.funnel is not None and exp.funnel not in funnels:
            _ref(diags, _value_at(exp, "funnel"), "funnel", exp.funnel, funnels, "funnels/ID.yaml")
        elif exp.stage is not None:
            if exp.funnel is None:
                diags.error("required", _value_at(exp, "stage"), "`stage` needs the `funnel` it belongs to",
                            "add funnel: ID next to stage")
            elif exp.funnel in plan.funnels:  # the stages of a funnel that could not be read are unknown
                stages = [s.id for s in plan.funnels[exp.funnel].stages if not s.id.startswith("#")]
                if exp.stage not in stages:
                    _ref(diags, _value_at(exp, "stage"), "stage", exp.stage, stages, "stages to the funnel",
                         message=f"the funnel `{exp.funnel}` has no stage `{exp.stage}`", ordered=True)

    for sol in plan.solutions.values():
        _list_refs(diags, sol, "objectives", sol.objectives, objectives, "objective", "objectives/ID.md")
        _list_refs(diags, sol, "experiences", sol.experiences, experiences, "experience", "experiences/ID.md")
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
            diags.error("range", stage.at("rate"),
                        f"with this rate the stage `{above.id}` would need more than 10^18, more than anything counts",
                        "check the rates of this funnel: each converts the stage above into this one, "
                        'e.g. rate: "1/50" for one in fifty')
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
                            f"the objectives form a loop through `parent`: {chain}",
                            "an objective cannot serve itself: remove `parent` from one of them")


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
                diags.error("bad-milestone", where, f"`{kpi.id}` has two milestones on {day.isoformat()}",
                            "keep one value per date")
            elif not start < day < due:
                diags.error("bad-milestone", where,
                            f"the milestone {day.isoformat()} of `{kpi.id}` is outside its period, "
                            f"{start.isoformat()} to {due.isoformat()}",
                            "date a milestone after the period start and before the KPI's due date: "
                            "the baseline and the target are the path's two ends")
            seen[day] = seen.get(day, 0) + 1


def check_rules(plan: Plan, diags: Diagnostics, today: dt.date) -> None:
    """The SMART and data-hygiene warnings of SPEC §3."""
    rules = plan.settings.rules
    rules_known = not plan.unread.settings  # else the thresholds written in strategy.yaml are unknown
    roots = [o for o in plan.objectives.values() if o.parent is None]
    if len(roots) > rules.max_objectives and rules_known:
        extra = roots[rules.max_objectives]
        diags.warning("too-many-objectives", extra.loc,
                      f"the plan has {len(roots)} top objectives, more than {rules.max_objectives}",
                      "focus on about five: merge some, or link them to a parent objective with `parent:`")
    used_data: set[str] = set(plan.unread.data)
    broken_files = {d.file for d in diags.errors}  # a KPI there may be unread: "no KPI" would mislead
    for obj in plan.objectives.values():
        if not obj.kpis and obj.loc.file not in broken_files:
            diags.warning("no-kpi", obj.at("title"), f"the objective `{obj.id}` has no KPI, so it is not measurable",
                          "add under kpis: an id, a title and a target (turn what seems unmeasurable into a rate)")
        if obj.due is None and not ("due" in obj.locs and obj.loc.file in broken_files):  # a wrong date
            diags.warning("no-due", obj.at("title"), f"the objective `{obj.id}` has no due date, "
                          "so it is not time-bound",
                          "add due: YYYY-MM-DD (otherwise the plan's end is used)")
        if len(obj.kpis) > rules.max_kpis_per_objective and rules_known:
            diags.warning("too-many-kpis", obj.at("kpis"),
                          f"the objective `{obj.id}` has {len(obj.kpis)} KPIs, "
                          f"more than {rules.max_kpis_per_objective}",
                          "keep the few KPIs that matter: collect less data, not more")
        for kpi in obj.kpis:
            series = plan.series.get(kpi.id)
            if series is not None:
                used_data.add(series.path)
            # a CSV a KPI points at is used even when it could not be read (that is an error already)
            used_data.add(posixpath.normpath(kpi.data) if kpi.data else f"data/{kpi.id}.csv")
            _check_kpi(plan, kpi, series, diags, today)
    for rel in plan.data_files if not plan.unread.kpis_unknown else ():
        if rel not in used_data:
            diags.warning("unused-data", Location(_display(plan, rel)),
                          "no KPI uses this data file",
                          "point a KPI at it with `data:` or remove it: collect less data, not more")
    total = sum(s.yearly_cost for s in plan.solutions.values())
    if total > 0 and len(plan.solutions) > 1 and rules_known:
        for sol in plan.solutions.values():
            share = sol.yearly_cost / total
            if share > rules.budget_share:
                diags.warning("budget-share", sol.at("cost"),
                              f"`{sol.id}` takes {share:.0%} of the solutions budget, "
                              f"more than {rules.budget_share:.0%}",
                              "spread the budget: spending it all on one channel is a classic mistake")


def _display(plan: Plan, rel: str) -> str:
    return rel if plan.label in ("", ".") else f"{plan.label}/{rel}"


def _check_kpi(plan: Plan, kpi: KPI, series: Series | None, diags: Diagnostics, today: dt.date) -> None:
    if math.isnan(kpi.target):
        return  # kept only so that references to it resolve; its error is reported
    counted = [p for p in series.points if p.date <= today] if series else []  # later ones are ignored
    baseline, source = kpi.baseline, "its baseline"
    if baseline is None and kpi.measure == "cumulative":
        baseline, source = 0.0, "zero, where a running total starts"
    elif baseline is None and counted:
        first = counted[0]
        baseline, source = first.value, f"its first measurement ({periods.written(first.date, first.period)})"
    if baseline is not None:
        direction = kpi_direction(kpi, baseline)
        better = kpi.target > baseline if direction == "up" else kpi.target < baseline
        if not better:
            diags.warning("not-ambitious", kpi.at("target"),
                          f"the target of `{kpi.id}` ({kpi.target:g}) is no better "
                          f"than {source}: {baseline:g}",
                          f"set a target {'above' if direction == 'up' else 'below'} {baseline:g}, "
                          f"or write direction: {'down' if direction == 'up' else 'up'} "
                          f"if {'lower' if direction == 'up' else 'higher'} is better")
    if series is None or not series.points:
        if series is not None:
            diags.warning("no-data", Location(_display(plan, series.path)),
                          f"the KPI `{kpi.id}` has no measurement yet",
                          f"add rows under the header, e.g. 2026-01-31,120 for date,{kpi.column}")
        elif (kpi.data is None and "data" not in kpi.locs and f"data/{kpi.id}.csv" not in plan.data_files
              and kpi.source is None):  # a sourced KPI without its snapshot is an error (sources.py)
            diags.warning("no-data", kpi.at("id"), f"the KPI `{kpi.id}` has no data",
                          f"add data/{kpi.id}.csv with the columns date,value")
        return
    if not counted:
        return  # every measurement is dated after today
    last = counted[-1]
    if periods.is_stale(last.date, last.period, kpi.cadence, today):
        if last.period == periods.DAY:
            when = f"is from {last.date.isoformat()}, more than two {kpi.cadence} periods ago"
        else:  # the check speaks English (as every diagnostic); the period as the CSV writes it too
            when = (f"is for {Formatter('en').period(last.date, last.period)} "
                    f"({periods.written(last.date, last.period)}), which ended more than two {kpi.cadence} "
                    f"periods ago")
        diags.warning("stale-data", Location(_display(plan, series.path), last.line),
                      f"the last measurement of `{kpi.id}` {when}",
                      "add the recent measurements, or change `cadence` if it is measured less often")

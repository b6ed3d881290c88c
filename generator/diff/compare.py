"""Compare two computed plans as strategy objects, not as text.

Each side is reduced to "facts": for every entity (kind, id) an ordered mapping of field path →
JSON-friendly value, derived values included (a funnel stage's `need.STAGE`, budgets, KPI and
objective status). Comparing the facts gives entities added, removed and changed, and for each
change the field, its old and its new value. Pure functions of two `PlanState`s: no I/O.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..plan.compute import PlanState, number
from ..plan.diagnostics import Diagnostics
from ..plan.i18n import Formatter, common_noun
from ..plan.kinds import KINDS as ENTITY_KINDS
from ..plan.messages import msg
from ..plan.model import Point
from ..site.explain import kpi_digits
from .causes import KPI_INPUTS, funnel_inputs, moved_inputs
from .measurements import compared, correction_fields

# the order of a diff's changes: the plan, then each kind of the registry (plan/kinds.py), an objective's KPIs
# and actions right after the objectives
KINDS = ("plan", "objective", "kpi", "action", *(kind.name for kind in ENTITY_KINDS if kind.name != "objective"))
PLAN_ID = "strategy"  # the plan's own settings, written in strategy.yaml

# Paths whose value is computed rather than written: shown as such by the formats.
DERIVED_PATHS = re.compile(r"^(need\..*|budget|budget\.solutions|cost_per_unit|bottleneck|status|progress|actual|"
                           r"measurements|forecast|cost\.yearly|volume\..*)$")
MONEY_PATHS = re.compile(r"^(budget|budget\.solutions|cost_per_unit|cost\.amount|cost\.yearly|stages\..*\.cost)$")


@dataclass
class Facts:
    """One entity on one side: its fields in display order, and what is compared when the
    value shown is not the value that counts (a rate written "1/50" or "2%" is the same rate)."""

    kind: str
    id: str
    title: str
    fields: dict[str, Any]
    compare: dict[str, Any] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # path → unit shown after the value
    inputs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # computed path → paths it is computed from
    # path → the titles of the stages a field is about (a rate: the stage it converts from, then its own)
    subjects: dict[str, tuple[str, ...]] = field(default_factory=dict)
    points: Sequence[Point] = ()  # a KPI's measurements, compared row by row (diff/measurements.py)
    digits: int = 2  # decimals of its figures, as on its tiles (site/explain.kpi_digits): none for a count

    def key(self, path: str) -> Any:
        return self.compare.get(path, self.fields.get(path))


@dataclass
class FieldChange:
    path: str
    old: Any
    new: Any

    @property
    def derived(self) -> bool:
        return bool(DERIVED_PATHS.match(self.path))


@dataclass
class EntityChange:
    kind: str
    id: str
    op: str  # added | removed | changed
    title: str
    fields: list[FieldChange]
    units: dict[str, str] = field(default_factory=dict)
    # computed path → the changed fields it is computed from, with the values compared (a rate as a number)
    causes: dict[str, list[FieldChange]] = field(default_factory=dict)
    subjects: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a funnel's top need that did not move though fields it is computed from did (their changes offset),
    # with its value: the summary still shows the top of the funnel, and why it stayed
    steady: dict[str, Any] = field(default_factory=dict)
    units_before: dict[str, str] = field(default_factory=dict)  # the old side's units (a KPI's "€" became "$")
    new_rows: int = 0  # a KPI's measurements at dates the old side did not have (the monthly update)
    digits: int = 2  # decimals of a KPI's figures on both sides: none when each side's are counts
    # an objective's status or progress → its KPIs whose written fields moved it, with those fields (causes.py)
    via: dict[str, list[tuple[EntityChange, list[FieldChange]]]] = field(default_factory=dict)


@dataclass
class PlanDiff:
    old: str  # the revisions as the user named them
    new: str
    changes: list[EntityChange]
    language: str = "en"
    currency: str = "EUR"
    old_currency: str | None = None  # the old side's, when the plan moved to another currency
    locale: str | None = None  # the plan's `locale` (i18n.Formatter): how money, numbers and dates read
    base_url: str | None = None

    @property
    def summary(self) -> dict[str, int]:
        counts = {"added": 0, "removed": 0, "changed": 0}
        for change in self.changes:
            counts[change.op] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        """Exactly SPEC §4."""
        return {
            "old": self.old,
            "new": self.new,
            "summary": self.summary,
            "changes": [
                {"kind": c.kind, "id": c.id, "op": c.op,
                 "fields": [{"path": f.path, "old": f.old, "new": f.new} for f in c.fields]}
                for c in self.changes
            ],
        }


# --- values ----------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates as ISO strings, whole numbers as ints, lists as lists."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Fraction | float | int):
        return number(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def _derived(value: float | None, digits: int = 6) -> float | int | None:
    """A computed float, rounded so that the diff does not flicker on the last bits; to 6 places, so that a
    figure written from it (rounded again, halves up) reads as the unrounded value does: 12.496 % → 12 %."""
    return None if value is None else number(round(value, digits))


def _put(facts: Facts, path: str, value: Any) -> None:
    value = plain(value)
    if value is None or value == [] or value == "":
        return
    facts.fields[path] = value


# --- facts of one plan ----------------------------------------------------------------------


def plan_facts(state: PlanState) -> tuple[dict[tuple[str, str], Facts], dict[str, list[Facts]]]:
    """Every entity of the computed plan but actions, by (kind, id); and the actions of each
    objective, in order (their identity is decided when two sides are compared)."""
    plan = state.plan
    out: dict[tuple[str, str], Facts] = {}

    def add(facts: Facts) -> Facts:
        out[(facts.kind, facts.id)] = facts
        return facts

    s = plan.settings
    fmt = Formatter(s.language, s.currency, s.locale)  # which KPI units are money
    f = add(Facts("plan", PLAN_ID, s.title, {}))
    value: Any  # a field's value: text, number, date, list of ids
    for path, value in (("title", s.title), ("organization", s.organization), ("language", s.language),
                        ("period.start", s.period_start), ("period.end", s.period_end), ("currency", s.currency),
                        ("sector", s.sector), ("positioning", s.positioning), ("vision", (s.vision or "").strip()),
                        ("base_url", s.base_url), ("theme", s.theme), ("versions.tags", s.version_tags),
                        ("rules.at_risk", s.rules.at_risk), ("rules.max_objectives", s.rules.max_objectives),
                        ("rules.max_kpis_per_objective", s.rules.max_kpis_per_objective),
                        ("rules.budget_share", s.rules.budget_share),
                        ("budget.solutions", round(state.solutions_budget, 2) if plan.solutions else None)):
        _put(f, path, value)

    actions: dict[str, list[Facts]] = {}
    for obj in plan.objectives.values():
        ostate = state.objectives.get(obj.id)
        f = add(Facts("objective", obj.id, obj.title, {}))
        for path, value in (("title", obj.title), ("level", obj.level), ("department", obj.department),
                            ("parent", obj.parent), ("owner", obj.owner), ("due", obj.due),
                            ("personas", obj.personas), ("kpis", [k.id for k in obj.kpis]),
                            ("body", obj.body.strip())):
            _put(f, path, value)
        if ostate is not None:
            _put(f, "status", ostate.status)
            _put(f, "progress", _derived(ostate.progress))
        for kpi in obj.kpis:
            k = state.kpis.get(kpi.id)
            f = add(Facts("kpi", kpi.id, kpi.title, {}))
            series = plan.series.get(kpi.id)
            for path, value in (("objective", obj.id), ("title", kpi.title), ("unit", kpi.unit),
                                ("baseline", k.baseline if k else kpi.baseline), ("target", kpi.target),
                                ("due", k.due if k else kpi.due), ("direction", k.direction if k else kpi.direction),
                                ("measure", kpi.measure), ("cadence", kpi.cadence),
                                ("data", series.path if series else kpi.data), ("column", kpi.column)):
                _put(f, path, value)
            if k is not None:
                _put(f, "measurements", len(series.points) if series else 0)
                _put(f, "actual", _derived(k.actual))
                _put(f, "status", k.status)
                _put(f, "progress", _derived(k.progress))
                _put(f, "forecast", _derived(k.forecast, 2))  # a corrected past value moves it, not the latest
            f.points = series.points if series else ()
            f.digits = kpi_digits(k, fmt) if k is not None else 2
            if kpi.unit:
                f.units.update({p: kpi.unit for p in ("baseline", "target", "actual", "forecast")})
            f.inputs = KPI_INPUTS
        actions[obj.id] = []
        for action in obj.actions:
            f = Facts("action", "", action.title, {})
            for path, value in (("objective", obj.id), ("title", action.title), ("owner", action.owner),
                                ("due", action.due), ("status", action.status), ("kpis", action.kpis)):
                _put(f, path, value)
            actions[obj.id].append(f)

    for funnel in plan.funnels.values():
        fs = state.funnels.get(funnel.id)
        f = add(Facts("funnel", funnel.id, funnel.title, {}))
        _put(f, "title", funnel.title)
        _put(f, "goal", funnel.goal)
        if funnel.stages:
            f.units["goal"] = common_noun(funnel.stages[-1].title)
        f.inputs = funnel_inputs(funnel)
        _put(f, "due", funnel.due)
        _put(f, "stages", [st.id for st in funnel.stages])
        for i, st in enumerate(funnel.stages):
            _put(f, f"stages.{st.id}.title", st.title)
            f.subjects[f"stages.{st.id}.cost"] = (st.title,)
            if i:
                f.subjects[f"stages.{st.id}.rate"] = (funnel.stages[i - 1].title, st.title)
            if i and st.rate is not None:
                written = st.rate_written if st.rate_written is not None else st.rate
                f.fields[f"stages.{st.id}.rate"] = written if isinstance(written, str) else plain(written)
                f.compare[f"stages.{st.id}.rate"] = st.rate
            _put(f, f"stages.{st.id}.kpi", st.kpi)
            _put(f, f"stages.{st.id}.cost", st.cost)
        if fs is not None:
            for st_state in fs.stages:
                _put(f, f"need.{st_state.stage.id}", st_state.need)
                f.units[f"need.{st_state.stage.id}"] = st_state.stage.title
                # its volume since the period start: a data refresh moves it (actuals, then statuses)
                _put(f, f"volume.{st_state.stage.id}", _derived(st_state.actual))
                f.units[f"volume.{st_state.stage.id}"] = st_state.stage.title
            _put(f, "budget", fs.budget)
            _put(f, "cost_per_unit", fs.cost_per_unit)
            _put(f, "bottleneck", next((st.stage.title for st in fs.stages if st.stage.id == fs.bottleneck), None))
        _put(f, "body", funnel.body.strip())

    for persona in plan.personas.values():
        f = add(Facts("persona", persona.id, persona.name, {}))
        for path in ("name", "role", "goals", "pains", "traits", "channels", "messages", "sources"):
            _put(f, path, getattr(persona, path))
        _put(f, "body", persona.body.strip())

    for exp in plan.experiences.values():
        f = add(Facts("experience", exp.id, exp.title, {}))
        for path in ("title", "personas", "funnel", "stage", "channel", "moments", "objectives"):
            _put(f, path, getattr(exp, path))
        _put(f, "body", exp.body.strip())

    for sol in plan.solutions.values():
        f = add(Facts("solution", sol.id, sol.title, {}))
        for path, value in (("title", sol.title), ("category", sol.category), ("cost.amount", sol.cost_amount),
                            ("cost.per", sol.cost_per),
                            ("cost.yearly", round(sol.yearly_cost, 2) if sol.cost_amount is not None else None),
                            ("department", sol.department), ("objectives", sol.objectives),
                            ("experiences", sol.experiences), ("body", sol.body.strip())):
            _put(f, path, value)

    for page in plan.pages.values():
        f = add(Facts("page", page.id, page.title, {}))
        _put(f, "title", page.title)
        _put(f, "order", page.order)
        _put(f, "body", page.body.strip())
    return out, actions


# --- actions: identity without ids ------------------------------------------------------------


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].rstrip("-")


def match_actions(old: list[Facts], new: list[Facts]) -> list[tuple[Facts | None, Facts | None]]:
    """Pair the actions of one objective across two sides: same title first, then a close title
    (an edited wording), then the same position. Unpaired ones are removed or added."""
    pairs: list[tuple[Facts | None, Facts | None]] = []
    old_left = list(range(len(old)))
    new_left = list(range(len(new)))
    paired_new: dict[int, int] = {}

    def pair(i: int, j: int) -> None:
        old_left.remove(i)
        new_left.remove(j)
        paired_new[j] = i

    for j in list(new_left):
        same = [i for i in old_left if old[i].title == new[j].title]
        if same:
            pair(same[0], j)
    for j in list(new_left):
        scored = [(difflib.SequenceMatcher(None, old[i].title.lower(), new[j].title.lower()).ratio(), -abs(i - j), i)
                  for i in old_left]
        best = max(scored, default=None)
        if best is not None and best[0] >= 0.6:
            pair(best[2], j)
    for j in list(new_left):
        if j in old_left:
            pair(j, j)
    for j in range(len(new)):
        pairs.append((old[paired_new[j]] if j in paired_new else None, new[j]))
    pairs += [(old[i], None) for i in old_left]
    return pairs


def _action_ids(objective: str, pairs: list[tuple[Facts | None, Facts | None]]) -> None:
    """Ids like `objective/slug-of-title`, from the new title when there is one; unique."""
    used: set[str] = set()
    for position, (before, after) in enumerate(pairs, start=1):
        facts = after or before
        assert facts is not None
        base = f"{objective}/{slug(facts.title) or position}"
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        for side in (before, after):
            if side is not None:
                side.id = ident


# --- the comparison ---------------------------------------------------------------------------


def _field_changes(before: Facts | None, after: Facts | None) -> list[FieldChange]:
    paths = list((after.fields if after else {}).keys())
    if before is not None:
        paths += [p for p in before.fields if p not in paths]
    out = []
    for path in paths:
        old_key = before.key(path) if before else None
        new_key = after.key(path) if after else None
        if before is not None and after is not None and old_key == new_key:
            continue
        out.append(FieldChange(path, before.fields.get(path) if before else None,
                               after.fields.get(path) if after else None))
    return out


def _causes(before: Facts, after: Facts, fields: list[FieldChange],
            corrections: list[FieldChange]) -> dict[str, list[FieldChange]]:
    """Each changed computed value (and a funnel's steady top, see `_steady_top`) → the changed fields it is
    computed from, valued as compared: a field by its key on each side, a corrected measurement
    (`_with_corrections`) as its correction says."""
    corrected = {f.path: f for f in corrections}
    derived = [f.path for f in fields if f.derived] + list(_steady_top(before, after, fields))
    return {path: [corrected[cause] if cause in corrected
                   else FieldChange(cause, plain(before.key(cause)), plain(after.key(cause)))
                   for cause in moved_inputs(path, [f.path for f in fields], before.inputs, after.inputs)]
            for path in derived}


def _steady_top(before: Facts, after: Facts, fields: list[FieldChange]) -> dict[str, Any]:
    """A funnel's top need, with its value, when it did not move although fields it is computed from did
    (the goal up and a rate up: as many visitors needed as before)."""
    top = next((path for path in after.fields if path.startswith("need.")), None)
    if after.kind != "funnel" or top is None or top not in before.fields or any(f.path == top for f in fields):
        return {}
    changed = [f.path for f in fields]
    return {top: after.fields[top]} if moved_inputs(top, changed, before.inputs, after.inputs) else {}


def _with_corrections(before: Facts, after: Facts, fields: list[FieldChange], units: dict[str, str],
                      units_before: dict[str, str]) -> tuple[list[FieldChange], list[FieldChange], int]:
    """A KPI's field changes with its corrected past measurements among the written fields (before the computed
    ones, which they move), each with the KPI's unit; those corrections alone; and how many rows were added."""
    changed, new_rows = compared(before.points, after.points)
    corrected = [FieldChange(path, plain(old), new if isinstance(new, dict) else plain(new))  # dict: counted
                 for path, old, new in correction_fields(changed)]
    for f in corrected:
        units[f.path], units_before[f.path] = units.get("actual", ""), units_before.get("actual", "")
    first_computed = next((i for i, f in enumerate(fields) if f.derived), len(fields))
    return fields[:first_computed] + corrected + fields[first_computed:], corrected, new_rows


def _through_kpis(changes: list[EntityChange], objective_of: dict[str, str]) -> None:
    """Set `via` of each changed objective: its moved status and progress → its KPIs whose written fields (target,
    baseline, due date, direction, a corrected past value) moved theirs, with those fields: the objective moved
    with a decision, not only with time or new rows (`objective_of`: KPI id → its objective's id)."""
    written: dict[str, list[tuple[EntityChange, list[FieldChange]]]] = {}
    for c in (c for c in changes if c.kind == "kpi" and c.op == "changed"):
        causes = [f for f in c.causes.get("progress") or c.causes.get("status") or [] if f.path != "measurements"]
        if causes:
            written.setdefault(objective_of.get(c.id, ""), []).append((c, causes))
    for c in (c for c in changes if c.kind == "objective" and c.op == "changed" and c.id in written):
        c.via = {f.path: written[c.id] for f in c.fields
                 if f.path in ("status", "progress") and f.old is not None and f.new is not None}


_recent_facts: list[tuple[PlanState, tuple[dict[tuple[str, str], Facts], dict[str, list[Facts]]]]] = []


def _facts_of(state: PlanState) -> tuple[dict[tuple[str, str], Facts], dict[str, list[Facts]]]:
    """`plan_facts(state)`, kept for the last two states: comparing a history's versions pair by pair
    (v1..v2, v2..v3) meets each state twice. The action facts are copies, as each comparison names them."""
    facts = next((made for kept, made in _recent_facts if kept is state), None)
    if facts is None:
        facts = plan_facts(state)
        _recent_facts[:] = [*_recent_facts[-1:], (state, facts)]
    entities, actions = facts
    return entities, {objective: [copy.copy(f) for f in listed] for objective, listed in actions.items()}


def diff_states(old: PlanState, new: PlanState, old_label: str, new_label: str) -> PlanDiff:
    """Every entity added, removed or changed from `old` to `new`, with its field changes."""
    old_facts, old_actions = _facts_of(old)
    new_facts, new_actions = _facts_of(new)
    pairs: list[tuple[Facts | None, Facts | None]] = []
    for key in list(new_facts) + [k for k in old_facts if k not in new_facts]:
        pairs.append((old_facts.get(key), new_facts.get(key)))
    for objective in list(new_actions) + [o for o in old_actions if o not in new_actions]:
        matched = match_actions(old_actions.get(objective, []), new_actions.get(objective, []))
        _action_ids(objective, matched)
        pairs += matched

    changes: list[EntityChange] = []
    for before, after in pairs:
        facts = after or before
        assert facts is not None
        fields = _field_changes(before, after)
        units = {**(before.units if before else {}), **(after.units if after else {})}
        units_before = dict(before.units) if before else {}
        new_rows = 0
        corrections: list[FieldChange] = []
        if before is not None and after is not None and facts.kind == "kpi":
            fields, corrections, new_rows = _with_corrections(before, after, fields, units, units_before)
        if before is None:
            op = "added"
        elif after is None:
            op = "removed"
        elif fields:
            op = "changed"
        else:
            continue
        subjects = {**(before.subjects if before else {}), **(after.subjects if after else {})}
        changes.append(EntityChange(facts.kind, facts.id, op, facts.title, fields, units,
                                    _causes(before, after, fields, corrections) if before and after else {}, subjects,
                                    _steady_top(before, after, fields) if before and after else {},
                                    units_before, new_rows, max(side.digits for side in (before, after) if side)))
    _through_kpis(changes, {ident: str(facts.fields.get("objective")) for side in (old_facts, new_facts)
                           for (kind, ident), facts in side.items() if kind == "kpi"})
    changes.sort(key=lambda c: (KINDS.index(c.kind), c.id))
    settings = new.plan.settings
    return PlanDiff(old=old_label, new=new_label, changes=changes, language=settings.language,
                    currency=settings.currency, old_currency=old.plan.settings.currency, locale=settings.locale,
                    base_url=settings.base_url or old.plan.settings.base_url)


# --- two revisions of a plan folder -----------------------------------------------------------


class PlanHasErrors(Exception):
    """One side of the comparison does not check: its diagnostics are what the user needs."""

    def __init__(self, label: str, diagnostics: Diagnostics) -> None:
        super().__init__(label)
        self.label = label
        self.diagnostics = diagnostics


def compare_revisions(plan: Path, old: str | None, new: str | None, today: dt.date) -> PlanDiff:
    """The plan folder `plan` at revision `old` (default HEAD) against `new` (default the working
    tree). Raises GitError for repository problems and PlanHasErrors when a side does not check."""
    from ..pipeline import check
    from ..read.gitsource import WORKING_TREE, GitError, GitSource
    from ..read.source import DirectorySource

    old = old or "HEAD"
    states: list[PlanState] = []
    for revision in (old, new):
        if revision is None:
            if not plan.is_dir():
                raise GitError("no-plan-folder", msg("git.no-plan-folder.tree", plan=str(plan)),
                               msg("git.no-plan-folder.tree.hint"))
            result = check(DirectorySource(plan), today)
            label = str(plan)
        else:
            with GitSource.open(plan, revision) as source:
                result = check(source, today)
                label = source.label
        if result.state is None or result.diagnostics.errors:
            raise PlanHasErrors(label, result.diagnostics)
        states.append(result.state)
    return diff_states(states[0], states[1], old, new or WORKING_TREE)

"""The headline of a diff: one sentence per decision, as a board reads it, the same on every surface (the
terminal, the pull-request comment, the changes and history pages, the board pack).

Every decision is said (goals, targets, rates, costs, dates, the currency, entities added or removed) and each
funnel's new bottleneck, a finding a board wants; a computed value is said after the decisions it comes from
("goal 5 → 8 clients, so prospects needed 1,250 → 2,000"). Statuses that moved with the measurements follow
while there is room. Beyond HEADLINE_LIMIT sentences the decisions left are counted ("+ 2 more decisions"),
and each surface points to them (its details below, its changes page)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..plan.i18n import Formatter, common_noun
from .compare import EntityChange, FieldChange, PlanDiff
from .fields import field_name, is_decision
from .markdown_text import markdown_text
from .measurements import CORRECTED_PATH, is_correction, period_of
from .phrases import enumeration, phrase
from .values import Sides, change_text, pair, show_value

HEADLINE_LIMIT = 6  # sentences of a headline; the decisions beyond are counted
# decisions a headline says although diff/fields.py does not weigh them first: the plan's currency
HEADLINE_PATHS = ("currency",)
# what a headline never says field by field: a funnel's computed values are said by its top and budget
_COMPUTED = ("need.", "volume.", "budget", "cost_per_unit", "status", "progress", "actual", "measurements")
# the computed value that says most of an entity whose computed values alone moved, first found first
_TELLING = ("status", "progress", "forecast", "actual", "budget", "cost_per_unit")


@dataclass
class Headline:
    """The sentences, decisions first, and how many decisions did not fit."""

    sentences: list[str] = field(default_factory=list)
    more: int = 0
    language: str = "en"
    computed: bool = False  # `more` counts changes of any kind, not only decisions

    def more_text(self) -> str:
        """"+ 2 more decisions" ("+ 2 autres décisions"), or "" when every decision is said."""
        if not self.more:
            return ""
        return phrase(self.language, "more_changes" if self.computed else "more", count=self.more)

    def lines(self) -> list[str]:
        """The sentences, then the count of the decisions left, for a surface that lists them all below."""
        return self.sentences + ([self.more_text()] if self.more else [])


def headline(diff: PlanDiff, *, code: bool = True, limit: int = HEADLINE_LIMIT, computed: bool = False) -> Headline:
    """Every decision of `diff` in one sentence each, then statuses while there is room, `limit` sentences at
    most; entities and stages are named by their titles (escaped for Markdown when `code`).

    With `computed` (a surface that lists nothing below: the board pack, the history page's card), each entity
    no sentence names, its computed values alone moved, gets one too, its headline change and what moved it
    ("Monthly churn rate: actual 6.8% → 7.1%, so progress -15% → -30%"), and `more` counts every sentence left
    off."""
    return _sentences(diff, code, computed).told(limit, computed)


def headlines(diff: PlanDiff, *, code: bool = True, limit: int = HEADLINE_LIMIT) -> tuple[Headline, Headline]:
    """`headline(diff)` and `headline(diff, computed=True)`, from one reading of the diff (the changes page
    shows both)."""
    sentences = _sentences(diff, code, computed=True)
    return sentences.told(limit, computed=False), sentences.told(limit, computed=True)


@dataclass
class _Sentences:
    """Every sentence a headline may say, by rank: decisions, then statuses, then (with `computed`) the
    entities only their computed values name."""

    language: str
    decisions: list[str]
    statuses: list[str]
    quiet: list[str]

    def told(self, limit: int, computed: bool) -> Headline:
        """The headline of `limit` sentences: the decisions first, then what there is room for."""
        shown = self.decisions[:limit]
        if computed:
            rest = self.statuses + self.quiet
            told = shown + rest[:max(0, limit - len(shown))]
            return Headline(told, len(self.decisions) + len(rest) - len(told), self.language, computed=True)
        return Headline(shown + self.statuses[:max(0, limit - len(shown))], len(self.decisions) - len(shown),
                        self.language)


def _sentences(diff: PlanDiff, code: bool, computed: bool) -> _Sentences:
    """The sentences of `headline`, `quiet` left empty without `computed`."""
    language = diff.language
    sides = Sides.of(diff)
    fmt = sides.new

    def title(text: str) -> str:
        return markdown_text(text) if code else text

    def say(key: str, **values: object) -> str:
        return phrase(language, key, **values)

    def about(c: EntityChange, what: str) -> str:
        return what[:1].upper() + what[1:] if c.kind == "plan" else say("about", title=title(c.title), what=what)

    def why(c: EntityChange, path: str, effect: str, said: set[str]) -> str:
        """`effect`, after the changed fields it is computed from when there are some (noted in `said`)."""
        causes = c.causes.get(path, [])
        said.update(cause.path for cause in causes)
        texts = [_cause_text(cause, c, sides, language, title) for cause in causes]
        return say("so", causes=enumeration(language, texts), effect=effect) if texts else effect

    def moved(f: FieldChange) -> bool:
        return f.old is not None and f.new is not None

    funnels: list[str] = []  # what each funnel now demands, and why: the most telling decisions
    effects: list[str] = []  # an objective moved by its KPI's decision, and which (said before the statuses)
    consequential: list[str] = []  # a target that moved a status (the board's headline number)
    decisions: list[str] = []
    statuses: list[str] = []
    quiet: list[str] = []  # with `computed`: the entities only their computed values name
    gone_or_new = {(c.kind, c.id): c.op for c in diff.changes if c.op != "changed"}
    for c in diff.changes:
        before = len(funnels) + len(consequential) + len(decisions) + len(effects) + len(statuses)
        fields = {f.path: f for f in c.fields}
        status = fields.get("status")
        said: set[str] = set()  # the fields a sentence already names
        if c.op != "changed":
            if not _within(c, gone_or_new):  # diff.phrase.added.KIND, diff.phrase.removed.KIND
                decisions.append(say(f"{c.op}.{c.kind}", title=title(c.title)))
            continue
        if c.kind == "funnel":
            funnels += _funnel(c, fields, sides, title, about, why, said)
        elif c.kind == "kpi" and status is not None and moved(status):
            line = about(c, why(c, "status", say("status", old=fmt.label(status.old), new=fmt.label(status.new)),
                                said))
            (consequential if said & {f.path for f in c.fields if is_decision(f.path)} else statuses).append(line)
        elif c.kind == "kpi" and any(is_correction(path) for path in fields):  # past values corrected
            consequential.append(about(c, _corrected(c, fields, sides, title, said)))
        elif c.kind == "objective" and c.via:
            moves = [f"{common_noun(field_name(c, f.path, fmt))} {change_text(f, c, sides, compact=True)}"
                     for f in c.fields if f.path in c.via]
            effects.append(about(c, say("effect", effect=enumeration(language, moves),
                                        because=because_text(c, sides, title))))
        elif c.kind == "objective" and status is not None and moved(status):
            statuses.append(about(c, say("status", old=fmt.label(status.old), new=fmt.label(status.new))))
        for f in c.fields:  # the decisions no sentence above named: a cost, a date, a target, the currency
            if f.path not in said and (is_decision(f.path) or f.path in HEADLINE_PATHS) \
                    and not f.path.startswith(_COMPUTED):
                name = common_noun(field_name(c, f.path, fmt))
                decisions.append(about(c, f"{name} {change_text(f, c, sides, compact=True, escape=title)}"))
        spoken = len(funnels) + len(consequential) + len(decisions) + len(effects) + len(statuses) > before
        first = next((f for path in _TELLING for f in c.fields if f.path == path and moved(f)), None)
        if computed and not spoken and first is not None:
            name = common_noun(field_name(c, first.path, fmt))
            quiet.append(about(c, why(c, first.path, f"{name} {change_text(first, c, sides, compact=True)}", said)))
    return _Sentences(language, funnels + consequential + decisions, effects + statuses, quiet)


def because_text(c: EntityChange, sides: Sides, title: Callable[[str], str] = str) -> str:
    """What moved an objective's status or progress (`c.via`): "because KPI “Average basket” changed: target $90 →
    $95" ("car l'indicateur « Panier moyen » a changé : cible 90 $ → 95 $"), each KPI once."""
    language = sides.new.language
    kpis: dict[str, str] = {}
    for kpi, causes in (entry for listed in c.via.values() for entry in listed):
        texts = [_cause_text(cause, kpi, sides, language, title) for cause in causes]
        kpis.setdefault(kpi.id, phrase(language, "kpi_changed", title=title(kpi.title),
                                       causes=enumeration(language, texts)))
    return phrase(language, "because", kpis=enumeration(language, list(kpis.values())))


def _within(c: EntityChange, gone_or_new: dict[tuple[str, str], str]) -> bool:
    """A KPI or action added or removed with its objective: the objective's sentence says it."""
    objective = next((f.new if c.op == "added" else f.old for f in c.fields if f.path == "objective"), None)
    return c.kind in ("kpi", "action") and gone_or_new.get(("objective", str(objective))) == c.op


def _funnel(c: EntityChange, fields: dict[str, FieldChange], sides: Sides, title: Callable[[str], str],
            about: Callable[[EntityChange, str], str], why: Callable[[EntityChange, str, str, set[str]], str],
            said: set[str]) -> list[str]:
    """A changed funnel's sentences: what its top stage now needs and why (the most telling change), its
    budget when something else moved it too (a stage's cost), and its new bottleneck."""
    language, fmt = sides.new.language, sides.new

    def say(key: str, **values: object) -> str:
        return phrase(language, key, **values)

    out: list[str] = []
    top = next((f for f in c.fields if f.path.startswith("need.") and f.old is not None and f.new is not None),
               None)
    steady = next(iter(c.steady.items()), None)  # the top stage's need, kept by offsetting changes
    if steady is not None:
        path, value = steady
        stage = title(common_noun(c.units.get(path, path[5:])))
        out.append(about(c, why(c, path, say("stage_steady", stage=stage, value=show_value(value, path, fmt)),
                                said)))
    elif top is not None:
        stage = title(common_noun(c.units.get(top.path, top.path[5:])))
        old, new = pair(top, c, sides)
        out.append(about(c, why(c, top.path, say("stage_needed", stage=stage, old=old, new=new), said)))
    elif "goal" in fields:
        said.add("goal")
        out.append(about(c, say("goal", change=change_text(fields["goal"], c, sides, compact=True, escape=title))))
    budget = fields.get("budget")
    if budget is not None and budget.old is not None and budget.new is not None \
            and not {f.path for f in c.causes.get("budget", [])} <= said:
        old, new = pair(budget, c, sides, compact=True)
        out.append(about(c, why(c, "budget", say("budget", old=old, new=new), said)))
    bottleneck = fields.get("bottleneck")
    if bottleneck is not None:
        stages = {side: title(common_noun(str(value))) for side, value in (("old", bottleneck.old),
                                                                          ("new", bottleneck.new)) if value}
        key = "bottleneck" if len(stages) == 2 else "bottleneck_new" if "new" in stages else "bottleneck_gone"
        out.append(about(c, say(key, **stages)))
    return out


def _corrected(c: EntityChange, fields: dict[str, FieldChange], sides: Sides, title: Callable[[str], str],
               said: set[str]) -> str:
    """A KPI's corrected past values, and the forecast they moved: "corrected value for October 2026: £4,960,300 →
    £4,990,300, so forecast £5,143,891 → £5,153,493"."""
    language = sides.new.language
    corrected = [f for path, f in fields.items() if is_correction(path)]
    said.update(f.path for f in corrected)
    texts = enumeration(language, [_cause_text(f, c, sides, language, title) for f in corrected])
    forecast = fields.get("forecast")
    if forecast is None or forecast.old is None or forecast.new is None:
        return texts
    old, new = pair(forecast, c, sides, compact=True)
    return phrase(language, "so", causes=texts, effect=phrase(language, "forecast", old=old, new=new))


def _cause_text(cause: FieldChange, c: EntityChange, sides: Sides, language: str,
                title: Callable[[str], str]) -> str:
    """One changed field a computed value comes from, in words: "goal 5 → 8 clients", "rate prospects →
    meetings 2% → 2.5%", "unit cost of meetings €10 → €12", "target 20 → 30 clients"."""
    stages = [title(common_noun(name)) for name in c.subjects.get(cause.path, ())]
    fmt = sides.new
    if cause.path == CORRECTED_PATH and isinstance(cause.new, dict):
        span = cause.new
        first, last = (_period(f"measurement.{span[end]}", fmt) for end in ("first", "last"))
        return phrase(language, "corrected_many", count=span["count"], first=first, last=last)
    if is_correction(cause.path):
        old, new = pair(cause, c, sides, compact=True)
        key = "measurement_removed" if cause.new is None else "measurement"
        return phrase(language, key, date=_period(cause.path, fmt), old=old, new=new)
    if cause.path.endswith(".rate") and len(stages) == 2:
        if cause.old is None:
            return phrase(language, "rate_added", stage=stages[1], new=fmt.rate(cause.new))
        if cause.new is None:
            return phrase(language, "rate_removed", stage=stages[1])
        return phrase(language, "rate", source=stages[0], stage=stages[1], old=fmt.rate(cause.old),
                      new=fmt.rate(cause.new))
    if cause.path.endswith(".cost") and stages:
        old, new = pair(cause, c, sides, compact=True)
        return phrase(language, "cost", stage=stages[0], old=old, new=new)
    if cause.path == "due":
        old, new = pair(cause, c, sides)
        return phrase(language, "due", old=old, new=new)
    actual = next((f for f in c.fields if f.path == "actual"), None)
    if cause.path == "measurements" and actual is not None:  # new data: say what it measures, not how many rows
        return phrase(language, "actual", change=change_text(actual, c, sides, compact=True, escape=title))
    if cause.path in ("direction", "measurements"):
        old, new = pair(cause, c, sides)
        return phrase(language, cause.path, old=old, new=new)
    if cause.path in ("goal", "target", "baseline"):  # with their unit
        return phrase(language, cause.path, change=change_text(cause, c, sides, compact=True, escape=title))
    return change_text(cause, c, sides, compact=True, escape=title)  # not a field diff/causes.py names


def _period(path: str, fmt: Formatter) -> str:
    """The date of a `measurement.DATE` path as the reader's calendar writes it: "October 2026", "T3 2026"."""
    measured = period_of(path)
    return fmt.period(*measured) if measured else path.split(".", 1)[-1]

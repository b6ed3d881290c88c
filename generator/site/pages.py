"""Every page of the site as a typed context: what to render, where, and with which data.

Pure functions of the computed plan (no I/O, no templates), so the contexts are tested as units. The
context is the theme contract: a template receives `page` (a `PageSpec`) and `site` (a `SiteContext`),
and reads the computed states (`compute.py`) and charts (`charts/`) they hold: a template names the chart it
shows by its id (`page.chart("funnel-" ~ f.funnel.id)`), never by its place in `page.charts`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..plan import periods
from ..plan.collation import reading_order
from ..plan.compute import STATUS_ORDER, KpiState, ObjectiveState, PlanState
from ..plan.i18n import Formatter
from ..plan.kinds import KINDS
from ..plan.model import Action, Objective, Plan
from . import attention, explain
from .charts import BUDGET, FUNNEL, KPI, PROGRESS, Chart, ChartMaker, make_chart, progress_chart_of, with_stage_gaps
from .ui_text import ui

SOON_DAYS = 30  # an action due within this many days is "due soon" on the dashboard


@dataclass
class NavItem:
    key: str  # the section a page belongs to ("dashboard", "objectives", ...)
    label: str
    path: str  # from the site root
    step: int | None = None  # the five steps of the method


@dataclass
class SiteContext:
    """What every page shares: the plan header, the formatter, the navigation, the versions."""

    state: PlanState
    fmt: Formatter
    nav: list[NavItem]
    language: str
    today: dt.date
    version: str | None = None  # the version this site is, when built with --all-versions
    versions: bool = False  # built with its versions: pages show the switcher, drawn from versions.js
    current_version_path: str | None = None  # from this version's root to the current site's root
    search: bool = False  # a pagefind index is (or will be) written beside the pages
    static_root: str = ""  # added to a page's root for static/: "../../" for a version under v/TAG/
    pack: str | None = None  # the board pack PDF beside the pages (build --pack), from the site root
    static_names: dict[str, str] = field(default_factory=dict)  # a theme's static file → its name by content

    def static_name(self, rel: str) -> str:
        """The name under static/ that pages link to for the theme's file `rel` (render.static_names)."""
        return self.static_names.get(rel, rel)

    @property
    def settings(self) -> Any:
        return self.state.plan.settings

    def t(self, key: str, **values: object) -> str:
        return ui(self.language, key, **values)


@dataclass
class PageSpec:
    path: str  # from the site root, e.g. "objectives/croissance-clients.html"
    template: str
    title: str
    section: str
    data: dict[str, Any] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    description: str = ""
    # charts made only when the page is rendered (`build_pages(defer_charts=True)`), in the process rendering it
    deferred: Callable[[], list[Chart]] | None = None
    deferred_count: int = 0

    def make_charts(self) -> None:
        """Make the deferred charts now (before rendering)."""
        if self.deferred is not None:
            self.charts, self.deferred = self.deferred() + self.charts, None

    def chart(self, chart_id: str) -> Chart | None:
        """The page's chart of id `chart_id` ("objectives-progress", "funnel-ID", "kpi-ID",
        "solutions-budget"), or None when the page has none such."""
        return next((c for c in self.charts if c.id == chart_id), None)

    @property
    def chart_count(self) -> int:
        return len(self.charts) + (self.deferred_count if self.deferred is not None else 0)

    @property
    def root(self) -> str:
        """The relative path from this page to the site root ("" or "../")."""
        return "../" * self.path.count("/")


@dataclass
class ActionRow:
    action: Action
    objective: Objective
    when: str  # "late", "soon" or ""
    days: int | None  # days until due (negative when late)


@dataclass
class Freshness:
    kpi: KpiState
    objective: Objective
    last: dt.date | None  # the first day of the period the last measurement stands for
    age_days: int | None  # days since that period ended
    stale: bool
    period: str = "day"  # what `last` stands for: "day", "month" or "quarter" (show it with fmt.period)
    in_progress: bool = False  # today falls in that period: its age is "current quarter", not "0 d"


def _charts_for_kpis(kpis: list[KpiState], fmt: Formatter, make: ChartMaker) -> list[Chart]:
    return [make(KPI, k, fmt) for k in kpis]


def action_rows(state: PlanState, *, only_pressing: bool) -> list[ActionRow]:
    """Actions with how pressing they are; `only_pressing` keeps the late and due-soon ones, latest first."""
    rows = []
    for obj in state.plan.objectives.values():
        for action in obj.actions:
            days = (action.due - state.today).days if action.due else None
            open_ = action.status in ("planned", "doing")
            when = ""
            if open_ and days is not None:
                when = "late" if days < 0 else ("soon" if days <= SOON_DAYS else "")
            if only_pressing and not when:
                continue
            rows.append(ActionRow(action=action, objective=obj, when=when, days=days))
    if only_pressing:
        rows.sort(key=lambda r: (r.days if r.days is not None else 10**6, r.objective.id, r.action.title))
    return rows


def freshness(state: PlanState) -> list[Freshness]:
    """How old each KPI's latest measurement is; stale two cadence periods after its period ended (the rule
    of `strategy check`)."""
    rows = []
    for obj in state.plan.objectives.values():
        for kpi in obj.kpis:
            ks = state.kpis[kpi.id]
            if not ks.points:
                rows.append(Freshness(kpi=ks, objective=obj, last=None, age_days=None, stale=True))
                continue
            last = ks.points[-1][0]
            period = ks.period_at(last)
            rows.append(Freshness(kpi=ks, objective=obj, last=last, period=period,
                                  age_days=periods.age_days(last, period, state.today),
                                  stale=periods.is_stale(last, period, kpi.cadence, state.today),
                                  in_progress=last <= state.today <= periods.end(last, period)))
    return rows


def status_counts(states: list[ObjectiveState] | list[KpiState]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for s in states:
        counts[s.status] = counts.get(s.status, 0) + 1
    return [(status, counts[status]) for status in reversed(STATUS_ORDER) if status in counts]


def navigation(state: PlanState, language: str, *, history: str | None = None) -> list[NavItem]:
    """The dashboard, the five steps in order, the free pages, then (built with versions) the history page
    at `history` (from the site root)."""
    plan = state.plan
    items = [NavItem("dashboard", ui(language, "dashboard"), "index.html")]
    for kind in sorted((k for k in KINDS if k.step is not None), key=lambda k: k.step or 0):
        if getattr(plan, kind.folder) or kind.step == 1:  # the first step even when empty
            items.append(NavItem(kind.folder, ui(language, f"step{kind.step}"), f"{kind.folder}/index.html",
                                 step=kind.step))
    for page in sorted(plan.pages.values(), key=lambda p: (p.order, reading_order(p.title))):
        items.append(NavItem(f"page-{page.id}", page.title, f"pages/{page.id}.html"))
    if history is not None:
        items.append(NavItem("history", ui(language, "history"), history))
    return items


def objective_tree(state: PlanState) -> list[tuple[ObjectiveState, int]]:
    """Objectives depth first from the roots (enterprise level first), with their depth."""
    objectives = state.objectives
    roots = [o for o in objectives.values() if o.objective.parent not in objectives]
    roots.sort(key=lambda o: (o.objective.level != "enterprise", reading_order(o.objective.title)))
    out: list[tuple[ObjectiveState, int]] = []
    seen: set[str] = set()
    # a stack, not a recursive inner function: that would be a reference cycle holding the whole computed
    # state until a garbage collector pass (70-90 ms of each one-edit rebuild of a big plan in `strategy serve`)
    todo = [(root, 0) for root in reversed(roots)]
    while todo:
        o, depth = todo.pop()
        if o.objective.id in seen:  # cycles are errors in check; never loop here
            continue
        seen.add(o.objective.id)
        out.append((o, depth))
        children = sorted(o.children, key=lambda c: reading_order(objectives[c].objective.title))
        todo.extend((objectives[child], depth + 1) for child in reversed(children))
    return out


def by_department(state: PlanState) -> list[tuple[str | None, list[ObjectiveState]]]:
    groups: dict[str | None, list[ObjectiveState]] = {}
    for o in state.objectives.values():
        groups.setdefault(o.objective.department, []).append(o)
    return sorted(groups.items(), key=lambda kv: (kv[0] is None, reading_order(kv[0] or "")))


def _experience_places(plan: Plan) -> dict[str, str]:
    """Where each experience happens, by titles: "Acquisition / Rendez-vous" (a reader never sees an id)."""
    places: dict[str, str] = {}
    for eid, exp in plan.experiences.items():
        funnel = plan.funnels.get(exp.funnel) if exp.funnel else None
        if funnel is None:
            continue
        stage = next((s.title for s in funnel.stages if s.id == exp.stage), None)
        places[eid] = funnel.title + (f" / {stage}" if stage else "")
    return places


def _funnel_refs(state: PlanState, fid: str) -> list[Any]:
    return [e for e in state.plan.experiences.values() if e.funnel == fid]


def build_pages(state: PlanState, fmt: Formatter, *, defer_charts: bool = False,
                make_chart: ChartMaker = make_chart) -> list[PageSpec]:
    """Every page of the site, in a stable order, its charts made by `make_chart` (the render memo passes its
    own). With `defer_charts`, an objective page's KPI charts (nearly all of a plan's charts, and most of the
    time this takes) are made when the page is rendered: by whichever process renders it
    (`PageSpec.make_charts`)."""
    plan = state.plan
    lang = fmt.language
    pages: list[PageSpec] = []

    # the dashboard: where the objectives stand, what needs attention (bounded, the full lists a link away:
    # attention.py), every funnel at a glance, or those marked `main: true`
    glance = [fs for fs in state.funnels.values() if fs.funnel.main] or list(state.funnels.values())
    shown = attention.objectives_shown(list(state.objectives.values()), plan.settings.period_end)
    progress = (progress_chart_of(state, fmt, [o.objective.id for o in shown.items]) if shown.more
                else make_chart(PROGRESS, state, fmt))
    # a stage's volume missing a period says so beside it, in the chart's table and description too
    glance_gaps = {fs.funnel.id: explain.stage_gaps(fs, state.kpis, fmt) for fs in glance}
    dash_charts = [progress, *(with_stage_gaps(make_chart(FUNNEL, fs, fmt), fs, glance_gaps[fs.funnel.id], fmt)
                               for fs in glance)]
    pressing = action_rows(state, only_pressing=True)
    fresh = freshness(state)
    pages.append(PageSpec(
        path="index.html", template="dashboard.html", title=plan.settings.title, section="dashboard",
        data={"objectives": shown, "tree": objective_tree(state), "pressing": pressing,
              "late": attention.first(pressing, attention.ACTIONS_SHOWN),
              "freshness": fresh, "stale": attention.first(attention.stale_first(fresh), attention.FRESHNESS_SHOWN),
              "funnels": list(state.funnels.values()),
              # a stage's volume missing a month says so, as on the funnel page
              "glance": [{"f": fs, **explain.facts(fs, fmt), "gaps": glance_gaps[fs.funnel.id]} for fs in glance],
              "counts": status_counts(list(state.objectives.values())),
              # "1 of 2 KPIs not measured yet" beside a card's progress, which counts the measured ones only
              "unmeasured": {o.objective.id: explain.unmeasured_kpis(o, fmt) for o in shown.items},
              # a daily level's figure is its week's mean, not the latest day's; a passed due date missed
              "averaged": {o.objective.id: explain.card_notes(o, fmt) for o in shown.items}},
        charts=dash_charts, description=plan.settings.positioning or ""))
    pages.append(PageSpec(path="actions.html", template="actions.html", title=ui(lang, "late_actions"),
                          section="dashboard", data={"pressing": pressing}))
    pages.append(PageSpec(path="freshness.html", template="freshness.html", title=ui(lang, "freshness"),
                          section="dashboard", data={"freshness": fresh}))

    # step 1: objectives
    pages.append(PageSpec(
        path="objectives/index.html", template="alignment.html", title=ui(lang, "step1"), section="objectives",
        data={"tree": objective_tree(state), "departments": by_department(state),
              "unmeasured": {oid: note for oid, o in state.objectives.items()
                             if (note := explain.unmeasured_kpis(o, fmt))}}))
    actions: dict[str, list[ActionRow]] = {}  # by objective, made once rather than once per objective page
    for row in action_rows(state, only_pressing=False):
        actions.setdefault(row.objective.id, []).append(row)
    for oid, ostate in state.objectives.items():
        obj = ostate.objective
        kpi_charts = functools.partial(_charts_for_kpis, ostate.kpis, fmt, make_chart)
        pages.append(PageSpec(
            path=f"objectives/{oid}.html", template="objective.html", title=obj.title, section="objectives",
            data={"o": ostate, "parent": state.objectives.get(obj.parent) if obj.parent else None,
                  # by KPI id, each made when the page is rendered (a rebuild renders few of them)
                  "rules": explain.PerKpi(explain.status_rule_parts, ostate.kpis, fmt, plan.settings.rules.at_risk),
                  "digits": explain.PerKpi(explain.kpi_digits, ostate.kpis, fmt),
                  "objective_rule": explain.objective_rule(ostate, fmt),
                  "unmeasured_rule": explain.unmeasured_rule(ostate, fmt),
                  "forecast_bases": explain.PerKpi(explain.forecast_basis, ostate.kpis, fmt),
                  # beside the latest figure, the periods missing between its rows, as its chart says
                  "gaps": explain.PerKpi(explain.kpi_gap, ostate.kpis, fmt),
                  "children": [state.objectives[c] for c in ostate.children],
                  "personas": [plan.personas[p] for p in obj.personas if p in plan.personas],
                  "actions": actions.get(oid, []),
                  "experiences": [e for e in plan.experiences.values() if oid in e.objectives],
                  "solutions": [s for s in plan.solutions.values() if oid in s.objectives]},
            charts=[] if defer_charts else kpi_charts(), deferred=kpi_charts if defer_charts else None,
            deferred_count=len(ostate.kpis)))

    # step 2: funnels (a funnel that could not be computed has an error in check, so it is never here)
    pages.append(PageSpec(path="funnels/index.html", template="funnels.html", title=ui(lang, "step2"),
                          section="funnels", data={"funnels": list(state.funnels.values())}))
    for fid, fstate in state.funnels.items():
        stage_gaps = explain.stage_gaps(fstate, state.kpis, fmt)
        pages.append(PageSpec(
            path=f"funnels/{fid}.html", template="funnel.html", title=fstate.funnel.title, section="funnels",
            data={"f": fstate, "experiences": _funnel_refs(state, fid), **explain.facts(fstate, fmt),
                  "stage_kpis": {s.stage.id: state.kpis.get(s.stage.kpi) for s in fstate.stages if s.stage.kpi},
                  "stage_gaps": stage_gaps},
            charts=[with_stage_gaps(make_chart(FUNNEL, fstate, fmt), fstate, stage_gaps, fmt)]))

    # step 3: personas
    pages.append(PageSpec(path="personas/index.html", template="personas.html", title=ui(lang, "step3"),
                          section="personas", data={"personas": list(plan.personas.values())}))
    for pid, persona in plan.personas.items():
        pages.append(PageSpec(
            path=f"personas/{pid}.html", template="persona.html", title=persona.name, section="personas",
            data={"p": persona,
                  "objectives": [state.objectives[o] for o, obj in plan.objectives.items() if pid in obj.personas],
                  "experiences": [e for e in plan.experiences.values() if pid in e.personas]}))

    # step 4: experiences
    pages.append(PageSpec(path="experiences/index.html", template="experiences.html", title=ui(lang, "step4"),
                          section="experiences", data={"experiences": list(plan.experiences.values()),
                                                       "places": _experience_places(plan)}))
    for eid, exp in plan.experiences.items():
        funnel = state.funnels.get(exp.funnel) if exp.funnel else None
        stage = next((s for s in funnel.stages if s.stage.id == exp.stage), None) if funnel else None
        pages.append(PageSpec(
            path=f"experiences/{eid}.html", template="experience.html", title=exp.title, section="experiences",
            data={"e": exp, "funnel": funnel, "stage": stage,
                  "personas": [plan.personas[p] for p in exp.personas if p in plan.personas],
                  "objectives": [state.objectives[o] for o in exp.objectives if o in state.objectives],
                  "solutions": [s for s in plan.solutions.values() if eid in s.experiences]}))

    # step 5: solutions
    solutions_charts = [make_chart(BUDGET, state, fmt)] if plan.solutions else []
    categories: dict[str, float] = {}
    for s in plan.solutions.values():
        categories[s.category] = categories.get(s.category, 0.0) + s.yearly_cost
    pages.append(PageSpec(path="solutions/index.html", template="solutions.html", title=ui(lang, "step5"),
                          section="solutions",
                          data={"solutions": sorted(plan.solutions.values(), key=lambda s: -s.yearly_cost),
                                "categories": sorted(categories.items(), key=lambda kv: -kv[1]),
                                "total": state.solutions_budget},
                          charts=solutions_charts))
    for sid, sol in plan.solutions.items():
        pages.append(PageSpec(
            path=f"solutions/{sid}.html", template="solution.html", title=sol.title, section="solutions",
            data={"s": sol, "objectives": [state.objectives[o] for o in sol.objectives if o in state.objectives],
                  "experiences": [plan.experiences[e] for e in sol.experiences if e in plan.experiences],
                  "share": (sol.yearly_cost / state.solutions_budget) if state.solutions_budget else None}))

    # free pages
    for pid, page in plan.pages.items():
        pages.append(PageSpec(path=f"pages/{pid}.html", template="page.html", title=page.title,
                              section=f"page-{pid}", data={"page": page}))
    return pages

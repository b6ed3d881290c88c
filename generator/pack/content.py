"""What the board pack says (`strategy pack`): the computed plan gathered for its template, every word in
the plan's language, every chart drawn as vector SVG. No PDF here (pack.py makes it), so the content is
tested without WeasyPrint.

The pack reuses the site's sentences and numbers: the statuses and funnels of compute.py, the projection and
diagnosis of explain.py, the KPI and funnel charts of charts/ (the same Vega-Lite specs, drawn by the
site's chart_svg.py with the site's d3 locales, and kept in the same cache), and the diff code for what
changed since the last tag.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..plan.compute import FunnelState, KpiState, ObjectiveState, PlanState
from ..plan.i18n import Formatter
from ..plan.messages import render
from ..site import chart_svg, charts, explain
from ..site.attention import worst_first
from ..site.pages import ActionRow, action_rows, objective_tree, status_counts
from ..site.theme_colours import recolour_drawing
from ..site.theme_setup import ThemeSetup
from ..site.ui_text import ui
from .summary import LIMITS, Limits, first

CHART_WIDTH = 640  # px of the SVG's plot; the page scales it to the text width (vectors: no loss), about 8-pt text
CHART_HEIGHT = 112  # px: lower than on the site (260), so that three titled KPI charts fit on an objective's page

def words(language: str, key: str, n: int | None = None, **values: object) -> str:
    """The pack's word for `key` in `language` (the one table's `pack.` keys); with `n`, its plural form by
    Babel's rules (French says "0 jour", English "0 days")."""
    if n is not None:
        values = {"count": n, **values}
    return render(language, f"pack.{key}", **values)


@dataclass
class KpiView:
    state: KpiState
    rule: str  # which rule gave the status, with its numbers (explain.status_rule)
    chart: Markup  # the KPI chart as inline SVG
    caption: str  # the chart's one-sentence description
    digits: int = 2  # decimals of its figures, as on the site (explain.kpi_digits): none for a count
    gap: str = ""  # "no measurement for June 2026": periods missing between its rows (explain.kpi_gap)


@dataclass
class ObjectiveView:
    anchor: str
    state: ObjectiveState
    kpis: list[KpiView]
    actions: list[ActionRow]
    unmeasured: str = ""  # "1 of 2 KPIs not measured yet": its progress counts the measured ones only


@dataclass
class FunnelView:
    anchor: str
    state: FunnelState
    unit: str  # the last stage's title, inside a sentence
    projection: str | None
    diagnosis: list[str]
    chart: Markup | None = None
    caption: str = ""
    gaps: dict[str, str] = field(default_factory=dict)  # by stage id, the months its volume lacks


@dataclass
class Changes:
    """What changed since the last version tag (the diff code's own sentences)."""

    language: str
    version: str
    counts: str  # "3 entités modifiées, 1 ajoutée", or "" for no change
    highlights: list[str] = field(default_factory=list)
    uncommitted: bool = False  # the pack shows the working tree, whose plan has edits not yet committed
    tag: str | None = None  # the tag checked out, when nothing changed since it: the changes shown are its own

    @property
    def title(self) -> str:
        """"Changes since v2", or "Changes since v2, including changes not yet committed": the pack shows the
        plan as it is on disk, so its changes are too, and the board is told when some are not committed;
        "What v2 changed since v1" when they are the checked-out tag's own."""
        if self.tag is not None:
            return render(self.language, "pack.changes_of_tag", tag=self.tag, version=self.version)
        return render(self.language, "pack.changes_since_uncommitted" if self.uncommitted else "site.changes_since",
                      version=self.version)


@dataclass
class PackContent:
    language: str
    fmt: Formatter
    state: PlanState
    counts: list[tuple[str, int]]  # objectives by status, best first
    objectives: list[ObjectiveView]  # in the contents' order
    weakest_first: list[ObjectiveView]  # in the dashboard's order: the summary shows the first ones
    funnels: list[FunnelView]
    pressing: list[ActionRow]  # every late or due-soon action; the summary shows the first few
    changes: Changes | None
    limits: Limits = LIMITS[0]  # how many rows the one-page summary keeps (summary.py)
    only_summary: bool = False  # the cover and the summary only: render.py measures the summary's length

    @property
    def settings(self) -> Any:
        return self.state.plan.settings

    # The one-page summary's rows within `limits`, and how many are left off (said as "… and N more").
    @property
    def summary_objectives(self) -> tuple[list[ObjectiveView], int]:
        return first(self.weakest_first, self.limits.objectives)

    @property
    def summary_funnels(self) -> tuple[list[FunnelView], int]:
        return first(self.funnels, self.limits.funnels)

    @property
    def late(self) -> list[ActionRow]:
        return self.pressing[:self.limits.actions]

    @property
    def late_more(self) -> int:
        return max(0, len(self.pressing) - self.limits.actions)

    @property
    def summary_changes(self) -> tuple[list[str], int]:
        return first(self.changes.highlights if self.changes else [], self.limits.changes)

    def t(self, key: str, **values: object) -> str:
        """The site's word for `key` (ui_text.py)."""
        return ui(self.language, key, **values)

    def w(self, key: str, n: int | None = None, **values: object) -> str:
        """The pack's own word for `key`."""
        return words(self.language, key, n, **values)


def svg(chart: charts.Chart, fmt: Formatter, *, height: int | None = CHART_HEIGHT,
        colours: dict[str, str] | None = None) -> Markup:
    """The chart as an SVG document, drawn as the site draws it (chart_svg.py: the plan's number and date
    locales, each mark's tooltip as its title, kept in the user cache when the command plugs it in, `colours`
    the theme's as theme_colours.py maps them) at a fixed width since a PDF page has no container to fit;
    empty when vl-convert cannot draw it (the caption stays)."""
    spec = json.loads(json.dumps(chart.spec))  # a deep copy: the site's specs are shared, read-only
    spec["width"] = CHART_WIDTH
    spec.pop("autosize", None)
    if height is not None and "height" in spec:
        spec["height"] = height
    with chart_svg.drawn_now():
        drawn = chart_svg.draw_chart(spec, CHART_WIDTH, fmt)
    if drawn is None:
        return Markup("")
    # the SVG scales with the page (its viewBox stays); the figure's CSS gives the width
    drawn = Markup(recolour_drawing(drawn, colours or {}))
    end = drawn.index(">")
    root = drawn[:end].replace(" width=", " data-width=", 1).replace(" height=", " data-height=", 1)
    return Markup(root + drawn[end:])


def _changes(plan_dir: Path, state: PlanState, fmt: Formatter) -> Changes | None:
    """What changed since the newest version tag, or, when nothing did and that tag is the commit checked out
    (the publish workflow on a new tag), since the tag before it. None outside a git repository, without a
    tag, or when a side cannot be compared."""
    from ..diff.compare import PlanHasErrors, compare_revisions
    from ..diff.fields import counts
    from ..diff.headline import headline
    from ..read.gitsource import GitError, Repository
    from ..read.tags import list_versions

    try:
        versions = list_versions(plan_dir, state.plan.settings.version_tags).versions
        if not versions:
            return None
        last = versions[0]
        tag = None  # the checked-out tag whose own changes are shown
        repository = Repository.find(plan_dir)
        diff = compare_revisions(plan_dir, last.version, None, state.today)
        if not diff.changes and len(versions) > 1 and last.commit == repository.resolve("HEAD"):
            tag, last = last.version, versions[1]
            diff = compare_revisions(plan_dir, last.version, None, state.today)
        uncommitted = repository.has_uncommitted(plan_dir)
    except (GitError, PlanHasErrors, OSError):
        return None
    language = fmt.language
    shown = ", ".join(counts(diff.summary, language, entities=True))
    return Changes(language=language, version=last.version, counts=shown,
                   # every change named (the pack lists nothing below them), the summary keeps the first few
                   highlights=headline(diff, code=False, computed=True, limit=sys.maxsize).sentences,
                   uncommitted=uncommitted, tag=tag)


def gather(state: PlanState, plan_dir: Path | None, *, with_changes: bool = True,
           colours: dict[str, str] | None = None) -> PackContent:
    """Everything the pack shows, charts drawn. `plan_dir` (a folder in a git repository) gives the changes
    since the last tag."""
    settings = state.plan.settings
    fmt = Formatter(settings.language, settings.currency, settings.locale)
    at_risk = settings.rules.at_risk
    if colours is None:  # the site's chart colours
        colours = ThemeSetup(plan_dir, settings.theme).colours
    actions = action_rows(state, only_pressing=False)
    objectives = []
    for obj_state, _depth in objective_tree(state):
        obj = obj_state.objective
        kpis = []
        for ks in obj_state.kpis:
            chart = charts.kpi_chart(ks, fmt)
            kpis.append(KpiView(ks, explain.status_rule(ks, fmt, at_risk), svg(chart, fmt, colours=colours),
                                chart.description, explain.kpi_digits(ks, fmt), explain.kpi_gap(ks, fmt)))
        objectives.append(ObjectiveView(f"objective-{obj.id}", obj_state, kpis,
                                        [r for r in actions if r.objective.id == obj.id],
                                        # beside its status, as on the dashboard's card: KPIs not measured
                                        # yet, a daily figure's week, a due date passed and missed
                                        " · ".join(note for note in (explain.unmeasured_kpis(obj_state, fmt),
                                                                     explain.card_notes(obj_state, fmt)) if note)))
    funnels = []
    for fs in state.funnels.values():
        facts = explain.facts(fs, fmt)
        stage_gaps = explain.stage_gaps(fs, state.kpis, fmt)
        chart = charts.with_stage_gaps(charts.funnel_chart(fs, fmt), fs, stage_gaps, fmt)
        funnels.append(FunnelView(f"funnel-{fs.funnel.id}", fs, facts["unit"], facts["projection"],
                                  facts["diagnosis"], svg(chart, fmt, height=None, colours=colours),
                                  chart.description, stage_gaps))
    views = {view.state.objective.id: view for view in objectives}
    weakest = [views[o.objective.id] for o in worst_first([view.state for view in objectives], settings.period_end)]
    pressing = action_rows(state, only_pressing=True)
    changes = _changes(plan_dir, state, fmt) if with_changes and plan_dir is not None else None
    return PackContent(language=settings.language, fmt=fmt, state=state,
                       counts=status_counts(list(state.objectives.values())), objectives=objectives,
                       weakest_first=weakest, funnels=funnels, pressing=pressing, changes=changes)


def when(row: ActionRow, language: str) -> str:
    """"3 jours de retard", "dans 12 jours"."""
    if row.days is None:
        return ""
    if row.days < 0:
        return words(language, "late_by", -row.days)
    if row.days == 0:
        return words(language, "due_today")
    return words(language, "due_in", row.days)


__all__ = ["PackContent", "gather", "svg", "when", "words"]


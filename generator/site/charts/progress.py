"""The objectives' progress: a bar per objective coloured by status, a tick at the progress expected at the date
of its KPIs' latest measurements (compute.py: today once they are overdue)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...plan.i18n import Formatter
from .. import palette
from ..attention import worst_first
from ..explain import unmeasured_kpis
from .common import PERCENT_AXIS, STATUS_ORDER, Chart, Table, Words, _finite, _series_scale, _unique
from .shapes import _data, _shape

if TYPE_CHECKING:
    from ...plan.compute import PlanState

WORDS = Words("progress")  # its words: chart.progress.* in plan/messages_*_charts.py

PROGRESS_MAX = 1.2  # bars stop at 120 %; the true value stays in the tooltip and the table
# how far past a bar's end its value label reaches ("100 %" and its gap), as a share of the axis, on a phone's
# narrow drawing (the widest in axis units): a tick of the expected progress closer than this would cross it
LABEL_SPAN = 0.3


@_shape
def _progress_spec(alt: Any, lang: str, objectives: tuple[str, ...], present: tuple[str, ...],
                   domain: tuple[str, ...]) -> Any:
    """The progress chart of `objectives` (top first), statuses `present` labelled `domain`; the datasets
    are the objectives' rows and the one row of the 100 % rule."""
    y = alt.Y("objective:N", title=None, sort=list(objectives))
    # the axis goes a little past the clamp so that the label of a full bar still fits
    x_scale = alt.Scale(domain=[0, PROGRESS_MAX + 0.15], nice=False)
    tooltip = [alt.Tooltip("objective:N", title=WORDS.t(lang, "objective")),
               alt.Tooltip("progress_label:N", title=WORDS.t(lang, "progress")),
               alt.Tooltip("expected_label:N", title=WORDS.t(lang, "expected_progress")),
               alt.Tooltip("status:N", title=WORDS.t(lang, "status"))]
    base = alt.Chart(_data(alt, 0)).encode(y=y)
    bars = base.mark_bar().encode(
        x=alt.X("progress:Q", title=WORDS.t(lang, "progress"), scale=x_scale,
                axis=alt.Axis(format=PERCENT_AXIS, values=[i / 5 for i in range(7)])),
        color=alt.Color("status:N", title=WORDS.t(lang, "status"), sort=list(domain),
                        scale=_series_scale(alt, list(domain), [palette.STATUS_COLOURS[s] for s in present])),
        tooltip=tooltip)
    # the tick and the 100 % rule are said in a legend of their own, each drawn by its symbol (a vertical line)
    marks = [WORDS.t(lang, "expected_at_latest"), WORDS.t(lang, "full_progress")]
    key = alt.Legend(title=None, orient="top", direction="horizontal", symbolType="M0,-1L0,1", symbolSize=160,
                     symbolStrokeWidth=2)
    dash = alt.StrokeDash("mark:N", scale=alt.Scale(domain=marks, range=[[1, 0], [3, 3]]), legend=key)
    stroke = alt.Stroke("mark:N", scale=alt.Scale(domain=marks, range=[palette.INK, palette.ACCENT_LIGHT]),
                        legend=key)
    # both drawn as their legend symbols: an opaque tick (Vega-Lite's default 0.7 is dark on a bar, grey off it)
    # and a rule as wide as the symbol's stroke
    ticks = base.mark_tick(thickness=2, size=22, opacity=1).encode(
        x=alt.X("expected:Q", scale=x_scale), tooltip=tooltip, stroke=stroke, strokeDash=dash)
    full = alt.Chart(_data(alt, 1)).mark_rule(strokeWidth=2).encode(x=alt.X("full:Q", scale=x_scale), stroke=stroke,
                                                                   strokeDash=dash)
    labels = base.mark_text(align="left", baseline="middle", dx=6).encode(
        x=alt.X("label_at:Q"), text=alt.Text("progress_label:N"))
    return alt.LayerChart(layer=[], height=max(60, 34 * len(objectives))), [full, bars, ticks, labels]


def _label_at(shown: float, expected: float) -> float:
    """Where a bar's value label starts: at the bar's end, or just past the tick of the expected progress when
    that tick would cross the label ("88%" read "8|8%")."""
    tick = min(PROGRESS_MAX, max(0.0, expected))
    return tick if shown - 0.01 <= tick < shown + LABEL_SPAN else shown


def progress_chart(plan: PlanState, fmt: Formatter) -> Chart:
    """One bar per objective of its progress, coloured by status, with a tick at its expected progress, in the
    order of the dashboard's cards (weakest first), so that a reader finds each bar where its card is."""
    ordered = worst_first(list(plan.objectives.values()), plan.plan.settings.period_end)
    return progress_chart_of(plan, fmt, [o.objective.id for o in ordered])


def progress_chart_of(plan: PlanState, fmt: Formatter, only: list[str] | None) -> Chart:
    """The progress chart of the objectives `only`, in this order (the dashboard's, of a large plan); all
    of them when None. Not in the registry (so made afresh by each build): a registered chart is drawn from
    one value, this one also from the list `only`."""
    drawn = [(oid, plan.objectives[oid]) for oid in only] if only is not None else list(plan.objectives.items())
    titles = _unique((oid, o.objective.title) for oid, o in drawn)
    records = []
    rows: list[list[str]] = []
    partly_measured: list[str] = []  # "“Launch the app”: 1 of 2 KPIs not measured yet, its bar is …", under it
    statuses: dict[str, int] = {}
    for oid, obj in drawn:
        expected = obj.expected_progress
        progress = obj.progress if _finite(obj.progress) else None
        shown = 0.0 if progress is None else min(PROGRESS_MAX, max(0.0, progress))
        status = fmt.label(obj.status)
        statuses[obj.status] = statuses.get(obj.status, 0) + 1
        record: dict[str, Any] = {"objective": titles[oid], "progress": shown, "expected": expected, "status": status,
                  "progress_label": fmt.percent(progress), "expected_label": fmt.percent(expected),
                  "label_at": _label_at(shown, expected),
                  "mark": WORDS.text(fmt, "expected_at_latest")}
        records.append(record)
        # "68% (1 of 2 KPIs not measured yet)": the bar is the measured KPIs' mean; said in the table only,
        # the drawing (its spec, its cache key) is the same as an objective's whose KPIs are all measured
        unmeasured = unmeasured_kpis(obj, fmt)
        progress_cell = f"{record['progress_label']} ({unmeasured})" if unmeasured else record["progress_label"]
        if unmeasured:
            measured = sum(1 for k in obj.kpis if k.progress is not None)
            partly_measured.append(WORDS.text(fmt, "unmeasured_note", objective=obj.objective.title,
                                              unmeasured=unmeasured, count=measured))
        rows.append([obj.objective.title, progress_cell, record["expected_label"], status])

    present = tuple(s for s in STATUS_ORDER if s in statuses)
    spec = _progress_spec(fmt.language, tuple(r["objective"] for r in records), present,
                          tuple(fmt.label(s) for s in present),
                          data=[records, [{"full": 1, "mark": WORDS.text(fmt, "full_progress")}]])

    headers = [WORDS.text(fmt, k) for k in ("objective", "progress", "expected_progress", "status")]
    date = fmt.date(plan.today)
    table = Table(caption=WORDS.text(fmt, "progress_caption", date=date), headers=headers, rows=rows)
    if records:  # the tick is not "today's" expectation: each KPI's is read on its latest measurement's date
        table.note = " ".join([WORDS.text(fmt, "expected_note"), *partly_measured])
    if records:
        summary = ", ".join(WORDS.text(fmt, "objectives_count", count=statuses[s], label=fmt.label(s)) for s in present)
        description = WORDS.text(fmt, "progress_desc", count=len(records), date=date, summary=summary)
    else:
        description = WORDS.text(fmt, "progress_desc_empty")
    return Chart(id="objectives-progress", spec=spec, table=table, description=description)


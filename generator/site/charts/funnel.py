"""A funnel's chart: each stage's need by the due date, top stage first, with the need to date and the actual
volume so far beside it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...plan.i18n import Formatter, whole_needed
from .. import palette
from .common import (
    COUNT_AXIS,
    LABEL_GAP_PX,
    Chart,
    Table,
    Words,
    _finite,
    _series_scale,
    _unique,
    compact_labels,
    label_ends,
    label_options,
    room_for_labels,
)
from .shapes import _data, _shape

if TYPE_CHECKING:
    from ...plan.compute import FunnelState

WORDS = Words("funnel")  # its words: chart.funnel.* in plan/messages_*_charts.py

FUNNEL_SERIES = ("need_by_due", "need_to_date", "actual_to_date")  # the bars of a stage, top to bottom
FUNNEL_COLOURS = {"need_by_due": palette.ACCENT_LIGHT, "need_to_date": palette.ACCENT_MID,
                  "actual_to_date": palette.ACCENT}


@_shape
def _funnel_spec(alt: Any, lang: str, order: tuple[str, ...], series: tuple[str, ...],
                 ends: tuple[tuple[float, int], ...], labels: str | None = None) -> Any:
    """The funnel chart of stages `order` (top first); one dataset: for each stage, the bars of `series`.
    `ends` are the long bars' values with the length of their labels (`label_ends`)."""
    domain = [WORDS.t(lang, key) for key in series]
    y = alt.Y("stage:N", title=None, sort=list(order))
    domain_max = room_for_labels(ends)  # room on the right of each long bar for its label
    # about five round ticks, every other one hidden where they would overlap: left to Vega, a narrow axis
    # dropped overlapping labels unevenly (0, 500, 1,500…; 0, 5,000, 10,000, 20,000)
    x = alt.X("value:Q", title=WORDS.t(lang, "volume"),
              axis=alt.Axis(format=COUNT_AXIS, tickMinStep=1, tickCount=5, labelOverlap="parity",
                            **label_options(labels)),
              scale=alt.Scale(domainMax=domain_max, nice=True))
    offset = alt.YOffset("series:N", sort=domain)
    colour = alt.Color("series:N", title=None, sort=domain,
                       scale=_series_scale(alt, domain, [FUNNEL_COLOURS[key] for key in series]),
                       legend=alt.Legend(orient="bottom", direction="vertical") if len(series) > 1 else None)
    tooltip = [alt.Tooltip("stage:N", title=WORDS.t(lang, "stage")),
               alt.Tooltip("series:N", title=WORDS.t(lang, "series")),
               alt.Tooltip("label:N", title=WORDS.t(lang, "volume"))]
    base = alt.Chart(_data(alt, 0)).encode(y=y, x=x, yOffset=offset)
    bars = base.mark_bar().encode(color=colour, tooltip=tooltip)
    labels = base.mark_text(align="left", baseline="middle", dx=LABEL_GAP_PX).encode(text=alt.Text("label:N"))
    per_stage = 14 * len(series) + 16
    return alt.LayerChart(layer=[], height=per_stage * len(order) + 8), [bars, labels]


def funnel_chart(state: FunnelState, fmt: Formatter) -> Chart:
    """Horizontal bars of each stage's need by the due date, top stage first, with the need to date and the
    actual volume so far beside it (once the funnel has measurements)."""
    funnel = state.funnel
    titles = _unique((st.stage.id, st.stage.title) for st in state.stages)
    has_actuals = any(_finite(st.actual) for st in state.stages)
    series = FUNNEL_SERIES if has_actuals else FUNNEL_SERIES[:1]
    names = {key: WORDS.text(fmt, key) for key in series}
    records: list[dict[str, Any]] = []
    for st in state.stages:
        # the need to date is whole things to reach, rounded up as the prose says it ("12", not "11,1")
        to_date = None
        if st.need_to_date is not None and _finite(st.need_to_date):
            to_date = whole_needed(st.need_to_date)
        values = {"need_by_due": float(st.need), "need_to_date": to_date, "actual_to_date": st.actual}
        for key in series:
            value = values[key]
            if _finite(value):
                assert value is not None
                label = fmt.volume(value) if key == "actual_to_date" else fmt.number(value, 0)
                records.append({"stage": titles[st.stage.id], "series": names[key], "value": value, "label": label})
    order = tuple(titles[st.stage.id] for st in state.stages)
    widest = max((r["value"] for r in records), default=1.0)
    ends = label_ends([(r["value"], r["label"]) for r in records], widest)
    spec = _funnel_spec(fmt.language, order, series, ends, compact_labels(fmt, widest * 1.15), data=[records])
    rows = []
    for i, st in enumerate(state.stages):
        rows.append([
            st.stage.title,
            fmt.rate(float(st.stage.rate) if i and st.stage.rate is not None else None),
            fmt.number(float(st.need)),
            fmt.needed(st.need_to_date),
            fmt.volume(st.actual) if _finite(st.actual) else "–",
            fmt.rate(st.observed_rate),
        ])
    headers = [WORDS.text(fmt, k) for k in ("stage", "planned_rate", "need_by_due", "need_to_date", "actual_to_date",
                                       "observed_rate")]
    table = Table(caption=WORDS.text(fmt, "funnel_caption", title=funnel.title), headers=headers, rows=rows)
    bottleneck = ""
    if state.bottleneck is not None:
        stage_title = next(st.stage.title for st in state.stages if st.stage.id == state.bottleneck)
        bottleneck = WORDS.text(fmt, "funnel_desc_bottleneck", stage=stage_title)
    first, last = state.stages[0], state.stages[-1]
    description = WORDS.text(fmt, "funnel_desc", title=funnel.title, top=fmt.number(float(first.need)),
                        top_stage=first.stage.title, goal=fmt.number(float(last.need)),
                        last_stage=last.stage.title, bottleneck=bottleneck)
    return Chart(id=f"funnel-{funnel.id}", spec=spec, table=table, description=description)


_ACTUAL_COLUMN = 4  # the table's "actual so far" column (funnel_chart's rows)


def with_stage_gaps(chart: Chart, state: FunnelState, gaps: Mapping[str, str], fmt: Formatter) -> Chart:
    """`chart` with the periods missing from its stages' volumes (`gaps`, by stage id: explain.stage_gaps) said
    where a reader of its table or of its description alone meets the volume, in the same words as the funnel
    page: "3 (no measurement for June 2026, counted as nothing)". A copy: the chart made may be the render
    memo's, which a page's gaps (read from the KPIs' rows, not from the funnel's state) must not change."""
    noted = [(i, st) for i, st in enumerate(state.stages) if gaps.get(st.stage.id)]
    if not noted:
        return chart
    rows = [list(row) for row in chart.table.rows]
    for i, st in noted:
        rows[i][_ACTUAL_COLUMN] = f"{rows[i][_ACTUAL_COLUMN]} ({gaps[st.stage.id]})"
    said = " ".join(WORDS.text(fmt, "stage_gap", stage=st.stage.title, note=gaps[st.stage.id]) for _, st in noted)
    return dataclasses.replace(chart, table=dataclasses.replace(chart.table, rows=rows),
                               description=f"{chart.description} {said}")


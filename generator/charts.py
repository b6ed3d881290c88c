"""Vega-Lite specs of the site's charts, built with Altair under one registered theme.

Each builder is a pure function of computed state and a `Formatter`: it returns a `Chart` holding
the spec (data inlined as values), a `Table` with the same numbers for screen readers and readers
without JavaScript, and a one-sentence description for `aria-label`.

Numbers and dates inside the specs are formatted two ways, on purpose:
- axes use d3 format strings (",.2~f", "%b %Y"); the page hands vega-embed the locales built by
  `Formatter.vega_format_locale()` / `vega_time_locale()`, so axes get the plan's separators and months;
- tooltips and mark labels use strings already formatted by the Formatter, the very strings of the
  table, so a reader sees the same "1 250" in the chart, the table and the prose.

The specs are plain dicts in the exact shape Altair's `to_dict()` gives for the same charts (keys in
its order), built directly: Altair costs 0.3 s to import and about 2 ms a chart to serialise even
without validation, most of a large site's build. The tests validate every builder's output against
the Vega-Lite schema once, instead of each chart at build time.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import palette
from .i18n import Formatter

if TYPE_CHECKING:
    from .compute import FunnelState, KpiState, PlanState

HEIGHT = 260  # px; the width follows the container
STATUS_ORDER = ("achieved", "on-track", "at-risk", "off-track", "no-data")  # legend order, best first

NUMBER_AXIS = ",.2~f"  # d3: grouped, at most two decimals, trailing zeros trimmed (as Formatter.number)
COUNT_AXIS = ",.0f"
PERCENT_AXIS = ".0%"
MONEY_AXIS = "$,.0f"  # the currency symbol and its side come from the format locale
DATE_AXIS = "%b %Y"

DASH_EXPECTED = [6, 4]
DASH_FORECAST = [2, 3]
SOLID: list[int] = []

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "measured": "Mesures", "expected": "Trajectoire attendue", "forecast": "Prévision", "target": "Cible",
        "target_label": "Cible : {value}",
        "date": "Date", "value": "Valeur", "series": "Série",
        "stage": "Étape", "need": "Besoin", "actual": "Réel", "volume": "Volume",
        "planned_rate": "Taux prévu", "observed_rate": "Taux observé",
        "objective": "Objectif", "progress": "Avancement", "expected_progress": "Avancement attendu",
        "status": "Statut",
        "category": "Catégorie", "solutions": "Solutions", "yearly_cost": "Coût annuel",
        "kpi": "Indicateur", "version": "Version", "target_value": "Cible",
        "kpi_caption": "{title} ({unit})",
        "kpi_desc": "{title} : {actual} au {date} ({status}), cible {target} au {due}{forecast}.",
        "kpi_desc_forecast": ", prévision {value} à cette date",
        "kpi_desc_empty": "{title} : pas encore de mesure, cible {target} au {due}.",
        "funnel_caption": "{title} : volume nécessaire à chaque étape",
        "funnel_desc": "{title} : il faut {top} « {top_stage} » pour atteindre {goal} « {last_stage} »{bottleneck}.",
        "funnel_desc_bottleneck": " ; goulot d'étranglement : « {stage} »",
        "progress_caption": "Avancement des objectifs au {date}",
        "progress_desc": "Avancement de {count} objectifs au {date} : {summary}.",
        "progress_desc_empty": "Aucun objectif dans le plan.",
        "budget_caption": "Coût annuel des solutions par catégorie (total : {total})",
        "budget_desc": "Coût annuel des solutions : {total} au total, dont {top} pour « {category} ».",
        "budget_desc_empty": "Aucune solution chiffrée dans le plan.",
        "history_caption": "Cibles des indicateurs selon les versions du plan",
        "history_desc": "Évolution des cibles de {count} indicateurs sur {versions} versions du plan.",
        "history_desc_empty": "Aucune cible à comparer entre versions.",
        "objectives_count": "{count} {label}",
    },
    "en": {
        "measured": "Measurements", "expected": "Expected path", "forecast": "Forecast", "target": "Target",
        "target_label": "Target: {value}",
        "date": "Date", "value": "Value", "series": "Series",
        "stage": "Stage", "need": "Needed", "actual": "Actual", "volume": "Volume",
        "planned_rate": "Planned rate", "observed_rate": "Observed rate",
        "objective": "Objective", "progress": "Progress", "expected_progress": "Expected progress",
        "status": "Status",
        "category": "Category", "solutions": "Solutions", "yearly_cost": "Yearly cost",
        "kpi": "KPI", "version": "Version", "target_value": "Target",
        "kpi_caption": "{title} ({unit})",
        "kpi_desc": "{title}: {actual} on {date} ({status}), target {target} by {due}{forecast}.",
        "kpi_desc_forecast": ", forecast {value} by then",
        "kpi_desc_empty": "{title}: no measurement yet, target {target} by {due}.",
        "funnel_caption": "{title}: volume needed at each stage",
        "funnel_desc": "{title}: {top} “{top_stage}” are needed to reach {goal} “{last_stage}”{bottleneck}.",
        "funnel_desc_bottleneck": "; bottleneck: “{stage}”",
        "progress_caption": "Progress of the objectives on {date}",
        "progress_desc": "Progress of {count} objectives on {date}: {summary}.",
        "progress_desc_empty": "The plan has no objective.",
        "budget_caption": "Yearly cost of the solutions by category (total: {total})",
        "budget_desc": "Yearly cost of the solutions: {total} in all, of which {top} for “{category}”.",
        "budget_desc_empty": "The plan has no costed solution.",
        "history_caption": "KPI targets across the plan's versions",
        "history_desc": "How the targets of {count} KPIs changed over {versions} versions of the plan.",
        "history_desc_empty": "No target to compare across versions.",
        "objectives_count": "{count} {label}",
    },
}


@dataclass
class Table:
    """The same numbers as the chart, for screen readers and readers without JavaScript."""

    caption: str
    headers: list[str]
    rows: list[list[str]]  # already formatted with the Formatter (plan language)


@dataclass
class Chart:
    id: str  # unique within a page and stable, e.g. "kpi-leads-qualifies", "funnel-acquisition"
    spec: dict[str, Any]  # Vega-Lite spec, JSON-serialisable, data inlined as values
    table: Table
    description: str  # one sentence for aria-label, in the plan language


# --- theme and helpers ---------------------------------------------------------------------


def theme() -> dict[str, Any]:
    """The chart theme: the site's palette and font, no border, light grid, muted axes."""
    muted = {"labelColor": palette.MUTED, "titleColor": palette.MUTED}
    return {
        "width": "container",
        "height": HEIGHT,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "background": "transparent",
        "padding": 4,
        "config": {
            "font": palette.FONT,
            "view": {"stroke": None, "continuousHeight": HEIGHT},
            "axis": {**muted, "gridColor": palette.GRID, "domainColor": palette.GRID, "tickColor": palette.GRID,
                     "labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal", "labelLimit": 240,
                     "titlePadding": 8},
            "axisX": {"grid": False, "labelOverlap": "greedy", "labelSeparation": 8},
            "axisY": {"grid": True},
            "axisBand": {"grid": False, "ticks": False, "domain": False, "labelColor": palette.INK,
                         "labelPadding": 6},
            "legend": {**muted, "orient": "bottom", "labelFontSize": 12, "titleFontSize": 12,
                       "titleFontWeight": "normal", "symbolStrokeWidth": 2, "labelLimit": 260},
            "title": {"color": palette.INK, "fontSize": 14, "fontWeight": 600, "anchor": "start"},
            "range": {"category": palette.CATEGORY},
            "line": {"strokeWidth": 2, "color": palette.ACCENT},
            "point": {"filled": True, "size": 45, "color": palette.ACCENT},
            "bar": {"color": palette.ACCENT, "cornerRadiusEnd": 2},
            "tick": {"color": palette.INK},
            "rule": {"color": palette.MUTED},
            "text": {"color": palette.INK, "fontSize": 11},
        },
    }


# The Vega-Lite version of the schema Altair 6.3 targets, and of the bundle the pages load
# (tests/test_charts.py checks it against `altair.SCHEMA_URL`).
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.4.1.json"


def _field(field: str, kind: str, **props: Any) -> dict[str, Any]:
    """An encoding channel (`kind` is nominal, quantitative, temporal or ordinal); `None` is an
    explicit null (e.g. no title). Keys sorted, as Altair writes them."""
    return dict(sorted({"field": field, "type": kind, **props}.items()))


def _mark(kind: str, **props: Any) -> dict[str, Any]:
    return {"type": kind, **dict(sorted(props.items()))}


def _layer(values: list[dict[str, Any]], mark: dict[str, Any], **encoding: Any) -> dict[str, Any]:
    return {"data": {"values": values}, "mark": mark, "encoding": dict(sorted(encoding.items()))}


def _spec(body: dict[str, Any], *, height: int | None = None) -> dict[str, Any]:
    """A top-level spec under the site theme: the theme's sizes and config, then `body`."""
    spec = theme()
    if height is not None:
        spec["height"] = height
    spec.update(body)
    spec["$schema"] = SCHEMA_URL
    return spec


def _scale(domain: list[str], colours: list[Any]) -> dict[str, Any]:
    return {"domain": domain, "range": colours}


def _text(fmt: Formatter, key: str, **values: object) -> str:
    texts = TEXTS.get(fmt.language, TEXTS["en"])
    return texts[key].format(**values)


def _when(day: dt.date) -> str:
    """A date as Vega reads it in local time (a bare YYYY-MM-DD would be UTC midnight, shown as the
    previous day west of Greenwich)."""
    return day.isoformat() + "T00:00:00"


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _with_unit(text: str, unit: str | None, fmt: Formatter) -> str:
    if not unit:
        return text
    if unit == "%":  # as Formatter.percent writes it
        return text + ("\u202f%" if fmt.language == "fr" else "%")
    return f"{text}\u00a0{unit}"


def _unique(labels: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Display labels by id, with the id appended where two titles are the same (axis categories
    must be distinct)."""
    pairs = list(labels)
    seen: dict[str, int] = {}
    for _, label in pairs:
        seen[label] = seen.get(label, 0) + 1
    return {key: (f"{label} ({key})" if seen[label] > 1 else label) for key, label in pairs}


# --- KPI -----------------------------------------------------------------------------------


def kpi_chart(state: KpiState, fmt: Formatter) -> Chart:
    """Measurements (running total for cumulative KPIs) coloured by status, the expected path, the
    target at the due date and the linear forecast."""
    kpi = state.kpi
    status_colour = palette.STATUS_COLOURS.get(state.status, palette.ACCENT)
    names = {key: _text(fmt, key) for key in ("measured", "expected", "forecast", "target")}

    def record(key: str, day: dt.date, value: float) -> dict[str, Any]:
        return {"series": names[key], "date": _when(day), "value": value,
                "date_label": fmt.date(day), "value_label": _with_unit(fmt.number(value), kpi.unit, fmt)}

    measured = [record("measured", d, v) for d, v in state.points if _finite(v)]
    expected = []
    if _finite(state.baseline):
        assert state.baseline is not None
        expected = [record("expected", state.start, state.baseline), record("expected", state.due, kpi.target)]
    forecast = []
    if (_finite(state.forecast) and state.actual_date is not None and state.actual is not None
            and state.actual_date < state.due):
        assert state.forecast is not None
        forecast = [record("forecast", state.actual_date, state.actual), record("forecast", state.due, state.forecast)]
    target = [record("target", state.due, kpi.target)] if _finite(kpi.target) else []
    for row in target:
        row["text"] = _text(fmt, "target_label", value=row["value_label"])

    present = [(key, rows) for key, rows in (("measured", measured), ("expected", expected),
                                             ("forecast", forecast), ("target", target)) if rows]
    colours = {"measured": status_colour, "expected": palette.ACCENT_LIGHT, "forecast": status_colour,
               "target": palette.TARGET}
    dashes = {"measured": SOLID, "expected": DASH_EXPECTED, "forecast": DASH_FORECAST, "target": SOLID}
    domain = [names[key] for key, _ in present]
    colour = _field("series", "nominal", title=None, scale=_scale(domain, [colours[k] for k, _ in present]),
                    sort=domain, legend={"symbolSize": 400, "symbolStrokeWidth": 2.5, "symbolType": "stroke"})
    dash = _field("series", "nominal", title=None, sort=domain, scale=_scale(domain, [dashes[k] for k, _ in present]))
    x = _field("date", "temporal", title=None, axis={"format": DATE_AXIS})
    y = _field("value", "quantitative", title=kpi.unit or _text(fmt, "value"), scale={"nice": True, "zero": False},
               axis={"format": NUMBER_AXIS})
    tooltip = [_field("series", "nominal", title=_text(fmt, "series")),
               _field("date_label", "nominal", title=_text(fmt, "date")),
               _field("value_label", "nominal", title=_text(fmt, "value"))]

    layers = []
    if expected:
        layers.append(_layer(expected, _mark("line"), x=x, y=y, color=colour, strokeDash=dash, tooltip=tooltip))
    if forecast:
        layers.append(_layer(forecast, _mark("line"), x=x, y=y, color=colour, strokeDash=dash, tooltip=tooltip))
    if measured:
        layers.append(_layer(measured, _mark("line", point=True), x=x, y=y, color=colour, strokeDash=dash,
                             tooltip=tooltip))
    if target:
        layers.append(_layer(target, _mark("point", shape="diamond", size=90, filled=True),
                             x=x, y=y, color=colour, tooltip=tooltip))
        layers.append(_layer(target, _mark("text", align="right", baseline="bottom", dx=-6, dy=-6, fontWeight=600),
                             x=x, y=y, text=_field("text", "nominal")))
    spec = _spec({"layer": layers})

    rows = [[row["series"], row["date_label"], row["value_label"]] for _, group in present for row in group]
    caption = _text(fmt, "kpi_caption", title=kpi.title, unit=kpi.unit) if kpi.unit else kpi.title
    table = Table(caption=caption, headers=[_text(fmt, "series"), _text(fmt, "date"), _text(fmt, "value")],
                  rows=rows)
    target_text = _with_unit(fmt.number(kpi.target), kpi.unit, fmt)
    if measured and state.actual is not None:
        forecast_text = ""
        if forecast:
            forecast_text = _text(fmt, "kpi_desc_forecast", value=forecast[-1]["value_label"])
        description = _text(fmt, "kpi_desc", title=kpi.title, actual=measured[-1]["value_label"],
                            date=measured[-1]["date_label"], status=fmt.label(state.status), target=target_text,
                            due=fmt.date(state.due), forecast=forecast_text)
    else:
        description = _text(fmt, "kpi_desc_empty", title=kpi.title, target=target_text, due=fmt.date(state.due))
    return Chart(id=f"kpi-{kpi.id}", spec=spec, table=table, description=description)


# --- funnel --------------------------------------------------------------------------------


def _rate_text(rate: float | None, fmt: Formatter) -> str:
    if rate is None:
        return "–"
    whole = abs(rate * 100 - round(rate * 100)) < 1e-9
    return fmt.percent(rate, 0 if whole else 1)


def funnel_chart(state: FunnelState, fmt: Formatter) -> Chart:
    """Horizontal bars of each stage's need, top stage first, with the actual volume beside it."""
    funnel = state.funnel
    titles = _unique((st.stage.id, st.stage.title) for st in state.stages)
    need_name, actual_name = _text(fmt, "need"), _text(fmt, "actual")
    records: list[dict[str, Any]] = []
    for st in state.stages:
        need = float(st.need)
        records.append({"stage": titles[st.stage.id], "series": need_name, "value": need,
                        "label": fmt.number(need)})
        if _finite(st.actual):
            assert st.actual is not None
            records.append({"stage": titles[st.stage.id], "series": actual_name, "value": st.actual,
                            "label": fmt.number(st.actual)})
    has_actuals = any(r["series"] == actual_name for r in records)
    domain = [need_name, actual_name] if has_actuals else [need_name]
    order = [titles[st.stage.id] for st in state.stages]

    y = _field("stage", "nominal", title=None, sort=order)
    # room on the right for the label of the longest bar
    widest = max((r["value"] for r in records), default=1.0)
    x = _field("value", "quantitative", title=_text(fmt, "volume"), axis={"format": COUNT_AXIS, "tickMinStep": 1},
               scale={"domainMax": widest * 1.15, "nice": True})
    offset = _field("series", "nominal", sort=domain)
    colour = _field("series", "nominal", title=None, sort=domain,
                    scale=_scale(domain, [palette.ACCENT, palette.ACCENT_LIGHT][: len(domain)]),
                    legend={} if has_actuals else None)
    tooltip = [_field("stage", "nominal", title=_text(fmt, "stage")),
               _field("series", "nominal", title=_text(fmt, "series")),
               _field("label", "nominal", title=_text(fmt, "volume"))]
    bars = _layer(records, _mark("bar"), y=y, x=x, yOffset=offset, color=colour, tooltip=tooltip)
    labels = _layer(records, _mark("text", align="left", baseline="middle", dx=4), y=y, x=x, yOffset=offset,
                    text=_field("label", "nominal"))
    per_stage = 44 if has_actuals else 30
    spec = _spec({"layer": [bars, labels]}, height=per_stage * len(state.stages) + 8)

    rows = []
    for i, st in enumerate(state.stages):
        rows.append([
            st.stage.title,
            _rate_text(float(st.stage.rate) if i and st.stage.rate is not None else None, fmt),
            fmt.number(float(st.need)),
            fmt.number(st.actual) if _finite(st.actual) else "–",
            _rate_text(st.observed_rate, fmt),
        ])
    headers = [_text(fmt, k) for k in ("stage", "planned_rate", "need", "actual", "observed_rate")]
    table = Table(caption=_text(fmt, "funnel_caption", title=funnel.title), headers=headers, rows=rows)
    bottleneck = ""
    if state.bottleneck is not None:
        stage_title = next(st.stage.title for st in state.stages if st.stage.id == state.bottleneck)
        bottleneck = _text(fmt, "funnel_desc_bottleneck", stage=stage_title)
    first, last = state.stages[0], state.stages[-1]
    description = _text(fmt, "funnel_desc", title=funnel.title, top=fmt.number(float(first.need)),
                        top_stage=first.stage.title, goal=fmt.number(float(last.need)),
                        last_stage=last.stage.title, bottleneck=bottleneck)
    return Chart(id=f"funnel-{funnel.id}", spec=spec, table=table, description=description)


# --- objectives' progress ------------------------------------------------------------------

PROGRESS_MAX = 1.2  # bars stop at 120 %; the true value stays in the tooltip and the table


def _time_share(start: dt.date, end: dt.date, day: dt.date) -> float:
    span = (end - start).days
    if span <= 0:
        return 1.0
    return min(1.0, max(0.0, (day - start).days / span))


def progress_chart(plan: PlanState, fmt: Formatter) -> Chart:
    """One bar per objective of its progress, coloured by status, with a tick at the progress
    expected today."""
    settings = plan.plan.settings
    titles = _unique((oid, o.objective.title) for oid, o in plan.objectives.items())
    records = []
    rows = []
    statuses: dict[str, int] = {}
    for oid, obj in plan.objectives.items():
        if obj.kpis:
            expected = sum(k.expected_progress for k in obj.kpis) / len(obj.kpis)
        else:
            due = obj.objective.due or settings.period_end
            expected = _time_share(settings.period_start, due, plan.today)
        progress = obj.progress if _finite(obj.progress) else None
        shown = 0.0 if progress is None else min(PROGRESS_MAX, max(0.0, progress))
        status = fmt.label(obj.status)
        statuses[obj.status] = statuses.get(obj.status, 0) + 1
        record = {"objective": titles[oid], "progress": shown, "expected": expected, "status": status,
                  "progress_label": fmt.percent(progress), "expected_label": fmt.percent(expected)}
        records.append(record)
        rows.append([obj.objective.title, record["progress_label"], record["expected_label"], status])

    present = [s for s in STATUS_ORDER if s in statuses]
    domain = [fmt.label(s) for s in present]
    y = _field("objective", "nominal", title=None, sort=[r["objective"] for r in records])
    # the axis goes a little past the clamp so that the label of a full bar still fits
    x_scale = {"domain": [0, PROGRESS_MAX + 0.15], "nice": False}
    tooltip = [_field("objective", "nominal", title=_text(fmt, "objective")),
               _field("progress_label", "nominal", title=_text(fmt, "progress")),
               _field("expected_label", "nominal", title=_text(fmt, "expected_progress")),
               _field("status", "nominal", title=_text(fmt, "status"))]
    bars = _layer(records, _mark("bar"), y=y, tooltip=tooltip,
                  x=_field("progress", "quantitative", title=_text(fmt, "progress"), scale=x_scale,
                           axis={"format": PERCENT_AXIS, "values": [i / 5 for i in range(7)]}),
                  color=_field("status", "nominal", title=_text(fmt, "status"), sort=domain,
                               scale=_scale(domain, [palette.STATUS_COLOURS[s] for s in present])))
    ticks = _layer(records, _mark("tick", thickness=2, size=22), y=y, tooltip=tooltip,
                   x=_field("expected", "quantitative", scale=x_scale))
    full = _layer([{"full": 1}], _mark("rule", strokeDash=[3, 3], color=palette.ACCENT_LIGHT),
                  x=_field("full", "quantitative", scale=x_scale))
    labels = _layer(records, _mark("text", align="left", baseline="middle", dx=4), y=y,
                    x=_field("progress", "quantitative"), text=_field("progress_label", "nominal"))
    spec = _spec({"layer": [full, bars, ticks, labels]}, height=max(60, 34 * len(records)))

    headers = [_text(fmt, k) for k in ("objective", "progress", "expected_progress", "status")]
    date = fmt.date(plan.today)
    table = Table(caption=_text(fmt, "progress_caption", date=date), headers=headers, rows=rows)
    if records:
        summary = ", ".join(_text(fmt, "objectives_count", count=statuses[s], label=fmt.label(s)) for s in present)
        description = _text(fmt, "progress_desc", count=len(records), date=date, summary=summary)
    else:
        description = _text(fmt, "progress_desc_empty")
    return Chart(id="objectives-progress", spec=spec, table=table, description=description)


# --- solutions' budget ---------------------------------------------------------------------


def budget_chart(plan: PlanState, fmt: Formatter) -> Chart:
    """The yearly cost of the solutions by category (monthly × 12, yearly, one-off once), one
    segment per solution."""
    by_category: dict[str, list[tuple[str, float]]] = {}
    for solution in plan.plan.solutions.values():
        cost = solution.yearly_cost
        if _finite(cost) and cost > 0:
            by_category.setdefault(solution.category, []).append((solution.title, cost))
    totals = {cat: sum(c for _, c in items) for cat, items in by_category.items()}
    order = sorted(totals, key=lambda cat: (-totals[cat], fmt.label(cat)))
    names = {cat: fmt.label(cat) for cat in order}
    segments = [{"category": names[cat], "solution": title, "cost": cost, "cost_label": fmt.money(cost), "order": i}
                for cat in order for i, (title, cost) in enumerate(by_category[cat])]
    sums = [{"category": names[cat], "total": totals[cat], "total_label": fmt.money(totals[cat])} for cat in order]

    y = _field("category", "nominal", title=None, sort=[names[c] for c in order])
    x_title = f"{_text(fmt, 'yearly_cost')} ({fmt.currency_symbol})"
    colour = _field("category", "nominal", legend=None, sort=[names[c] for c in order],
                    scale=_scale([names[c] for c in order],
                                 [palette.CATEGORY[i % len(palette.CATEGORY)] for i in range(len(order))]))
    widest = max(totals.values(), default=1.0)
    x_scale = {"domainMax": widest * 1.2, "nice": True}  # room for the total's label
    bars = _layer(segments, _mark("bar", stroke="#ffffff", strokeWidth=1), y=y,
                  x=_field("cost", "quantitative", title=x_title, stack="zero", axis={"format": MONEY_AXIS},
                           scale=x_scale),
                  color=colour, detail=_field("solution", "nominal"), order=_field("order", "quantitative"),
                  tooltip=[_field("solution", "nominal", title=_text(fmt, "solutions")),
                           _field("category", "nominal", title=_text(fmt, "category")),
                           _field("cost_label", "nominal", title=_text(fmt, "yearly_cost"))])
    labels = _layer(sums, _mark("text", align="left", baseline="middle", dx=4), y=y,
                    x=_field("total", "quantitative"), text=_field("total_label", "nominal"))
    spec = _spec({"layer": [bars, labels]}, height=max(60, 34 * len(order)))

    total = fmt.money(sum(totals.values()))
    rows = [[names[cat], ", ".join(title for title, _ in by_category[cat]), fmt.money(totals[cat])] for cat in order]
    headers = [_text(fmt, k) for k in ("category", "solutions", "yearly_cost")]
    table = Table(caption=_text(fmt, "budget_caption", total=total), headers=headers, rows=rows)
    if order:
        description = _text(fmt, "budget_desc", total=total, top=fmt.money(totals[order[0]]), category=names[order[0]])
    else:
        description = _text(fmt, "budget_desc_empty")
    return Chart(id="solutions-budget", spec=spec, table=table, description=description)


# --- targets across versions ---------------------------------------------------------------


def target_history_chart(rows: list[dict[str, Any]], fmt: Formatter) -> Chart:
    """A line per KPI of its target across the plan's versions (oldest first).

    `rows`: {"version": str, "date": date, "kpi": str, "title": str, "target": float}.
    """
    usable = [r for r in rows if _finite(r.get("target"))]
    versions: dict[str, dt.date] = {}
    for r in usable:
        versions.setdefault(r["version"], r["date"])
    version_order = sorted(versions, key=lambda v: (versions[v], v))
    latest_title: dict[str, tuple[int, str]] = {}
    for r in usable:
        rank = version_order.index(r["version"])
        if r["kpi"] not in latest_title or rank >= latest_title[r["kpi"]][0]:
            latest_title[r["kpi"]] = (rank, r["title"])
    kpi_order = sorted(latest_title, key=lambda k: (latest_title[k][1], k))
    titles = _unique((k, latest_title[k][1]) for k in kpi_order)
    targets: dict[tuple[str, str], float] = {(r["kpi"], r["version"]): float(r["target"]) for r in usable}
    records = [{"version": v, "kpi": titles[k], "target": targets[(k, v)], "target_label": fmt.number(targets[(k, v)]),
                "date_label": fmt.date(versions[v])}
               for k in kpi_order for v in version_order if (k, v) in targets]

    chart = _layer(
        records, _mark("line", point=True),
        x=_field("version", "ordinal", title=_text(fmt, "version"), sort=version_order, axis={"labelAngle": 0}),
        y=_field("target", "quantitative", title=_text(fmt, "target_value"), axis={"format": NUMBER_AXIS},
                 scale={"nice": True, "zero": False}),
        color=_field("kpi", "nominal", title=_text(fmt, "kpi"), sort=[titles[k] for k in kpi_order]),
        tooltip=[_field("kpi", "nominal", title=_text(fmt, "kpi")),
                 _field("version", "nominal", title=_text(fmt, "version")),
                 _field("date_label", "nominal", title=_text(fmt, "date")),
                 _field("target_label", "nominal", title=_text(fmt, "target_value"))])
    spec = _spec(chart)

    table_rows = [[titles[k], *(fmt.number(targets[(k, v)]) if (k, v) in targets else "–" for v in version_order)]
                  for k in kpi_order]
    table = Table(caption=_text(fmt, "history_caption"), headers=[_text(fmt, "kpi"), *version_order],
                  rows=table_rows)
    if records:
        description = _text(fmt, "history_desc", count=len(kpi_order), versions=len(version_order))
    else:
        description = _text(fmt, "history_desc_empty")
    return Chart(id="target-history", spec=spec, table=table, description=description)

"""A KPI's chart: its measurements (the running total of a cumulative KPI) coloured by status, the expected
path, the target at the due date and the linear forecast."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

from ...plan import gaps
from ...plan.i18n import Formatter
from ...read.budgets import thinned
from .. import long_series, palette, time_axis
from ..explain import kpi_digits
from .common import (
    DASH_EXPECTED,
    DASH_FORECAST,
    NUMBER_AXIS,
    SOLID,
    Chart,
    Table,
    Words,
    _finite,
    _series_scale,
    _when,
    compact_labels,
    label_options,
)
from .shapes import _data, _Row, _shape

if TYPE_CHECKING:
    from ...plan.compute import KpiState

WORDS = Words("kpi")  # its words: chart.kpi.* in plan/messages_*_charts.py



@functools.lru_cache(maxsize=256)
def _label(lang: str, key: str) -> str:
    """A text without values (a series name), looked up once."""
    return WORDS.t(lang, key)


_KPI_SERIES = ("measured", "expected", "forecast", "target")  # legend order
TARGET_SIZE = 90  # the target's diamond, in square pixels, on the chart and in the legend
LINE_SYMBOL_SIZE = 400  # a line's legend symbol: 20 px long
TARGET_LABEL_GAP = 8  # px between the target's label and the top of the plot


@_shape
def _kpi_spec(alt: Any, lang: str, present: tuple[str, ...], status: str, unit: str | None,
              axis: time_axis.TimeAxis, labels: str | None = None, broken: bool = False) -> Any:
    """The KPI chart of the series in `present`, its time axis ticking as `axis` and its value axis labelled
    by `labels` (common.compact_labels) when given; the datasets are `present`'s rows, in that order. A
    `broken` series (periods missing between its rows, plan/gaps.py) draws a line per `segment` of its rows,
    so the line is not joined over the gap; only such a chart's shape has that encoding."""
    names = {key: WORDS.t(lang, key) for key in _KPI_SERIES}
    data = {key: _data(alt, i) for i, key in enumerate(present)}
    status_colour = palette.STATUS_COLOURS.get(status, palette.ACCENT)
    colours = {"measured": status_colour, "expected": palette.ACCENT_LIGHT, "forecast": status_colour,
               "target": palette.TARGET}
    dashes = {"measured": SOLID, "expected": DASH_EXPECTED, "forecast": DASH_FORECAST, "target": SOLID}
    domain = [names[key] for key in present]
    colour = alt.Color("series:N", title=None, scale=_series_scale(alt, domain, [colours[k] for k in present]),
                       sort=domain,
                       legend=alt.Legend(symbolType="stroke", symbolSize=LINE_SYMBOL_SIZE, symbolStrokeWidth=2.5))
    dash = alt.StrokeDash("series:N", title=None, sort=domain,
                          scale=alt.Scale(domain=domain, range=[dashes[k] for k in present]))
    # the legend draws each series as its mark: a line, or the target's diamond at its size on the chart
    shapes = ["diamond" if key == "target" else "stroke" for key in present]
    sizes = [TARGET_SIZE if key == "target" else LINE_SYMBOL_SIZE for key in present]
    shape = alt.Shape("series:N", title=None, sort=domain, scale=alt.Scale(domain=domain, range=shapes))
    size = alt.Size("series:N", title=None, sort=domain, scale=alt.Scale(type="ordinal", domain=domain, range=sizes))
    x = alt.X("date:T", title=None, axis=alt.Axis(**time_axis.axis_options(axis, lang)))
    y = alt.Y("value:Q", title=unit or WORDS.t(lang, "value"), scale=alt.Scale(zero=False, nice=True),
              axis=alt.Axis(format=NUMBER_AXIS, **label_options(labels)))
    tooltip = [alt.Tooltip("series:N", title=WORDS.t(lang, "series")),
               alt.Tooltip("date_label:N", title=WORDS.t(lang, "date")),
               alt.Tooltip("value_label:N", title=WORDS.t(lang, "value"))]

    layers = []
    if "expected" in data:
        layers.append(alt.Chart(data["expected"]).mark_line().encode(
            x=x, y=y, color=colour, strokeDash=dash, tooltip=tooltip))
    if "forecast" in data:
        layers.append(alt.Chart(data["forecast"]).mark_line().encode(
            x=x, y=y, color=colour, strokeDash=dash, tooltip=tooltip))
    if "measured" in data:
        segments = {"detail": alt.Detail("segment:N")} if broken else {}
        layers.append(alt.Chart(data["measured"]).mark_line(point=True).encode(
            x=x, y=y, color=colour, strokeDash=dash, tooltip=tooltip, **segments))
    if "target" in data:
        base = alt.Chart(data["target"])
        layers.append(base.mark_point(filled=True, opacity=1).encode(
            x=x, y=y, color=colour, shape=shape, size=size, tooltip=tooltip))
        # the target's value is written above the plot, over the diamond's date: beside the diamond it sat on
        # the lines that reach for it (a daily series close to its target, the forecast's dots)
        layers.append(base.mark_text(align="right", baseline="bottom", dy=-TARGET_LABEL_GAP, fontWeight=600).encode(
            x=x, y=alt.YValue(0), text=alt.Text("text:N")))
    return alt.LayerChart(layer=[]), layers


_ROWS: dict[tuple[Any, ...], dict[str, Any]] = {}  # a KPI chart's data rows, made once per process (see _row)
_ROWS_MAX = 200_000
_LABELS: dict[tuple[Any, ...], str] = {}  # a value as a row writes it: a big plan's 27,000 rows hold 2,800 values
_LABELS_MAX = 200_000


def _row(fmt: Formatter, context: tuple[Any, ...], key: str, day: dt.date, value: float, period: str = "day",
         digits: int = 2) -> dict[str, Any]:
    """The data row of series `key` at `day` (the first day of `period`, which its date label names): the same
    (read-only) dict for every chart and version showing that measurement, its labels formatted and its JSON
    written once (`_row_json`). A KPI chart is mostly the rows of its measurements, which twenty versions of a
    plan and each rebuild of `serve` show again. `context` is `_context(fmt, unit)`, the chart's."""
    # 1 and 1.0, 0.0 and -0.0 are equal keys but write different JSON: the type, and a zero's sign, are keys too
    number = (type(value), value or repr(value), digits)
    index = (context, key, day, period, number)
    row = _ROWS.get(index)
    if row is None:
        if len(_ROWS) >= _ROWS_MAX:
            _ROWS.clear()
        unit = context[-1]
        # a measurement is written as the data has it, pennies included; the path, forecast and target are
        # computed or planned figures, written as the sentences write them ("£5,143,891", not "£5,143,891.42")
        exact = key == "measured"
        label = _LABELS.get((context, number, exact))
        if label is None:
            if len(_LABELS) >= _LABELS_MAX:
                _LABELS.clear()
            label = _LABELS[context, number, exact] = fmt.measure(value, unit, digits=digits, exact=exact)
        row = _ROWS[index] = _Row(series=_label(fmt.language, key), date=_when(day), value=value,
                                  date_label=fmt.period(day, period), value_label=label)
        if key == "target":
            # a figure the reader scans on the chart, compact as the tiles ("Cible : 2,6 M €"); the table is exact
            row["text"] = WORDS.text(fmt, "target_label", value=fmt.measure(value, unit, digits=digits, compact=True))
    return row


def _context(fmt: Formatter, unit: str | None) -> tuple[Any, ...]:
    """What a KPI's rows are written with besides their own values (a key of `_row`'s memos)."""
    return fmt.language, fmt.tag, fmt.currency, unit


def _within_reach(points: list[tuple[dt.date, float]], state: KpiState) -> list[tuple[dt.date, float]]:
    """The measurements a KPI's chart draws: those standing from one span of the KPI's period (its start to
    its due date) before the period start on; all of them when fewer than two stand there."""
    reach = state.start - max(state.due - state.start, dt.timedelta(0))
    within = [(d, v) for d, v in points if state.at(d) >= reach]
    return within if len(within) >= 2 else points


def kpi_chart(state: KpiState, fmt: Formatter) -> Chart:
    """Measurements (running total for cumulative KPIs) coloured by status, the expected path, the
    target at the due date and the linear forecast."""
    kpi = state.kpi

    digits = kpi_digits(state, fmt)  # a count's path and forecast are whole, as its tiles and sentences say
    context = _context(fmt, kpi.unit)

    def record(key: str, day: dt.date, value: float, period: str = "day") -> dict[str, Any]:
        return _row(fmt, context, key, day, value, period, 2 if key == "measured" else digits)

    points = [(d, v) for d, v in state.points if _finite(v)]
    # the plan's period, not centuries of history before it where the plan is a sliver at the right edge
    shown = _within_reach(points, state)
    drawn = thinned(shown)  # a page's budget: a few hundred measurements, evenly spaced, the last included
    # a month's or quarter's measurement stands at its period's end (compute.py), labelled by its period
    drawn_days = [state.at(d) for d, _ in drawn]
    drawn_periods = [state.period_at(d) for d, _ in drawn]
    measured = [record("measured", day, v, period)
                for day, (_, v), period in zip(drawn_days, drawn, drawn_periods, strict=True)]
    missing = gaps.find([(d, state.period_at(d)) for d, _ in points], kpi.cadence)
    if missing:  # a line per stretch without a gap: the rows of a gapped chart only say their segment
        measured = [_Row(row, segment=sum(gap.first <= d for gap in missing))
                    for row, (d, _) in zip(measured, drawn, strict=True)]
    expected = []
    if _finite(state.baseline):
        assert state.baseline is not None
        expected = [record("expected", day, value) for day, value in state.path()]  # its milestones included
    forecast = []
    if (_finite(state.forecast) and state.actual_date is not None and state.actual is not None
            and state.actual_date < state.due):
        assert state.forecast is not None
        end = record("forecast", state.due, state.forecast)
        # beside the target at the due date: never rounded onto it ("3,6 clients", not "4 clients", for 4)
        toward = fmt.measure_toward(state.forecast, kpi.target, kpi.unit, digits=digits, exact=False)
        if toward != end["value_label"]:
            end = _Row(end, value_label=toward)  # the shared row stays as other charts read it
        forecast = [record("forecast", state.at(state.actual_date), state.actual, state.period_at(state.actual_date)),
                    end]
    target = [record("target", state.due, kpi.target)] if _finite(kpi.target) else []

    present = [(key, rows) for key, rows in (("measured", measured), ("expected", expected),
                                             ("forecast", forecast), ("target", target)) if rows]
    days = drawn_days + [state.due] + ([state.start] if expected else [])  # the x of every row
    axis = time_axis.choose(drawn_periods, kpi.cadence, min(days), max(days), drawn_days)
    widest = max((abs(row["value"]) for _, rows in present for row in rows), default=0.0)
    shape = (fmt.language, tuple(key for key, _ in present), state.status, kpi.unit, axis, compact_labels(fmt, widest))
    # an unbroken chart keeps its shape's arguments as they were: its drawing's key (its spec) does not change
    spec = _kpi_spec(*shape, *((True,) if missing else ()), data=[rows for _, rows in present])

    rows = [[row["series"], row["date_label"], row["value_label"]] for _, group in present for row in group]
    if len(shown) < len(points):  # the table keeps the measurements before the chart's start
        name = _label(fmt.language, "measured")
        whole = [record("measured", state.at(d), v, state.period_at(d)) for d, v in thinned(points)]
        rows = [[row["series"], row["date_label"], row["value_label"]] for row in whole] + [
            row for row in rows if row[0] != name]
    caption = WORDS.text(fmt, "kpi_caption", title=kpi.title, unit=kpi.unit) if kpi.unit else kpi.title
    table = Table(caption=caption, headers=[WORDS.text(fmt, key) for key in ("series", "date", "value")], rows=rows)
    period = long_series.summary_period(points)
    if period is not None:  # a long series: a row per period in the table, every measurement in a CSV file
        name = _label(fmt.language, "measured")
        periods = long_series.by_period(points, period)
        recent = periods[-long_series.TABLE_MAX_ROWS:]  # centuries of daily rows: the latest years only
        summary = [[name, fmt.period(day, state.period_at(day)), fmt.measure(value, kpi.unit)]
                   for day, value in recent]
        table.rows = summary + [row for row in rows if row[0] != name]
        total = "_total" if kpi.measure == "cumulative" else ""
        table.note = (WORDS.text(fmt, f"table_by_{period}{total}") if len(recent) == len(periods)
                      else WORDS.text(fmt, f"table_by_recent_year{total}", count=fmt.number(len(recent))))
        table.download = long_series.csv_link(kpi.objective, kpi.id)
        table.download_label = WORDS.text(fmt, "full_series", count=fmt.number(len(points)))
    gap_note = WORDS.text(fmt, "gap_note", missing=gaps.missing(missing)) if missing else ""
    if gap_note:  # "No measurement for June 2026.", after how a long series' rows are summarised
        table.note = f"{table.note} {gap_note}" if table.note else gap_note
    target_text = fmt.measure(kpi.target, kpi.unit)
    if measured and state.actual is not None and state.actual_date is not None:
        forecast_text = ""
        if forecast:
            forecast_text = WORDS.text(fmt, "kpi_desc_forecast", value=forecast[-1]["value_label"])
        period = state.period_at(state.actual_date)  # "au 1 oct. 2026", "en octobre 2026", "au T3 2026"
        when = WORDS.text(fmt, f"when_{period}", date=fmt.period(state.actual_date, period))
        # the value the status reads: the latest, or once the due date has passed the one standing at it
        actual = record("measured", state.at(state.actual_date), state.actual, period)["value_label"]
        if state.averaged_days:  # a daily level is judged on its week's mean (plan/daily_level.py), said so
            actual = fmt.measure(state.actual, kpi.unit, digits=digits, exact=False)
            when = WORDS.text(fmt, "when_week", date=fmt.date(state.actual_date))
        description = WORDS.text(fmt, "kpi_desc", title=kpi.title, actual=actual,
                            when=when, status=fmt.label(state.status), target=target_text,
                            due=fmt.date(state.due), forecast=forecast_text)
        if len(drawn) < len(points):
            description += WORDS.text(fmt, "kpi_desc_thinned", shown=fmt.number(len(drawn)),
                                      total=fmt.number(len(points)))
    else:
        description = WORDS.text(fmt, "kpi_desc_empty", title=kpi.title, target=target_text, due=fmt.date(state.due))
    if gap_note:  # a screen reader is told of the break in the line, as the table's reader is
        description += f" {gap_note}"
    return Chart(id=f"kpi-{kpi.id}", spec=spec, table=table, description=description)


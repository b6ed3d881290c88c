"""Vega-Lite specs of the site's charts, built with Altair under one registered theme.

Each builder is a pure function of computed state and a `Formatter`: it returns a `Chart` holding
the spec (data inlined as values), a `Table` with the same numbers for screen readers and readers
without JavaScript, and a one-sentence description for `aria-label`.

Numbers and dates inside the specs are formatted two ways, on purpose:
- axes use d3 format strings (",.2~f", "%b %Y", see time_axis.py); the page hands vega-embed the locales built by
  `Formatter.vega_format_locale()` / `vega_time_locale()`, so axes get the plan's separators and months;
- tooltips and mark labels use strings already formatted by the Formatter, the very strings of the
  table, so a reader sees the same "1 250" in the chart, the table and the prose.

How Altair is kept cheap (it costs about 0.35 s to import and 5 ms a chart to serialise, even unvalidated):
- each builder splits its chart into a *shape*, a small function of hashable arguments (language, titles,
  colours, which series are present) that assembles the Altair chart with named placeholders for its
  data, and the data rows. Altair turns a shape into a dict once (`to_dict(validate=False)`: the tests
  validate every builder's output against the Vega-Lite schema instead); each chart of that shape gets
  that dict with its rows inlined as `values`, sharing the unchanging parts (so specs are read-only).
  The 1,008 charts of the full-size benchmark plan have 9 shapes;
- shapes are also kept on disk (cache/chart_shapes.py, plugged in by the build with `keep_shapes_in`), keyed
  by a hash of their arguments and of the code that draws them, so a build whose shapes are all known does
  not import Altair at all;
- Altair is imported on the first shape to draw, never by `strategy check`, `funnel` or `diff`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, cast

from markupsafe import Markup, escape

from ..plan.compute import time_share
from ..plan.i18n import Formatter
from ..read.budgets import thinned
from . import long_series, palette, time_axis

if TYPE_CHECKING:
    from ..plan.compute import FunnelState, KpiState, PlanState

THEME_NAME = "strategy-site"
HEIGHT = 260  # px; the width follows the container
STATUS_ORDER = ("achieved", "on-track", "at-risk", "off-track", "no-data")  # legend order, best first

NUMBER_AXIS = ",.2~f"  # d3: grouped, at most two decimals, trailing zeros trimmed (as Formatter.number)
COUNT_AXIS = ",.0f"
PERCENT_AXIS = ".0%"
MONEY_AXIS = "$,.0f"  # the currency symbol and its side come from the format locale

DASH_EXPECTED = [6, 4]
DASH_FORECAST = [2, 3]
SOLID: list[int] = []

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "measured": "Mesures", "expected": "Trajectoire attendue", "forecast": "Prévision", "target": "Cible",
        "target_label": "Cible : {value}",
        "date": "Date", "value": "Valeur", "series": "Série",
        "table_by_month": "Le tableau donne une ligne par mois : la valeur à la dernière mesure du mois.",
        "table_by_quarter": "Le tableau donne une ligne par trimestre : la valeur à la dernière mesure du trimestre.",
        "table_by_year": "Le tableau donne une ligne par an : la valeur à la dernière mesure de l'année.",
        "table_by_recent_year": "Le tableau donne une ligne par an pour les {count} dernières années : la valeur à "
                                "la dernière mesure de l'année.",
        "full_series": "Les {count} mesures (CSV)",
        "stage": "Étape", "need": "Besoin", "actual": "Réel", "volume": "Volume",
        "need_by_due": "Besoin à l'échéance", "need_to_date": "Besoin à ce jour", "actual_to_date": "Réel à ce jour",
        "planned_rate": "Taux prévu", "observed_rate": "Taux observé",
        "objective": "Objectif", "progress": "Avancement", "expected_progress": "Avancement attendu",
        "status": "Statut",
        "category": "Catégorie", "solutions": "Solutions", "yearly_cost": "Coût annuel",
        "kpi_caption": "{title} ({unit})",
        "kpi_desc": "{title} : {actual} {when} ({status}), cible {target} au {due}{forecast}.",
        "when_day": "au {date}", "when_month": "en {date}", "when_quarter": "au {date}",
        "kpi_desc_forecast": ", prévision {value} à cette date",
        "kpi_desc_thinned": " Le graphique trace {shown} des {total} mesures, à intervalles réguliers.",
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
        "objectives_count": "{count} {label}",
    },
    "en": {
        "measured": "Measurements", "expected": "Expected path", "forecast": "Forecast", "target": "Target",
        "target_label": "Target: {value}",
        "date": "Date", "value": "Value", "series": "Series",
        "table_by_month": "The table gives one row per month: the value at the month's last measurement.",
        "table_by_quarter": "The table gives one row per quarter: the value at the quarter's last measurement.",
        "table_by_year": "The table gives one row per year: the value at the year's last measurement.",
        "table_by_recent_year": "The table gives one row per year for the last {count} years: the value at the "
                                "year's last measurement.",
        "full_series": "All {count} measurements (CSV)",
        "stage": "Stage", "need": "Needed", "actual": "Actual", "volume": "Volume",
        "need_by_due": "Needed by the due date", "need_to_date": "Needed by now", "actual_to_date": "Actual so far",
        "planned_rate": "Planned rate", "observed_rate": "Observed rate",
        "objective": "Objective", "progress": "Progress", "expected_progress": "Expected progress",
        "status": "Status",
        "category": "Category", "solutions": "Solutions", "yearly_cost": "Yearly cost",
        "kpi_caption": "{title} ({unit})",
        "kpi_desc": "{title}: {actual} {when} ({status}), target {target} by {due}{forecast}.",
        "when_day": "on {date}", "when_month": "in {date}", "when_quarter": "in {date}",
        "kpi_desc_forecast": ", forecast {value} by then",
        "kpi_desc_thinned": " The chart draws {shown} of the {total} measurements, evenly spaced.",
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
        "objectives_count": "{count} {label}",
    },
}


@dataclass
class Table:
    """The same numbers as the chart, for screen readers and readers without JavaScript."""

    caption: str
    headers: list[str]
    rows: list[list[str]]  # already formatted with the Formatter (plan language)
    note: str = ""  # how the rows are summarised, when they are (long_series.py)
    download: str = ""  # the address of the full series as CSV, from the page, when the table summarises it
    download_label: str = ""

    @property
    def body(self) -> Markup:
        """The rows as HTML, a row header then data cells, one row a line (the default theme's chart macro):
        each distinct row escaped once per process, as most of them are shown again by other versions."""
        return Markup("".join(_row_html(row) for row in self.rows))


_ROW_HTML: dict[tuple[str, ...], str] = {}


def _row_html(row: list[str]) -> str:
    key = tuple(row)
    html = _ROW_HTML.get(key)
    if html is None:
        if len(_ROW_HTML) >= _ROWS_MAX:
            _ROW_HTML.clear()
        cells = [escape(cell) for cell in key]
        head = f'<th scope="row">{cells[0]}</th>' if cells else ""
        html = _ROW_HTML[key] = "<tr>" + head + "".join(f"<td>{cell}</td>" for cell in cells[1:]) + "</tr>\n"
    return html


@dataclass
class Chart:
    id: str  # unique within a page and stable, e.g. "kpi-leads-qualifies", "funnel-acquisition"
    spec: dict[str, Any]  # Vega-Lite spec, JSON-serialisable, data inlined as values; read-only (see above)
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


_altair_module: Any = None


def _alt() -> Any:
    """Altair, imported on first use, with the site theme registered and enabled."""
    global _altair_module
    if _altair_module is None:
        import altair as alt

        alt.theme.register(THEME_NAME, enable=True)(cast(Any, theme))  # a plain dict, not Altair's TypedDict
        _altair_module = alt
    return _altair_module


_DATA_PREFIX = "strategy-data-"


def _data(alt: Any, index: int) -> Any:
    """The placeholder of a shape's `index`-th dataset (see `_shape`): the rows are inlined after
    `to_dict()`, since Altair deep-copies inline values at every `layer()`/`properties()` call."""
    return alt.NamedData(name=f"{_DATA_PREFIX}{index}")


# Keys a chart's `to_dict()` puts at the top level only (the theme's sizes, config, the schema URL).
_TOP_LEVEL_ONLY = frozenset({"$schema", "config", "width", "height", "autosize", "background", "padding"})

# A shape drawn by Altair: its spec, and where its datasets go as (path of the node that gets `data`,
# index of the dataset).
_Slots = tuple[tuple[tuple[str | int, ...], int], ...]
_memo: dict[str, tuple[dict[str, Any], _Slots, list[str]]] = {}  # shape → its spec, slots and JSON (_cut)
_MEMO_MAX = 1024  # shapes kept in memory; `serve` makes new ones as titles and values change
_stats = {"drawn": 0, "from_disk": 0}  # shapes Altair drew / read from the shape store in this process
_DRAW_LOCK = threading.Lock()  # the active Altair theme is global: one drawing at a time


class ShapeStore(Protocol):
    """Where drawn shapes outlive the process: cache/chart_shapes.py, which the orchestrators plug in."""

    def load(self, key: str) -> dict[str, Any] | None: ...

    def store(self, key: str, spec: dict[str, Any]) -> None: ...


_shape_store: ShapeStore | None = None


def keep_shapes_in(store: ShapeStore | None) -> None:
    """Read shapes from `store` before drawing them and keep the drawn ones there (None: this process only)."""
    global _shape_store
    _shape_store = store


def _draw(shape: Callable[..., tuple[Any, list[Any] | None]], args: tuple[Any, ...]) -> dict[str, Any]:
    """A shape's spec from Altair, unvalidated: `to_dict()` validates each chart against the
    schema (about 7 ms a chart) and debug mode each object as it is made; the tests validate every
    builder's output once instead.

    Speed notes (Altair 6.3): channels are always given as objects (alt.X("f:Q"), alt.Text("f:N")),
    never as bare strings, which Altair resolves through a schema lookup costing about 4 ms each; and
    layers are serialised one by one under an empty layer chart, because `alt.layer()` deep-copies every
    layer several times to merge selection parameters we do not use."""
    with _DRAW_LOCK:
        alt = _alt()
        from altair.utils.schemapi import debug_mode

        with debug_mode(False):
            return _to_dict(alt, *shape(alt, *args))


def _to_dict(alt: Any, top: Any, layers: list[Any] | None) -> dict[str, Any]:
    """`top` under the site theme, with `layers` (if any) serialised without it as its layers."""
    with alt.theme.enable(THEME_NAME):
        spec: dict[str, Any] = top.to_dict(validate=False)
    if layers is not None:
        with alt.theme.enable("none"):  # the theme belongs to the top level only
            parts = [layer.to_dict(validate=False) for layer in layers]
        spec["layer"] = [{k: v for k, v in part.items() if k not in _TOP_LEVEL_ONLY} for part in parts]
    _stats["drawn"] += 1
    return spec


def _slots(spec: dict[str, Any]) -> _Slots:
    """Where the dataset placeholders of `spec` are."""
    found: list[tuple[tuple[str | int, ...], int]] = []

    def walk(node: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and isinstance(data.get("name"), str) and data["name"].startswith(_DATA_PREFIX):
                index = data["name"][len(_DATA_PREFIX):]
                found.append((path, int(index) if index.isdigit() else -1))
            for key, value in node.items():
                if key != "data":
                    walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*path, i))

    walk(spec, ())
    return tuple(found)


class InlinedSpec(dict):
    """A chart's spec (a plain dict to every reader) that also knows how to write itself as JSON fast: its
    shape's JSON text is cut once where the datasets go, and each data row that `_row` made is serialised
    once per process, so a page writing the spec (render.py's `json_script`) joins ready-made text instead
    of serialising the shape again for every chart, and a row shown by twenty versions once."""

    __slots__ = ("_data", "_parts")
    _parts: list[str]  # the shape's JSON text cut where the datasets go (_cut)
    _data: list[list[dict[str, Any]]]

    def json_text(self) -> str:
        """`json.dumps(self, ensure_ascii=False, separators=(",", ":"))`, byte for byte."""
        parts = self._parts
        out = [parts[0]]
        for i in range(1, len(parts), 2):
            out.append("[" + ",".join(map(_row_json, self._data[int(parts[i])])) + "]")
            out.append(parts[i + 1])
        return "".join(out)

    def __reduce__(self) -> tuple[Any, ...]:  # a plain dict once pickled (render workers, digests)
        return dict, (dict(self),)


def _cut(drawn: dict[str, Any], slots: _Slots) -> list[str]:
    """The JSON text of shape `drawn`, as [text, dataset index, text, dataset index, ..., text]."""
    import json
    import re
    import secrets

    mark = f"\x00{secrets.token_hex(8)}-"  # JSON writes it escaped; no title or label can hold it
    stand_ins = [[f"{mark}{i}"] for i in range(max((i for _, i in slots), default=-1) + 1)]
    text = json.dumps(_inline(drawn, slots, stand_ins, into=dict), ensure_ascii=False, separators=(",", ":"))
    escaped = json.dumps(mark)[1:-1]
    return re.split(r'\[\s*"' + re.escape(escaped) + r'(\d+)"\s*\]', text)


class _Row(dict):
    """A data row `_row` made (a plain dict to every reader), with its JSON once a page has needed it: in a
    render worker, as rows are made before the pages are shared out."""

    __slots__ = ("json",)
    json: str

    def __reduce__(self) -> tuple[Any, ...]:  # a plain dict once pickled
        return dict, (dict(self),)


def _row_json(row: dict[str, Any]) -> str:
    if type(row) is not _Row:
        return _object_json(row)
    try:
        return row.json
    except AttributeError:
        row.json = text = _object_json(row)
        return text


def _inline(drawn: dict[str, Any], slots: _Slots, data: list[list[Any]], into: type = InlinedSpec) -> Any:
    """A spec of the shape `drawn` with `data` inlined. Only the dicts and lists on the way from the top to
    each dataset are new; the rest (theme, marks, encodings) is shared with every chart of the shape, which
    spares the build a deep copy and the garbage collector most of the objects (specs are read-only)."""
    out = into(drawn)
    copies: dict[tuple[str | int, ...], Any] = {(): out}
    for path, index in slots:
        node: Any = out
        for depth in range(1, len(path) + 1):
            copy = copies.get(path[:depth])
            if copy is None:
                copy = copies[path[:depth]] = node[path[depth - 1]].copy()
                node[path[depth - 1]] = copy
            node = copy
        node["data"] = {"values": data[index]}
    return out


def _shape(shape: Callable[..., tuple[Any, list[Any] | None]]) -> Callable[..., dict[str, Any]]:
    """Turn `shape(alt, *args) -> (chart, layers or None)` into `spec(*args, data=[rows, ...])`.

    `shape` builds the Altair chart from hashable arguments only, with `_data(alt, i)` standing for the
    i-th list of rows; the returned function gives a new spec dict with the rows inlined as `values`.
    Altair draws each distinct `args` once per process, once per machine with a shape store."""
    name = shape.__name__

    def spec(*args: Any, data: list[list[dict[str, Any]]]) -> dict[str, Any]:
        key = repr((name, args))  # repr, not the tuple: 0.0 and -0.0, 1 and True must not meet
        kept = _memo.get(key)
        if kept is None:
            store = _shape_store
            drawn = store.load(key) if store is not None else None
            slots = _slots(drawn) if drawn is not None else ()
            if drawn is not None and sorted({i for _, i in slots}) == list(range(len(data))):
                _stats["from_disk"] += 1
            else:  # not cached, or an entry that does not fit (damaged): Altair draws it again
                drawn = _draw(shape, args)
                slots = _slots(drawn)
                if store is not None:
                    store.store(key, drawn)
            if len(_memo) >= _MEMO_MAX:
                del _memo[next(iter(_memo))]
            kept = _memo[key] = (drawn, slots, _cut(drawn, slots))
        out = _inline(kept[0], kept[1], data)
        out._parts, out._data = kept[2], data
        return out

    spec.__name__ = spec.__qualname__ = name
    spec.__doc__ = shape.__doc__
    return spec


def _t(lang: str, key: str, **values: object) -> str:
    texts = TEXTS.get(lang, TEXTS["en"])
    return texts[key].format(**values)


@functools.lru_cache(maxsize=256)
def _label(lang: str, key: str) -> str:
    """A text without values (a series name), looked up once."""
    return _t(lang, key)


def _text(fmt: Formatter, key: str, **values: object) -> str:
    return _t(fmt.language, key, **values)


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


_LINE_BREAKS = re.compile("[\u2028\u2029\u0085\r\n]")


def _unique(labels: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Display labels by id, with the id appended where two titles are the same (axis categories
    must be distinct). A line or paragraph separator (U+2028, U+2029, U+0085) becomes a space: Vega-Lite
    writes a category order into an expression's string literals, where Vega's parser ends the string at one
    of them, and the chart is not drawn."""
    pairs = [(key, _LINE_BREAKS.sub(" ", label)) for key, label in labels]
    seen: dict[str, int] = {}
    for _, label in pairs:
        seen[label] = seen.get(label, 0) + 1
    return {key: (f"{label} ({key})" if seen[label] > 1 else label) for key, label in pairs}


def _series_scale(alt: Any, domain: list[str], colours: list[Any]) -> Any:
    return alt.Scale(domain=domain, range=colours)


# --- KPI -----------------------------------------------------------------------------------

_KPI_SERIES = ("measured", "expected", "forecast", "target")  # legend order


@_shape
def _kpi_spec(alt: Any, lang: str, present: tuple[str, ...], status: str, unit: str | None,
              axis: time_axis.TimeAxis) -> Any:
    """The KPI chart of the series in `present`, its time axis ticking as `axis`; the datasets are `present`'s
    rows, in that order."""
    names = {key: _t(lang, key) for key in _KPI_SERIES}
    data = {key: _data(alt, i) for i, key in enumerate(present)}
    status_colour = palette.STATUS_COLOURS.get(status, palette.ACCENT)
    colours = {"measured": status_colour, "expected": palette.ACCENT_LIGHT, "forecast": status_colour,
               "target": palette.TARGET}
    dashes = {"measured": SOLID, "expected": DASH_EXPECTED, "forecast": DASH_FORECAST, "target": SOLID}
    domain = [names[key] for key in present]
    colour = alt.Color("series:N", title=None, scale=_series_scale(alt, domain, [colours[k] for k in present]),
                       sort=domain, legend=alt.Legend(symbolType="stroke", symbolSize=400, symbolStrokeWidth=2.5))
    dash = alt.StrokeDash("series:N", title=None, sort=domain,
                          scale=alt.Scale(domain=domain, range=[dashes[k] for k in present]))
    x = alt.X("date:T", title=None, axis=alt.Axis(**time_axis.axis_options(axis, lang)))
    y = alt.Y("value:Q", title=unit or _t(lang, "value"), scale=alt.Scale(zero=False, nice=True),
              axis=alt.Axis(format=NUMBER_AXIS))
    tooltip = [alt.Tooltip("series:N", title=_t(lang, "series")),
               alt.Tooltip("date_label:N", title=_t(lang, "date")),
               alt.Tooltip("value_label:N", title=_t(lang, "value"))]

    layers = []
    if "expected" in data:
        layers.append(alt.Chart(data["expected"]).mark_line().encode(
            x=x, y=y, color=colour, strokeDash=dash, tooltip=tooltip))
    if "forecast" in data:
        layers.append(alt.Chart(data["forecast"]).mark_line().encode(
            x=x, y=y, color=colour, strokeDash=dash, tooltip=tooltip))
    if "measured" in data:
        layers.append(alt.Chart(data["measured"]).mark_line(point=True).encode(
            x=x, y=y, color=colour, strokeDash=dash, tooltip=tooltip))
    if "target" in data:
        base = alt.Chart(data["target"])
        layers.append(base.mark_point(shape="diamond", size=90, filled=True).encode(
            x=x, y=y, color=colour, tooltip=tooltip))
        layers.append(base.mark_text(align="right", baseline="bottom", dx=-6, dy=-6, fontWeight=600).encode(
            x=x, y=y, text=alt.Text("text:N")))
    return alt.LayerChart(layer=[]), layers


_ROWS: dict[tuple[Any, ...], dict[str, Any]] = {}  # a KPI chart's data rows, made once per process (see _row)
_ROWS_MAX = 200_000


def _row(fmt: Formatter, unit: str | None, key: str, day: dt.date, value: float, period: str = "day") -> dict[str, Any]:
    """The data row of series `key` at `day` (the first day of `period`, which its date label names): the same
    (read-only) dict for every chart and version showing that measurement, its labels formatted and its JSON
    written once (`_row_json`). A KPI chart is mostly the rows of its measurements, which twenty versions of a
    plan and each rebuild of `serve` show again."""
    # 1 and 1.0, 0.0 and -0.0 are equal keys but write different JSON: the type, and a zero's sign, are keys too
    index = (fmt.language, fmt.tag, fmt.currency, unit, key, day, period, type(value), value or repr(value))
    row = _ROWS.get(index)
    if row is None:
        if len(_ROWS) >= _ROWS_MAX:
            _ROWS.clear()
        label = fmt.measure(value, unit)  # "$12,000,000" when the unit is money
        row = _ROWS[index] = _Row(series=_label(fmt.language, key), date=_when(day), value=value,
                                  date_label=fmt.period(day, period), value_label=label)
        if key == "target":
            row["text"] = _text(fmt, "target_label", value=label)
    return row


def _object_json(row: dict[str, Any]) -> str:
    """`json.dumps(row, ensure_ascii=False, separators=(",", ":"))` for a dict of strings and finite numbers,
    written directly (a build makes 40,000 rows: the encoder's set-up per call was most of their cost)."""
    import json
    from json.encoder import encode_basestring

    parts = []
    for key, value in row.items():
        kind = type(value)
        if kind is str:
            text = encode_basestring(value)
        elif (kind is float and math.isfinite(value)) or kind is int:
            text = repr(value)  # what the encoder writes for both
        else:
            return json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        parts.append(f"{encode_basestring(key)}:{text}")
    return "{" + ",".join(parts) + "}"


def kpi_chart(state: KpiState, fmt: Formatter) -> Chart:
    """Measurements (running total for cumulative KPIs) coloured by status, the expected path, the
    target at the due date and the linear forecast."""
    kpi = state.kpi

    def record(key: str, day: dt.date, value: float, period: str = "day") -> dict[str, Any]:
        return _row(fmt, kpi.unit, key, day, value, period)

    points = [(d, v) for d, v in state.points if _finite(v)]
    drawn = thinned(points)  # a page's budget: a few hundred measurements, evenly spaced, the last included
    # a month's or quarter's measurement stands at its period's end (compute.py), labelled by its period
    measured = [record("measured", state.at(d), v, state.period_at(d)) for d, v in drawn]
    expected = []
    if _finite(state.baseline):
        assert state.baseline is not None
        expected = [record("expected", day, value) for day, value in state.path()]  # its milestones included
    forecast = []
    if (_finite(state.forecast) and state.actual_date is not None and state.actual is not None
            and state.actual_date < state.due):
        assert state.forecast is not None
        forecast = [record("forecast", state.at(state.actual_date), state.actual, state.period_at(state.actual_date)),
                    record("forecast", state.due, state.forecast)]
    target = [record("target", state.due, kpi.target)] if _finite(kpi.target) else []

    present = [(key, rows) for key, rows in (("measured", measured), ("expected", expected),
                                             ("forecast", forecast), ("target", target)) if rows]
    measured_days = [d for d, _ in drawn]
    drawn_days = [state.at(d) for d in measured_days]
    days = drawn_days + [state.due] + ([state.start] if expected else [])  # the x of every row
    axis = time_axis.choose([state.period_at(d) for d in measured_days], kpi.cadence, min(days), max(days),
                            drawn_days)
    spec = _kpi_spec(fmt.language, tuple(key for key, _ in present), state.status, kpi.unit, axis,
                     data=[rows for _, rows in present])

    rows = [[row["series"], row["date_label"], row["value_label"]] for _, group in present for row in group]
    caption = _text(fmt, "kpi_caption", title=kpi.title, unit=kpi.unit) if kpi.unit else kpi.title
    table = Table(caption=caption, headers=[_text(fmt, "series"), _text(fmt, "date"), _text(fmt, "value")],
                  rows=rows)
    period = long_series.summary_period(points)
    if period is not None:  # a long series: a row per period in the table, every measurement in a CSV file
        name = _label(fmt.language, "measured")
        periods = long_series.by_period(points, period)
        recent = periods[-long_series.TABLE_MAX_ROWS:]  # centuries of daily rows: the latest years only
        summary = [[name, fmt.period(start, period), fmt.measure(value, kpi.unit)]
                   for start, value in recent]
        table.rows = summary + [row for row in rows if row[0] != name]
        table.note = (_text(fmt, f"table_by_{period}") if len(recent) == len(periods)
                      else _text(fmt, "table_by_recent_year", count=fmt.number(len(recent))))
        table.download = long_series.csv_link(kpi.objective, kpi.id)
        table.download_label = _text(fmt, "full_series", count=fmt.number(len(points)))
    target_text = fmt.measure(kpi.target, kpi.unit)
    if measured and state.actual is not None:
        forecast_text = ""
        if forecast:
            forecast_text = _text(fmt, "kpi_desc_forecast", value=forecast[-1]["value_label"])
        period = state.period_at(state.actual_date)  # "au 1 oct. 2026", "en octobre 2026", "au T3 2026"
        when = _text(fmt, f"when_{period}", date=fmt.period(state.actual_date, period))
        description = _text(fmt, "kpi_desc", title=kpi.title, actual=measured[-1]["value_label"],
                            when=when, status=fmt.label(state.status), target=target_text,
                            due=fmt.date(state.due), forecast=forecast_text)
        if len(drawn) < len(points):
            description += _text(fmt, "kpi_desc_thinned", shown=fmt.number(len(drawn)), total=fmt.number(len(points)))
    else:
        description = _text(fmt, "kpi_desc_empty", title=kpi.title, target=target_text, due=fmt.date(state.due))
    return Chart(id=f"kpi-{kpi.id}", spec=spec, table=table, description=description)


# --- funnel --------------------------------------------------------------------------------


FUNNEL_SERIES = ("need_by_due", "need_to_date", "actual_to_date")  # the bars of a stage, top to bottom
FUNNEL_COLOURS = {"need_by_due": palette.ACCENT_LIGHT, "need_to_date": palette.ACCENT_MID,
                  "actual_to_date": palette.ACCENT}


@_shape
def _funnel_spec(alt: Any, lang: str, order: tuple[str, ...], series: tuple[str, ...], widest: float) -> Any:
    """The funnel chart of stages `order` (top first); one dataset: for each stage, the bars of `series`."""
    domain = [_t(lang, key) for key in series]
    y = alt.Y("stage:N", title=None, sort=list(order))
    # room on the right for the label of the longest bar
    # about five round ticks: left to Vega, a narrow axis dropped overlapping labels unevenly (0, 500, 1,500…)
    x = alt.X("value:Q", title=_t(lang, "volume"), axis=alt.Axis(format=COUNT_AXIS, tickMinStep=1, tickCount=5),
              scale=alt.Scale(domainMax=widest * 1.15, nice=True))
    offset = alt.YOffset("series:N", sort=domain)
    colour = alt.Color("series:N", title=None, sort=domain,
                       scale=_series_scale(alt, domain, [FUNNEL_COLOURS[key] for key in series]),
                       legend=alt.Legend(orient="bottom", direction="vertical") if len(series) > 1 else None)
    tooltip = [alt.Tooltip("stage:N", title=_t(lang, "stage")),
               alt.Tooltip("series:N", title=_t(lang, "series")),
               alt.Tooltip("label:N", title=_t(lang, "volume"))]
    base = alt.Chart(_data(alt, 0)).encode(y=y, x=x, yOffset=offset)
    bars = base.mark_bar().encode(color=colour, tooltip=tooltip)
    labels = base.mark_text(align="left", baseline="middle", dx=4).encode(text=alt.Text("label:N"))
    per_stage = 14 * len(series) + 16
    return alt.LayerChart(layer=[], height=per_stage * len(order) + 8), [bars, labels]


def funnel_chart(state: FunnelState, fmt: Formatter) -> Chart:
    """Horizontal bars of each stage's need by the due date, top stage first, with the need to date and the
    actual volume so far beside it (once the funnel has measurements)."""
    funnel = state.funnel
    titles = _unique((st.stage.id, st.stage.title) for st in state.stages)
    has_actuals = any(_finite(st.actual) for st in state.stages)
    series = FUNNEL_SERIES if has_actuals else FUNNEL_SERIES[:1]
    names = {key: _text(fmt, key) for key in series}
    records: list[dict[str, Any]] = []
    for st in state.stages:
        values = {"need_by_due": float(st.need), "need_to_date": st.need_to_date, "actual_to_date": st.actual}
        for key in series:
            value = values[key]
            if _finite(value):
                assert value is not None
                label = fmt.number(value, 0) if key == "need_by_due" else fmt.volume(value)
                records.append({"stage": titles[st.stage.id], "series": names[key], "value": value, "label": label})
    order = tuple(titles[st.stage.id] for st in state.stages)
    widest = max((r["value"] for r in records), default=1.0)
    spec = _funnel_spec(fmt.language, order, series, widest, data=[records])
    rows = []
    for i, st in enumerate(state.stages):
        rows.append([
            st.stage.title,
            fmt.rate(float(st.stage.rate) if i and st.stage.rate is not None else None),
            fmt.number(float(st.need)),
            fmt.volume(st.need_to_date),
            fmt.volume(st.actual) if _finite(st.actual) else "–",
            fmt.rate(st.observed_rate),
        ])
    headers = [_text(fmt, k) for k in ("stage", "planned_rate", "need_by_due", "need_to_date", "actual_to_date",
                                       "observed_rate")]
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


@_shape
def _progress_spec(alt: Any, lang: str, objectives: tuple[str, ...], present: tuple[str, ...],
                   domain: tuple[str, ...]) -> Any:
    """The progress chart of `objectives` (top first), statuses `present` labelled `domain`; the datasets
    are the objectives' rows and the one row of the 100 % rule."""
    y = alt.Y("objective:N", title=None, sort=list(objectives))
    # the axis goes a little past the clamp so that the label of a full bar still fits
    x_scale = alt.Scale(domain=[0, PROGRESS_MAX + 0.15], nice=False)
    tooltip = [alt.Tooltip("objective:N", title=_t(lang, "objective")),
               alt.Tooltip("progress_label:N", title=_t(lang, "progress")),
               alt.Tooltip("expected_label:N", title=_t(lang, "expected_progress")),
               alt.Tooltip("status:N", title=_t(lang, "status"))]
    base = alt.Chart(_data(alt, 0)).encode(y=y)
    bars = base.mark_bar().encode(
        x=alt.X("progress:Q", title=_t(lang, "progress"), scale=x_scale,
                axis=alt.Axis(format=PERCENT_AXIS, values=[i / 5 for i in range(7)])),
        color=alt.Color("status:N", title=_t(lang, "status"), sort=list(domain),
                        scale=_series_scale(alt, list(domain), [palette.STATUS_COLOURS[s] for s in present])),
        tooltip=tooltip)
    ticks = base.mark_tick(thickness=2, size=22).encode(x=alt.X("expected:Q", scale=x_scale), tooltip=tooltip)
    full = alt.Chart(_data(alt, 1)).mark_rule(strokeDash=[3, 3], color=palette.ACCENT_LIGHT).encode(
        x=alt.X("full:Q", scale=x_scale))
    labels = base.mark_text(align="left", baseline="middle", dx=4).encode(
        x=alt.X("progress:Q"), text=alt.Text("progress_label:N"))
    return alt.LayerChart(layer=[], height=max(60, 34 * len(objectives))), [full, bars, ticks, labels]


def progress_chart(plan: PlanState, fmt: Formatter) -> Chart:
    """One bar per objective of its progress, coloured by status, with a tick at the progress
    expected today."""
    return progress_chart_of(plan, fmt, None)


def progress_chart_of(plan: PlanState, fmt: Formatter, only: list[str] | None) -> Chart:
    """The progress chart of the objectives `only`, in this order (the dashboard's, of a large plan); all
    of them when None. (Not a memoized builder: render_memo's take the state and the formatter alone.)"""
    settings = plan.plan.settings
    drawn = [(oid, plan.objectives[oid]) for oid in only] if only is not None else list(plan.objectives.items())
    titles = _unique((oid, o.objective.title) for oid, o in drawn)
    records = []
    rows: list[list[str]] = []
    statuses: dict[str, int] = {}
    for oid, obj in drawn:
        if obj.kpis:
            expected = sum(k.expected_progress for k in obj.kpis) / len(obj.kpis)
        else:
            due = obj.objective.due or settings.period_end
            expected = time_share(settings.period_start, due, plan.today)
        progress = obj.progress if _finite(obj.progress) else None
        shown = 0.0 if progress is None else min(PROGRESS_MAX, max(0.0, progress))
        status = fmt.label(obj.status)
        statuses[obj.status] = statuses.get(obj.status, 0) + 1
        record: dict[str, Any] = {"objective": titles[oid], "progress": shown, "expected": expected, "status": status,
                  "progress_label": fmt.percent(progress), "expected_label": fmt.percent(expected)}
        records.append(record)
        rows.append([obj.objective.title, record["progress_label"], record["expected_label"], status])

    present = tuple(s for s in STATUS_ORDER if s in statuses)
    spec = _progress_spec(fmt.language, tuple(r["objective"] for r in records), present,
                          tuple(fmt.label(s) for s in present), data=[records, [{"full": 1}]])

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


@_shape
def _budget_spec(alt: Any, lang: str, categories: tuple[str, ...], currency_symbol: str, widest: float) -> Any:
    """The budget chart of `categories` (largest first); the datasets are the solutions' segments and
    the categories' totals."""
    order = list(categories)
    y = alt.Y("category:N", title=None, sort=order)
    x_title = f"{_t(lang, 'yearly_cost')} ({currency_symbol})"
    colour = alt.Color("category:N", legend=None, sort=order,
                       scale=alt.Scale(domain=order,
                                       range=[palette.CATEGORY[i % len(palette.CATEGORY)] for i in range(len(order))]))
    x_scale = alt.Scale(domainMax=widest * 1.2, nice=True)  # room for the total's label
    bars = alt.Chart(_data(alt, 0)).mark_bar(stroke="#ffffff", strokeWidth=1).encode(
        y=y, x=alt.X("cost:Q", title=x_title, stack="zero", axis=alt.Axis(format=MONEY_AXIS), scale=x_scale),
        color=colour, detail=alt.Detail("solution:N"), order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("solution:N", title=_t(lang, "solutions")),
                 alt.Tooltip("category:N", title=_t(lang, "category")),
                 alt.Tooltip("cost_label:N", title=_t(lang, "yearly_cost"))])
    labels = alt.Chart(_data(alt, 1)).mark_text(align="left", baseline="middle", dx=4).encode(
        y=y, x=alt.X("total:Q"), text=alt.Text("total_label:N"))
    return alt.LayerChart(layer=[], height=max(60, 34 * len(order))), [bars, labels]


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
    widest = max(totals.values(), default=1.0)
    spec = _budget_spec(fmt.language, tuple(names[c] for c in order), fmt.currency_symbol, widest,
                        data=[segments, sums])

    total = fmt.money(sum(totals.values()))
    rows = [[names[cat], ", ".join(title for title, _ in by_category[cat]), fmt.money(totals[cat])] for cat in order]
    headers = [_text(fmt, k) for k in ("category", "solutions", "yearly_cost")]
    table = Table(caption=_text(fmt, "budget_caption", total=total), headers=headers, rows=rows)
    if order:
        description = _text(fmt, "budget_desc", total=total, top=fmt.money(totals[order[0]]), category=names[order[0]])
    else:
        description = _text(fmt, "budget_desc_empty")
    return Chart(id="solutions-budget", spec=spec, table=table, description=description)


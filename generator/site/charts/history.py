"""The history page's charts: each KPI's target across the plan's versions, one small chart per KPI.

Small multiples rather than one chart of every KPI: targets of different scales (2,000 prospects, 80 %,
24 h) each get their own y axis, no KPI needs a colour of its own, and no legend can be cut. Each chart is
a single view as wide as its container, so the page's grid lays them out in one column on a phone and
several on a desktop (a Vega-Lite facet has a fixed width). Versions run in the order the build gives
them, oldest tag first and the working tree last: never re-sorted by date, as the working tree is dated
by the build's `today`, which may come before the last tag or tie with it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...plan.i18n import Formatter
from ...plan.messages import render
from .common import NUMBER_AXIS, Chart, Table, _finite, compact_labels, label_options
from .shapes import _data, _shape

HEIGHT = 140  # px, of each KPI's plot; the width follows the container
# the narrowest plot (a 20rem grid cell less the y axis) and the width of a character of an axis label: the
# version names are slanted when two neighbours could overlap there
PLOT_MIN_WIDTH = 270
LABEL_CHAR_PX = 6.5


@dataclass(frozen=True)
class VersionTargets:
    """What the history shows of one version: its name, its date and its KPIs' targets."""

    label: str  # the tag, or the site's name of the working tree ("Version en cours")
    date: dt.date
    targets: Sequence[Sequence[Any]]  # [KPI id, title, target, unit] of each KPI, in the plan's order


def _t(lang: str, key: str, **values: object) -> str:
    return render(lang, f"history-chart.{key}", **values)


@_shape
def _target_history_spec(alt: Any, lang: str, versions: tuple[str, ...], labels: str | None = None) -> Any:
    """One KPI's target over `versions` (oldest first, the working tree last), its value axis labelled by
    `labels` (common.compact_labels: "6m", « 6 M », as the KPI charts) when given. The datasets are a row per
    version (a null target where the version had no such KPI, which breaks the line) and the rows whose
    value is written on the chart."""
    slanted = _crowded(versions)
    x = alt.X("version:O", title=None, sort=list(versions), scale=alt.Scale(domain=list(versions)),
              axis=alt.Axis(labelAngle=-35 if slanted else 0, labelAlign="right" if slanted else "center",
                            labelOverlap=False, labelLimit=150))
    y = alt.Y("target:Q", title=None, scale=alt.Scale(zero=True, nice=True),
              axis=alt.Axis(format=NUMBER_AXIS, tickCount=4, **label_options(labels)))
    tooltip = [alt.Tooltip("version:N", title=_t(lang, "version")),
               alt.Tooltip("date_label:N", title=_t(lang, "date")),
               alt.Tooltip("target_label:N", title=_t(lang, "target"))]
    line = alt.Chart(_data(alt, 0)).mark_line(point=True, invalid="break-paths-filter-domains").encode(
        x=x, y=y, tooltip=tooltip)
    labels = alt.Chart(_data(alt, 1)).mark_text(baseline="bottom", dy=-7, fontWeight=600).encode(
        x=x, y=y, text=alt.Text("label:N"))
    return alt.LayerChart(layer=[], height=HEIGHT), [line, labels]


def _crowded(versions: tuple[str, ...]) -> bool:
    """Whether two neighbouring version names, written level, could overlap on the narrowest plot."""
    step = PLOT_MIN_WIDTH / max(1, len(versions))  # a point scale's step, with half a step at each end
    return any((len(a) + len(b)) / 2 * LABEL_CHAR_PX + 8 > step for a, b in itertools.pairwise(versions))


def target_history_charts(versions: Sequence[VersionTargets], fmt: Formatter) -> list[Chart]:
    """A chart per KPI of its target across `versions` (oldest first, the working tree last), the KPIs in the
    newest plan's order, then those removed since. Each is titled by the KPI's latest title and unit, and
    writes its value at the first version and at each change."""
    order = [v.label for v in versions]
    latest: dict[str, tuple[str, str | None]] = {}  # KPI id -> (title, unit) in the newest version having it
    targets: dict[str, dict[str, float]] = {}  # KPI id -> version -> target
    for version in reversed(versions):
        for kpi, title, target, unit in version.targets:
            latest.setdefault(kpi, (title, unit))
            if _finite(target):
                targets.setdefault(kpi, {})[version.label] = float(target)
    dates = {v.label: fmt.date(v.date) for v in versions}
    return [_kpi_history(kpi, *latest[kpi], targets[kpi], order, dates, fmt) for kpi in latest if kpi in targets]


def _kpi_history(kpi: str, title: str, unit: str | None, by_version: dict[str, float], order: list[str],
                 dates: dict[str, str], fmt: Formatter) -> Chart:
    """KPI `kpi`'s chart, its table (a row per version, a dash where it had no target) and its sentence."""
    lang = fmt.language
    points: list[dict[str, Any]] = []
    labelled: list[dict[str, Any]] = []
    said: list[tuple[str, str]] = []  # each labelled target as the chart's sentence says it, with its unit
    rows: list[list[str]] = []
    previous: float | None = None
    widest = max(abs(target) for target in by_version.values())
    axis_labels = compact_labels(fmt, widest)
    for version in order:
        target = by_version.get(version)
        if target is None:
            points.append({"version": version, "target": None})
            rows.append([version, dates[version], "–"])
            previous = None  # the line breaks here: its next part gets its value written too
            continue
        money = fmt.money_unit(unit) is not None  # "$12,000,000" where the locale puts the symbol, not "12,000,000 $"
        text = fmt.measure(target, unit, exact=False)
        points.append({"version": version, "target": target, "target_label": text, "date_label": dates[version]})
        if target != previous:  # the chart writes a money value with its symbol, any other without its unit
            # as the axis reads: money short ("180 M €" for a KPI in M€, whose axis counts millions), a count
            # compact where its axis is
            mark = (fmt.measure(target, unit, compact=True) if money
                    else fmt.compact(target) if axis_labels else fmt.number(target))
            labelled.append({"version": version, "target": target, "label": mark})
            said.append((text, version))
        previous = target
        rows.append([version, dates[version], text])
    spec = _target_history_spec(lang, tuple(order), axis_labels, data=[points, labelled])

    caption = _t(lang, "caption", title=title, unit=unit) if unit else title
    table = Table(caption=caption, headers=[_t(lang, k) for k in ("version", "date", "target")], rows=rows)
    if len(by_version) > 1 and len(labelled) == 1:
        description = _t(lang, "desc_same", title=title, value=said[0][0],
                         count=len(by_version))
    else:  # the first target and each change, as the chart writes them
        steps = ", ".join(_t(lang, "step", value=value, version=version) for value, version in said)
        description = _t(lang, "desc_steps", title=title, steps=steps)
    return Chart(id=f"target-history-{kpi}", spec=spec, table=table, description=description)


"""Vega-Lite specs of the site's charts, built with Altair under one registered theme: a module per chart
(kpi, funnel, progress, budget, history), each declared in registry.py; shapes.py draws them, common.py holds
what they share.

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
- shapes are also kept on disk (cache/site_stores.py, plugged in by the build with `keep_shapes_in`), keyed
  by a hash of their arguments and of the code that draws them, so a build whose shapes are all known does
  not import Altair at all;
- Altair is imported on the first shape to draw, never by `strategy check`, `funnel` or `diff`.
"""

from .budget import budget_chart
from .common import COUNT_AXIS, MONEY_AXIS, NUMBER_AXIS, PERCENT_AXIS, STATUS_ORDER, Chart, Table
from .funnel import funnel_chart, with_stage_gaps
from .history import VersionTargets, target_history_charts
from .kpi import kpi_chart
from .progress import progress_chart, progress_chart_of
from .registry import (
    BUDGET,
    BY_NAME,
    CHART_KINDS,
    FUNNEL,
    KPI,
    PROGRESS,
    TARGET_HISTORY,
    ChartKind,
    ChartMaker,
    make_chart,
)
from .shapes import HEIGHT, THEME_NAME, InlinedSpec, ShapeStore, keep_shapes_in, theme

__all__ = [
    "BUDGET", "BY_NAME", "CHART_KINDS", "COUNT_AXIS", "FUNNEL", "HEIGHT", "KPI", "MONEY_AXIS", "NUMBER_AXIS",
    "PERCENT_AXIS", "PROGRESS", "STATUS_ORDER", "TARGET_HISTORY", "THEME_NAME", "Chart", "ChartKind", "ChartMaker",
    "InlinedSpec", "ShapeStore", "Table", "VersionTargets", "budget_chart", "funnel_chart", "keep_shapes_in",
    "kpi_chart", "make_chart", "progress_chart", "progress_chart_of", "target_history_charts", "theme",
    "with_stage_gaps",
]

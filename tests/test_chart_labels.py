"""Labels written inside a chart, as a reader sees them drawn: a bar's value never cut at the plot's edge, a
target's label clear of the lines. Drawn by vl_convert as the build draws them (chart_svg), then rasterised."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.pipeline import check
from generator.plan.compute import compute_kpi
from generator.plan.diagnostics import Location
from generator.plan.i18n import Formatter
from generator.plan.model import KPI, Plan, Point, Series, Settings
from generator.read.source import DirectorySource
from generator.site import chart_svg, charts

EN = Formatter("en", "GBP", "en-GB")
EN_SETTINGS = "title: T\nlanguage: en\nlocale: en-GB\ncurrency: GBP\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n"
TODAY = dt.date(2026, 11, 20)

PIPELINE = """\
    title: Enterprise pipeline
    goal: 20
    stages:
      - id: visitors
        title: Website visitors from target accounts
      - id: mqls
        title: Marketing-qualified leads
        rate: "8%"
      - id: sqls
        title: Sales-qualified leads
        rate: "1/4"
      - id: demos
        title: Demos held
        rate: 0.5
      - id: proposals
        title: Proposals sent
        rate: "40 %"
      - id: won
        title: Contracts signed
        rate: "1/3"
    """


def _png(chart: charts.Chart, fmt: Formatter, width: int) -> bytes:
    """The chart as the build draws it `width` px wide, as a PNG."""
    import vl_convert

    vl_convert.register_font_directory(str(chart_svg.FONTS))
    spec = chart_svg._drawing_spec(copy.deepcopy(chart.spec), width, fmt.language)
    svg = vl_convert.vegalite_to_svg(spec, format_locale=fmt.vega_format_locale(),
                                     time_format_locale=fmt.vega_time_locale())
    return bytes(vl_convert.svg_to_png(svg, scale=1))


def _ink_in_right_edge(png: bytes, columns: int = 2) -> int:
    """How many dark pixels the drawing's last `columns` columns hold: a label cut by the edge leaves some."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("LA")
    width, height = image.size
    return sum(1 for x in range(width - columns, width) for y in range(height)
               if image.getpixel((x, y))[1] > 128 and image.getpixel((x, y))[0] < 128)


@pytest.mark.parametrize("width", [chart_svg.NARROW, chart_svg.WIDE])
def test_a_funnels_longest_bar_keeps_its_whole_label(make_plan: Callable[..., Path], width: int) -> None:
    """The top stage's need, "15,000", is written in full beside its bar on a phone's drawing and a screen's:
    on a phone it once ran past the plot's edge and read "15,00"."""
    plan = make_plan({"funnels/pipeline.yaml": PIPELINE}, settings=EN_SETTINGS)
    result = check(DirectorySource(plan), TODAY)
    assert result.state is not None
    chart = charts.funnel_chart(result.state.funnels["pipeline"], EN)
    assert chart.table.rows[0][2] == "15,000"
    assert _ink_in_right_edge(_png(chart, EN, width)) == 0


def _translate_y(element: str) -> float:
    match = re.search(r'transform="translate\([-\d.]+,([-\d.]+)\)"', element)
    assert match, element
    return float(match[1])


def _top(mark: str) -> float:
    """The highest y a drawn mark reaches: a point's position, or a line's highest vertex."""
    path = re.search(r' d="(M[-\d.,LM]+)"', mark)
    if path and "translate(" not in mark:
        return min(float(y) for y in re.findall(r"[-\d.]+,([-\d.]+)", path[1]))
    return _translate_y(mark)


@pytest.mark.parametrize("width", [chart_svg.NARROW, chart_svg.WIDE])
def test_a_targets_label_stands_above_the_plot_clear_of_the_lines(width: int) -> None:
    """An uptime KPI measured daily just under its 99.95 % target: "Target: 99.95%" is written above the plot,
    where no line runs (it once sat on the daily line, and in French on the forecast's dots), over the
    diamond's date; the diamond itself stays at the target's height."""
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=d) for d in range(0, 320)]
    kpi = KPI(id="uptime", loc=Location("objectives/o.md"), locs={}, title="Uptime", target=99.95, objective="o",
              unit="%", baseline=99.7, due=dt.date(2026, 12, 31), cadence="daily")
    settings = Settings(title="T", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31), language="en")
    points = [Point(day, 99.65 + (i * 37 % 35) / 100, i + 2) for i, day in enumerate(days)]
    state = compute_kpi(kpi, Plan(settings=settings, series={"uptime": Series("data/u.csv", "value", points)}),
                        TODAY, 0.9)
    chart = charts.kpi_chart(state, EN)
    import vl_convert

    spec = dict(chart.spec, width=width)
    svg = vl_convert.vegalite_to_svg(spec, format_locale=EN.vega_format_locale())
    (label,) = re.findall(r"<text[^>]*>Target: 99\.95%</text>", svg)
    marks = re.findall(r'<path aria-label="[^"]*series: [^"]*"[^>]*>', svg)
    assert marks and all(_top(mark) >= 0 for mark in marks)  # every line and point, the diamond, in the plot
    assert _translate_y(label) < -5  # the label's baseline above the plot's top, its text higher still
    diamond = next(mark for mark in marks if "series: Target" in mark)
    assert re.search(r'translate\(([\d.]+),', diamond)[1] == re.search(r'translate\(([\d.]+),', label)[1]


FR = Formatter("fr", "EUR", "fr-FR")
FR_SETTINGS = "title: T\nlanguage: fr\ncurrency: EUR\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n"


def _solution(title: str, category: str, amount: int) -> str:
    return f"---\ntitle: {title}\ncategory: {category}\ncost:\n  amount: {amount}\n  per: year\n---\n\nTexte.\n"


@pytest.mark.parametrize("width", [chart_svg.NARROW, chart_svg.WIDE])
def test_a_budgets_largest_total_keeps_its_whole_label(make_plan: Callable[..., Path], width: int) -> None:
    """A category's yearly total of « 14 500 000 € » is written in full beside its bar on a phone's drawing and
    a screen's: with a fixed fifth of the axis for it, a phone's drawing cut it to « 14 500 000 » (no €)."""
    plan = make_plan({"solutions/portail.md": _solution("Portail", "portal", 14_500_000),
                      "solutions/crm.md": _solution("CRM", "saas", 12_120_000),
                      "solutions/salon.md": _solution("Salon", "other", 450_000)}, settings=FR_SETTINGS)
    result = check(DirectorySource(plan), TODAY)
    assert result.state is not None, result.diagnostics
    chart = charts.budget_chart(result.state, FR)
    assert chart.table.rows[0][2] == "14\u202f500\u202f000\u00a0€"
    assert _ink_in_right_edge(_png(chart, FR, width)) == 0

"""Labels written inside a chart, as a reader sees them drawn: a bar's value never cut at the plot's edge, a
target's label clear of the lines. Drawn by vl_convert as the build draws them (chart_svg), then rasterised."""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.pipeline import check
from generator.plan.i18n import Formatter
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

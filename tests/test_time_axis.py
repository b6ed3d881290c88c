"""The time axis of a KPI chart, as a reader sees it drawn: ticks on the data's cadence (months, quarters,
weeks), each label written once, and a month's point on that month's label.

Charts are drawn by Vega in the browser; here vl_convert draws them to SVG with the locales the page hands
vega-embed, and the tests read the x-axis labels that are shown (Vega hides overlapping ones)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from generator.plan import periods
from generator.plan.compute import compute_kpi
from generator.plan.diagnostics import Location
from generator.plan.i18n import Formatter
from generator.plan.model import KPI, Plan, Point, Series, Settings
from generator.site import charts, time_axis

SVG = "{http://www.w3.org/2000/svg}"
FR, EN = Formatter("fr", "EUR"), Formatter("en", "EUR")


def _chart(rows: list[str], *, cadence: str = "monthly", start: str = "2026-01-01", end: str = "2026-12-31",
           today: str = "2026-12-31", language: str = "fr") -> charts.Chart:
    """The chart of a KPI whose CSV has the `rows` (dates as written), value 10, 11, 12, …"""
    kpi = KPI(id="k", loc=Location("objectives/o.md"), locs={}, title="K", target=40, objective="o",
              baseline=10, cadence=cadence)
    settings = Settings(title="T", period_start=dt.date.fromisoformat(start),
                        period_end=dt.date.fromisoformat(end), language=language)
    points = []
    for line, written in enumerate(rows, start=2):
        parsed = periods.parse(written)
        assert parsed is not None, written
        points.append(Point(parsed[0], 10.0 + line, line, parsed[1]))
    plan = Plan(settings=settings, series={"k": Series("data/k.csv", "value", tuple(points))})
    state = compute_kpi(kpi, plan, dt.date.fromisoformat(today), 0.9)
    return charts.kpi_chart(state, FR if language == "fr" else EN)


def _svg(chart: charts.Chart, fmt: Formatter, width: int) -> ET.Element:
    import vl_convert

    spec = dict(chart.spec, width=width)
    return ET.fromstring(vl_convert.vegalite_to_svg(spec, format_locale=fmt.vega_format_locale(),
                                                    time_format_locale=fmt.vega_time_locale()))


def _x_axis(svg: ET.Element) -> ET.Element:
    for group in svg.iter(f"{SVG}g"):
        if (group.get("aria-label") or "").startswith("X-axis"):
            return group
    raise AssertionError("no x axis")


def _x(element: ET.Element) -> float:
    match = re.match(r"translate\(([-\d.]+),", element.get("transform") or "")
    assert match, element.attrib
    return float(match[1])


def _labels(svg: ET.Element) -> list[tuple[str, float]]:
    """The x-axis labels a reader sees, left to right, with their x."""
    axis = _x_axis(svg)
    return [(text.text or "", _x(text)) for group in axis.iter(f"{SVG}g")
            if "role-axis-label" in (group.get("class") or "")
            for text in group.iter(f"{SVG}text") if text.get("opacity") != "0"]


def _ticks(svg: ET.Element) -> list[float]:
    axis = _x_axis(svg)
    return [_x(tick) for group in axis.iter(f"{SVG}g") if "role-axis-tick" in (group.get("class") or "")
            for tick in group.iter(f"{SVG}line")]


def _measured_x(svg: ET.Element, series: str) -> list[float]:
    return [_x(path) for path in svg.iter(f"{SVG}path")
            if path.get("aria-roledescription") == "point" and f"series: {series};" in (path.get("aria-label") or "")]


def _axis(chart: charts.Chart) -> dict[str, Any]:
    return chart.spec["layer"][0]["encoding"]["x"]["axis"]


MONTHS_2026 = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09",
               "2026-10", "2026-11"]


@pytest.mark.parametrize("width", [600, 1400])
def test_monthly_data_gets_one_label_per_month_never_repeated(width: int) -> None:
    """Monthly rows (2026-01 … 2026-11) tick on months. The axis once read "janv. · févr. · mars · mars · avr."
    on a wide chart (weekly ticks written as months); now each shown label is a month, written once."""
    chart = _chart(MONTHS_2026)
    axis = _axis(chart)
    assert axis["format"] == "%b %Y"  # a tick at each month's last day, where its point stands
    assert [(v["month"], v["date"]) for v in axis["values"]][:3] == [(1, 31), (2, 28), (3, 31)]
    labels = [text for text, _ in _labels(_svg(chart, FR, width))]
    assert len(labels) == len(set(labels)), labels
    assert labels[0] == "janv. 2026"
    if width == 1400:  # room for every month
        assert labels == ["janv. 2026", "févr. 2026", "mars 2026", "avr. 2026", "mai 2026", "juin 2026",
                          "juil. 2026", "août 2026", "sept. 2026", "oct. 2026", "nov. 2026", "déc. 2026"]


def test_a_months_point_sits_on_that_months_label() -> None:
    """Each monthly measurement is drawn on its month's tick; the last one (November) right above the label
    "nov. 2026", not beside the previous month's."""
    svg = _svg(_chart(MONTHS_2026), FR, 1400)
    labels = dict(_labels(svg))
    points = _measured_x(svg, "Mesures")
    assert len(points) == 11
    assert points[-1] == pytest.approx(labels["nov. 2026"], abs=1)
    assert points[0] == pytest.approx(labels["janv. 2026"], abs=1)
    ticks = _ticks(svg)
    for x in points:
        assert min(abs(x - tick) for tick in ticks) < 1


@pytest.mark.parametrize(("fmt", "expected"), [
    (FR, ["T1 2026", "T2 2026", "T3 2026", "T4 2026"]),
    (EN, ["Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"]),
])
def test_quarterly_data_is_labelled_by_quarter(fmt: Formatter, expected: list[str]) -> None:
    """Rows 2026-Q1 … 2026-Q3 tick on quarters, written "T3 2026" in French and "Q3 2026" in English; the
    Q3 point sits on its label, and the chart's table names the quarters the same way."""
    chart = _chart(["2026-Q1", "2026-Q2", "2026-Q3"], cadence="quarterly", language=fmt.language)
    svg = _svg(chart, fmt, 700)
    labels = _labels(svg)
    assert [text for text, _ in labels] == expected
    series = "Mesures" if fmt.language == "fr" else "Measurements"
    assert _measured_x(svg, series)[-1] == pytest.approx(dict(labels)[expected[2]], abs=1)
    assert [row[1] for row in chart.table.rows if row[0] == series] == expected[:3]


def test_weekly_data_over_a_year_labels_each_month_once() -> None:
    """A year of weekly rows: the labels are months, none written twice (no "mars · mars")."""
    day, rows = dt.date(2026, 1, 5), []
    while day <= dt.date(2026, 11, 16):
        rows.append(day.isoformat())
        day += dt.timedelta(days=7)
    chart = _chart(rows, cadence="weekly")
    labels = [text for text, _ in _labels(_svg(chart, FR, 1400))]
    assert labels[:3] == ["janv. 2026", "févr. 2026", "mars 2026"]
    assert len(labels) == len(set(labels)) >= 10


def test_weekly_data_over_a_few_weeks_labels_day_and_month() -> None:
    """Over a two-month plan, weekly rows (Mondays) tick on their own days, written "5 Jan", "12 Jan", … each
    once, and the last week's point sits on its label (Vega's own weeks would start on Sundays)."""
    rows = ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02"]
    chart = _chart(rows, cadence="weekly", end="2026-02-28", today="2026-02-10", language="en")
    svg = _svg(chart, EN, 800)
    labels = _labels(svg)
    assert [text for text, _ in labels] == ["5 Jan", "12 Jan", "19 Jan", "26 Jan", "2 Feb"]
    assert _measured_x(svg, "Measurements")[-1] == pytest.approx(dict(labels)["2 Feb"], abs=1)


def test_a_long_monthly_plan_ticks_every_quarter_with_month_labels() -> None:
    """Three years of monthly rows: a tick at the end of every quarter (mars, juin, sept., déc.), each label once."""
    rows = [f"{year}-{month:02d}" for year in (2026, 2027, 2028) for month in range(1, 13)]
    chart = _chart(rows, end="2028-12-31", today="2028-12-31")
    assert [(v["year"], v["month"]) for v in _axis(chart)["values"]][:5] == [
        (2026, 3), (2026, 6), (2026, 9), (2026, 12), (2027, 3)]
    labels = [text for text, _ in _labels(_svg(chart, FR, 1400))]
    assert labels[:4] == ["mars 2026", "juin 2026", "sept. 2026", "déc. 2026"]
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize(("measured", "cadence", "days", "expected"), [
    (["month"], "quarterly", 365, time_axis.TimeAxis("month")),  # the rows' period wins over the cadence
    (["quarter"], "monthly", 365, time_axis.TimeAxis("quarter")),
    (["day"], "quarterly", 365, time_axis.TimeAxis("quarter")),  # dated rows: the cadence decides
    ([], "yearly", 365, time_axis.TimeAxis("quarter")),  # a single year would get one tick: quarters
    (["day"], "daily", 60, time_axis.TimeAxis("week")),
    (["day"], "daily", 365, time_axis.TimeAxis("month")),  # "4 janv." would come back a year later
    (["month"], "monthly", 60, time_axis.TimeAxis("week")),  # two months: too few month ticks
    (["quarter"], "quarterly", 20 * 365, time_axis.TimeAxis("quarter", 4)),
])
def test_the_tick_unit_follows_the_data(measured: list[str], cadence: str, days: int,
                                        expected: time_axis.TimeAxis) -> None:
    """Which ticks a chart gets from its rows' periods, its KPI's cadence and its span."""
    first = dt.date(2026, 1, 1)
    axis = time_axis.choose(measured, cadence, first, first + dt.timedelta(days=days))
    assert (axis.unit, axis.step) == (expected.unit, expected.step)


def test_centuries_of_daily_data_tick_by_round_years_few_and_apart() -> None:
    """821 years of daily data (the tester's 300,000 days) get a tick every 50 years on years a reader counts
    by (1250, 1300, …, 2000), at most MAX_TICKS of them, each shown label in the drawing: not one tick a year
    merging into a grey band, labelled at uneven years ("janv. 1206, janv. 1485") and hidden by the hundred."""
    last = dt.date(2026, 12, 2)
    first = last - dt.timedelta(days=299_999)
    rows = [(first + dt.timedelta(days=d)).isoformat() for d in range(0, 300_000, 97)] + [last.isoformat()]
    chart = _chart(rows, cadence="daily", start=first.isoformat(), end=last.isoformat(), today=last.isoformat())
    assert _axis(chart)["tickCount"] == {"interval": "year", "step": 50}
    svg = _svg(chart, FR, 1400)
    ticks = _ticks(svg)
    assert 10 <= len(ticks) <= time_axis.MAX_TICKS
    assert min(b - a for a, b in itertools.pairwise(ticks)) > 30  # px apart, not 0.3
    labels = [text for text, _ in _labels(svg)]
    assert labels and all(re.fullmatch(r"1[2-9]\d0|20[02]0", text) and int(text) % 50 == 0 for text in labels), labels
    every_label = [g for g in _x_axis(svg).iter(f"{SVG}g") if "role-axis-label" in (g.get("class") or "")]
    assert sum(1 for g in every_label for _ in g.iter(f"{SVG}text")) <= time_axis.MAX_TICKS


def test_french_weekly_ticks_write_the_first_of_the_month_1er() -> None:
    """French weekly ticks on a month's first day read "1er févr." (d3 alone would write "1 févr."); the
    other days stay "8 févr."."""
    rows = ["2026-01-18", "2026-01-25", "2026-02-01", "2026-02-08", "2026-02-15"]
    chart = _chart(rows, cadence="weekly", end="2026-02-28", today="2026-02-20")
    labels = [text for text, _ in _labels(_svg(chart, FR, 800))]
    assert labels == ["18 janv.", "25 janv.", "1er févr.", "8 févr.", "15 févr."]


def _months_apart(labels: list[str]) -> set[int]:
    """The gaps, in months, between neighbouring month labels ("Jan 2026", "Mar 2026": 2)."""
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    months = [int(text.split()[1]) * 12 + names.index(text.split()[0]) for text in labels]
    return {b - a for a, b in itertools.pairwise(months)}


@pytest.mark.parametrize("width", [340, 720])
def test_weekly_data_over_a_year_shows_evenly_spaced_months(width: int) -> None:
    """A year of weekly rows on a phone's and a screen's drawing: the month labels shown are evenly spaced
    ("Jan, Mar, May, Jul, Sep, Nov"), where the demo-requests chart once read "Jan, Mar, May, Jul, Aug, Oct, Dec"."""
    day, rows = dt.date(2026, 1, 5), []
    while day <= dt.date(2026, 11, 16):
        rows.append(day.isoformat())
        day += dt.timedelta(days=7)
    labels = [text for text, _ in _labels(_svg(_chart(rows, cadence="weekly", language="en"), EN, width))]
    assert len(labels) >= 3 and labels[0] == "Jan 2026"
    assert len(_months_apart(labels)) == 1, labels


@pytest.mark.parametrize("width", [340, 720])
def test_quarter_labels_stand_at_quarter_ends_with_or_without_data(width: int) -> None:
    """A quarterly KPI without data ticks where its quarters' points will stand, at each quarter's end, as one
    with data does (not on 1 April for "Q2 2026"); a phone's drawing shows all four quarters, none dropped."""
    empty = _chart([], cadence="quarterly", language="en")
    measured = _chart(["2026-Q1", "2026-Q2", "2026-Q3"], cadence="quarterly", language="en")
    assert _axis(empty)["values"] == _axis(measured)["values"]
    assert [(v["month"], v["date"]) for v in _axis(empty)["values"]] == [(3, 31), (6, 30), (9, 30), (12, 31)]
    for chart in (empty, measured):
        shown = _labels(_svg(chart, EN, width))
        assert [text for text, _ in shown] == ["Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"]
        gaps = [b - a for (_, a), (_, b) in itertools.pairwise(shown)]
        assert max(gaps) - min(gaps) < 5, gaps

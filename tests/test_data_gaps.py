"""Periods missing between a KPI's rows (`data-gap`) and monthly figures written as their first day
(`day-as-month`): what `strategy check` says, where, in the plan's language; and only when it misleads."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.pipeline import Checked, check
from generator.plan import gaps
from generator.plan.i18n import Formatter
from generator.read.source import DirectorySource
from generator.site import charts
from generator.site.chart_svg import draw_chart
from tests.conftest import MINIMAL_SETTINGS, TODAY, cli_build, codes, only

CheckPlan = Callable[..., Checked]
ENGLISH = MINIMAL_SETTINGS.replace("language: fr", "language: en")


def plan(rows: str, *, cadence: str = "monthly", funnel: bool = False) -> dict[str, str]:
    files = {"objectives/visites.md": "---\ntitle: Visites\ndue: 2026-12-31\nkpis:\n  - id: visites\n"
                                      f"    title: Visites\n    target: 30000\n    cadence: {cadence}\n---\n",
             "data/visites.csv": "date,value\n" + rows}
    if funnel:
        files["funnels/acquisition.yaml"] = ("title: Acquisition\ngoal: 10\nstages:\n  - id: visites\n"
                                             "    title: Visites\n    kpi: visites\n  - id: clients\n"
                                             "    title: Clients\n    rate: \"1/100\"\n")
    return files


MONTHS = "".join(f"2026-{m:02d},{20000 + m}\n" for m in range(1, 11))


def without(rows: str, *periods: str) -> str:
    return "".join(line + "\n" for line in rows.splitlines() if line.split(",")[0] not in periods)


def test_a_missing_month_is_one_warning_at_the_row_before_it(check_plan: CheckPlan) -> None:
    """June left out of a monthly series: one warning on May's line (line 6), naming June and saying the funnel
    counts it as nothing and what to write, in French."""
    d = only(check_plan(plan(without(MONTHS, "2026-06"), funnel=True)), "data-gap")
    assert (d.file, d.line, d.severity) == ("plan/data/visites.csv", 6, "warning")
    assert d.text("fr") == ("`visites` n'a aucune mesure pour juin 2026 : son étape d'entonnoir compte une période "
                         "manquante pour zéro, et son graphique y laisse un trou")
    assert d.hint_text("fr") == ("ajoutez les lignes manquantes après la ligne 6 (d'abord `2026-06`), ou écrivez "
                                 "la période avec 0 s'il n'y a vraiment rien eu")


def test_a_run_of_months_is_summarised_in_english(check_plan: CheckPlan) -> None:
    """June to August missing, then October: one warning listing both runs as a reader says them."""
    rows = without(MONTHS + "2026-11,1\n", "2026-06", "2026-07", "2026-08", "2026-10")
    d = only(check_plan(plan(rows), settings=ENGLISH), "data-gap")
    assert d.message == ("`visites` has no measurement from June to August 2026, October 2026: its chart leaves "
                         "a gap there")
    assert "after line 6 (`2026-06` first)" in (d.hint or "")


def test_french_elides_before_a_vowel(check_plan: CheckPlan) -> None:
    """« d'avril à mai 2026 », never « de avril »."""
    d = only(check_plan(plan(without(MONTHS, "2026-04", "2026-05"))), "data-gap")
    assert "n'a aucune mesure d'avril à mai 2026 :" in d.text("fr")


def test_what_is_not_a_gap(check_plan: CheckPlan) -> None:
    """A complete series, quarters on a monthly KPI (a coarser grid), months on a quarterly KPI that skip a
    month inside a measured quarter, and a series that simply stops (stale, its own warning) are no gap."""
    assert "data-gap" not in codes(check_plan(plan(MONTHS)))
    assert "data-gap" not in codes(check_plan(plan("2026-Q1,1\n2026-Q2,2\n2026-Q3,3\n")))
    quarterly = plan(without(MONTHS, "2026-05"), cadence="quarterly")
    assert "data-gap" not in codes(check_plan(quarterly))
    stopped = codes(check_plan(plan("2026-01,1\n2026-02,2\n2026-03,3\n")))
    assert "stale-data" in stopped and "data-gap" not in stopped


def test_monthly_figures_as_days_on_a_weekly_kpi_are_no_gap(check_plan: CheckPlan) -> None:
    """Rows a month apart on a weekly KPI are read on their own grid: the weeks between them are not missing."""
    rows = "".join(f"2026-{m:02d}-28,{m}\n" for m in range(1, 12))
    assert "data-gap" not in codes(check_plan(plan(rows, cadence="weekly")))


def test_days_only_on_a_daily_kpi_and_weekends_of_business_days(check_plan: CheckPlan) -> None:
    """A daily KPI on business days misses no weekend; a missing Wednesday is said as that day."""
    days = [dt.date(2026, 11, 2) + dt.timedelta(days=i) for i in range(19)]
    rows = "".join(f"{d.isoformat()},5\n" for d in days if d.weekday() < 5 and d != dt.date(2026, 11, 11))
    d = only(check_plan(plan(rows, cadence="daily"), settings=ENGLISH), "data-gap")
    assert "has no measurement for Nov 11, 2026:" in d.message
    rows = "".join(f"{d.isoformat()},5\n" for d in days if d.weekday() < 5)
    assert "data-gap" not in codes(check_plan(plan(rows, cadence="daily")))


def test_missing_weeks_are_said_as_days() -> None:
    """A weekly KPI missing two weeks: the run goes from the first missing Monday to the last missing Sunday."""
    rows = [(dt.date(2026, 3, 2) + dt.timedelta(weeks=w), "day") for w in range(8) if w not in (3, 4)]
    (gap,) = gaps.find(rows, "weekly")
    assert (gap.first, gap.end, gap.count) == (dt.date(2026, 3, 23), dt.date(2026, 4, 5), 2)


def test_first_of_month_rows_on_a_monthly_kpi(check_plan: CheckPlan) -> None:
    """A monthly export dated on each month's first day (`2026-09-01`, `09/01/2026`) is read as days: a hint to
    write the month, in both languages; none for rows that are months already, nor for dates not all the 1st."""
    rows = "".join(f"2026-{m:02d}-01,{m}\n" for m in range(1, 10))
    d = only(check_plan(plan(rows), settings=ENGLISH), "day-as-month")
    assert (d.file, d.line) == ("plan/data/visites.csv", 2)
    assert d.message == ("every row of `visites` is dated the first day of a month and read as that day: the last "
                         "one counts as of Sep 1, 2026, not for September 2026")
    assert d.hint == "if each row is the figure of a whole month, write the month in the date column: `2026-09`, " \
                     "not its first day"
    french = only(check_plan(plan(rows)), "day-as-month")
    assert "la dernière compte au 1er sept. 2026, pas pour septembre 2026" in french.text("fr")
    assert "day-as-month" not in codes(check_plan(plan(MONTHS)))
    assert "day-as-month" not in codes(check_plan(plan(rows + "2026-10-15,1\n"), settings=ENGLISH))


def _chart(make_plan: Callable[..., Path], rows: str, settings: str = MINIMAL_SETTINGS) -> charts.Chart:
    folder = make_plan(plan(rows), settings=settings)
    state = check(DirectorySource(folder), TODAY).state
    assert state is not None
    language = "en" if "language: en" in settings else "fr"
    return charts.kpi_chart(state.kpis["visites"], Formatter(language, "EUR"))


def _measured(chart: charts.Chart) -> dict[str, Any]:
    return next(layer for layer in chart.spec["layer"] if layer["mark"].get("point"))


def test_the_chart_breaks_its_line_over_a_missing_month(make_plan: Callable[..., Path]) -> None:
    """June missing: the measured line is drawn in two pieces (January to May, July on), and the table's note
    says June has no measurement, in French and in English."""
    chart = _chart(make_plan, without(MONTHS, "2026-06"))
    line = _measured(chart)
    assert line["encoding"]["detail"] == {"field": "segment", "type": "nominal"}
    assert [row["segment"] for row in line["data"]["values"]] == [0] * 5 + [1] * 4
    assert chart.table.note == "Aucune mesure pour juin 2026."
    english = _chart(make_plan, without(MONTHS, "2026-06", "2026-07"), ENGLISH)
    assert english.table.note == "No measurement from June to July 2026."
    svg = str(draw_chart(english.spec, 700, Formatter("en", "EUR")))
    assert len(re.findall(r'<path d="M[\d.,L]+"/>', svg)) == 2  # two pieces of line, not one


def test_a_chart_without_gap_keeps_its_spec(make_plan: Callable[..., Path]) -> None:
    """A complete series draws one joined line with no note: its spec (its drawing's key) is as before."""
    chart = _chart(make_plan, MONTHS)
    line = _measured(chart)
    assert "detail" not in line["encoding"]
    assert all("segment" not in row for row in line["data"]["values"])
    assert chart.table.note == ""


def _built(make_plan: Callable[..., Path], tmp_path: Path, rows: str, settings: str) -> Path:
    return cli_build(make_plan(plan(rows, funnel=True), settings=settings), tmp_path / "site", TODAY.isoformat())


def _read(html_text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", html_text)))


def _funnel_page(make_plan: Callable[..., Path], tmp_path: Path, rows: str, settings: str) -> str:
    return _read((_built(make_plan, tmp_path, rows, settings) / "funnels/acquisition.html").read_text())


def test_the_funnel_page_says_beside_the_volume_that_a_month_is_missing(make_plan: Callable[..., Path],
                                                                       tmp_path: Path) -> None:
    """A stage whose KPI lacks June: its volume on the funnel page says June is missing and counted as nothing,
    in French and in English; a complete series says nothing."""
    french = _funnel_page(make_plan, tmp_path / "fr", without(MONTHS, "2026-06"), MINIMAL_SETTINGS)
    assert "(aucune mesure pour juin 2026, comptée pour zéro)" in french
    english = _funnel_page(make_plan, tmp_path / "en", without(MONTHS, "2026-06"), ENGLISH)
    assert "(no measurement for June 2026, counted as nothing)" in english
    assert "no measurement" not in _funnel_page(make_plan, tmp_path / "full", MONTHS, ENGLISH)


def test_the_month_count_shortcut_finds_what_the_day_by_day_walk_finds() -> None:
    """Monthly and quarterly rows (the common case, counted by months) give the very gaps, with the row before
    each, that the general walk gives: random series with holes, duplicates and rows on a coarser grid."""
    import datetime as dt
    import random

    from generator.plan import gaps, periods

    rng = random.Random(7)
    for _ in range(2000):
        kind = rng.choice([periods.MONTH, periods.QUARTER])
        cadence = rng.choice(["monthly", "quarterly", "weekly", "yearly", "daily"])
        step = 1 if kind == periods.MONTH else 3
        start = dt.date(rng.randint(2020, 2026), rng.choice(range(1, 13, step)), 1)
        chosen = sorted(rng.sample(range(0, 60, step), min(rng.randint(2, 40), 60 // step)))
        rows = [(periods.add_months(start, i), kind) for i in chosen + chosen[-1:] * rng.randint(0, 1)]
        assert gaps.find(rows, cadence) == gaps._find_any(sorted(rows), cadence), (rows, cadence)


def test_the_funnel_chart_table_and_description_and_the_kpi_tile_say_a_month_is_missing(
        make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """A reader of the funnel chart's data table, of its text description (screen readers) or of the objective
    page's "Latest" tile alone is told June is missing, in the words the funnel page uses beside the volume, so
    that a missing month is never read as a measured one; on the funnel page and the dashboard alike."""
    out = _built(make_plan, tmp_path / "fr", without(MONTHS, "2026-06"), MINIMAL_SETTINGS)
    for page in ("funnels/acquisition.html", "index.html"):
        text = (out / page).read_text()
        table = _read(text.split('<details class="chart-data"')[-1 if page == "index.html" else 1].split("</table>")[0])
        assert "(aucune mesure pour juin 2026, comptée pour zéro)" in table, page
        [label] = re.findall(r'data-chart="funnel-acquisition" role="img" aria-label="([^"]*)"', text)
        said = " «\u00a0Visites\u00a0» : aucune mesure pour juin 2026, comptée pour zéro."
        assert html.unescape(label).endswith(said)
    tiles = _read((out / "objectives/visites.html").read_text().split('<dl class="numbers">')[1].split("</dl>")[0])
    assert "(aucune mesure pour juin 2026)" in tiles
    english = _built(make_plan, tmp_path / "en", without(MONTHS, "2026-06"), ENGLISH)
    text = (english / "funnels/acquisition.html").read_text()
    assert "“Visites”: no measurement for June 2026, counted as nothing." in html.unescape(text)
    tiles = _read((english / "objectives/visites.html").read_text().split('<dl class="numbers">')[1].split("</dl>")[0])
    assert "(no measurement for June 2026)" in tiles
    full = _built(make_plan, tmp_path / "full", MONTHS, ENGLISH)
    assert "no measurement" not in (full / "funnels/acquisition.html").read_text()
    assert "no measurement" not in (full / "objectives/visites.html").read_text()


def test_the_day_step_shortcut_finds_what_the_day_by_day_walk_finds() -> None:
    """Daily rows of a daily KPI (read by the steps between rows, for series of 300,000 days) give the very gaps,
    with the row before each, that the general walk gives: random series with holes, duplicates, and series kept
    on business days (a weekend is no gap there)."""
    import datetime as dt
    import random

    from generator.plan import gaps, periods

    rng = random.Random(11)
    for _ in range(2000):
        start = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(400))
        chosen = sorted(rng.sample(range(0, 90), rng.randint(2, 60)))
        days = [start + dt.timedelta(days=i) for i in chosen]
        if rng.random() < 0.4:
            days = [d for d in days if d.weekday() < 5] or days
        rows = [(d, periods.DAY) for d in days + days[-1:] * rng.randint(0, 1)]
        if len(rows) < 2:
            continue
        assert gaps.find(rows, "daily") == gaps._find_any(sorted(rows), "daily"), rows


def test_the_grid_rows_are_checked_on_is_the_one_counting_every_period_finds() -> None:
    """The grid a KPI's rows are checked on (its cadence, or the coarsest one holding one row a period) is the
    one found by counting the rows' periods on every grid, though grids with fewer periods than rows are no
    longer counted: random rows of days, months and quarters over one to forty years."""
    import datetime as dt
    import random

    from generator.plan import gaps, periods

    def counted(rows: list[tuple[dt.date, str]], cadence: str) -> str:
        finest = max(gaps.GRIDS.index(gaps._ROW_GRIDS.get(p, gaps.DAY)) for _, p in rows)
        own = next((i for i in range(len(gaps.GRIDS) - 1, finest, -1)
                    if len({periods.start(d, gaps.GRIDS[i]) for d, _ in rows}) == len(rows)), finest)
        return gaps.GRIDS[max(own, gaps.GRIDS.index(gaps.CADENCE_GRIDS.get(cadence, gaps.MONTH)))]

    rng = random.Random(5)
    for _ in range(1500):
        period = rng.choice([periods.DAY, periods.MONTH, periods.QUARTER])
        start = dt.date(rng.randint(1990, 2026), 1, 1)
        span = rng.choice([20, 400, 4000, 15000])
        days = sorted({start + dt.timedelta(days=rng.randrange(span)) for _ in range(rng.randint(1, 60))})
        rows = [(periods.start(d, period) if period != periods.DAY else d, period) for d in days]
        cadence = rng.choice(["daily", "weekly", "monthly", "quarterly", "yearly"])
        assert gaps.grid_of(rows, cadence) == counted(rows, cadence), (rows, cadence)

"""A KPI's long series on its page: its data table summarised by period, every measurement one click away in a
CSV file beside the page, and the page light whatever the number of rows (site/long_series.py)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.site import long_series
from tests.conftest import EXAMPLE

TODAY = dt.date(2026, 11, 23)
KPI, OBJECTIVE = "ambassadeurs-actifs", "ambassadeurs-numeriques"


def _plan_with_daily_rows(folder: Path, rows: int, language: str = "fr") -> Path:
    """The example plan with `rows` daily measurements of one KPI, the last one yesterday."""
    plan = folder / "plan"
    shutil.copytree(EXAMPLE, plan)
    start = TODAY - dt.timedelta(days=rows)
    lines = ["date,value"] + [f"{start + dt.timedelta(days=i)},{4 + i % 11}" for i in range(rows)]
    (plan / "data" / f"{KPI}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if language != "fr":
        settings = plan / "strategy.yaml"
        settings.write_text(settings.read_text(encoding="utf-8").replace("language: fr", f"language: {language}"),
                             encoding="utf-8")
    return plan


def _measured_rows(html: str) -> list[tuple[str, str]]:
    """The measurement rows of the KPI's data table (the page has other KPIs' tables)."""
    name = "Mesures" if 'lang="fr"' in html else "Measurements"
    html = html.split(f'id="chart-kpi-{KPI}"', 1)[1].split("</figure>", 1)[0]
    return re.findall(rf'<tr><th scope="row">{name}</th><td>([^<]*)</td><td>([^<]*)</td></tr>', html)


def test_300000_daily_rows_make_a_light_page_and_a_full_csv(tmp_path: Path) -> None:
    """A KPI of 300,000 daily rows: its page stays under 3 MB with a table of at most 60 measurement rows (the
    latest years, one row a year, each the year's last measurement under its own day: "22 nov. 2026"), and
    the link beside the chart ("Les 300 000 mesures (CSV)") gives every row, in order."""
    plan = _plan_with_daily_rows(tmp_path, 300_000)
    out = tmp_path / "site"
    result = build(plan, out, TODAY, search=False)
    assert result.ok, result.message
    page = out / "objectives" / f"{OBJECTIVE}.html"
    assert page.stat().st_size < 3 * 1024 * 1024
    html = page.read_text(encoding="utf-8")
    rows = _measured_rows(html)
    assert len(rows) == long_series.TABLE_MAX_ROWS
    assert rows[-1] == ("22 nov. 2026", "11\xa0salariés")  # 4 + 299,999 mod 11
    assert "une ligne par an pour les 60 dernières années : la dernière mesure de l'année, sous sa propre date" \
        in html.replace("&#39;", "'")
    assert rows[-2][0] == "31 déc. 2025"
    link = re.search(r'<a href="([^"]+)" download>Les 300\u202f000 mesures \(CSV\)</a>', html)
    assert link is not None
    csv = (page.parent / link.group(1)).read_text(encoding="utf-8").splitlines()
    assert csv[0] == "date,value" and len(csv) == 300_001
    assert csv[1] == f"{TODAY - dt.timedelta(days=300_000)},4" and csv[-1] == f"{TODAY - dt.timedelta(days=1)},11"


def test_a_few_hundred_rows_are_summarised_by_month_in_the_plan_language(tmp_path: Path) -> None:
    """200 daily rows in an English plan: one table row per month, May to November, each the month's last
    measurement under its own day ("May 31, 2026", "Nov 22, 2026"; not "November 2026", which would read as
    the month's figure), a note saying so, and "All 200 measurements (CSV)" beside the chart."""
    plan = _plan_with_daily_rows(tmp_path, 200, language="en")
    out = tmp_path / "site"
    assert build(plan, out, TODAY, search=False).ok
    html = (out / "objectives" / f"{OBJECTIVE}.html").read_text(encoding="utf-8")
    rows = _measured_rows(html)
    assert len(rows) == 7 and rows[0][0] == "May 31, 2026"
    assert rows[-1] == ("Nov 22, 2026", "5\xa0salariés")  # 4 + 199 mod 11
    assert "The table gives one row per month: the month&#39;s last measurement, under its own date." in html
    assert f'<a href="{OBJECTIVE}/kpi-{KPI}.csv" download>All 200 measurements (CSV)</a>' in html
    assert (out / long_series.csv_path(OBJECTIVE, KPI)).read_bytes().count(b"\n") == 201


def test_a_summarised_running_total_says_so_and_a_month_row_keeps_its_month(tmp_path: Path) -> None:
    """A cumulative KPI's summary says its rows are running totals ("le total cumulé à la dernière mesure du
    mois, sous sa propre date"); a measurement that stands for a month (`2026-11`) keeps the month's name
    ("novembre 2026") in the summary, since it is that month's figure."""
    plan = _plan_with_daily_rows(tmp_path, 1)
    objective = plan / "objectives" / f"{OBJECTIVE}.md"
    text = objective.read_text(encoding="utf-8")
    objective.write_text(text.replace("due: 2026-09-30\n    measure: level", "due: 2026-09-30\n    measure: cumulative",
                                      1), encoding="utf-8")
    days = [dt.date(2026, 8, 25) + dt.timedelta(days=i) for i in range(68)]  # to 31 October, then November
    lines = [f"{day},{i // 10}" for i, day in enumerate(days)] + ["2026-11,7"]
    (plan / "data" / f"{KPI}.csv").write_text("date,value\n" + "\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "site"
    assert build(plan, out, TODAY, search=False).ok
    html = (out / "objectives" / f"{OBJECTIVE}.html").read_text(encoding="utf-8")
    assert "Le tableau donne une ligne par mois : le total cumulé à la dernière mesure du mois, sous sa propre " \
           "date." in html
    rows = _measured_rows(html)
    assert [day for day, _ in rows] == ["31 août 2026", "30 sept. 2026", "31 oct. 2026", "novembre 2026"]


def test_a_short_series_keeps_its_table_and_gets_no_csv(tmp_path: Path) -> None:
    """Up to 60 measurements, the table lists them all and no CSV file is written."""
    out = tmp_path / "site"
    assert build(EXAMPLE, out, TODAY, search=False).ok
    assert not list(out.glob("objectives/*/*.csv"))
    assert 'class="chart-note"' not in (out / "objectives" / f"{OBJECTIVE}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("days", "period"), [(60, None), (61, "month"), (5 * 365, "month"), (15 * 365, "quarter"),
                                              (40 * 365, "year")])
def test_the_summary_period_is_the_shortest_that_fits(days: int, period: str | None) -> None:
    """Daily rows are listed up to 60, then summarised by month, by quarter beyond 60 months, by year beyond."""
    start = dt.date(1980, 1, 1)
    points = [(start + dt.timedelta(days=i), 1.0) for i in range(days)]
    assert long_series.summary_period(points) == period


def test_the_summary_period_is_the_one_counting_every_period_finds() -> None:
    """A long series' table is summarised by the shortest period giving at most TABLE_MAX_ROWS rows, the one
    found by counting all the series' periods (it is now read only until it has too many): random series."""
    import random

    from generator.plan import periods

    def counted(points: list[tuple[dt.date, float]]) -> str | None:
        if len(points) <= long_series.TABLE_MAX_ROWS:
            return None
        return next((p for p in long_series.PERIODS
                     if len({periods.start(d, p) for d, _ in points}) <= long_series.TABLE_MAX_ROWS),
                    long_series.PERIODS[-1])

    rng = random.Random(3)
    for _ in range(300):
        start = dt.date(rng.randint(1900, 2026), 1, 1)
        step = rng.choice([1, 7, 30, 400])
        points = [(start + dt.timedelta(days=i * step), 1.0) for i in range(rng.randint(1, 400))]
        assert long_series.summary_period(points) == counted(points)

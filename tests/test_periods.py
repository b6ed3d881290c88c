"""A KPI's CSV row for a month (`2026-11`) or a quarter (`2026-Q3`): read as that period, shown as that period
("novembre 2026", "T3 2026") wherever the site or `strategy check` names a measurement, and stale only two
cadence periods after the period's end, by one rule shared by `strategy check` and the dashboard."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from generator.pipeline import Checked
from generator.plan import periods
from generator.site.pages import freshness
from tests.conftest import MINIMAL_SETTINGS, codes, only

CheckPlan = Callable[..., Checked]

OBJECTIVE = """\
    ---
    title: Croissance
    due: 2026-12-31
    kpis:
      - {id: leads, title: Leads, baseline: 10, target: 100}
      - {id: ventes, title: Ventes, baseline: 1, target: 9, cadence: quarterly}
    ---
    """
# November's figure, and the third quarter's
PLAN = {"objectives/croissance.md": OBJECTIVE,
        "data/leads.csv": "date,value\n2026-10,40\n2026-11,50\n",
        "data/ventes.csv": "date,value\n2026-Q2,2\n2026-Q3,4\n"}
EN_SETTINGS = MINIMAL_SETTINGS.replace("language: fr", "language: en")

JAN_15, JAN_31, FEB_1 = dt.date(2027, 1, 15), dt.date(2027, 1, 31), dt.date(2027, 2, 1)


# --- reading the CSV ---------------------------------------------------------------------------


def test_a_month_and_a_quarter_are_read_as_periods(check_plan: CheckPlan) -> None:
    """`2026-11` is November (dated its first day), `2026-Q3` the third quarter (from 1 July); a lower-case
    `2026-q2` is read too."""
    checked = check_plan({**PLAN, "data/ventes.csv": "date,value\n2026-q2,2\n2026-Q3,4\n"})
    assert checked.plan is not None
    leads, ventes = checked.plan.series["leads"].points, checked.plan.series["ventes"].points
    assert [(p.date, p.period, p.end) for p in leads] == [
        (dt.date(2026, 10, 1), "month", dt.date(2026, 10, 31)), (dt.date(2026, 11, 1), "month", dt.date(2026, 11, 30))]
    assert [(p.date, p.period, p.end) for p in ventes] == [
        (dt.date(2026, 4, 1), "quarter", dt.date(2026, 6, 30)), (dt.date(2026, 7, 1), "quarter", dt.date(2026, 9, 30))]


@pytest.mark.parametrize(("written", "hint"), [
    ("2026-Q5", "écrivez un trimestre AAAA-Qn, de Q1 à Q4, par ex. 2026-Q3"),
    ("2026-T5", "écrivez un trimestre AAAA-Qn, de Q1 à Q4, par ex. 2026-Q3"),  # 2026-T3 is read (test_data_hints)
    ("2026-13", "écrivez JJ/MM/AAAA ou AAAA-MM-JJ pour un jour, AAAA-MM pour un mois ou AAAA-Qn pour un "
                "trimestre, par ex. 31/03/2026, 2026-03 ou 2026-Q3"),
])
def test_a_bad_period_is_one_error_at_its_cell(check_plan: CheckPlan, written: str, hint: str) -> None:
    """A period that does not exist is one csv-row error at the file, line and column of the cell, saying
    what to write instead."""
    checked = check_plan({**PLAN, "data/ventes.csv": f"date,value\n2026-Q2,2\n{written},4\n"})
    d = only(checked, "csv-row")
    assert (d.file, d.line, d.column) == ("plan/data/ventes.csv", 3, 1)
    assert d.message == f"`{written}` n'est pas une date"  # in the plan's language
    assert d.hint == hint
    assert codes(checked, "error") == ["csv-row"]


def test_a_quarter_and_its_first_month_are_one_row_too_many(check_plan: CheckPlan) -> None:
    """`2026-Q4` after `2026-10` (both from 1 October) is one error on the second row, naming the first."""
    checked = check_plan({**PLAN, "data/leads.csv": "date,value\n2026-10,40\n2026-Q4,50\n"})
    d = only(checked, "csv-row")
    assert (d.file, d.line) == ("plan/data/leads.csv", 3)
    assert d.message == "2026-Q4 commence le même jour que 2026-10, ligne 2"
    assert d.hint == "gardez une ligne par période"


# --- stale data ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "stale"), [(JAN_15, False), (JAN_31, False), (FEB_1, True)])
def test_a_november_figure_is_stale_two_months_after_november(check_plan: CheckPlan, today: dt.date,
                                                              stale: bool) -> None:
    """A monthly KPI whose last row is 2026-11 is up to date on 15 and 31 January (two months after
    November's end) and stale from 1 February, in `strategy check` and on the dashboard alike."""
    checked = check_plan(PLAN, today=today)
    assert ("stale-data" in codes(checked)) is stale
    assert checked.state is not None
    rows = {r.kpi.kpi.id: r for r in freshness(checked.state)}
    assert (rows["leads"].last, rows["leads"].period, rows["leads"].stale) == (dt.date(2026, 11, 1), "month", stale)
    assert rows["leads"].age_days == (today - dt.date(2026, 11, 30)).days  # since November ended


@pytest.mark.parametrize(("today", "stale"), [(dt.date(2027, 3, 31), False), (dt.date(2027, 4, 1), True)])
def test_a_third_quarter_figure_is_stale_two_quarters_after_september(check_plan: CheckPlan, today: dt.date,
                                                                      stale: bool) -> None:
    """A quarterly KPI whose last row is 2026-Q3 stays fresh until 31 March, two quarters after 30 September."""
    checked = check_plan({**PLAN, "data/leads.csv": f"date,value\n{today:%Y-%m},40\n"}, today=today)
    assert [d.message.split("`")[1] for d in checked.diagnostics if d.code == "stale-data"] == (
        ["ventes"] if stale else [])
    assert checked.state is not None
    rows = {r.kpi.kpi.id: r for r in freshness(checked.state)}
    assert rows["ventes"].stale is stale


def test_the_stale_warning_names_the_period(check_plan: CheckPlan) -> None:
    """The warning on a stale month says which month, as the reader and the CSV name it."""
    d = only(check_plan(PLAN, today=FEB_1), "stale-data")
    assert (d.file, d.line) == ("plan/data/leads.csv", 3)
    assert d.message == ("the last measurement of `leads` is for November 2026 (2026-11), which ended more than "
                         "two months ago")
    assert d.text("fr") == ("la dernière mesure de `leads` porte sur novembre 2026 (2026-11), période finie il y a "
                            "plus de deux mois")


def test_a_dated_row_keeps_its_day(check_plan: CheckPlan) -> None:
    """A row written as a day is judged from that day: 2026-11-30 is stale after 2027-01-31 too."""
    files = {**PLAN, "data/leads.csv": "date,value\n2026-11-30,50\n"}
    assert "stale-data" not in codes(check_plan(files, today=JAN_31))
    d = only(check_plan(files, today=FEB_1), "stale-data")
    assert "is from 2026-11-30, more than two months ago" in d.message


def test_the_first_measurement_is_named_as_written(check_plan: CheckPlan) -> None:
    """A target no better than the first measurement names that row as the CSV writes it: (2026-10)."""
    no_baseline = OBJECTIVE.replace("baseline: 10, target: 100", "target: 30, direction: up")
    files = {**PLAN, "objectives/croissance.md": no_baseline}
    d = only(check_plan(files), "not-ambitious")
    assert "its first measurement (2026-10): 40" in d.message


def test_one_rule_for_both() -> None:
    """`fresh_until` is the last fresh day: a period's end plus two cadence periods, month ends kept."""
    november = dt.date(2026, 11, 1)
    assert periods.fresh_until(november, "month", "monthly") == JAN_31
    assert periods.fresh_until(dt.date(2026, 7, 1), "quarter", "quarterly") == dt.date(2027, 3, 31)
    assert periods.fresh_until(november, "month", "weekly") == dt.date(2026, 12, 14)
    assert periods.fresh_until(dt.date(2026, 9, 15), "day", "monthly") == dt.date(2026, 11, 15)


# --- what the reader sees ------------------------------------------------------------------------


def _cells(html: str, heading: str) -> list[str]:
    """The text of each row of the table whose header row holds `heading`."""
    table = next(t for t in re.findall(r"<table.*?</table>", html, re.DOTALL) if f">{heading}<" in t)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)]


@pytest.mark.parametrize(("settings", "heading", "leads", "ventes", "latest"), [
    (MINIMAL_SETTINGS, "Dernière mesure", "Leads Croissance novembre 2026 46 j à jour",
     "Ventes Croissance T3 2026 107 j à jour", "À l'échéance 50 novembre 2026"),
    (EN_SETTINGS, "Last measurement", "Leads Croissance November 2026 46 d up to date",
     "Ventes Croissance Q3 2026 107 d up to date", "At due date 50 November 2026"),
])
def test_the_site_shows_the_period(make_plan: Callable[..., Path], tmp_path: Path, settings: str, heading: str,
                                   leads: str, ventes: str, latest: str) -> None:
    """Built on 15 January, the freshness table (freshness.html) reads "novembre 2026" (not "1 nov. 2026") and
    "T3 2026", up to date, aged from the period's end; the objective page's value at the due date (31 Dec
    2026, passed) and its chart table name the month too."""
    out = tmp_path / "site"
    result = build(make_plan(PLAN, settings=settings), out, JAN_15)
    assert result.ok, result.message
    listing = (out / "freshness.html").read_text(encoding="utf-8")
    rows = _cells(listing, heading)
    assert leads in rows and ventes in rows, rows
    objective = (out / "objectives" / "croissance.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", objective)))
    assert latest in text
    month = latest.split(" 50 ")[1]
    assert f"<td>{month}</td>" in objective  # the chart's data table
    assert not any(day in listing + objective for day in ("1 nov. 2026", "1 Nov 2026", "Nov 1, 2026"))


@pytest.mark.parametrize(("settings", "heading", "leads", "ventes"), [
    (MINIMAL_SETTINGS, "Dernière mesure", "Leads Croissance décembre 2026 mois en cours à jour",
     "Ventes Croissance T4 2026 trimestre en cours à jour"),
    (EN_SETTINGS, "Last measurement", "Leads Croissance December 2026 current month up to date",
     "Ventes Croissance Q4 2026 current quarter up to date"),
])
def test_a_period_still_running_is_said_current_not_zero_days_old(make_plan: Callable[..., Path], tmp_path: Path,
                                                                   settings: str, heading: str, leads: str,
                                                                   ventes: str) -> None:
    """Built on 3 December with rows for December and the fourth quarter, the freshness table's age reads
    "trimestre en cours" / "current quarter", not "0 j" / "0 d"."""
    files = {**PLAN, "data/leads.csv": "date,value\n2026-11,40\n2026-12,50\n",
             "data/ventes.csv": "date,value\n2026-Q3,2\n2026-Q4,4\n"}
    out = tmp_path / "site"
    result = build(make_plan(files, settings=settings), out, dt.date(2026, 12, 3))
    assert result.ok, result.message
    rows = _cells((out / "freshness.html").read_text(encoding="utf-8"), heading)
    assert leads in rows and ventes in rows, rows


def test_build_strict_publishes_a_plan_whose_months_are_up_to_date(make_plan: Callable[..., Path],
                                                                   tmp_path: Path) -> None:
    """The publish workflow (`build --strict`) accepts a plan whose last row is November on 15 January, and
    refuses it on 1 February, with the stale-data warning."""
    plan = make_plan(PLAN)
    runner = CliRunner()
    ok = runner.invoke(main, ["build", str(plan), "-o", str(tmp_path / "jan"), "--today", "2027-01-15", "--strict"])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "jan" / "index.html").exists()
    late = runner.invoke(main, ["build", str(plan), "-o", str(tmp_path / "feb"), "--today", "2027-02-01", "--strict"])
    assert late.exit_code == 1
    assert "stale-data" in late.output and "novembre 2026 (2026-11)" in late.output  # the plan is French

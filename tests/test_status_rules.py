"""Statuses that never contradict themselves (issue 13, item 7): milestones shape a back-loaded KPI's
expected path, a KPI whose forecast reaches its target is at worst at risk, and the page says which rule
set each status, with the numbers it compared."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.plan.compute import compute_kpi
from tests.test_funnel_to_date import page_text
from tests.test_kpi_status import HALF, d, kpi, make_plan

SETTINGS = """\
title: Plan SaaS
language: fr
period:
  start: 2026-01-01
  end: 2026-12-31
"""
BACK_LOADED = """\
---
title: Faire croître le revenu récurrent
due: 2026-12-31
kpis:
  - id: mrr
    title: Revenu récurrent mensuel
    unit: k€
    baseline: 100
    target: 200
    milestones:
      - date: 2026-06-30
        value: 110
      - date: 2026-09-30
        value: 140
    data: data/mrr.csv
  - id: churn
    title: Taux d'attrition mensuel
    unit: "%"
    baseline: 3
    target: 1.5
    direction: down
    data: data/churn.csv
---
"""
MRR = "date,value\n2026-01-31,101\n2026-03-31,104\n2026-05-31,108\n2026-06-30,111\n"
# falling fast enough that the straight line through the points reaches 1,47 by the due date, yet far
# behind the straight expected path on 30 June
CHURN = "date,value\n2026-05-31,2.9\n2026-06-30,2.7\n"


def with_milestones(k, *pairs: tuple[str, float]):  # type: ignore[no-untyped-def]
    return dataclasses.replace(k, milestones=tuple((d(day), value) for day, value in pairs))


def test_milestones_shape_the_expected_path() -> None:
    """Between milestones the path is straight: 100 at the start, 110 on 30 June, 140 on 30 September,
    200 at the due date."""
    k = with_milestones(kpi(200, baseline=100), ("2026-06-30", 110), ("2026-09-30", 140))
    s = compute_kpi(k, make_plan([k], {"k": [("2026-06-01", 109)]}), HALF, 0.9)
    assert s.expected_at(d("2026-06-30")) == pytest.approx(110)
    assert s.expected_at(d("2026-08-15")) == pytest.approx(110 + 30 * 46 / 92)
    assert s.expected_at(d("2026-09-30")) == pytest.approx(140)
    assert s.expected_at(d("2026-12-31")) == pytest.approx(200)
    assert s.expected_at(d("2026-03-31")) == pytest.approx(100 + 10 * 89 / 180)


def test_back_loaded_plan_is_on_track_with_its_milestones() -> None:
    """A SaaS revenue at 111 on 30 June is on track against its milestones (110 expected), where the
    straight line (150 expected) would call it off track all year."""
    points = [("2026-01-31", 101), ("2026-03-31", 104), ("2026-05-31", 108), ("2026-06-30", 111)]
    straight = kpi(200, baseline=100)
    assert compute_kpi(straight, make_plan([straight], {"k": points}), d("2026-06-30"), 0.9).status == "off-track"
    shaped = with_milestones(straight, ("2026-06-30", 110), ("2026-09-30", 140))
    state = compute_kpi(shaped, make_plan([shaped], {"k": points}), d("2026-06-30"), 0.9)
    assert (state.status, state.rule) == ("on-track", "on-path")


def test_forecast_reaching_the_target_is_never_off_track() -> None:
    """A churn KPI (down, 3 → 1,5) far behind the straight path, whose forecast at the due date (1,47)
    beats its target, is at risk, not off track."""
    k = kpi(1.5, baseline=3, direction="down")
    points = [("2026-05-31", 2.9), ("2026-06-30", 2.7)]
    state = compute_kpi(k, make_plan([k], {"k": points}), d("2026-06-30"), 0.9)
    assert state.forecast == pytest.approx(1.47, abs=0.01)
    assert (state.status, state.rule) == ("at-risk", "forecast-reaches-target")


def test_behind_with_a_forecast_that_misses_is_off_track() -> None:
    """Far behind and a forecast short of the target: off track, by the rule that says both."""
    k = kpi(200, baseline=100)
    state = compute_kpi(k, make_plan([k], {"k": [("2026-05-31", 101), ("2026-06-30", 102)]}), HALF, 0.9)
    assert (state.status, state.rule) == ("off-track", "behind-path")


def test_the_page_says_which_rule_set_each_status(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """On the objective page, each KPI's status comes with the rule that set it and the numbers compared:
    the revenue on its milestone path, the churn at risk because its forecast reaches the target."""
    plan = make_plan({"objectives/revenu.md": BACK_LOADED, "data/mrr.csv": MRR, "data/churn.csv": CHURN},
                     settings=SETTINGS)
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(plan), "-o", str(out), "--today", "2026-06-30"])
    assert result.exit_code == 0, result.output
    text = page_text(out / "objectives" / "revenu.html")
    # k€ is money: the rule says the amounts as the KPI's tiles write them
    assert ("En bonne voie : la dernière mesure (111 k €) est au niveau attendu au 30 juin 2026 "
            "(110 k €) ou mieux.") in text
    assert "À risque plutôt qu'en retard" in text and "atteint la cible (1,5 %)" in text
    assert "en retard" not in text.split("Taux d'attrition mensuel", 1)[1].split("À risque", 1)[0]


@pytest.mark.parametrize(("milestones", "message"), [
    ("      - date: 2027-02-01\n        value: 150\n",
     "the milestone 2027-02-01 of `mrr` is outside its period, 2026-01-01 to 2026-12-31"),
    ("      - date: 2026-01-01\n        value: 150\n",
     "the milestone 2026-01-01 of `mrr` is outside its period, 2026-01-01 to 2026-12-31"),
    ("      - date: 2026-05-01\n        value: 150\n      - date: 2026-05-01\n        value: 160\n",
     "`mrr` has two milestones on 2026-05-01"),
])
def test_a_bad_milestone_is_one_error_at_its_line(check_plan: Callable[..., object], milestones: str,
                                                  message: str) -> None:
    """A milestone outside the KPI's period, or two on one date, is one `bad-milestone` error at the
    milestone's own line."""
    text = BACK_LOADED.replace("      - date: 2026-06-30\n        value: 110\n      - date: 2026-09-30\n"
                               "        value: 140\n", milestones)
    checked = check_plan({"objectives/revenu.md": text, "data/mrr.csv": MRR, "data/churn.csv": CHURN},
                         settings=SETTINGS, today=dt.date(2026, 6, 30))
    errors = checked.diagnostics.errors  # type: ignore[attr-defined]
    assert [(e.code, e.message) for e in errors] == [("bad-milestone", message)]
    line = text.splitlines().index(next(x for x in text.splitlines() if x.strip().startswith("- date:"))) + 1
    if "two milestones" in message:
        line += 2
    assert errors[0].line == line


def test_the_chart_draws_the_milestone_path() -> None:
    """The KPI chart's expected path runs through the milestones, not straight to the target."""
    from generator.plan.i18n import Formatter
    from generator.site import charts

    k = with_milestones(kpi(200, baseline=100), ("2026-06-30", 110), ("2026-09-30", 140))
    state = compute_kpi(k, make_plan([k], {"k": [("2026-06-01", 109)]}), HALF, 0.9)
    chart = charts.kpi_chart(state, Formatter("fr", "EUR"))
    expected = [row for row in chart.table.rows if row[0] == "Trajectoire attendue"]
    assert [row[2] for row in expected] == ["100", "110", "140", "200"]


def test_a_running_total_is_never_forecast_to_shrink() -> None:
    """A cumulative KPI (deals this year) whose last months were slow is forecast at least at its latest
    total, never below it, beside an on-track badge."""
    k = dataclasses.replace(kpi(30, baseline=0, measure="cumulative"))
    points = [("2026-01-31", 8), ("2026-02-28", 6), ("2026-03-31", 2), ("2026-04-30", 1), ("2026-05-31", 0)]
    state = compute_kpi(k, make_plan([k], {"k": points}), d("2026-06-01"), 0.9)
    assert state.actual == 17
    assert state.forecast is not None and state.forecast >= 17


def test_on_the_milestone_path_the_forecast_reaches_the_target() -> None:
    """With milestones, the forecast follows the path at the KPI's pace against it: on the path means a
    forecast at the target, never an "on track" badge beside a forecast that misses it."""
    k = with_milestones(kpi(55, baseline=38), ("2026-09-30", 44))
    points = [("2026-03-31", 39.5), ("2026-06-30", 41.2), ("2026-09-30", 44.5)]
    state = compute_kpi(k, make_plan([k], {"k": points}), d("2026-10-05"), 0.9)
    assert state.status == "on-track"
    assert state.forecast is not None and state.forecast >= 55


def test_a_quarter_is_compared_with_the_path_at_its_end(check_plan: Callable[..., object]) -> None:
    """A Q3 figure, fresh in December, is compared with the value expected at the end of September (where
    its point is drawn), not with December's."""
    objective = """\
---
title: Satisfaction
due: 2026-12-31
kpis:
  - id: nps
    title: NPS
    baseline: 30
    target: 50
    cadence: quarterly
---
"""
    checked = check_plan({"objectives/satisfaction.md": objective,
                          "data/nps.csv": "date,value\n2026-Q1,31\n2026-Q2,36\n2026-Q3,45\n"},
                         settings=SETTINGS, today=dt.date(2026, 12, 2))
    state = checked.state.kpis["nps"]  # type: ignore[attr-defined]
    assert state.expected_date == dt.date(2026, 9, 30)
    assert state.expected == pytest.approx(30 + 20 * 272 / 364)
    assert state.status == "on-track"


REVENUE = """\
---
title: Porter le chiffre d'affaires en ligne à 2,6 M€
due: 2026-12-31
kpis:
  - id: ca
    title: Chiffre d'affaires en ligne cumulé
    unit: €
    target: 2600000
    measure: cumulative
    cadence: monthly
---
"""
MONTHS = [118450.20, 121900, 140310.75, 152880.40, 160020.10, 171450, 129300.55, 98760, 188410.30, 205990.80,
          231150]


def test_a_running_total_is_forecast_at_its_average_pace(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """A year's revenue summed month by month (1 718 623 € at the end of November, never less than 98 760 € a
    month) is forecast at its average pace since 1 January, 1 878 615 €, not 1 791 513 € (a December of
    73 k€) from a straight line through the growing totals; the page says how the forecast was made."""
    csv = "date,value\n" + "".join(f"2026-{m:02d},{v}\n" for m, v in enumerate(MONTHS, start=1))
    plan = make_plan({"objectives/ca.md": REVENUE, "data/ca.csv": csv}, settings=SETTINGS)
    out = tmp_path / "site"
    CliRunner().invoke(main, ["build", str(plan), "-o", str(out), "--today", "2026-12-03"], catch_exceptions=False)
    text = page_text(out / "objectives" / "ca.html")
    assert "Prévision à l'échéance 1,9 M € au rythme moyen depuis le 1er janv. 2026" in text
    # the status sentence writes the forecast as its tile does, not « 1 878 615 € » beside « 1,9 M € »
    assert "la prévision à l'échéance (1,9 M €) n'atteint pas la cible" in text


def test_other_kpis_are_still_forecast_along_their_trend(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """A level KPI (an average basket) is forecast along the straight line through its measurements, and the
    page says so."""
    objective = REVENUE.replace("measure: cumulative", "measure: level").replace("2600000", "1450")
    csv = "date,value\n2026-09,1200\n2026-10,1250\n2026-11,1300\n"
    plan = make_plan({"objectives/ca.md": objective, "data/ca.csv": csv}, settings=SETTINGS)
    out = tmp_path / "site"
    CliRunner().invoke(main, ["build", str(plan), "-o", str(out), "--today", "2026-12-03"], catch_exceptions=False)
    text = page_text(out / "objectives" / "ca.html")
    assert "Prévision à l'échéance 1 351 € selon la tendance des mesures" in text


ORDERS = """\
---
title: Convert more site visitors into buyers
due: 2026-12-31
kpis:
  - id: orders
    title: Orders per month
    unit: orders
    baseline: 7800
    target: 12500
    cadence: monthly
  - id: sessions
    title: Site sessions per month
    unit: sessions
    baseline: 380000
    target: 520000
    cadence: monthly
  - id: conversion
    title: Session-to-order conversion rate
    unit: "%"
    baseline: 2.05
    target: 2.8
    cadence: monthly
---
"""
EN_SETTINGS = SETTINGS.replace("language: fr", "language: en")


def _monthly(values: list[float]) -> str:
    return "date,value\n" + "".join(f"2026-{m:02d},{v}\n" for m, v in enumerate(values, start=1))


@pytest.fixture
def orders_page(make_plan: Callable[..., Path], tmp_path: Path) -> str:
    files = {"objectives/convert.md": ORDERS,
             "data/orders.csv": _monthly([14600 - 200 * m for m in range(11)]),  # a strong start, falling since
             "data/sessions.csv": _monthly([400000 + 15000 * m for m in range(10)] + [577400]),
             "data/conversion.csv": _monthly([2.1, 2.15, 2.2, 2.2, 2.25, 2.3, 2.3, 2.35, 2.4, 2.45, 2.49])}
    plan = make_plan(files, settings=EN_SETTINGS)
    out = tmp_path / "site"
    CliRunner().invoke(main, ["build", str(plan), "-o", str(out), "--today", "2026-12-03"], catch_exceptions=False)
    return page_text(out / "objectives" / "convert.html")


def test_a_level_above_target_but_forecast_below_is_not_achieved(orders_page: str) -> None:
    """Orders per month at 12,600 in November against 12,500, but falling 200 a month since January, so
    forecast at 12,396 by the due date: the reader sees "on track", with why, never "achieved" beside a
    forecast that misses the target."""
    section = orders_page[orders_page.index("Orders per month"):orders_page.index("Site sessions per month")]
    assert "on track" in section and "achieved" not in section.replace("rather than achieved", "")
    assert ("On track rather than achieved: the latest measurement (12,600 orders) reaches the target (12,500 "
            "orders), but the forecast at the due date") in section


def test_an_objective_never_reads_as_more_than_done(orders_page: str) -> None:
    """Two KPIs beyond their targets (102 % and 141 %) and one at 59 %: the objective reads "off track 86%"
    (each KPI counted up to 100 %), not "off track 101%", and says its status is its weakest KPI's."""
    lead = orders_page[orders_page.index("Convert more site visitors into buyers", 100):]
    assert lead.startswith("Convert more site visitors into buyers off track 86% Status of its weakest KPI, "
                           "“Session-to-order conversion rate” (off track)")


def test_a_count_kpi_is_said_whole_as_on_its_tiles(orders_page: str) -> None:
    """The status sentence of a count says "12,396 orders", as the forecast tile does, not "12,396.49 orders"."""
    assert "Forecast at due date 12,396 orders" in orders_page
    assert "the forecast at the due date (12,396 orders) falls short of it" in orders_page
    assert "12,396.49" not in orders_page

"""A KPI forecast "along the trend of the measurements" continues from where the KPI stands: from the latest
measurement, in the direction the measurements go. A V-shaped churn (down in spring, up since the summer)
is never drawn or said to improve by the due date, nor a rising count to fall back."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.test_funnel_to_date import page_text
from tests.test_kpi_status import d, kpi, status_of

CHURN = """\
---
title: Cut monthly churn from 6.5% to 4%
due: 2026-12-31
kpis:
  - id: monthly-churn
    title: Monthly churn rate
    unit: "%"
    baseline: 6.5
    target: 4.5
    direction: down
    cadence: monthly
---
"""
# lower is better: down to 5.0 % in May, then worse every month since (a least-squares slope of +0.05 a month)
V_CHURN = [6.5, 6.1, 5.6, 5.2, 5.0, 5.3, 5.9, 6.4, 6.8]
ORDERS = """\
---
title: Vendre davantage en ligne
due: 2026-12-31
kpis:
  - id: orders
    title: Commandes par mois
    unit: commandes
    baseline: 7800
    target: 12500
    cadence: monthly
---
"""
# rising, faster and faster: the straight line through them lies far below November's 14,350 in December
RISING_ORDERS = [8010, 7720, 8450, 8800, 9050, 9400, 9610, 9720, 10010, 10880, 14350]


def _monthly(values: list[float]) -> str:
    return "date,value\n" + "".join(f"2026-{m:02d},{v}\n" for m, v in enumerate(values, start=1))


def _build(make_plan: Callable[..., Path], tmp_path: Path, language: str, objective: tuple[str, str],
           kpi_id: str, values: list[float], today: str) -> str:
    settings = f"title: Plan\nlanguage: {language}\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n"
    name, text = objective
    plan = make_plan({f"objectives/{name}.md": text, f"data/{kpi_id}.csv": _monthly(values)}, settings=settings)
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(plan), "-o", str(out), "--today", today])
    assert result.exit_code == 0, result.output
    return page_text(out / "objectives" / f"{name}.html")


def _number(text: str) -> float:
    return float(text.replace(",", "").replace(" ", ""))


def test_a_v_shaped_churn_is_forecast_to_keep_rising(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """Churn 6.5 % → 5.0 % in May → 6.8 % in September: the page forecasts 6.94 % at the due date, above the
    latest 6.8 % as the trend goes (it said 6.2 %, an improvement the data does not show), says how, and the
    chart's forecast line (its data table) runs from 6.8 % up to that value."""
    text = _build(make_plan, tmp_path, "en", ("reduce-churn", CHURN), "monthly-churn", V_CHURN, "2026-10-20")
    said = re.search(r"Forecast at due date ([\d.]+)% along the trend of the measurements, from the latest one",
                     text)
    assert said is not None, text
    assert _number(said.group(1)) > 6.8
    assert said.group(1) == "6.94"
    assert "Forecast September 2026 6.8% Forecast Dec 31, 2026 6.94%" in text
    assert "the forecast at the due date (6.94%) misses the target (4.5%)" in text


def test_a_rising_count_is_forecast_above_its_latest_value(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """Orders rising to 14 350 in November: the French page forecasts more than 14 350 in December (the
    straight line read at the due date said 12 451, a fall), « selon la tendance des mesures, depuis la
    dernière », and the status is « atteint » rather than « en bonne voie » beside a forecast fall."""
    text = _build(make_plan, tmp_path, "fr", ("ventes", ORDERS), "orders", RISING_ORDERS, "2026-12-03")
    said = re.search(r"Prévision à l'échéance ([\d ]+) commandes selon la tendance des mesures, depuis la dernière",
                     text)
    assert said is not None, text
    assert _number(said.group(1)) > 14350
    assert "Atteint : la dernière mesure (14 350 commandes) atteint la cible (12 500 commandes)." in text


def test_the_trend_forecast_starts_from_the_latest_measurement() -> None:
    """The forecast is the latest value moved along the least-squares slope: a fall then a longer rise is
    forecast above the latest value, a rise then a longer fall below it (a straight line stays on
    itself: tests/test_kpi_status.py)."""
    v_shape = [("2026-01-31", 10), ("2026-02-28", 6), ("2026-03-31", 7), ("2026-04-30", 9), ("2026-05-31", 11)]
    assert status_of(kpi(2, baseline=10, direction="down"), v_shape).forecast > 11
    peak = [("2026-01-31", 150), ("2026-02-28", 170), ("2026-03-31", 140), ("2026-04-30", 120), ("2026-05-31", 100)]
    assert status_of(kpi(200, baseline=150), peak).forecast < 100


def test_a_kpi_measured_past_its_due_date_is_judged_at_its_due_date() -> None:
    """Due on 30 September and measured in October: the outcome is September's value against the target
    (achieved, "— reached"), with no forecast, not October's value or one read back along the trend."""
    rising = [("2026-07-31", 12), ("2026-08-31", 13), ("2026-09-30", 15), ("2026-10-31", 16)]
    state = status_of(kpi(15, baseline=4, due=d("2026-09-30")), rising, today=d("2026-11-23"))
    assert (state.actual, state.forecast, state.status, state.rule) == (15, None, "achieved", "reached-at-due")

"""A period missing between a KPI's rows said wherever a figure reads over it: `strategy funnel`, the dashboard's
funnel at a glance, the board pack's stage tables and KPI rows, and the KPI chart's description."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.conftest import MINIMAL_SETTINGS, TODAY
from tests.test_data_gaps import ENGLISH, MONTHS, plan, without

MakePlan = Callable[..., Path]
NO_JUNE = without(MONTHS, "2026-06")


def _funnel_cli(make_plan: MakePlan, rows: str, settings: str) -> str:
    folder = make_plan(plan(rows, funnel=True), settings=settings)
    result = CliRunner().invoke(main, ["funnel", str(folder), "--today", TODAY.isoformat()], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_strategy_funnel_says_which_month_a_volume_lacks(make_plan: MakePlan) -> None:
    """`strategy funnel` on a stage whose KPI lacks June: a line under the table names the stage, its volume and
    the missing month counted as nothing, in French and in English; a complete series prints no such line."""
    french = _funnel_cli(make_plan, NO_JUNE, MINIMAL_SETTINGS)
    assert "  Visites, réel 180\u202f049 : aucune mesure pour juin 2026, comptée pour zéro\n" in french
    english = _funnel_cli(make_plan, NO_JUNE, ENGLISH)
    assert "  Visites, actual 180,049: no measurement for June 2026, counted as nothing\n" in english
    assert "no measurement" not in _funnel_cli(make_plan, MONTHS, ENGLISH)

"""A period missing between a KPI's rows said wherever a figure reads over it: `strategy funnel`, the dashboard's
funnel at a glance, the board pack's stage tables and KPI rows, and the KPI chart's description."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import Markup

from generator.cli import main
from generator.pack import content as pack_content
from generator.pipeline import Checked
from tests.conftest import MINIMAL_SETTINGS, TODAY
from tests.test_data_gaps import ENGLISH, MONTHS, _chart, plan, without
from tests.test_funnel_to_date import page_text
from tests.test_pack_content import pack_text

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


def _dashboard(make_plan: MakePlan, tmp_path: Path, rows: str, settings: str) -> str:
    folder = make_plan(plan(rows, funnel=True), settings=settings)
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "--today", TODAY.isoformat()],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return page_text(out / "index.html")


def test_the_dashboard_glance_says_which_month_the_top_volume_lacks(make_plan: MakePlan, tmp_path: Path) -> None:
    """The dashboard's funnel at a glance: the top stage's volume to date says June is missing and counted as
    nothing, as the funnel page does, in French and in English; a complete series says nothing."""
    french = _dashboard(make_plan, tmp_path / "fr", NO_JUNE, MINIMAL_SETTINGS)
    assert ("Visites 180 049 pour 896 attendus à ce jour 1 000 à l'échéance (aucune mesure pour juin 2026, comptée "
            "pour zéro)") in french
    english = _dashboard(make_plan, tmp_path / "en", NO_JUNE, ENGLISH)
    assert "(no measurement for June 2026, counted as nothing)" in english
    assert "no measurement" not in _dashboard(make_plan, tmp_path / "full", MONTHS, ENGLISH)


def _pack(check_plan: Callable[..., Checked], monkeypatch: pytest.MonkeyPatch, files: dict[str, str],
          settings: str) -> str:
    monkeypatch.setattr(pack_content, "svg", lambda *args, **kwargs: Markup(""))  # the words, not the drawings
    return pack_text(check_plan(files, settings=settings)).replace("\u202f", " ")


def test_the_pack_says_which_month_a_volume_and_a_kpi_lack(check_plan: Callable[..., Checked],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The board pack: the summary's and the funnel page's stage tables say beside the volume that June is
    missing and counted as nothing; the KPI's row on its objective's page says June has no measurement (its
    latest figure reads one month: nothing is counted), in English and in French."""
    english = _pack(check_plan, monkeypatch, plan(NO_JUNE, funnel=True), ENGLISH)
    assert english.count("180,049 (no measurement for June 2026, counted as nothing)") == 2
    assert "October 2026 (no measurement for June 2026)" in english
    french = _pack(check_plan, monkeypatch, plan(NO_JUNE, funnel=True), MINIMAL_SETTINGS)
    assert french.count("180 049 (aucune mesure pour juin 2026, comptée pour zéro)") == 2
    assert "octobre 2026 (aucune mesure pour juin 2026)" in french
    assert "no measurement" not in _pack(check_plan, monkeypatch, plan(MONTHS, funnel=True), ENGLISH)


def test_a_running_total_says_the_missing_month_counts_as_nothing(check_plan: Callable[..., Checked],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A cumulative KPI sums its months: its row in the pack says June is missing and counted as nothing."""
    files = plan(NO_JUNE)
    files["objectives/visites.md"] = files["objectives/visites.md"].replace(
        "cadence: monthly", "cadence: monthly\n    measure: cumulative")
    text = _pack(check_plan, monkeypatch, files, ENGLISH)
    assert "October 2026 (no measurement for June 2026, counted as nothing)" in text


def test_the_kpi_chart_description_says_the_missing_month(make_plan: MakePlan) -> None:
    """The KPI chart's description (what a screen reader reads for the drawing) ends by saying June has no
    measurement, in French and in English; a complete series' description says nothing of it."""
    french = _chart(make_plan, NO_JUNE)
    assert french.description.endswith(" Aucune mesure pour juin 2026.")
    english = _chart(make_plan, without(MONTHS, "2026-06", "2026-07"), ENGLISH)
    assert english.description.endswith(" No measurement from June to July 2026.")
    assert "No measurement" not in _chart(make_plan, MONTHS, ENGLISH).description

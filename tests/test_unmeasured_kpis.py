"""An objective one of whose KPIs has no measurement yet: its progress is its measured KPIs' only, and every
place that shows its status and progress says so beside them (dashboard card, objective page, board pack
summary), in the plan's language, so that a board never reads "off track 60%" as the whole objective."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import Markup

from generator.cli import main
from generator.pack import content as pack_content
from generator.pipeline import Checked
from generator.plan.compute import compute_plan
from tests.test_funnel_to_date import page_text
from tests.test_kpi_status import kpi
from tests.test_kpi_status import make_plan as plan_of
from tests.test_pack_content import pack_text

APP = """\
---
title: Launch the mobile app
due: 2026-12-31
kpis:
  - id: app-use
    title: Daily app use
    unit: "%"
    baseline: 0
    target: 20
  - id: invites
    title: Referral invites
    unit: invites
    baseline: 0
    target: 100
{more}---
"""
REPORTS = """\
  - id: reviews
    title: App store reviews
    unit: reviews
    baseline: 0
    target: 50
"""
SETTINGS = "title: Plan\nlanguage: {language}\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n"
INVITES = "date,value\n2026-09,50\n2026-10,60\n"  # 60 % of the way in October


def _site(make_plan: Callable[..., Path], tmp_path: Path, language: str, more: str = "") -> tuple[str, str]:
    plan = make_plan({"objectives/app.md": APP.format(more=more), "data/invites.csv": INVITES},
                     settings=SETTINGS.format(language=language))
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(plan), "-o", str(out), "--today", "2026-11-23"])
    assert result.exit_code == 0, result.output
    return page_text(out / "index.html"), page_text(out / "objectives" / "app.html")


def test_the_objectives_index_says_a_kpi_is_not_measured(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """The objectives' tree (step 1) reads "60% (1 of 2 KPIs not measured yet)" beside the objective, as its card
    does: 60 % alone read as the whole objective's progress."""
    _site(make_plan, tmp_path, "en")
    assert "60% (1 of 2 KPIs not measured yet)" in page_text(tmp_path / "site" / "objectives" / "index.html")


def test_the_dashboard_and_objective_page_say_a_kpi_is_not_measured(make_plan: Callable[..., Path],
                                                                     tmp_path: Path) -> None:
    """English: the card reads "60% 1 of 2 KPIs not measured yet", and the objective's page, under its badge,
    names the KPI and says the 60% is the measured KPI's only."""
    dashboard, page = _site(make_plan, tmp_path, "en")
    assert "off track 60% 1 of 2 KPIs not measured yet" in dashboard
    assert ("Launch the mobile app off track 60% 1 of 2 KPIs not measured yet (“Daily app use”): the progress "
            "shown, 60%, is that of the measured KPI only.") in page


def test_french_words_follow_the_number_of_kpis(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """French: « 2 indicateurs sur 3 sans mesure », both named, and the progress « celui du seul indicateur
    mesuré »."""
    dashboard, page = _site(make_plan, tmp_path, "fr", more=REPORTS)
    assert "60 % 2 indicateurs sur 3 sans mesure" in dashboard
    assert ("2 indicateurs sur 3 sans mesure (« Daily app use » et « App store reviews ») : l'avancement "
            "affiché, 60 %, est celui du seul indicateur mesuré.") in page


def test_french_singular_with_two_measured_kpis(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """French, one KPI of three unmeasured: « 1 indicateur sur 3 sans mesure », the progress being « la
    moyenne des 2 indicateurs mesurés seulement »."""
    make_plan({"data/reviews.csv": "date,value\n2026-10,30\n"})
    dashboard, page = _site(make_plan, tmp_path, "fr", more=REPORTS)
    assert "1 indicateur sur 3 sans mesure" in dashboard
    assert ("1 indicateur sur 3 sans mesure (« Daily app use ») : l'avancement affiché, 60 %, est la moyenne "
            "des 2 indicateurs mesurés seulement.") in page


def test_no_note_when_every_kpi_or_none_is_measured(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """Every KPI measured: no note. None measured: the status says "no data", and no note is added."""
    make_plan({"data/app-use.csv": "date,value\n2026-10,12\n"})
    dashboard, page = _site(make_plan, tmp_path, "en")
    assert "not measured yet" not in dashboard and "not measured yet" not in page


def test_the_pack_summary_row_says_a_kpi_is_not_measured(check_plan: Callable[..., Checked],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The board pack's summary row says "1 of 2 KPIs not measured yet" under the objective's title, beside
    "off track 60%", and the objective's page in the pack says it beside its progress."""
    monkeypatch.setattr(pack_content, "svg", lambda *args, **kwargs: Markup(""))
    checked = check_plan({"objectives/app.md": APP.format(more=""), "data/invites.csv": INVITES},
                         settings=SETTINGS.format(language="en"))
    text = pack_text(checked)
    assert "Launch the mobile app 1 of 2 KPIs not measured yet off track 60%" in text
    assert "Progress: 60% (1 of 2 KPIs not measured yet)" in text


def test_progress_and_expected_progress_leave_an_unmeasured_kpi_out() -> None:
    """The objective's progress (60 %) and the expected progress it is compared with are both read on the
    measured KPI: an unmeasured KPI is neither counted as 0 % nor as expected progress."""
    kpis = [kpi(20, baseline=0, kid="a"), kpi(100, baseline=0, kid="b", due=dt.date(2026, 7, 2))]
    state = compute_plan(plan_of(kpis, {"b": [("2026-06-30", 60)]}), dt.date(2026, 7, 2))
    objective = state.objectives["o"]
    assert objective.progress == pytest.approx(0.6)
    assert objective.expected_progress == pytest.approx(state.kpis["b"].expected_progress)


def test_the_progress_chart_says_which_bar_leaves_a_kpi_out(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """The dashboard's progress chart: the data table's progress reads "60% (1 of 2 KPIs not measured yet)" and
    the note under the chart says the bar is the measured KPI's progress, in English and in French; a plan
    whose KPIs are all measured gets neither."""
    english, _ = _site(make_plan, tmp_path / "en", "en")
    assert "Launch the mobile app 60% (1 of 2 KPIs not measured yet) " in english
    assert ("“Launch the mobile app”: 1 of 2 KPIs not measured yet, its bar is the measured KPI's progress."
            in english)
    french, _ = _site(make_plan, tmp_path / "fr", "fr", more=REPORTS)
    assert "Launch the mobile app 60 % (2 indicateurs sur 3 sans mesure) " in french
    assert ("« Launch the mobile app » : 2 indicateurs sur 3 sans mesure, sa barre est l'avancement du seul "
            "indicateur mesuré.") in french
    make_plan({"data/app-use.csv": "date,value\n2026-10,12\n"})
    measured, _ = _site(make_plan, tmp_path / "all", "en")
    assert "not measured yet" not in measured

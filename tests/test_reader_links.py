"""Links a reader follows on the dashboard and funnel pages: no link to "all late actions (0)" under
"no action late", and a funnel stage's link to its KPI reads "(KPI)" / "(indicateur)", not "(kpi)"."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_SETTINGS, TODAY, cli_build

ENGLISH = MINIMAL_SETTINGS.replace("language: fr", "language: en")
PLAN = {
    "objectives/visites.md": "---\ntitle: Visites\ndue: 2026-12-31\nkpis:\n  - id: visites\n"
                             "    title: Visites du site\n    target: 30000\n---\n",
    "data/visites.csv": "date,value\n" + "".join(f"2026-{m:02d},{20000 + m}\n" for m in range(1, 12)),
    "funnels/acquisition.yaml": "title: Acquisition\ngoal: 10\nstages:\n  - id: visites\n    title: Visites\n"
                                "    kpi: visites\n  - id: clients\n    title: Clients\n    rate: \"1/100\"\n",
}


def _site(make_plan: Callable[..., Path], tmp_path: Path, settings: str, files: dict[str, str]) -> Path:
    return cli_build(make_plan(files, settings=settings), tmp_path / "site", TODAY.isoformat())


def _text(page: Path) -> str:
    """The page's text as a reader sees it: tags gone, spaces collapsed, none inside parentheses."""
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.read_text())))
    return text.replace("( ", "(").replace(" )", ")")


@pytest.mark.parametrize(("settings", "none_late", "all_late"), [
    (MINIMAL_SETTINGS, "Aucune action en retard", "Toutes les actions en retard ou à échéance proche"),
    (ENGLISH, "No action is late", "All actions late or due soon"),
])
def test_no_late_action_has_no_link_to_all_of_them(make_plan, tmp_path, settings, none_late, all_late):  # type: ignore[no-untyped-def]
    """With no action late or due soon, the dashboard says so and offers no link to a list of zero; with
    one late action, the link is there with its count."""
    dashboard = _text(_site(make_plan, tmp_path / "none", settings, PLAN) / "index.html")
    assert none_late in dashboard and all_late not in dashboard and "(0)" not in dashboard
    objective = PLAN["objectives/visites.md"].removesuffix("---\n")
    late = {**PLAN, "objectives/visites.md": objective + "actions:\n  - {title: Relancer, due: 2026-10-01}\n---\n"}
    dashboard = _text(_site(make_plan, tmp_path / "late", settings, late) / "index.html")
    assert f"{all_late} (1)" in dashboard


@pytest.mark.parametrize(("settings", "shown"), [
    (MINIMAL_SETTINGS, "Visites (indicateur)"),
    (ENGLISH, "Visites (KPI)"),
])
def test_a_funnel_stage_links_to_its_kpi_in_readable_words(make_plan, tmp_path, settings, shown):  # type: ignore[no-untyped-def]
    """A stage's link to its KPI reads "(KPI)" in English and "(indicateur)" in French, never "(kpi)", and
    names the KPI's title on hover."""
    page = _site(make_plan, tmp_path, settings, PLAN) / "funnels" / "acquisition.html"
    assert shown in _text(page) and "(kpi)" not in _text(page)
    assert 'title="Visites du site">' in page.read_text()

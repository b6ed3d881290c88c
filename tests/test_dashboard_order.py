"""The dashboard of a large plan shows a bounded number of objectives: the ones a reader should look at first,
in the order they should, under a heading that says so."""

from __future__ import annotations

from collections.abc import Callable

from generator.pipeline import Checked
from generator.plan.i18n import Formatter
from generator.plan.messages import render
from generator.site.attention import OBJECTIVES_SHOWN
from generator.site.pages import build_pages

# objective title → its KPI's value (target 100 from 0): the lower, the further behind
VALUES = {"Objectif 1": 40, "Objectif 2": 10, "Objectif 3": 35, "Objectif 4": 20, "Objectif 5": 5,
          "Objectif 6": 30, "Objectif 7": 15, "Objectif 8": 25, "Objectif 9": 45, "Objectif 10": 50,
          "Objectif 12": 8, "Objectif 14": 48, "Objectif 111": 1, "Objectif 13": 1}


def _objective(number: int, title: str) -> str:
    return (f"---\ntitle: {title}\ndue: 2026-12-31\nkpis:\n  - {{id: k{number}, title: K, baseline: 0, "
            f"target: 100}}\n---\n")


def _dashboard(check_plan: Callable[..., Checked]) -> list[tuple[str, str]]:
    files: dict[str, str] = {}
    for number, (title, value) in enumerate(VALUES.items()):
        files[f"objectives/o{number}.md"] = _objective(number, title)
        files[f"data/k{number}.csv"] = f"date,value\n2026-10,{value}\n"
    checked = check_plan(files)
    assert checked.state is not None and checked.plan is not None
    pages = {p.path: p for p in build_pages(checked.state, Formatter("fr", "EUR"))}
    shown = pages["index.html"].data["objectives"]
    assert shown.total == len(VALUES)
    return [(o.objective.title, o.status) for o in shown.items]


def test_the_dashboard_shows_the_objectives_furthest_behind(check_plan: Callable[..., Checked]) -> None:
    """Of 14 objectives off track, the 12 shown are the 12 furthest behind their expected progress, the
    furthest first: "Objectif 10" (50 %) and "Objectif 14" (48 %) are left out, not "Objectif 5" (5 %)
    because its title sorts after "Objectif 14" as text."""
    shown = _dashboard(check_plan)
    assert {status for _, status in shown} == {"off-track"}
    assert len(shown) == OBJECTIVES_SHOWN
    assert [title for title, _ in shown] == [
        "Objectif 13", "Objectif 111", "Objectif 5", "Objectif 12", "Objectif 2", "Objectif 7", "Objectif 4",
        "Objectif 8", "Objectif 6", "Objectif 3", "Objectif 1", "Objectif 9"]


def test_equally_behind_objectives_follow_their_titles_as_a_reader_counts(
        check_plan: Callable[..., Checked]) -> None:
    """Two objectives as far behind, due the same day, are shown "Objectif 13" before "Objectif 111", as a
    reader counts, not as text sorts them."""
    titles = [title for title, _ in _dashboard(check_plan)]
    assert titles.index("Objectif 13") < titles.index("Objectif 111")


def test_the_heading_says_how_the_objectives_shown_are_chosen() -> None:
    """The line above the cards says which objectives are shown and in what order, in the plan's language."""
    assert render("en", "site.objectives_shown", shown=12, total=250) == (
        "The 12 weakest of 250: by status, then the furthest behind their expected progress first.")
    assert render("fr", "site.objectives_shown", shown=12, total=250) == (
        "Les 12 plus en difficulté sur 250 : par statut, puis les plus en retard sur l'avancement attendu "
        "d'abord.")

"""`strategy serve` after an edit of an objective's text re-renders its page only, not the lists that show the
objective (dashboard, late actions, freshness, objectives index): their digests leave out the entities' body text,
which their templates never read (render_memo.templates_reading_bodies). Every field those lists do show still
changes them exactly as a fresh build would."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.serve.server import Builder
from tests.serve_rebuilt import example_builder, rebuilt_equals_fresh, replace_once

LISTS = ("index.html", "actions.html", "freshness.html", "objectives/index.html")
OBJECTIVE = "objectives/qualite-leads.md"


@pytest.fixture
def builder(tmp_path: Path) -> Builder:
    return example_builder(tmp_path)


def test_a_text_edit_renders_the_objective_page_and_not_the_lists(builder: Builder) -> None:
    """A paragraph added to an objective's text shows on its page; the dashboard, late actions, freshness and
    objectives index are not rendered again, and the site is byte for byte a fresh build's."""
    path = builder.plan_dir / OBJECTIVE
    keys = {page: key for page, (key, _) in builder.memo.pages.items()}
    before = rebuilt_equals_fresh(builder, None)
    path.write_text(path.read_text(encoding="utf-8") + "\nUn paragraphe ajouté au texte.\n", encoding="utf-8")
    after = rebuilt_equals_fresh(builder, path)
    assert "Un paragraphe ajouté au texte." in after["objectives/qualite-leads.html"].decode()
    rendered = [page for page, (key, _) in builder.memo.pages.items() if key != keys[page]]
    assert "objectives/qualite-leads.html" in rendered
    assert not set(LISTS) & set(rendered), rendered
    assert all(after[page] == before[page] for page in LISTS)


@pytest.mark.parametrize(("old", "new"), [
    ("title: Générer des leads plus qualifiés", "title: Générer des leads bien plus qualifiés"),  # title
    ("    target: 30\n", "    target: 45\n"),  # a KPI's target: its progress and status
    ("    owner: Léa Fontaine, responsable marketing\n    due: 2026-12-10",
     "    owner: Hugo Lambert, business developer\n    due: 2026-12-10"),  # a late action's owner
    ("due: 2026-12-31\npersonas", "due: 2027-03-31\npersonas"),  # the objective's due date
    ("    due: 2026-12-10\n    status: doing", "    due: 2026-11-20\n    status: doing"),  # an action's due date
    ("    due: 2026-12-10\n    status: doing", "    due: 2026-12-10\n    status: done"),  # an action's status
    ("department: Marketing", "department: Ventes"),  # the objectives index groups by department
])
def test_each_field_a_list_shows_changes_it_as_a_fresh_build(builder: Builder, old: str, new: str) -> None:
    """An edit of what the lists show of an objective (title, target, a late action's owner, due dates, an
    action's status, department) shows in the rebuilt lists exactly as in a fresh build,
    and at least one list changes."""
    path = builder.plan_dir / OBJECTIVE
    before = rebuilt_equals_fresh(builder, None)
    replace_once(path, old, new)
    after = rebuilt_equals_fresh(builder, path)
    assert any(after[page] != before[page] for page in LISTS)


def test_a_measurement_changes_the_lists_as_a_fresh_build(builder: Builder) -> None:
    """A new measurement in a KPI's CSV (its status, progress, freshness) shows in the lists as in a fresh build."""
    csv = builder.plan_dir / "data" / "leads-qualifies.csv"
    before = rebuilt_equals_fresh(builder, None)
    csv.write_text(csv.read_text(encoding="utf-8") + "2026-11,3\n", encoding="utf-8")
    after = rebuilt_equals_fresh(builder, csv)
    assert any(after[page] != before[page] for page in LISTS)


def test_a_theme_list_that_shows_a_body_keeps_it_in_its_digest() -> None:
    """A theme whose list page shows an objective's text (itself, or through a template it extends, includes or
    names by an expression) gets that page rendered again after a text edit; a chart's data table is no body."""
    import jinja2

    from generator.cache.render_memo import templates_reading_bodies

    sources = {"dashboard.html": "{% extends 'layout.html' %}", "layout.html": "{% include 'card.html' %}",
               "card.html": "{{ o.objective.body }}", "freshness.html": "{% include page.template %}",
               "actions.html": "{% import 'macros.html' as m %}<body>{{ m.x() }}</body>",
               "macros.html": "{% macro x() %}{{ c.table.body }}{% endmacro %}",
               "alignment.html": "{{ o['body'] }}"}
    env = jinja2.Environment(loader=jinja2.DictLoader(sources))
    reading = templates_reading_bodies(env, sorted(sources.items()))
    assert reading == {"dashboard.html", "layout.html", "card.html", "freshness.html", "alignment.html"}

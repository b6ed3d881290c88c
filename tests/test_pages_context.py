"""The site's page contexts as units (`generator/site/pages.py`): what each page holds, before any template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from generator.pipeline import Checked
from generator.plan.i18n import Formatter
from generator.site.pages import PageSpec, action_rows, build_pages, freshness, navigation, objective_tree

from .conftest import EXAMPLE, TODAY

SETTINGS_EN = """\
title: Test plan
language: en
period:
  start: 2026-01-01
  end: 2026-12-31
"""

# today is 2026-11-23 (conftest.TODAY): 2026-12-23 is the last "due soon" day (30 days)
OBJECTIVES = {
    "objectives/grow.md": """\
        ---
        title: Grow
        level: enterprise
        due: 2026-12-31
        kpis:
          - id: clients
            title: New clients
            baseline: 0
            target: 10
            measure: cumulative
            cadence: monthly
        actions:
          - {title: Late and doing, due: 2026-11-01, status: doing}
          - {title: Late but done, due: 2026-10-01, status: done}
          - {title: Late but dropped, due: 2026-10-02, status: dropped}
          - {title: Due today, due: 2026-11-23}
          - {title: Due in 30 days, due: 2026-12-23}
          - {title: Due in 31 days, due: 2026-12-24}
          - {title: No due date}
          - {title: Very late, due: 2026-09-01, status: planned}
        ---
        """,
    "objectives/leads.md": """\
        ---
        title: Better leads
        parent: grow
        due: 2026-12-31
        kpis:
          - id: leads
            title: Qualified leads
            baseline: 10
            target: 40
            cadence: monthly
          - id: rank
            title: Search rank
            baseline: 20
            target: 3
            cadence: weekly
        ---
        """,
    "objectives/blog.md": """\
        ---
        title: A blog
        parent: leads
        due: 2026-12-31
        kpis:
          - {id: posts, title: Posts, baseline: 0, target: 20, cadence: monthly}
        ---
        """,
    "objectives/ads.md": """\
        ---
        title: Ads
        parent: leads
        due: 2026-12-31
        kpis:
          - {id: clicks, title: Clicks, baseline: 0, target: 200, cadence: quarterly}
        ---
        """,
    # a fresh monthly KPI (last point 2026-11-01: 22 days), a stale one (August, over since 2026-08-31:
    # stale from November on, two months after)
    "data/clients.csv": "date,value\n2026-03,1\n2026-08,2\n",
    "data/leads.csv": "date,value\n2026-10,20\n2026-11-01,24\n",
    # weekly: 2026-11-05 is 18 days old, more than two weeks
    "data/rank.csv": "date,value\n2026-11-05,12\n",
    # quarterly: 2026-09-01 is 83 days old, within two quarters
    "data/clicks.csv": "date,value\n2026-09-01,50\n",
}


@pytest.fixture
def plan(check_plan: Callable[..., Checked]) -> Checked:
    checked = check_plan(OBJECTIVES, settings=SETTINGS_EN)
    assert checked.state is not None, "\n".join(map(str, checked.diagnostics.sorted()))
    return checked


@pytest.fixture(scope="module")
def example() -> Checked:
    from generator.pipeline import check
    from generator.read.source import DirectorySource

    checked = check(DirectorySource(EXAMPLE), TODAY)
    assert checked.state is not None
    return checked


def _pages(checked: Checked) -> dict[str, PageSpec]:
    assert checked.state is not None and checked.plan is not None
    fmt = Formatter(checked.plan.settings.language, checked.plan.settings.currency)
    return {p.path: p for p in build_pages(checked.state, fmt)}


def test_dashboard_lists_late_and_due_soon_open_actions(plan: Checked) -> None:
    """The dashboard's "late or due soon" table holds the open actions past due (late) or due within
    30 days (soon), most overdue first; done, dropped, undated and later actions are left out."""
    assert plan.state is not None
    rows = action_rows(plan.state, only_pressing=True)
    assert [(r.action.title, r.when, r.days) for r in rows] == [
        ("Very late", "late", -83),
        ("Late and doing", "late", -22),
        ("Due today", "soon", 0),
        ("Due in 30 days", "soon", 30),
    ]
    assert _pages(plan)["index.html"].data["pressing"] == rows


def test_pressing_actions_follow_the_build_date(check_plan: Callable[..., Checked]) -> None:
    """The same plan built with another --today lists other actions: nothing is late a year earlier."""
    early = check_plan(OBJECTIVES, settings=SETTINGS_EN, today=dt.date(2026, 1, 2))
    assert early.state is not None
    assert action_rows(early.state, only_pressing=True) == []
    late = check_plan(OBJECTIVES, settings=SETTINGS_EN, today=dt.date(2026, 12, 31))
    assert late.state is not None
    titles = [r.action.title for r in action_rows(late.state, only_pressing=True)]
    assert titles == ["Very late", "Late and doing", "Due today", "Due in 30 days", "Due in 31 days"]


def test_objective_page_lists_every_action_with_its_flag(plan: Checked) -> None:
    """An objective's page lists all its actions, in the written order, the late and soon ones flagged."""
    actions = _pages(plan)["objectives/grow.html"].data["actions"]
    assert [(r.action.title, r.when) for r in actions] == [
        ("Late and doing", "late"), ("Late but done", ""), ("Late but dropped", ""), ("Due today", "soon"),
        ("Due in 30 days", "soon"), ("Due in 31 days", ""), ("No due date", ""), ("Very late", "late"),
    ]


def test_freshness_marks_stale_kpis_as_check_does(plan: Checked) -> None:
    """The data-freshness table marks a KPI stale past two cadence periods (monthly, weekly and
    quarterly alike) and a KPI without data as having none, in agreement with `strategy check`."""
    assert plan.state is not None
    rows = {r.kpi.kpi.id: r for r in freshness(plan.state)}
    assert {k: (r.last, r.age_days, r.stale) for k, r in rows.items()} == {
        "clients": (dt.date(2026, 8, 1), 84, True),
        "leads": (dt.date(2026, 11, 1), 22, False),
        "rank": (dt.date(2026, 11, 5), 18, True),
        "posts": (None, None, True),
        "clicks": (dt.date(2026, 9, 1), 83, False),
    }
    stale_in_check = {d.message.split("`")[1] for d in plan.diagnostics if d.code == "stale-data"}
    assert stale_in_check == {k for k, r in rows.items() if r.stale and r.last is not None}
    assert _pages(plan)["index.html"].data["freshness"] == list(rows.values())


def test_objective_pages_hold_parent_and_children(plan: Checked) -> None:
    """Each objective's page links up to the objective it serves and down to those serving it."""
    pages = _pages(plan)

    def ids(states: list) -> list[str]:
        return sorted(s.objective.id for s in states)

    grow, leads, blog = (pages[f"objectives/{i}.html"].data for i in ("grow", "leads", "blog"))
    assert grow["parent"] is None and ids(grow["children"]) == ["leads"]
    assert leads["parent"].objective.id == "grow" and ids(leads["children"]) == ["ads", "blog"]
    assert blog["parent"].objective.id == "leads" and blog["children"] == []


def test_objective_tree_is_depth_first_from_the_roots(plan: Checked) -> None:
    """The alignment tree shows each objective once, under its parent, children sorted by title."""
    assert plan.state is not None
    assert [(o.objective.id, depth) for o, depth in objective_tree(plan.state)] == [
        ("grow", 0), ("leads", 1), ("blog", 2), ("ads", 2),  # "A blog" sorts before "Ads"
    ]


def test_navigation_follows_the_five_steps_and_omits_empty_ones(plan: Checked, example: Checked) -> None:
    """The menu is the dashboard, then the five steps in order (objectives always; the other steps only
    when the plan has something there), then the free pages by `order`."""
    assert plan.state is not None and example.state is not None
    nav = navigation(plan.state, "en")
    assert [(n.key, n.label, n.path, n.step) for n in nav] == [
        ("dashboard", "Dashboard", "index.html", None),
        ("objectives", "Objectives", "objectives/index.html", 1),
    ]
    full = navigation(example.state, "fr")
    assert [n.key for n in full] == ["dashboard", "objectives", "funnels", "personas", "experiences", "solutions",
                                     *[f"page-{p}" for p in example.state.plan.pages]]
    assert [n.step for n in full[1:6]] == [1, 2, 3, 4, 5]
    assert [n.label for n in full[:6]] == ["Tableau de bord", "Objectifs", "Entonnoirs", "Personas",
                                           "Expériences", "Solutions"]


def test_free_pages_in_the_menu_by_order(check_plan: Callable[..., Checked]) -> None:
    """Free pages come after the steps, sorted by their `order` and then title."""
    checked = check_plan({
        **OBJECTIVES,
        "pages/zz.md": "---\ntitle: Glossary\norder: 1\n---\n",
        "pages/aa.md": "---\ntitle: Context\norder: 2\n---\n",
        "pages/mm.md": "---\ntitle: Audit\norder: 1\n---\n",
    }, settings=SETTINGS_EN)
    assert checked.state is not None
    assert [n.path for n in navigation(checked.state, "en")][2:] == ["pages/mm.html", "pages/zz.html", "pages/aa.html"]


def test_every_entity_gets_a_page_at_kind_id(example: Checked) -> None:
    """Every objective, funnel, persona, experience, solution and free page has its page at KIND/ID.html,
    each kind has an index, the dashboard is index.html with its full lists beside it (actions.html,
    freshness.html); no two pages share a path."""
    assert example.plan is not None
    specs = build_pages(example.state, Formatter("fr", "EUR"))  # type: ignore[arg-type]
    paths = [p.path for p in specs]
    assert len(paths) == len(set(paths))
    plan = example.plan
    expected = {"index.html", "actions.html", "freshness.html"}
    for kind, entities in (("objectives", plan.objectives), ("funnels", plan.funnels), ("personas", plan.personas),
                           ("experiences", plan.experiences), ("solutions", plan.solutions)):
        assert entities, f"the example plan should have {kind}"
        expected.add(f"{kind}/index.html")
        expected.update(f"{kind}/{eid}.html" for eid in entities)
    expected.update(f"pages/{pid}.html" for pid in plan.pages)
    assert set(paths) == expected
    for spec in specs:
        assert spec.root == "../" * spec.path.count("/")


def test_one_chart_per_kpi_on_its_objective_page(example: Checked) -> None:
    """An objective's page has one chart for each of its KPIs, in order; a funnel's page has its funnel
    chart; the dashboard has the progress chart and every funnel's; chart ids are unique in a page."""
    assert example.state is not None
    pages = _pages(example)
    for oid, ostate in example.state.objectives.items():
        page = pages[f"objectives/{oid}.html"]
        assert [c.id for c in page.charts] == [f"kpi-{k.kpi.id}" for k in ostate.kpis]
    for fid in example.state.funnels:
        assert [c.id for c in pages[f"funnels/{fid}.html"].charts] == [f"funnel-{fid}"]
    assert [c.id for c in pages["index.html"].charts] == ["objectives-progress",
                                                          *(f"funnel-{fid}" for fid in example.state.funnels)]
    for page in pages.values():
        ids = [c.id for c in page.charts]
        assert len(ids) == len(set(ids)), page.path


def test_objective_without_kpi_has_no_chart(check_plan: Callable[..., Checked]) -> None:
    """An objective without KPI gets a page with no chart (and the dashboard has no funnel chart
    when the plan has no funnel)."""
    checked = check_plan({**OBJECTIVES, "objectives/vague.md": "---\ntitle: Vague\ndue: 2026-12-31\n---\n"},
                         settings=SETTINGS_EN)
    pages = _pages(checked)
    assert pages["objectives/vague.html"].charts == []
    assert [c.id for c in pages["index.html"].charts] == ["objectives-progress"]
    assert pages["index.html"].data["glance"] == []

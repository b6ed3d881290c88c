"""What the build keeps between runs to be fast (compiled templates) never shows a stale or broken site."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import store
from generator.site import render

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def themed_plan(tmp_path: Path) -> Path:
    """The example plan beside a theme of its own (themes/mine) that overrides page.html."""
    plan = tmp_path / "content"
    shutil.copytree(ROOT / "content", plan)
    settings = plan / "strategy.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "theme: mine\n", encoding="utf-8")
    templates = tmp_path / "themes" / "mine" / "templates"
    templates.mkdir(parents=True)
    page = (ROOT / "themes" / "default" / "templates" / "page.html").read_text(encoding="utf-8")
    (templates / "page.html").write_text(page.replace("{% block content %}", "{% block content %}MARK-ONE"),
                                         encoding="utf-8")
    return plan


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of our own, with the chart drawings copied in if the machine has them (drawing
    the example's charts takes seconds and is tested elsewhere)."""
    drawings = store.CHART_DRAWINGS.folder()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    if drawings.is_dir():
        shutil.copytree(drawings, store.CHART_DRAWINGS.folder())
    return tmp_path / "cache" / "strategy-site"


@pytest.fixture
def fresh_environments() -> Iterator[None]:
    """Each build below starts as a new process would: no environment kept in memory."""
    render.environment.cache_clear()
    yield
    render.environment.cache_clear()


def _free_page(out: Path) -> str:
    return next((out / "pages").glob("*.html")).read_text(encoding="utf-8")


def test_an_edited_theme_template_shows_on_the_next_build(
        themed_plan: Path, tmp_path: Path, cache: Path, fresh_environments: None) -> None:
    """Compiled templates are cached across builds, but editing a template shows its new text at once."""
    out = tmp_path / "site"
    assert build(themed_plan, out, TODAY).ok
    assert "MARK-ONE" in _free_page(out)
    assert any(cache.glob("templates/*.jinja")), "the compiled templates are kept"

    template = themed_plan.parent / "themes" / "mine" / "templates" / "page.html"
    template.write_text(template.read_text(encoding="utf-8").replace("MARK-ONE", "MARK-TWO"), encoding="utf-8")
    render.environment.cache_clear()
    assert build(themed_plan, out, TODAY).ok
    page = _free_page(out)
    assert "MARK-TWO" in page and "MARK-ONE" not in page


def test_an_unusable_cache_still_builds_the_same_site(
        themed_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_environments: None) -> None:
    """A cache folder that cannot be made (here XDG_CACHE_HOME is a file) costs time, never the build."""
    assert build(themed_plan, tmp_path / "first", TODAY).ok
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    render.environment.cache_clear()
    assert build(themed_plan, tmp_path / "second", TODAY).ok
    assert _free_page(tmp_path / "first") == _free_page(tmp_path / "second")


def test_a_corrupt_cache_entry_is_compiled_again(
        themed_plan: Path, tmp_path: Path, cache: Path, fresh_environments: None) -> None:
    """A damaged cache file (a crash, a full disk) is ignored, never rendered."""
    assert build(themed_plan, tmp_path / "first", TODAY).ok
    entries = list(cache.glob("templates/*.jinja"))
    assert entries
    for entry in entries:
        entry.write_bytes(b"not a compiled template")
    render.environment.cache_clear()
    assert build(themed_plan, tmp_path / "second", TODAY).ok
    assert _free_page(tmp_path / "first") == _free_page(tmp_path / "second")


def _site(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the pages the builds below render (in this process: STRATEGY_JOBS=1)."""
    paths: list[str] = []
    real = render.render_page

    def counting(env: object, page: object, site: object) -> str:
        paths.append(page.path)  # type: ignore[attr-defined]
        return real(env, page, site)  # type: ignore[arg-type]

    monkeypatch.setenv("STRATEGY_JOBS", "1")
    monkeypatch.setattr(render, "render_page", counting)
    return paths


def test_an_unchanged_plan_is_built_again_without_rendering_a_page(
        tmp_path: Path, cache: Path, rendered: list[str], fresh_environments: None) -> None:
    """The second build of a plan takes every page from the cache and writes the very same site."""
    plan = tmp_path / "content"
    shutil.copytree(ROOT / "content", plan)
    assert build(plan, tmp_path / "first", TODAY).ok
    pages = len(rendered)
    assert pages > 20
    rendered.clear()
    render.environment.cache_clear()
    assert build(plan, tmp_path / "second", TODAY).ok
    assert rendered == []
    assert _site(tmp_path / "first") == _site(tmp_path / "second")


def test_an_edited_objective_renders_only_the_pages_that_show_it(
        tmp_path: Path, cache: Path, rendered: list[str], fresh_environments: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """After one objective's text is edited, its page shows the new text and is rendered again, the pages that
    do not show the text (the lists and the dashboard hold the objective, not its text) are taken from the cache,
    and the site is the one a build without kept pages makes."""
    plan = tmp_path / "content"
    shutil.copytree(ROOT / "content", plan)
    assert build(plan, tmp_path / "first", TODAY).ok
    pages = len(rendered)
    rendered.clear()
    objective = plan / "objectives" / "portail-client.md"
    objective.write_text(objective.read_text(encoding="utf-8") + "\nUne phrase ajoutée au portail.\n",
                         encoding="utf-8")
    render.environment.cache_clear()
    assert build(plan, tmp_path / "second", TODAY).ok
    assert "objectives/portail-client.html" in rendered
    # the dashboard, the lists of objectives, actions and data freshness show the objective, not its text
    lists = {"index.html", "objectives.html", "objectives/index.html", "actions.html", "freshness.html"}
    assert not lists & set(rendered), rendered
    assert len(rendered) < pages / 4, rendered
    second = _site(tmp_path / "second")
    assert "Une phrase ajoutée au portail." in second["objectives/portail-client.html"].decode("utf-8")

    monkeypatch.setattr(store.RENDERED_PAGES, "root", tmp_path / "no-kept-pages")
    render.environment.cache_clear()
    assert build(plan, tmp_path / "fresh", TODAY).ok
    assert second == _site(tmp_path / "fresh")


def test_a_theme_that_reads_the_whole_state_gets_every_page_rendered(
        themed_plan: Path, tmp_path: Path, cache: Path, rendered: list[str], fresh_environments: None) -> None:
    """A page is kept by a digest of its own context: a theme template reading `site.state` could show
    anything of the plan, so such a theme's pages are rendered on every build."""
    template = themed_plan.parent / "themes" / "mine" / "templates" / "page.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "MARK-ONE", "{{ site.state.plan.objectives | length }} objectives"), encoding="utf-8")
    assert build(themed_plan, tmp_path / "first", TODAY).ok
    pages = len(rendered)
    render.environment.cache_clear()
    assert build(themed_plan, tmp_path / "second", TODAY).ok
    assert len(rendered) == 2 * pages
    assert "5 objectives" in _free_page(tmp_path / "second")


def test_a_damaged_kept_page_is_rendered_again(
        tmp_path: Path, cache: Path, rendered: list[str], fresh_environments: None) -> None:
    """A kept page cut short or overwritten (a crash, a full disk) is never shown: the page is rendered."""
    plan = tmp_path / "content"
    shutil.copytree(ROOT / "content", plan)
    assert build(plan, tmp_path / "first", TODAY).ok
    pages = len(rendered)
    entries = sorted(store.RENDERED_PAGES.folder().glob("*.html.z"))
    assert len(entries) == pages
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:-10])
    render.environment.cache_clear()
    assert build(plan, tmp_path / "second", TODAY).ok
    assert len(rendered) == 2 * pages
    assert _site(tmp_path / "first") == _site(tmp_path / "second")

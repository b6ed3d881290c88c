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

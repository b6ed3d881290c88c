"""A plan theme with a dark scheme (`@media (prefers-color-scheme: dark) { :root { … } }` in its site.css):
the pages turn dark, and the drawings, made in the top-level :root's colours (dark text on no background),
stay readable on a light card; the default theme has no dark scheme and looks the same either way."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.build import build
from tests.browser.conftest import NewContext
from tests.conftest import EXAMPLE, ROOT

pytestmark = pytest.mark.browser

DARK = """
@media (prefers-color-scheme: dark) {
  :root { --ink: #e6e9ee; --muted: #a9b3bf; --grid: #39424d; --bg: #14181d; --bg-soft: #1c2229; --accent: #8fb0f0; }
}
"""


@pytest.fixture(scope="module")
def dark_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plan with `theme: nuit`, the default site.css followed by a dark scheme."""
    folder = tmp_path_factory.mktemp("dark")
    plan = folder / "content"
    shutil.copytree(EXAMPLE, plan)
    theme = folder / "themes" / "nuit" / "static"
    theme.mkdir(parents=True)
    default_css = (ROOT / "themes" / "default" / "static" / "site.css").read_text(encoding="utf-8")
    (theme / "site.css").write_text(default_css + DARK, encoding="utf-8")
    settings = plan / "strategy.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "theme: nuit\n", encoding="utf-8")
    out = folder / "out"
    result = build(plan, out, dt.date(2026, 11, 23), search=False)
    assert result.ok, result.message
    return out


def _backgrounds(new_context: NewContext, site: Path, scheme: str) -> tuple[str, str, str]:
    """(the page's background, a drawing's background, a callout's text colour) in `scheme`."""
    context, _ = new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    body = page.evaluate("getComputedStyle(document.body).backgroundColor")
    drawing = page.evaluate("getComputedStyle(document.querySelector('.chart-svg')).backgroundColor")
    callout = page.evaluate("getComputedStyle(document.querySelector('.callout')).color")
    page.close()
    return body, drawing, callout


def test_a_dark_scheme_shows_the_drawings_on_a_light_card(dark_site: Path, new_context: NewContext) -> None:
    """In the dark scheme the page is dark (#14181d) and each drawing sits on white, its dark labels
    readable; the light callouts keep dark text. In the light scheme nothing changes: no card."""
    body, drawing, callout = _backgrounds(new_context, dark_site, "dark")
    assert body == "rgb(20, 24, 29)" and drawing == "rgb(255, 255, 255)" and callout == "rgb(31, 41, 51)"
    body, drawing, _ = _backgrounds(new_context, dark_site, "light")
    assert body == "rgb(255, 255, 255)" and drawing == "rgba(0, 0, 0, 0)"

"""Slimmed drawings look the same (site/svg_slim.py): each drawing of the example plan, before and after the
slimming, is painted by Chromium in the site's CSS and the two screenshots are compared pixel for pixel, as
a screen shows it, on a phone (scaled down, at twice the pixels) and printed; and each tooltip is reached at
the same place. No tolerance: the slimming only drops what draws nothing and writes the rest otherwise."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Page

from tests.browser.conftest import NewContext
from tests.conftest import ROOT
from tests.test_svg_slim import drawn_both_ways

pytestmark = pytest.mark.browser

STATIC = ROOT / "themes" / "default" / "static"
# (name, viewport, device pixels a CSS pixel, media, width of the column the drawings are shown in)
VIEWS = [("screen", {"width": 800, "height": 900}, 1, "screen", 720),
         ("phone", {"width": 390, "height": 844}, 2, "screen", 340),
         ("print", {"width": 800, "height": 900}, 1, "print", 500)]
# the tooltip under the middle of each mark that has one, as hovering there would show it
TOOLTIPS_JS = """() => [...document.querySelectorAll('svg title')].map(title => {
  const box = title.parentElement.getBoundingClientRect();
  const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  const owner = hit && hit.closest('svg *:has(> title)');
  return owner ? owner.querySelector(':scope > title').textContent : null;
})"""


@pytest.fixture(scope="module")
def drawings(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    return drawn_both_ways(tmp_path_factory.mktemp("slim"))


@pytest.fixture(scope="module")
def pages(new_context: NewContext) -> Iterator[dict[str, Page]]:
    opened = {}
    for name, viewport, scale, media, _ in VIEWS:
        context, _ = new_context(viewport=viewport, device_scale_factor=scale)
        page = context.new_page()
        page.emulate_media(media=media)  # type: ignore[arg-type]
        opened[name] = page
    yield opened


def _document(svg: str, column: int) -> str:
    """A page holding `svg` as the site's pages do (the chart's figure in a column `column` px wide), with the
    site's and the print style sheets."""
    css = "\n".join((STATIC / name).read_text(encoding="utf-8") for name in ("site.css",))
    printed = (STATIC / "print.css").read_text(encoding="utf-8")
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><style>{css}</style>'
            f'<style media="print">{printed}</style></head><body><main style="width:{column}px">'
            f'<figure class="chart"><div class="chart-canvas">{svg}</div></figure></main></body></html>')


def _painted(page: Page, svg: str, column: int) -> tuple[Image.Image, list[str | None]]:
    page.set_content(_document(svg, column))
    shot = page.locator("svg.chart-svg").screenshot(animations="disabled", caret="hide")
    return Image.open(io.BytesIO(shot)).convert("RGB"), page.evaluate(TOOLTIPS_JS)


@pytest.mark.parametrize("view", [name for name, *_ in VIEWS])
def test_a_slimmed_drawing_looks_the_same(view: str, drawings: list[tuple[str, str]], pages: dict[str, Page],
                                          tmp_path: Path) -> None:
    """Every drawing of the example (KPI, funnel, progress and budget charts, wide and narrow) paints the same
    pixels slimmed as before, on a screen, on a phone's denser screen with the wide ones scaled down, and
    printed; hovering the middle of each mark shows the same tooltip."""
    page = pages[view]
    column = next(width for name, *_, width in VIEWS if name == view)
    differ = []
    for number, (before, after) in enumerate(drawings):
        old, old_tips = _painted(page, before, column)
        new, new_tips = _painted(page, after, column)
        assert old_tips == new_tips, f"drawing {number}: the tooltips under the marks changed"
        assert any(old_tips), f"drawing {number}: no tooltip found under its marks"
        if old.size != new.size or ImageChops.difference(old, new).getbbox() is not None:
            old.save(tmp_path / f"{number}-before.png")
            new.save(tmp_path / f"{number}-after.png")
            differ.append(number)
    assert not differ, f"{len(differ)} of {len(drawings)} drawings look different slimmed, in {tmp_path}"

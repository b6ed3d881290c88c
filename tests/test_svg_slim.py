"""Chart drawings made smaller before they are kept (site/svg_slim.py): the same texts, tooltips and hooks
for the reader, about half the bytes, and drawn again when the slimming changes. The pictures themselves are
compared pixel for pixel in a browser by tests/browser/test_slim_drawings.py."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest

from generator import parallel
from generator.build import build
from generator.cache import store
from generator.site import chart_svg, drawing_pool, svg_slim
from generator.site.drawing_pool import Request
from tests.conftest import EXAMPLE

TODAY = dt.date(2026, 11, 23)


def drawn_both_ways(tmp_path: Path) -> list[tuple[str, str]]:
    """Every drawing of the example plan's site (its KPI, funnel, progress and budget charts, wide and narrow)
    as chart_svg.py makes it without slimming, and slimmed: (before, after) pairs, in the order asked for.
    The build draws in this process, from an empty cache, with the slimming left out."""
    unslimmed: dict[str, str | None] = {}

    def draw_all(requests: list[Request], processes: int) -> dict[str, str | None]:
        with pytest.MonkeyPatch.context() as raw:
            raw.setattr(svg_slim, "slim", lambda svg: svg)
            for request in requests:
                unslimmed[request[0]] = chart_svg.draw_source(*request)
        return dict(unslimmed)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store.CHART_DRAWINGS, "root", tmp_path / "drawings")  # nothing drawn yet: all asked for
        patch.setattr(store.RENDERED_PAGES, "root", tmp_path / "pages")  # no page kept: every page rendered
        patch.setattr(chart_svg, "_memo", {})
        patch.setattr(parallel, "drawing_workers", lambda drawings, jobs=None: 2)
        patch.setattr(drawing_pool, "draw_all", draw_all)
        result = build(EXAMPLE, tmp_path / "site", TODAY, search=False)
        chart_svg.keep_drawn_ahead({})  # this build's drawings were not slimmed: no later build gets them
    assert result.ok, result.message
    pairs = [(svg, svg_slim.slim(svg)) for svg in unslimmed.values() if svg is not None]
    assert len(pairs) >= 30, "the example plan draws some 32 charts"
    return pairs


@pytest.fixture(scope="module")
def example_drawings(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    return drawn_both_ways(tmp_path_factory.mktemp("slim"))


def _root(svg: str) -> str:
    return svg[:svg.index(">") + 1]


def _titles(svg: str) -> list[str]:
    return [unescape(text) for text in re.findall(r"<title>([^<]*)</title>", svg)]


def _shown_texts(svg: str) -> list[str]:
    """The texts of a drawing a reader can see (Vega hides an axis label that would overlap with opacity 0)."""
    return [unescape(text) for attributes, text in re.findall(r"<text\b([^>]*)>([^<]*)</text>", svg)
            if 'opacity="0"' not in attributes]


def test_a_drawing_keeps_its_texts_tooltips_and_hooks(example_drawings: list[tuple[str, str]]) -> None:
    """Slimmed, each drawing still reads the same: its root tag (the `chart-svg` class the CSS styles,
    aria-hidden, its size), every tooltip (<title>) in order, every label a reader can see; only the labels
    Vega made transparent are gone."""
    for before, after in example_drawings:
        assert _root(after) == _root(before)
        assert 'class="chart-svg" aria-hidden="true" focusable="false"' in _root(after)
        assert _titles(after) == _titles(before)
        assert _shown_texts(after) == _shown_texts(before)
        assert 'opacity="0"' not in after and ' class=' not in after[len(_root(after)):]
    assert "Étape : Prospects identifiés\nSérie : Besoin à l'échéance\nVolume : 1\u202f250" in {
        title for _, after in example_drawings for title in _titles(after)}


def test_a_drawing_takes_about_half_the_bytes(example_drawings: list[tuple[str, str]]) -> None:
    """The example's drawings take at most 55 % of their bytes once slimmed (47 % when measured), each of
    them smaller."""
    before = sum(len(svg.encode()) for svg, _ in example_drawings)
    after = sum(len(svg.encode()) for _, svg in example_drawings)
    assert after <= 0.55 * before, (before, after)
    assert all(len(slim) < len(svg) for svg, slim in example_drawings)


def test_slimming_a_slim_drawing_changes_nothing(example_drawings: list[tuple[str, str]]) -> None:
    """What is kept in the cache is already as small as the slimming makes it: slimming it again gives the
    same bytes (so a drawing's bytes never depend on how many times it went through)."""
    for _, after in example_drawings:
        assert svg_slim.slim(after) == after


def test_what_it_cannot_read_is_kept_as_it_came() -> None:
    """A drawing that is not plain SVG (not XML, another namespace) is kept whole rather than half
    rewritten: the page still shows it."""
    not_xml = '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg"><g><text>a &nbsp; b</text></g></svg>'
    linked = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
              'class="chart-svg"><g opacity="1"><use xlink:href="#a"/></g></svg>')
    for svg in (not_xml, linked, "", "<svg"):
        assert svg_slim.slim(svg) == svg


def test_what_draws_nothing_goes_and_shared_looks_move_up() -> None:
    """An empty background, a hidden foreground and a transparent label under pointer-events none go;
    the stroke every tick shares is written once on their group; a tooltip stays on its mark."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" width="10" height="10">'
           '<g fill="none" transform="translate(1,1)"><g class="mark-group role-axis"><g transform="translate(0,0)">'
           '<path class="background" d="M0,0h0v0h0Z" pointer-events="none"/>'
           '<g class="mark-rule role-axis-tick" pointer-events="none">'
           '<line transform="translate(2,0)" x2="0" y2="5" stroke="#e3e7ec" stroke-width="1" opacity="1"/>'
           '<line transform="translate(4.000000000000001,0)" x2="0" y2="5" stroke="#e3e7ec" stroke-width="1"/>'
           '</g><g class="mark-text" pointer-events="none"><text opacity="0" fill="#5b6673">hidden</text>'
           '<text fill="#5b6673" opacity="1">shown</text></g>'
           '<path class="foreground" d="" pointer-events="none" display="none"/></g></g>'
           '<g class="mark-symbol"><path d="M0,0h2v2h-2Z" fill="#c0262d" opacity="1"><title>Valeur : 1</title></path>'
           '</g></g></svg>')
    assert svg_slim.slim(svg) == (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" width="10" height="10">'
        '<g fill="none" transform="translate(1,1)"><g pointer-events="none">'
        '<g stroke="#e3e7ec"><line transform="translate(2,0)" y2="5"/><line transform="translate(4,0)" y2="5"/></g>'
        '<text fill="#5b6673">shown</text></g>'
        '<path d="M0,0h2v2h-2Z" fill="#c0262d"><title>Valeur : 1</title></path></g></svg>')


def test_a_new_slimming_draws_the_charts_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The drawings kept in the cache are named after the slimming code too: a version of it that writes
    them otherwise makes the next build draw them again instead of serving the old bytes."""
    chart_svg._engine_version.cache_clear()
    kept = chart_svg._engine_version()
    changed = tmp_path / "svg_slim.py"
    changed.write_bytes(Path(svg_slim.__file__).read_bytes() + b"\n# another way to slim\n")
    monkeypatch.setattr(svg_slim, "__file__", str(changed))
    chart_svg._engine_version.cache_clear()
    try:
        assert chart_svg._engine_version() != kept
    finally:
        monkeypatch.undo()
        chart_svg._engine_version.cache_clear()
    assert chart_svg._engine_version() == kept

"""A French plan's Markdown bodies get French typography's no-break spaces, which an author typing plain spaces
cannot see: on a phone, a line never starts with « : » or « » », and « 1 250 prospects » is never cut into « 1 »
and « 250 prospects » (it was, in the example's objective page at 390 px)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.build import build
from generator.site.markdown_render import french_spacing, render_markdown
from tests.conftest import EXAMPLE


def test_french_text_gets_its_no_break_spaces_and_code_keeps_its_own() -> None:
    """Inside « », before : ; ! ? % € and between a number's groups; not in code, nor in a tag's attributes."""
    html = ('<p>Il faut 1 250 prospects : soit 5 000 000 € ! « Webinaire » ? 10 % <code>a : b</code> '
            '<a href="x" title="a : b">lien</a> en 2025 2026</p>')
    assert french_spacing(html) == (
        '<p>Il faut 1\u202f250 prospects\u00a0: soit 5\u202f000\u202f000\u00a0€\u00a0! «\u00a0Webinaire\u00a0»\u00a0? '
        '10\u00a0% <code>a : b</code> <a href="x" title="a : b">lien</a> en 2025 2026</p>')


def test_an_english_body_is_left_as_written() -> None:
    """An English plan's body keeps its spaces: "Note : x" is not English typography to correct."""
    assert str(render_markdown("We need 1 250 leads : now", "en")) == "<p>We need 1 250 leads : now</p>"


def test_the_example_objective_page_holds_its_numbers_together(tmp_path: Path) -> None:
    """The example's objective body reads « 1 250 prospects » with a narrow no-break space and « tunnel
    d'acquisition : » with a no-break space before the colon."""
    out = tmp_path / "out"
    assert build(EXAMPLE, out, dt.date(2026, 11, 23)).ok
    page = (out / "objectives" / "croissance-clients.html").read_text(encoding="utf-8")
    assert "eux-mêmes 1\u202f250 prospects identifiés" in page
    assert "tunnel d&#39;acquisition\u00a0: 5 clients" in page or "tunnel d'acquisition\u00a0: 5 clients" in page

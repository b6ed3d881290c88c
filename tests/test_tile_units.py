"""A KPI tile's figure on a phone: a unit that is a word may go to the next line ("6 000 / commandes"), so the
browser never cuts the word itself ("6 000 command / es" at 390 px, tester 19); a currency or an abbreviation
stays with its number."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.build import build
from generator.site.render import _unit_may_wrap
from tests.conftest import EXAMPLE


@pytest.mark.parametrize(("figure", "shown"), [
    ("6\u00a0000\u00a0commandes", "6\u00a0000 commandes"),  # fr-CA groups with a no-break space: kept
    ("5\u202f720\u00a0visites", "5\u202f720 visites"),
    ("3,000\u00a0monthly donors", "3,000 monthly donors"),
    ("1,2\u00a0M\u00a0€", "1,2\u00a0M\u00a0€"),
    ("350\u00a0000\u00a0€", "350\u00a0000\u00a0€"),
    ("12\u00a0Go", "12\u00a0Go"),
    ("45\u202f%", "45\u202f%"),
])
def test_a_word_unit_may_wrap_and_a_symbol_stays(figure: str, shown: str) -> None:
    """Only the space before a unit of four letters or more becomes breakable; the number's own grouping, a
    currency, a percentage and a short abbreviation keep their no-break spaces."""
    assert _unit_may_wrap(figure) == shown


def test_the_objective_tiles_let_their_word_units_wrap(tmp_path: Path) -> None:
    """On the example's objective page, the tiles write "5 clients" with a space the line may break at, and
    the figures in the sentence under them keep their no-break space."""
    out = tmp_path / "out"
    assert build(EXAMPLE, out, dt.date(2026, 11, 23)).ok
    page = (out / "objectives" / "croissance-clients.html").read_text(encoding="utf-8")
    tiles = re.search(r'<dl class="numbers">(.*?)</dl>', page, re.S)
    assert tiles is not None
    assert "<dd>5 clients <small class=\"when\">" in tiles.group(1)
    assert "\u00a0clients" not in tiles.group(1)
    assert "\u00a0clients" in page.split('<dl class="numbers">', 1)[1]  # the status sentence below keeps it


def test_a_tile_date_goes_to_the_next_line_whole(tmp_path: Path) -> None:
    """A tile's date (« 31 déc. 2026 », « octobre 2026 ») is never cut between day and month on a phone: it is
    marked `when`, which the theme keeps on one line."""
    out = tmp_path / "out"
    assert build(EXAMPLE, out, dt.date(2026, 11, 23)).ok
    page = (out / "objectives" / "croissance-clients.html").read_text(encoding="utf-8")
    assert '<small class="when">31 déc. 2026</small>' in page
    css = next((out / "static").glob("site.*.css")).read_text(encoding="utf-8")
    assert "dd small.when { white-space: nowrap; }" in css

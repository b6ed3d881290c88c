"""Golden pages: the dashboard, one objective and one funnel of the example plan, byte for byte as
committed in tests/golden/ (chart specs pretty-printed; see tests/golden_pages.py)."""

from __future__ import annotations

import difflib

import pytest

from . import golden_pages

MAX_DIFF_LINES = 40


@pytest.fixture(scope="module")
def built() -> dict[str, str]:
    return golden_pages.built_pages()


def _short_diff(expected: str, actual: str, name: str) -> str:
    lines = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(), f"tests/golden/{name}",
                                      f"built/{name}", n=2, lineterm=""))
    more = len(lines) - MAX_DIFF_LINES
    shown = [line if len(line) <= 200 else line[:200] + "…" for line in lines[:MAX_DIFF_LINES]]
    return "\n".join(shown) + (f"\n… and {more} more diff lines" if more > 0 else "")


@pytest.mark.parametrize("page", golden_pages.PAGES)
def test_page_matches_its_golden_file(built: dict[str, str], page: str) -> None:
    """A change to the templates, the formats or the charts shows as a change to the pages a reader
    gets; an intended change is accepted by regenerating the golden files with `make golden`."""
    path = golden_pages.golden_path(page)
    assert path.exists(), f"tests/golden/{page} is missing: run `make golden`, review and commit it"
    expected = path.read_bytes().decode("utf-8")
    actual = built[page]
    if expected != actual:
        pytest.fail(f"{page} differs from tests/golden/{page}:\n{_short_diff(expected, actual, page)}\n"
                    "If the change is intended, run `make golden`, review `git diff tests/golden/` and commit it.",
                    pytrace=False)


def test_golden_folder_holds_only_the_compared_pages() -> None:
    """No stale golden file is left behind that no test compares."""
    present = sorted(p.relative_to(golden_pages.GOLDEN_DIR).as_posix()
                     for p in golden_pages.GOLDEN_DIR.rglob("*") if p.is_file())
    assert present == sorted(golden_pages.PAGES), "run `make golden` to rewrite tests/golden/"


def test_normalisation_keeps_what_a_reader_reads_in_a_chart() -> None:
    """A chart's drawing is kept in golden files as its root tag, its texts and its tooltips, a line each:
    a change to what a reader sees in a chart shows in the diff, its geometry does not."""
    html = ('<p>x</p><svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" width="720" height="300">'
            '<g><path d="M0,0h5"><title>Étape : A&#xA;Volume : 1</title></path>'
            '<text transform="translate(1,2)">1 000</text></g></svg>')
    assert golden_pages.normalise(html) == (
        '<p>x</p><svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" width="720" height="300">\n'
        "<title>Étape : A&#xA;Volume : 1</title>\n<text>1 000</text>\n</svg>")

"""The site's search index (pagefind), as `strategy build` writes it: beside the pages, over the main
content of every page, the same bytes on every build, and never a half-written site when it fails."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

import generator.site.search
from generator.build import build
from generator.plan.messages import words
from tests.conftest import EXAMPLE, TODAY


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plan built once, with its search index."""
    output = tmp_path_factory.mktemp("search") / "site"
    result = build(EXAMPLE, output, TODAY)
    assert result.ok, result.message
    return output


def test_the_index_is_written_beside_the_pages(site: Path) -> None:
    """The built site has pagefind/ with its entry file, its script and one index over every page, in the
    plan's language; pagefind's own UI bundles, which the theme does not use, are not published."""
    entry = json.loads((site / generator.site.search.ENTRY).read_text(encoding="utf-8"))
    pages = sorted(site.rglob("*.html"))
    assert list(entry["languages"]) == ["fr"]
    assert entry["languages"]["fr"]["page_count"] == len(pages)
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert list((site / "pagefind" / "fragment").iterdir()), "no page in the index"
    left = [name for name in generator.site.search.UNUSED if (site / "pagefind" / name).exists()]
    assert left == [], f"pagefind UI bundles published: {left}"


def test_pages_index_their_main_content_only(site: Path) -> None:
    """Every page marks its <main> as what the search indexes (so the menu, header and footer are not),
    titles its result with the page's title, keeps chart data tables and drawings out (an axis's "0" or
    "janv. 2026" would be results; the chart's caption stays), and loads the search script."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        rel = page.relative_to(site).as_posix()
        main = re.search(r"<main\b[^>]*>", html)
        if not main or "data-pagefind-body" not in main.group(0) or 'data-title="' not in main.group(0):
            problems.append(f"{rel}: <main> is not indexed with its title")
        if html.count("data-pagefind-body") != 1:
            problems.append(f"{rel}: data-pagefind-body on more than <main>")
        tables = html.count('<details class="chart-data"')
        if tables != len(re.findall(r'<details class="chart-data"(?: open)? data-pagefind-ignore', html)):
            problems.append(f"{rel}: a chart data table is indexed")
        if b"chart-svg" in generator.site.search.searchable(html.encode()):
            problems.append(f"{rel}: a chart drawing is indexed")
        if not re.search(r'static/search\.[0-9a-f]{8}\.js"', html) or 'data-search-index="' not in html:
            problems.append(f"{rel}: no search box")
    assert problems == []


def test_the_index_is_byte_identical_across_builds(site: Path, tmp_path: Path) -> None:
    """Building the same plan with the same --today again, into another folder, gives the same index,
    file for file and byte for byte (and the same pages)."""
    again = tmp_path / "again"
    result = build(EXAMPLE, again, TODAY)
    assert result.ok, result.message
    first, second = tree(site), tree(again)
    assert sorted(first) == sorted(second)
    differ = [path for path in first if first[path] != second[path]]
    assert differ == []


def test_a_build_without_search_has_no_index_and_no_box(tmp_path: Path) -> None:
    """build(search=False) (for callers that do not want it) writes no index and shows no search box."""
    result = build(EXAMPLE, tmp_path / "site", TODAY, search=False)
    assert result.ok, result.message
    assert not (tmp_path / "site" / "pagefind").exists()
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "search.js" not in html and "data-pagefind-body" not in html


def test_missing_pagefind_fails_the_build_and_keeps_the_previous_site(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pagefind, the build fails with a message saying what to install, and the site built before
    is left exactly as it was (the index is made before the new site is swapped in)."""
    output = tmp_path / "site"
    assert build(EXAMPLE, output, TODAY).ok
    before = tree(output)
    monkeypatch.setattr(generator.site.search, "pagefind_installed", lambda: False)
    result = build(EXAMPLE, output, TODAY)
    assert not result.ok
    assert "pip install 'pagefind[bin]'" in (words("en", result.message) or "")
    assert tree(output) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"], "a staging folder was left behind"


def test_a_failing_pagefind_fails_the_build_with_its_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When pagefind itself fails, the build fails, says pagefind could not index the site and why, and
    writes nothing."""
    failing = "import sys; sys.stderr.write('Error: Pagefind could not write the index\\n'); sys.exit(1)"
    monkeypatch.setattr(generator.site.search, "PAGEFIND", [sys.executable, "-c", failing])
    result = build(EXAMPLE, tmp_path / "site", TODAY)
    assert not result.ok
    said = "pagefind could not index the site for search: Error: Pagefind could not write the index"
    assert words("en", result.message) == said
    assert words("fr", result.message) == ("pagefind n'a pas pu indexer le site pour la recherche : "
                                           "Error: Pagefind could not write the index")
    assert not (tmp_path / "site").exists()


def _fragments(index: Path) -> dict[str, dict[str, object]]:
    """pagefind's record of each page (its words, title, anchors), by URL."""
    import gzip

    out = {}
    for file in (index / "fragment").iterdir():
        raw = gzip.decompress(file.read_bytes())
        record = json.loads(raw[raw.index(b"{"):])
        out[record["url"]] = record
    return out


def test_pagefind_reads_slim_pages_and_finds_the_same_words(site: Path, tmp_path: Path) -> None:
    """The build gives pagefind each page without its chart specs and ignored data tables (searchable): every
    page's indexed words, title and headings are those pagefind finds reading the full pages itself."""
    import subprocess

    full = tmp_path / "full-index"
    subprocess.run([*generator.site.search.pagefind_command(), "--site", ".", "--output-path", str(full),
                    "--keep-index-url", "--quiet"], cwd=site, check=True, capture_output=True)
    theirs, ours = _fragments(full), _fragments(site / generator.site.search.INDEX_DIR)
    assert sorted(ours) == sorted(theirs) and len(ours) > 20
    for url, record in theirs.items():
        mine = ours[url]
        assert {k: v for k, v in mine.items() if k != "anchors"} == {k: v for k, v in record.items() if k != "anchors"}
        headings = [a for a in record["anchors"] if a["element"].startswith("h")]
        assert [a for a in mine["anchors"] if a["element"].startswith("h")] == headings


def test_searchable_cuts_only_what_pagefind_skips() -> None:
    """Chart specs and elements marked data-pagefind-ignore go, nested elements of the same name included;
    the words around them stay; text or an attribute value that merely says data-pagefind-ignore is left."""
    from generator.site.search import searchable

    page = (b'<main data-pagefind-body><h1>Title</h1><script type="application/json" id="s">{"a":"<b>"}</script>'
            b'<p>kept</p><div class="x" data-pagefind-ignore><div>inner</div><p>gone</p></div><p>after</p>'
            b'<p title="say data-pagefind-ignore">text data-pagefind-ignore</p></main>')
    slim = searchable(page)
    assert slim == (b'<main data-pagefind-body><h1>Title</h1><p>kept</p><p>after</p>'
                    b'<p title="say data-pagefind-ignore">text data-pagefind-ignore</p></main>')
    unclosed = b'<main><details data-pagefind-ignore><p>no end</p></main>'
    assert searchable(unclosed) == unclosed


def test_searchable_cuts_a_chart_with_its_two_drawings_whole() -> None:
    """A chart's element holding its wide and narrow drawings side by side, and elements nested deeper, goes
    whole: the words after it are indexed, none of the drawings' text is."""
    from generator.site.search import searchable

    chart = (b'<div class="chart-canvas" data-pagefind-ignore><div class="chart-wide"><svg><text>wide</text></svg>'
             b'</div><divider></divider><div class="chart-narrow"><div><div>deep</div></div><svg/></div></div>')
    page = b"<main data-pagefind-body><p>before</p>" + chart + b"<div><p>after</p></div>" + chart + b"</main>"
    assert searchable(page) == b"<main data-pagefind-body><p>before</p><div><p>after</p></div></main>"


def test_search_excerpts_do_not_glue_table_headers(site: Path) -> None:
    """A search result's excerpt reads the page's words, not its tables' column headers run together
    ("ActionObjectifResponsable Échéance Statut"): table headers stay out of the index, their rows are in it."""
    fragments = _fragments(site / generator.site.search.INDEX_DIR)
    actions = next(record for url, record in fragments.items() if url.endswith("/actions.html"))
    content = str(actions["content"])
    assert "ActionObjectif" not in content and "Responsable Échéance Statut" not in content, content[:200]
    assert "Thomas Girard" in content  # an action's owner, from the table's rows
    glued = [url for url, record in fragments.items() if re.search(r"[a-zé](Objectif|Responsable|Statut)\b",
                                                                  str(record["content"]))]
    assert glued == []

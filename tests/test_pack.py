"""`strategy pack`: the board pack PDF (issue 14, item 3), read back as a board member would: its pages in
order, their text, its numbering, the same bytes twice, and pictures of its first pages for the README."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.pipeline import check
from generator.plan.i18n import Formatter
from generator.read.source import DirectorySource
from generator.site import explain
from tests.conftest import EXAMPLE, ROOT
from tests.test_gitsource import GitRepo, base_plan

pypdf = pytest.importorskip("pypdf")

TODAY = "2026-06-30"
DOCS = ROOT / "docs"


def pack(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["pack", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def page_texts(pdf: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages]


@pytest.fixture(scope="module")
def example_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plan's pack (French), made once for the module."""
    out = tmp_path_factory.mktemp("pack") / "board-pack.pdf"
    code, stdout, stderr = pack(str(EXAMPLE), "-o", str(out), "--today", TODAY)
    assert code == 0, stderr
    assert stdout.startswith(f"strategy pack : {out} écrit, 11 pages, "), stdout
    return out


def test_the_pack_has_a_cover_a_summary_then_a_page_per_objective_and_the_funnels(example_pack: Path) -> None:
    """Page 1 is the cover (title, organization, period, date) with the contents; page 2 the summary; then each
    objective starts a page, in the order of the contents, and the funnels close the pack."""
    pages = page_texts(example_pack)
    cover = pages[0]
    assert "Plan stratégique numérique 2026" in cover and "Atelier Numérique Lyonnais" in cover
    assert "1er janv. 2026 – 31 déc. 2026" in cover and "Situation au 30 juin 2026" in cover
    assert "Dossier du conseil".upper() in cover.upper() and "Sommaire" in cover
    assert pages[1].startswith("Synthèse")
    checked = check(DirectorySource(EXAMPLE), dt.date.fromisoformat(TODAY))
    assert checked.state is not None
    titles = [o.objective.title for o in checked.state.objectives.values()]
    starts = {title: next(i for i, text in enumerate(pages) if text.startswith(title)) for title in titles}
    assert min(starts.values()) == 2, starts
    funnel_pages = [i for i, text in enumerate(pages) if text.startswith("Entonnoir : ")]
    assert len(funnel_pages) == 2 and min(funnel_pages) > max(starts.values())
    # the contents on the cover give each part's page number, after a dotted leader
    for title, index in {"Synthèse": 1, **starts}.items():
        assert re.search(re.escape(title) + r"[ .]*\.{3}[ .]*" + f"{index + 1} ", cover), (title, index + 1)


def test_every_page_is_numbered_n_of_total(example_pack: Path) -> None:
    """Each page's footer says "3 / 11", from "1 / 11" on the cover to "11 / 11"."""
    pages = page_texts(example_pack)
    assert len(pages) == 11
    for number, text in enumerate(pages, start=1):
        assert f"{number} / 11" in text, (number, text[-80:])


def test_the_summary_says_where_the_plan_stands_in_french(example_pack: Path) -> None:
    """The summary page counts the objectives by status, gives each funnel's projection sentence and its
    diagnosis (the site's own sentences), and lists the late actions, all in French."""
    summary = page_texts(example_pack)[1]
    checked = check(DirectorySource(EXAMPLE), dt.date.fromisoformat(TODAY))
    assert checked.state is not None
    fmt = Formatter("fr", "EUR")
    acquisition = checked.state.funnels["acquisition"]
    projection = explain.projection_text(acquisition, fmt)
    assert projection is not None
    assert f"Projection à l'échéance : {' '.join(projection.split())}" in summary
    counts = {}
    for objective in checked.state.objectives.values():
        counts[objective.status] = counts.get(objective.status, 0) + 1
    for status, n in counts.items():  # the same counts as the site's, in words
        assert f"{n} {fmt.label(status)}" in summary
    assert "Goulot d'étranglement : « Clients signés »" in summary
    assert "Actions en retard ou à échéance proche" in summary and "Besoin à ce jour" in summary
    for english in ("Summary", "Contents", "Need to date", "Projected", "Bottleneck"):
        assert english not in summary


def test_an_objective_page_has_its_kpis_numbers_and_vector_charts(example_pack: Path) -> None:
    """An objective's page gives each KPI's latest, expected and target values with units, and its charts as
    vectors: their French axis labels ("janv. 2026") are text in the PDF, not pixels."""
    pages = page_texts(example_pack)
    page = next(text for text in pages if text.startswith("Signer 5 nouveaux clients"))
    assert "Nouveaux clients signés depuis janvier" in page and "5 clients" in page
    assert "Dernière mesure" in page and "Attendu à cette date" in page
    assert "janv. 2026" in page and "Trajectoire attendue" in page and "Cible : 5 clients" in page
    assert "En retard : l'avancement" in page


def test_the_same_plan_and_day_give_the_same_bytes(example_pack: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Two runs with --today (or SOURCE_DATE_EPOCH) give the same PDF, whose dates are that day."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782777600")  # 2026-06-30
    code, _, stderr = pack(str(EXAMPLE), "-o", str(tmp_path / "again.pdf"))
    assert code == 0, stderr
    assert (tmp_path / "again.pdf").read_bytes() == example_pack.read_bytes()
    info = pypdf.PdfReader(example_pack).metadata
    assert info["/CreationDate"].startswith("D:20260630")
    assert info["/Title"] == "Plan stratégique numérique 2026 · Dossier du conseil"


def test_an_english_plan_gets_an_english_pack_with_the_changes_since_its_last_tag(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a git repository, the summary says what changed since the last version tag, with the diff's own
    sentence; an English plan's pack has English words only."""
    repo = GitRepo(tmp_path / "repo")
    repo.commit(base_plan(goal=5), tag="v1")
    repo.write(base_plan(goal=8))
    monkeypatch.chdir(repo.root)
    code, stdout, stderr = pack("content", "--today", "2026-11-23")
    assert code == 0, stderr
    assert stdout.startswith("strategy pack: wrote output/board-pack.pdf, ")
    pages = page_texts(repo.root / "output" / "board-pack.pdf")
    assert "Board pack".upper() in pages[0].upper() and "Contents" in pages[0]
    summary = pages[1]
    assert summary.startswith("Summary Status as of Nov 23, 2026")
    assert "Changes since v1" in summary and "1 entity changed" in summary
    assert "Acquisition" in summary.split("Changes since v1")[1]
    for french in ("Synthèse", "Sommaire", "Besoin", "Entonnoir"):
        assert french not in " ".join(pages)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_changes_are_said_since_the_previous_tag_on_a_tags_own_build(tmp_path: Path, language: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Built from the commit a tag points at (the publish workflow on a new tag), the pack compares with the
    tag before it, not with itself, and its heading says so: "What v2 changed since v1" (« Ce que v2 a changé
    depuis v1 »), not "Changes since v1", which would be what changed after v2."""
    repo = GitRepo(tmp_path / "repo")
    files = {name: text.replace("language: en", f"language: {language}") for name, text in base_plan(goal=5).items()}
    repo.commit(files, tag="v1")
    files = {name: text.replace("language: en", f"language: {language}") for name, text in base_plan(goal=8).items()}
    repo.commit(files, tag="v2")
    monkeypatch.chdir(repo.root)
    code, _, stderr = pack("content", "--today", "2026-11-23", "-o", "pack.pdf")
    assert code == 0, stderr
    summary = page_texts(repo.root / "pack.pdf")[1]
    assert {"en": "What v2 changed since v1", "fr": "Ce que v2 a changé depuis v1"}[language] in summary
    assert "Changes since" not in summary and "Changements depuis" not in summary


def test_a_plan_with_errors_writes_no_pack(make_plan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A plan with errors gets its errors and a French sentence saying nothing was written; no PDF, no
    traceback."""
    plan = make_plan({"objectives/x.md": "---\ntitle: X\nkpis: 3\n---\n"})
    out = tmp_path / "pack.pdf"
    code, _, stderr = pack(str(plan), "-o", str(out))
    assert code == 1
    assert "rien n'est écrit, le plan a des erreurs" in stderr and "Traceback" not in stderr
    assert not out.exists()


def test_pictures_of_the_first_two_pages_for_the_readme(example_pack: Path, tmp_path: Path) -> None:
    """docs/pack-1.png and docs/pack-2.png (shown by the README) are the cover and the summary of the example
    plan's pack, each under 300 KB."""
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm is missing: scripts/install-test-tools installs poppler-utils")
        pytest.skip("pdftoppm is missing (apt-get install poppler-utils)")
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(example_pack), str(tmp_path / "page")],
                   check=True)
    for number in (1, 2):
        picture = next(tmp_path.glob(f"page-*{number}.png"))
        data = picture.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) < 300_000
        target = DOCS / f"pack-{number}.png"
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)


def test_build_with_pack_links_the_pdf_from_the_dashboard(tmp_path: Path) -> None:
    """`strategy build --pack` puts board-pack.pdf at the site's root and a "Board pack" link on the dashboard;
    a build without it has neither (no dead link)."""
    repo = GitRepo(tmp_path / "repo")
    repo.write(base_plan())
    with_pack, without = tmp_path / "with", tmp_path / "without"
    for out, extra in ((with_pack, ["--pack"]), (without, [])):
        result = CliRunner().invoke(main, ["build", str(repo.plan), "-o", str(out), "--today", "2026-11-23", *extra])
        assert result.exit_code == 0, result.output
    assert (with_pack / "board-pack.pdf").read_bytes().startswith(b"%PDF-")
    assert '<a href="board-pack.pdf" type="application/pdf">Board pack</a> <small>(PDF to print)</small>' \
        in (with_pack / "index.html").read_text(encoding="utf-8")
    assert not (without / "board-pack.pdf").exists()
    assert "board-pack" not in (without / "index.html").read_text(encoding="utf-8")



@pytest.fixture
def drawings_kept_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The chart drawings kept in a fresh user cache folder, nothing drawn in memory yet."""
    from generator.cache.site_stores import ChartDrawings
    from generator.cache.store import CHART_DRAWINGS
    from generator.site import chart_svg

    folder = tmp_path / "drawings"
    monkeypatch.setattr(chart_svg, "_memo", {})
    monkeypatch.setattr(chart_svg, "_store", ChartDrawings(CHART_DRAWINGS.at(folder)))
    return folder


def _example_state():  # type: ignore[no-untyped-def]
    checked = check(DirectorySource(EXAMPLE), dt.date.fromisoformat(TODAY))
    assert checked.state is not None
    return checked.state


def test_a_second_pack_takes_its_charts_from_the_user_cache(drawings_kept_in: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The pack's charts are kept in the user cache as the site's are: a second `strategy pack` (a new
    process) draws none of them again, and shows the very same charts."""
    from generator.pack.content import gather
    from generator.site import chart_svg

    state = _example_state()
    first = gather(state, None, with_changes=False)
    assert len(list(drawings_kept_in.iterdir())) >= len(state.kpis) + len(state.funnels)
    monkeypatch.setattr(chart_svg, "_memo", {})  # a new process
    monkeypatch.setattr(chart_svg, "_draw", lambda *a: pytest.fail("a kept chart was drawn again"))
    again = gather(state, None, with_changes=False)
    assert [k.chart for o in again.objectives for k in o.kpis] == [k.chart for o in first.objectives for k in o.kpis]
    assert [f.chart for f in again.funnels] == [f.chart for f in first.funnels]


def test_the_pack_draws_its_charts_as_the_site_does_even_while_a_build_collects(drawings_kept_in: Path) -> None:
    """A pack made within a build that collects the drawings its pages lack (build --pack) still gets every
    chart, drawn the site's way: each mark's tooltip as a French title, scaling with the page; what the build
    had collected is left as it was."""
    from generator.pack.content import svg
    from generator.site import chart_svg, charts

    state = _example_state()
    fmt = Formatter("fr", "EUR")
    chart_svg.collect_missing(True)
    try:
        chart_svg.draw_chart(charts.funnel_chart(next(iter(state.funnels.values())), fmt).spec, chart_svg.WIDE, fmt)
        drawn = svg(charts.kpi_chart(state.kpis["leads-qualifies"], fmt), fmt)
    finally:
        collected = chart_svg.collect_missing(False)
    assert len(collected) == 1  # the page's funnel, still to be drawn by the build
    assert drawn.startswith("<svg") and "<title>Série : Mesures" in drawn
    root = drawn[:drawn.index(">")]
    assert 'aria-hidden="true"' in root and " width=" not in root and " data-width=" in root

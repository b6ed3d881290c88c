"""Printing a page of the example site from Chromium (print.css, A4): the first KPI starts on the first page
instead of leaving it mostly blank, and each chart is followed by its data table, open on paper."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pypdf
import pytest

from generator.build import build
from tests.browser.conftest import SUB_PATH, NewContext
from tests.browser.helpers import SiteServer

pytestmark = pytest.mark.browser

OBJECTIVE = "objectives/croissance-clients.html"
FIRST_KPI = "Nouveaux clients signés depuis janvier"


def _printed_pages(site_server: SiteServer, new_context: NewContext, page: str) -> list[str]:
    """The text of each A4 page of `page` printed to PDF by Chromium."""
    context, _ = new_context()
    tab = context.new_page()
    tab.goto(site_server.base_url + page)
    pdf = tab.pdf(format="A4")
    tab.close()
    return [sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_printed_objective_starts_its_first_kpi_on_the_first_page(site_server: SiteServer,
                                                                   new_context: NewContext) -> None:
    """A printed objective page does not leave its first page two-thirds empty: the first KPI's title and its
    figures follow the objective's facts on page 1, its block running onto page 2."""
    pages = _printed_pages(site_server, new_context, OBJECTIVE)
    first = " ".join(pages[0].split())
    assert FIRST_KPI in first and "Point de départ" in first, first[-400:]


def test_printed_charts_are_followed_by_their_data_tables(site_server: SiteServer, new_context: NewContext) -> None:
    """On paper, where no one can open "Données du graphique", each chart's table is printed: its header
    and rows (the measurements of January for the objective's three KPIs) are on the printed pages."""
    text = " ".join(" ".join(_printed_pages(site_server, new_context, OBJECTIVE)).split())
    assert "Données du graphique" not in text  # the table's toggle is not printed
    assert text.count("Série Date Valeur") >= 3
    # (the text's spaces, no-break ones included, made plain by split)
    for row in ("Mesures janvier 2026 0 client", "Mesures janvier 2026 1 rendez-vous",
                "Mesures janvier 2026 38 500 €"):
        assert row in text, row


# A plan whose printed pages break at many places: an objective with KPIs whose two-line captions and data tables
# of different lengths fall at different heights of a page, and a funnel whose cost table spans two pages.
PRINT_SETTINGS = "title: Printed plan\nlanguage: en\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n"
KPI = """\
  - id: k{n}
    title: Number {n} of the measurements this objective follows across every region of the United Kingdom
    unit: widgets{n}
    baseline: 0
    target: 100
    cadence: weekly
"""
FUNNEL_STAGE = "  - id: s{n}\n    title: Stage number {n} of a long funnel\n    cost: 100\n{rate}"


@pytest.fixture(scope="module")
def printed_plan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The plan above built and served under /strategy-site/."""
    plan = tmp_path_factory.mktemp("printed") / "plan"
    (plan / "objectives").mkdir(parents=True)
    (plan / "funnels").mkdir()
    (plan / "data").mkdir()
    (plan / "strategy.yaml").write_text(PRINT_SETTINGS + "currency: GBP\nlocale: en-GB\n", encoding="utf-8")
    kpis = "".join(KPI.format(n=n) for n in range(1, 7))
    (plan / "objectives" / "measured.md").write_text(
        f"---\ntitle: A measured objective\ndue: 2026-12-31\nkpis:\n{kpis}---\nWhy it matters.\n", encoding="utf-8")
    for n in range(1, 7):
        rows = "".join(f"2026-{1 + week // 4:02d}-{1 + 7 * (week % 4):02d},{week * 2}\n" for week in range(4 * n))
        (plan / "data" / f"k{n}.csv").write_text("date,value\n" + rows, encoding="utf-8")
    stages = "".join(FUNNEL_STAGE.format(n=n, rate='    rate: "99%"\n' if n > 1 else "") for n in range(1, 41))
    (plan / "funnels" / "long.yaml").write_text(f"title: Long funnel\ngoal: 100\nstages:\n{stages}",
                                                encoding="utf-8")
    www = plan.parent / "www"
    result = build(plan, www / SUB_PATH, dt.date(2026, 11, 20))
    assert result.ok, [str(d) for d in result.checked.diagnostics.sorted()]
    server = SiteServer(www, SUB_PATH)
    yield server
    server.close()


def test_printed_chart_captions_stay_with_their_charts(printed_plan: SiteServer, new_context: NewContext) -> None:
    """Printed, each chart's two-line caption ("Number 3 of the measurements … (widgets3)") is on the page of
    its drawing (whose target label says "Target: 100 widgets3"), never its first line alone at the foot of
    the page before."""
    pages = [" ".join(text.split()) for text in _printed_pages(printed_plan, new_context, "objectives/measured.html")]
    for n in range(1, 7):
        caption_end = f"Kingdom (widgets{n})"
        caption = [i for i, text in enumerate(pages) if caption_end in text]
        drawing = [i for i, text in enumerate(pages) if f"Target: 100 widgets{n}" in text]
        assert len(caption) == 1 and caption == drawing, (n, caption, drawing)
        before = pages[caption[0]].split(caption_end)[0]
        assert f"Number {n} of the measurements" in before[-150:], (n, before[-150:])


def test_a_printed_tables_total_is_printed_once_at_its_end(printed_plan: SiteServer,
                                                          new_context: NewContext) -> None:
    """A funnel's cost table spanning two printed pages has its "Total" row once, after its last stage, not
    at the foot of the first page too, where it would read as a subtotal."""
    pages = _printed_pages(printed_plan, new_context, "funnels/long.html")
    text = " ".join(" ".join(pages).split())
    costs = text.split("Total cost", 1)[1]
    assert costs.count("Total £") == 1, costs
    assert costs.index("Stage number 40 of a long funnel") < costs.index("Total £")
    assert sum("Stage number" in page for page in pages) >= 2  # the table does span two pages

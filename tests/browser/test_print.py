"""Printing a page of the example site from Chromium (print.css, A4): the first KPI starts on the first page
instead of leaving it mostly blank, and each chart is followed by its data table, open on paper."""

from __future__ import annotations

import io

import pypdf
import pytest

from tests.browser.conftest import NewContext
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
    for row in ("Mesures janvier 2026 0 clients", "Mesures janvier 2026 1 rendez-vous",
                "Mesures janvier 2026 38 500 €"):
        assert row in text, row

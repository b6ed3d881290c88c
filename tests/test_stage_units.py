"""A funnel stage's title used as the unit of a count agrees with it: a stage titled "Monthly donor" reads
"goal 3,000 monthly donors" and "1 monthly donor", « Client signé » « 8 clients signés »."""

from __future__ import annotations

import pytest

from generator.plan.i18n import Formatter
from generator.plan.singular import plural_title


@pytest.mark.parametrize(("language", "title", "plural"), [
    ("en", "monthly donor", "monthly donors"),
    ("en", "first gift", "first gifts"),
    ("en", "enquiry", "enquiries"),
    ("en", "website visits", "website visits"),  # plural already
    ("en", "signed client after 90 days", "signed clients after 90 days"),  # the complement as written
    ("en", "customers retained", "customers retained"),  # its noun plural already
    ("en", "CRM", "CRM"),
    ("en", "people", "people"),
    ("fr", "client signé", "clients signés"),
    ("fr", "nouveau client", "nouveaux clients"),
    ("fr", "commande", "commandes"),
    ("fr", "rendez-vous", "rendez-vous"),
    ("fr", "demande de devis", "demandes de devis"),
])
def test_a_stage_title_is_made_plural_after_a_count_of_more_than_one(language: str, title: str,
                                                                      plural: str) -> None:
    """Only the title's head agrees with the count; its complement and a plural title stay as written."""
    assert plural_title(title, language) == plural


def test_the_funnel_goal_reads_in_the_plural_in_both_languages() -> None:
    """Plan A's goal "3,000 monthly donor" now reads "3,000 monthly donors"; one stays singular, and in French
    « 8 clients signés », « 1 client signé »."""
    en, fr = Formatter("en", "GBP"), Formatter("fr", "EUR")
    assert en.unit(3000, "Monthly donor") == "monthly donors"
    assert en.unit(1, "Monthly donors") == "monthly donor"
    assert en.unit(3032.4, "Monthly donor") == "monthly donors"
    assert fr.unit(8, "Client signé") == "clients signés"
    assert fr.unit(1, "Client signé") == "client signé"

"""A Markdown body's image written as if the page sat at the site's root (`assets/logo.svg` in pages/audit.md)
showed a broken image on the site and nothing said so: `strategy check` now warns at the address, with the
address to write, in the plan's language."""

from __future__ import annotations

from collections.abc import Callable

from generator.pipeline import Checked
from tests.conftest import MINIMAL_SETTINGS, codes, only

CheckPlan = Callable[..., Checked]
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'


def page(body: str) -> str:
    return "---\ntitle: Audit\n---\n\n# Audit\n\n" + body


def test_an_image_written_from_the_site_root_is_one_warning_naming_the_address_to_write(
        check_plan: CheckPlan) -> None:
    """`![Logo](assets/logo.svg)` in pages/audit.md: one `broken-link` warning at its line and column, in French,
    saying to write `../assets/logo.svg`."""
    checked = check_plan({"pages/audit.md": page("Voici le logo : ![Logo](assets/logo.svg)\n"),
                          "assets/logo.svg": LOGO})
    found = only(checked, "broken-link")
    assert found.severity == "warning"
    assert found.file.endswith("pages/audit.md") and (found.line, found.column) == (7, 25)
    assert "`assets/logo.svg` ne désigne aucun fichier du plan" in found.text("fr")
    assert "écrivez `../assets/logo.svg`" in (found.hint_text("fr") or "")


def test_the_right_address_and_links_to_pages_or_sites_are_not_warned(check_plan: CheckPlan) -> None:
    """`../assets/logo.svg`, a link to another page of the site, an anchor, a web address and an address inside a
    code block give no warning."""
    body = ("![Logo](../assets/logo.svg) [objectifs](../objectives/index.html) [haut](#audit)\n"
            "[site](https://example.org/assets/x.png) `![x](assets/y.png)`\n\n```\n![x](assets/z.png)\n```\n")
    checked = check_plan({"pages/audit.md": page(body), "assets/logo.svg": LOGO})
    assert codes(checked) == [], checked.diagnostics.sorted()


def test_an_english_plan_is_told_in_english_even_without_a_file_of_that_name(check_plan: CheckPlan) -> None:
    """An image that names no file at all: the warning says how addresses are written, in English."""
    settings = MINIMAL_SETTINGS.replace("language: fr", "language: en")
    checked = check_plan({"strategy.yaml": settings, "pages/audit.md": page("![Chart](img/chart.png)\n")})
    found = only(checked, "broken-link")
    assert "`img/chart.png` names no file of the plan" in found.text("en")
    assert "`../assets/NAME`" in (found.hint_text("en") or "")

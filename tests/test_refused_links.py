"""A link in a body whose address the site refuses (`javascript:`, `data:`): the reader sees its text alone, with no
dead `<a>`, no title taken from the address and no stray `)`; links the site keeps are untouched."""

from __future__ import annotations

from generator.site.markdown_render import render_markdown


def test_a_javascript_link_shows_its_text_and_nothing_else() -> None:
    """`[clic javascript](javascript:alert('js-link'))` was shown as a dead link titled "js-link" followed by ")"."""
    html = str(render_markdown("Voir [clic javascript](javascript:alert('js-link')) ici."))
    assert html == "<p>Voir clic javascript ici.</p>"


def test_refused_links_of_every_form_keep_their_text_and_its_emphasis() -> None:
    """Inline links with a title, `<…>` addresses, other schemes and reference links all read as their text."""
    body = ('[**gras** ici](javascript:void(0) "t"), [d](data:text/html,x), [v](<vbscript:x>), [ref][r].\n\n'
            "[r]: javascript:alert(1)\n")
    assert str(render_markdown(body)) == "<p><strong>gras</strong> ici, d, v, ref.</p>"


def test_links_the_site_keeps_are_unchanged() -> None:
    """https, mailto and links to another page of the plan keep their `<a href>`."""
    html = str(render_markdown("[site](https://exemple.fr) [écrire](mailto:a@b.fr) [audit](../pages/audit.md)"))
    assert html == ('<p><a href="https://exemple.fr" rel="noopener noreferrer">site</a> '
                    '<a href="mailto:a@b.fr" rel="noopener noreferrer">écrire</a> '
                    '<a href="../pages/audit.html" rel="noopener noreferrer">audit</a></p>')

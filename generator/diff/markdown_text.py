"""Text from the plan made inert in Markdown: a pull-request comment quotes titles the pull request wrote, so
none of them may become a link, an image, a mention, emphasis, HTML or a table's pipe."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def markdown_text(text: str) -> str:
    """Plan text made inert in Markdown (and inside a table cell): no link, image, emphasis, HTML
    tag, mention or pipe survives; line breaks become <br>."""
    text = _MD_SPECIAL.sub(r"\\\1", str(text))
    text = html.escape(text, quote=False)
    text = text.replace("@", "&#64;").replace(":", "&#58;")  # no mention, no autolinked URL
    return "<br>".join(part.strip() for part in text.splitlines()) if "\n" in text else text

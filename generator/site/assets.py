"""Files of `assets/` that a browser would run: refused, since they are published under the site's address.

Markdown is sanitised and pages carry a Content-Security-Policy, but `assets/` is copied as it is: an
`assets/report.html` or an SVG with a `<script>` would run its script, with the site's origin, as soon as
a reader opens it (a link in a body is enough). Pages and scripts have no place among a plan's assets;
SVG images do, so an SVG is refused only when it holds something that can run. The SVG test is
deliberately coarse (character references are decoded first, so `&#106;avascript:` is caught): a
false alarm costs an export without scripts, a miss would cost the readers.
"""

from __future__ import annotations

import html
import re

from ..plan.diagnostics import Diagnostics, Location
from ..plan.messages import msg
from ..plan.model import Plan
from ..read.source import FileTooLarge, Source
from .asset_guard import SNIFF_BYTES, asset_refusal, svg_refusal

# opened directly, a browser renders these as documents or runs them as scripts
ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".xml", ".xsl", ".xslt",
                   ".svgz", ".js", ".mjs", ".swf")
_SVG_ACTIVE = re.compile(
    r"<script|<foreignobject|<iframe|<embed|<object|<!entity|<handler|\son[a-z]+\s*=", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"javascript:|vbscript:|data:text/html|data:image/svg", re.IGNORECASE)


def svg_problem(text: str) -> str | None:
    """What in an SVG could run (`<script`, an `on…=` handler, a `javascript:` URL...), or None."""
    decoded = html.unescape(text)
    match = _SVG_ACTIVE.search(decoded) or _SCRIPT_URL.search(re.sub(r"[\x00-\x20]", "", decoded))
    return match.group(0).strip() if match else None


def check_assets(plan: Plan, source: Source, diagnostics: Diagnostics) -> None:
    """An error for each asset a reader's browser would run, or that is not what its name says (see
    asset_guard: an allow-list of types, each judged by its first bytes too)."""
    for rel in plan.assets:
        where = Location(source.display(rel))
        lower = rel.lower()
        if lower.endswith(ACTIVE_SUFFIXES):
            diagnostics.error("unsafe-asset", where, msg("asset.active"), msg("asset.active.hint"))
            continue
        try:
            data = source.read_bytes(rel)
        except (OSError, FileTooLarge):
            continue  # the build reports a file it cannot copy
        refused = asset_refusal(rel, data[:SNIFF_BYTES])
        if refused:
            diagnostics.error("unsafe-asset", where, *refused)
        elif lower.endswith(".svg"):
            coarse = svg_problem(data.decode("utf-8", errors="replace"))
            found, line, column = (coarse, 1, 1) if coarse else (svg_refusal(data) or (None, 1, 1))
            if found:
                diagnostics.error("unsafe-asset", Location(where.file, line, column),
                                  msg("asset.svg", found=found[:60]), msg("asset.svg.hint"))

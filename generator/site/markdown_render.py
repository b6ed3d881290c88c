"""Markdown bodies to safe HTML: the `markdown` package (tables, footnotes, heading anchors), then nh3.

A plan arrives through pull requests, so its Markdown is untrusted: whatever it contains, no script,
event handler, `javascript:` URL, iframe, form or style survives. nh3 (Rust's ammonia) is an allow-list
sanitiser maintained for exactly this; our own regexes would not be.

Links are relative to the source file, and the site mirrors the plan folder (`objectives/x.md` →
`objectives/x.html`, `assets/` copied as is), so `../assets/logo.svg` works unchanged; links to another
entity's `.md` file are pointed at its page.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import nh3
from markupsafe import Markup

from ..plan.message_tables import guillemets_unbroken

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption",
    "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q",
    "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"}, "sup": {"id"}, "div": {"class"}, "ol": {"start"},
    "th": {"align", "colspan", "rowspan"}, "td": {"align", "colspan", "rowspan"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_ENTITY_LINK = re.compile(r"^(?P<path>(?:\.\./)?(?:objectives|funnels|personas|experiences|solutions|pages)/"
                          r"[a-z0-9][a-z0-9-]*|(?:\.\./)?[a-z0-9][a-z0-9-]*)\.(?:md|yaml)(?P<rest>#.*)?$")

_local = threading.local()


def refused_scheme(address: str) -> str | None:
    """The scheme of an address the site will not link to (`javascript`, `data`, `file`), or None."""
    m = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*):", address)
    return m.group(1) if m and m.group(1).lower() not in URL_SCHEMES else None


def _converter() -> Any:
    """One Markdown instance per thread (they are stateful; `reset()` between documents)."""
    md = getattr(_local, "md", None)
    if md is None:
        import markdown
        from markdown.extensions import attr_list, def_list, fenced_code, footnotes, sane_lists, tables, toc

        from . import refused_links

        # extensions as objects, not names: a name makes Markdown scan every installed package's
        # entry points first (0.1 s, a sixth of the example plan's build)
        md = markdown.Markdown(
            extensions=[tables.TableExtension(), footnotes.FootnoteExtension(BACKLINK_TITLE="%d"),
                        toc.TocExtension(permalink=False), fenced_code.FencedCodeExtension(),
                        sane_lists.SaneListExtension(), attr_list.AttrListExtension(), def_list.DefListExtension()],
            output_format="html",
        )
        refused_links.extend(md, refused_scheme)
        _local.md = md
    return md


# every id a body gives (heading anchors, footnotes, `{#id}`) starts with this, and none of the page's own
# ids does: a heading "KPIs" or `{#spec-kpi-leads}` can never take the place of the page's `kpis` section or
# a chart's spec in `getElementById` (DOM clobbering); links to a fragment get the same prefix
CONTENT_ID_PREFIX = "md-"


def _fragment(fragment: str) -> str:
    """`#x` of a link into a body, pointing at its prefixed id."""
    return "#" + CONTENT_ID_PREFIX + fragment[1:] if len(fragment) > 1 else fragment


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    """Point links at `.md` sources to the built `.html` pages; prefix the body's ids (and the links to
    them); drop class names we did not write."""
    if attribute == "id":
        return CONTENT_ID_PREFIX + value
    if element == "a" and attribute == "href":
        if value.startswith("#"):
            return _fragment(value)
        match = _ENTITY_LINK.match(value)
        if match:
            return match.group("path") + ".html" + _fragment(match.group("rest") or "")
    if element == "div" and attribute == "class":
        return value if value == "footnote" else None
    return value


def sanitise(html: str) -> str:
    """Keep only the allowed tags, attributes and URL schemes; outside links open safely."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _shift_headings(html: str) -> str:
    """The page's title is its only <h1>: the body's highest heading becomes an <h2>, the others follow,
    whether the author started at `#` or at `###` (no skipped level for screen readers)."""
    levels = [int(m.group(2)) for m in _HEADING.finditer(html)]
    if not levels:
        return html
    shift = 2 - min(levels)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}", html)


def render_markdown(text: str | None, language: str = "en") -> Markup:
    """Safe HTML for a Markdown body (empty for None), with French spacing in a French plan."""
    if not text or not text.strip():
        return Markup("")
    md = _converter()
    md.reset()
    html = sanitise(_shift_headings(md.convert(text)))
    return Markup(french_spacing(html) if language == "fr" else html)


# French typography, which an author typing plain spaces cannot see: a phone must not start a line with « : »
# or « » », nor cut « 1 250 prospects » into « 1 » and « 250 prospects »
_TAG = re.compile(r"(<[^>]*>)")
_VERBATIM = re.compile(r"<(/?)(code|pre)\b", re.IGNORECASE)
_BEFORE_MARK = re.compile(r" ([:;!?%€])(?=\s|$)")  # « » as the messages hold them: guillemets_unbroken
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d])")


def french_spacing(html: str) -> str:
    """`html` with no-break spaces where French typography wants them, in its text only (not in tags, code or
    preformatted blocks): inside « », before : ; ! ?, and between the digit groups of a number ("1 250")."""
    parts = _TAG.split(html)
    verbatim = 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            match = _VERBATIM.match(part)
            if match:
                verbatim = max(0, verbatim + (-1 if match.group(1) else 1))
            continue
        if verbatim or not part:
            continue
        part = guillemets_unbroken(_BEFORE_MARK.sub("\u00a0\\1", part))
        parts[i] = _GROUPED.sub(lambda m: m.group().replace(" ", "\u202f"), part)
    return "".join(parts)

"""Links to an address the site refuses (`javascript:`, `data:`): their text alone, with nothing left behind.

nh3 drops such an address but keeps the `<a>`, and Markdown reads `[text](javascript:alert('x'))` as the
address `javascript:alert(`, the title `x` and a stray `)`: the reader saw a garbled, dead link.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any

from markdown import Markdown
from markdown.inlinepatterns import LINK_RE, LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor

Refused = Callable[[str], str | None]  # the scheme of an address the site refuses, or None
_ADDRESS_START = re.compile(r"\(\s*<?\s*([A-Za-z][A-Za-z0-9+.-]*):")


def extend(md: Markdown, refused: Refused) -> None:
    """Read and drop the links to an address `refused` names, in `md`."""
    md.inlinePatterns.register(_RefusedAddressLink(LINK_RE, md, refused), "link", 160)  # Markdown's own, replaced
    md.treeprocessors.register(_RefusedLinksAsText(md, refused), "refused-links", 5)  # after "inline" (20)


class _RefusedAddressLink(LinkInlineProcessor):
    """`[text](javascript:alert('x'))`: Markdown would end the address at the first `(` and read `'x'` as a
    title, leaving `)` behind; the address is taken whole, up to its matching `)`, so that the link, which
    `_RefusedLinksAsText` then unwraps, leaves nothing behind but its text."""

    def __init__(self, pattern: str, md: Markdown, refused: Refused) -> None:
        super().__init__(pattern, md)
        self.refused = refused

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, int | None, int | None]:
        text, index, handled = self.getText(data, m.end(0))
        start = _ADDRESS_START.match(data, index) if handled else None
        if start is None or self.refused(start.group(1) + ":") is None:
            return super().handleMatch(m, data)
        depth = 0
        for end in range(index, len(data)):
            depth += {"(": 1, ")": -1}.get(data[end], 0)
            if depth == 0:
                el = etree.Element("a")
                el.text = text
                el.set("href", start.group(1) + ":")  # the scheme is all `_RefusedLinksAsText` reads
                return el, m.start(0), end + 1
        return super().handleMatch(m, data)  # no matching `)`: Markdown's own reading


class _RefusedLinksAsText(Treeprocessor):
    """A link whose address the site refuses (nh3 would keep an `<a>` without `href`) becomes its text."""

    def __init__(self, md: Markdown, refused: Refused) -> None:
        super().__init__(md)
        self.refused = refused

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for link in [child for child in parent if child.tag == "a" and self.refused(child.get("href", ""))]:
                _unwrap(parent, link)


def _unwrap(parent: etree.Element, child: etree.Element) -> None:
    """Put `child`'s text and children in its place in `parent`, followed by its tail."""
    at = list(parent).index(child)
    inner = list(child)
    before = parent[at - 1] if at else None
    lead = (child.text or "") + ("" if inner else child.tail or "")
    if before is None:
        parent.text = (parent.text or "") + lead
    else:
        before.tail = (before.tail or "") + lead
    parent.remove(child)
    for offset, element in enumerate(inner):
        parent.insert(at + offset, element)
    if inner:
        inner[-1].tail = (inner[-1].tail or "") + (child.tail or "")

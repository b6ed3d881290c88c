"""Images and asset links in Markdown bodies that would be broken on the site.

A body's links are relative to its page, which sits where its Markdown file sits (`pages/audit.md` becomes
`pages/audit.html`), so an image under `assets/` is `../assets/logo.svg` from any body. Written as
`assets/logo.svg`, the page shows a broken image and nothing said so. Checked: every image with a relative
address, and every link whose address goes through an `assets/` folder; each must name a file of the plan.
Links to pages are not checked (a site page has no file of the same name in the plan).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from ..plan.diagnostics import Diagnostics, Location
from ..plan.kinds import KINDS
from ..plan.messages import msg
from ..plan.model import Plan
from ..read.source import FileTooLarge, Source

# `[text](address "title")` and `![alt](address)`; the address may be written `<…>`
_LINK = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([^)\s>]+)")
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_CODE = re.compile(r"`[^`\n]*`")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _addresses(body: str) -> Iterator[tuple[bool, str]]:
    """(is an image, address) of each inline link outside code."""
    text = _CODE.sub("", _FENCE.sub("", body))
    for m in _LINK.finditer(text):
        yield m.group(1) == "!", m.group(2)


def relative_target(folder: str, address: str) -> str | None:
    """The plan file a relative address names from a body in `folder`; None for an absolute or external one."""
    if _SCHEME.match(address) or address.startswith(("/", "#", "?")):
        return None
    path = address.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return None
    return posixpath.normpath(posixpath.join(folder, path))


def _position(source: Source, rel: str, address: str) -> tuple[int, int]:
    """Line and column of `address` in the file (it is searched for only when it is reported)."""
    try:
        text = source.read_bytes(rel).decode("utf-8", errors="replace")
    except (OSError, FileTooLarge):
        return 1, 1
    at = text.find(f"]({address}")
    at = text.find(address) if at < 0 else at + 2
    if at < 0:
        return 1, 1
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def check_body_links(plan: Plan, source: Source, diagnostics: Diagnostics) -> None:
    """A warning for each image or asset link of a Markdown body that names no file of the plan, with the
    address to write when a plan file of that name exists (`../assets/logo.svg`)."""
    files = set(source.files())
    by_name: dict[str, list[str]] = {}
    for rel in plan.assets:
        by_name.setdefault(posixpath.basename(rel), []).append(rel)
    for kind in KINDS:
        for entity_id, entity in getattr(plan, kind.folder).items():
            body = getattr(entity, "body", "")
            if "](" not in body:
                continue
            rel = f"{kind.folder}/{entity_id}.md"
            for image, address in _addresses(body):
                target = relative_target(kind.folder, address)
                if target is None or target in files:
                    continue
                if not image and "assets" not in target.split("/") and "assets" not in address.split("/"):
                    continue
                line, column = _position(source, rel, address)
                near = by_name.get(posixpath.basename(target), [])
                hint = (msg("body-link.hint.near", address=posixpath.relpath(near[0], kind.folder))
                        if near else msg("body-link.hint"))
                diagnostics.warning("broken-link", Location(source.display(rel), line, column),
                                    msg("body-link", address=address), hint)

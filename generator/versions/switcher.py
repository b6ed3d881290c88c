"""`versions.js`: what the version switcher and the old-version banner show, written at the site's root by each
`build --all-versions` and read by every page at run time (themes/default/static/switcher.js).

A tagged version's pages name only themselves (their tag, their own evaluation day): the list of versions,
today's date and which pages each version has live in this one script, so adding a tag rewrites no file
under `v/` (issue 17, item 3). A plain script setting a global, not JSON read with `fetch`, because a site
opened from disk (file://) may load a script but not fetch a file; the page's CSP allows it as a 'self' script.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

VERSIONS_SCRIPT = "versions.js"  # at the site's root, named as is: archived pages refer to it by this name
GLOBAL = "strategyVersions"  # the global the script sets, read by switcher.js


@dataclass
class SwitcherEntry:
    """One version as the switcher lists it."""

    tag: str  # "" for the current version (the working tree, at the root)
    date: str  # its date, worded by the current plan's formatter
    root: str  # its folder from the site's root: "" or "v/TAG/"
    pages: list[str]  # its HTML pages, by their path from its folder


def versions_script(entries: list[SwitcherEntry]) -> bytes:
    """The script, newest version first (the current one on top). Page paths are listed once for all versions,
    each version naming its pages by their number in that list: 20 versions of 300 pages stay small."""
    paths = sorted({path for entry in entries for path in entry.pages})
    number = {path: i for i, path in enumerate(paths)}
    data = {"pages": paths,
            "versions": [{"tag": e.tag, "date": e.date, "root": e.root, "pages": sorted(number[p] for p in e.pages)}
                         for e in entries]}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # JSON is a JavaScript expression but for two line separators a string may hold raw
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.{GLOBAL} = {text};\n".encode()

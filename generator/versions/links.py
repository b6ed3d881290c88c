"""Where the versions of a site built with `--all-versions` are, and how their pages link to each other: each
tagged version in its folder `v/TAG/`, the history page and the changes pages at the site's root."""

from __future__ import annotations

import re

VERSIONS_DIR = "v"
FROM_VERSION_TO_ROOT = "../../"  # from OUTPUT/v/TAG/ back to OUTPUT/
HISTORY_PATH = "history.html"
# a tag becomes a folder name and part of a file name (changes/OLD..NEW.html): keep it plain
SAFE_TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
MAX_TAG_LENGTH = 200  # a folder name has at most 255 bytes


def version_root(tag: str | None) -> str:
    """A version's folder from the site root ('' for the current version, at the root)."""
    return "" if tag is None else f"{VERSIONS_DIR}/{tag}/"


CURRENT = "current"  # the working tree in the name of its changes page: changes/NEWEST_TAG..current.html


def changes_path(old: str, new: str) -> str:
    """As diff/format.py's full_diff_url names it (tags are SAFE_TAG, so nothing needs quoting; two long ones
    give a shortened name, see changes_page_name)."""
    from ..diff.format import changes_page_name

    return f"changes/{changes_page_name(old, new)}"


def entity_href(kind: str, ident: str, base: str) -> str | None:
    """The page of a changed entity in a version (`base` is that version's folder from the site root)."""
    from ..plan.kinds import BY_NAME

    if kind == "plan":
        return f"{base}index.html"
    if kind in BY_NAME:
        return f"{base}{BY_NAME[kind].folder}/{ident}.html"
    return None

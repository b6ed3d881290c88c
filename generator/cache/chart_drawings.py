"""Charts drawn as SVG (site/chart_svg.py), kept on disk between builds under the user cache folder.

An entry is named by the digest chart_svg.py computes of everything the drawing depends on (the spec at its
width, the locales, the vl-convert version), so it is never stale: a chart is drawn once until it changes.
Entries are stored compressed (an SVG of 20 KB takes 3 KB). As for the chart shapes, the cache only ever
saves time: a missing, damaged or unreadable entry is drawn again, a folder that cannot be written is left
alone without a word.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from ..site.user_cache import default_cache_dir, prune_oldest, write_atomically

MAX_ENTRIES = 20_000  # beyond this, the least recently written go (≈ 3 KB each)

_pruned = False


def keep_drawings() -> None:
    """Have site/chart_svg.py read its drawings here and keep the new ones (the builds call this)."""
    import sys

    from ..site import chart_svg

    chart_svg.keep_drawings_in(sys.modules[__name__])  # this module has the store's load() and store()


def cache_dir() -> Path:
    """`<user cache>/strategy-site/drawings`."""
    return default_cache_dir() / "drawings"


def _path(key: str, folder: Path | None) -> Path:
    return (folder or cache_dir()) / f"{key}.svg.z"


def load(key: str, folder: Path | None = None) -> str | None:
    """The drawing kept under `key`, or None when it is absent or cannot be read back."""
    try:
        return zlib.decompress(_path(key, folder).read_bytes()).decode("utf-8")
    except (OSError, ValueError, zlib.error):  # ValueError covers bad UTF-8
        return None


def store(key: str, svg: str, folder: Path | None = None) -> None:
    """Keep a drawing for later builds; any failure (read-only home, full disk) is ignored."""
    global _pruned
    path = _path(key, folder)
    write_atomically(path, zlib.compress(svg.encode("utf-8"), 6))
    if not _pruned:
        _pruned = True
        prune_oldest(path.parent, ".svg.z", MAX_ENTRIES)

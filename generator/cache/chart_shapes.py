"""Chart specs made by Altair, kept on disk between builds under the user cache folder.

`site/charts/` asks Altair for each distinct chart *shape* (everything but the data rows, which are inlined
afterwards); a shape's spec is stored here as JSON, named by a content hash of the shape's arguments and
of the code that turns them into a spec: this package's version, Altair's version, and the bytes of every
module of site/charts/, of time_axis.py and of palette.py (the theme). A code or Altair upgrade therefore never
serves a stale spec, and a build whose shapes are all cached does not import Altair at all.

The cache only ever saves time: a missing, corrupt or unreadable entry is rebuilt, and a folder that
cannot be written is left alone, without a word.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..site.user_cache import default_cache_dir, prune_oldest, write_atomically

FORMAT = "1"  # bumped when the layout of an entry changes
MAX_ENTRIES = 4000  # beyond this, the least recently written entries go (a shape is a few KB)

_code_key: str | None = None
_pruned = False


def keep_drawn_shapes() -> None:
    """Have the chart builders read their shapes here and keep what Altair draws, and the SVG drawings of the
    charts in their own store (the builds call this)."""
    import sys

    from ..site import charts
    from .chart_drawings import keep_drawings

    charts.keep_shapes_in(sys.modules[__name__])  # this module has the store's load() and store()
    keep_drawings()


def cache_dir() -> Path:
    """`<user cache>/strategy-site/charts` (see user_cache.py)."""
    return default_cache_dir() / "charts"


def code_key() -> str:
    """What, besides its arguments, decides a shape's spec: the versions of this package and of Altair,
    and the source of the chart modules, their palette and their words (plan/messages_*_charts.py)."""
    global _code_key
    if _code_key is None:
        from importlib.metadata import PackageNotFoundError, version

        from .. import __version__
        from ..plan import message_tables
        from ..site import charts, palette, time_axis

        try:
            altair_version = version("altair")
        except PackageNotFoundError:
            altair_version = "unknown"
        digest = hashlib.blake2b(digest_size=16)
        chart_code = sorted(Path(str(charts.__file__)).parent.glob("*.py"))  # every chart's module
        chart_code += sorted(Path(str(message_tables.__file__)).parent.glob("messages_*_charts.py"))
        if not chart_code:  # no source to hash (a frozen install): a key unique to this process
            digest.update(os.urandom(16))
        for source in (*chart_code, Path(str(time_axis.__file__)), Path(str(palette.__file__))):
            try:
                digest.update(source.read_bytes())
            except OSError:  # no source to hash (a frozen install): a key unique to this process
                digest.update(os.urandom(16))
        _code_key = f"{FORMAT}|{__version__}|altair-{altair_version}|{digest.hexdigest()}"
    return _code_key


def entry_path(key: str, folder: Path | None = None) -> Path:
    """The file of the shape whose in-process key is `key` (its name hashes the key and `code_key()`)."""
    name = hashlib.blake2b(f"{code_key()}\n{key}".encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
    return (folder or cache_dir()) / f"{name}.json"


def load(key: str, folder: Path | None = None) -> dict[str, Any] | None:
    """The cached spec of a shape, or None when it is absent or cannot be read back as a JSON object."""
    try:
        spec = json.loads(entry_path(key, folder).read_bytes())
    except (OSError, ValueError, RecursionError):  # ValueError covers bad JSON and bad UTF-8
        return None
    return spec if isinstance(spec, dict) else None


def store(key: str, spec: dict[str, Any], folder: Path | None = None) -> None:
    """Keep a shape's spec for later builds; any failure (read-only home, full disk) is ignored."""
    global _pruned
    path = entry_path(key, folder)
    try:
        data = json.dumps(spec, separators=(",", ":")).encode("ascii")
    except (TypeError, ValueError):  # not plain JSON: not worth keeping
        return
    write_atomically(path, data)
    if not _pruned:
        _pruned = True
        prune_oldest(path.parent, ".json", MAX_ENTRIES)

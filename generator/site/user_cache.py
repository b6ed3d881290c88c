"""The user cache folder, where the builds keep what they made for the next build (chart shapes and
drawings, compiled templates, parsed files, archived versions), and the one way they write into it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/strategy-site`, else `~/.cache/strategy-site`."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return Path(base if base else Path.home() / ".cache") / "strategy-site"


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename: a concurrent build never reads
    half an entry."""
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError:
        pass  # no cache this time; the caller has the bytes
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def prune_oldest(folder: Path, suffix: str, most: int) -> None:
    """Keep `folder` to `most` files ending with `suffix`: past that, the least recently written go, down to
    three quarters of it (so that pruning is rare). Any failure is ignored: a cache only costs time."""
    with contextlib.suppress(OSError):
        entries = [e for e in os.scandir(folder) if e.name.endswith(suffix)]
        if len(entries) <= most:
            return
        entries.sort(key=lambda e: e.stat().st_mtime)
        for entry in entries[: len(entries) - most * 3 // 4]:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)

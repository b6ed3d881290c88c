"""What the loader made of each file in `strategy serve`'s previous check, handed to the next check as it is.

The parse cache (cache/parsed_files.py) gives every check a fresh copy of what it made of an unchanged file, so
that no command can change a kept entry; unpickling the 1,250 files of a big plan took a sixth of a one-edit
rebuild. Between two checks of serve, the loader's values (entities, settings, measurements) are taken instead
from the previous check when their key (the file, its content, how it is read) and the file's shown name are
the same: nothing changes a loaded value (validation, computation and pages only read them), so the previous
check's object is what a fresh copy would be. Keeping the same objects also lets the computed states and their
digests be kept between rebuilds (plan/computed_memo.py, cache/render_memo.py).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ..read.file_memo import MISS, FileMemo


class LastCheckFiles:
    """A `FileMemo` over `cache`, whose hits for a key the previous check used are that check's very values."""

    def __init__(self, cache: FileMemo) -> None:
        self._cache = cache
        self._last: dict[Hashable, tuple[str, Any]] = {}  # key → (the file as shown, the value handed out)
        self._now: dict[Hashable, tuple[str, Any]] = {}

    def start(self) -> None:
        """A new check: the keys it does not use are let go at `finish`."""
        self._now = {}

    def finish(self) -> None:
        self._last, self._now = self._now, {}

    def get(self, key: Hashable, shown: str) -> Any:
        kept = self._last.get(key)
        if kept is not None and kept[0] == shown:
            value = kept[1]
        else:
            value = self._cache.get(key, shown)
            if value is MISS:
                return MISS
        self._now[key] = (shown, value)
        return value

    def put(self, key: Hashable, value: Any, shown: str) -> None:
        self._cache.put(key, value, shown)
        self._now[key] = (shown, value)

    def share(self, key: Hashable, value: Any, size: int) -> None:
        self._cache.share(key, value, size)  # handed out as it is by the cache already

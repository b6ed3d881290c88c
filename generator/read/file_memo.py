"""What the loader asks of a memo of parsed files (the pipeline hands it one: cache/parsed_files.CACHE), so
that the loader itself keeps nothing between checks and imports no cache.

A key holds the file's plan-relative path and its content's id (`blob_id`), never the file as shown to the
user: two revisions holding the same bytes share an entry, and each hit names the file as asked (`shown`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from typing import Any, Protocol


class _Miss:
    def __repr__(self) -> str:
        return "<miss>"


MISS: Any = _Miss()  # what `get` returns for a key it does not hold


def blob_id(data: bytes) -> str:
    """The id git gives a blob of these bytes (SHA-1 object format), for memo keys: a file read from a folder
    and the same file read from a revision then share one entry."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


class FileMemo(Protocol):
    """What the loader made of each file's bytes, by key; every hit a value no other check holds."""

    def get(self, key: Hashable, shown: str) -> Any:
        """A fresh copy of the value under `key`, naming `shown` for the file; MISS when absent."""
        ...

    def put(self, key: Hashable, value: Any, shown: str) -> None:
        """Keep a copy of `value`, in which the string object `shown` names the file."""
        ...

    def share(self, key: Hashable, value: Any, size: int) -> None:
        """Keep a deeply immutable `value` holding no shown file name, handed out as it is (`size`: its bytes)."""
        ...


class NoMemo:
    """Keeps nothing: every file is parsed (a check run without a memo)."""

    def get(self, key: Hashable, shown: str) -> Any:
        return MISS

    def put(self, key: Hashable, value: Any, shown: str) -> None:
        return None

    def share(self, key: Hashable, value: Any, size: int) -> None:
        return None

"""What the loader made of one file's bytes, kept between checks in the same process.

`strategy serve` checks the whole plan again on every save, and `build --all-versions` checks
revisions whose files are mostly byte-identical: parsing each unchanged file again was most of the
time of a check. The loader keys each file's outcome (the objects it built and the diagnostics it
reported) by the file's plan-relative path and its git blob id (computed for a file read from a folder),
so that a one-file edit parses only that file, and a working tree shares the entries of its revisions.

Safety:
- An entry is stored pickled and every hit is unpickled: each check gets fresh objects, so nothing
  downstream can change a cached entry (a plan's lists and dicts are mutable). Only a value the loader
  declares immutable (a KPI's measurements) is handed out as it is (`share`).
- The file as the user sees it (`content/objectives/a.md`, `v1.0:content/objectives/a.md`) is not part
  of the key, so that two revisions share an entry; each diagnostic and location must still name its own
  file. The loader gives every location of one file the same string object, so after unpickling they all
  hold one object again: when a hit is for another shown name, the entry is pickled once more with that
  object as a reference (`persistent_id`), which is then put back as the name asked for. Only that object
  is replaced: a text written in the plan that reads like the file name is left as it is.
- Bounded: the least recently used entries go first. Thread-safe.
"""

from __future__ import annotations

import contextlib
import io
import pickle
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from typing import Any

from ..read.file_memo import MISS, blob_id
from .store import PARSED_FILES, Partition, fingerprint, forget_older_layout

__all__ = ["CACHE", "MISS", "ParseCache", "blob_id", "kept_on_disk"]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024

_SHOWN = "shown"  # the persistent id that stands for the file as shown to the user


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, shown: str) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._shown = shown

    def persistent_id(self, obj: Any) -> str | None:
        return _SHOWN if obj is self._shown else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, shown: str) -> None:
        super().__init__(file)
        self._shown = shown

    def persistent_load(self, pid: Any) -> str:
        if pid != _SHOWN:  # pragma: no cover - only _Pickler writes these entries
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self._shown


# The three forms of an entry. PLAIN: `pickle.dumps((shown, value))`, the C pickler alone (storing is on the
# path of a first check, and a Python call per object made that 10 % slower); read back as it is for the same
# shown name. PORTABLE: the value pickled with the shown name as a reference, made from a PLAIN entry the first
# time another name asks for it. SHARED: an immutable value, stored as it is.
PLAIN, PORTABLE, SHARED = range(3)


class ParseCache:
    """A bounded map from a key to a value, each hit a fresh copy; see the module docstring."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[int, Any, int]] = OrderedDict()  # (form, data, size)
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.stores = 0  # entries stored (or replaced) since the cache was made

    def get(self, key: Hashable, shown: str) -> Any:
        """A fresh copy of the value stored under `key`, naming `shown` for the file; MISS when absent."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return MISS
            self._entries.move_to_end(key)
            self.hits += 1
        form, data, _ = entry
        if form == SHARED:
            return data
        if form == PORTABLE:
            return _Unpickler(io.BytesIO(data), shown).load()
        stored_as, value = pickle.loads(data)
        if stored_as == shown:
            return value
        buffer = io.BytesIO()
        _Pickler(buffer, stored_as).dump(value)  # `stored_as` is the very object every location holds
        portable = buffer.getvalue()
        self._store(key, PORTABLE, portable, len(portable))
        return _Unpickler(io.BytesIO(portable), shown).load()

    def put(self, key: Hashable, value: Any, shown: str) -> None:
        """Store a copy of `value`, in which the string object `shown` (wherever it appears) names the file."""
        try:
            data = pickle.dumps((shown, value), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # not worth caching: the next check builds it again
        self._store(key, PLAIN, data, len(data))

    def share(self, key: Hashable, value: Any, size: int) -> None:
        """Store a deeply immutable `value` that holds no shown file name: hits return this very object.
        `size` estimates the memory it holds."""
        self._store(key, SHARED, value, size)

    def _store(self, key: Hashable, form: int, data: Any, size: int) -> None:
        if size > self.max_bytes // 8:
            return
        with self._lock:
            self.stores += 1
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[2]
            self._entries[key] = (form, data, size)
            self._size += size
            while self._size > self.max_bytes:
                _, (_, _, dropped) = self._entries.popitem(last=False)
                self._size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes held (estimated for shared values)."""
        return self._size


    def entries(self) -> list[tuple[Hashable, int, Any, int]]:
        """(key, form, data, size) of each entry, least recently used first."""
        with self._lock:
            return [(key, *entry) for key, entry in self._entries.items()]

    def restore(self, entries: list[tuple[Hashable, int, Any, int]]) -> None:
        """Put back what `entries` listed (before anything this process stored, which stays the more recent)."""
        with self._lock:
            mine = list(self._entries.items())
            self._entries.clear()
            self._size = 0
        for key, form, data, size in entries:
            if form in (PLAIN, PORTABLE, SHARED) and isinstance(size, int):
                self._store(key, form, data, size)
        for key, (form, data, size) in mine:
            self._store(key, form, data, size)


# The cache every check in this process shares.
CACHE = ParseCache()


# --- kept on disk between commands ------------------------------------------------------------------
# `strategy check`, `build`, `diff` or `serve` in a new process parsed every file again (0.47 s of a
# 1,250-file plan): what the loader made of each file is kept in the store's `parsed` partition (store.py)
# between commands, in an entry named by the code's fingerprint, so that another version never reads it. Only
# ever a speed-up: an entry that is missing, damaged or from other code is a miss; one that cannot be written
# is left alone. It is a pickle, read only from the user's own cache folder (the GitHub action does not carry it).

_loaded_stores = 0  # how many entries had been stored when the entry was read or written (nothing new: no write)


def disk_entry() -> str:
    """The name of this code's entry in the `parsed` partition."""
    return f"{fingerprint('parsed files')}.pickle"


def load_from_disk(partition: Partition | None = None) -> None:
    """Fill CACHE with what an earlier command kept (nothing when there is no usable entry)."""
    global _loaded_stores
    data = (partition or PARSED_FILES).read(disk_entry())
    if data is None:
        return
    try:
        entries = pickle.loads(data)
    except Exception:  # from other code after all: only a speed-up lost
        return
    if isinstance(entries, list):
        CACHE.restore(entries)
    _loaded_stores = CACHE.stores


def save_to_disk(partition: Partition | None = None) -> None:
    """Keep CACHE for the next command, when this one added to it; any failure is ignored."""
    global _loaded_stores
    if CACHE.stores == _loaded_stores:
        return
    try:
        data = pickle.dumps(CACHE.entries(), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a value that does not pickle: not kept
        return
    partition = partition or PARSED_FILES
    partition.write(disk_entry(), data)
    forget_older_layout(partition.folder().parent)  # the user cache folder
    _loaded_stores = CACHE.stores


@contextlib.contextmanager
def kept_on_disk() -> Iterator[None]:
    """CACHE loaded from disk for the block, and saved after it when it grew."""
    load_from_disk()
    try:
        yield
    finally:
        save_to_disk()

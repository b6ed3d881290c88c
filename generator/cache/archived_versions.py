"""Archived versions kept on disk between builds of `strategy build --all-versions`.

A tagged version's pages depend only on its plan (the blobs of its tree), the day it is evaluated at (its tag
date), the theme's templates and this code. With tags a month apart nearly every page of every version differs
from its neighbours', so the render memo finds nothing to share; but the next build (the next merge, the next
tag) shows the same versions again. Each version's files are kept here once built, named by a hash of all they
depend on, and the next build writes them out without checking, paging or rendering that version again.

A version's pages name only that version: the list of versions, today's date and which pages each version
has are in versions.js at the site's root (versions/switcher.py), so a kept page is the very page a render
gives, whatever tags came since.

The comparison of two consecutive versions (a changes page's content) is kept the same way, by the two
versions' keys.

Entries are a JSON header and the files' bytes, never pickles: a cache restored in CI is read as data only.
They are kept in the store's `versions` partition (store.py: framed with a digest of their bytes, written
atomically, the least recently used pruned past 1 GiB), and an entry whose fields or paths are not as this code
writes them is no entry either. The cache only ever saves time: an entry missing, corrupt or written by other
code is built again, and a folder that cannot be written is left alone, without a word.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .store import VERSIONS, Partition, fingerprint

FORMAT = "5"  # bumped when the layout of an entry changes
LANGUAGES = ("fr", "en")  # a kept version's language must be one a plan may have (schema.py)


def code_key(template_dirs: list[Path]) -> str:
    """What, besides a version's plan and evaluation day, decides its pages: this code (`store.fingerprint`)
    and every template that may render them (all of the plan's themes, as a version names its theme in its own
    settings)."""
    digest = hashlib.blake2b(digest_size=20)
    for number, folder in enumerate(template_dirs):
        for rel, file in _files_under(folder):
            try:
                data = file.read_bytes()
            except OSError:
                data = os.urandom(16)
            digest.update(f"{number}\0{rel}\0{len(data)}\0".encode() + data)
    return fingerprint("archived versions", FORMAT, digest.hexdigest())


def _files_under(folder: Path) -> list[tuple[str, Path]]:
    """Every file under `folder` by its path from it, sorted, through symbolic links to folders as the
    template loader goes through them (a theme may be a link to a shared folder), each real folder once."""
    found: list[tuple[str, Path]] = []
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:  # a link back up the tree
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for name in files:
            path = Path(root, name)
            found.append((path.relative_to(folder).as_posix(), path))
    return sorted(found)


def template_dirs(plan_dir: Path | None) -> list[Path]:
    """Every folder a version's templates can come from: the plan's `themes/` and the built-in theme."""
    from ..site.render import default_theme_dir

    dirs = [default_theme_dir()]
    if plan_dir is not None:
        dirs.insert(0, plan_dir.resolve().parent / "themes")
    return dirs


@dataclass
class Kept:
    """A version's files as kept; `meta` holds what the build needs of the version without checking it."""

    files: dict[str, bytes]
    meta: dict[str, Any] = field(default_factory=dict)


def _sound_header(header: Any) -> bool:
    """Whether a version entry's header has every field the build uses, of the right kind, and only file
    paths that stay inside the version's folder: anything else is treated as no entry."""
    try:
        meta, files = header["meta"], header["files"]
        ok = (isinstance(meta["language"], str)
              and meta["language"] in LANGUAGES and isinstance(meta["currency"], str)
              and isinstance(meta["theme"], str) and type(meta["pages"]) is int and type(meta["charts"]) is int
              and isinstance(meta["targets"], list) and isinstance(files, list))
        ok = ok and all(isinstance(t, list) and len(t) == 4 and isinstance(t[0], str) and isinstance(t[1], str)
                        and (t[2] is None or type(t[2]) in (int, float)) and (t[3] is None or isinstance(t[3], str))
                        for t in meta["targets"])
        return ok and all(isinstance(f, list) and len(f) == 2 and _inside_version(f[0]) and type(f[1]) is int
                          and f[1] >= 0 for f in files)
    except (KeyError, TypeError):
        return False


def _inside_version(path: Any) -> bool:
    return (isinstance(path, str) and bool(path) and not path.startswith("/") and "\\" not in path
            and "\0" not in path and all(part not in ("", ".", "..") for part in path.split("/")))


def _sound_view(view: Any) -> bool:
    """Whether a kept comparison has what the changes page and the history's timeline read."""
    try:
        return (isinstance(view["summary"], dict) and isinstance(view["highlights"], list)
                and isinstance(view["more"], str) and isinstance(view["count_words"], dict)
                and all(isinstance(view[k], list) and all(isinstance(e, dict) and isinstance(e["rows"], list)
                                                         and isinstance(e["kind"], str) and isinstance(e["id"], str)
                                                         and isinstance(e["op"], str) for e in view[k])
                        for k in ("sections", "moved")))
    except (KeyError, TypeError):
        return False


class VersionCache:
    """The kept versions and comparisons of one build (`code` is `code_key` for its plan)."""

    def __init__(self, code: str, folder: Path | None = None) -> None:
        self.code = code
        self.partition: Partition = VERSIONS if folder is None else VERSIONS.at(folder)
        self.used: set[str] = set()  # entry names read or written by this build

    def version_key(self, tag: str, plan_path: str, tree: str, day: Any) -> str:
        """The name of a version's entry: its tag (its pages name it), its plan's place and content (the git tree
        of the plan folder), its evaluation day, the code."""
        return self._name(f"version\n{tag}\n{plan_path}\n{tree}\n{day}")

    def pair_key(self, old: str, new: str, old_label: str, new_label: str) -> str:
        """The name of the comparison of two kept versions (by their keys), labelled as the changes page is."""
        return self._name(f"pair\n{old}\n{new}\n{old_label}\n{new_label}")

    def _name(self, text: str) -> str:
        return hashlib.blake2b(f"{self.code}\n{text}".encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()

    def meta(self, key: str) -> dict[str, Any] | None:
        """A kept version's meta, read without its files; None when there is no such entry (or not a sound
        one: the files are checked against their digest when `load`ed)."""
        try:
            start = self.partition.peek(f"{key}.version", 32)
            if start is None:
                return None
            newline = start.index(b"\n")
            size = int(start[:newline])
            head = self.partition.peek(f"{key}.version", newline + 1 + size)
            header = json.loads(head[newline + 1:] if head is not None else b"")
        except (ValueError, RecursionError):
            return None
        return header["meta"] if _sound_header(header) else None

    def load(self, key: str) -> Kept | None:
        """A kept version, or None when it is absent or not readable as one."""
        data = self._read(f"{key}.version")
        if data is None:
            return None
        try:
            newline = data.index(b"\n")
            size = int(data[:newline])
            header = json.loads(data[newline + 1:newline + 1 + size])
        except (ValueError, RecursionError):
            return None
        offset = newline + 1 + size
        if not _sound_header(header):
            return None
        files: dict[str, bytes] = {}
        for path, length in header["files"]:
            files[path] = data[offset:offset + length]
            offset += length
        return Kept(files, header["meta"]) if offset == len(data) else None

    def store(self, key: str, kept: Kept) -> None:
        """Keep a version (its meta must be plain JSON); any failure to write is ignored."""
        header = json.dumps({"meta": kept.meta, "files": [[p, len(b)] for p, b in kept.files.items()]},
                            ensure_ascii=False).encode("utf-8")
        if not _sound_header(json.loads(header)):  # what `load` would refuse is not worth writing
            return
        self._write(f"{key}.version", b"".join([str(len(header)).encode(), b"\n", header, *kept.files.values()]))

    def load_view(self, key: str) -> dict[str, Any] | None:
        """A kept comparison (the changes-page view of versions/history.py), or None."""
        data = self._read(f"{key}.pair")
        if data is None:
            return None
        try:
            view = json.loads(data)
        except (ValueError, RecursionError):
            return None
        return view if _sound_view(view) else None

    def store_view(self, key: str, view: dict[str, Any]) -> None:
        try:
            body = json.dumps(view, ensure_ascii=False).encode("utf-8")
        except (TypeError, ValueError):  # not plain JSON: not worth keeping
            return
        self._write(f"{key}.pair", body)

    def _read(self, name: str) -> bytes | None:
        data = self.partition.read(name)  # a read makes it recent: the last to go (`prune`)
        if data is not None:
            self.used.add(name)
        return data

    def _write(self, name: str, data: bytes) -> None:
        self.used.add(name)
        self.partition.write(name, data)

    def prune(self, keep: Iterable[str] = ()) -> None:
        """Keep the partition under its cap, the entries this build used and the versions `keep` aside: the
        least recently used go first (entries of older code, of tags since deleted, of other plans)."""
        self.partition.prune(keep=self.used | {f"{key}.version" for key in keep})

"""Where a plan's files come from: a folder on disk, or (see gitsource) a git revision.

Everything after this module reads files only through `Source`, so check, build and diff work the
same on the working tree and on any revision.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

# A plan file larger than its budget is refused with a clear error rather than parsed: a strategy
# document never needs it, and a hostile pull request must not exhaust memory (see budgets).
from .budgets import max_file_bytes


class FileTooLarge(Exception):
    def __init__(self, path: str, size: int) -> None:
        super().__init__(path)
        self.path = path
        self.size = size


class Source(Protocol):
    """A read-only view of one plan folder."""

    @property
    def label(self) -> str:
        """How the plan folder is shown to the user, e.g. `content` or `v1.0:content`."""
        ...

    def files(self) -> list[str]:
        """Every regular file, as a POSIX path relative to the plan folder, sorted."""
        ...

    def read_bytes(self, path: str) -> bytes:
        """The content of one file listed by `files()`; raises FileTooLarge past the limit."""
        ...

    def display(self, path: str) -> str:
        """The path as the user should see it in a diagnostic."""
        ...


def content_id(source: Source, path: str) -> str | None:
    """What names the bytes of `path` without reading them, when the source knows it: a git revision's
    blob id (a digest of the content), so that checking revisions whose files did not change reads none
    of them again (see cache/parsed_files.py). None when the source has no such id."""
    object_id = getattr(source, "object_id", None)
    if object_id is None:
        return None
    try:
        return str(object_id(path))
    except (KeyError, OSError):
        return None


def _resolved(link: Path) -> Path | None:
    """Where a symbolic link leads, or None when it leads back to itself (a loop)."""
    try:
        return link.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a loop, later versions OSError
        return None


@dataclass
class DirectorySource:
    """A plan folder on disk. Symbolic links are listed in `escaping_links` when they lead
    outside the folder, and never followed."""

    root: Path
    shown_as: str | None = None
    escaping_links: list[str] = field(default_factory=list)
    looping_links: list[str] = field(default_factory=list)  # links that lead back to themselves
    _files: list[str] | None = None

    # (working directory, the label shown from it)
    _label: tuple[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def label(self) -> str:
        if self.shown_as is not None:
            return self.shown_as
        cwd = os.getcwd()  # the label is relative to it; computing it again for each file took 2 ms per 100 files
        if self._label is None or self._label[0] != cwd:
            try:
                label = os.path.relpath(self.root, cwd).replace(os.sep, "/")
            except ValueError:  # another drive on Windows
                label = self.root.as_posix()
            self._label = (cwd, label)
        return self._label[1]

    def files(self) -> list[str]:
        if self._files is None:
            root = self.root.resolve()
            found: list[str] = []
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith("."):
                        continue
                    full = Path(dirpath) / name
                    rel = full.relative_to(root).as_posix()
                    if full.is_symlink():
                        target = _resolved(full)
                        if target is None:
                            self.looping_links.append(rel)
                            continue
                        if not target.is_relative_to(root) or not target.is_file():
                            self.escaping_links.append(rel)
                            continue
                    elif not full.is_file():
                        continue
                    found.append(rel)
                # symbolic links to folders are not walked; report those leading outside
                for d in list(dirnames):
                    full = Path(dirpath) / d
                    if full.is_symlink():
                        target = _resolved(full)
                        if target is None:
                            self.looping_links.append(full.relative_to(root).as_posix())
                        elif not target.is_relative_to(root):
                            self.escaping_links.append(full.relative_to(root).as_posix())
            self._files = sorted(found)
        return self._files

    def read_bytes(self, path: str) -> bytes:
        full = self.root / path
        size = full.stat().st_size
        if size > max_file_bytes(path):
            raise FileTooLarge(path, size)
        return full.read_bytes()

    def display(self, path: str) -> str:
        label = self.label
        return path if label in ("", ".") else f"{label}/{path}"

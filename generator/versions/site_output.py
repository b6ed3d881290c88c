"""The site of `build --all-versions` as it is written, version by version."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..build import SiteFiles
from ..site.writer import copy_files, write_files
from .links import VERSIONS_DIR, version_root

if TYPE_CHECKING:
    from ..site.search import Indexing


class VersionsSite:
    """The site as it is written, version by version, so that no version's files wait in memory for the
    others: the current version's files (and the history pages) go into the staging folder and pagefind
    indexes them meanwhile (`index`); each tagged version's files go into a folder aside, moved into the
    staging folder once the index is done (`finish`). Archived pages are left out of the index anyway (no
    `data-pagefind-body`, see base.html): pagefind would only read every one of them (20 versions: 95% of its
    time). Atomic as write_site is: nothing reaches OUTPUT before `swap_in`, and on a failure both folders
    are removed (the caller's `staged` removes the staging folder)."""

    def __init__(self, staging: Path) -> None:
        self.staging = staging
        self.aside = staging.parent / (staging.name + ".versions")
        self.bytes = 0
        self._indexing: Indexing | None = None

    def __enter__(self) -> VersionsSite:
        self.aside.mkdir()
        return self

    def __exit__(self, *exc: object) -> None:
        import shutil

        if self._indexing is not None:
            self._indexing.stop()
        shutil.rmtree(self.aside, ignore_errors=True)

    def current(self, files: SiteFiles) -> None:
        self.bytes += write_files(self.staging, files.files) + copy_files(self.staging, files.copies)

    def index(self, pages: dict[str, bytes]) -> None:
        """Start indexing `pages`, the files of the current version (and the history pages), once they are all
        in the staging folder."""
        from ..site.search import start_index

        self._indexing = start_index(self.staging, pages)

    def version(self, tag: str, files: SiteFiles) -> int:
        """Write tagged version `tag`'s files (returns their bytes; the build's own count is `add`ed)."""
        root = self.aside / version_root(tag)
        return write_files(root, files.files) + copy_files(root, files.copies)

    def drop(self, tag: str) -> None:
        """Remove what was written of version `tag` (by a forked copy that failed)."""
        import shutil

        shutil.rmtree(self.aside / version_root(tag), ignore_errors=True)

    def finish(self, staging: Path) -> None:
        import os

        if self._indexing is not None:
            indexing, self._indexing = self._indexing, None
            indexing.wait()
        if (self.aside / VERSIONS_DIR).is_dir():
            os.replace(self.aside / VERSIONS_DIR, staging / VERSIONS_DIR)

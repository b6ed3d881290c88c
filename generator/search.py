"""The site's search index: pagefind (the `pagefind[bin]` wheel) indexes the written pages in place.

It runs on the staging folder, before the writer swaps it in, so a failed index leaves the previous site as
it was. Only `<main data-pagefind-body>` of each page is indexed (no menu, no chart data tables), in the
language of `<html lang>`; the theme's own search.js queries it, so pagefind's UI bundles are not shipped.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

INDEX_DIR = "pagefind"
ENTRY = f"{INDEX_DIR}/pagefind-entry.json"
# pagefind writes its ready-made search UIs too; the theme has its own (CSP-clean, in its design)
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
TIMEOUT_S = 600
PAGEFIND = [sys.executable, "-m", "pagefind"]  # the pagefind[bin] wheel's binary, through its Python package
MISSING = ("pagefind is not installed, and the site's search index needs it: "
           "run `pip install 'pagefind[bin]'` (a dependency of strategy-site), then build again")


class SearchIndexError(Exception):
    """pagefind is missing or failed; the message says what to do."""


def pagefind_installed() -> bool:
    return importlib.util.find_spec("pagefind") is not None


def index_site(site: Path) -> None:
    """Write the pagefind index of the HTML pages in `site` to `site/pagefind/`.

    pagefind runs with its own folder as working directory and without PAGEFIND_* variables, so neither a
    `pagefind.yml` in the current folder nor the environment can change the index: the same pages always
    give the same bytes."""
    start_index(site).wait()


class Indexing:
    """pagefind indexing a folder in its own process while the build goes on (`start_index`); `wait()`
    returns once the index is complete, or raises SearchIndexError. Files added to the folder meanwhile may
    or may not be indexed: add only what pagefind skips (or nothing)."""

    def __init__(self, site: Path, process: subprocess.Popen[bytes], output: IO[bytes]) -> None:
        self._site, self._process, self._output = site, process, output
        self._deadline = time.monotonic() + TIMEOUT_S

    def wait(self) -> None:
        try:
            try:
                code = self._process.wait(timeout=max(0.0, self._deadline - time.monotonic()))
            except subprocess.TimeoutExpired as exc:
                self._process.kill()
                self._process.wait()
                raise SearchIndexError(f"the search index (pagefind) did not finish within {TIMEOUT_S} s") from exc
            self._output.seek(0)
            output = self._output.read().decode("utf-8", "replace").strip()
        finally:
            self._output.close()
        if code != 0 or not (self._site / ENTRY).is_file():
            if "Could not find pagefind binary" in output:
                raise SearchIndexError(MISSING)
            last = output.splitlines()[-1] if output else f"exit status {code}"
            raise SearchIndexError(f"pagefind could not index the site for search: {last}")
        for name in UNUSED:
            (self._site / INDEX_DIR / name).unlink(missing_ok=True)

    def stop(self) -> None:
        """The index is not wanted (the build failed): end pagefind."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._output.close()


def start_index(site: Path) -> Indexing:
    """Start pagefind on `site` (see index_site); raises SearchIndexError when it cannot be run."""
    site = site.resolve()
    if not pagefind_installed():
        raise SearchIndexError(MISSING)
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}
    command = [*PAGEFIND, "--site", ".", "--output-subdir", INDEX_DIR, "--keep-index-url", "--quiet"]
    output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by Indexing) not a pipe: read once pagefind is done
    try:
        process = subprocess.Popen(command, cwd=site, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    except OSError as exc:
        output.close()
        raise SearchIndexError(f"could not run pagefind for the search index: {exc}") from exc
    return Indexing(site, process, output)

"""The site's search index: pagefind (the `pagefind[bin]` wheel) indexes the pages a build made.

It reads them from a folder of its own (each page made `searchable`) while the build writes the site, and
writes the index into the staging folder before the writer swaps it in, so a failed index leaves the
previous site as it was. Only `<main data-pagefind-body>` of each page is indexed (no menu, no chart data
tables), in the language of `<html lang>`; the theme's own search.js queries it, so pagefind's UI bundles are
not shipped.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from ..plan.messages import Msg, msg

INDEX_DIR = "pagefind"
ENTRY = f"{INDEX_DIR}/pagefind-entry.json"
# pagefind writes its ready-made search UIs too; the theme has its own (CSP-clean, in its design)
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
TIMEOUT_S = 600
LAUNCHER = [sys.executable, "-m", "pagefind"]  # the pagefind[bin] wheel's binary, found by its Python package
PAGEFIND: list[str] | None = None  # the command that runs pagefind (None: `pagefind_command()`)
MISSING = msg("search.missing")


class SearchIndexError(Exception):
    """pagefind is missing or failed: `said` says so and what to do, in the reader's language."""

    def __init__(self, said: Msg) -> None:
        super().__init__(said)
        self.said = said


def pagefind_installed() -> bool:
    return importlib.util.find_spec("pagefind") is not None


def pagefind_command() -> list[str]:
    """The binary the pagefind[bin] wheel installs, run directly: its Python launcher (LAUNCHER) costs a
    Python start-up, 0.09 s a build. The launcher when the binary is not where that wheel puts it."""
    spec = importlib.util.find_spec("pagefind_bin")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        binary = Path(folder) / ("pagefind.exe" if os.name == "nt" else "pagefind")
        if binary.is_file() and os.access(binary, os.X_OK):
            return [str(binary)]
    return LAUNCHER


_JSON_SCRIPT = b'<script type="application/json"'
_IGNORED = b" data-pagefind-ignore"


def searchable(html: bytes) -> bytes:
    """A page as pagefind needs it: without the chart specs (`<script type="application/json">`, never indexed)
    and the elements marked `data-pagefind-ignore` (chart data tables, values that only moved), which it would
    parse only to skip them: two thirds of a big plan's bytes, and about half of pagefind's time. The index
    holds the same words; only the anchors of the removed elements' ids are missing. A page whose markup is
    not as expected is given whole."""
    out: list[bytes] = []
    pos = 0
    while (start := html.find(_JSON_SCRIPT, pos)) >= 0:
        end = html.find(b"</script>", start)
        if end < 0:
            return html
        out.append(html[pos:start])
        pos = end + len(b"</script>")
    out.append(html[pos:])
    slim = b"".join(out)
    out, pos, look = [], 0, 0
    while (found := slim.find(_IGNORED, look)) >= 0:
        look = found + 1
        start = slim.rfind(b"<", pos, found)
        if start < 0 or b">" in slim[start:found] or slim.count(b'"', start, found) % 2:
            continue  # words of the text, or inside an attribute's value: not the attribute
        name = slim[start + 1:found].split(b" ", 1)[0]
        end = _closing(slim, name, slim.find(b">", found))
        if not name.isalnum() or end < 0:
            return html
        out.append(slim[pos:start])
        pos = look = end
    out.append(slim[pos:])
    return b"".join(out)


def _closing(html: bytes, name: bytes, inside: int) -> int:
    """Where the element `name` whose start tag ends at `inside` ends (after its end tag), nested elements of
    the same name counted; -1 when it does not."""
    if inside < 0:
        return -1
    depth, pos, end = 1, inside, -1
    close = b"</" + name + b">"
    while depth:
        if end < pos:  # the end tag found last is still ahead after a nested start tag: not searched again
            end = html.find(close, pos)  # (a chart's element holds two drawings of 20 KB: each scanned once)
            if end < 0:
                return -1
        opened = html.find(b"<" + name, pos, end)
        while opened >= 0 and html[opened + len(name) + 1:opened + len(name) + 2] not in (b" ", b">"):
            opened = html.find(b"<" + name, opened + 1, end)
        if opened >= 0:
            depth += 1
            pos = opened + 1
        else:
            depth -= 1
            pos = end + len(close)
    return pos


class Indexing:
    """pagefind indexing pages in its own process while the build goes on (`start_index`); `wait()` returns
    once the index is complete in the site's folder, or raises SearchIndexError."""

    def __init__(self, site: Path, process: subprocess.Popen[bytes], output: IO[bytes], read: Path) -> None:
        self._site, self._process, self._output = site, process, output
        self._read: Path | None = read  # the folder of searchable pages pagefind reads (removed once done)
        self._deadline = time.monotonic() + TIMEOUT_S

    def wait(self) -> None:
        try:
            try:
                code = self._process.wait(timeout=max(0.0, self._deadline - time.monotonic()))
            except subprocess.TimeoutExpired as exc:
                self._process.kill()
                self._process.wait()
                raise SearchIndexError(msg("search.timeout", seconds=TIMEOUT_S)) from exc
            self._output.seek(0)
            output = self._output.read().decode("utf-8", "replace").strip()
        finally:
            self._output.close()
            self._remove_read()
        if code != 0 or not (self._site / ENTRY).is_file():
            if "Could not find pagefind binary" in output:
                raise SearchIndexError(MISSING)
            last = output.splitlines()[-1] if output else msg("search.exit-status", code=code)
            raise SearchIndexError(msg("search.failed", detail=last))
        for name in UNUSED:
            (self._site / INDEX_DIR / name).unlink(missing_ok=True)

    def stop(self) -> None:
        """The index is not wanted (the build failed): end pagefind."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._output.close()
        self._remove_read()

    def _remove_read(self) -> None:
        if self._read is not None:
            shutil.rmtree(self._read, ignore_errors=True)
            self._read = None


def start_index(site: Path, pages: Mapping[str, bytes]) -> Indexing:
    """Start pagefind writing the index of `pages` (path → bytes; their HTML ones made `searchable`, in a
    folder of their own) into `site/pagefind/`; raises SearchIndexError when it cannot be run.

    pagefind runs with its own folder as working directory and without PAGEFIND_* variables, so neither a
    `pagefind.yml` in the current folder nor the environment can change the index: the same pages always
    give the same bytes."""
    site = site.resolve()
    if not pagefind_installed():
        raise SearchIndexError(MISSING)
    read = reading_folder(site)
    try:
        _write_searchable(read, pages)
    except OSError as exc:
        shutil.rmtree(read, ignore_errors=True)
        raise SearchIndexError(msg("search.cannot-prepare", error=str(exc))) from exc
    except BaseException:  # a path the writer refuses: the build reports it as the writer words it
        shutil.rmtree(read, ignore_errors=True)
        raise
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}
    command = [*(PAGEFIND or pagefind_command()), "--site", ".", "--output-path", str(site / INDEX_DIR),
               "--keep-index-url", "--quiet"]
    output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by Indexing) not a pipe: read once pagefind is done
    try:
        process = subprocess.Popen(command, cwd=read, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    except OSError as exc:
        output.close()
        shutil.rmtree(read, ignore_errors=True)
        raise SearchIndexError(msg("search.cannot-run", error=str(exc))) from exc
    return Indexing(site, process, output, read)


def reading_folder(site: Path) -> Path:
    """The new folder pagefind reads the pages from: beside the staging folder `site`, named after it, so that
    the next build removes it if this one is killed (swap.py)."""
    read = site.with_name(site.name + ".search")
    read.mkdir()
    return read


def _write_searchable(folder: Path, pages: Mapping[str, bytes]) -> None:
    """The HTML pages of `pages` as pagefind reads them, under `folder`, by the site's writer (which refuses
    a path that would leave the folder, as it does for the site itself); pagefind reads no other file."""
    from .writer import write_files

    write_files(folder, {rel: searchable(html) for rel, html in pages.items() if rel.endswith(".html")})

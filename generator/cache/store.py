"""The one store of everything the builds keep on disk for the next build, under the user cache folder
(`$XDG_CACHE_HOME/strategy-site`, else `~/.cache/strategy-site`), one folder a partition:

    parsed/     what the loader made of each file (one pickle per code version)   ≤ 4 files
    charts/     chart specs made by Altair, by shape (JSON)                        ≤ 4,000 files
    drawings/   charts drawn as SVG (compressed)                                   ≤ 20,000 files
    templates/  the theme's compiled templates (Jinja bytecode)                    ≤ 2,000 files
    pages/      rendered pages, by a digest of what they show (compressed)         ≤ 20,000 files, 256 MiB
    versions/   archived versions' pages and their comparisons                    ≤ 1 GiB

(the render memo of `strategy serve` lives in memory only.)

One way in and out for all of them:
- an entry's name is a `fingerprint` of all it depends on: this package's code and its libraries' versions
  (`code_digest`) and the inputs the caller gives, so that an upgrade or an edit never meets a stale entry;
- it is written to a temporary file and renamed (a concurrent build never reads half an entry), framed by a
  line naming the partition and its format and a digest of its bytes, so that an entry cut short, damaged, or
  written by an older layout (the files of an older cache folder) reads as a miss;
- past its cap, a partition drops its least recently written entries (least recently read, for versions),
  down to three quarters of the cap so that pruning is rare.

The store only ever saves time: a folder that cannot be made or written, an entry that cannot be read, is
a miss without a word. Pickles (parsed files) are read only from the user's own cache folder; the GitHub
action carries only the versions and chart shapes, which are read as data.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Collection
from pathlib import Path

FORMAT = "1"  # bumped when the framing of an entry changes
_DIGEST_SIZE = 20
# the distributions whose code shapes what the builds make, besides this package
_SHAPERS = ("jinja2", "markdown", "nh3", "babel", "pyyaml", "altair", "vl-convert-python")


def user_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/strategy-site`, else `~/.cache/strategy-site`."""
    return _cache_dir(os.environ.get("XDG_CACHE_HOME", ""), os.environ.get("HOME"))


@functools.lru_cache(maxsize=8)
def _cache_dir(xdg_cache_home: str, home: str | None) -> Path:
    """`user_cache_dir` of these variables' values, resolved once: a build reads thousands of entries."""
    base = xdg_cache_home.strip()
    return Path(base if base else Path.home() / ".cache") / "strategy-site"


@functools.cache
def code_digest() -> str:
    """This package's code and version, the shaping libraries' versions and Python's: what decides, besides
    their inputs, everything the builds keep (a page, a chart, what the loader makes of a file)."""
    from importlib.metadata import PackageNotFoundError, version

    from .. import __version__

    digest = hashlib.blake2b(digest_size=_DIGEST_SIZE)
    digest.update(f"{__version__}|{sys.version_info[:2]}".encode())
    for name in _SHAPERS:
        try:
            digest.update(f"|{name}-{version(name)}".encode())
        except PackageNotFoundError:
            digest.update(f"|{name}-none".encode())
    package = Path(__file__).resolve().parent.parent  # generator/, subpackages included
    for file in sorted(package.rglob("*.py")):
        try:
            digest.update(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes())
        except OSError:  # a file that cannot be read: a key unique to this process
            digest.update(os.urandom(16))
    return digest.hexdigest()


def fingerprint(*inputs: str | bytes, code: bool = True) -> str:
    """The name of what `inputs` make with this code: a digest of `code_digest()` and each input (each one
    framed by its length, so that ("ab", "c") and ("a", "bc") differ). `code=False` for an entry whose inputs
    already name all it depends on (a drawing: its spec, width, locale, format and vl-convert's version), so
    that an upgrade of this package does not draw every chart again."""
    digest = hashlib.blake2b(code_digest().encode() if code else b"", digest_size=_DIGEST_SIZE)
    for part in inputs:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        digest.update(b"%d\0" % len(data) + data)
    return digest.hexdigest()


def write_atomically(path: Path, data: bytes) -> bool:
    """Write to a temporary file in the same folder, then rename: a concurrent build never reads half an
    entry. False when it could not be written (no cache this time; the caller has the bytes)."""
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
        os.replace(tmp_name, path)
        tmp_name = None
        return True
    except OSError:
        return False
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _body_digest(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=_DIGEST_SIZE).hexdigest().encode("ascii")


class Partition:
    """One folder of the store: entries named by the caller (a fingerprint and one of `suffixes`), framed,
    written atomically and pruned to `max_files` entries or `max_bytes` bytes."""

    def __init__(self, name: str, suffixes: tuple[str, ...], *, max_files: int | None = None,
                 max_bytes: int | None = None, touch_on_read: bool = False, root: Path | None = None) -> None:
        self.name = name
        self.suffixes = suffixes
        self.max_files = max_files
        self.max_bytes = max_bytes
        self.touch_on_read = touch_on_read  # a read makes the entry recent: pruned least recently *used* first
        self.root = root  # the partition's folder, when not the user cache's (tests, benchmarks)
        self.magic = f"strategy-site {name} {FORMAT}\n".encode("ascii")
        self._pruned = False

    def at(self, folder: Path) -> Partition:
        """The same partition kept in `folder`."""
        return Partition(self.name, self.suffixes, max_files=self.max_files, max_bytes=self.max_bytes,
                         touch_on_read=self.touch_on_read, root=folder)

    def folder(self) -> Path:
        return Path(self._folder())

    def _folder(self) -> str:
        # not pathlib's `/`: a build reads 2,000 drawings
        return os.fspath(self.root) if self.root is not None else os.path.join(user_cache_dir(), self.name)

    def read(self, name: str) -> bytes | None:
        """The bytes stored under `name`; None when absent, unreadable, cut short, damaged or not framed as
        this code frames them."""
        path = os.path.join(self._folder(), name)
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError:
            return None
        head = len(self.magic) + 2 * _DIGEST_SIZE + 1
        if not data.startswith(self.magic) or data[head - 1:head] != b"\n":
            return None
        body = data[head:]
        if data[len(self.magic):head - 1] != _body_digest(body):
            return None
        if self.touch_on_read:
            with contextlib.suppress(OSError):
                os.utime(path)
        return body

    def peek(self, name: str, size: int) -> bytes | None:
        """The first `size` bytes stored under `name`, read without checking the rest (for a header read
        before deciding to read the whole entry, which `read` then checks)."""
        head = len(self.magic) + 2 * _DIGEST_SIZE + 1
        try:
            with (self.folder() / name).open("rb") as file:
                data = file.read(head + size)
        except OSError:
            return None
        return data[head:] if data.startswith(self.magic) else None

    def write(self, name: str, body: bytes) -> bool:
        """Keep `body` under `name`; False when it could not be written (then nothing is kept)."""
        written = write_atomically(self.folder() / name, self.magic + _body_digest(body) + b"\n" + body)
        if written and not self._pruned and self.max_files is not None:
            self._pruned = True  # once a process: a build writes thousands of entries
            self.prune()
        return written

    def prune(self, keep: Collection[str] = ()) -> None:
        """Past `max_files` entries or `max_bytes` bytes, drop the least recently written (or used) entries
        but those named in `keep`, down to three quarters of the cap. Any failure is ignored."""
        with contextlib.suppress(OSError):
            entries = []
            count = total = 0
            for entry in os.scandir(self.folder()):
                if not entry.name.endswith((*self.suffixes, ".tmp")) or not entry.is_file(follow_symlinks=False):
                    continue
                stat = entry.stat(follow_symlinks=False)
                count += 1
                total += stat.st_size
                if entry.name not in keep:
                    entries.append((stat.st_mtime, stat.st_size, entry.path))
            over_count = self.max_files is not None and count > self.max_files
            over_bytes = self.max_bytes is not None and total > self.max_bytes
            if not (over_count or over_bytes):
                return
            most_files = self.max_files * 3 // 4 if over_count and self.max_files is not None else count
            most_bytes = self.max_bytes * 3 // 4 if over_bytes and self.max_bytes is not None else total
            entries.sort()
            for _, size, path in entries:
                if count <= most_files and total <= most_bytes:
                    break
                with contextlib.suppress(OSError):
                    os.unlink(path)
                    count -= 1
                    total -= size


PARSED_FILES = Partition("parsed", (".pickle",), max_files=4)
CHART_SHAPES = Partition("charts", (".json",), max_files=4000)
CHART_DRAWINGS = Partition("drawings", (".svg.z",), max_files=20_000)
TEMPLATES = Partition("templates", (".jinja",), max_files=2000)
# about 12 KB an entry (a full-size objective page with its 8 drawings is 110 KB): the pages of a few dozen
# builds of a big plan, the least recently used dropped first
RENDERED_PAGES = Partition("pages", (".html.z",), max_files=20_000, max_bytes=256 << 20, touch_on_read=True)
VERSIONS = Partition("versions", (".version", ".pair"), max_bytes=1 << 30, touch_on_read=True)

_older_layout_forgotten = False


def forget_older_layout(folder: Path) -> None:
    """Delete what an older layout of the cache folder left at the top of `folder` (a parse cache of up to 64 MB
    per code version, a folder of compiled templates per Jinja version): nothing reads them any more. Once a
    process, any failure ignored."""
    global _older_layout_forgotten
    if _older_layout_forgotten:
        return
    _older_layout_forgotten = True
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith("parse-") and entry.name.endswith(".pickle") and entry.is_file():
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
            elif entry.name.startswith("templates-") and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)

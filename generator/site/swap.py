"""Putting a complete site in place of OUTPUT in one step, and tidying up after builds that were killed.

A build stages the site in `.OUTPUT.building-XXXX` beside OUTPUT (its search pages in `….search`, an
`--all-versions` build's old versions in `….versions`), holding a lock on that folder while it lives. The
swap is one atomic exchange of the two folders (Linux `renameat2(RENAME_EXCHANGE)`, macOS `renamex_np`), so
OUTPUT is always a whole site, the previous one or the new one. Where the file system cannot exchange, it is
two renames through `….previous`, and a build killed between them leaves that folder, which the next build
puts back as OUTPUT.

Each build first tidies (`tidy`): staging folders whose build is gone (no lock held: killed, crashed, the
machine rebooted) are removed, with their `.search`, `.versions` and `.previous` folders; only folders named
as ours, beside this OUTPUT, are touched. Swaps and tidying take a lock on OUTPUT's parent folder, so two
builds into one OUTPUT swap one after the other: both succeed, the later one's site stays.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no locks, so no folder is ever taken for a killed build's
    fcntl = None  # type: ignore[assignment]

STAGING = ".building-"
SIBLINGS = (".search", ".versions", ".previous")  # folders named after a staging folder, removed with it
MARKER = ".strategy-site"  # as writer.MARKER: what says a folder is a site a build made


def _staging_name(out: Path) -> re.Pattern[str]:
    return re.compile(re.escape(f".{out.name}{STAGING}") + r"[a-z0-9_]+")


@contextlib.contextmanager
def _locked(folder: Path, *, wait: bool = True) -> Iterator[int | None]:
    """An exclusive lock on `folder` (held until the block ends); the descriptor, or None without locks.
    Without `wait`, raises BlockingIOError when another process holds it."""
    if fcntl is None or not folder.is_dir():
        yield None
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        yield fd
    finally:
        os.close(fd)


def new_staging(out: Path) -> tuple[Path, int | None]:
    """A new, empty staging folder beside `out` (after tidying), and the descriptor that holds its lock: a
    build keeps it open while it lives, and closes it when the staging folder is gone."""
    with _locked(out.parent):
        _tidy(out)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}{STAGING}", dir=out.parent))
        if fcntl is None:
            return staging, None
        fd = os.open(staging, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # taken before the parent's lock is let go
        return staging, fd


def tidy(out: Path) -> None:
    """Put back a site a killed build left half swapped, and remove the folders of killed builds."""
    if not out.parent.is_dir():
        return
    with _locked(out.parent):
        _tidy(out)


def _tidy(out: Path) -> None:
    if fcntl is None:
        return
    pattern = _staging_name(out)
    for entry in sorted(out.parent.iterdir()):
        name = entry.name
        base = next((name[: -len(s)] for s in SIBLINGS if name.endswith(s)), name)
        if not pattern.fullmatch(base) or entry.is_symlink() or not entry.is_dir():
            continue
        if name == base and _in_use(entry):
            continue  # a build is filling it now
        if name != base and (out.parent / base).is_dir() and _in_use(out.parent / base):
            continue
        if name.endswith(".previous") and not out.exists() and (entry / MARKER).is_file():
            os.replace(entry, out)  # the previous site, retired by a build killed before its new one was in place
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _in_use(staging: Path) -> bool:
    try:
        with _locked(staging, wait=False):
            return False
    except BlockingIOError:
        return True
    except OSError:
        return True  # cannot tell: leave it


def swap(staging: Path, out: Path) -> None:
    """Put `staging` in place of `out`: one exchange where the system has it (the previous site is then at
    `staging`, for the caller to remove), else two renames through `….previous`, undone on failure."""
    with _locked(out.parent):
        if not out.exists():
            os.replace(staging, out)
            return
        if _exchange(staging, out):
            return
        retired = staging.with_name(staging.name + ".previous")
        os.replace(out, retired)
        try:
            os.replace(staging, out)
        except BaseException:
            os.replace(retired, out)  # put the previous site back
            raise
        os.replace(retired, staging)  # for the caller to remove, as after an exchange


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; False when this system or file system cannot."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
            at_fdcwd, rename_exchange = -100, 2
            done = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
        elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
            done = libc.renamex_np(os.fsencode(a), os.fsencode(b), 2)  # RENAME_SWAP
        else:
            return False
    except OSError:
        return False
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # e.g. a file system without exchange: two renames instead
    raise OSError(code, os.strerror(code), str(b))

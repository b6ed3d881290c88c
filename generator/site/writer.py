"""The only code that writes the site: everything is written into a staging folder beside OUTPUT, then
put in its place in one step (swap.py), so a build that fails at any point leaves the previous OUTPUT byte
for byte, a build killed at any point leaves a whole site, and a reader never sees half a site.

OUTPUT is replaced on every build, so the writer refuses a folder it did not make (no `.strategy-site`
marker) unless it is empty: `strategy build -o ~` must never delete a home folder. What a user adds to the
output folder for publishing, `CNAME`, `.nojekyll` and `.git/` (a checkout of a `gh-pages` branch), and the
board pack `strategy pack` writes there, are kept by every build (KEPT).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from ..plan.messages import Msg, msg
from . import swap

MARKER = swap.MARKER
# A user's files in OUTPUT that each build carries over, unless it makes them; board-pack.pdf is where
# `strategy pack` writes by default (pack/render.py's PACK_FILE), so a build does not drop the board's PDF.
KEPT = ("CNAME", ".nojekyll", ".git", "board-pack.pdf")


class OutputError(Exception):
    """OUTPUT cannot be used; the message says why and what to do (`said`, in the reader's language)."""

    def __init__(self, said: Msg) -> None:
        super().__init__(said.render("en"))
        self.said = said


def check_output(output: Path, plan_dir: Path | None) -> None:
    """Refuse an OUTPUT that would destroy something: the plan itself, a folder holding it, or a
    non-empty folder that no build made."""
    out = output.resolve()
    if plan_dir is not None:
        plan = plan_dir.resolve()
        if out == plan or plan.is_relative_to(out):
            raise OutputError(msg("output.holds-plan", output=str(output), plan=str(plan_dir)))
        if out.is_relative_to(plan):
            raise OutputError(msg("output.inside-plan", output=str(output), plan=str(plan_dir)))
    if out.exists() and not out.is_dir():
        raise OutputError(msg("output.is-file", output=str(output)))
    if out.is_dir() and not (out / MARKER).exists() and any(p.name not in KEPT for p in out.iterdir()):
        raise OutputError(msg("output.not-ours", output=str(output)))


def write_site(output: Path, files: Mapping[str, bytes], *, copies: Mapping[str, Path] | None = None,
               before_swap: Callable[[Path], None] | None = None) -> int:
    """Write `files` (path → bytes) and `copies` (path → file to copy) as the whole of OUTPUT; returns
    the number of bytes written. Atomic: on any failure the previous OUTPUT is untouched.

    `before_swap(staging)` runs on the complete staging folder just before the swap (the search index is
    written there); what it adds is counted, and when it raises nothing is swapped in."""
    with staged(output) as staging:
        total = write_files(staging, files) + copy_files(staging, copies or {})
        return swap_in(staging, output, total, before_swap=before_swap)


@contextlib.contextmanager
def staged(output: Path) -> Iterator[Path]:
    """A new, empty staging folder beside OUTPUT for a build to fill as it goes (`write_files`), then to
    `swap_in`: until then OUTPUT is untouched, and a block that leaves without swapping it in (raising or
    not) has it removed."""
    out = output.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging, lock = swap.new_staging(out)  # removes what killed builds left beside OUTPUT first
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # once swapped in, the previous site is there
        if lock is not None:
            os.close(lock)


def tidy_output(output: Path) -> tuple[int, ...] | None:
    """Before a build: put back a site a killed build left half swapped, remove killed builds' folders; returns
    which OUTPUT is there then (`output_identity`)."""
    with contextlib.suppress(OSError):
        swap.tidy(output.resolve())
    return output_identity(output)


def output_identity(output: Path) -> tuple[int, ...] | None:
    """Which OUTPUT folder is there (each swap puts another folder in place); None when there is none."""
    try:
        stat = os.stat(output)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino, stat.st_mtime_ns)


def write_files(root: Path, files: Mapping[str, bytes]) -> int:
    """Write `files` (path → bytes) under `root`; returns the number of bytes written."""
    total = 0
    folders: set[Path] = set()
    for rel, data in files.items():
        target = _inside(root, rel, folders)
        target.write_bytes(data)
        total += len(data)
    return total


def copy_files(root: Path, copies: Mapping[str, Path]) -> int:
    """Copy `copies` (path → file to copy) under `root`; returns the number of bytes written."""
    total = 0
    folders: set[Path] = set()
    for rel, source in copies.items():
        target = _inside(root, rel, folders)
        shutil.copyfile(source, target)
        total += target.stat().st_size
    return total


def swap_in(staging: Path, output: Path, total: int, *, before_swap: Callable[[Path], None] | None = None) -> int:
    """Mark the complete `staging` folder (from `staged`) as a site, run `before_swap(staging)`, and put it in
    place of OUTPUT; returns the bytes of the site (`total`, those written, unless `before_swap` added some)."""
    (staging / MARKER).write_text("written by strategy build; this whole folder is replaced on each build\n",
                                  encoding="utf-8")
    if before_swap is not None:
        before_swap(staging)
        total = sum(f.stat().st_size for f in staging.rglob("*") if f.is_file() and f.name != MARKER)
    keep_user_files(output.resolve(), staging)
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site is read by a web server
    swap.swap(staging, output.resolve())
    return total


def keep_user_files(out: Path, staging: Path) -> None:
    """Carry OUTPUT's KEPT files and folders (those the site does not make) into the staging folder: hard links
    where the file system allows (a `.git/` of any size costs no copy, and OUTPUT keeps its own until the
    swap), copies elsewhere; a symbolic link stays a link."""
    for name in KEPT:
        source, target = out / name, staging / name
        if not os.path.lexists(source) or os.path.lexists(target):
            continue
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        elif source.is_dir():
            shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(source, target)


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _inside(root: Path, rel: str, folders: set[Path]) -> Path:
    """`root/rel`, its folder made, refusing any path that would land outside `root` (absolute, `..`, a
    symbolic link on the way). `folders` holds the folders already made and checked: a folder is resolved
    once, not each of its files (resolving is a system call per part of the path, for 6,000 pages)."""
    norm = os.path.normpath(rel)
    if os.path.isabs(norm) or norm == "." or norm == ".." or norm.startswith("../"):
        raise OutputError(msg("output.outside", rel=rel))
    target = root / norm
    folder = target.parent
    if folder not in folders:
        if not folder.resolve().is_relative_to(root.resolve()):
            raise OutputError(msg("output.outside", rel=rel))
        folder.mkdir(parents=True, exist_ok=True)
        folders.add(folder)
    if target.is_symlink():
        raise OutputError(msg("output.outside", rel=rel))
    return target

"""The only code that writes the site: everything is written into a temporary folder beside OUTPUT,
then swapped in with two renames, so a build that fails at any point leaves the previous OUTPUT byte
for byte, and a reader never sees half a site.

OUTPUT is emptied on every build, so the writer refuses a folder it did not make (no `.strategy-site`
marker) unless it is empty: `strategy build -o ~` must never delete a home folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

MARKER = ".strategy-site"


class OutputError(Exception):
    """OUTPUT cannot be used; the message says why and what to do."""


def check_output(output: Path, plan_dir: Path | None) -> None:
    """Refuse an OUTPUT that would destroy something: the plan itself, a folder holding it, or a
    non-empty folder that no build made."""
    out = output.resolve()
    if plan_dir is not None:
        plan = plan_dir.resolve()
        if out == plan or plan.is_relative_to(out):
            raise OutputError(f"the output folder '{output}' holds the plan folder '{plan_dir}': "
                              "building there would delete the plan. Use -o output")
        if out.is_relative_to(plan):
            raise OutputError(f"the output folder '{output}' is inside the plan folder '{plan_dir}': "
                              "the plan would then contain its own site. Use -o output")
    if out.exists() and not out.is_dir():
        raise OutputError(f"'{output}' is a file, not a folder: give a folder for -o")
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise OutputError(f"'{output}' is not empty and was not written by strategy build, and a build "
                          "replaces the whole folder: choose another folder with -o, or empty this one first")


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
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already once swapped in (renamed to OUTPUT)


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
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site is read by a web server
    _swap(staging, output.resolve())
    return total


def _inside(root: Path, rel: str, folders: set[Path]) -> Path:
    """`root/rel`, its folder made, refusing any path that would land outside `root` (absolute, `..`, a
    symbolic link on the way). `folders` holds the folders already made and checked: a folder is resolved
    once, not each of its files (resolving is a system call per part of the path, for 6,000 pages)."""
    norm = os.path.normpath(rel)
    if os.path.isabs(norm) or norm == "." or norm == ".." or norm.startswith("../"):
        raise OutputError(f"refusing to write '{rel}' outside the output folder")
    target = root / norm
    folder = target.parent
    if folder not in folders:
        if not folder.resolve().is_relative_to(root.resolve()):
            raise OutputError(f"refusing to write '{rel}' outside the output folder")
        folder.mkdir(parents=True, exist_ok=True)
        folders.add(folder)
    if target.is_symlink():
        raise OutputError(f"refusing to write '{rel}' outside the output folder")
    return target


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` in place of `out` with renames on the same filesystem."""
    if not out.exists():
        os.replace(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.previous-", dir=out.parent))
    os.rmdir(retired)
    os.replace(out, retired)
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(retired, out)  # put the previous site back
        raise
    shutil.rmtree(retired, ignore_errors=True)

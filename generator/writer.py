"""The only code that writes the site: everything is written into a temporary folder beside OUTPUT,
then swapped in with two renames, so a build that fails at any point leaves the previous OUTPUT byte
for byte, and a reader never sees half a site.

OUTPUT is emptied on every build, so the writer refuses a folder it did not make (no `.strategy-site`
marker) unless it is empty: `strategy build -o ~` must never delete a home folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
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
    out = output.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    total = 0
    try:
        for rel, data in files.items():
            target = _inside(staging, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            total += len(data)
        for rel, source in (copies or {}).items():
            target = _inside(staging, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            total += target.stat().st_size
        (staging / MARKER).write_text("written by strategy build; this whole folder is replaced on each build\n",
                                      encoding="utf-8")
        if before_swap is not None:
            before_swap(staging)
            total = sum(f.stat().st_size for f in staging.rglob("*") if f.is_file() and f.name != MARKER)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site is read by a web server
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return total


def _inside(root: Path, rel: str) -> Path:
    """`root/rel`, refusing any path that would land outside `root` (absolute, `..`, drive letters)."""
    target = (root / rel).resolve()
    if not target.is_relative_to(root.resolve()) or target == root.resolve():
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

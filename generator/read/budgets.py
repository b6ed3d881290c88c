"""What a plan may cost before anything of it is parsed: the size of one file and the number of files.

Every path that reads plan files goes through these before parsing: the working tree (`DirectorySource`),
a git revision (`GitSource`, from the blob's size in the tree, before reading it), and the title of each old
tag that `--all-versions` lists (`versions.list_versions`, which asks git for the size first). A strategy
document never needs more; a hostile pull request (or an old tag) must not cost minutes and gigabytes.
"""

from __future__ import annotations

# a plan file larger than this is refused (`file-too-large`) rather than parsed
MAX_FILE_BYTES = 5 * 1024 * 1024
# a plan folder with more files than this is refused (`plan-too-large`) before any of them is read
MAX_PLAN_FILES = 20_000


def too_many_files(count: int) -> tuple[str, str] | None:
    """(message, hint) when a plan folder holds more files than a plan can, else None."""
    if count <= MAX_PLAN_FILES:
        return None
    return (f"the plan folder holds {count:,} files, over the {MAX_PLAN_FILES:,} a plan may hold; none is read",
            "keep generated or bulky files outside the plan folder (assets are for a site's images)")

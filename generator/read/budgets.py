"""What a plan may cost before anything of it is parsed: the size of one file and the number of files.

Every path that reads plan files goes through these before parsing: the working tree (`DirectorySource`),
a git revision (`GitSource`, from the blob's size in the tree, before reading it), and the title of each old
tag that `--all-versions` lists (`versions.list_versions`, which asks git for the size first). A strategy
document never needs more; a hostile pull request (or an old tag) must not cost minutes and gigabytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from ..plan.messages import Fixed, Msg, msg

WORKBOOKS = (".xlsx", ".xlsm")
DATA_SUFFIXES = (".csv", ".tsv", ".txt", *WORKBOOKS)  # what data/ may hold (kpi_data reads them)

# a plan file (YAML, Markdown) larger than this is refused (`file-too-large`) rather than parsed
MAX_FILE_BYTES = 5 * 1024 * 1024
# a KPI's data (CSV, workbook: known by its suffix), and what `strategy refresh` writes, may be larger: an
# export of 300,000 daily rows is 5.7 MB with one column of decimals, 15 MB with five. Measured on the 2-core
# build machine (2026-12): 300,000 rows × 1 column checked in 6 s with 290 MB at most, × 11 columns (30 MB)
# in 13 s with 740 MB; memory grows ~25 bytes a byte of CSV, so 32 MB keeps one hostile file under ~1 GB.
MAX_DATA_FILE_BYTES = 32 * 1024 * 1024
# a plan folder with more files than this is refused (`plan-too-large`) before any of them is read
MAX_PLAN_FILES = 20_000


def max_file_bytes(path: str) -> int:
    """The most bytes the plan file `path` may hold: a data file's budget or a text file's."""
    return MAX_DATA_FILE_BYTES if path.lower().endswith(DATA_SUFFIXES) else MAX_FILE_BYTES


def too_large(path: str, size: int) -> tuple[Msg, Msg]:
    """(message, hint) for the file `path` of `size` bytes, over its budget."""
    megabytes = Fixed(size / 1_048_576)
    if max_file_bytes(path) == MAX_DATA_FILE_BYTES:
        most = MAX_DATA_FILE_BYTES // 1_048_576
        return msg("file-too-large.data", size=megabytes, most=most), msg("hint.file-too-large.data")
    return (msg("file-too-large", size=megabytes, most=MAX_FILE_BYTES // 1_048_576),
            msg("hint.file-too-large"))


def too_many_files(count: int) -> tuple[Msg, Msg] | None:
    """(message, hint) when a plan folder holds more files than a plan can, else None."""
    if count <= MAX_PLAN_FILES:
        return None
    return msg("plan-too-large", count=count, max=MAX_PLAN_FILES), msg("hint.plan-too-large")

# what one page may hold: a chart draws at most this many measurements of a KPI (its table lists the same
# ones), and a rendered page heavier than MAX_PAGE_BYTES fails the build, naming the page
MAX_CHART_POINTS = 400
MAX_PAGE_BYTES = 16 * 1024 * 1024

T = TypeVar("T")


def thinned(points: Sequence[T], limit: int | None = None) -> list[T]:
    """At most `limit` (MAX_CHART_POINTS) of `points`, evenly spaced, the first and the last always kept: a
    chart a few hundred pixels wide shows no more, and 60,000 daily rows shared by 4 KPIs made a 45 MB page."""
    limit = MAX_CHART_POINTS if limit is None else limit
    count = len(points)
    if count <= limit:
        return list(points)
    step = (count - 1) / (limit - 1)
    return [points[round(i * step)] for i in range(limit)]


class PageTooHeavy(Exception):
    """A rendered page over MAX_PAGE_BYTES; the message names it and says what to do."""


def check_page_weight(path: str, size: int) -> None:
    """Raises PageTooHeavy for a page over MAX_PAGE_BYTES."""
    if size <= MAX_PAGE_BYTES:
        return
    raise PageTooHeavy(msg("budget.page-too-heavy", path=path, size=Fixed(size / 1_048_576),
                           most=str(MAX_PAGE_BYTES // 1_048_576)))

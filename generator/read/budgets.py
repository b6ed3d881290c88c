"""What a plan may cost before anything of it is parsed: the size of one file and the number of files.

Every path that reads plan files goes through these before parsing: the working tree (`DirectorySource`),
a git revision (`GitSource`, from the blob's size in the tree, before reading it), and the title of each old
tag that `--all-versions` lists (`versions.list_versions`, which asks git for the size first). A strategy
document never needs more; a hostile pull request (or an old tag) must not cost minutes and gigabytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from ..plan.messages import Msg, msg

# a plan file larger than this is refused (`file-too-large`) rather than parsed
MAX_FILE_BYTES = 5 * 1024 * 1024
# a plan folder with more files than this is refused (`plan-too-large`) before any of them is read
MAX_PLAN_FILES = 20_000


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
    raise PageTooHeavy(msg("budget.page-too-heavy", path=path, size=f"{size / 1_048_576:.1f}",
                           most=str(MAX_PAGE_BYTES // 1_048_576)))

"""What `build --all-versions` reports: each tag's outcome, the progress events, the whole build's result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ..build import BuildResult
from ..plan.messages import Msg
from ..read.gitsource import GitError
from ..read.tags import Version


@dataclass
class VersionOutcome:
    """What became of one tag."""

    version: Version
    status: str  # built | reused (an identical plan was already checked) | cached (kept by an earlier build) | skipped
    today: dt.date  # the date its KPIs were evaluated at
    pages: int = 0
    seconds: float = 0.0
    note: str | Msg | None = None  # why it was skipped (in words), or which version it reused (its name)


@dataclass
class ProgressEvent:
    index: int  # 1-based
    total: int
    outcome: VersionOutcome


Progress = Callable[[ProgressEvent], None]
Made = tuple[int, int, list[str]]  # what building a version made: its pages, its charts, its pages' paths


@dataclass
class AllVersionsResult(BuildResult):
    outcomes: list[VersionOutcome] = field(default_factory=list)
    warnings: list[Msg] = field(default_factory=list)  # the tags left out, and why
    git_error: GitError | None = None
    charts_made: int = 0
    charts_reused: int = 0
    pages_rendered: int = 0  # pages of all versions rendered, the others being taken from the memo
    pages_reused: int = 0
    # what versions kept by an earlier build brought, read back whole: with the above, these add up to
    # `pages` and `charts`
    pages_kept: int = 0
    charts_kept: int = 0

    @property
    def built(self) -> list[VersionOutcome]:
        return [o for o in self.outcomes if o.status != "skipped"]

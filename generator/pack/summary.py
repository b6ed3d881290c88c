"""How much of the plan the board pack's one-page summary keeps. A plan of any size gets a summary on one A4
page: render.py lays the cover and the summary out alone with the first step of LIMITS, and while the summary
runs onto a second page it tries the next step, each keeping fewer rows; then the objectives table takes the room
left on the page, the weakest objectives first as on the dashboard, before the whole pack is laid out once; what
is left off is said ("… and 4 more objectives")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

Row = TypeVar("Row")


@dataclass(frozen=True)
class Limits:
    """The most rows of each part of the summary."""

    objectives: int  # rows of the objectives table
    funnels: int  # funnels with their stage table
    diagnosis: int  # diagnosis sentences under each funnel
    actions: int  # late or due-soon actions
    changes: int  # lines of what changed since the last tag


# From "everything a plan usually has" to what fits one page whatever the plan's size.
LIMITS = (
    Limits(objectives=12, funnels=3, diagnosis=3, actions=8, changes=6),
    Limits(objectives=10, funnels=2, diagnosis=2, actions=6, changes=4),
    Limits(objectives=8, funnels=2, diagnosis=1, actions=5, changes=3),
    Limits(objectives=6, funnels=1, diagnosis=1, actions=4, changes=2),
    Limits(objectives=5, funnels=1, diagnosis=0, actions=3, changes=0),
)


def first(rows: Sequence[Row], limit: int) -> tuple[list[Row], int]:
    """The first `limit` rows and how many are left off."""
    return list(rows[:limit]), max(0, len(rows) - limit)


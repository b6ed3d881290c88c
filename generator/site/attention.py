"""What the dashboard shows of a plan of any size: the items that need attention, a bounded number of them,
the full lists being pages of their own (objectives/index.html, actions.html, freshness.html).

A 250-objective plan would otherwise write every objective, action and KPI onto one page (1.4 MB, 157 phone
screens); the dashboard's job is to say where the plan stands and what to look at first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from ..plan.collation import reading_order
from ..plan.compute import STATUS_ORDER, ObjectiveState

# how many of each list the dashboard shows; the rest is one link away
OBJECTIVES_SHOWN = 12
ACTIONS_SHOWN = 10
FRESHNESS_SHOWN = 10

TROUBLE = frozenset({"off-track", "at-risk", "no-data"})  # statuses a reader should look at


class _Dated(Protocol):
    stale: bool


T = TypeVar("T")
D = TypeVar("D", bound=_Dated)


@dataclass(frozen=True)
class Shown(Generic[T]):
    """The first items of a list as the dashboard shows them, and how many there are in all."""

    items: list[T]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def worst_first(objectives: list[ObjectiveState], period_end: dt.date) -> list[ObjectiveState]:
    """Objectives weakest status first (off track, at risk, no data, on track, achieved), then the furthest
    behind their expected progress, then the soonest due, then by title as a reader counts ("Objective 13"
    before "Objective 111") and reads ("Énergie" among the E): the order a reader would go through them."""
    return sorted(objectives, key=lambda o: (STATUS_ORDER.index(o.status), -o.behind,
                                             o.objective.due or period_end, reading_order(o.objective.title)))


def objectives_shown(objectives: list[ObjectiveState], period_end: dt.date) -> Shown[ObjectiveState]:
    ordered = worst_first(objectives, period_end)
    return Shown(ordered[:OBJECTIVES_SHOWN], len(ordered))


def first(items: list[T], count: int) -> Shown[T]:
    return Shown(items[:count], len(items))


def stale_first(rows: list[D]) -> list[D]:
    """Freshness rows that need an update (stale or without data), in their order: the dashboard's part."""
    return [r for r in rows if r.stale]

"""What `compute_plan` made of each objective and funnel, kept between the checks of `strategy serve`, so that a
one-file edit computes again only what that file changed.

An objective's states (its own and its KPIs') are taken from the previous check when everything its
computation reads is the same: the objective as loaded (its KPIs, targets and milestones included, and where it
was written, since a state holds it), the very same measurements of each KPI (the
loader hands every check the same immutable Series while its file is unchanged), the plan's period, the
at-risk rule, the day, and its children. A funnel's state likewise, by the funnel, its stages' volumes and the
settings it is read against. Anything else computes afresh: a reused state is always the one a fresh
computation would make.

The objective as loaded is known by its file (`origin`): the loader makes an entity from its file's path and bytes
alone (read/loader.py's `_memo` holds it to that, and nothing changes an entity once loaded), so `strategy serve`
names it by the file as shown and the git blob id of its bytes, which its source knows without digesting them
again. Without an origin, an entity is known by its pickle (equal pickles: equal values), which costs about as
much as computing its states.

The states handed back are the very objects of the previous check: no one changes a computed state (pages only
read them), so the render memo can keep their digests between rebuilds too (cache/render_memo.py).
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from .model import Funnel, Objective, Plan, Series

State = TypeVar("State")  # compute.py's ObjectiveState or FunnelState (not imported: compute.py imports this)


def _pickled(entity: Any) -> bytes | None:
    """The entity's pickle (equal pickles: equal values), or None when it does not pickle (never reused)."""
    try:
        return pickle.dumps(entity, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError, ValueError):
        return None


Origin = Callable[[Any], Hashable | None]  # what an entity is made from (its file's name and content), or None


class ComputedMemo:
    """The objective and funnel states of the latest check, each with what it was computed from."""

    def __init__(self, origin: Origin | None = None) -> None:
        self._origin = origin
        self._objectives: dict[str, tuple[Hashable, tuple[Series | None, ...], Any]] = {}
        self._funnels: dict[str, tuple[Hashable, Any]] = {}
        self._next_objectives: dict[str, tuple[Hashable, tuple[Series | None, ...], Any]] = {}
        self._next_funnels: dict[str, tuple[Hashable, Any]] = {}
        self.reused = 0  # objectives and funnels taken from the previous check, in the latest one
        self.computed = 0

    def start(self) -> None:
        """A new check: what it does not compute again is dropped at `finish`."""
        self._next_objectives, self._next_funnels = {}, {}
        self.reused = self.computed = 0

    def _known_as(self, entity: Any) -> Hashable | None:
        """What tells this entity from any other value: its origin, else its pickle; None: never reused."""
        origin = self._origin(entity) if self._origin is not None else None
        return ("made from", origin) if origin is not None else _pickled(entity)

    def finish(self) -> None:
        self._objectives, self._funnels = self._next_objectives, self._next_funnels
        self._next_objectives, self._next_funnels = {}, {}

    def objective(self, obj: Objective, plan: Plan, today: dt.date, children: list[str],
                  compute: Callable[[], State]) -> State:
        """`compute()`, or the state the previous check computed from the same inputs."""
        settings = plan.settings
        series = tuple(plan.series.get(kpi.id) for kpi in obj.kpis)
        pickled = self._known_as(obj)
        # a Series made with a list of points may change in place: never reused
        frozen = all(s is None or type(s.points) is tuple for s in series)
        key = (pickled, today, settings.period_start, settings.period_end, settings.rules.at_risk, tuple(children))
        kept = self._objectives.get(obj.id)
        if (pickled is not None and frozen and kept is not None and kept[0] == key
                and all(a is b for a, b in zip(kept[1], series, strict=True))):
            self.reused += 1
            state = kept[2]
        else:
            self.computed += 1
            state = compute()
        if pickled is not None and frozen:
            self._next_objectives[obj.id] = (key, series, state)
        return state

    def funnel(self, funnel: Funnel, inputs: tuple[Any, ...],
               compute: Callable[[], State]) -> State:
        """`compute()`, or the state the previous check computed from the same funnel and `inputs` (its stages'
        volumes and the settings and dates it is read against, all plain values)."""
        pickled = self._known_as(funnel)
        key = (pickled, inputs)
        kept = self._funnels.get(funnel.id)
        if pickled is not None and kept is not None and kept[0] == key:
            self.reused += 1
            state = kept[1]
        else:
            self.computed += 1
            state = compute()
        if pickled is not None:
            self._next_funnels[funnel.id] = (key, state)
        return state

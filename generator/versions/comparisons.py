"""The comparison behind each changes page (each pair of consecutive versions, and the newest tag with the
working tree), made while the versions are checked, newest first: a version's checked plan is needed only until
its older neighbour is checked, so no more than two are held whatever the number of versions (a checked plan
of 250 objectives is ~13 MB; 21 of them were most of the build's peak memory). A version is checked again
when it is built (versions/revisions.py, `CheckedVersion.release`).

On a multi-core machine each comparison is made by a forked copy of this process while this one checks the
next version (the copy holds the two plans it compares, this process lets them go)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..pipeline import Checked
from .fork import OtherProcess
from .revisions import CheckedVersion

if TYPE_CHECKING:
    from ..cache.archived_versions import VersionCache

View = dict[str, Any]  # what a changes page shows of a pair (diff/format.py's diff_view)
PairName = tuple[str, str | None]  # (older tag, newer tag or None for the working tree)

PAIR_WEIGHT = 20  # a pair of versions to compare, in pages to render (parallel.MIN_PAGES_PER_WORKER)


def compare(before: Any, after: Any, old: str, new_label: str) -> View:
    """The changes-page view of two computed plans, `new_label` naming the newer one (its tag, or the words
    for the current version)."""
    from ..diff.compare import diff_states
    from ..diff.format import diff_view

    return diff_view(diff_states(before, after, old, new_label))


class Comparisons:
    """Pairs compared as the versions are `add`ed, newest first; `views` holds each pair's view once the
    block is left. A comparison of two versions kept by an earlier build was kept with them (no check)."""

    def __init__(self, current: Checked, current_label: str, cache: VersionCache | None, pairs: int) -> None:
        from ..parallel import workers

        self.views: dict[PairName, View] = {}
        self._current = current
        self._label = current_label
        self._cache = cache
        self._jobs = workers(PAIR_WEIGHT * pairs)  # forked copies comparing at once, while this process checks
        self._newest: CheckedVersion | None = None  # the first version added: built first, its plan kept
        self._newer: CheckedVersion | None = None  # the last version added: the newer side of the next pair
        self._running: list[tuple[PairName, str | None, CheckedVersion, CheckedVersion | None, OtherProcess]] = []

    def __enter__(self) -> Comparisons:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        try:
            while kind is None and self._running:
                self._collect()
            if self._newer is not None and self._newer is not self._newest:
                self._newer.release()
        finally:
            for *_, other in self._running:  # left early (an error here): the copies' work is not wanted
                other.__exit__(None, None, None)

    def add(self, g: CheckedVersion) -> None:
        """Compare `g`, older than every version added before, with the last one added (the first with the
        working tree); the newer one's checked plan is let go then, but the newest's (built first)."""
        newer, self._newer = self._newer, g
        self._newest = self._newest or g
        self._compare(g, newer)
        if newer is not None and (newer is not self._newest or newer.kept is not None):
            newer.release()

    def _compare(self, older: CheckedVersion, newer: CheckedVersion | None) -> None:
        name: PairName = (older.version.version, None if newer is None else newer.version.version)
        key = None
        if self._cache is not None and newer is not None and older.key is not None and newer.key is not None:
            key = self._cache.pair_key(older.key, newer.key, older.version.version, newer.version.version)
            view = self._cache.load_view(key)
            if view is not None:
                self.views[name] = view
                return
        if self._jobs < 2:
            self._keep(name, key, compare(*self._sides(older, newer)))
            return
        while len(self._running) >= self._jobs:  # (this process mostly waits on git meanwhile)
            self._collect()
        sides = self._sides(older, newer)
        other = OtherProcess(lambda: compare(*sides)).__enter__()
        self._running.append((name, key, older, newer, other))

    def _sides(self, older: CheckedVersion, newer: CheckedVersion | None) -> tuple[Any, Any, str, str]:
        """What `compare` takes: both computed plans (checked again if let go), the older one's tag and the
        newer one's label."""
        after = self._current.state if newer is None else newer.plan_checked().state
        label = self._label if newer is None else newer.version.version
        return older.plan_checked().state, after, older.version.version, label

    def _collect(self) -> None:
        """The oldest running comparison's view; compared here if the copy failed (where an error is raised
        as the user must see it)."""
        name, key, older, newer, other = self._running.pop(0)
        try:
            view = other.result()
        finally:
            other.__exit__(None, None, None)
        if view is None:
            view = compare(*self._sides(older, newer))
        self._keep(name, key, view)

    def _keep(self, name: PairName, key: str | None, view: View) -> None:
        self.views[name] = view
        if key is not None and self._cache is not None:
            self._cache.store_view(key, view)

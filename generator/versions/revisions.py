"""Each published version read from its own git revision and checked, as of its tag date: a version kept by an
earlier build is checked only when something needs its plan; a plan byte-identical to one already checked
that day is not checked again; files are read once by object id across versions."""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..pipeline import Checked, check
from ..plan.messages import Msg, msg
from ..read.gitsource import GitError, GitSource, Repository
from ..read.tags import Version, list_versions
from .links import MAX_TAG_LENGTH, SAFE_TAG
from .outcome import AllVersionsResult, VersionOutcome

if TYPE_CHECKING:
    from ..cache.archived_versions import VersionCache
    from ..plan.compute import PlanState


class SharedBlobs(GitSource):
    """A revision whose files are read once by object id across all versions: most files of consecutive
    versions are the same blob."""

    def __init__(self, repository: Repository, revision: str, plan_path: str, *, shown_plan: str,
                 blobs: dict[str, bytes]) -> None:
        super().__init__(repository, revision, plan_path, shown_plan=shown_plan)
        self._shared = blobs

    def read_bytes(self, path: str) -> bytes:
        try:
            object_id = self.object_id(path)
        except KeyError:
            return super().read_bytes(path)  # raises as a missing file should
        data = self._shared.get(object_id)
        if data is None:
            data = self._shared[object_id] = super().read_bytes(path)
        return data


@dataclass
class CheckedVersion:
    version: Version
    checked: Checked | None  # None for a version kept by an earlier build, until something needs its plan
    today: dt.date
    outcome: VersionOutcome
    opened: GitSource | Callable[[], GitSource]  # the revision's files, or what opens them when first needed
    key: str | None = None  # its entry in the version cache (None: no cache)
    kept: dict[str, Any] | None = None  # that entry's meta, when an earlier build kept the version
    reuses: CheckedVersion | None = None  # the version whose check it shares (the same plan, the same day)
    _targets: list[list[Any]] | None = None  # `targets()`, noted when the checked plan is let go

    @property
    def source(self) -> GitSource:
        """Its git reader, stopped after the check, which starts again if assets are read."""
        if not isinstance(self.opened, GitSource):
            self.opened = self.opened()
        return self.opened

    def plan_checked(self, *, keep: bool = True) -> Checked:
        """The version's checked plan, checked now if its files were kept by an earlier build or it was let go.
        Without `keep`, a plan checked now is handed over without this version holding it: a version that
        shares it (`reuses`) asks so, since this one may be built and released already."""
        if self.checked is not None:
            return self.checked
        if self.reuses is not None:
            checked = self.reuses.plan_checked(keep=False)
        else:
            checked = check(self.source, self.today)
            self.source.close()
            if checked.state is None or checked.plan is None:  # kept, so it had no error then
                raise RuntimeError(f"the version `{self.version.version}` no longer checks as it did")
        if keep:
            self.checked = checked
        return checked

    def release(self) -> None:
        """Let go of the checked plan (~13 MB for 250 objectives) until something needs it again: it is then
        checked anew from the same files (0.1-0.3 s from the parse cache), the same plan. The history page's
        targets are noted first."""
        if self.checked is not None and self.checked.state is not None and self.kept is None:
            self._targets = targets_of(self.checked.state)
        self.checked = None

    def targets(self) -> list[list[Any]]:
        """[KPI id, title, target, unit] of each KPI: what the history page's charts show of the version."""
        if self.checked is None and self.kept is not None:
            return self.kept["targets"]
        if self.checked is None and self._targets is not None:
            return self._targets
        state = self.plan_checked().state
        assert state is not None
        return targets_of(state)


def published_versions(plan_dir: Path, pattern: str, warnings: list[Msg]) -> tuple[Repository, str, list[Version]]:
    repository = Repository.find(plan_dir)
    if repository.is_shallow:
        raise GitError("shallow-clone", msg("git.shallow-versions"), msg("git.shallow.hint"))
    listing = list_versions(plan_dir, pattern)
    warnings.extend(listing.warnings)
    versions = []
    for v in listing.versions:
        if SAFE_TAG.fullmatch(v.version) and len(v.version) <= MAX_TAG_LENGTH:
            versions.append(v)
        elif SAFE_TAG.fullmatch(v.version):
            warnings.append(msg("versions.tag-too-long", name=v.version[:40], length=len(v.version),
                                most=MAX_TAG_LENGTH))
        else:
            warnings.append(msg("versions.tag-unsafe", name=v.version))
    return repository, repository.plan_path(plan_dir), versions


def open_version(repository: Repository, v: Version, plan_path: str, shown: str, blobs: dict[str, bytes]) -> GitSource:
    """The plan at tag `v`, named by its tag in diagnostics (`v1:content/…`); by its commit should a branch
    of the same name hide the tag."""
    src = SharedBlobs(repository, v.version, plan_path, shown_plan=shown, blobs=blobs)
    if src.commit == v.commit:
        return src
    src.close()
    return SharedBlobs(repository, v.commit, plan_path, shown_plan=shown, blobs=blobs)


def check_versions(repository: Repository, plan_path: str, shown: str, versions: list[Version], today: dt.date,
                    result: AllVersionsResult, cache: VersionCache | None = None,
                    on_good: Callable[[CheckedVersion], None] | None = None) -> list[CheckedVersion]:
    """Check each version from its own revision (a plan already checked at the same date is reused), unless
    an earlier build kept its files in `cache`: then it is checked only if a changes page needs its plan.
    `on_good(g)` is called with each good version as soon as it is known, newest first (comparisons.py)."""
    done: dict[tuple[str, dt.date], CheckedVersion] = {}
    blobs: dict[str, bytes] = {}
    out: list[CheckedVersion] = []
    # the plan folder's tree in each version names all it holds: a version's entry is found without reading it
    trees = repository.trees([v.commit for v in versions], plan_path) if cache is not None else [None] * len(versions)
    for v, tree in zip(versions, trees, strict=True):
        began = time.perf_counter()
        when = min(v.date, today)
        outcome = VersionOutcome(version=v, status="built", today=when)
        result.outcomes.append(outcome)
        entry = cache.version_key(v.version, plan_path, tree, when) if cache is not None and tree is not None else None
        kept = cache.meta(entry) if cache is not None and entry is not None else None
        if kept is not None:
            outcome.status = "cached"
            opener = functools.partial(open_version, repository, v, plan_path, shown, blobs)
            out.append(CheckedVersion(v, None, when, outcome, opener, entry, kept))
            if on_good is not None:
                on_good(out[-1])
            continue
        same = None  # the version already checked with the same plan and day
        try:
            src = open_version(repository, v, plan_path, shown, blobs)
            try:
                key = (src.fingerprint(), when)
                same = done.get(key)
                if same is not None:
                    outcome.status, outcome.note = "reused", same.version.version  # the version whose check it reuses
                    vchecked = same.plan_checked(keep=False)
                else:
                    vchecked = check(src, when)
            finally:
                src.close()
        except GitError as exc:
            outcome.status, outcome.note = "skipped", exc.said
            result.warnings.append(msg("versions.unreadable", name=v.version, reason=exc.said))
            continue
        errors = vchecked.diagnostics.errors
        if errors or vchecked.state is None:
            first = errors[0] if errors else None
            where = msg("versions.first-error", place=f"{first.file}:{first.line}:{first.column}",
                        what=first.said[0] if first.said else first.message) if first is not None else msg("nothing")
            outcome.status = "skipped"
            outcome.note = msg("versions.errors", count=len(errors))
            result.warnings.append(msg("versions.with-errors", name=v.version, count=len(errors), first=where))
            continue
        outcome.seconds = time.perf_counter() - began
        out.append(CheckedVersion(v, vchecked, when, outcome, src, entry, reuses=same))
        done.setdefault(key, out[-1])
        if on_good is not None:
            on_good(out[-1])
    return out


def targets_of(state: PlanState) -> list[list[Any]]:
    """[KPI id, title, target, unit] of each KPI of a computed plan, in its order (kept with a version)."""
    return [[k.kpi.id, k.kpi.title, k.kpi.target, k.kpi.unit] for k in state.kpis.values()]

"""The published versions of a plan: git tags matching `versions.tags`, newest first (SPEC §5).

For each tag: its commit, its date (the tag's own date for an annotated tag, else its commit's)
and the plan's title at that revision, read with a single `git cat-file --batch` process.
A tag whose revision has no plan folder is skipped with a warning.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..plan.collation import numbered
from ..plan.messages import Msg, msg
from .budgets import MAX_FILE_BYTES
from .gitsource import CatFile, GitError, Repository, run_git
from .source import FileTooLarge
from .yamlpos import parse_yaml


@dataclass(frozen=True)
class Version:
    version: str  # the tag name
    commit: str
    date: dt.date
    title: str
    moment: dt.datetime  # full timestamp, for ordering versions made on the same day

    def to_json(self) -> dict[str, Any]:
        """One entry of versions.json."""
        return {"version": self.version, "title": self.title, "date": self.date.isoformat(), "commit": self.commit}


@dataclass
class VersionList:
    versions: list[Version]
    warnings: list[Msg]  # the tags left out, and why


def list_versions(plan: Path, pattern: str = "v*") -> VersionList:
    """The tags matching `pattern` (a glob) whose revision holds the plan folder, newest first."""
    repository = Repository.find(plan)
    plan_path = repository.plan_path(plan)
    warnings: list[Msg] = []
    fields = "%(refname:short)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)" \
             "%00%(creatordate:iso-strict)"
    out = run_git(repository.root, "for-each-ref", f"--format={fields}", "refs/tags").stdout.decode("utf-8", "replace")
    found: list[tuple[str, str, dt.datetime]] = []
    for line in out.splitlines():
        parts = line.split("\x00")
        if len(parts) != 6:
            continue
        name, kind, object_id, peeled_kind, peeled_id, created = parts
        if not fnmatch.fnmatchcase(name, pattern):
            continue
        commit = peeled_id if kind == "tag" else object_id
        if (peeled_kind if kind == "tag" else kind) != "commit":
            warnings.append(msg("versions.not-a-commit", name=name))
            continue
        try:
            moment = dt.datetime.fromisoformat(created)
        except ValueError:
            moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        found.append((name, commit, moment))
    if repository.is_shallow:
        warnings.append(msg("versions.shallow"))

    shown_plan = Path(plan).as_posix()
    prefix = f"{plan_path}/" if plan_path else ""
    versions: list[Version] = []
    cat = CatFile(repository.root)
    try:
        for name, commit, moment in found:
            try:  # the size is known before the content is read: a huge old strategy.yaml is never parsed
                settings = cat.read(f"{commit}:{prefix}strategy.yaml", limit=MAX_FILE_BYTES)
            except FileTooLarge:
                settings = b""  # no title: the version's own check says why
            if settings is None:
                lacks = "no-plan-folder" if plan_path and cat.read(f"{commit}:{plan_path}") is None else "no-settings"
                warnings.append(msg(f"versions.{lacks}", name=name, plan=shown_plan))
                continue
            versions.append(Version(name, commit, moment.date(), _title(settings) or name, moment))
    finally:
        cat.close()
    versions.sort(key=lambda v: (v.moment.astimezone(dt.UTC), numbered(v.version)), reverse=True)
    return VersionList(versions, warnings)


def _title(settings: bytes) -> str | None:
    """The `title` of a strategy.yaml, or None when it cannot be read (the build says why)."""
    try:  # the plan's own YAML reader: no anchors or aliases, bounded depth and size
        doc = parse_yaml(settings.decode("utf-8-sig"))
    except (UnicodeDecodeError, RecursionError):
        return None
    data = None if doc.problems else doc.data
    title = data.get("title") if isinstance(data, dict) else None
    return title.strip() if isinstance(title, str) and title.strip() else None


__all__ = ["GitError", "Version", "VersionList", "list_versions"]

"""`strategy build --all-versions`: the working tree at the root of OUTPUT, every published version (git tags
matching `versions.tags`) at `v/TAG/` built from its own revision, `versions.json`, `versions.js` (what the
version switcher shows, versions/switcher.py), one `changes/OLD..NEW.html` per pair of consecutive versions and a
`history.html` page (SPEC §5).

Each version's files are written as soon as that version is built (the current version into the writer's
staging folder, the tagged ones into a folder beside it, moved in at the end), never held for the others: 20
versions of a big plan are ~400 MB of files. Nothing reaches OUTPUT before the one swap of writer.swap_in, so
a failure at any point (a late version, the search index) leaves the previous OUTPUT as it was.

Decisions:
- An old version is evaluated as of its tag date (capped by `--today`), not as of today: KPI statuses,
  "late" actions and data freshness then read as they did when the version was published. Evaluated today,
  a version's data would look stale and its actions late, numbers it never showed. The tag date comes from
  git, so the output stays byte-identical for the same sources and the same `--today`.
- Strict mode applies to the working tree only. An old version with errors is skipped with a warning: it was
  published once, and today's publication must not depend on fixing history.
- Archived versions never change: a tagged version's pages name only that version (its tag in the banner, the
  switcher's title and the footer); the list of versions, each version's pages and today's date are in one
  script at the root (versions.js, versions/switcher.py) from which each page draws its switcher at run time.
  Adding a tag rewrites nothing under v/.
- Speed, across builds: a tagged version's files are kept on disk (cache/archived_versions), named by its plan's
  tree, its evaluation day, the templates and this code; the next build (the next merge, the next tag) writes
  them out as they are, by a forked copy from the start, without checking or rendering that version (it is
  checked only if a changes page must compare it anew). The comparisons behind the changes pages are kept the
  same way. With versions a month apart nothing else is shared, so this is what makes 20 versions cost little
  more than one build once they were built once.
- Speed, within a build: all versions are one build of one `RenderMemo` (render_memo.py): a chart is drawn
  once for what it draws, whichever versions show it, and a page rendered once for its context (used only
  for versions evaluated on the same day as another one: KPI states depend on the day). A version whose
  plan is byte-identical to one already checked (same fingerprint, same evaluation date) is not checked
  again. Files read from git are read once by object id across versions. The theme's
  static files are written once, at the root (`static_root="../../"`), and the search
  index is made from the current version's pages only (archived ones are not indexed anyway).
  With four versions or more on a multi-core machine, a forked copy of the build makes the older half of the
  versions while this process makes the newer half (each writes its own versions' files), and the changes
  pages are compared and rendered on every core. pagefind indexes the current version meanwhile. What
  remains (bench/versions_bench.py, 20 tags): checking each revision, rendering the pages whose content
  differs (with tags a month apart, every KPI page), and writing every version's files.
- Memory: the memo keeps what the last version built used (RenderMemo.forget_older), which is what its
  neighbour in history may show again. The checked plans of all versions are kept (the changes pages compare
  them): ~8 MB each for 250 objectives, most of the ~370 MB peak of 20 such versions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import json
import pickle
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..build import BuildResult, SiteFiles, failure_message, failure_place, site_files
from ..cache.render_memo import RenderMemo
from ..pipeline import Checked, check
from ..read.gitsource import GitError, GitSource, Repository
from ..read.source import DirectorySource
from ..read.tags import Version, list_versions
from ..site.writer import copy_files, write_files
from .switcher import VERSIONS_SCRIPT, SwitcherEntry, versions_script

if TYPE_CHECKING:
    from ..cache.archived_versions import VersionCache
    from ..plan.compute import PlanState
    from ..site.search import Indexing

VERSIONS_DIR = "v"
FROM_VERSION_TO_ROOT = "../../"  # from OUTPUT/v/TAG/ back to OUTPUT/
HISTORY_PATH = "history.html"
ARCHIVED = f"{VERSIONS_DIR}/"  # where the tagged versions' files are, in the site
PAIR_WEIGHT = 20  # a pair of versions to compare, in pages to render (parallel.MIN_PAGES_PER_WORKER)
# a tag becomes a folder name and part of a file name (changes/OLD..NEW.html): keep it plain
SAFE_TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
MAX_TAG_LENGTH = 200  # a folder name has at most 255 bytes


@dataclass
class VersionOutcome:
    """What became of one tag."""

    version: Version
    status: str  # built | reused (an identical plan was already checked) | cached (kept by an earlier build) | skipped
    today: dt.date  # the date its KPIs were evaluated at
    pages: int = 0
    seconds: float = 0.0
    note: str | None = None  # why it was skipped, or which version it reused


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
    warnings: list[str] = field(default_factory=list)
    git_error: GitError | None = None
    charts_made: int = 0
    charts_reused: int = 0
    pages_rendered: int = 0  # pages of all versions rendered, the others being taken from the memo
    pages_reused: int = 0

    @property
    def built(self) -> list[VersionOutcome]:
        return [o for o in self.outcomes if o.status != "skipped"]


class _SharedBlobs(GitSource):
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


# --- links between versions ----------------------------------------------------------------------


def version_root(tag: str | None) -> str:
    """A version's folder from the site root ('' for the current version, at the root)."""
    return "" if tag is None else f"{VERSIONS_DIR}/{tag}/"


CURRENT = "current"  # the working tree in the name of its changes page: changes/NEWEST_TAG..current.html


def changes_path(old: str, new: str) -> str:
    """As diff/format.py's full_diff_url names it (tags are SAFE_TAG, so nothing needs quoting; two long ones
    give a shortened name, see changes_page_name)."""
    from ..diff.format import changes_page_name

    return f"changes/{changes_page_name(old, new)}"


# --- the build -----------------------------------------------------------------------------------


@dataclass
class _Checked:
    version: Version
    checked: Checked | None  # None for a version kept by an earlier build, until something needs its plan
    today: dt.date
    outcome: VersionOutcome
    opened: GitSource | Callable[[], GitSource]  # the revision's files, or what opens them when first needed
    key: str | None = None  # its entry in the version cache (None: no cache)
    kept: dict[str, Any] | None = None  # that entry's meta, when an earlier build kept the version

    @property
    def source(self) -> GitSource:
        """Its git reader, stopped after the check, which starts again if assets are read."""
        if not isinstance(self.opened, GitSource):
            self.opened = self.opened()
        return self.opened

    def plan_checked(self) -> Checked:
        """The version's checked plan, checked now if its files were kept by an earlier build."""
        if self.checked is None:
            self.checked = check(self.source, self.today)
            self.source.close()
            if self.checked.state is None or self.checked.plan is None:  # kept, so it had no error then
                raise RuntimeError(f"the version `{self.version.version}` no longer checks as it did")
        return self.checked

    def targets(self) -> list[list[Any]]:
        """[KPI id, title, target, unit] of each KPI: what the history page's charts show of the version."""
        if self.checked is None and self.kept is not None:
            return self.kept["targets"]
        state = self.plan_checked().state
        assert state is not None
        return _targets(state)


def build_all_versions(plan_dir: Path, output: Path, today: dt.date, *, strict: bool = False,
                       progress: Progress | None = None, share: bool = True, pack: bool = False) -> AllVersionsResult:
    """Check the working tree (strictly with `strict`), then every tagged version, and write the whole site
    in one go. Never raises for a bad plan, repository or OUTPUT: the result says what went wrong.

    `share=False` renders every page of every version for itself (the same bytes, slower: for tests). `pack`
    adds the current version's board pack (pack/render.py)."""
    from ..site.writer import check_output, staged, swap_in, tidy_output

    started = time.perf_counter()
    at_start = tidy_output(output)  # as build.build: a killed build's half swap is put back first
    source = DirectorySource(plan_dir)
    checked = check(source, today)
    result = AllVersionsResult(checked=checked, ok=False, output_at_start=at_start)
    failed = bool(checked.diagnostics.errors) or (strict and bool(checked.diagnostics.warnings))
    if failed or checked.state is None or checked.plan is None:
        result.message = "the plan has errors" if checked.diagnostics.errors else "warnings fail a --strict build"
        return result
    memo = RenderMemo() if share else None
    try:
        check_output(output, plan_dir)
        with staged(output) as staging, _Site(staging) as site:
            with memo.build() if memo is not None else contextlib.nullcontext():
                counts = _gather(plan_dir, checked, source, today, result, progress, memo, site, pack=pack)
            result.bytes_written = swap_in(staging, output, site.bytes, before_swap=site.finish)
        if memo is not None:
            result.charts_made, result.charts_reused = memo.charts_built, memo.charts_reused
            result.pages_rendered, result.pages_reused = memo.pages_rendered, memo.pages_reused
        else:
            result.charts_made, result.pages_rendered = counts.charts, counts.pages
    except GitError as exc:
        result.git_error = exc
        result.message = exc.message
        return result
    except Exception as exc:  # named, never a traceback
        result.message, result.where = failure_message(exc, output), failure_place(exc)
        return result
    result.ok = True
    result.pages, result.charts = counts.pages, counts.charts
    result.seconds = time.perf_counter() - started
    return result


class _Site:
    """The site as it is written, version by version, so that no version's files wait in memory for the
    others: the current version's files (and the history pages) go into the staging folder and pagefind
    indexes them meanwhile (`index`); each tagged version's files go into a folder aside, moved into the
    staging folder once the index is done (`finish`). Archived pages are left out of the index anyway (no
    `data-pagefind-body`, see base.html): pagefind would only read every one of them (20 versions: 95% of its
    time). Atomic as write_site is: nothing reaches OUTPUT before `swap_in`, and on a failure both folders
    are removed (the caller's `staged` removes the staging folder)."""

    def __init__(self, staging: Path) -> None:
        self.staging = staging
        self.aside = staging.parent / (staging.name + ".versions")
        self.bytes = 0
        self._indexing: Indexing | None = None

    def __enter__(self) -> _Site:
        self.aside.mkdir()
        return self

    def __exit__(self, *exc: object) -> None:
        import shutil

        if self._indexing is not None:
            self._indexing.stop()
        shutil.rmtree(self.aside, ignore_errors=True)

    def current(self, files: SiteFiles) -> None:
        self.bytes += write_files(self.staging, files.files) + copy_files(self.staging, files.copies)

    def index(self, pages: dict[str, bytes]) -> None:
        """Start indexing `pages`, the files of the current version (and the history pages), once they are all
        in the staging folder."""
        from ..site.search import start_index

        self._indexing = start_index(self.staging, pages)

    def version(self, tag: str, files: SiteFiles) -> int:
        """Write tagged version `tag`'s files (returns their bytes; the build's own count is `add`ed)."""
        root = self.aside / version_root(tag)
        return write_files(root, files.files) + copy_files(root, files.copies)

    def drop(self, tag: str) -> None:
        """Remove what was written of version `tag` (by a forked copy that failed)."""
        import shutil

        shutil.rmtree(self.aside / version_root(tag), ignore_errors=True)

    def finish(self, staging: Path) -> None:
        import os

        if self._indexing is not None:
            indexing, self._indexing = self._indexing, None
            indexing.wait()
        if (self.aside / VERSIONS_DIR).is_dir():
            os.replace(self.aside / VERSIONS_DIR, staging / VERSIONS_DIR)


def _published_versions(plan_dir: Path, pattern: str, warnings: list[str]) -> tuple[Repository, str, list[Version]]:
    repository = Repository.find(plan_dir)
    if repository.is_shallow:
        raise GitError("shallow-clone", "this clone is shallow (only the latest commits were fetched), so the "
                       "versions cannot all be built",
                       "fetch the whole history: `git fetch --unshallow --tags`, or in GitHub Actions check out "
                       "with `fetch-depth: 0` (actions/checkout: `with: {fetch-depth: 0}`)")
    listing = list_versions(plan_dir, pattern)
    warnings.extend(listing.warnings)
    versions = []
    for v in listing.versions:
        if SAFE_TAG.fullmatch(v.version) and len(v.version) <= MAX_TAG_LENGTH:
            versions.append(v)
        elif SAFE_TAG.fullmatch(v.version):
            warnings.append(f"the tag `{v.version[:40]}…` is {len(v.version)} characters long, too long to name a "
                            f"folder of the site (at most {MAX_TAG_LENGTH}); it is skipped")
        else:
            warnings.append(f"the tag `{v.version}` cannot name a folder of the site (use letters, digits and "
                            "`.`, `_`, `+`, `-`, e.g. v1.2); it is skipped")
    return repository, repository.plan_path(plan_dir), versions


def _open(repository: Repository, v: Version, plan_path: str, shown: str, blobs: dict[str, bytes]) -> GitSource:
    """The plan at tag `v`, named by its tag in diagnostics (`v1:content/…`); by its commit should a branch
    of the same name hide the tag."""
    src = _SharedBlobs(repository, v.version, plan_path, shown_plan=shown, blobs=blobs)
    if src.commit == v.commit:
        return src
    src.close()
    return _SharedBlobs(repository, v.commit, plan_path, shown_plan=shown, blobs=blobs)


def _check_versions(repository: Repository, plan_path: str, shown: str, versions: list[Version], today: dt.date,
                    result: AllVersionsResult, cache: VersionCache | None = None) -> list[_Checked]:
    """Check each version from its own revision (a plan already checked at the same date is reused), unless
    an earlier build kept its files in `cache`: then it is checked only if a changes page needs its plan."""
    done: dict[tuple[str, dt.date], tuple[str, Checked]] = {}
    blobs: dict[str, bytes] = {}
    out: list[_Checked] = []
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
            out.append(_Checked(v, None, when, outcome, functools.partial(_open, repository, v, plan_path, shown,
                                                                          blobs), entry, kept))
            continue
        try:
            src = _open(repository, v, plan_path, shown, blobs)
            try:
                key = (src.fingerprint(), when)
                if key in done:
                    outcome.status, outcome.note = "reused", f"same plan as {done[key][0]}"
                    vchecked = done[key][1]
                else:
                    vchecked = check(src, when)
            finally:
                src.close()
        except GitError as exc:
            outcome.status, outcome.note = "skipped", exc.message
            result.warnings.append(f"the tag `{v.version}` cannot be read ({exc.message}); it is skipped")
            continue
        errors = vchecked.diagnostics.errors
        if errors or vchecked.state is None:
            first = errors[0] if errors else None
            where = f": {first.file}:{first.line}:{first.column}: {first.message}" if first is not None else ""
            outcome.status = "skipped"
            outcome.note = f"{len(errors)} error(s)"
            result.warnings.append(f"the version `{v.version}` has {len(errors)} error(s) and is skipped{where} "
                                   "(it was published once; today's build does not depend on it)")
            continue
        done.setdefault(key, (v.version, vchecked))
        outcome.seconds = time.perf_counter() - began
        out.append(_Checked(v, vchecked, when, outcome, src, entry))
    return out


def _gather(plan_dir: Path, checked: Checked, source: DirectorySource, today: dt.date, result: AllVersionsResult,
            progress: Progress | None, memo: RenderMemo | None, site: _Site, *, pack: bool = False) -> SiteFiles:
    """Every file of the site, written into `site` as soon as it is made (returns the counts only, no files):
    the current version, the history pages, then the tagged versions one by one. Versions kept by an earlier
    build are written by a forked copy of this process from the start; with enough other versions and cores,
    the older half of those is built (and written) by another forked copy meanwhile (rendering alone is not
    all of a version's work)."""
    from ..parallel import MIN_PAGES_PER_WORKER, workers
    from ..plan.i18n import Formatter

    assert checked.plan is not None and checked.state is not None
    settings = checked.plan.settings
    repository, plan_path, versions = _published_versions(plan_dir, settings.version_tags, result.warnings)
    shown = Path(plan_dir).as_posix()
    cache = None
    if memo is not None:
        from ..cache.archived_versions import VersionCache, code_key, template_dirs

        cache = VersionCache(code_key(template_dirs(plan_dir)))
    good = _check_versions(repository, plan_path, shown, versions, today, result, cache)
    tags = [g.version for g in good]
    fresh = [g for g in good if g.kept is None]
    kept = [g for g in good if g.kept is not None]

    with contextlib.ExitStack() as stack:
        # kept versions are only read and written: disk work, done aside while this process renders
        # (where forking is safe and pays, as for rendering: parallel.workers)
        writer = stack.enter_context(_OtherProcess(lambda: _kept_there(kept, cache, site))) \
            if kept and cache is not None and workers(2 * MIN_PAGES_PER_WORKER) >= 2 else None
        # The memo finds a page again only in a version evaluated on the same day as another one (KPI states,
        # hence nearly every page, depend on the day); for the others, digesting each page's inputs is wasted.
        evaluated = Counter([today, *(g.outcome.today for g in fresh)])
        fmt = Formatter(settings.language, settings.currency)
        current = site_files(checked, source, plan_dir, versions=bool(tags), search=True,
                             memo=memo if evaluated[today] > 1 else None, pack=pack)
        current.files["versions.json"] = (json.dumps([v.to_json() for v in tags], ensure_ascii=False, indent=2)
                                          + "\n").encode("utf-8")
        if good:  # from the checked versions alone: written now, so that pagefind indexes it with the rest
            _history(current, plan_dir, checked, good, today, cache)
        site.current(current)
        if memo is not None:
            memo.forget_older()
        if memo is not None and evaluated[today] == 1:  # counted as the memo counts what it makes
            memo.charts_built += current.charts
            memo.pages_rendered += current.pages
        counts = SiteFiles(pages=current.pages, charts=current.charts)
        switcher = [SwitcherEntry("", fmt.date(today), "", html_pages(current))]
        site.index(current.files)
        del current

        total = len(versions)
        for index, outcome in enumerate(o for o in result.outcomes if o.status == "skipped"):
            if progress is not None:
                progress(ProgressEvent(index + 1, total, outcome))
        done = total - len(good)

        def build(g: _Checked, jobs: int | None = None) -> Made:
            """Build and write version `g`: its pages and charts, and its pages' paths."""
            began = time.perf_counter()
            files = _kept_files(g, cache) if g.kept is not None and cache is not None \
                else None
            if files is None:
                if g.kept is not None:  # its entry could not be read back
                    g.outcome.status, g.kept = "built", None
                shared = memo if evaluated[g.outcome.today] > 1 else None
                files = _version_files(g, plan_dir, shared, jobs, cache)
                if memo is not None and shared is None:  # counted as the memo counts what it makes
                    memo.charts_built += files.charts
                    memo.pages_rendered += files.pages
            site.version(g.version.version, files)
            if memo is not None and g.outcome.status != "cached":
                memo.forget_older()
            g.outcome.pages = files.pages
            g.outcome.seconds += time.perf_counter() - began
            return files.pages, files.charts, html_pages(files)

        pages_of: dict[str, list[str]] = {}

        def report(g: _Checked, made: Made) -> None:
            nonlocal done
            done += 1
            counts.pages += made[0]
            counts.charts += made[1]
            pages_of[g.version.version] = made[2]
            if progress is not None:
                progress(ProgressEvent(done, total, g.outcome))

        if len(fresh) >= MIN_VERSIONS_TO_SHARE_OUT and workers(2 * MIN_PAGES_PER_WORKER) >= 2:
            # the newest version first, on every core: what it rendered is in the memo the other process inherits
            report(fresh[0], build(fresh[0]))
            split = 1 + (len(fresh) - 1) // 2
            with _OtherProcess(lambda: _built_there(fresh[split:], build, memo)) as other:
                for g in fresh[1:split]:
                    report(g, build(g, jobs=1))
                theirs = other.result()
            if theirs is None:  # it failed: built here, where an error is raised as the user must see it
                made = []
                for g in fresh[split:]:
                    site.drop(g.version.version)  # what it wrote before failing
                    made.append(build(g))
            else:
                made = _adopt(theirs, fresh[split:], memo)
            for g, one in zip(fresh[split:], made, strict=True):
                report(g, one)
        else:
            for g in fresh:
                report(g, build(g))

        if writer is None:
            for g in kept:
                report(g, build(g))
        else:
            written = writer.result()
            for g, outcome in zip(kept, written or [None] * len(kept), strict=True):
                if outcome is None:  # not written there: built here (an error is raised as the user must see it)
                    site.drop(g.version.version)
                    if written is not None:  # its entry could not be read back
                        g.kept, g.outcome.status = None, "built"
                    report(g, build(g))
                else:
                    g.outcome.pages, g.outcome.seconds = outcome[0], outcome[2]
                    report(g, (outcome[0], outcome[1], outcome[3]))
        # newest first, as `good` is: the switcher's order
        switcher += [SwitcherEntry(g.version.version, fmt.date(g.version.date), version_root(g.version.version),
                                   pages_of[g.version.version]) for g in good]
        site.current(SiteFiles(files={VERSIONS_SCRIPT: versions_script(switcher)}))
    if cache is not None:
        cache.prune(keep=[g.key for g in good if g.key is not None])
    return counts


def _kept_there(kept: list[_Checked], cache: VersionCache | None,
                site: _Site) -> list[tuple[int, int, float, list[str]] | None]:
    """What the writer of kept versions sends back once it has written their files: each one's pages, charts,
    seconds and pages' paths, None for a version whose entry could not be read back (this process builds it)."""
    assert cache is not None
    out: list[tuple[int, int, float, list[str]] | None] = []
    for g in kept:
        began = time.perf_counter()
        files = _kept_files(g, cache)
        if files is None:
            out.append(None)
            continue
        site.version(g.version.version, files)
        out.append((files.pages, files.charts, time.perf_counter() - began, html_pages(files)))
    return out


MIN_VERSIONS_TO_SHARE_OUT = 4  # fewer tagged versions are built in this process (a fork costs ~0.1 s)


class _OtherProcess:
    """`work()` run in a forked copy of this process, while this one goes on; `result()` waits for what it
    returned (None when it failed). The copy inherits the checked versions and the memo, and sends back
    only its result, pickled through a temporary file."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self._work = work
        self._file: Any = None
        self._pid = 0

    def __enter__(self) -> _OtherProcess:
        import os
        import tempfile

        self._file = tempfile.TemporaryFile()
        self._pid = os.fork()
        if self._pid == 0:  # the copy: never returns into the caller's code
            code = 1
            try:
                pickle.dump(self._work(), self._file, protocol=pickle.HIGHEST_PROTOCOL)
                self._file.flush()
                code = 0
            finally:
                os._exit(code)
        return self

    def result(self) -> Any:
        import os

        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if status != 0:
            return None
        self._file.seek(0)
        try:
            return pickle.load(self._file)
        except Exception:
            return None

    def __exit__(self, *exc: object) -> None:
        import os
        import signal

        if self._pid:  # left early (an error here): the copy's work is not wanted
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
        self._file.close()


_Theirs = tuple[list["Made"], list[tuple[int, float]], tuple[int, int, int, int]]


def _memo_counts(memo: RenderMemo | None) -> tuple[int, int, int, int]:
    if memo is None:
        return (0, 0, 0, 0)
    return (memo.charts_built, memo.charts_reused, memo.pages_rendered, memo.pages_reused)


def _built_there(versions: list[_Checked], build: Callable[..., Made], memo: RenderMemo | None) -> _Theirs:
    """What the other process sends back once it has written the versions' files: their pages and charts,
    their outcomes, and what its memo counted (the files themselves are on disk, never sent back)."""
    before = _memo_counts(memo)
    made = [build(g, jobs=1) for g in versions]
    counts = tuple(after - was for after, was in zip(_memo_counts(memo), before, strict=True))
    return made, [(g.outcome.pages, g.outcome.seconds) for g in versions], counts  # type: ignore[return-value]


def _adopt(theirs: _Theirs, versions: list[_Checked], memo: RenderMemo | None) -> list[Made]:
    """Take back the other process's outcomes and counts."""
    made, outcomes, counts = theirs
    for g, (pages, seconds) in zip(versions, outcomes, strict=True):
        g.outcome.pages, g.outcome.seconds = pages, seconds
    if memo is not None:
        memo.charts_built += counts[0]
        memo.charts_reused += counts[1]
        memo.pages_rendered += counts[2]
        memo.pages_reused += counts[3]
    return made


def _version_files(g: _Checked, plan_dir: Path, memo: RenderMemo | None, jobs: int | None = None,
                   cache: VersionCache | None = None) -> SiteFiles:
    """The files of tagged version `g` under its own folder, kept in `cache` for the next build. They depend on
    the version alone (its plan, its evaluation day, the code and templates): the list of versions is in
    versions.js at the site's root, so the next tag changes none of them."""
    from ..cache.archived_versions import Kept

    checked = g.plan_checked()
    assert checked.plan is not None
    settings = checked.plan.settings
    try:
        files = site_files(checked, g.source, plan_dir, static_root=FROM_VERSION_TO_ROOT, version=g.version.version,
                           versions=True, current_version_path=FROM_VERSION_TO_ROOT, with_static=False, search=True,
                           memo=memo, jobs=jobs)
    finally:
        g.source.close()
    if cache is not None and g.key is not None:
        cache.store(g.key, Kept(dict(files.files), {
            "language": settings.language, "currency": settings.currency, "theme": settings.theme,
            "pages": files.pages, "charts": files.charts, "targets": g.targets()}))
    return files


def _kept_files(g: _Checked, cache: VersionCache) -> SiteFiles | None:
    """Version `g`'s files as an earlier build kept them; None when the entry cannot be read back (the version is
    then built)."""
    assert g.key is not None
    kept = cache.load(g.key)
    if kept is None:
        return None
    files = SiteFiles(files=kept.files, pages=int(kept.meta["pages"]), charts=int(kept.meta["charts"]))
    g.outcome.pages = files.pages
    return files


def html_pages(files: SiteFiles) -> list[str]:
    """A version's pages, by their path from its folder, as versions.js lists them."""
    return sorted(path for path in files.files if path.endswith(".html"))


def _entity_href(kind: str, ident: str, base: str) -> str | None:
    """The page of a changed entity in a version (`base` is that version's folder from the site root)."""
    folders = {"objective": "objectives", "funnel": "funnels", "persona": "personas", "experience": "experiences",
               "solution": "solutions", "page": "pages"}
    if kind == "plan":
        return f"{base}index.html"
    if kind in folders:
        return f"{base}{folders[kind]}/{ident}.html"
    return None


def _history(out: SiteFiles, plan_dir: Path, checked: Checked, good: list[_Checked], today: dt.date,
             cache: VersionCache | None = None) -> None:
    """changes/OLD..NEW.html for each pair of consecutive versions and changes/NEWEST..current.html from the
    newest tag to the working tree, and history.html, rendered with the
    current version's settings (language, theme) at the root."""
    from ..cache.chart_shapes import keep_drawn_shapes
    from ..diff.compare import diff_states
    from ..diff.format import diff_view
    from ..parallel import render_all, workers
    from ..plan.i18n import Formatter
    from ..site.history_chart import VersionTargets, target_history_charts
    from ..site.pages import PageSpec, SiteContext, navigation
    from ..site.render import environment, render_page, static_files, static_names, theme_dirs
    from ..site.ui_text import ui

    assert checked.plan is not None and checked.state is not None
    keep_drawn_shapes()  # the history page's charts
    settings = checked.plan.settings
    lang = settings.language
    fmt = Formatter(lang, settings.currency)
    site = SiteContext(state=checked.state, fmt=fmt, nav=navigation(checked.state, lang, history=HISTORY_PATH),
                       language=lang, today=today, versions=True,
                       static_root="")
    search_path = tuple(theme_dirs(plan_dir, settings.theme))
    site.static_names = static_names(list(static_files(search_path)))
    env = environment(search_path)

    timeline: list[dict[str, Any]] = [{"label": ui(lang, "current_version"), "title": settings.title,
                                       "date": fmt.date(today), "href": "index.html", "changes": None,
                                       "current": True}]
    oldest_first = list(reversed(good))
    entries: dict[str, dict[str, Any]] = {}
    for g in good:
        entries[g.version.version] = {"label": g.version.version, "title": g.version.title,
                                      "date": fmt.date(g.version.date),
                                      "href": f"{version_root(g.version.version)}index.html", "changes": None,
                                      "current": False}
        timeline.append(entries[g.version.version])
    # each pair of consecutive tags, then the newest tag and the working tree (the current version, None),
    # unless a tag is named like the current version's page
    pairs: list[tuple[_Checked, _Checked | None]] = list(itertools.pairwise(oldest_first))
    current = timeline[0]
    if CURRENT not in entries:
        pairs.append((good[0], None))
        entries[CURRENT] = current
    names = [(a.version.version, CURRENT if b is None else b.version.version) for a, b in pairs]
    # a comparison of two versions kept by an earlier build was kept with them
    keys = [cache.pair_key(a.key, b.key, a.version.version, b.version.version)
            if cache is not None and b is not None and a.key is not None and b.key is not None else None
            for a, b in pairs]
    views: list[dict[str, Any] | None] = [None if key is None or cache is None else cache.load_view(key)
                                          for key in keys]
    missing = [i for i, view in enumerate(views) if view is None]

    def state_of(g: _Checked | None) -> Any:
        """A version's computed plan (checked now if it was kept); the working tree's for None."""
        return checked.state if g is None else g.plan_checked().state

    states = [(names[i][0], state_of(pairs[i][0]), names[i][1], state_of(pairs[i][1])) for i in missing]

    def compare(pair: tuple[str, Any, str, Any]) -> bytes:
        old, before, new, after = pair
        assert before is not None and after is not None
        view = diff_view(diff_states(before, after, old, entries[new]["label"]))
        return pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL)

    # each pair compares two whole plans (and a changes page of dated versions lists every KPI): on every
    # core, as pages are, then the pages once every entry of the timeline is complete
    jobs = workers(PAIR_WEIGHT * len(pairs))
    for i, data in zip(missing, render_all(compare, states, jobs=workers(PAIR_WEIGHT * len(states))), strict=True):
        views[i] = pickle.loads(data)
        if keys[i] is not None and cache is not None:
            cache.store_view(keys[i], views[i])  # type: ignore[arg-type]
    pages: list[PageSpec] = []
    for (old, new), view in zip(names, views, strict=True):
        assert view is not None
        for section in view["sections"] + view["moved"]:
            base = version_root(old) if section["op"] == "removed" else \
                "" if new == CURRENT else version_root(new)
            section["href"] = _entity_href(section["kind"], section["id"], base)
        path = changes_path(old, new)
        entries[new]["changes"] = {"href": path, "summary": view["summary"], "highlights": view["highlights"],
                                   "from": old}
        pages.append(PageSpec(path=path, template="changes.html",
                              title=f"{ui(lang, 'changes')} {old} → {entries[new]['label']}", section="history",
                              data={"diff": view, "old": entries[old], "new": entries[new]}))
    html = render_all(lambda page: render_page(env, page, site).encode("utf-8"), pages, jobs=jobs)
    for page, text in zip(pages, html, strict=True):
        out.files[page.path] = text
        out.pages += 1

    # oldest tag first, the working tree last, whatever their dates (`today` may come before the last tag)
    versions = [VersionTargets(g.version.version, g.version.date, g.targets()) for g in oldest_first]
    versions.append(VersionTargets(ui(lang, "current_version"), today, _targets(checked.state)))
    kpi_charts = target_history_charts(versions, fmt)
    page = PageSpec(path=HISTORY_PATH, template="history.html", title=ui(lang, "history"), section="history",
                    data={"timeline": timeline}, charts=kpi_charts)
    out.files[HISTORY_PATH] = render_page(env, page, site).encode("utf-8")
    out.pages += 1
    out.charts += len(kpi_charts)


def _targets(state: PlanState) -> list[list[Any]]:
    """[KPI id, title, target, unit] of each KPI of a computed plan, in its order (kept with a version)."""
    return [[k.kpi.id, k.kpi.title, k.kpi.target, k.kpi.unit] for k in state.kpis.values()]

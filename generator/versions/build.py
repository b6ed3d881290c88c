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
  for versions evaluated on the same day as another one: KPI states depend on the day; a page is rendered under
  a stand-in for the version's name, then named for each version: version_files.py). A version whose
  plan is byte-identical to one already checked (same fingerprint, same evaluation date) is not checked
  again. Files read from git are read once by object id across versions. The theme's
  static files are written once, at the root (`static_root="../../"`), and the search
  index is made from the current version's pages only (archived ones are not indexed anyway).
  With four versions or more on a multi-core machine, a forked copy of the build makes the older half of the
  versions while this process makes the newer half (each writes its own versions' files); each pair of
  versions is compared by a forked copy while this process checks the next revision, and the changes pages
  are rendered on every core. pagefind indexes the current version meanwhile. What
  remains (bench/versions_bench.py, 20 tags): checking each revision, rendering the pages whose content
  differs (with tags a month apart, every KPI page), and writing every version's files.
- Memory: the memo keeps what the last version built used (RenderMemo.forget_older), which is what its
  neighbour in history may show again. Each pair of versions is compared as soon as both are checked
  (comparisons.py) and each version's checked plan (~13 MB for 250 objectives) let go then, checked again
  when it is built: two plans are held at a time, not one per version (the process held 538 MB after
  checking 21). The history page's drawings are made by workers, so that vl-convert's runtime (~100 MB)
  stays out of this process until a version is built beside its siblings; the pages a built version freed
  are given back to the system before the next. Peak of 20 tags of 250 objectives (docs/performance.md,
  "Budgets"): 432 MB with every chart to draw (679 before), 344 MB with the drawings cached (485), 306 MB
  with every version kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections import Counter
from pathlib import Path

from ..build import SiteFiles, failure_hint, failure_message, site_files
from ..cache.render_memo import RenderMemo
from ..pipeline import Checked, check
from ..plan.messages import msg
from ..read.gitsource import GitError
from ..read.source import DirectorySource
from ..site.template_errors import failure_place
from .comparisons import Comparisons
from .fork import MIN_VERSIONS_TO_SHARE_OUT, OtherProcess, adopt, built_there
from .history import write_history
from .links import version_root
from .outcome import AllVersionsResult, Made, Progress, ProgressEvent, VersionOutcome
from .revisions import CheckedVersion, check_versions, published_versions
from .site_output import VersionsSite
from .switcher import VERSIONS_SCRIPT, SwitcherEntry, versions_script
from .version_files import html_pages, kept_files, kept_there, version_files

__all__ = ["AllVersionsResult", "Progress", "ProgressEvent", "VersionOutcome", "build_all_versions"]


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
        result.message = msg("build.errors" if checked.diagnostics.errors else "build.strict")
        return result
    memo = RenderMemo() if share else None
    try:
        check_output(output, plan_dir)
        with staged(output) as staging, VersionsSite(staging) as site:
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
        result.hint = failure_hint(exc)
        return result
    result.ok = True
    result.pages, result.charts = counts.pages, counts.charts
    result.seconds = time.perf_counter() - started
    return result


def _gather(plan_dir: Path, checked: Checked, source: DirectorySource, today: dt.date, result: AllVersionsResult,
            progress: Progress | None, memo: RenderMemo | None, site: VersionsSite, *, pack: bool = False) -> SiteFiles:
    """Every file of the site, written into `site` as soon as it is made (returns the counts only, no files):
    the current version, the history pages, then the tagged versions one by one. Versions kept by an earlier
    build are written by a forked copy of this process from the start; with enough other versions and cores,
    the older half of those is built (and written) by another forked copy meanwhile (rendering alone is not
    all of a version's work)."""
    from ..parallel import MIN_PAGES_PER_WORKER, workers
    from ..plan.i18n import Formatter
    from ..site.ui_text import ui

    assert checked.plan is not None and checked.state is not None
    settings = checked.plan.settings
    repository, plan_path, versions = published_versions(plan_dir, settings.version_tags, result.warnings)
    shown = Path(plan_dir).as_posix()
    cache = None
    if memo is not None:
        from ..cache.archived_versions import VersionCache, code_key, template_dirs

        cache = VersionCache(code_key(template_dirs(plan_dir)))
    # each pair of versions is compared as soon as both are checked, each version's checked plan let go then
    # (checked again when it is built): two plans held at a time, not all of them (comparisons.py)
    with Comparisons(checked, ui(settings.language, "current_version"), cache, len(versions) + 1) as comparisons:
        good = check_versions(repository, plan_path, shown, versions, today, result, cache, comparisons.add)
    tags = [g.version for g in good]
    fresh = [g for g in good if g.kept is None]
    kept = [g for g in good if g.kept is not None]

    with contextlib.ExitStack() as stack:
        # kept versions are only read and written: disk work, done aside while this process renders
        # (where forking is safe and pays, as for rendering: parallel.workers)
        writer = stack.enter_context(OtherProcess(lambda: kept_there(kept, cache, site))) \
            if kept and cache is not None and workers(2 * MIN_PAGES_PER_WORKER) >= 2 else None
        # The memo finds a page again only in a version evaluated on the same day as another one (KPI states,
        # hence nearly every page, depend on the day); for the others, digesting each page's inputs is wasted.
        evaluated = Counter([today, *(g.outcome.today for g in fresh)])
        fmt = Formatter(settings.language, settings.currency, settings.locale)
        current = site_files(checked, source, plan_dir, versions=bool(tags), search=True,
                             memo=memo if evaluated[today] > 1 else None, pack=pack)
        current.files["versions.json"] = (json.dumps([v.to_json() for v in tags], ensure_ascii=False, indent=2)
                                          + "\n").encode("utf-8")
        before_history = (current.pages, current.charts)
        if good:  # from the checked versions alone: written now, so that pagefind indexes it with the rest
            write_history(current, plan_dir, checked, good, today, comparisons.views)
        comparisons.views.clear()  # ~1.4 MB a pair for 250 objectives: not held while the versions are built
        site.current(current)
        if memo is not None:
            memo.forget_older()
        if memo is not None:  # counted as the memo counts what it makes: all of it, or the history pages it missed
            counted = (0, 0) if evaluated[today] == 1 else before_history
            memo.pages_rendered += current.pages - counted[0]
            memo.charts_built += current.charts - counted[1]
        counts = SiteFiles(pages=current.pages, charts=current.charts)
        switcher = [SwitcherEntry("", fmt.date(today), "", html_pages(current))]
        site.index(current.files)
        del current
        _give_back_freed_memory()

        total = len(versions)
        for index, outcome in enumerate(o for o in result.outcomes if o.status == "skipped"):
            if progress is not None:
                progress(ProgressEvent(index + 1, total, outcome))
        done = total - len(good)

        def build(g: CheckedVersion, jobs: int | None = None) -> Made:
            """Build and write version `g`: its pages and charts, and its pages' paths."""
            began = time.perf_counter()
            files = kept_files(g, cache) if g.kept is not None and cache is not None \
                else None
            if files is None:
                if g.kept is not None:  # its entry could not be read back
                    g.outcome.status, g.kept = "built", None
                shared = memo if evaluated[g.outcome.today] > 1 else None
                files = version_files(g, plan_dir, shared, jobs, cache)
                if memo is not None and shared is None:  # counted as the memo counts what it makes
                    memo.charts_built += files.charts
                    memo.pages_rendered += files.pages
            site.version(g.version.version, files)
            g.release()  # checked again should another build step need it (it is one plan of many)
            _give_back_freed_memory()
            if memo is not None and g.outcome.status != "cached":
                memo.forget_older()
            g.outcome.pages = files.pages
            g.outcome.seconds += time.perf_counter() - began
            return files.pages, files.charts, html_pages(files)

        pages_of: dict[str, list[str]] = {}

        def report(g: CheckedVersion, made: Made) -> None:
            nonlocal done
            done += 1
            counts.pages += made[0]
            counts.charts += made[1]
            if g.outcome.status == "cached":  # read back from an earlier build: neither rendered nor reused
                result.pages_kept += made[0]
                result.charts_kept += made[1]
            pages_of[g.version.version] = made[2]
            if progress is not None:
                progress(ProgressEvent(done, total, g.outcome))

        if len(fresh) >= MIN_VERSIONS_TO_SHARE_OUT and workers(2 * MIN_PAGES_PER_WORKER) >= 2:
            # the newest version first, on every core: what it rendered is in the memo the other process inherits
            report(fresh[0], build(fresh[0]))
            split = 1 + (len(fresh) - 1) // 2
            with OtherProcess(lambda: built_there(fresh[split:], build, memo)) as other:
                for g in fresh[1:split]:
                    report(g, build(g, jobs=1))
                theirs = other.result()
            if theirs is None:  # it failed: built here, where an error is raised as the user must see it
                made = []
                for g in fresh[split:]:
                    site.drop(g.version.version)  # what it wrote before failing
                    made.append(build(g))
            else:
                made = adopt(theirs, fresh[split:], memo)
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


def _give_back_freed_memory() -> None:
    """Return the pages a built version freed to the system (glibc keeps them otherwise): the next version's
    drawings and pages, of other sizes, would not all fit in the holes, and the process would grow version
    after version, as would the forked copy that builds the older half (it starts with this one's pages)."""
    import ctypes
    import sys

    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)

"""One rebuild of `strategy serve`: the plan folder read with its bytes kept between rebuilds (the watcher says
what changed), checked and rendered with the render memo, so that a one-file edit parses only that file
(the pipeline's file memo) and renders only the charts and pages whose inputs changed (render_memo.py).

A chart the edit changed is drawn anew (about 0.1 s a drawing): its drawings are handed to serve's kept
drawing workers as soon as the chart is made, before the other pages' charts are looked up and any page
is rendered, so they are drawn while this process does the rest (`DrawingAheadMemo`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache.parsed_files import CACHE as PARSED_FILES
from ..cache.render_memo import RenderMemo
from ..plan.computed_memo import ComputedMemo
from ..plan.diagnostics import Diagnostics, Location
from ..plan.messages import Msg
from ..read.file_memo import blob_id
from ..read.source import DirectorySource
from .last_check import LastCheckFiles

if TYPE_CHECKING:
    from ..plan.i18n import Formatter

# --- reading the plan ------------------------------------------------------------------------


@dataclasses.dataclass
class WatchedSource(DirectorySource):
    """A plan folder whose file list and bytes are kept between rebuilds: the watcher says what changed,
    and a file whose size or modification time moved is read again even without an event."""

    _bytes: dict[str, tuple[int, int, bytes]] = dataclasses.field(default_factory=dict)
    _blob_ids: dict[str, tuple[bytes, str]] = dataclasses.field(default_factory=dict)  # path → (its bytes, their id)

    def read_bytes(self, path: str) -> bytes:
        stat = os.stat(os.path.join(self.root, path))  # not pathlib: a rebuild asks this for every plan file
        kept = self._bytes.get(path)
        if kept is not None and kept[0] == stat.st_mtime_ns and kept[1] == stat.st_size:
            return kept[2]
        data = super().read_bytes(path)
        self._bytes[path] = (stat.st_mtime_ns, stat.st_size, data)
        return data

    def object_id(self, path: str) -> str:
        """The git blob id of the file's bytes (read/source.content_id), digested once per content rather than
        by the loader on every rebuild. KeyError when the file cannot be read: the loader then reads it itself
        and reports why."""
        try:
            data = self.read_bytes(path)
        except Exception as exc:  # too large, gone, unreadable: reported where the loader reads it
            raise KeyError(path) from exc
        kept = self._blob_ids.get(path)
        if kept is None or kept[0] is not data:
            kept = self._blob_ids[path] = (data, blob_id(data))
        return kept[1]

    def origin(self, entity: Any) -> tuple[str, str] | None:
        """The file an entity was loaded from, as shown, with the blob id of the bytes this check read of it
        (plan/computed_memo.py); None when it is not known."""
        shown = getattr(getattr(entity, "loc", None), "file", None)
        if not isinstance(shown, str):
            return None
        label = self.label
        rel = shown if label in ("", ".") else shown.removeprefix(f"{label}/")
        kept, read = self._blob_ids.get(rel), self._bytes.get(rel)
        if kept is None or read is None or kept[0] is not read[2] or self.display(rel) != shown:
            return None
        return shown, kept[1]

    def forget(self, rel: str | None, *, listing: bool) -> None:
        """Drop what is kept of `rel` (None: every file), and the file list when files came or went."""
        if rel is None:
            self._bytes.clear()
            self._blob_ids.clear()
        else:
            self._bytes.pop(rel, None)
            self._blob_ids.pop(rel, None)
        if listing:
            self._files = None
            self.escaping_links.clear()


# --- drawing the changed charts first ----------------------------------------------------------

AHEAD_MAX = 4  # charts made afresh in one build whose drawings start at once: an edit changes one to three


class DrawingAheadMemo(RenderMemo):
    """The render memo of serve: the first charts a build makes afresh (an edit changed what they draw) have
    their drawings started by the kept drawing workers at once. The pages still ask for them as they are
    rendered (parallel.render_drawn), and get the drawings these workers made: the same bytes, drawn earlier."""

    def make_chart(self, kind: Any, state: Any, fmt: Any) -> Any:
        made = self.charts_built
        chart = super().make_chart(kind, state, fmt)
        if made < self.charts_built <= AHEAD_MAX:
            draw_ahead(chart, fmt)
        return chart


def draw_ahead(chart: Any, fmt: Formatter) -> None:
    """Have one kept drawing worker start on `chart`'s drawings the store lacks, wide then narrow as a page asks
    for them (site/render.py's `drawn`). One worker draws both, one after the other: on two cores it leaves the
    other to this process, which a second worker drawing at the same time would slow down."""
    from ..site import chart_svg
    from ..site.drawing_pool import kept_workers

    kept = kept_workers()
    if kept is None or chart_svg.collecting():
        return
    chart_svg.collect_missing(True)
    try:
        if chart_svg.draw_chart(chart.spec, chart_svg.WIDE, fmt) is not None:
            chart_svg.draw_chart(chart.spec, chart_svg.NARROW, fmt)
    finally:
        missing = chart_svg.collect_missing(False)
    if missing:
        kept.submit_all(list(missing.values()))


# --- one rebuild -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """A good build: what is served until the next good build."""

    token: str  # names this build; a page was served by it (data-build) and asks for a reload when it changed
    files: dict[str, bytes]


@dataclasses.dataclass
class Outcome:
    ok: bool
    seconds: float
    cpu_seconds: float = 0.0  # of the rebuilding thread: what the rebuild costs, whatever else the machine runs
    changed: list[str] = dataclasses.field(default_factory=list)
    diagnostics: Diagnostics = dataclasses.field(default_factory=Diagnostics)
    pages_rendered: int = 0
    charts_built: int = 0
    check_seconds: float = 0.0
    check_cpu_seconds: float = 0.0


def _template_failure(exc: Exception) -> tuple[Location, Msg, Msg]:
    """Where in a template the build failed, why, and what to write instead."""
    from ..site.template_errors import failure_place, template_failure

    return (failure_place(exc) or Location("(theme)"), *template_failure(exc))


class Builder:
    """Check, render with the memo, and hand back the files; never raises."""

    def __init__(self, plan_dir: Path, today: dt.date | None = None) -> None:
        self.plan_dir = plan_dir
        self.source = WatchedSource(plan_dir)
        self.memo: RenderMemo = DrawingAheadMemo()
        # the states of the previous check, reused where their inputs are the same
        self.computed = ComputedMemo(self.source.origin)
        self.files = LastCheckFiles(PARSED_FILES)  # what the previous check loaded, handed to the next as it is
        self.today = today
        self.theme_dirs: list[Path] = []
        self._theme_checked: tuple[str, list[Any]] | None = None  # (theme, check_theme_templates' diagnostics)
        self._static: dict[Path, tuple[int, int, bytes]] = {}

    def build(self) -> tuple[Outcome, dict[str, bytes] | None]:
        from ..pipeline import collector_paused

        # The garbage collector held off, as during `check`: its passes walked the plan just computed again
        # and again, a sixth of a one-edit rebuild of a big plan. That plan is freed by reference counting
        # once the site is made (no reference cycle holds it: tests/test_serve_memo.py), so the first pass
        # after the rebuild finds little to walk.
        with collector_paused():
            return self._build()

    def _build(self) -> tuple[Outcome, dict[str, bytes] | None]:
        from ..build import site_files
        from ..pipeline import check, resolve_today
        from ..site.render import theme_dirs
        from ..site.theme_guard import report_theme_links

        started, cpu = time.perf_counter(), time.thread_time()
        self.files.start()
        try:
            checked = check(self.source, resolve_today(self.today), self.computed, self.files)
        finally:
            self.files.finish()
        outcome = Outcome(ok=False, seconds=0.0, diagnostics=checked.diagnostics,
                          check_seconds=time.perf_counter() - started, check_cpu_seconds=time.thread_time() - cpu)
        if checked.plan is not None:
            self.theme_dirs = theme_dirs(self.plan_dir, checked.plan.settings.theme)
            report_theme_links(self.plan_dir, checked.plan.settings.theme, checked.diagnostics)
            checked.diagnostics.extend(self._theme_template_errors(checked.plan.settings.theme))
        files: dict[str, bytes] | None = None
        if checked.ok:
            try:
                site = site_files(checked, self.source, self.plan_dir, memo=self.memo)
                files = dict(site.files)
                for rel, path in site.copies.items():
                    files[rel] = self._read_static(path)
            except Exception as exc:  # a theme's template error, or a bug: a diagnostic, never a traceback
                where, message, hint = _template_failure(exc)
                outcome.diagnostics.error("build-failed", where, message, hint)
                files = None
        outcome.ok = files is not None
        outcome.pages_rendered, outcome.charts_built = self.memo.pages_rendered, self.memo.charts_built
        outcome.seconds, outcome.cpu_seconds = time.perf_counter() - started, time.thread_time() - cpu
        return outcome, files

    def _theme_template_errors(self, theme: str) -> list[Any]:
        """What `strategy check` and the build stop on in the plan's own theme (an include of a template no theme
        has, in a branch no page renders): parsed again only when the theme's files or its name change, not at
        every save (85 ms a rebuild for a theme of 20 templates)."""
        from ..plan.diagnostics import Diagnostics
        from ..site.theme_templates import check_theme_templates

        if self._theme_checked is None or self._theme_checked[0] != theme:
            found = Diagnostics()
            check_theme_templates(self.plan_dir, theme, found)
            self._theme_checked = (theme, list(found))
        return self._theme_checked[1]

    def _read_static(self, path: Path) -> bytes:
        stat = path.stat()
        kept = self._static.get(path)
        if kept is None or kept[:2] != (stat.st_mtime_ns, stat.st_size):
            kept = (stat.st_mtime_ns, stat.st_size, path.read_bytes())
            self._static[path] = kept
        return kept[2]

    def forget_all(self) -> None:
        """The plan folder was replaced: read every file again (the rendered charts and pages, kept by digests
        of what they show, stay valid)."""
        self.source.forget(None, listing=True)
        self._static.clear()
        self._theme_checked = None

    def forget(self, changes: Iterable[tuple[Any, str]]) -> None:
        """Take the watcher's changes into account: re-read the plan files that changed, and after a theme
        edit recompile the templates and render every page again."""
        from watchfiles import Change

        from ..site.render import environment

        plan_root = self.plan_dir.resolve()
        theme_changed = False
        for change, raw in changes:
            path = Path(raw).resolve()
            if path.is_relative_to(plan_root):
                self.source.forget(path.relative_to(plan_root).as_posix(), listing=change != Change.modified)
            else:
                theme_changed = True
                self._static.pop(path, None)
        if theme_changed:
            environment.cache_clear()
            self._theme_checked = None
            self.memo.clear_pages()

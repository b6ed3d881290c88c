"""`strategy serve`: build the site, serve it on 127.0.0.1, and rebuild and reload the open page on every save.

The site lives in memory (path → bytes of the last good build), never in output/: a preview must not touch
the folder a `strategy build` publishes, and "keep serving the last good site" is then one reference that a
failed rebuild does not replace. The pages it serves are the bytes `strategy build` writes, plus one
`<script src="/__strategy__/live.js">` added before `</body>` as they are sent, so a built site never holds it.

Connections are read and answered by reception.py (a bounded pool of workers, deadlines for slow clients,
and only requests whose `Host` names this machine); the watcher follows the plan folder even when it is
replaced by a new one.

The live-reload client listens to server-sent events (same origin, so the site's CSP `connect-src 'self'`
allows it): `reload` after a good rebuild (with the paths whose bytes changed) and `errors` after a failed
one (the diagnostics, shown as an overlay over the last good page).

A rebuild after a one-file edit (rebuild.py) re-runs `check` on the whole plan, whose file memo parses only the
edited file, then re-renders only what changed (render_memo.py): chart specs are kept by a digest of their
computed state, and pages by a digest of their context, so an edit of one objective rebuilds its charts and the
few pages that show it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import mimetypes
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..plan.diagnostics import Diagnostics, Location, format_text
from ..plan.messages import msg, reader_language, render, said
from ..read.loader import plan_language
from .answers import CLIENT_PATH, CONTENT_TYPES, EVENTS_PATH, answerer, client_tag, inject, placeholder
from .events import Hub, errors_payload
from .rebuild import Builder, Outcome, Snapshot
from .reception import Reception

__all__ = ["CLIENT_PATH", "EVENTS_PATH", "Builder", "Outcome", "PortInUse", "Server", "Snapshot", "client_tag",
           "inject", "run"]

WATCH_STEP_MS = 30  # a change is rebuilt once nothing else changed for this long (an editor's save is several writes)
WATCH_DEBOUNCE_MS = 400  # ... or after this long, however busy the folder is
WATCH_IDENTITY_SECONDS = 1.0  # how often the watcher looks whether the plan folder itself was replaced

# files editors write beside the one being saved; DirectorySource never reads dot-files either
EDITOR_TEMP = re.compile(r"^\.|~$|^#.*#$|^4913$|\.sw.$|\.tmp$|\.crswap$|\.kate-swp$|___jb_...___$")

Log = Callable[[str, bool], None]  # (text, is_error)


class PortInUse(Exception):
    """The port is taken; the message says which and what to do."""


def _default_log(text: str, is_error: bool) -> None:
    print(text, file=sys.stderr if is_error else sys.stdout, flush=True)


# --- the server ----------------------------------------------------------------------------------


class Server:
    """The preview: an HTTP server from memory, a watcher thread that rebuilds, and the event hub.

    `start()` binds (PortInUse when taken), serves at once (a placeholder until the first build), builds,
    and watches; `close()` stops all of it."""

    def __init__(self, plan_dir: Path, host: str = "127.0.0.1", port: int = 8000, *, today: dt.date | None = None,
                 log: Log = _default_log, colour: bool = False, watch: bool = True) -> None:
        self.builder = Builder(plan_dir, today)
        self.host, self.port = host, port
        self.log, self.colour, self.watch = log, colour, watch
        # what serve says before any check, and of its plan folder: in the language the plan declares
        self.language = reader_language(plan_language(plan_dir))
        self.hub = Hub()
        self.snapshot: Snapshot | None = None
        self.errors: dict[str, Any] | None = None  # the failed build's diagnostics, while the plan is broken
        self.builds = 0
        self.last: Outcome | None = None
        self._epoch = format(time.time_ns() // 1_000_000 % 36**6, "x")
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._httpd: Reception | None = None
        self._lock = threading.Lock()
        self._frozen = False

    def _freeze(self) -> None:
        """After the first good build, what it left (modules, templates, the memo's charts and pages, the
        loader's cache) is set aside from the garbage collector: a full collection otherwise walks all of it,
        ~80 ms in one rebuild of three on a big plan. Once only, so that what is set aside (and never
        collected if it becomes a cycle of garbage) is bounded by one build."""
        import gc

        self._frozen = True
        gc.collect()
        gc.freeze()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> None:
        try:
            self._httpd = Reception(self.host, self.port, answerer(self))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                key = "serve.port-in-use" if exc.errno == errno.EADDRINUSE else "serve.port-forbidden"
                raise PortInUse(render(self.language, key, port=str(self.port), host=self.host,  # a port is not grouped
                                       other=str(self.port + 1 if self.port else 8001))) from exc
            raise PortInUse(render(self.language, "serve.cannot-listen", port=str(self.port), host=self.host,
                                   error=exc.strerror or str(exc))) from exc
        self.port = self._httpd.address[1]
        self._spawn(self._httpd.serve_forever, "serve-http")
        from ..site.drawing_pool import keep_workers

        keep_workers(2)  # a changed chart's drawings each, their runtimes started now (rebuild.draw_ahead)
        self.rebuild(first=True)
        if self.watch:
            self._spawn(self._watch_loop, "serve-watch")

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def close(self) -> None:
        from ..site.drawing_pool import stop_kept_workers

        self._stop.set()
        self.hub.close()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.close()
        for thread in self._threads:
            thread.join(timeout=5)
        stop_kept_workers()

    def wait(self) -> None:
        """Until Ctrl-C (KeyboardInterrupt reaches the main thread only) or close()."""
        while not self._stop.wait(0.5):
            pass

    # rebuilding

    def rebuild(self, changes: Iterable[tuple[Any, str]] = (), *, first: bool = False) -> Outcome:
        with self._lock:
            self.builder.forget(changes)
            try:
                outcome, files = self.builder.build()
            except Exception as exc:  # a bug: shown like a plan error, and the last good site stays
                outcome, files = Outcome(ok=False, seconds=0.0), None
                outcome.diagnostics.error("internal-error", Location(self.builder.source.label or "."),
                                          msg("template.other", error=f"{type(exc).__name__}: {exc}"),
                                          msg("template.other.hint"))
            self.builds += 1
            if files is not None:
                old = self.snapshot.files if self.snapshot else {}
                outcome.changed = sorted(p for p in files.keys() | old.keys() if files.get(p) != old.get(p))
                token = f"{self._epoch}-{self.builds}"
                self.snapshot = Snapshot(token=token, files=files)
                self.errors = None
                self.hub.publish("reload", {"build": token, "changed": outcome.changed}, token)
                if not self._frozen:
                    self._freeze()
            else:
                self._publish_errors(outcome.diagnostics)
            self.last = outcome
        self._report(outcome, first)
        return outcome

    def _report(self, outcome: Outcome, first: bool) -> None:
        diags = outcome.diagnostics
        ms = f"{outcome.seconds * 1000:.0f} ms"
        if not outcome.ok:
            language = diags.speaks()
            self.log(format_text(diags, colour=self.colour), True)
            still = "serve.still-serving" if self.snapshot else "serve.nothing-to-serve"
            self.log(said(language, "serve", render(language, "serve.failed", ms=ms, still=msg(still))), True)
            return
        if first and diags.warnings:
            self.log(format_text(diags, colour=self.colour), True)
        language = diags.speaks()
        warned = msg("serve.warned", warnings=msg("warnings", count=len(diags.warnings))) if diags.warnings \
            else msg("nothing")
        pages = sum(1 for p in outcome.changed if p.endswith(".html"))
        self.log(render(language, "serve.built" if first else "serve.rebuilt", ms=ms,
                        check=f"{outcome.check_seconds * 1000:.0f} ms",
                        rendered=msg("n.pages-rendered", count=outcome.pages_rendered),
                        charts=msg("n.charts", count=outcome.charts_built),
                        changed=msg("n.pages-changed", count=pages), warned=warned), False)

    def _watched(self) -> list[Path]:
        dirs = [self.builder.plan_dir.resolve()]
        dirs += [d.resolve() for d in self.builder.theme_dirs if d.is_dir()]
        return sorted(set(dirs))

    def _watch_loop(self) -> None:
        """Rebuild on every change; when the plan folder itself is replaced (renamed away and made anew, as
        `git checkout` of another branch or a sync tool may do), watch the new one, and say so."""
        import watchfiles

        plan = self.builder.plan_dir
        identity = _identity(plan)
        while not self._stop.is_set():
            if identity is None:
                self._stop.wait(WATCH_IDENTITY_SECONDS)
                identity = _identity(plan)
                if identity is not None:
                    self.log(said(self.language, "serve", render(self.language, "serve.plan-back", plan=str(plan))),
                             False)
                    self.builder.forget_all()
                    self.rebuild()
                continue
            dirs = self._watched()
            try:
                for changes in watchfiles.watch(*dirs, watch_filter=_editor_filter, debounce=WATCH_DEBOUNCE_MS,
                                                step=WATCH_STEP_MS, stop_event=self._stop, raise_interrupt=False,
                                                rust_timeout=int(WATCH_IDENTITY_SECONDS * 1000),
                                                yield_on_timeout=True):
                    if _identity(plan) != identity:
                        break
                    if changes:
                        self.rebuild(changes)
                    if self._watched() != dirs:  # `theme:` changed in strategy.yaml
                        break
            except (FileNotFoundError, OSError):  # a watched folder vanished as the watch began
                self._stop.wait(WATCH_IDENTITY_SECONDS)
            now = _identity(plan)
            if now == identity or self._stop.is_set():
                continue
            identity = now
            if now is None:
                self.log(said(self.language, "serve", render(self.language, "serve.plan-gone", plan=str(plan))), True)
                self._say_plan_gone(plan)
            else:
                self.log(said(self.language, "serve", render(self.language, "serve.plan-replaced", plan=str(plan))),
                         False)
                self.builder.forget_all()
                self.rebuild()

    def _say_plan_gone(self, plan: Path) -> None:
        """The open pages' overlay says the plan folder is gone, as the terminal does (the last good site stays
        served); the rebuild when it is back clears it."""
        gone = Diagnostics()
        gone.language = self.language
        gone.error("plan-gone", Location(str(plan)), msg("serve.plan-gone", plan=str(plan)),
                   msg("hint.plan-gone"))
        with self._lock:
            self._publish_errors(gone)

    def _publish_errors(self, diagnostics: Diagnostics) -> None:
        """What the open pages' overlay shows, kept for a page opened later (under the rebuild lock)."""
        self.errors = errors_payload(diagnostics)
        self.hub.publish("errors", self.errors, self.snapshot.token if self.snapshot else "none")

    # serving

    def page(self, rel: str) -> tuple[int, bytes, str]:
        """(status, body, content type) for a path of the site; where the last good build has none, the answer
        in the plan's language: 404 for a path the site lacks, 503 while there is no site yet (building, or the
        plan has errors)."""
        snapshot, language = self.snapshot, self.language
        if snapshot is None:
            text = render(language, "serve.page.has-errors" if self.errors else "serve.page.building")
            return 503, placeholder(text, "none", language), CONTENT_TYPES[".html"]
        body = snapshot.files.get(rel)
        if body is None:
            text = render(language, "serve.page.missing", path=f"/{rel}")
            return 404, placeholder(text, snapshot.token, language), CONTENT_TYPES[".html"]
        kind = CONTENT_TYPES.get(Path(rel).suffix.lower()) or mimetypes.guess_type(rel)[0] or "application/octet-stream"
        if rel.endswith(".html"):
            body = inject(body, snapshot.token)
        return 200, body, kind


def _identity(folder: Path) -> tuple[int, int] | None:
    """Which folder is at `folder` now (device, inode); None when there is none."""
    try:
        stat = os.stat(folder)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def _editor_filter(change: Any, path: str) -> bool:
    """Watch everything but editors' temporary files and the folders watchfiles skips by default."""
    import watchfiles

    name = os.path.basename(path)
    return not EDITOR_TEMP.search(name) and watchfiles.DefaultFilter()(change, path)


# --- the command -----------------------------------------------------------------------------------


def run(plan_dir: Path, host: str = "127.0.0.1", port: int = 8000, *, log: Log = _default_log,
        colour: bool = False) -> int:
    """`strategy serve`: serve until Ctrl-C; returns the exit code. Raises PortInUse."""
    server = Server(plan_dir, host, port, log=log, colour=colour)
    language = server.language
    try:
        if host not in ("127.0.0.1", "localhost", "::1"):
            log(said(language, "serve", render(language, "serve.listening-wide", host=host)), True)
        log(said(language, "serve", render(language, "serve.building", plan=str(plan_dir))), False)
        from ..cache.parsed_files import load_from_disk, save_to_disk

        load_from_disk()  # what the last command parsed: the first build parses only what changed since
        server.start()
        save_to_disk()
        from ..plan.diagnostics import shown_path

        log(said(language, "serve", f"{server.url}  " + render(language, "serve.watching", folders=", ".join(
            shown_path(str(d)) for d in server._watched()))), False)
        server.wait()
    except KeyboardInterrupt:
        log(said(language, "serve", render(language, "serve.stopped")), False)
    finally:
        with contextlib.suppress(KeyboardInterrupt):
            server.close()
    return 0

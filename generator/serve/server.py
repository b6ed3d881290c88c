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

A rebuild after a one-file edit re-runs `check` on the whole plan (cache/parsed_files parses only the edited file), then
re-renders only what changed (render_memo.py): chart specs are kept by a digest of their computed state, and
pages by a digest of their context, so an edit of one objective rebuilds its charts and the few pages that
show it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import http.server
import io
import mimetypes
import os
import queue
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ..cache.render_memo import RenderMemo
from ..plan.diagnostics import Diagnostics, Location, format_text
from ..plan.messages import Msg, msg, reader_language, render
from ..read.loader import plan_language
from ..read.source import DirectorySource
from .events import Hub, errors_payload, sse
from .reception import Reception, host_allowed, origin_allowed

PREFIX = "__strategy__/"
EVENTS_PATH = PREFIX + "events"
CLIENT_PATH = PREFIX + "live.js"
CLIENT_FILE = Path(__file__).with_name("live_reload.js")
KEEPALIVE_SECONDS = 15.0
WATCH_STEP_MS = 30  # a change is rebuilt once nothing else changed for this long (an editor's save is several writes)
WATCH_DEBOUNCE_MS = 400  # ... or after this long, however busy the folder is
WATCH_IDENTITY_SECONDS = 1.0  # how often the watcher looks whether the plan folder itself was replaced

# files editors write beside the one being saved; DirectorySource never reads dot-files either
EDITOR_TEMP = re.compile(r"^\.|~$|^#.*#$|^4913$|\.sw.$|\.tmp$|\.crswap$|\.kate-swp$|___jb_...___$")

CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
                 ".xml": "application/xml", ".csv": "text/csv; charset=utf-8", ".txt": "text/plain; charset=utf-8",
                 ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
                 ".woff2": "font/woff2", ".pdf": "application/pdf"}

Log = Callable[[str, bool], None]  # (text, is_error)


class PortInUse(Exception):
    """The port is taken; the message says which and what to do."""


def _default_log(text: str, is_error: bool) -> None:
    print(text, file=sys.stderr if is_error else sys.stdout, flush=True)


# --- reading the plan ------------------------------------------------------------------------


@dataclasses.dataclass
class WatchedSource(DirectorySource):
    """A plan folder whose file list and bytes are kept between rebuilds: the watcher says what changed,
    and a file whose size or modification time moved is read again even without an event."""

    _bytes: dict[str, tuple[int, int, bytes]] = dataclasses.field(default_factory=dict)

    def read_bytes(self, path: str) -> bytes:
        stat = os.stat(os.path.join(self.root, path))  # not pathlib: a rebuild asks this for every plan file
        kept = self._bytes.get(path)
        if kept is not None and kept[0] == stat.st_mtime_ns and kept[1] == stat.st_size:
            return kept[2]
        data = super().read_bytes(path)
        self._bytes[path] = (stat.st_mtime_ns, stat.st_size, data)
        return data

    def forget(self, rel: str | None, *, listing: bool) -> None:
        """Drop what is kept of `rel` (None: every file), and the file list when files came or went."""
        if rel is None:
            self._bytes.clear()
        else:
            self._bytes.pop(rel, None)
        if listing:
            self._files = None
            self.escaping_links.clear()


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
        self.memo = RenderMemo()
        self.today = today
        self.theme_dirs: list[Path] = []
        self._static: dict[Path, tuple[int, int, bytes]] = {}

    def build(self) -> tuple[Outcome, dict[str, bytes] | None]:
        from ..build import site_files
        from ..pipeline import check, resolve_today
        from ..site.render import theme_dirs
        from ..site.theme_guard import report_theme_links

        started, cpu = time.perf_counter(), time.thread_time()
        checked = check(self.source, resolve_today(self.today))
        outcome = Outcome(ok=False, seconds=0.0, diagnostics=checked.diagnostics,
                          check_seconds=time.perf_counter() - started, check_cpu_seconds=time.thread_time() - cpu)
        if checked.plan is not None:
            self.theme_dirs = theme_dirs(self.plan_dir, checked.plan.settings.theme)
            report_theme_links(self.plan_dir, checked.plan.settings.theme, checked.diagnostics)
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
            self.memo.clear_pages()


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
            self._httpd = Reception(self.host, self.port, _answerer(self))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                why = "is already in use" if exc.errno == errno.EADDRINUSE else "may not be used by this user"
                raise PortInUse(f"port {self.port} on {self.host} {why}: choose another, "
                                f"e.g. strategy serve --port {self.port + 1 if self.port else 8001}") from exc
            raise PortInUse(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from exc
        self.port = self._httpd.address[1]
        self._spawn(self._httpd.serve_forever, "serve-http")
        self.rebuild(first=True)
        if self.watch:
            self._spawn(self._watch_loop, "serve-watch")

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def close(self) -> None:
        self._stop.set()
        self.hub.close()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.close()
        for thread in self._threads:
            thread.join(timeout=5)

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
                self.errors = errors_payload(outcome.diagnostics)
                self.hub.publish("errors", self.errors, self.snapshot.token if self.snapshot else "none")
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
            self.log("strategy serve: " + render(language, "serve.failed", ms=ms, still=msg(still)), True)
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
                    self.log("strategy serve: " + render(self.language, "serve.plan-back", plan=str(plan)), False)
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
                self.log("strategy serve: " + render(self.language, "serve.plan-gone", plan=str(plan)), True)
            else:
                self.log("strategy serve: " + render(self.language, "serve.plan-replaced", plan=str(plan)),
                         False)
                self.builder.forget_all()
                self.rebuild()

    # serving

    def page(self, rel: str) -> tuple[int, bytes, str]:
        """(status, body, content type) for a path of the site."""
        snapshot = self.snapshot
        if snapshot is None:
            return 503, _placeholder("The plan has errors: the site appears here once they are fixed."
                                     if self.errors else "Building the site…", "none"), CONTENT_TYPES[".html"]
        body = snapshot.files.get(rel)
        if body is None:
            return 404, _placeholder(f"No page at /{rel} in this plan's site.", snapshot.token), CONTENT_TYPES[".html"]
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


def client_tag(token: str) -> bytes:
    return f'<script src="/{CLIENT_PATH}" data-build="{token}"></script>\n'.encode()


def inject(html: bytes, token: str) -> bytes:
    """The page with the live-reload client before its last `</body>` (appended when there is none)."""
    at = html.rfind(b"</body>")
    tag = client_tag(token)
    return html + tag if at < 0 else html[:at] + tag + html[at:]


def _placeholder(message: str, token: str) -> bytes:
    from html import escape

    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>strategy serve</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>\n'
            f'<body><main><h1>strategy serve</h1><p>{escape(message)}</p>'
            '<p><a href="/">Home page</a></p></main>\n</body></html>\n').encode() + client_tag(token)


class _SocketWriter:
    """What BaseHTTPRequestHandler writes to: every byte sent (sendall), nothing buffered."""

    def __init__(self, conn: socket.socket) -> None:
        self._conn = conn

    def write(self, data: bytes) -> int:
        self._conn.sendall(data)
        return len(data)

    def flush(self) -> None:
        pass


def _answerer(server: Server) -> Callable[[socket.socket, bytes, Any], None]:
    """What answers one complete request head (reception.py reads it): the handler below, once."""
    handler = _handler(server)

    def answer(conn: socket.socket, head: bytes, address: Any) -> None:
        handler(conn, address, head)

    return answer


def _handler(server: Server) -> Callable[[socket.socket, Any, bytes], Any]:
    client = CLIENT_FILE.read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "strategy-serve"

        def __init__(self, conn: socket.socket, address: Any, head: bytes) -> None:
            self._head = head
            super().__init__(conn, address, None)  # type: ignore[arg-type]  # no socketserver behind it

        def setup(self) -> None:
            self.connection = self.request
            self.rfile = io.BytesIO(self._head)  # the head only: one request a connection, no body read
            self.wfile = _SocketWriter(self.connection)  # type: ignore[assignment]

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal shows rebuilds
            pass

        def parse_request(self) -> bool:
            if not super().parse_request():
                return False
            if not host_allowed(self.headers.get("Host"), server.host, server.port):
                self._refuse(421)  # addressed to another name: a DNS rebinding page gets nothing
                return False
            return True

        def _refuse(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()

        def do_HEAD(self) -> None:
            self.do_GET(head=True)

        def do_GET(self, head: bool = False) -> None:
            parts = urlsplit(self.path)
            rel = unquote(parts.path).lstrip("/")
            if rel == EVENTS_PATH:
                self._events(parse_qs(parts.query).get("build", [""])[0])
                return
            if rel == CLIENT_PATH:
                self._send(200, client, CONTENT_TYPES[".js"], head)
                return
            if rel == "" or rel.endswith("/"):
                rel += "index.html"
            snapshot = server.snapshot
            if snapshot and rel not in snapshot.files and f"{rel}/index.html" in snapshot.files:
                self.send_response(301)
                self.send_header("Location", f"/{rel}/")
                self.send_header("Content-Length", "0")
                self.send_header("Connection", "close")
                self.end_headers()
                return
            status, body, kind = server.page(rel)
            self._send(status, body, kind, head)

        def _send(self, status: int, body: bytes, kind: str, head: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")  # a reload must fetch the rebuilt page
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Connection", "close")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _events(self, build: str) -> None:
            if not origin_allowed(self.headers.get("Origin"), server.host, server.port):
                self._refuse(403)  # another site's page may not listen to the plan's diagnostics
                return
            assert server._httpd is not None
            with server._httpd.stream_slot() as free:
                if not free:
                    self._refuse(503)  # every stream slot is taken: pages are still served
                    return
                self._stream(build)

        def _stream(self, build: str) -> None:
            inbox = server.hub.subscribe()  # before looking at the state, so no rebuild falls in between
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(b"retry: 500\n\n")
                seen = self.headers.get("Last-Event-ID") or build
                snapshot = server.snapshot
                if server.errors is not None:
                    self.wfile.write(sse("errors", server.errors, snapshot.token if snapshot else "none"))
                elif snapshot is not None and seen != snapshot.token:  # rebuilt since this page was served
                    self.wfile.write(sse("reload", {"build": snapshot.token, "changed": ["*"]}, snapshot.token))
                self.wfile.flush()
                while not server._stop.is_set():
                    try:
                        message = inbox.get(timeout=KEEPALIVE_SECONDS)
                    except queue.Empty:
                        message = b": keep-alive\n\n"
                    if message is None:
                        break
                    self.wfile.write(message)
                    self.wfile.flush()
            except (ConnectionError, OSError):
                pass  # the tab was closed
            finally:
                server.hub.unsubscribe(inbox)
                self.close_connection = True

    return Handler


# --- the command -----------------------------------------------------------------------------------


def run(plan_dir: Path, host: str = "127.0.0.1", port: int = 8000, *, log: Log = _default_log,
        colour: bool = False) -> int:
    """`strategy serve`: serve until Ctrl-C; returns the exit code. Raises PortInUse."""
    server = Server(plan_dir, host, port, log=log, colour=colour)
    language = server.language
    try:
        if host not in ("127.0.0.1", "localhost", "::1"):
            log("strategy serve: " + render(language, "serve.listening-wide", host=host), True)
        log("strategy serve: " + render(language, "serve.building", plan=str(plan_dir)), False)
        from ..cache.parsed_files import load_from_disk, save_to_disk

        load_from_disk()  # what the last command parsed: the first build parses only what changed since
        server.start()
        save_to_disk()
        from ..plan.diagnostics import shown_path

        log(f"strategy serve: {server.url}  " + render(language, "serve.watching", folders=", ".join(
            shown_path(str(d)) for d in server._watched())), False)
        server.wait()
    except KeyboardInterrupt:
        log("strategy serve: " + render(language, "serve.stopped"), False)
    finally:
        with contextlib.suppress(KeyboardInterrupt):
            server.close()
    return 0

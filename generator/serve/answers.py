"""What `strategy serve` answers to one HTTP request (reception.py reads the request's head): a page of the
last good build with the live-reload client added, the client itself, or the stream of server-sent events
that tells an open page to reload or to show the diagnostics."""

from __future__ import annotations

import http.server
import io
import queue
import socket
import threading
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from ..plan.messages import render
from .events import sse
from .reception import host_allowed, origin_allowed

if TYPE_CHECKING:
    from .events import Hub
    from .rebuild import Snapshot
    from .reception import Reception


class Server(Protocol):
    """What the answers read of the server (server.py's Server): its address, its last good build and the state
    the event streams report."""

    host: str
    port: int
    language: str  # the plan's: what the placeholder pages say
    hub: Hub
    snapshot: Snapshot | None
    errors: dict[str, Any] | None
    _httpd: Reception | None
    _stop: threading.Event

    def page(self, rel: str) -> tuple[int, bytes, str]: ...

PREFIX = "__strategy__/"
EVENTS_PATH = PREFIX + "events"
CLIENT_PATH = PREFIX + "live.js"
CLIENT_FILE = Path(__file__).with_name("live_reload.js")
KEEPALIVE_SECONDS = 15.0

CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
                 ".xml": "application/xml", ".csv": "text/csv; charset=utf-8", ".txt": "text/plain; charset=utf-8",
                 ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
                 ".woff2": "font/woff2", ".pdf": "application/pdf"}


def client_tag(token: str) -> bytes:
    return f'<script src="/{CLIENT_PATH}" data-build="{token}"></script>\n'.encode()


def inject(html: bytes, token: str) -> bytes:
    """The page with the live-reload client before its last `</body>` (appended when there is none)."""
    at = html.rfind(b"</body>")
    tag = client_tag(token)
    return html + tag if at < 0 else html[:at] + tag + html[at:]


def placeholder(message: str, token: str, language: str = "en") -> bytes:
    """A page saying `message` in `language`, with a link home; it reloads by itself after the next build."""
    return (f'<!DOCTYPE html>\n<html lang="{escape(language)}"><head><meta charset="utf-8">'
            '<title>strategy serve</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>\n'
            f'<body><main><h1>strategy serve</h1><p>{escape(message, quote=False)}</p>'
            f'<p><a href="/">{escape(render(language, "serve.page.home"), quote=False)}</a></p></main>\n'
            '</body></html>\n').encode() + client_tag(token)


class _SocketWriter:
    """What BaseHTTPRequestHandler writes to: every byte sent (sendall), nothing buffered."""

    def __init__(self, conn: socket.socket) -> None:
        self._conn = conn

    def write(self, data: bytes) -> int:
        self._conn.sendall(data)
        return len(data)

    def flush(self) -> None:
        pass


def answerer(server: Server) -> Callable[[socket.socket, bytes, Any], None]:
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

"""The preview's front door: the listening socket, a bounded pool of workers, and who may ask.

A connection costs a worker only once its request head is complete: one thread reads the heads of every
connection without blocking (`Reception._loop`), each within HEAD_SECONDS and HEAD_LIMIT bytes, so slow or
silent clients (thousands of them) cost a buffer, never a thread, and are dropped at their deadline or as
soon as they close. Complete requests go to a fixed pool of WORKERS threads; an event stream (live reload)
holds one of them, and at most STREAMS do, so pages are always served. The backlog is large enough for a
burst of hundreds of connections.

The preview answers only requests addressed to it: `Host` must name this machine (`localhost`, an IP
address, or the name given to --host) with the bound port, and an `Origin`, when sent, the same. A web page
elsewhere that points a name of its own at 127.0.0.1 (DNS rebinding) gets 421 and no content, so it can
read neither the pages nor the events.
"""

from __future__ import annotations

import contextlib
import ipaddress
import selectors
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

BACKLOG = 1024  # pending connections the kernel keeps (capped by net.core.somaxconn)
WORKERS = 24  # threads that answer complete requests
STREAMS = 16  # of them, at most this many hold an open event stream (a browser opens 6 a host at most)
HEAD_SECONDS = 10.0  # a request head not complete by then is dropped
HEAD_LIMIT = 64 * 1024  # bytes of request line and headers
PENDING_LIMIT = 512  # connections whose head is being read; past it, the oldest is dropped
SEND_SECONDS = 30.0  # a client that reads nothing for this long is dropped (pages and event streams)

Serve = Callable[[socket.socket, bytes, Any], None]  # (connection, its request head, client address)


def _port_of(netloc_port: str | None) -> int | None:
    if netloc_port is None or not netloc_port.isdigit():
        return None
    return int(netloc_port)


def split_host(value: str) -> tuple[str, int | None] | None:
    """(host, port) of a Host header or an origin's authority (`[::1]:8000` → `::1`, 8000); None if malformed."""
    value = value.strip()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        host, rest = value[1:end], value[end + 1:]
        if rest and not rest.startswith(":"):
            return None
        port = rest[1:] if rest else None
    else:
        host, _, port_text = value.partition(":")
        port = port_text if ":" in value else None
    if port is not None and _port_of(port) is None:
        return None
    return host.lower().rstrip("."), _port_of(port)


def host_allowed(value: str | None, bound_host: str, port: int) -> bool:
    """Whether a Host header (or an origin's authority) addresses this preview: an IP address (which no other
    site can point at us) or `localhost` or the --host name, and the bound port (80 may be left out)."""
    if not value:
        return False
    parsed = split_host(value)
    if parsed is None:
        return False
    host, given_port = parsed
    if (given_port if given_port is not None else 80) != port:
        return False
    if host in ("localhost", bound_host.lower().rstrip(".").strip("[]")):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def origin_allowed(origin: str | None, bound_host: str, port: int) -> bool:
    """An `Origin` header is absent (same-origin requests need not send one), or names this preview."""
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme == "http" and not parts.path and host_allowed(parts.netloc, bound_host, port)


class _Pending:
    __slots__ = ("address", "deadline", "head")

    def __init__(self, address: Any) -> None:
        self.address = address
        self.head = b""
        self.deadline = time.monotonic() + HEAD_SECONDS


class Reception:
    """Listens on (host, port), reads request heads, and hands each complete one to `serve` in a worker."""

    def __init__(self, host: str, port: int, serve: Serve) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.create_server((host, port), family=family, backlog=BACKLOG)
        self._listener.setblocking(False)
        self.address = self._listener.getsockname()[:2]
        self._serve = serve
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="serve-worker")
        self._selector = selectors.DefaultSelector()
        self._pending: dict[socket.socket, _Pending] = {}
        self._stop = threading.Event()
        self._streams = threading.BoundedSemaphore(STREAMS)

    def stream_slot(self) -> contextlib.AbstractContextManager[bool]:
        """`with reception.stream_slot() as ok:` ok is False when STREAMS event streams are open already."""
        streams = self._streams

        @contextlib.contextmanager
        def slot() -> Any:
            taken = streams.acquire(blocking=False)
            try:
                yield taken
            finally:
                if taken:
                    streams.release()

        return slot()

    def serve_forever(self) -> None:
        self._selector.register(self._listener, selectors.EVENT_READ)
        try:
            while not self._stop.is_set():
                for key, _ in self._selector.select(timeout=0.25):
                    if key.fileobj is self._listener:
                        self._accept()
                    else:
                        self._read(key.fileobj)  # type: ignore[arg-type]
                self._drop_late()
        finally:
            for conn in list(self._pending):
                self._drop(conn)
            self._selector.close()

    def shutdown(self) -> None:
        self._stop.set()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, address = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of file descriptors: the kernel keeps the rest in the backlog meanwhile
                return
            if len(self._pending) >= PENDING_LIMIT:
                self._drop(min(self._pending, key=lambda c: self._pending[c].deadline))
            conn.setblocking(False)
            self._pending[conn] = _Pending(address)
            self._selector.register(conn, selectors.EVENT_READ)

    def _read(self, conn: socket.socket) -> None:
        pending = self._pending.get(conn)
        if pending is None:
            return
        try:
            data = conn.recv(8192)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client closed: nothing is left of it
            self._drop(conn)
            return
        pending.head += data
        end = pending.head.find(b"\r\n\r\n")
        if end < 0 and len(pending.head) <= HEAD_LIMIT:
            return
        self._selector.unregister(conn)
        del self._pending[conn]
        if end < 0:
            with contextlib.suppress(OSError):
                conn.sendall(b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
            conn.close()
            return
        conn.setblocking(True)
        conn.settimeout(SEND_SECONDS)
        try:
            self._pool.submit(self._answer, conn, pending.head[:end + 4], pending.address)
        except RuntimeError:  # shutting down
            conn.close()

    def _answer(self, conn: socket.socket, head: bytes, address: Any) -> None:
        try:
            self._serve(conn, head, address)
        except OSError:
            pass  # the client went away
        finally:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _drop_late(self) -> None:
        now = time.monotonic()
        for conn in [c for c, p in self._pending.items() if p.deadline < now]:
            self._drop(conn)

    def _drop(self, conn: socket.socket) -> None:
        self._pending.pop(conn, None)
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(conn)
        conn.close()

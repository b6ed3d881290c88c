"""`strategy serve` against hostile or unlucky clients, on the real server over loopback: requests addressed
to another name (DNS rebinding), another site listening to its events, slow and silent clients, bursts of
connections, and a plan folder replaced under it."""

from __future__ import annotations

import http.client
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator.serve import reception
from generator.serve.reception import host_allowed
from generator.serve.server import Server
from tests.conftest import EXAMPLE
from tests.test_serve import OBJECTIVE, OBJECTIVE_PAGE, TODAY, WAIT, Events


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, Path, list[str]]]:
    plan = tmp_path / "content"
    shutil.copytree(EXAMPLE, plan)
    log: list[str] = []
    server = Server(plan, "127.0.0.1", 0, today=TODAY, log=lambda text, err: log.append(text))
    server.start()
    yield server, plan, log
    server.close()


def ask(port: int, path: str = "/", headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def until(condition: object, what: str) -> None:
    """Wait (never a timing assertion) until `condition()` holds."""
    deadline = time.monotonic() + WAIT
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"not within {WAIT:.0f} s: {what}", pytrace=False)
        time.sleep(0.05)


def test_a_request_for_another_name_gets_no_content(served: tuple[Server, Path, list[str]]) -> None:
    """A page of another site that points its own name at 127.0.0.1 (DNS rebinding) is answered 421 with no
    content, pages and events alike; the preview's own addresses (localhost, 127.0.0.1, [::1] on its port)
    are served."""
    server, _plan, _log = served
    port = server.port
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        status, body = ask(port, "/", {"Host": host})
        assert status == 200 and b"<html" in body, host
    for host in (f"evil.example:{port}", "evil.example", f"localhost:{port + 1}", "localhost",
                 f"127.0.0.1.evil.example:{port}", f"localhost:{port}@evil.example", ""):
        for path in ("/", "/__strategy__/events", "/__strategy__/live.js", f"/{OBJECTIVE_PAGE}"):
            status, body = ask(port, path, {"Host": host})
            assert (status, body) == (421, b""), (host, path)
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as raw:  # no Host at all (HTTP/1.0)
        raw.sendall(b"GET / HTTP/1.0\r\n\r\n")
        answer = raw.makefile("rb").read()
    assert answer.startswith(b"HTTP/1.1 421 ") and answer.endswith(b"\r\n\r\n")


def test_the_bound_name_is_allowed_and_only_on_its_port() -> None:
    """`--host mybox.local` serves Host mybox.local on its port; an IP address is always this machine."""
    assert host_allowed("mybox.local:8001", "mybox.local", 8001)
    assert host_allowed("192.168.1.20:8001", "0.0.0.0", 8001)
    assert not host_allowed("mybox.local:8002", "mybox.local", 8001)
    assert not host_allowed("other.local:8001", "mybox.local", 8001)
    assert host_allowed("localhost", "127.0.0.1", 80)


def test_another_sites_page_cannot_listen_to_the_events(served: tuple[Server, Path, list[str]]) -> None:
    """The live-reload channel refuses a request whose Origin is another site (403, no content), and accepts
    the preview's own origin."""
    server, _plan, _log = served
    port = server.port
    status, body = ask(port, "/__strategy__/events", {"Origin": "http://evil.example"})
    assert (status, body) == (403, b"")
    status, body = ask(port, "/__strategy__/events", {"Origin": f"http://localhost:{port + 1}"})
    assert (status, body) == (403, b"")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    connection.request("GET", "/__strategy__/events?build=x", headers={"Origin": f"http://127.0.0.1:{port}"})
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
    connection.close()


def test_two_hundred_concurrent_requests_are_all_answered(served: tuple[Server, Path, list[str]]) -> None:
    """A burst of 200 connections opened at once (before any is answered) gets 200 pages: none is dropped."""
    server, _plan, _log = served
    sockets = [socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) for _ in range(200)]
    try:
        for raw in sockets:
            raw.sendall(f"GET /{OBJECTIVE_PAGE} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())

        def status(raw: socket.socket) -> bytes:
            return raw.makefile("rb").readline()

        with ThreadPoolExecutor(max_workers=32) as pool:
            lines = list(pool.map(status, sockets))
    finally:
        for raw in sockets:
            raw.close()
    assert lines == [b"HTTP/1.1 200 OK\r\n"] * 200


def test_slow_clients_neither_block_others_nor_outlive_their_connection(
        served: tuple[Server, Path, list[str]]) -> None:
    """Hundreds of clients that send half a request and wait hold no worker: a normal page is still served
    meanwhile, and once they close, nothing of them is left in the server."""
    server, _plan, _log = served
    assert server._httpd is not None
    slow = [socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) for _ in range(300)]
    try:
        for raw in slow:
            raw.sendall(b"GET / HTTP/1.1\r\nHost: 127.0")
        status, body = ask(server.port, f"/{OBJECTIVE_PAGE}")
        assert status == 200 and b"<html" in body
        busy = [t for t in threading.enumerate() if t.name.startswith("serve-worker")]
        assert len(busy) <= reception.WORKERS
    finally:
        for raw in slow:
            raw.close()
    until(lambda: not server._httpd._pending, "the closed slow clients are forgotten")  # type: ignore[union-attr]


def test_a_silent_client_is_dropped_at_its_deadline(served: tuple[Server, Path, list[str]],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A client that connects and never finishes its request is disconnected after the head deadline."""
    server, _plan, _log = served
    monkeypatch.setattr(reception, "HEAD_SECONDS", 0.2)
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
        raw.sendall(b"GET / HTTP/1.1\r\n")
        assert raw.recv(1) == b""  # closed by the server


def test_a_replaced_plan_folder_is_watched_anew(served: tuple[Server, Path, list[str]], tmp_path: Path) -> None:
    """When the plan folder is renamed away and a new one is made in its place, the preview says so, builds
    the new folder, reloads the open pages, and keeps following edits made in it."""
    server, plan, log = served
    assert server.snapshot is not None
    stream = Events(server.port, server.snapshot.token)
    fresh = tmp_path / "fresh"
    shutil.copytree(plan, fresh)
    text = (fresh / OBJECTIVE).read_text(encoding="utf-8")
    (fresh / OBJECTIVE).write_text(text.replace("title: Générer des leads", "title: Attirer des leads", 1),
                                   encoding="utf-8")
    plan.rename(tmp_path / "old-content")
    fresh.rename(plan)
    stream.next("reload")
    until(lambda: "Attirer des leads" in ask(server.port, f"/{OBJECTIVE_PAGE}")[1].decode(), "the new plan served")
    assert any("a été remplacé par un nouveau dossier ; c'est lui qui est surveillé" in line for line in log)
    # edits in the new folder are seen
    path = plan / OBJECTIVE
    path.write_text(path.read_text(encoding="utf-8").replace("Attirer des leads", "Capter des leads", 1),
                    encoding="utf-8")
    until(lambda: "Capter des leads" in ask(server.port, f"/{OBJECTIVE_PAGE}")[1].decode(), "the edit served")
    stream.close()


def test_a_plan_folder_gone_is_said_on_the_open_page_until_it_is_back(
        served: tuple[Server, Path, list[str]], tmp_path: Path) -> None:
    """The plan folder moved away while a page is open: the page's overlay says so in the plan's language, with
    what to do, as the terminal does; the last good site stays served; once the folder is back, the page
    reloads and the overlay is gone."""
    server, plan, log = served
    assert server.snapshot is not None
    stream = Events(server.port, server.snapshot.token)
    plan.rename(tmp_path / "away")
    event = stream.next("errors")
    assert "a disparu" in event["diagnostics"][0]["message"]
    assert "remettez le dossier du plan" in event["diagnostics"][0]["hint"]
    assert ask(server.port, f"/{OBJECTIVE_PAGE}")[0] == 200  # the last good site
    (tmp_path / "away").rename(plan)
    stream.next("reload")
    assert server.errors is None
    assert any("a disparu" in line for line in log)
    stream.close()

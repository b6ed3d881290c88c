"""Many charts drawn at once, on every core, in worker processes started fresh.

A first build on a new machine draws every chart (two drawings each, about 0.1 s a drawing: minutes for a
large plan). The drawings are independent, so they are shared out over worker processes, each starting
vl-convert once and drawing its share. The workers are new Python processes (`python -m
generator.site.drawing_pool`), never forks: vl-convert's runtime has threads a fork does not copy
(chart_svg.py), and the process that builds keeps its own runtime unstarted, so it can still fork its page
renderers afterwards. Unlike multiprocessing's `spawn`, a new process does not import the program's main
module again, whatever program that is.

Each request is (key, drawing source, language, currency); the answer maps each key to its SVG, or to None
when vl-convert cannot draw it (the page then shows its data table).

`strategy serve` keeps its workers (`KeptWorkers`): started with the preview, their vl-convert runtime
started at once (1–2 s each), they draw the few drawings an edit changes, so a save never waits for a
runtime to start. A changed chart's wide and narrow drawings go to one worker together as soon as the chart
is made (`submit_all`, serve/rebuild.py), drawn while the pages render; a second changed chart goes to the
other worker.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import IO

Request = tuple[str, str, str, str, str | None]  # key, drawing source (Vega-Lite JSON), language, currency, locale


def draw_all(requests: Sequence[Request], processes: int) -> dict[str, str | None]:
    """The SVG of each request, drawn by `processes` workers, request i by worker i mod `processes` (the
    drawings cost about the same). A worker that fails (killed, out of memory) leaves its drawings out of
    the answer: the caller draws what is missing itself."""
    workers = []
    for worker in range(processes):
        share = pickle.dumps(list(requests[worker::processes]), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            proc = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            break
        workers.append((proc, share))
    for proc, share in workers:  # each worker reads its whole share before it draws: no write blocks for long
        assert proc.stdin is not None
        with contextlib.suppress(OSError):  # a worker that died: its drawings are missing from the answer
            proc.stdin.write(share)
            proc.stdin.close()
    drawn: dict[str, str | None] = {}
    for proc, _ in workers:
        assert proc.stdout is not None
        answer = proc.stdout.read()
        if proc.wait() == 0:
            with contextlib.suppress(Exception):  # a truncated answer: drawn by the caller
                drawn.update(pickle.loads(answer))
    return drawn


class KeptWorkers:
    """Drawing workers that stay up between builds, each with its runtime started: `draw` shares requests out
    over them as `draw_all` does, without a start-up. A worker that died is started again for the next call."""

    def __init__(self, processes: int) -> None:
        self._lock = threading.Lock()
        self._procs: list[subprocess.Popen[bytes] | None] = [_start(kept=True) for _ in range(processes)]
        self._pending: dict[int, set[str]] = {}  # worker → the keys it is drawing ahead (`submit_all`)
        self._owner = os.getpid()  # a forked copy of this process must not write to the workers
        self.asked = 0  # drawings these workers were asked for (tests count them)

    @property
    def processes(self) -> int:
        return len(self._procs)

    def submit(self, request: Request) -> None:
        """`submit_all([request])`: what a page rendered collecting hands over (parallel.render_drawn)."""
        self.submit_all([request])

    def submit_all(self, requests: Sequence[Request]) -> None:
        """Have one idle worker start drawing `requests` at once, one after the other, while this process does
        the rest of the build (`draw` collects them); none idle, they wait for `draw`. One message a worker at
        most: a worker whose answer is not read blocks on writing it, and must not be sent more meanwhile."""
        if os.getpid() != self._owner:
            return
        with self._lock:
            under_way = {key for keys in self._pending.values() for key in keys}
            requests = [request for request in requests if request[0] not in under_way]
            if not requests:
                return
            for worker in range(len(self._procs)):
                if worker in self._pending:
                    continue
                proc = self._procs[worker] or _start(kept=True)
                self._procs[worker] = proc
                if proc is not None and _send(proc.stdin, list(requests)):
                    self._pending[worker] = {request[0] for request in requests}
                    self.asked += len(requests)
                return

    def draw(self, requests: Sequence[Request]) -> dict[str, str | None]:
        """The SVG of each request (and of those submitted); the drawings of a worker that failed are left
        out (the caller draws them)."""
        with self._lock:
            drawn: dict[str, str | None] = {}
            for worker in list(self._pending):
                self._read(worker, drawn)
            self._pending.clear()
            requests = [request for request in requests if request[0] not in drawn]
            count = len(self._procs)
            busy = []
            for worker in range(min(count, len(requests))):
                proc = self._procs[worker] or _start(kept=True)
                self._procs[worker] = proc
                if proc is not None and _send(proc.stdin, list(requests[worker::count])):
                    busy.append(worker)
                    self.asked += len(requests[worker::count])
            for worker in busy:
                self._read(worker, drawn)
            return drawn

    def _read(self, worker: int, drawn: dict[str, str | None]) -> None:
        proc = self._procs[worker]
        answer = _receive(proc.stdout) if proc is not None else None
        if answer is None:  # died or answered garbage: started afresh next time
            self._stop(worker)
        else:
            drawn.update(answer)

    def close(self) -> None:
        """Stop the workers (each ends when its input closes)."""
        with self._lock:
            for worker in range(len(self._procs)):
                self._stop(worker)

    def _stop(self, worker: int) -> None:
        proc, self._procs[worker] = self._procs[worker], None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            assert proc.stdin is not None
            proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


_kept: KeptWorkers | None = None


def keep_workers(processes: int) -> KeptWorkers:
    """Start workers that stay up and draw what the builds of this process lack (`kept_workers`)."""
    global _kept
    if _kept is None:
        _kept = KeptWorkers(processes)
    return _kept


def kept_workers() -> KeptWorkers | None:
    """The workers `keep_workers` started, if they are up."""
    return _kept


def stop_kept_workers() -> None:
    global _kept
    kept, _kept = _kept, None
    if kept is not None:
        kept.close()


def _start(*, kept: bool) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen([sys.executable, "-m", __name__, *(["--kept"] if kept else [])],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return None


def _send(pipe: IO[bytes] | None, message: object) -> bool:
    """One message: its length on 8 bytes, then its pickle."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        assert pipe is not None
        pipe.write(len(data).to_bytes(8, "big") + data)
        pipe.flush()
    except (OSError, ValueError):  # a worker that died, or a pipe already closed
        return False
    return True


def _receive(pipe: IO[bytes] | None) -> dict[str, str | None] | None:
    try:
        assert pipe is not None
        size = int.from_bytes(pipe.read(8), "big")
        data = pipe.read(size)
        if not size or len(data) != size:
            return None
        answer: dict[str, str | None] = pickle.loads(data)
    except Exception:  # a worker killed mid-answer
        return None
    return answer


def _serve_kept() -> None:
    """In a kept worker: start vl-convert at once, then answer each message of requests until stdin closes."""
    from .chart_svg import draw_source, start_engine

    start_engine()
    while True:
        head = sys.stdin.buffer.read(8)
        if len(head) < 8:
            return
        batch: list[Request] = pickle.loads(sys.stdin.buffer.read(int.from_bytes(head, "big")))
        answer = {key: draw_source(key, source, language, currency, region)
                  for key, source, language, currency, region in batch}
        if not _send(sys.stdout.buffer, answer):
            return


def _serve() -> None:
    """In a worker: read a list of requests on stdin, write {key: svg or None} on stdout, with one vl-convert
    runtime for them all."""
    from .chart_svg import draw_source

    batch: list[Request] = pickle.load(sys.stdin.buffer)
    answer = {key: draw_source(key, source, language, currency, region)
              for key, source, language, currency, region in batch}
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _serve_kept() if sys.argv[1:] == ["--kept"] else _serve()

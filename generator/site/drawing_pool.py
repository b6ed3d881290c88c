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
"""

from __future__ import annotations

import contextlib
import pickle
import subprocess
import sys
from collections.abc import Sequence

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
    _serve()

"""A large site's pages rendered on every core.

Rendering the templates is the largest part of a big plan's build and each page is independent, so the
pages are shared out: page i goes to worker i mod n, the build's own process being worker 0. Workers are
forked once the pages are built, so they inherit the pages, the templates and the charts instead of
receiving them, and send back only HTML bytes; the parent puts them back in page order, so the site is
byte-identical to a one-process build.

Serial instead when it would not pay or not be safe: a small site (forking costs more than it saves), one
core, no `fork` (only Linux is trusted with it), or other threads running (`strategy serve`: a fork copies
locks another thread may hold; vl-convert's are such threads, once this process has drawn a chart).
`STRATEGY_JOBS=1` forces one process; `STRATEGY_JOBS=N` caps the workers.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

MIN_PAGES_PER_WORKER = 40  # below this, a worker's start-up (≈ 20 ms) outweighs what it renders

_job: tuple[Callable[[Any], bytes], Sequence[Any], int] | None = None  # what forked workers inherit


def workers(pages: int) -> int:
    """How many processes to render `pages` pages with (1: in this process only)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    wanted = os.environ.get("STRATEGY_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        cores = min(cores, int(wanted))
    if sys.platform != "linux" or threading.active_count() > 1 or _drawing_engine_started():
        return 1
    return max(1, min(cores, pages // MIN_PAGES_PER_WORKER))


def _drawing_engine_started() -> bool:
    """vl-convert's runtime has threads of its own that a fork does not copy: a forked worker would wait on
    them forever (site/chart_svg.py)."""
    from .site.chart_svg import engine_started

    return engine_started()


def render_all(render: Callable[[Any], bytes], pages: Sequence[Any], jobs: int | None = None) -> list[bytes]:
    """`[render(page) for page in pages]`, shared over `jobs` processes (default: `workers()`)."""
    count = workers(len(pages)) if jobs is None else max(1, min(jobs, len(pages)))
    if count < 2:
        return [render(page) for page in pages]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _job
    _job = (render, pages, count)
    try:
        with ProcessPoolExecutor(count - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_share, worker) for worker in range(1, count)]
            shares: list[list[bytes] | None] = [[render(page) for page in pages[0::count]]]
            shares += [_result(future) for future in futures]
    finally:
        _job = None
    out: list[bytes] = [b""] * len(pages)
    for worker, share in enumerate(shares):
        # a worker that failed (a template error, a crash) has its pages rendered here, where the error is
        # raised as the user must see it rather than as whatever survived the trip between processes
        out[worker::count] = share if share is not None else [render(page) for page in pages[worker::count]]
    return out


def _share(worker: int) -> list[bytes] | None:
    assert _job is not None
    render, pages, count = _job
    try:
        return [render(page) for page in pages[worker::count]]
    except Exception:
        return None


def _result(future: Any) -> list[bytes] | None:
    try:
        result: list[bytes] | None = future.result()
    except Exception:  # the worker died (killed, out of memory): its share is rendered in this process
        return None
    return result

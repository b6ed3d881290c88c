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

The chart drawings the cache lacks (a first build) are drawn apart, by fresh worker processes that need no
fork (`render_drawn`, site/drawing_pool.py), so the building process never starts vl-convert itself.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

R = TypeVar("R")

MIN_PAGES_PER_WORKER = 40  # below this, a worker's start-up (≈ 20 ms) outweighs what it renders
MIN_DRAWINGS_PER_WORKER = 24  # below this, a drawing worker's start-up (≈ 1.5 s: vl-convert's) does not pay

_job: tuple[Callable[[Any], Any], Sequence[Any], int] | None = None  # what forked workers inherit


def _cores() -> int:
    """The cores this process may use, capped by STRATEGY_JOBS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    wanted = os.environ.get("STRATEGY_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        cores = min(cores, int(wanted))
    return cores


def workers(pages: int) -> int:
    """How many processes to render `pages` pages with (1: in this process only)."""
    cores = _cores()
    if sys.platform != "linux" or threading.active_count() > 1 or _drawing_engine_started():
        return 1
    return max(1, min(cores, pages // MIN_PAGES_PER_WORKER))


def drawing_workers(drawings: int, jobs: int | None = None) -> int:
    """How many spawned processes to draw `drawings` charts with (0: this process draws them). Spawned, not
    forked, so threads or vl-convert running here do not matter; `jobs` below 2 (STRATEGY_JOBS=1, or a
    version built beside its siblings) keeps the drawing here."""
    if jobs is not None and jobs < 2:
        return 0
    cores = _cores() if jobs is None else min(_cores(), jobs)
    count = min(cores, drawings // MIN_DRAWINGS_PER_WORKER)
    return count if count >= 2 else 0  # one worker would draw no faster than this process, a start-up later


def _drawing_engine_started() -> bool:
    """vl-convert's runtime has threads of its own that a fork does not copy: a forked worker would wait on
    them forever (site/chart_svg.py)."""
    from .site.chart_svg import engine_started

    return engine_started()


def render_drawn(render: Callable[[Any], bytes], pages: Sequence[Any], jobs: int | None = None) -> list[bytes]:
    """`render_all`, the chart drawings the cache lacks drawn on every core in between: the pages are
    rendered collecting them (site/chart_svg.py, a placeholder in the page for each), spawned workers draw
    them all at once, then each drawing takes its placeholder's place; a page with a drawing that could not be
    made is rendered again (it shows the chart's table instead). With every drawing in the cache, that is
    one `render_all`."""
    from .site import chart_svg
    from .site.drawing_pool import draw_all, kept_workers

    kept = kept_workers()  # strategy serve's, their runtimes started: worth it for a single drawing

    def collecting(page: Any) -> tuple[bytes, dict[str, Any]]:
        chart_svg.collect_missing(True, kept.submit if kept is not None else None)
        try:
            html = render(page)
        finally:
            missing = chart_svg.collect_missing(False)
        return html, missing

    first = render_all(collecting, pages, jobs)
    html = [text for text, _ in first]
    again = [i for i, (_, missing) in enumerate(first) if missing]
    if again:
        requests = list({key: request for i in again for key, request in first[i][1].items()}.values())
        processes = drawing_workers(len(requests), jobs)
        if kept is not None and processes <= kept.processes:  # (more fresh ones on a machine of more cores)
            drawn = kept.draw(requests)
        elif kept is not None:
            drawn = kept.draw([])  # what they were given ahead
            drawn.update(draw_all([request for request in requests if request[0] not in drawn], processes))
        elif processes:
            drawn = draw_all(requests, processes)
        else:  # too few to pay for a worker's start-up: drawn here, as the pages are rendered again
            drawn = {}
        chart_svg.keep_drawn_ahead(drawn)
        redo = []
        for i in again:
            svgs = [drawn.get(key) for key in first[i][1]]
            if any(svg is None for svg in svgs):  # not drawn by a worker: drawn here, or the table instead
                redo.append(i)
                continue
            for key, svg in zip(first[i][1], svgs, strict=True):
                assert svg is not None
                html[i] = html[i].replace(chart_svg.placeholder(key).encode(), svg.encode("utf-8"))
        for i, text in zip(redo, render_all(render, [pages[i] for i in redo], jobs), strict=True):
            html[i] = text
    return html


def render_all(render: Callable[[Any], R], pages: Sequence[Any], jobs: int | None = None) -> list[R]:
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
            shares: list[list[R] | None] = [[render(page) for page in pages[0::count]]]
            shares += [_result(future) for future in futures]
    finally:
        _job = None
    out: list[Any] = [None] * len(pages)
    for worker, share in enumerate(shares):
        # a worker that failed (a template error, a crash) has its pages rendered here, where the error is
        # raised as the user must see it rather than as whatever survived the trip between processes
        out[worker::count] = share if share is not None else [render(page) for page in pages[worker::count]]
    return out


def _share(worker: int) -> list[Any] | None:
    assert _job is not None
    render, pages, count = _job
    try:
        return [render(page) for page in pages[worker::count]]
    except Exception:
        return None


def _result(future: Any) -> list[Any] | None:
    try:
        result: list[Any] | None = future.result()
    except Exception:  # the worker died (killed, out of memory): its share is rendered in this process
        return None
    return result

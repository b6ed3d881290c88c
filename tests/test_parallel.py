"""Pages rendered on several cores give the very site one process gives, and errors as one process does."""

from __future__ import annotations

import datetime as dt
import sys
import threading
from pathlib import Path

import pytest

from generator import parallel
from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="pages are rendered in parallel on Linux only")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_site_rendered_on_three_processes_is_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sharing the pages out changes nothing in the site: same files, same bytes, same order of pages."""
    monkeypatch.setenv("STRATEGY_JOBS", "1")
    one = build(ROOT / "content", tmp_path / "one", TODAY)
    monkeypatch.delenv("STRATEGY_JOBS")
    shares: list[int] = []
    real = parallel.render_all

    def three(render, pages, jobs=None):  # type: ignore[no-untyped-def]
        shares.append(len(pages))
        return real(render, pages, jobs=3)

    monkeypatch.setattr(parallel, "render_all", three)
    many = build(ROOT / "content", tmp_path / "many", TODAY)
    assert one.ok and many.ok and shares, "the parallel path was taken"
    assert (one.pages, one.charts) == (many.pages, many.charts)
    assert _files(tmp_path / "one") == _files(tmp_path / "many")


def test_pages_come_back_in_their_order() -> None:
    """Page i's HTML is page i's, whatever process made it."""
    pages = list(range(101))
    assert parallel.render_all(lambda n: str(n * n).encode(), pages, jobs=2) == [str(n * n).encode() for n in pages]


def test_an_error_in_a_worker_is_raised_as_itself() -> None:
    """A theme error met by another process reaches the user as the same error, not as a broken pool."""

    def render(n: int) -> bytes:
        if n == 7:  # page 7 belongs to worker 1 of 2
            raise ValueError("page 7 cannot be rendered")
        return b"ok"

    with pytest.raises(ValueError, match="page 7 cannot be rendered"):
        parallel.render_all(render, list(range(20)), jobs=2)


def test_small_sites_threads_and_strategy_jobs_keep_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """No process is forked for a few pages, while other threads run (serve), or with STRATEGY_JOBS=1."""
    monkeypatch.delenv("STRATEGY_JOBS", raising=False)
    assert parallel.workers(10) == 1
    monkeypatch.setenv("STRATEGY_JOBS", "1")
    assert parallel.workers(10_000) == 1
    monkeypatch.delenv("STRATEGY_JOBS")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.workers(10_000) == 1
    finally:
        stop.set()
        thread.join()

"""`strategy serve` in Chromium: a save shows in the open page without anyone reloading it, and a broken save
shows its errors over the last good page, within the site's Content-Security-Policy (any violation would be a
console error)."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.serve.server import Server
from tests.browser.conftest import FIGURES, NewContext
from tests.browser.helpers import Tab, no_problems
from tests.conftest import EXAMPLE

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 23)
OBJECTIVE = "objectives/qualite-leads.md"
PAGE = "objectives/qualite-leads.html"
TITLE = "Générer des leads plus qualifiés à un coût maîtrisé"
WAIT_MS = 60_000
OVERLAY = "#strategy-serve-overlay"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    plan = tmp_path / "content"
    shutil.copytree(EXAMPLE, plan)
    server = Server(plan, "127.0.0.1", 0, today=TODAY, log=lambda text, err: None)
    server.start()
    yield server, plan
    server.close()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _connected(server: Server, count: int = 1) -> None:
    """Wait until the page's live-reload client has opened its event stream."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while server.hub.count() < count:
        if time.monotonic() > deadline:
            pytest.fail("the page never opened /__strategy__/events", pytrace=False)
        time.sleep(0.02)


def test_a_save_shows_in_the_page_by_itself(served: tuple[Server, Path], new_context: NewContext) -> None:
    """Saving the objective's title changes the open page's heading without calling reload: the page
    reloads itself (a mark left in the old page is gone); the figure is the save-to-page time."""
    server, plan = served
    context, guard = new_context()
    tab = Tab(context)
    not_drawn = tab.open(server.url + PAGE)
    assert not_drawn == []
    _connected(server)
    timings = []
    titles = [TITLE, "Attirer des leads qualifiés", "Des leads mieux qualifiés", "Attirer des leads qualifiés"]
    for old, new in itertools.pairwise(titles):
        connected = server.hub.count()
        tab.page.evaluate("window.__beforeSave = true")
        saved = time.perf_counter()
        _edit(plan / OBJECTIVE, f"title: {old}", f"title: {new}")
        tab.page.wait_for_function("title => document.querySelector('h1').textContent.includes(title)", arg=new,
                                   timeout=WAIT_MS)
        timings.append(time.perf_counter() - saved)
        assert tab.page.evaluate("window.__beforeSave === undefined"), "the page was patched, not reloaded"
        _connected(server, connected)  # the reloaded page listens again before the next save
    FIGURES["serve: save → open page shows the edit"] = (
        f"median {statistics.median(timings) * 1000:.0f} ms (" + ", ".join(f"{t * 1000:.0f}" for t in timings)
        + " ms; example plan, Chromium headless)")
    assert tab.wait_for_charts() == []
    no_problems(tab.errors, "console errors while live-reloading")
    assert guard.blocked == []
    tab.close()


def test_a_broken_save_shows_the_errors_over_the_last_good_page(served: tuple[Server, Path],
                                                                 new_context: NewContext) -> None:
    """A save that breaks the plan shows an overlay naming file:line:column, the message and the hint, with the
    plan's text shown as text (never as HTML), over the last good page; the fixing save removes it."""
    server, plan = served
    context, guard = new_context()
    tab = Tab(context)
    tab.open(server.url + PAGE)
    _connected(server)
    _edit(plan / OBJECTIVE, "personas: [", "personas: ['<b>x</b>', ")
    overlay = tab.page.locator(OVERLAY)
    overlay.wait_for(state="visible", timeout=WAIT_MS)
    text = overlay.inner_text()
    assert f"{OBJECTIVE}:" in text and "<b>x</b>" in text and "conseil :" in text  # the example plan speaks French
    assert overlay.locator("b").count() == 0, "plan text was parsed as HTML"
    assert overlay.get_attribute("role") == "alert"
    where = overlay.locator(".strategy-serve-diagnostic .where").first.inner_text()
    file, line, column = where.rsplit(":", 2)
    assert file.endswith(OBJECTIVE) and int(line) > 1 and int(column) >= 1
    assert TITLE in tab.page.locator("h1").inner_text(), "the last good page stays"
    _edit(plan / OBJECTIVE, "personas: ['<b>x</b>', ", "personas: [")
    overlay.wait_for(state="detached", timeout=WAIT_MS)
    no_problems(tab.errors, "console errors around the overlay")
    assert guard.blocked == []
    tab.close()

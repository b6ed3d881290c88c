"""`strategy serve`: the preview a writer keeps open while editing the plan.

The server runs in a thread on a free port with a copy of content/; the tests read its pages over HTTP and
its server-sent events the way the live-reload client does, while they edit the plan and the theme."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import queue
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from generator.serve.server import Builder, PortInUse, Server, _editor_filter, client_tag
from generator.site.render import default_theme_dir
from tests.conftest import EXAMPLE

TODAY = dt.date(2026, 11, 23)
WAIT = 60.0  # seconds an event may take on a loaded machine; a wait, never a timing assertion
OBJECTIVE = "objectives/qualite-leads.md"
OBJECTIVE_PAGE = "objectives/qualite-leads.html"


@dataclass
class Preview:
    server: Server
    plan: Path
    log: list[str]

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8")
        finally:
            connection.close()

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.plan / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


class Events:
    """The server-sent events one open page receives, read in a thread."""

    def __init__(self, port: int, build: str) -> None:
        self._connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self._connection.request("GET", f"/__strategy__/events?build={build}")
        self._response = self._connection.getresponse()
        assert self._response.status == 200
        assert self._response.getheader("Content-Type") == "text/event-stream"
        self._events: queue.Queue[tuple[str, dict]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name, data = "", ""
        try:
            for raw in self._response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif not line and name:
                    self._events.put((name, json.loads(data)))
                    name, data = "", ""
        except (OSError, ValueError):
            pass

    def next(self, wanted: str) -> dict:
        """The next event named `wanted` (others before it are skipped)."""
        while True:
            try:
                name, data = self._events.get(timeout=WAIT)
            except queue.Empty:
                pytest.fail(f"no `{wanted}` event within {WAIT:.0f} s", pytrace=False)
            if name == wanted:
                return data

    def close(self) -> None:
        self._connection.close()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    """A served copy of content/, with a plan theme overriding page.html (so a theme edit can be tested)."""
    plan = tmp_path / "content"
    shutil.copytree(EXAMPLE, plan)
    own_theme = tmp_path / "themes" / "default" / "templates"
    own_theme.mkdir(parents=True)
    shutil.copy(default_theme_dir() / "templates" / "page.html", own_theme / "page.html")
    log: list[str] = []
    server = Server(plan, "127.0.0.1", 0, today=TODAY, log=lambda text, err: log.append(text))
    server.start()
    yield Preview(server, plan, log)
    server.close()


def events(preview: Preview) -> Events:
    assert preview.server.snapshot is not None
    return Events(preview.server.port, preview.server.snapshot.token)


def test_pages_are_served_with_the_live_reload_client(preview: Preview, tmp_path: Path) -> None:
    """Every page is what `strategy build` writes (without the search index, which a preview does not
    make), plus one <script src> of the live-reload client before </body>; a built site never holds it."""
    out = tmp_path / "built"
    assert build(preview.plan, out, TODAY, search=False).ok
    status, html = preview.get("/")
    assert status == 200
    tag = client_tag(preview.server.snapshot.token).decode()
    assert html.count("/__strategy__/live.js") == 1
    assert html.index(tag) < html.rindex("</body>")
    assert html.replace(tag, "") == (out / "index.html").read_text(encoding="utf-8")
    built = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != ".strategy-site")
    assert sorted(preview.server.snapshot.files) == built
    for path in out.rglob("*.html"):
        assert "__strategy__" not in path.read_text(encoding="utf-8"), path
    status, client = preview.get("/__strategy__/live.js")
    assert status == 200 and "EventSource" in client and ".innerHTML" not in client
    assert not (preview.plan.parent / "output").exists(), "serve must never write output/"


def test_folder_urls_and_missing_pages(preview: Preview) -> None:
    """/objectives/ is its index page, /objectives redirects there, and a missing page is a 404 that still
    reloads by itself once the page exists."""
    assert preview.get("/objectives/")[0] == 200
    connection = http.client.HTTPConnection("127.0.0.1", preview.server.port, timeout=30)
    connection.request("GET", "/objectives")
    response = connection.getresponse()
    assert (response.status, response.getheader("Location")) == (301, "/objectives/")
    connection.close()
    status, html = preview.get("/objectives/nope.html")
    assert status == 404 and "/__strategy__/live.js" in html


def test_a_missing_page_is_said_in_the_plans_language(preview: Preview) -> None:
    """On the French example plan, the 404 page a writer meets during `strategy serve` is French: its
    sentence, its link home, and its `lang`."""
    status, html = preview.get("/nope.html")
    assert status == 404
    assert '<html lang="fr">' in html
    assert "<p>Aucune page à /nope.html dans le site de ce plan.</p>" in html
    assert '<a href="/">Page d\'accueil</a>' in html
    assert "No page" not in html and "Home page" not in html


def test_an_edit_reloads_the_page_with_the_new_content(preview: Preview) -> None:
    """Saving an objective sends `reload` naming its page, and the page then shows the edit; the terminal
    says how long the rebuild took."""
    stream = events(preview)
    preview.edit(OBJECTIVE, "title: Générer des leads", "title: Attirer des leads")
    reload = stream.next("reload")
    assert OBJECTIVE_PAGE in reload["changed"]
    assert "solutions/index.html" not in reload["changed"], "a page the edit does not touch is not reloaded"
    status, html = preview.get("/" + OBJECTIVE_PAGE)
    assert status == 200 and "Attirer des leads" in html
    assert any(line.startswith("reconstruit en ") and " ms" in line for line in preview.log)  # the plan is French
    stream.close()


def test_a_broken_edit_shows_errors_and_keeps_the_last_good_site(preview: Preview) -> None:
    """A save that breaks the plan sends `errors` with file, line, column, message and hint; the last good
    page is still served; the terminal prints the diagnostics; the next good save reloads."""
    stream = events(preview)
    _, before = preview.get("/" + OBJECTIVE_PAGE)
    preview.edit(OBJECTIVE, "level: marketing", "level: [marketing")
    report = stream.next("errors")
    assert report["errors"] >= 1
    first = next(d for d in report["diagnostics"] if d["file"].endswith(OBJECTIVE))
    assert first["line"] >= 3 and first["column"] >= 1 and first["message"] and first["hint"]
    status, html = preview.get("/" + OBJECTIVE_PAGE)
    assert status == 200 and html == before
    terminal = "\n".join(preview.log)
    assert OBJECTIVE in terminal and f"  {first['line']}:{first['column']}  erreur" in terminal  # French plan
    assert any("le dernier site correct reste servi" in line for line in preview.log)
    assert report["words"]["heading"].startswith("strategy serve : le plan a ")
    # a page opened while the plan is broken gets the errors at once
    late = events(preview)
    assert late.next("errors")["errors"] == report["errors"]
    preview.edit(OBJECTIVE, "level: [marketing", "level: marketing")
    assert stream.next("reload")["build"] == preview.server.snapshot.token
    late.close()
    stream.close()


def test_a_theme_template_edit_reloads(preview: Preview) -> None:
    """Editing a template of the plan's theme re-renders the pages that use it."""
    stream = events(preview)
    template = preview.plan.parent / "themes" / "default" / "templates" / "page.html"
    text = template.read_text(encoding="utf-8")
    assert "{% block content %}" in text
    template.write_text(text.replace("{% block content %}", "{% block content %}<p>THEME-EDIT-MARK</p>", 1),
                        encoding="utf-8")
    reload = stream.next("reload")
    assert "pages/audit.html" in reload["changed"]
    assert "THEME-EDIT-MARK" in preview.get("/pages/audit.html")[1]
    stream.close()


def test_a_template_error_names_the_template_line(preview: Preview) -> None:
    """A template that no longer compiles is reported at template:line, and the last good site stays."""
    stream = events(preview)
    template = preview.plan.parent / "themes" / "default" / "templates" / "page.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    report = stream.next("errors")
    where = report["diagnostics"][0]
    assert where["file"].endswith("page.html") and where["line"] > 1
    assert preview.get("/pages/audit.html")[0] == 200
    stream.close()


def test_a_theme_template_naming_a_missing_one_is_reported_as_check_reports_it(preview: Preview) -> None:
    """A theme template that includes a template no theme has, in a branch no page renders, is the error
    `strategy check` and the build report (theme-template, at its line), shown on the preview's overlay; the
    last good site stays."""
    stream = events(preview)
    template = preview.plan.parent / "themes" / "default" / "templates" / "page.html"
    template.write_text(template.read_text(encoding="utf-8")
                        + '\n{% if page.path == "nulle-part" %}{% include "manquant.html" %}{% endif %}\n',
                        encoding="utf-8")
    report = stream.next("errors")
    codes = [(d["code"], d["file"].rsplit("/", 1)[-1]) for d in report["diagnostics"]]
    assert ("theme-template", "page.html") in codes, report["diagnostics"]
    assert "manquant.html" in report["diagnostics"][0]["message"]
    assert preview.get("/pages/audit.html")[0] == 200
    stream.close()


def test_a_page_served_before_a_rebuild_reloads_on_connecting(preview: Preview) -> None:
    """A page that connects after a rebuild it missed (its data-build is older) is told to reload."""
    stream = Events(preview.server.port, "an-older-build")
    assert stream.next("reload")["changed"] == ["*"]
    stream.close()


def test_rebuilding_only_what_changed_gives_the_full_build(preview: Preview) -> None:
    """After edits (one objective, its data, a broken then fixed save), the served site is byte for byte
    what a fresh full build gives: the kept charts and pages are never stale."""
    stream = events(preview)
    preview.edit(OBJECTIVE, "title: Générer des leads", "title: Attirer des leads")
    stream.next("reload")
    csv = next(p for p in (preview.plan / "data").glob("*.csv"))
    csv.write_text(csv.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[0] + "\n", encoding="utf-8")
    stream.next("reload")
    (preview.plan / "pages" / "nouvelle.md").write_text("---\ntitle: Nouvelle page\n---\nTexte.\n", encoding="utf-8")
    changed = stream.next("reload")["changed"]
    assert "pages/nouvelle.html" in changed and "index.html" in changed  # the menu lists the new page
    outcome, fresh = Builder(preview.plan, TODAY).build()
    assert outcome.ok and fresh is not None
    served = preview.server.snapshot.files
    assert sorted(served) == sorted(fresh)
    assert [p for p in fresh if served[p] != fresh[p]] == []
    stream.close()


def _drawings(files: dict[str, bytes]) -> set[bytes]:
    import re

    return {svg for page, html in files.items() if page.endswith(".html")
            for svg in re.findall(rb'<svg [^>]*class="chart-svg".*?</svg>', html, re.DOTALL)}


def test_a_measurement_edit_redraws_only_the_charts_that_show_it(preview: Preview, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A new measurement of one KPI redraws the charts whose picture changes (its chart, the funnel and
    progress it feeds), each wide and narrow, once, in serve's drawing workers started with the preview;
    every other chart keeps its drawing."""
    from generator.cache import store
    from generator.site import drawing_pool

    # an empty drawings cache from now on (an earlier run drew this edit too): the preview keeps in memory
    # the drawings its pages show
    monkeypatch.setattr(store.CHART_DRAWINGS, "root", tmp_path / "drawings")

    kept = drawing_pool.kept_workers()
    assert kept is not None and kept.processes == 2
    asked = kept.asked
    before = _drawings(preview.server.snapshot.files)
    stream = events(preview)
    preview.edit("data/nouveaux-clients.csv", "2026-10,1", "2026-10,2")
    stream.next("reload")
    after = _drawings(preview.server.snapshot.files)
    new = after - before
    assert len(new) >= 2 and kept.asked - asked == len(new)  # each made once, nothing else
    assert sum(b'width="340"' in svg for svg in new) * 2 == len(new)  # wide and narrow
    assert len(after & before) >= len(before) - len(new)  # the other charts kept theirs
    stream.close()


def test_a_measurement_edit_starts_its_drawings_before_any_page_renders(preview: Preview, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The new drawings of a measurement edit are handed to serve's drawing workers as soon as its chart is made,
    before any page is rendered, so the save waits for the pages or the drawings, not both one after the
    other; the rebuilt site is still byte for byte a fresh build's."""
    from generator.cache import store
    from generator.site import drawing_pool, render

    monkeypatch.setattr(store.CHART_DRAWINGS, "root", tmp_path / "drawings")  # nothing drawn by an earlier run
    kept = drawing_pool.kept_workers()
    assert kept is not None
    asked, asked_when_rendering = kept.asked, []
    real = render.render_page

    def rendering(*args: object, **kwargs: object) -> str:
        if not asked_when_rendering:
            asked_when_rendering.append(kept.asked)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render_page", rendering)
    stream = events(preview)
    preview.edit("data/nouveaux-clients.csv", "2026-10,1", "2026-10,3")
    stream.next("reload")
    assert asked_when_rendering[0] - asked >= 2  # its chart's wide and narrow (and those of a funnel it feeds)
    monkeypatch.setattr(render, "render_page", real)
    outcome, fresh = Builder(preview.plan, TODAY).build()
    assert outcome.ok and fresh is not None
    served = preview.server.snapshot.files
    assert sorted(served) == sorted(fresh) and [p for p in fresh if served[p] != fresh[p]] == []
    stream.close()


def test_a_port_in_use_is_a_usage_error_naming_port() -> None:
    """When the port is taken, `strategy serve` says so and suggests --port (exit 2), without a traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortInUse, match="--port"):
            Server(EXAMPLE, "127.0.0.1", port, watch=False).start()
        result = CliRunner().invoke(main, ["serve", str(EXAMPLE), "--port", str(port)])
    assert result.exit_code == 2
    assert f"port {port}" in result.output and "--port" in result.output
    assert "Traceback" not in result.output


def test_editor_temporary_files_are_not_watched() -> None:
    """Swap, backup and lock files that editors write beside a plan file trigger no rebuild."""
    from watchfiles import Change

    for name in (".qualite-leads.md.swp", "qualite-leads.md~", ".#qualite-leads.md", "4913", "#notes.md#",
                 "x.md.tmp", ".git/index"):
        assert not _editor_filter(Change.modified, f"/plan/objectives/{name}"), name
    assert _editor_filter(Change.modified, "/plan/objectives/qualite-leads.md")


def test_a_plan_broken_from_the_start_is_served_once_fixed(tmp_path: Path) -> None:
    """Started on a plan with errors, the preview answers with a page that shows the errors and reloads by
    itself; once the plan is fixed, the site is there."""
    plan = tmp_path / "content"
    shutil.copytree(EXAMPLE, plan)
    path = plan / OBJECTIVE
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("level: marketing", "level: [marketing", 1), encoding="utf-8")
    server = Server(plan, "127.0.0.1", 0, today=TODAY, log=lambda text, err: None)
    server.start()
    try:
        preview = Preview(server, plan, [])
        status, html = preview.get("/")
        assert status == 503 and "/__strategy__/live.js" in html and "Le plan a des erreurs" in html
        stream = Events(server.port, "none")
        assert any(d["file"].endswith(OBJECTIVE) for d in stream.next("errors")["diagnostics"])
        path.write_text(good, encoding="utf-8")
        assert stream.next("reload")["changed"]
        assert preview.get("/" + OBJECTIVE_PAGE)[0] == 200
        stream.close()
    finally:
        server.close()


def test_ctrl_c_stops_without_a_traceback(tmp_path: Path) -> None:
    """`strategy serve` prints its address, and Ctrl-C (SIGINT) stops it with exit 0 and no traceback."""
    import os
    import signal
    import subprocess
    import sys

    plan = tmp_path / "content"
    shutil.copytree(EXAMPLE, plan)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795392000"}  # 2026-11-23
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(plan), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               cwd=Path(__file__).resolve().parent.parent)
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "http://127.0.0.1:" in line:
                break
        assert any(line.startswith("construit en ") for line in lines), lines  # the example plan is French
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err + out
    assert "arrêté" in out  # the example plan speaks French

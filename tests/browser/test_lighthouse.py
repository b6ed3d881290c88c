"""Lighthouse (npm `lighthouse`, from scripts/install-test-tools) on the example site as GitHub Pages serves it
(gzip, `Cache-Control: max-age=600`), from 127.0.0.1, with Debian's Chromium: the dashboard, an objective and a
funnel page, mobile preset (simulated slow 4G, 4× slower CPU). The four scores are printed with the browser
tests' figures; performance must be at least 90, accessibility, best practices and SEO at least 95."""

from __future__ import annotations

import gzip
import http.server
import json
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import ClassVar

import pytest

from tests.browser.conftest import CHROMIUM, FIGURES, NODE_MODULES, SUB_PATH, BuiltSite, require
from tests.browser.helpers import LOCAL_HOST

pytestmark = pytest.mark.browser

LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"
PAGES = ("index.html", "objectives/croissance-clients.html", "funnels/acquisition.html")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = {"performance": 90, "accessibility": 95, "best-practices": 95, "seo": 95}
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Files as GitHub Pages sends them: text gzipped when the browser accepts it, cached for ten minutes."""

    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                                                ".js": "text/javascript", ".json": "application/json",
                                                ".svg": "image/svg+xml", ".css": "text/css",
                                                ".html": "text/html; charset=utf-8"}

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or path.suffix not in COMPRESSED \
                or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Body:
    """A file-like answer of bytes, for SimpleHTTPRequestHandler.copyfile."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self, size: int = -1) -> bytes:
        data, self._data = (self._data, b"") if size < 0 else (self._data[:size], self._data[size:])
        return data

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def gzip_server(built_site: BuiltSite) -> Iterator[str]:
    """The example site served gzipped at http://127.0.0.1:PORT/strategy-site/."""
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), partial(_GzipHandler, directory=str(built_site.www)))
    thread = threading.Thread(target=server.serve_forever, name="gzip-server", daemon=True)
    thread.start()
    yield f"http://{LOCAL_HOST}:{server.server_address[1]}/{SUB_PATH}/"
    server.shutdown()
    server.server_close()


def lighthouse(url: str, report: Path) -> dict[str, int]:
    """The four scores (0-100) of one Lighthouse run on `url`, mobile preset; the JSON report kept in `report`."""
    command = ["node", str(require(LIGHTHOUSE, "Lighthouse (npm lighthouse)")), url,
               "--output=json", f"--output-path={report}", "--quiet", f"--chrome-path={require(CHROMIUM, 'Chromium')}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
               "--only-categories=" + ",".join(CATEGORIES)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    if done.returncode != 0 or not report.is_file():
        pytest.fail(f"lighthouse failed on {url} (exit {done.returncode}):\n{done.stderr[-2000:]}", pytrace=False)
    result = json.loads(report.read_text(encoding="utf-8"))
    return {name: round(100 * (result["categories"][name]["score"] or 0)) for name in CATEGORIES}


def _failing_audits(report: Path, category: str) -> list[str]:
    """The audits of `category` that lost points, to say what to fix."""
    result = json.loads(report.read_text(encoding="utf-8"))
    audits = result["audits"]
    return [f"{ref['id']}: {audits[ref['id']].get('displayValue') or audits[ref['id']]['title']}"
            for ref in result["categories"][category]["auditRefs"]
            if ref.get("weight") and audits[ref["id"]].get("score") is not None and audits[ref["id"]]["score"] < 1]


@pytest.mark.parametrize("page", PAGES)
def test_lighthouse_scores(page: str, gzip_server: str, tmp_path: Path) -> None:
    """Lighthouse mobile on the dashboard, an objective and a funnel page: performance ≥ 90 (the median of three
    runs when the first falls short), accessibility, best practices and SEO ≥ 95 (the scores are printed at the
    end of the run)."""
    report = tmp_path / "report.json"
    scores = lighthouse(gzip_server + page, report)
    runs = [scores["performance"]]
    if runs[0] < MINIMUM["performance"]:
        # the performance score is timed, under a simulated 4x slower CPU: a moment's contention on a shared
        # machine (a CI runner) costs it tens of points. Lighthouse's advice on variability is the median of
        # several runs: two more are made then, every run's score is printed, and the median is judged.
        runs += [lighthouse(gzip_server + page, tmp_path / f"report-{i}.json")["performance"] for i in (2, 3)]
        scores["performance"] = sorted(runs)[1]
    weight = json.loads(report.read_text(encoding="utf-8"))["audits"]["total-byte-weight"]["numericValue"]
    runs_said = f" (median of runs {', '.join(map(str, runs))})" if len(runs) > 1 else ""
    FIGURES[f"lighthouse {page}"] = (" · ".join(f"{name} {scores[name]}" for name in CATEGORIES)
                                     + runs_said + f" · {weight / 1024:.0f} KB transferred")
    low = [f"{name} {scores[name]} < {MINIMUM[name]} ({'; '.join(_failing_audits(report, name))})"
           for name in CATEGORIES if scores[name] < MINIMUM[name]]
    assert not low, f"{page}: " + " · ".join(low)

"""What the browser tests share: the local web server, the guard that keeps every request on the machine,
and a tab that opens a page and reports its errors, charts, links and ids."""

from __future__ import annotations

import functools
import http.client
import http.server
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Route
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

# how long a page may take to draw all its charts (the chart bundle is ~1 MB of JavaScript)
CHART_TIMEOUT_MS = 20_000
SHORT_CHART_TIMEOUT_MS = 3_000
PAGE_TIMEOUT_MS = 30_000
LOCAL_HOST = "127.0.0.1"


class SiteServer:
    """A threaded http.server on 127.0.0.1 (free port) serving `www`, quiet, that records every request
    path and the status it answered, so tests can find 404s and count requests."""

    def __init__(self, www: Path, sub_path: str) -> None:
        self.log: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            # what GitHub Pages sends for these; Python's guesses depend on /etc/mime.types
            extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                              ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
                              ".svg": "image/svg+xml", ".css": "text/css", ".html": "text/html"}

            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                with server._lock:
                    server.log.append((self.path, int(code) if str(code).isdigit() else 0))

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(Handler, directory=str(www)))
        self.port = self._httpd.server_address[1]
        self.origin = f"http://{LOCAL_HOST}:{self.port}"
        self.prefix = f"/{sub_path}/"
        self.base_url = self.origin + self.prefix
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="site-server", daemon=True)
        self._thread.start()
        self._status_cache: dict[str, int] = {}

    def status(self, path: str) -> int:
        """The status the server answers for `path` (asked directly, not through the browser; cached)."""
        if path not in self._status_cache:
            connection = http.client.HTTPConnection(LOCAL_HOST, self.port, timeout=10)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                self._status_cache[path] = response.status
            finally:
                connection.close()
        return self._status_cache[path]

    def errors(self) -> list[tuple[str, int]]:
        """Every request answered with an error status so far (404 for a missing file)."""
        with self._lock:
            return [(path, code) for path, code in self.log if code >= 400]

    def request_count(self) -> int:
        with self._lock:
            return len(self.log)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class Guard:
    """A context route that lets through only requests that stay on the machine (127.0.0.1, file:, data:,
    blob:) and blocks and records every other one. Routing sees requests that page.on("request") misses,
    such as the favicon."""

    LOCAL_SCHEMES = ("file", "data", "blob")

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def __call__(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in self.LOCAL_SCHEMES or parts.hostname == LOCAL_HOST:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")


def guard(context: BrowserContext) -> Guard:
    """Install a Guard on every request of `context` and return it."""
    keeper = Guard()
    context.route("**/*", keeper)
    return keeper


@dataclass
class Link:
    """An href or src found in a page: the attribute as written and the absolute URL it resolves to."""

    tag: str
    attr: str
    raw: str
    url: str

    @property
    def is_navigation(self) -> bool:
        """A link a reader follows (as opposed to a resource the page loads)."""
        return self.tag in ("a", "area")

    def describe(self) -> str:
        return f'<{self.tag} {self.attr}="{self.raw}">'


@dataclass
class PageReport:
    """What one visit of a page showed."""

    url: str
    errors: list[str] = field(default_factory=list)
    charts: int = 0
    charts_not_drawn: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    largest_inline_script: int = 0
    requests: int = 0


# A chart counts as drawn when its [data-chart] element holds an <svg>.
CHARTS_DRAWN_JS = "() => [...document.querySelectorAll('[data-chart]')].every(e => e.querySelector('svg'))"
CHARTS_NOT_DRAWN_JS = """() => [...document.querySelectorAll('[data-chart]')]
  .filter(e => !e.querySelector('svg'))
  .map(e => `[data-chart="${e.getAttribute('data-chart')}"]` + (e.id ? `#${e.id}` : '')
             + ` holds: ${e.innerHTML.replace(/\\s+/g, ' ').slice(0, 160) || '(nothing)'}`)"""
PAGE_FACTS_JS = """() => {
  const links = [];
  const add = (el, attr) => {
    const raw = el.getAttribute(attr);
    if (raw === null) return;
    let url;
    try { url = new URL(raw, document.baseURI).href; } catch (e) { url = raw; }
    links.push({tag: el.localName, attr, raw, url});
  };
  // rel=canonical names the published address (base_url); browsers never load it
  document.querySelectorAll('a[href], area[href], link[href]:not([rel=canonical])').forEach(el => add(el, 'href'));
  document.querySelectorAll('[src]').forEach(el => add(el, 'src'));
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id)
    .concat([...document.querySelectorAll('a[name]')].map(e => e.getAttribute('name')));
  const inline = [...document.querySelectorAll('script:not([src])')].map(s => s.textContent.length);
  return {charts: document.querySelectorAll('[data-chart]').length, links, ids,
          largestInlineScript: Math.max(0, ...inline)};
}"""


class Tab:
    """One page (browser tab) that collects console errors and uncaught exceptions while it is open."""

    # once charts failed to draw, every later page of the session waits less: a broken chart bundle must
    # not make the run wait the full timeout on every page of every module
    chart_timeout_ms = CHART_TIMEOUT_MS

    def __init__(self, context: BrowserContext) -> None:
        self.page: Page = context.new_page()
        self.page.set_default_timeout(PAGE_TIMEOUT_MS)
        self.errors: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught {error.name}: {error.message}"))

    def _on_console(self, message: object) -> None:
        if message.type == "error":  # type: ignore[attr-defined]
            where = message.location  # type: ignore[attr-defined]
            place = f" ({where['url']}:{where['lineNumber']})" if where and where.get("url") else ""
            self.errors.append(f"console error: {message.text}{place}")  # type: ignore[attr-defined]

    def open(self, url: str) -> list[str]:
        """Go to `url`, wait for its charts; returns the descriptions of the charts still not drawn."""
        self.errors = []
        self.page.goto(url, wait_until="load")
        return self.wait_for_charts()

    def wait_for_charts(self) -> list[str]:
        try:
            self.page.wait_for_function(CHARTS_DRAWN_JS, timeout=self.chart_timeout_ms)
        except PlaywrightTimeout:
            Tab.chart_timeout_ms = SHORT_CHART_TIMEOUT_MS
            return self.page.evaluate(CHARTS_NOT_DRAWN_JS)
        return []

    def visit(self, url: str) -> PageReport:
        """Open `url` and gather everything the page tests look at."""
        try:
            not_drawn = self.open(url)
        except PlaywrightError as error:
            return PageReport(url=url, errors=[f"could not open the page: {error.message.splitlines()[0]}"])
        facts = self.page.evaluate(PAGE_FACTS_JS)
        return PageReport(url=url, errors=list(self.errors), charts=facts["charts"], charts_not_drawn=not_drawn,
                          links=[Link(**link) for link in facts["links"]], ids=set(facts["ids"]),
                          largest_inline_script=facts["largestInlineScript"])

    def close(self) -> None:
        self.page.close()


class _IdCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)


def ids_in_html(text: str) -> set[str]:
    """The ids (and <a name>) of an HTML document, for anchors into pages the crawl did not open."""
    collector = _IdCollector()
    collector.feed(text)
    return collector.ids


def no_problems(problems: list[str], what: str) -> None:
    """Fail with every problem on its own line (no traceback: the list says it all)."""
    if problems:
        pytest.fail(f"{what}: {len(problems)} problem(s):\n" + "\n".join(problems), pytrace=False)


def fragment_of(url: str) -> str:
    """The decoded #fragment of a URL ('' when there is none)."""
    return unquote(urlsplit(url).fragment)


def host_of(url: str) -> str:
    """The host of a URL ('' for file:, data:, mailto: and the like)."""
    return urlsplit(url).hostname or ""


def path_of(url: str) -> str:
    """The decoded path of a URL, without query or fragment."""
    return unquote(urlsplit(url).path)

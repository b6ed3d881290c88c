"""Session fixtures of the browser tests: the example site built once, served from 127.0.0.1 under the
sub-path /strategy-site/ (as on GitHub project pages), one Debian Chromium for the whole session, and the
tools the HTML and accessibility checks need.

The tools come from `bash scripts/install-test-tools`. When one is missing, the tests that need it fail and
say so: they are never skipped silently. STRATEGY_SKIP_BROWSER=1 skips them on purpose, for a quick local
run (refused when CI is set). STRATEGY_TEST_SITE=FOLDER serves a site built beforehand (or written by hand)
instead of building content/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.browser.helpers import Guard, SiteServer, guard
from tests.conftest import EXAMPLE, ROOT

TODAY = "2026-11-23"
SUB_PATH = "strategy-site"
CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = ROOT / ".cache" / "node" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
INSTALL = "Run `bash scripts/install-test-tools` (or set STRATEGY_SKIP_BROWSER=1 to skip the browser tests locally)."
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run"]

# figures shown at the end of the run (pytest_terminal_summary)
FIGURES: dict[str, str] = {}


def screenshot_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder for a module's screenshots, its path printed with the figures at the end of the run (to look at)."""
    folder = tmp_path_factory.mktemp(name)
    FIGURES[f"{name.replace('-', ' ')} screenshots"] = str(folder)
    return folder


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """STRATEGY_SKIP_BROWSER=1 skips the browser tests, loudly (-ra lists them), and never in CI."""
    if os.environ.get("STRATEGY_SKIP_BROWSER") != "1":
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        raise pytest.UsageError("STRATEGY_SKIP_BROWSER=1 is for quick local runs: CI must run the browser tests.")
    skip = pytest.mark.skip(reason="STRATEGY_SKIP_BROWSER=1")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.write_sep("-", "browser tests: figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")


def require(path: Path, what: str) -> Path:
    """`path`, or a failure that says how to install it (never a skip)."""
    if not path.is_file():
        pytest.fail(f"{what} is missing ({path}). {INSTALL}", pytrace=False)
    return path


@pytest.fixture(scope="session")
def java() -> str:
    found = shutil.which("java")
    if found is None:
        pytest.fail(f"java is missing (needed by the Nu Html Checker). {INSTALL}", pytrace=False)
    return found


@pytest.fixture(scope="session")
def vnu_jar(java: str) -> Path:
    return require(VNU_JAR, "The Nu Html Checker (npm vnu-jar)")


@pytest.fixture(scope="session")
def axe_source() -> str:
    return require(AXE_JS, "axe-core (npm axe-core)").read_text(encoding="utf-8")


@dataclass(frozen=True)
class BuiltSite:
    """The example site as built for the tests: `root` is served at `SiteServer.base_url`."""

    www: Path
    root: Path

    def pages(self) -> list[str]:
        """Every .html file of the site, as a path relative to its root ('objectives/x.html')."""
        return sorted(path.relative_to(self.root).as_posix() for path in self.root.rglob("*.html"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """`strategy build content -o <tmp>/www/strategy-site --today 2026-11-23`, once per session."""
    www = tmp_path_factory.mktemp("www")
    root = www / SUB_PATH
    prebuilt = os.environ.get("STRATEGY_TEST_SITE")
    if prebuilt:
        shutil.copytree(prebuilt, root)
        FIGURES["site"] = f"copied from STRATEGY_TEST_SITE={prebuilt}"
    else:
        command = [sys.executable, "-m", "generator", "build", str(EXAMPLE), "-o", str(root), "--today", TODAY]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
        FIGURES["example site build"] = f"{time.perf_counter() - started:.2f} s"
        if done.returncode != 0:
            pytest.fail(f"`strategy build` of the example plan failed (exit {done.returncode}):\n"
                        f"{done.stdout}{done.stderr}", pytrace=False)
    if not (root / "index.html").is_file():
        pytest.fail(f"the built site has no index.html in {root}", pytrace=False)
    site = BuiltSite(www=www, root=root)
    FIGURES["pages"] = str(len(site.pages()))
    return site


@pytest.fixture(scope="session")
def site_server(built_site: BuiltSite) -> Iterator[SiteServer]:
    """The built site served at http://127.0.0.1:PORT/strategy-site/."""
    server = SiteServer(built_site.www, SUB_PATH)
    yield server
    FIGURES["requests served"] = str(server.request_count())
    server.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, one for the whole session (never `playwright install`)."""
    require(CHROMIUM, "Chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


NewContext = Callable[..., tuple[BrowserContext, Guard]]


@pytest.fixture(scope="module")
def new_context(browser: Browser) -> Iterator[NewContext]:
    """Make browser contexts (options as for `browser.new_context`) whose requests are all guarded; they
    are closed at the end of the module. Returns (context, guard)."""
    opened: list[BrowserContext] = []

    def make(**options: object) -> tuple[BrowserContext, Guard]:
        context = browser.new_context(**options)
        opened.append(context)
        return context, guard(context)

    yield make
    for context in opened:
        context.close()

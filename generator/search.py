"""The site's search index: pagefind (the `pagefind[bin]` wheel) indexes the written pages in place.

It runs on the staging folder, before the writer swaps it in, so a failed index leaves the previous site as
it was. Only `<main data-pagefind-body>` of each page is indexed (no menu, no chart data tables), in the
language of `<html lang>`; the theme's own search.js queries it, so pagefind's UI bundles are not shipped.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

INDEX_DIR = "pagefind"
ENTRY = f"{INDEX_DIR}/pagefind-entry.json"
# pagefind writes its ready-made search UIs too; the theme has its own (CSP-clean, in its design)
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
TIMEOUT_S = 600
PAGEFIND = [sys.executable, "-m", "pagefind"]  # the pagefind[bin] wheel's binary, through its Python package
MISSING = ("pagefind is not installed, and the site's search index needs it: "
           "run `pip install 'pagefind[bin]'` (a dependency of strategy-site), then build again")


class SearchIndexError(Exception):
    """pagefind is missing or failed; the message says what to do."""


def pagefind_installed() -> bool:
    return importlib.util.find_spec("pagefind") is not None


def index_site(site: Path) -> None:
    """Write the pagefind index of the HTML pages in `site` to `site/pagefind/`.

    pagefind runs with its own folder as working directory and without PAGEFIND_* variables, so neither a
    `pagefind.yml` in the current folder nor the environment can change the index: the same pages always
    give the same bytes."""
    site = site.resolve()
    if not pagefind_installed():
        raise SearchIndexError(MISSING)
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}
    command = [*PAGEFIND, "--site", ".", "--output-subdir", INDEX_DIR, "--keep-index-url", "--quiet"]
    try:
        done = subprocess.run(command, cwd=site, env=env, capture_output=True, text=True, timeout=TIMEOUT_S,
                              stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired as exc:
        raise SearchIndexError(f"the search index (pagefind) did not finish within {TIMEOUT_S} s") from exc
    except OSError as exc:
        raise SearchIndexError(f"could not run pagefind for the search index: {exc}") from exc
    if done.returncode != 0 or not (site / ENTRY).is_file():
        output = (done.stderr or done.stdout).strip()
        if "Could not find pagefind binary" in output:
            raise SearchIndexError(MISSING)
        last = output.splitlines()[-1] if output else f"exit status {done.returncode}"
        raise SearchIndexError(f"pagefind could not index the site for search: {last}")
    for name in UNUSED:
        (site / INDEX_DIR / name).unlink(missing_ok=True)

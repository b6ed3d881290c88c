"""Golden pages: a few pages of the example plan (content/) as `strategy build --today 2026-11-23` writes
them, kept in tests/golden/ and compared byte for byte by tests/test_golden.py.

Regenerate them with one command, then review the diff before committing:

    make golden            (runs: python -m tests.golden_pages)

A chart drawn at build time is one long line of SVG: it is stored as its root tag and then what a reader
reads in it, one line each, its texts (axes, labels, legend) and its tooltips (<title>), without the shapes'
geometry (the only normalisation), so that a change to a chart shows as a readable diff of what moved.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
TODAY = dt.date(2026, 11, 23)
PAGES = ("index.html", "objectives/croissance-clients.html", "funnels/acquisition.html")

_DRAWING = re.compile(r'(<svg [^>]*class="chart-svg"[^>]*>)(.*?)(</svg>)', re.DOTALL)
_READ = re.compile(r"<(text|title)\b[^>]*>([^<]*)</\1>")


def _readable(match: re.Match[str]) -> str:
    lines = [f"<{tag}>{text}</{tag}>" for tag, text in _READ.findall(match.group(2))]
    return "\n".join([match.group(1), *lines, match.group(3)])


def normalise(html: str) -> str:
    """The page with each chart's drawing reduced to its root tag, its texts and its tooltips, a line each."""
    return _DRAWING.sub(_readable, html)


def built_pages() -> dict[str, str]:
    """The golden pages as the current code builds them (normalised), by path in the site."""
    from generator.build import build

    with tempfile.TemporaryDirectory(prefix="strategy-golden-") as tmp:
        output = Path(tmp) / "site"
        result = build(EXAMPLE, output, TODAY)
        if not result.ok:
            problems = "\n".join(map(str, result.checked.diagnostics.sorted()))
            raise SystemExit(f"the example plan did not build: {result.message}\n{problems}")
        return {page: normalise((output / page).read_text(encoding="utf-8")) for page in PAGES}


def golden_path(page: str) -> Path:
    return GOLDEN_DIR / page


def main() -> int:
    """Rewrite tests/golden/ from the current code; say which pages changed."""
    changed = []
    for page, text in built_pages().items():
        path = golden_path(page)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            changed.append(page)
    for stale in sorted(p for p in GOLDEN_DIR.rglob("*.html")
                        if p.relative_to(GOLDEN_DIR).as_posix() not in PAGES):
        stale.unlink()
        changed.append(f"{stale.relative_to(GOLDEN_DIR).as_posix()} (removed)")
    if changed:
        print("golden pages rewritten: " + ", ".join(changed) + "\nreview them with: git diff tests/golden/")
    else:
        print("golden pages unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())

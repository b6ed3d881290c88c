"""What a page says of itself in its <head>: a description on every page, for search engines' results."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator.build import build
from tests.conftest import EXAMPLE


def test_every_page_has_its_own_meta_description(tmp_path: Path) -> None:
    """Each page has one non-empty meta description; a page without text of its own is described by its title,
    the plan's title and its positioning (not all by the same sentence)."""
    out = tmp_path / "out"
    assert build(EXAMPLE, out, dt.date(2026, 11, 23), search=False).ok
    seen = {}
    for page in sorted(out.rglob("*.html")):
        found = re.findall(r'<meta name="description" content="([^"]+)">', page.read_text(encoding="utf-8"))
        assert len(found) == 1 and found[0].strip(), page
        seen[page.relative_to(out).as_posix()] = found[0]
    assert seen["objectives/croissance-clients.html"].startswith(
        "Signer 5 nouveaux clients industriels sur abonnement en 2026 · Plan stratégique numérique 2026 — ")
    assert len(set(seen.values())) > len(seen) * 3 // 4

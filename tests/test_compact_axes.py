"""Value axes of large numbers read compactly in the plan's locale, as the tiles do (issue 14): "2,5 M" and
"500 k" in French, "2.5M" and "$1.5M" in English, never "2 500 000" or d3's SI "G"; the chart's table keeps
the exact figures."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.plan.i18n import Formatter
from generator.site.charts.common import compact_labels

SETTINGS = """\
title: Plan
language: {language}
period:
  start: 2026-01-01
  end: 2026-12-31
"""
REVENUE = """\
---
title: Revenue
due: 2026-12-31
kpis:
  - id: revenue
    title: Online revenue
    unit: €
    target: 2600000
    measure: cumulative
    cadence: monthly
---
"""
MONTHS = [118450, 121900, 140310, 152880, 160020, 171450, 129300, 98760, 188410, 205990, 231150]


def _axis_labels(page: Path) -> list[str]:
    """The texts of the first chart drawn on the page (the wide drawing), as the reader sees them."""
    body = page.read_text(encoding="utf-8")
    drawing = re.search(r'<div class="chart-wide"><svg.*?</svg>', body, re.S)
    assert drawing is not None
    return [html.unescape(t).replace("\u00a0", " ").replace("\u202f", " ")
            for t in re.findall(r"<text[^>]*>([^<]*)</text>", drawing.group(0))]


def _build(make_plan: Callable[..., Path], tmp_path: Path, language: str) -> Path:
    csv = "date,value\n" + "".join(f"2026-{m:02d},{v}\n" for m, v in enumerate(MONTHS, start=1))
    plan = make_plan({"objectives/revenue.md": REVENUE, "data/revenue.csv": csv},
                     settings=SETTINGS.format(language=language))
    out = tmp_path / "site"
    CliRunner().invoke(main, ["build", str(plan), "-o", str(out), "--today", "2026-12-03"], catch_exceptions=False)
    return out / "objectives" / "revenue.html"


def test_a_kpi_axis_in_millions_reads_compact_in_french(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """A French revenue chart's value axis reads "500 k … 2,5 M" and its target "Cible : 2,6 M €"; its table
    still gives 1 718 620 €."""
    page = _build(make_plan, tmp_path, "fr")
    labels = _axis_labels(page)
    assert "2,5 M" in labels and "500 k" in labels and "1 M" in labels
    assert "2 500 000" not in labels
    assert "Cible : 2,6 M €" in labels
    assert "<td>1 718 620 €</td>" in html.unescape(page.read_text(encoding="utf-8")).replace("\u202f", " ").replace(
        "\u00a0", " ")


def test_a_kpi_axis_in_millions_reads_compact_in_english(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """The same chart in English reads "500K … 2.5M"."""
    labels = _axis_labels(_build(make_plan, tmp_path, "en"))
    assert "2.5M" in labels and "500K" in labels
    assert "2,500,000" not in labels


def test_money_axes_and_billions_use_the_locale_words() -> None:
    """A money axis says its currency where the locale puts it ("$1.5M", "1,5 M €"), and billions are "B" in
    en-US, "bn" in en-GB, "Md" in fr-FR: never d3's SI "G". Small axes keep whole figures."""
    us = compact_labels(Formatter("en", "USD"), 2.6e9, "USD")
    assert us is not None and '"$"' in us and '"M"' in us and '"B"' in us and '"G"' not in us
    assert '"bn"' in (compact_labels(Formatter("en", "GBP", "en-GB"), 2.6e9) or "")
    fr = compact_labels(Formatter("fr", "EUR"), 2.6e9, "EUR") or ""
    assert '"\u00a0Md\u00a0€"' in fr and '"\u00a0M\u00a0€"' in fr
    assert compact_labels(Formatter("fr", "EUR"), 99_000) is None

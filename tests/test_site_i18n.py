"""The built site speaks the plan's language: labels, numbers, dates and currency in the prose, and the
same separators in the locale handed to the charts."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build

TODAY = dt.date(2026, 11, 23)

PLAN = {
    "objectives/grow.md": """\
        ---
        title: Grow
        due: 2026-12-31
        kpis:
          - {id: clients, title: New clients, baseline: 0, target: 5, measure: cumulative, data: data/clients.csv}
          - {id: prospects, title: Prospects, baseline: 0, target: 1250, measure: cumulative, data: data/prospects.csv}
        ---
        """,
    "data/clients.csv": "date,value\n2026-10,2\n2026-11,1\n",
    "data/prospects.csv": "date,value\n2026-10,600\n2026-11,650\n",
    "funnels/sales.yaml": """\
        title: Sales
        goal: 5
        due: 2026-11-23
        stages:
          - {id: prospects, title: Prospects, kpi: prospects, cost: 12}
          - {id: meetings, title: Meetings, rate: "1/50", cost: 150}
          - {id: clients, title: Clients, rate: "1/5", kpi: clients, cost: 800}
        """,
}


def _settings(language: str) -> str:
    return f"title: Plan\nlanguage: {language}\ncurrency: EUR\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n"


class _Locale(HTMLParser):
    """The JSON of <script type="application/json" id="site-locale">."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "script" and ("id", "site-locale") in attrs

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        self.inside = False


def _locale(html: str) -> dict:
    parser = _Locale()
    parser.feed(html)
    assert parser.text, "the page has no site-locale data block"
    return json.loads(parser.text)


@pytest.fixture
def site(make_plan: Callable[..., Path], tmp_path: Path) -> Callable[[str], Path]:
    def run(language: str) -> Path:
        plan = make_plan(PLAN, settings=_settings(language))
        out = tmp_path / f"out-{language}"
        result = build(plan, out, TODAY)
        assert result.ok, result.message
        return out

    return run


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


EXPECTED = {
    # language: (html lang, nav labels, 1250, 22750 €, 2026-11-23 medium, footer, status of "clients")
    "en": ("en", ["Dashboard", "Objectives", "Funnels"], "1,250", "€22,750", "23 Nov 2026",
           "Plan as of 23 November 2026", "Backward computation"),
    "fr": ("fr", ["Tableau de bord", "Objectifs", "Entonnoirs"], "1\u202f250", "22\u202f750\u00a0€", "23 nov. 2026",
           "Plan arrêté au 23 novembre 2026", "Calcul à rebours"),
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_pages_use_the_plan_language(site: Callable[[str], Path], language: str) -> None:
    """Labels, numbers, money and dates of the built pages follow `language:` in strategy.yaml
    (French: narrow no-break space between thousands, euro after the amount, "23 nov. 2026")."""
    lang, nav, need, money, date, footer, heading = EXPECTED[language]
    out = site(language)
    funnel = _text(out / "funnels" / "sales.html")
    assert f'<html lang="{lang}">' in funnel
    for label in nav:
        assert f">{label}</a>" in funnel or f"</span>{label}</a>" in funnel, label
    assert f"<td>{need}</td>" in funnel  # the need of the top stage
    assert money in funnel  # the funnel's budget: 1250 × 12 + 25 × 150 + 5 × 800
    assert date in funnel  # the funnel's due date
    assert footer in funnel
    assert heading in funnel


def test_english_pages_carry_no_french_punctuation(site: Callable[[str], Path]) -> None:
    """An English site writes "Label: value", not the French "Label : value"."""
    out = site("en")
    for page in sorted(out.rglob("*.html")):
        text = re.sub(r"<script.*?</script>", "", _text(page), flags=re.DOTALL)
        assert " :" not in re.sub(r"<[^>]+>", "", text), page.relative_to(out)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_chart_locale_matches_the_prose(site: Callable[[str], Path], language: str) -> None:
    """The number and date locale handed to the charts has the separators, currency and month names
    the prose uses, so that axes and text agree."""
    _, _, need, money, date, _, _ = EXPECTED[language]
    out = site(language)
    for page in ("index.html", "funnels/sales.html", "objectives/grow.html"):
        html = _text(out / page)
        locale = _locale(html)
        fmt = locale["format"]
        assert need == "1" + fmt["thousands"] + "250"
        prefix, suffix = fmt["currency"]
        assert money == prefix + "22" + fmt["thousands"] + "750" + suffix
        assert fmt["grouping"] == [3]
        assert fmt["decimal"] == ("," if language == "fr" else ".")
        assert locale["time"]["shortMonths"][10] in date  # November
        assert len(locale["time"]["months"]) == 12 and len(locale["time"]["days"]) == 7


def test_chart_labels_use_the_prose_formatting(site: Callable[[str], Path]) -> None:
    """Tooltips and labels inside a French chart spec show the same "1 250" as the table beside it."""
    out = site("fr")
    html = _text(out / "funnels" / "sales.html")
    match = re.search(r'<script type="application/json" id="spec-funnel-sales">(.*?)</script>', html, re.DOTALL)
    assert match
    spec_text = json.dumps(json.loads(match.group(1)), ensure_ascii=False)
    assert "1\u202f250" in spec_text
    assert "1,250" not in spec_text

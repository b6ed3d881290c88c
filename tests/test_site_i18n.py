"""The built site speaks the plan's language: labels, numbers, dates and currency in the prose, and the
same separators in the locale handed to the charts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
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


def _chart_texts(html: str) -> list[str]:
    """The texts drawn in a page's charts (axis ticks, labels, legends), and their tooltips (<title>s)."""
    svgs = "".join(re.findall(r'<svg [^>]*class="chart-svg".*?</svg>', html, re.DOTALL))
    assert svgs, "the page has no chart drawn"
    return [unescape(t) for t in re.findall(r"<(?:text|title)[^>]*>([^<]*)</", svgs)]


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
    "en": ("en", ["Dashboard", "Objectives", "Funnels"], "1,250", "€22,750", "Nov 23, 2026",
           "Plan as of November 23, 2026", "Backward computation"),
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
    """The charts are drawn with the separators and month names the prose uses, so that axes and text
    agree: the funnel's axis reads "1 000" in French and "1,000" in English, a KPI's axis "nov. 2026" / "Nov
    2026" and its tooltips the prose's dates."""
    _, _, need, _, date, _, _ = EXPECTED[language]
    out = site(language)
    funnel = _chart_texts(_text(out / "funnels" / "sales.html"))
    thousands = need[1]
    assert "1" + thousands + "000" in funnel
    month = re.search(r"[A-Za-z.]{3,}", date).group(0)  # "nov." or "Nov"
    kpi = _chart_texts(_text(out / "objectives" / "grow.html"))
    assert any(month in t for t in kpi), kpi


def test_chart_labels_use_the_prose_formatting(site: Callable[[str], Path]) -> None:
    """Tooltips and labels inside a French chart show the same "1 250" as the table beside it."""
    out = site("fr")
    texts = _chart_texts(_text(out / "funnels" / "sales.html"))
    assert "1\u202f250" in texts  # the label at the end of the top stage's bar
    assert any(t.endswith("Volume : 1\u202f250") for t in texts)  # its tooltip
    assert not any("1,250" in t for t in texts)


@pytest.mark.parametrize(("language", "said"), [("en", "no data yet"), ("fr", "pas encore de données")])
def test_a_progress_bar_without_data_says_so_in_words(make_plan: Callable[..., Path], tmp_path: Path,
                                                      language: str, said: str) -> None:
    """A screen reader on the progress bar of an objective with no measurement yet hears "no data yet"
    (« pas encore de données »), on the dashboard and on the objective's page, not a lone dash."""
    plan = make_plan({**PLAN, "objectives/portal.md": """\
        ---
        title: Portal
        kpis:
          - {id: logins, title: Logins, baseline: 0, target: 100, data: data/logins.csv}
        ---
        """, "data/logins.csv": "date,value\n"}, settings=_settings(language))
    out = tmp_path / "out"
    assert build(plan, out, TODAY).ok
    for page in ("index.html", "objectives/portal.html"):
        html = (out / page).read_text(encoding="utf-8")
        labels = re.findall(r'class="progress" role="img" aria-label="([^"]*)"', html)
        assert said in labels and "–" not in labels, (page, labels)

"""Local conventions: `locale:` in strategy.yaml (the language's own by default: fr-FR, en-US) decides how
money, numbers and dates are written; a KPI in a currency is money; tiles are compact, counts are whole."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import build
from generator.plan.i18n import Formatter
from tests.conftest import TODAY, Checked, only

SETTINGS = """\
title: Growth plan
language: en
currency: USD
period: {start: 2026-01-01, end: 2026-12-31}
"""

PLAN = {
    "objectives/revenue.md": """\
        ---
        title: Grow revenue
        kpis:
          - {id: revenue, title: Revenue, unit: $, baseline: 0, target: 12000000, measure: cumulative,
             data: data/revenue.csv}
          - {id: signups, title: Signups, unit: signups, baseline: 0, target: 700, measure: cumulative,
             data: data/signups.csv}
        ---
        """,
    "data/revenue.csv": "date,value\n2026-04-01,2417300\n2026-10-01,8000000\n",
    "data/signups.csv": "date,value\n2026-04-01,120\n2026-10-01,400\n",
    "funnels/sales.yaml": """\
        title: Sales
        goal: 5
        due: 2026-12-31
        stages:
          - {id: leads, title: Leads, cost: 120}
          - {id: clients, title: Clients, rate: "1/50", cost: 48000}
        """,
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ").replace("\u202f", " ")


def _site(make_plan: Callable[..., Path], tmp_path: Path, settings: str) -> Path:
    out = tmp_path / "site"
    result = build(make_plan(PLAN, settings=settings), out, TODAY)
    assert result.ok, result.message
    return out


def test_an_american_plan_writes_dollars_first_and_its_tiles_compact(make_plan: Callable[..., Path],
                                                                       tmp_path: Path) -> None:
    """An English plan in USD (en-US by default): the KPI in "$" reads "$12M" on its tiles, never
    "12,000,000 $"; the signups count has no decimals; dates read "Dec 31, 2026"; the funnel's budget
    "$270K" on its tile (250 leads × $120 + 5 clients × $48,000) and "$270,000" exactly in its table."""
    out = _site(make_plan, tmp_path, SETTINGS)
    objective = _text((out / "objectives" / "revenue.html").read_text(encoding="utf-8"))
    assert "Target $12M Dec 31, 2026" in objective
    assert "Latest $10.4M" in objective  # cumulative: 2,417,300 + 8,000,000
    assert "(10,417,300 $)" not in objective and "$10,417,300" in objective  # the status rule, exact
    assert "12,000,000 $" not in objective and "US$" not in objective
    expected = re.search(r"Expected by then (\S+) signups", objective)
    assert expected is not None and expected.group(1).replace(",", "").isdigit(), objective
    funnel = _text((out / "funnels" / "sales.html").read_text(encoding="utf-8"))
    assert "Budget $270K" in funnel and "Total $270,000" in funnel, funnel


def test_a_british_plan_writes_pounds_and_day_first_dates(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """`locale: en-GB` with `currency: GBP`: the funnel's costs read "£6,000" and dates "31 Dec 2026"."""
    settings = SETTINGS.replace("currency: USD", "currency: GBP\nlocale: en-GB")
    out = _site(make_plan, tmp_path, settings)
    funnel = _text((out / "funnels" / "sales.html").read_text(encoding="utf-8"))
    assert "31 Dec 2026" in funnel and "£48,000" in funnel, funnel


def test_english_pages_carry_no_french_typography(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """No " : " nor a space before "%" on an English page: "Status: …", "12%"."""
    out = _site(make_plan, tmp_path, SETTINGS)
    for page in ("index.html", "objectives/revenue.html", "funnels/sales.html"):
        text = _text((out / page).read_text(encoding="utf-8"))
        assert " : " not in text and not re.search(r"\d %", text), page


def test_a_locale_of_another_language_is_one_clear_error(check_plan: Callable[..., Checked]) -> None:
    """`locale: fr-FR` in an English plan: one error at strategy.yaml's `locale` line, saying what to write."""
    checked = check_plan({}, settings=SETTINGS + "locale: fr-FR\n")
    d = only(checked, "bad-locale")
    assert d.severity == "error" and d.file.endswith("strategy.yaml") and d.line == 5
    assert "en-US" in (d.hint or "")


def test_a_french_plan_hears_about_its_locale_in_french(check_plan: Callable[..., Checked]) -> None:
    """`locale: en-US` in a French plan: the one error and its hint are in French, naming fr-FR."""
    checked = check_plan({}, settings=SETTINGS.replace("language: en", "language: fr") + "locale: en-US\n")
    d = only(checked, "bad-locale")
    assert d.text("fr") == "la locale `en-US` n'est pas de la langue du plan (fr)"
    assert d.hint_text("fr") == "écrivez une locale de fr, par ex. fr-FR, ou retirez `locale:`"


def test_an_unknown_locale_says_what_to_write(check_plan: Callable[..., Checked]) -> None:
    """`locale: english` is not a locale: the error names the key and gives examples."""
    checked = check_plan({}, settings=SETTINGS + "locale: english\n")
    d = only(checked, "type")
    assert "`locale`" in d.message and "en-GB" in (d.hint or "")


def test_money_puts_its_symbol_where_the_locale_does() -> None:
    """"$12,000,000" in en-US, "12 000 000 €" in fr-FR, "£12,000,000" in en-GB; compact "$12M", "1,2 M €";
    a KPI unit "k€" is thousands of euros."""
    assert Formatter("en", "USD").money(12_000_000) == "$12,000,000"
    assert Formatter("fr", "EUR").money(12_000_000) == "12\u202f000\u202f000\u00a0€"
    assert Formatter("en", "GBP", "en-GB").money(12_000_000) == "£12,000,000"
    assert Formatter("en", "USD").money(12_000_000, compact=True) == "$12M"
    assert Formatter("fr", "EUR").money(1_200_000, compact=True) == "1,2\u00a0M\u00a0€"
    assert Formatter("fr", "EUR").measure(350, "k€") == "350\u202f000\u00a0€"
    assert Formatter("en", "USD").measure(568.27, "signups", digits=0) == "568\u00a0signups"
    assert Formatter("en", "USD").measure(12, "%") == "12%"


def test_french_writes_the_first_of_the_month_1er() -> None:
    """French writes a month's first day "1er": "1er janv. 2026", "1er janvier 2026", "jeudi 1er janvier
    2026", in every French locale; the 2nd stays "2 janv.", numeric dates stay "01/01/2026", English "Jan 1"."""
    import datetime as dt

    first, second = dt.date(2026, 1, 1), dt.date(2026, 1, 2)
    fr = Formatter("fr", "EUR")
    assert fr.date(first) == "1er janv. 2026" and fr.date(second) == "2 janv. 2026"
    assert fr.date(first, "long") == "1er janvier 2026"
    assert fr.date(first, "full") == "jeudi 1er janvier 2026"
    assert fr.date(first, "short") == "01/01/2026"
    assert fr.period(dt.date(2026, 11, 1), "day") == "1er nov. 2026"
    assert fr.period(dt.date(2026, 11, 1), "month") == "novembre 2026"
    assert Formatter("fr", "CAD", "fr-CA").date(first, "long") == "1er janvier 2026"
    assert Formatter("en", "USD").date(first) == "Jan 1, 2026"


def test_a_french_site_writes_1er_janv_on_its_pages(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """A French plan starting on 1 January: the dashboard's period reads "1er janv. 2026 – 31 déc. 2026"
    and its footer's date is the build day's; no page writes "1 janv."."""
    out = tmp_path / "site"
    result = build(make_plan({"objectives/o.md": "---\ntitle: Croître\n---\n"}), out, TODAY)
    assert result.ok, result.message
    dashboard = _text((out / "index.html").read_text(encoding="utf-8"))
    assert "1er janv. 2026 – 31 déc. 2026" in dashboard
    assert not any(re.search(r"\b1 janv\.", _text(page.read_text(encoding="utf-8"))) for page in out.rglob("*.html"))


def test_a_count_of_one_or_french_zero_takes_the_singular() -> None:
    """"1 client", "1 customer"; French also "0 client" (English "0 customers"); "2 clients"; the unit's own
    capitals stay ("1 Go"); a percentage is untouched."""
    fr, en = Formatter("fr", "EUR"), Formatter("en", "USD")
    assert [fr.measure(v, "clients", digits=0) for v in (0, 1, 2)] == ["0\u00a0client", "1\u00a0client",
                                                                        "2\u00a0clients"]
    assert [en.measure(v, "customers", digits=0) for v in (0, 1, 2)] == ["0\u00a0customers", "1\u00a0customer",
                                                                         "2\u00a0customers"]
    assert fr.measure(1, "clients signés") == "1\u00a0client signé" and fr.measure(1, "Go") == "1\u00a0Go"
    assert fr.measure(1, "%") == "1\u202f%"


def test_a_stage_counting_days_in_its_title_keeps_its_plural() -> None:
    """A stage named "Retained after 90 days": its cost per result reads "(retained after 90 day)" no more (the
    `strategy funnel` line, the funnel page, `strategy diff`); the counted word itself still turns singular."""
    fr, en = Formatter("fr", "EUR"), Formatter("en", "USD")
    assert en.unit(1, "Retained after 90 days") == "retained after 90 days"
    assert en.unit(1, "Customers after 2.5 years") == "customer after 2.5 years"
    assert fr.unit(1, "Clients fidèles à 90 jours") == "client fidèle à 90 jours"


@pytest.mark.parametrize(("language", "title", "shown"), [
    ("fr", "Clients fidèles après 90 jours", "client fidèle après 90 jours"),
    ("fr", "Abonnés depuis 3 mois", "abonné depuis 3 mois"), ("fr", "Mois", "mois"), ("fr", "Pas", "pas"),
    ("fr", "Clients français", "client français"), ("fr", "Succès", "succès"),
    ("fr", "Emplois créés", "emploi créé"), ("fr", "Nouveaux clients régionaux", "nouveau client régional"),
    ("fr", "Rendez-vous pris", "rendez-vous pris"),
    ("fr", "Leads qualifiés par les ventes", "lead qualifié par les ventes"),
    ("en", "Sales", "sale"), ("en", "Sales qualified leads", "sales qualified lead"), ("en", "process", "process"),
    ("en", "news", "news"), ("en", "90 days", "90 days"), ("en", "Customers retained after 90 days",
                                                         "customer retained after 90 days"),
])
def test_a_title_after_a_count_of_one_loses_only_its_plurals(language: str, title: str, shown: str) -> None:
    """After a count of one, only the counted words turn singular: « 1 client fidèle après 90 jours », never
    « aprè »; « mois », « pas », « français », "news", "process" are singular already; a complement ("after 90
    days", « par les ventes ») keeps its number; English modifiers do not inflect ("sales qualified lead")."""
    assert Formatter(language).unit(1, title) == shown
    assert Formatter(language).unit(2, title) == title[:1].lower() + title[1:]


def test_an_objective_page_writes_1_client_not_1_clients(make_plan: Callable[..., Path], tmp_path: Path) -> None:
    """A French KPI counting clients (0, then 1, then 3 more): the objective page's starting point reads
    "0 client", its data table and the drawing's tooltips "1 client" and "4 clients", never "1 clients"."""
    plan = make_plan({
        "objectives/o.md": """\
            ---
            title: Croître
            kpis:
              - {id: clients, title: Clients, unit: clients, baseline: 0, target: 10, measure: cumulative,
                 data: data/clients.csv}
            ---
            """,
        "data/clients.csv": "date,value\n2026-02-28,0\n2026-03-31,1\n2026-04-30,3\n",
    })
    out = tmp_path / "site"
    assert build(plan, out, TODAY).ok
    page = _text((out / "objectives" / "o.html").read_text(encoding="utf-8"))
    assert "Point de départ 0 client " in page
    assert "Mesures 31 mars 2026 1 client " in page and "Mesures 30 avr. 2026 4 clients" in page
    assert "Date : 31 mars 2026&#xA;Valeur : 1 client " in page  # the point's tooltip in the drawing
    assert not re.search(r"\b[01] clients\b", page)

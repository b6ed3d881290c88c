"""Numbers, dates, currency and labels in the plan's language (Babel), and the same separators
handed to Vega so that prose and chart axes agree."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import cast

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_currency, get_currency_symbol, parse_pattern

LOCALES = {"fr": "fr_FR", "en": "en_GB"}

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "achieved": "atteint", "on-track": "en bonne voie", "at-risk": "à risque",
        "off-track": "en retard", "no-data": "sans données",
        "planned": "prévue", "doing": "en cours", "done": "faite", "dropped": "abandonnée",
        "enterprise": "entreprise", "marketing": "marketing",
        "up": "hausse", "down": "baisse", "level": "niveau", "cumulative": "cumul",
        "month": "mois", "year": "an", "once": "une fois",
        "saas": "SaaS", "software": "logiciel", "portal": "portail", "web": "site web", "app": "application",
        "service": "service", "other": "autre",
        "daily": "quotidienne", "weekly": "hebdomadaire", "monthly": "mensuelle",
        "quarterly": "trimestrielle", "yearly": "annuelle",
    },
    "en": {
        "achieved": "achieved", "on-track": "on track", "at-risk": "at risk",
        "off-track": "off track", "no-data": "no data",
        "planned": "planned", "doing": "doing", "done": "done", "dropped": "dropped",
        "enterprise": "enterprise", "marketing": "marketing",
        "up": "up", "down": "down", "level": "level", "cumulative": "cumulative",
        "month": "month", "year": "year", "once": "once",
        "saas": "SaaS", "software": "software", "portal": "portal", "web": "website", "app": "app",
        "service": "service", "other": "other",
        "daily": "daily", "weekly": "weekly", "monthly": "monthly", "quarterly": "quarterly",
        "yearly": "yearly",
    },
}


# Babel patterns of a measurement's period (periods.py): a month in full, a quarter as "T3 2026" / "Q3 2026"
_PERIOD_PATTERNS = {"day": "medium", "month": "MMMM y", "quarter": "QQQ y", "year": "y"}


def common_noun(title: str) -> str:
    """A title inside a sentence: "Prospects" → "prospects", but "CRM leads" and "KPI" stay as written."""
    if title[:2].isalpha() and title[:2].isupper():
        return title
    return title[:1].lower() + title[1:]


def _singular(word: str) -> str:
    """"clients" → "client", "signés" → "signé"; "rendez-vous", "Ads", "KPIs" and "process" stay as written."""
    if len(word) > 3 and word.endswith("s") and word[-2].islower() and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Formatter:
    """Formats values for one language and currency."""

    language: str = "en"
    currency: str = "EUR"

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(LOCALES.get(self.language, "en_GB"))

    def label(self, key: str | None) -> str:
        if key is None:
            return ""
        return LABELS.get(self.language, LABELS["en"]).get(key, key)

    def unit(self, count: float | int | None, title: str) -> str:
        """A stage's title after a count of it: "5 clients signés", "1 client signé", "1 250 prospects"."""
        noun = common_noun(title)
        if count is None or self.locale.plural_form(abs(float(count))) != "one":
            return noun
        return " ".join(_singular(word) for word in noun.split(" "))

    def number(self, value: float | int | None, digits: int = 2) -> str:
        if value is None:
            return "–"
        rounded = round(float(value), digits)
        if rounded == 0 and math.copysign(1.0, rounded) < 0:  # -0.0 is 0.0 to the cache, yet Babel writes "-0"
            return _decimal_pattern(digits).apply(rounded, self.locale)
        return _number(self.language, rounded, digits)

    def volume(self, value: float | None) -> str:
        """A volume a reader counts: whole from 20 up, one decimal below (4,6 clients expected to date)."""
        if value is None:
            return "–"
        return self.number(value, 0 if abs(value) >= 20 else 1)

    def percent(self, value: float | None, digits: int = 0) -> str:
        if value is None:
            return "–"
        if type(value) is float or type(value) is int:
            # the sign apart: -0.0 is 0.0 to the cache, yet Babel writes "-0 %"
            return _percent(self.language, cast(Hashable, type(value)), value, math.copysign(1.0, value), digits)
        return _percent_pattern(self.language, digits).apply(value, self.locale)

    def rate(self, value: float | None) -> str:
        """A conversion rate as a percentage, a tenth of a percent when it is not whole: "2%", "2.5%"."""
        if value is None:
            return "–"
        whole = abs(value * 100 - round(value * 100)) < 1e-9
        return self.percent(value, 0 if whole else 1)

    def money(self, value: float | None) -> str:
        if value is None:
            return "–"
        whole = float(value).is_integer() or abs(value) >= 1000
        fmt = None if not whole else ("#,##0\u00a0¤" if self.language == "fr" else "¤#,##0")
        return format_currency(value, self.currency, format=fmt, locale=self.locale,
                               currency_digits=not whole)

    def date(self, value: dt.date | None, style: str = "medium") -> str:
        if value is None:
            return "–"
        return _date(self.language, value, style)

    def period(self, value: dt.date | None, period: str = "day") -> str:
        """A measurement's date as the period it stands for: "1 nov. 2026", "novembre 2026", "T4 2026"."""
        if value is None:
            return "–"
        return _date(self.language, value, _PERIOD_PATTERNS.get(period, "medium"))

    def month(self, value: dt.date) -> str:
        return format_date(value, format="MMM yyyy", locale=self.locale)

    @property
    def currency_symbol(self) -> str:
        return get_currency_symbol(self.currency, locale=self.locale)

    def vega_format_locale(self) -> dict[str, object]:
        """d3-format locale with Babel's own separators, so axes match the prose."""
        symbols = self.locale.number_symbols.get("latn", self.locale.number_symbols)
        symbol = self.currency_symbol
        currency = ["", "\u00a0" + symbol] if self.language == "fr" else [symbol, ""]
        return {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3],
                "currency": currency, "percent": "\u202f%" if self.language == "fr" else "%"}

    def vega_time_locale(self) -> dict[str, object]:
        """d3-time-format locale built from Babel's month and day names (a new dict each call: every page
        carries it, so Babel's names are looked up once per language)."""
        months, short_months, days, short_days = _calendar_names(self.language)
        return {
            "dateTime": "%A %e %B %Y à %X" if self.language == "fr" else "%a %e %b %X %Y",
            "date": "%d/%m/%Y", "time": "%H:%M:%S",
            "periods": ["AM", "PM"], "days": list(days), "shortDays": list(short_days),
            "months": list(months), "shortMonths": list(short_months),
        }


@functools.lru_cache(maxsize=8)
def _calendar_names(language: str) -> tuple[tuple[str, ...], ...]:
    """Month and day names (Sunday first), wide and abbreviated, for d3-time-format."""
    loc = _locale(language)
    return (tuple(loc.months["format"]["wide"][i] for i in range(1, 13)),
            tuple(loc.months["stand-alone"]["abbreviated"][i] for i in range(1, 13)),
            tuple(loc.days["format"]["wide"][(i - 1) % 7] for i in range(7)),
            tuple(loc.days["format"]["abbreviated"][(i - 1) % 7] for i in range(7)))


# A large plan formats tens of thousands of numbers and dates, most of them several times (a chart's
# tooltip, its table, the page's prose) and its dates from a few dozen months: Babel parses the pattern
# on every call. Both caches hold strings keyed by what fully decides them.
@functools.lru_cache(maxsize=1 << 16)
def _number(language: str, rounded: float, digits: int) -> str:
    return _decimal_pattern(digits).apply(rounded, _locale(language))


@functools.lru_cache(maxsize=1 << 16)
def _percent(language: str, kind: type, value: float, sign: float, digits: int) -> str:
    """A percentage, keyed by its value's type and sign too (1 == 1.0 and 0.0 == -0.0 to a dict)."""
    return _percent_pattern(language, digits).apply(value, _locale(language))


@functools.lru_cache(maxsize=16)
def _percent_pattern(language: str, digits: int) -> NumberPattern:
    """What `format_percent(value, format=…)` parses on every call."""
    decimals = "." + "0" * digits if digits else ""
    return parse_pattern("#,##0" + decimals + ("\u202f%" if language == "fr" else "%"))


@functools.lru_cache(maxsize=16)
def _decimal_pattern(digits: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "#" * digits if digits else ""))


@functools.lru_cache(maxsize=4096)
def _date(language: str, value: dt.date, style: str) -> str:
    return format_date(value, format=style, locale=_locale(language))


@functools.lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    return Locale.parse(LOCALES.get(language, "en_GB"))

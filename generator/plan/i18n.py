"""Numbers, dates, currency and labels in the plan's language and local conventions (Babel), and the same
separators handed to Vega so that prose and chart axes agree.

The language picks the words; the locale (`locale:` in strategy.yaml, "fr-CA", "en-GB"; the language's own by
default: fr-FR, en-US) picks how money, numbers and dates are written: "$12,000,000" in en-US, "12 000 000 €"
in fr-FR. Figures a reader scans (tiles, summaries) may be compact ("$12M", "1,2 M €"); tables stay exact."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import math
import re
from collections.abc import Hashable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cached_property
from typing import cast

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    NumberPattern,
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    get_currency_symbol,
    is_currency,
    parse_pattern,
)

from .message_tables import EN, MESSAGES
from .singular import plural_title, singular_title

DEFAULT_LOCALES = {"fr": "fr-FR", "en": "en-US"}  # a plan's locale when strategy.yaml names none
LOCALES = {language: tag.replace("-", "_") for language, tag in DEFAULT_LOCALES.items()}  # Babel's ids
LOCALE_PATTERN = "^[a-z]{2}-[A-Z]{2}$"  # a language and a region: fr-CA, en-GB
@functools.lru_cache(maxsize=64)
def _compact_affixes(tag: str, power: int, currency: str | None) -> tuple[str, str]:
    """Formatter.compact_affixes, once a locale (three Babel calls for each chart whose axis is compact)."""
    locale = _locale(tag)
    if currency:
        one = format_compact_currency(10 ** power, currency, locale=locale, fraction_digits=0)
    else:
        one = format_compact_decimal(10 ** power, locale=locale, fraction_digits=0)
    before, _, after = one.partition("1")
    return before, after


def half_up(value: float, digits: int = 0) -> float:
    """`value` rounded as a board reads it, halves away from zero: 565 750,5 → 565 751, 151,25 → 151,3 (Python's
    `round` and Babel round halves to even, and 151,25 as a binary float is a hair below its decimal)."""
    if not math.isfinite(value):
        return value
    exact = decimal.Decimal(repr(float(value)))  # the decimal the plan wrote, not the float's binary expansion
    return float(exact.quantize(decimal.Decimal(1).scaleb(-digits), rounding=decimal.ROUND_HALF_UP))


def _halves_up() -> AbstractContextManager[decimal.Context]:
    """Babel rounds in the current decimal context (halves to even by default): every figure it writes is
    rounded inside this one, halves away from zero, as `half_up` does."""
    return decimal.localcontext(rounding=decimal.ROUND_HALF_UP)


def _crosses(value: float, shown: float, goal: float) -> bool:
    """Whether `value`, written as `shown`, reads as being on the other side of `goal` or on it."""
    return (shown > goal) != (value > goal) or (shown < goal) != (value < goal)


def _compact_shown(value: float) -> float:
    """The figure a compact form writes for `value` (COMPACT_FROM or more), one decimal of its thousands,
    millions or billions: "1,2 M" for 1 249 000."""
    scale = 1000 ** min(int(math.log10(abs(value)) // 3), 4)
    return half_up(value / scale, 1) * scale


def whole_needed(value: float) -> int:
    """A count of whole things still to reach, rounded up (11,1 expected by now means 12 to sign); 12.000000001
    from float noise is 12. `Formatter.needed` writes it; the funnel chart draws it."""
    return math.ceil(round(value, 9))


COMPACT_FROM = 100_000  # a scanned figure from this size on is compact: "1,2 M", "$250K"

# a KPI unit that is money: a currency's symbol or code, maybe in thousands or millions ("k€", "M$", "kEUR")
_MONEY_UNIT = re.compile(r"^(?P<scale>[kKM]|Md)?\s?(?P<currency>€|\$|£|US\$|[A-Z]{3})$")
_SYMBOLS = {"€": "EUR", "£": "GBP", "US$": "USD"}
_DOLLARS = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"})  # what "$" may mean in a plan
_SCALES = {None: 1, "k": 1_000, "K": 1_000, "M": 1_000_000, "Md": 1_000_000_000}


def known_locale(tag: str) -> bool:
    """Whether Babel knows the locale `tag` ("fr-CA")."""
    try:
        Locale.parse(tag.replace("-", "_"))
    except (ValueError, LookupError):
        return False
    return True

# Babel patterns of a measurement's period (periods.py): a month in full, a quarter as "T3 2026" / "Q3 2026"
# "-name": a period without its year, the first of a run whose last says it ("June to August 2026", plan/gaps.py)
_PERIOD_PATTERNS = {"day": "medium", "month": "MMMM y", "quarter": "QQQ y", "year": "y",
                    "month-name": "MMMM", "quarter-name": "QQQ"}


# one-letter words a title may start with that are words, not names: the English article, the French preposition
_ONE_LETTER_WORDS = ("A", "À", "Y")


def common_noun(title: str) -> str:
    """A title inside a sentence: "Prospects" → "prospects", but "CRM leads", "KPI", "A/B tests" and "X" stay as
    written (a first word with a capital after its first letter, or a one-letter capital that is not a word
    such as "A" or "À", is a name or an acronym)."""
    first = title.split(maxsplit=1)[0] if title.strip() else ""
    if any(c.isupper() for c in first[1:]):
        return title
    if len(first) == 1 and first.isupper() and first not in _ONE_LETTER_WORDS:  # "X", "Plan B": a name
        return title
    return title[:1].lower() + title[1:]


@dataclass(frozen=True)
class Formatter:
    """Formats values for one language, currency and locale (the language's own when `region` is None)."""

    language: str = "en"
    currency: str = "EUR"
    region: str | None = None  # the plan's `locale:`, "fr-CA"

    @property
    def tag(self) -> str:
        """The locale that writes money, numbers and dates: "fr-CA", else the language's ("fr-FR", "en-US")."""
        return self.region or DEFAULT_LOCALES.get(self.language, "en-US")

    @cached_property
    def locale(self) -> Locale:
        return _locale(self.tag)

    def label(self, key: str | None) -> str:
        if key is None:
            return ""
        # a value the table does not know (a category the schema lets through) shows as written
        label = MESSAGES.get(self.language, EN).get(f"label.{key}", EN.get(f"label.{key}", key))
        return label if isinstance(label, str) else key

    def unit(self, count: float | int | None, title: str) -> str:
        """A stage's title after a count of it: "5 clients signés", "1 client signé", "1 250 prospects"."""
        return self._counted(count, common_noun(title))

    def _counted(self, count: float | int | None, noun: str) -> str:
        """`noun` as written after `count`: singular where the locale says so ("1 client", and in French
        "0 client" and "1,5 client" too), else plural ("3,000 monthly donors" for a stage titled "Monthly
        donor"); as it is without a count."""
        if count is None:
            return noun
        if self.locale.plural_form(abs(float(count))) != "one":
            return plural_title(noun, self.language)
        return singular_title(noun, self.language)  # "client fidèle après 90 jours": its complement as written

    def number(self, value: float | int | None, digits: int = 2) -> str:
        if value is None:
            return "–"
        rounded = half_up(float(value), digits)
        if rounded == 0 and math.copysign(1.0, rounded) < 0:  # -0.0 is 0.0 to the cache, yet Babel writes "-0"
            return _decimal_pattern(digits).apply(rounded, self.locale)
        return _number(self.tag, rounded, digits)

    def compact(self, value: float | int | None, digits: int = 2) -> str:
        """A figure a reader scans: "1,2 M", "250K" from COMPACT_FROM on, else as `number` writes it."""
        if value is None or abs(value) < COMPACT_FROM:
            return self.number(value, digits)
        with _halves_up():
            return format_compact_decimal(value, locale=self.locale, fraction_digits=1)

    def compact_affixes(self, power: int, currency: str | None = None) -> tuple[str, str]:
        """What the locale writes before and after a compact figure of 10**`power` (3, 6 or 9): ("", "M")
        in en-US, ("", "\u00a0Md") in fr-FR, ("$", "M") for dollars, ("", "\u00a0M\u00a0€") for euros."""
        return _compact_affixes(self.tag, power, currency)

    def volume(self, value: float | None) -> str:
        """A volume a reader counts: whole from 20 up, one decimal below (4,6 clients expected to date)."""
        if value is None:
            return "–"
        return self.number(value, 0 if abs(value) >= 20 else 1)

    def volume_toward(self, value: float, goal: float) -> tuple[float, str]:
        """(the figure shown, its text) of a volume said beside the goal it is measured against: as `volume`
        writes it, unless rounding would carry it onto or across the goal; then one decimal cut toward its own
        side ("≈ 23.8 of 24", "≈ 24.1 of 24"), so a shortfall never reads as the goal reached, nor an excess
        as short of it."""
        digits = 0 if abs(value) >= 20 else 1
        shown = half_up(value, digits)
        if (shown > goal) != (value > goal) or (shown < goal) != (value < goal):
            cut = math.floor if value < goal else math.ceil
            digits, shown = 1, cut(round(value * 10, 6)) / 10  # round(…, 6): 23.1 * 10 is 231.00000000000003
        return shown, self.number(shown, digits)

    def needed(self, value: float | None) -> str:
        """A count of whole things still to reach, such as a funnel stage's need to date: rounded up, since
        11,1 distributors expected by now means 12 to sign, and 11 signed is behind ("11 pour 12")."""
        if value is None:
            return "–"
        return self.number(whole_needed(value), 0)

    def percent(self, value: float | None, digits: int = 0) -> str:
        if value is None:
            return "–"
        if type(value) is float or type(value) is int:
            # the sign apart: -0.0 is 0.0 to the cache, yet Babel writes "-0 %"
            return _percent(self.language, self.tag, cast(Hashable, type(value)), value,
                            math.copysign(1.0, value), digits)
        with _halves_up():
            return _percent_pattern(self.language, digits).apply(value, self.locale)

    def rate(self, value: float | None) -> str:
        """A conversion rate as a percentage, a tenth of a percent when it is not whole: "2%", "2.5%"."""
        if value is None:
            return "–"
        whole = abs(value * 100 - round(value * 100)) < 1e-9
        return self.percent(value, 0 if whole else 1)

    def money(self, value: float | None, currency: str | None = None, *, compact: bool = False,
              exact: bool = False, cents: bool = False, compact_digits: int = 1) -> str:
        """An amount with its symbol where the locale puts it: "$12,000,000", "12 000 000 €"; cents only
        below 1,000 when there are any (at any size when `exact`: a measurement in a table; always with
        `cents`: beside an amount that has some, "$95.00 → $97.50"); `compact` from COMPACT_FROM on: "$12M",
        "1,2 M €" (`compact_digits` decimals at most: "162,74 M €" beside "162,73 M €")."""
        if value is None:
            return "–"
        code = currency or self.currency
        if compact and abs(value) >= COMPACT_FROM:
            with _halves_up():
                return format_compact_currency(value, code, locale=self.locale, fraction_digits=compact_digits)
        whole = not cents and (float(value).is_integer() or (abs(value) >= 1000 and not exact))
        return _money(self.tag, code, float(value), whole)

    def money_unit(self, unit: str | None) -> tuple[str, int] | None:
        """(currency, scale) when a KPI's `unit` is money: "€" → (EUR, 1), "k€" → (EUR, 1000), "USD", "$"
        (the plan's currency when it is a dollar, else USD); None for any other unit."""
        found = _MONEY_UNIT.match((unit or "").strip())
        if found is None:
            return None
        symbol = found["currency"]
        code = _SYMBOLS.get(symbol) or (symbol if symbol != "$" else
                                        self.currency if self.currency in _DOLLARS else "USD")
        if not is_currency(code):
            return None
        return code, _SCALES[found["scale"]]

    def measure(self, value: float | None, unit: str | None, *, digits: int = 2, compact: bool = False,
                exact: bool = True) -> str:
        """A KPI's value with its unit: money when the unit is a currency ("$12M", "350 000 €"; its cents
        kept when `exact`, as a table does), else the number (`digits` at most; 0 for a count) followed by
        the unit ("1 250 leads", "12 %")."""
        if value is None:
            return "–"
        money = self.money_unit(unit)
        if money is not None:
            return self.money(value * money[1], money[0], compact=compact, exact=exact and not compact)
        number = self.compact(value, digits) if compact else self.number(value, digits)
        if not unit:
            return number
        if unit.strip() == "%":
            return number + ("\u202f%" if self.language == "fr" else "%")
        # the unit as the plan writes it ("Go" stays "Go"), singular after a count written "1" or "0"
        return f"{number}\u00a0{self._counted(round(float(value), digits), unit.strip())}"

    def measure_toward(self, value: float | None, goal: float | None, unit: str | None, *, digits: int = 2,
                       compact: bool = False, exact: bool = True) -> str:
        """A KPI's value said beside the target it is measured against (a forecast beside its target): as
        `measure` writes it, unless rounding would carry it onto or across the target (the rule of
        `volume_toward`); then in full, not compact, and if need be with one more decimal cut toward its own
        side: a forecast of 3.6 clients beside a target of 4 reads "3,6 clients", not "4 clients"."""
        if value is None or goal is None or not math.isfinite(value) or value == goal:
            return self.measure(value, unit, digits=digits, compact=compact, exact=exact)
        money = self.money_unit(unit)
        scale = money[1] if money else 1
        if compact and abs(value * scale) >= COMPACT_FROM and not _crosses(value, _compact_shown(value * scale) / scale,
                                                                         goal):
            return self.measure(value, unit, digits=digits, compact=True, exact=exact)
        if money is not None:  # in full, its cents kept if whole units would cross: "1 999 999,60 €" beside 2 M €
            crosses = _crosses(value, half_up(value * scale) / scale, goal)
            return self.measure(value, unit, exact=(exact and not compact) or crosses)
        if _crosses(value, half_up(value, digits), goal):
            cut = math.floor if value < goal else math.ceil
            digits += 1
            value = cut(round(value * 10 ** digits, 6)) / 10 ** digits  # round(…, 6): 23.1 * 10 is 231.00000000000003
        return self.measure(value, unit, digits=digits)

    def date(self, value: dt.date | None, style: str = "medium") -> str:
        if value is None:
            return "–"
        return _date(self.tag, value, style)

    def period(self, value: dt.date | None, period: str = "day") -> str:
        """A measurement's date as the period it stands for: "1 nov. 2026", "novembre 2026", "T4 2026"."""
        if value is None:
            return "–"
        return _date(self.tag, value, _PERIOD_PATTERNS.get(period, "medium"))

    def month(self, value: dt.date) -> str:
        return format_date(value, format="MMM yyyy", locale=self.locale)

    @property
    def currency_symbol(self) -> str:
        return get_currency_symbol(self.currency, locale=self.locale)

    def vega_format_locale(self) -> dict[str, object]:
        """d3-format locale with Babel's own separators, so axes match the prose."""
        symbols = self.locale.number_symbols.get("latn", self.locale.number_symbols)
        symbol = self.currency_symbol
        before = self.locale.currency_formats["standard"].pattern.startswith("¤")  # "$12", "12 €"
        currency = [symbol, ""] if before else ["", "\u00a0" + symbol]
        return {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3],
                "currency": currency, "percent": "\u202f%" if self.language == "fr" else "%"}

    def vega_time_locale(self) -> dict[str, object]:
        """d3-time-format locale built from Babel's month and day names (a new dict each call: every page
        carries it, so Babel's names are looked up once per language)."""
        months, short_months, days, short_days = _calendar_names(self.tag)
        return {
            "dateTime": "%A %e %B %Y à %X" if self.language == "fr" else "%a %e %b %X %Y",
            "date": "%d/%m/%Y", "time": "%H:%M:%S",
            "periods": ["AM", "PM"], "days": list(days), "shortDays": list(short_days),
            "months": list(months), "shortMonths": list(short_months),
        }


@functools.lru_cache(maxsize=8)
def _calendar_names(tag: str) -> tuple[tuple[str, ...], ...]:
    """Month and day names (Sunday first), wide and abbreviated, for d3-time-format."""
    loc = _locale(tag)
    return (tuple(loc.months["format"]["wide"][i] for i in range(1, 13)),
            tuple(loc.months["stand-alone"]["abbreviated"][i] for i in range(1, 13)),
            tuple(loc.days["format"]["wide"][(i - 1) % 7] for i in range(7)),
            tuple(loc.days["format"]["abbreviated"][(i - 1) % 7] for i in range(7)))


# A large plan formats tens of thousands of numbers and dates, most of them several times (a chart's
# tooltip, its table, the page's prose) and its dates from a few dozen months: Babel parses the pattern
# on every call. Both caches hold strings keyed by what fully decides them.
@functools.lru_cache(maxsize=1 << 16)
def _number(tag: str, rounded: float, digits: int) -> str:
    with _halves_up():
        return _decimal_pattern(digits).apply(rounded, _locale(tag))


@functools.lru_cache(maxsize=1 << 16)
def _percent(language: str, tag: str, kind: type, value: float, sign: float, digits: int) -> str:
    """A percentage, keyed by its value's type and sign too (1 == 1.0 and 0.0 == -0.0 to a dict)."""
    with _halves_up():
        return _percent_pattern(language, digits).apply(value, _locale(tag))


@functools.lru_cache(maxsize=4096)
def _money(tag: str, currency: str, value: float, whole: bool) -> str:
    """The locale's own currency pattern ("¤#,##0.00", "#,##0.00 ¤"), without cents when `whole`."""
    loc = _locale(tag)
    with _halves_up():
        if not whole:
            return format_currency(value, currency, locale=loc)
        pattern = loc.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
        return format_currency(value, currency, format=pattern, locale=loc, currency_digits=False)


@functools.lru_cache(maxsize=16)
def _percent_pattern(language: str, digits: int) -> NumberPattern:
    """What `format_percent(value, format=…)` parses on every call."""
    decimals = "." + "0" * digits if digits else ""
    return parse_pattern("#,##0" + decimals + ("\u202f%" if language == "fr" else "%"))


@functools.lru_cache(maxsize=16)
def _decimal_pattern(digits: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "#" * digits if digits else ""))


@functools.lru_cache(maxsize=4096)
def _date(tag: str, value: dt.date, style: str) -> str:
    pattern = _first_of_month_pattern(tag, style) if value.day == 1 else style
    return format_date(value, format=pattern, locale=_locale(tag))


_NAMED_STYLES = ("short", "medium", "long", "full")


@functools.lru_cache(maxsize=64)
def _first_of_month_pattern(tag: str, style: str) -> str:
    """The Babel pattern of `style` for a month's first day: French writes it "1er" ("1er janv. 2026",
    "jeudi 1er janvier 2026") wherever the month is a word; "01/01/2026" stays as it is."""
    pattern = _locale(tag).date_formats[style].pattern if style in _NAMED_STYLES else style
    if not tag.startswith("fr") or not re.search(r"[ML]{3}", pattern):
        return style
    # a lone `d` outside quoted text ('…' alternates with the pattern's letters) is the day of the month
    parts = pattern.split("'")
    parts[::2] = [re.sub(r"(?<!d)d(?!d)", "d'er'", part) for part in parts[::2]]
    return "'".join(parts)


@functools.lru_cache(maxsize=8)
def _locale(tag: str) -> Locale:
    """Babel's locale of a tag ("fr-CA"), or of a language ("fr": its default locale)."""
    return Locale.parse(DEFAULT_LOCALES.get(tag, tag).replace("-", "_"))

"""A diff's values as a reader of the plan writes them, each side of an arrow in its own terms: money where
the locale puts its symbol ("$12,000,000", "12 000 000 €"), in the currency of its side (a plan moved from
EUR to CAD reads "55 080 € → 42 000 $"), with cents on both sides or neither ("$95.00 → $97.50");
percentages as the language writes them ("2.6%", "2,6 %"), conversion rates as percentages whatever way they
are written ("0.4", "40 %", "2/5"), dates in the locale's words ("Nov 20, 2026", "20 nov. 2026"), and every
other count followed by its unit agreed with it ("1 client signé", "5 clients signés")."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..plan import periods
from ..plan.i18n import Formatter
from ..plan.schema import parse_rate
from .compare import MONEY_PATHS, EntityChange, FieldChange, PlanDiff
from .measurements import CORRECTED_PATH
from .phrases import phrase

PERCENT_PATHS = ("progress", "rules.at_risk", "rules.budget_share")
DATE_PATHS = ("due", "period.start", "period.end")
LABEL_PATHS = ("status", "level", "direction", "measure", "cadence", "category", "cost.per")
_RATE_PATH = re.compile(r"^stages\.[^.]+\.rate$")
TEXT_PATHS = ("body", "vision")
# decimals of a percentage told apart from its neighbour ("106.2% → 106.4%"): a computed value is kept to 6
# places of its fraction (compare._derived), 4 of its percentage
PERCENT_DIGITS_MAX = 4


@dataclass(frozen=True)
class Sides:
    """How each side of the comparison writes money: the old plan's currency on the left of an arrow, the new
    one's on the right, both in the new plan's language and locale."""

    old: Formatter
    new: Formatter

    @classmethod
    def of(cls, diff: PlanDiff) -> Sides:
        new = Formatter(diff.language, diff.currency, diff.locale)
        return cls(Formatter(diff.language, diff.old_currency or diff.currency, diff.locale), new)


def lines_changed(old: str | None, new: str | None, language: str = "en") -> str:
    before, after = (old or "").splitlines(), (new or "").splitlines()
    added = removed = 0
    for line in difflib.ndiff(before, after):
        if line.startswith("+ "):
            added += 1
        elif line.startswith("- "):
            removed += 1
    return phrase(language, "lines_changed", added=added, removed=removed)


def _show(value: Any, path: str, fmt: Formatter, unit: str, *, compact: bool = False, cents: bool = False,
          digits: int = 2) -> str:
    """One side's value with its unit (money that is `compact` with a decimal at most, any
    other number with `digits` at most: none for a KPI that counts, as its tiles write it)."""
    if value is None:
        return "–"
    if path == CORRECTED_PATH and isinstance(value, dict):  # many past values: their count and span
        return corrected_span(value, fmt)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "–"
    if isinstance(value, bool):
        return str(value).lower()
    if _RATE_PATH.match(path):
        rate = parse_rate(value)
        return fmt.rate(float(rate)) if rate is not None else str(value)
    if isinstance(value, str):
        if path in DATE_PATHS:
            try:
                return fmt.date(dt.date.fromisoformat(value))
            except ValueError:
                return value
        return fmt.label(value) if path in LABEL_PATHS or path.endswith(".status") else value
    if MONEY_PATHS.match(path):
        return fmt.money(value, None, compact=compact, cents=cents)
    if path in PERCENT_PATHS:
        return fmt.percent(value, 0)
    money = fmt.money_unit(unit) if unit else None
    if money is not None:  # a KPI counted in money: "$12,000,000", "1,2 M €"
        return fmt.money(value * money[1], money[0], compact=compact, cents=cents)
    if unit.strip() == "%":
        return fmt.measure(value, "%", digits=digits)
    shown = fmt.number(value, digits)  # a count stays exact: only money is compact ("$12M")
    return f"{shown} {fmt.unit(value, unit)}" if unit else shown


def corrected_span(value: dict[str, Any], fmt: Formatter) -> str:
    """"12 past values (January 2026 – October 2026)", from `measurements.corrected`'s count and first and
    last dates as the CSV writes them."""
    first, last = (periods.parse(value[end]) for end in ("first", "last"))
    span = [fmt.period(*day) if day else str(value[end]) for day, end in ((first, "first"), (last, "last"))]
    return phrase(fmt.language, "corrected_span", count=value["count"], first=span[0], last=span[1])


def _has_cents(value: Any, path: str, unit: str, fmt: Formatter) -> bool:
    """Whether a number is money that `Formatter.money` writes with cents (below 1,000, not whole)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    money = (None, 1) if MONEY_PATHS.match(path) else fmt.money_unit(unit) if unit else None
    if money is None:
        return False
    amount = float(value * money[1])
    return not amount.is_integer() and abs(amount) < 1000


def show_value(value: Any, path: str, fmt: Formatter, unit: str = "", *, compact: bool = False,
               digits: int = 2) -> str:
    """One value alone (an entity added or removed, a need), as `pair` writes it."""
    return _show(value, path, fmt, "" if path.startswith(("need.", "volume.")) else unit, compact=compact,
                 digits=digits)


def pair(change: FieldChange, c: EntityChange, sides: Sides, *, compact: bool = False,
         escape: Callable[[str], str] = str) -> tuple[str, str]:
    """The two sides of a changed field, each with its unit (the old side's unit and currency on the left):
    money with cents on both sides when one side has them (or when without them both would read the same);
    `compact` money in full when its short forms read the same ("£189,566 → £189,568", never "£189.566k");
    a percentage with the decimals that tell its sides apart ("106.2% → 106.4%")."""
    path = change.path
    plain = path.startswith(("need.", "volume."))  # a need's or a volume's field names its stage
    new_unit = "" if plain else escape(c.units.get(path, ""))
    old_unit = "" if plain else escape((c.units_before if c.op == "changed" else c.units).get(path, ""))
    cents = _has_cents(change.old, path, old_unit, sides.old) or _has_cents(change.new, path, new_unit, sides.new)
    digits = c.digits  # a count's forecast is whole on both sides, as on its tiles: "30 893 → 30 861 visites"
    old = _show(change.old, path, sides.old, old_unit, compact=compact, cents=cents, digits=digits)
    new = _show(change.new, path, sides.new, new_unit, compact=compact, cents=cents, digits=digits)
    if old == new and change.old != change.new:
        if compact:  # "£189.6k → £189.6k" says nothing moved, and "£189.566k → £189.568k" is hard to read: both
            # in full, "£189,566 → £189,568", as the board reads an amount it compares
            return pair(change, c, sides, escape=escape)
        if path in PERCENT_PATHS:  # "106% → 106%" reads as no change: a decimal more until they differ
            for places in range(1, PERCENT_DIGITS_MAX + 1):
                old, new = sides.old.percent(change.old, places), sides.new.percent(change.new, places)
                if old != new:
                    break
        elif not cents:  # rounded alike: say the cents, or a count's decimals
            old = _show(change.old, path, sides.old, old_unit, cents=True)
            new = _show(change.new, path, sides.new, new_unit, cents=True)
    return old, new


def change_text(change: FieldChange, c: EntityChange, sides: Sides, *, compact: bool = False,
                escape: Callable[[str], str] = str) -> str:
    """`5 clients → 8 clients` (the unit on both sides of the arrow), `$95.00 → $97.50`, `1 250 → 2 000`."""
    if change.path in TEXT_PATHS:
        return lines_changed(change.old, change.new, sides.new.language)
    if change.path == CORRECTED_PATH:  # nothing to put left of an arrow
        return _show(change.new, change.path, sides.new, "")
    if isinstance(change.old, list) and isinstance(change.new, list):
        gone = [str(v) for v in change.old if v not in change.new]
        came = [str(v) for v in change.new if v not in change.old]
        if gone or came:
            return " ".join([f"+{v}" for v in came] + [f"−{v}" for v in gone])
    old, new = pair(change, c, sides, compact=compact, escape=escape)
    return f"{old} → {new}"

"""Figures are rounded as a board reads them, halves away from zero, in both languages and on every surface the
Formatter writes for (pages, chart labels, the pack, the diff): 565 750,5 reads 565 751, 151,25 M€ reads 151,3 M€."""

from __future__ import annotations

from generator.plan.i18n import Formatter


def test_a_half_rounds_up_in_english() -> None:
    """An English reader sees "565,751" and "$151.3M", not the half-even "565,750" and "$151.2M"."""
    fmt = Formatter("en", "USD")
    assert fmt.number(565_750.5, 0) == "565,751"
    assert fmt.money(565_750.5) == "$565,751"
    assert fmt.money(151_250_000, compact=True) == "$151.3M"
    assert fmt.measure(151.25, "M$", compact=True) == "$151.3M"
    assert fmt.percent(0.125) == "13%"


def test_a_half_rounds_up_in_french() -> None:
    """A French reader sees « 565 751 » and « 151,3 M € », and « 2,68 » for 2,675 (as written, not its float)."""
    fmt = Formatter("fr", "EUR")
    assert fmt.number(565_750.5, 0) == "565\u202f751"
    assert fmt.money(151_250_000, compact=True) == "151,3\u00a0M\u00a0€"
    assert fmt.number(2.675, 2) == "2,68"
    assert fmt.money(1.005) == "1,01\u00a0€"


def test_a_negative_half_rounds_away_from_zero() -> None:
    """A fall of 2,5 reads -3 and -12,5 % reads -13 %: the same size as the rise it mirrors."""
    fmt = Formatter("fr", "EUR")
    assert fmt.number(-2.5, 0) == "-3"
    assert fmt.percent(-0.125) == "-13\u202f%"


def test_a_diffed_value_just_under_a_half_is_not_rounded_twice() -> None:
    """A progress of 12.496 % compared by the diff still reads « 12 % » in its summary, not « 13 % »: the diff
    keeps computed values to 6 places, so halves-up rounding of the written figure sees the value itself."""
    from generator.diff.compare import _derived

    kept = _derived(0.12496)
    assert kept is not None
    assert Formatter("fr", "EUR").percent(kept) == "12\u202f%"

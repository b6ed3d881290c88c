"""A plain `date,value` file of ISO days and plain numbers, read in one pass, gives the very measurements the full
reader gives, and anything else is left to the full reader (which reports what is wrong in it)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from generator.read import kpi_data
from generator.read.kpi_data import ReadSpec, read_series
from generator.read.plain_csv import plain_series

SPEC = ReadSpec(kpi="visits", language="fr", currency="EUR")


def _full(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[object, list[tuple[object, ...]]]:
    reports: list[tuple[object, ...]] = []
    with monkeypatch.context() as patched:
        patched.setattr(kpi_data, "plain_series", lambda *_: None)
        series = read_series(raw, "data/visits.csv", SPEC, lambda *a, **k: reports.append((*a, k)))
    return series, reports


def _random_file(rng: random.Random) -> str:
    start = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000))
    days = [start + dt.timedelta(days=i) for i in range(rng.randrange(1, 40))]
    rng.shuffle(days)
    style = rng.choice(["int", "dot", "three", "mixed", "negative"])
    rows = []
    for day in days:
        number = str(rng.randrange(0, 10 ** rng.randrange(1, 9)))
        if style == "dot" or (style == "mixed" and rng.random() < 0.5):
            number += "." + str(rng.randrange(0, 100)).zfill(rng.choice([1, 2]))
        elif style == "three":
            number += "." + str(rng.randrange(0, 1000)).zfill(3)
        elif style == "negative" and rng.random() < 0.5:
            number = "-" + number
        rows.append(f"{day.isoformat()},{number}")
    return "date,value\n" + "\n".join(rows) + rng.choice(["", "\n"])


def test_plain_files_read_at_once_give_what_the_full_reader_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """On 400 random plain files (whole numbers, dot decimals, negatives, rows out of order), the measurements
    read in one pass equal the full reader's, which reports nothing on them; a file whose every decimal has
    three digits (`1.250`: a decimal mark or a thousands separator?) is left to the full reader."""
    rng = random.Random(15)
    read_at_once = 0
    for _ in range(400):
        text = _random_file(rng)
        plain = plain_series(text, "data/visits.csv", "value")
        if plain is None:
            continue
        read_at_once += 1
        full, reports = _full(text.encode(), monkeypatch)
        assert reports == [] and plain == full, text
    assert read_at_once > 250


@pytest.mark.parametrize("text", [
    "date,value\n2026-02-30,12\n",  # no such day: the full reader says what to write
    "date,value\n2026-01-01,12\n2026-01-01,13\n",  # the same day twice
    "date,value\n2026-01,12\n",  # a month
    "date,value\n2026-01-01,1 200\n",  # a thousands separator
    "date,value\n2026-01-01,12\n\n2026-01-02,13\n",  # a blank line
    "date,value\r\n2026-01-01,12\r\n",  # Windows line ends
    "Date,Value\n2026-01-01,12\n",  # another spelling of the header
    "date,value,note\n2026-01-01,12,x\n",  # more columns
    "date,value\n2026-01-01,1.250\n2026-01-02,2.500\n",  # every decimal of three digits
    "date,value\n2026-01-01,1" + "0" * 15 + "\n",  # too large
    "date,value\n",  # no row
])
def test_anything_but_a_plain_file_goes_to_the_full_reader(text: str) -> None:
    """A file with anything the one-pass reading does not handle is not read by it (None): the full reader reads
    it, or reports what is wrong with it, as before."""
    assert plain_series(text, "data/visits.csv", "value") is None

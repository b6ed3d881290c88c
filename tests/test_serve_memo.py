"""`strategy serve`'s rebuilds keep digests across builds (render_memo.py): of each KPI's measurements
(the loader's Series) and of each KPI's counted measurements, by identity. An edit of any input those come
from must still show: each rebuild is compared byte for byte with a fresh build."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.serve.server import Builder
from tests.serve_rebuilt import TODAY, example_builder, rebuilt_equals_fresh, replace_once


@pytest.fixture
def builder(tmp_path: Path) -> Builder:
    return example_builder(tmp_path)


def test_a_measurement_edit_shows_in_charts_and_pages(builder: Builder) -> None:
    """A changed value in a KPI's CSV (new measurements, the others' kept digests reused) shows in the
    rebuilt site exactly as in a fresh build, and so does undoing it."""
    csv = builder.plan_dir / "data" / "leads-qualifies.csv"
    text = csv.read_text(encoding="utf-8")
    last = text.rstrip("\n").rsplit("\n", 1)[1]
    date, value = last.rsplit(",", 1)
    before = rebuilt_equals_fresh(builder, None)
    replace_once(csv, last, f"{date},{float(value) * 3 + 1}")
    after = rebuilt_equals_fresh(builder, csv)
    assert any(before[p] != after[p] for p in before if p.startswith("objectives/"))
    replace_once(csv, f"{date},{float(value) * 3 + 1}", last)
    assert rebuilt_equals_fresh(builder, csv) == before


def test_a_dropped_measurement_and_a_kpi_edit_show(builder: Builder) -> None:
    """A measurement removed from a CSV, then a KPI's target edited in its objective file, each show."""
    csv = builder.plan_dir / "data" / "leads-qualifies.csv"
    csv.write_text(csv.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[0] + "\n", encoding="utf-8")
    rebuilt_equals_fresh(builder, csv)
    objective = builder.plan_dir / "objectives" / "qualite-leads.md"
    text = objective.read_text(encoding="utf-8")
    target = next(line for line in text.splitlines() if line.strip().startswith("target:"))
    replace_once(objective, target, target.split(":")[0] + ": 12345")
    rebuilt_equals_fresh(builder, objective)


def test_a_period_edit_and_another_evaluation_date_show(builder: Builder) -> None:
    """The plan's period (strategy.yaml) and the evaluation date change what each KPI counts from the
    same, unchanged measurements: both show."""
    settings = builder.plan_dir / "strategy.yaml"
    replace_once(settings, "start: 2026-01-01", "start: 2026-03-01")
    rebuilt_equals_fresh(builder, settings)
    builder.today = TODAY - dt.timedelta(days=200)
    rebuilt_equals_fresh(builder, None)


def test_a_kpi_state_digest_follows_each_counted_measurement(builder: Builder) -> None:
    """Two KPI states that differ only in one counted measurement (other fields kept equal) never share a
    digest, across builds of one memo: their charts cannot be mistaken for each other."""
    import copy

    from generator.pipeline import check

    state = check(builder.source, TODAY).state
    assert state is not None
    kpi = next(k for k in state.kpis.values() if len(k.points) >= 3)
    memo = builder.memo
    with memo.build():
        first = memo._prints.of(kpi)
    other = copy.copy(kpi)
    other.points = list(kpi.points)
    day, value = other.points[1]
    other.points[1] = (day, value + 1.0)
    same = copy.copy(kpi)
    same.points = list(kpi.points)
    with memo.build():
        assert memo._prints.of(same) == first
        assert memo._prints.of(other) != first
    with memo.build():
        other.points[1] = (day, value)  # put back, as new objects: equal to the first again
        assert memo._prints.of(other) == first


@pytest.mark.parametrize("field", ["periods", "positions"])
def test_a_kpi_state_digest_follows_the_periods_of_its_measurements(builder: Builder, field: str) -> None:
    """Two KPI states that differ only in what one measurement stands for (a month or a quarter) or where it
    stands on the time line never share a digest, across builds of one memo: the chart and the page that
    show one are never taken for the other's."""
    import copy

    from generator.pipeline import check

    state = check(builder.source, TODAY).state
    assert state is not None
    kpi = next(k for k in state.kpis.values() if len(getattr(k, field)) >= 2)
    memo = builder.memo
    with memo.build():
        first = memo._prints.of(kpi)
    day = sorted(getattr(kpi, field))[1]
    moved = {"periods": "quarter", "positions": day + dt.timedelta(days=40)}[field]
    other = copy.copy(kpi)
    setattr(other, field, {**getattr(kpi, field), day: moved})
    with memo.build():
        assert memo._prints.of(copy.copy(kpi)) == first
        assert memo._prints.of(other) != first


def _status_sentences(site: dict[str, bytes]) -> list[str]:
    import re

    return [sentence for path in sorted(site) if path.startswith("objectives/")
            for sentence in re.findall(r'<p class="status-rule">(.*?)</p>', site[path].decode())]


def test_an_edit_that_changes_a_status_sentence_shows_it(builder: Builder) -> None:
    """A KPI's status sentence is made when its page is rendered, yet every edit that changes it shows:
    the at-risk tolerance in strategy.yaml (the same measurements, another rule and other numbers said), and
    a measurement that moves from one month to a day of it (what it stands for and where it stands)."""
    before = _status_sentences(rebuilt_equals_fresh(builder, None))
    settings = builder.plan_dir / "strategy.yaml"
    replace_once(settings, "at_risk: 0.9", "at_risk: 0.3")
    looser = _status_sentences(rebuilt_equals_fresh(builder, settings))
    assert looser != before and len(looser) == len(before)
    csv = builder.plan_dir / "data" / "leads-qualifies.csv"
    last = csv.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[1]
    month, value = last.split(",")
    replace_once(csv, last, f"{month}-03,{value}")
    dated = rebuilt_equals_fresh(builder, csv)
    assert _status_sentences(dated) != looser


def test_a_rebuild_frees_what_it_computed_at_once(builder: Builder) -> None:
    """What a rebuild computed (the plan's entities and states) is freed as soon as the site is made, not held
    by a reference cycle until the garbage collector's next pass: such a cycle once held each rebuild's whole
    plan, and the pass that freed it took a fifth of a one-edit rebuild of a big plan."""
    import gc

    from generator.plan.compute import KpiState, ObjectiveState
    from generator.plan.model import Entity

    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a pass finds unreachable is kept in gc.garbage, to be looked at
    try:
        outcome, _ = builder.build()
        assert outcome.ok
        gc.collect()
        held = [type(x).__name__ for x in gc.garbage if isinstance(x, KpiState | ObjectiveState | Entity)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert held == []

"""`strategy serve`'s check keeps the computed states of each objective and funnel whose inputs did not change
(plan/computed_memo.py), and the render memo keeps their digests. An edit of any input a state is computed from
must still show: each rebuild is compared byte for byte with a fresh build, and the states the edit touches are
computed again while the others are not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from watchfiles import Change

from generator.serve.server import Builder
from tests.serve_rebuilt import TODAY, example_builder, rebuilt_equals_fresh, replace_once

OBJECTIVES, FUNNELS = 5, 2  # in the example plan


@pytest.fixture
def builder(tmp_path: Path) -> Builder:
    return example_builder(tmp_path)


def _computed(builder: Builder) -> int:
    """How many objectives and funnels the latest check computed (the others were taken as they were)."""
    assert builder.computed.reused + builder.computed.computed == OBJECTIVES + FUNNELS
    return builder.computed.computed


def test_an_unchanged_plan_computes_nothing_again(builder: Builder) -> None:
    """A rebuild with no file changed takes every objective's and funnel's states from the previous check, and
    its pages are the fresh build's."""
    rebuilt_equals_fresh(builder, None)
    assert _computed(builder) == 0


def test_a_kpi_target_edit_computes_its_objective_again(builder: Builder) -> None:
    """A KPI's target edited in its objective file shows in the rebuilt pages (status, progress, charts) as in
    a fresh build; that objective alone is computed again."""
    objective = builder.plan_dir / "objectives" / "portail-client.md"
    text = objective.read_text(encoding="utf-8")
    target = next(line for line in text.splitlines() if line.strip().startswith("target:"))
    before = rebuilt_equals_fresh(builder, None)
    replace_once(objective, target, target.split(":")[0] + ": 12345")
    after = rebuilt_equals_fresh(builder, objective)
    assert _computed(builder) == 1
    assert before["objectives/portail-client.html"] != after["objectives/portail-client.html"]


def test_a_measurement_edit_computes_its_objective_and_funnel_again(builder: Builder) -> None:
    """A measurement edited in the CSV of a KPI that a funnel stage counts shows in the objective's and the
    funnel's pages as in a fresh build: both are computed again (its objective's file did not change)."""
    csv = builder.plan_dir / "data" / "prospects.csv"
    last = csv.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[1]
    date, value = last.rsplit(",", 1)
    before = rebuilt_equals_fresh(builder, None)
    replace_once(csv, last, f"{date},{float(value) * 3 + 1}")
    after = rebuilt_equals_fresh(builder, csv)
    assert _computed(builder) == 2  # qualite-leads, which holds the KPI, and the acquisition funnel
    assert before["funnels/acquisition.html"] != after["funnels/acquisition.html"]


def test_a_funnel_stage_edit_computes_that_funnel_again(builder: Builder) -> None:
    """A funnel stage's planned rate edited shows in the funnel's pages as in a fresh build; that funnel alone
    is computed again."""
    funnel = builder.plan_dir / "funnels" / "acquisition.yaml"
    replace_once(funnel, 'rate: "1/5"', 'rate: "1/4"')
    rebuilt_equals_fresh(builder, funnel)
    assert _computed(builder) == 1


def test_a_parent_edit_computes_the_objectives_whose_children_change(builder: Builder) -> None:
    """An objective given another parent shows under it, and no longer under the former one, as in a fresh
    build: the objective and both parents (their children changed) are computed again."""
    objective = builder.plan_dir / "objectives" / "qualite-leads.md"
    replace_once(objective, "parent: croissance-clients", "parent: portail-client")
    rebuilt_equals_fresh(builder, objective)
    assert _computed(builder) == 3


@pytest.mark.parametrize(("old", "new"), [("start: 2026-01-01", "start: 2026-03-01"),
                                          ("at_risk: 0.9", "at_risk: 0.3"),
                                          ("  budget_share: 0.5", "  budget_share: 0.5\n  bottleneck: 0.5")])
def test_a_settings_edit_computes_what_it_reads_again(builder: Builder, old: str, new: str) -> None:
    """The plan's period, its at-risk tolerance and its bottleneck tolerance (strategy.yaml) change what is
    computed from unchanged objective and data files: the rebuilt pages are a fresh build's."""
    settings = builder.plan_dir / "strategy.yaml"
    replace_once(settings, old, new)
    rebuilt_equals_fresh(builder, settings)
    assert _computed(builder) > 0


def test_another_day_computes_everything_again(builder: Builder) -> None:
    """Another evaluation date (the clock passing midnight while serve runs, or `--today`) computes every
    state again, and the pages are a fresh build's on that day."""
    builder.today = TODAY - dt.timedelta(days=200)
    rebuilt_equals_fresh(builder, None)
    assert _computed(builder) == OBJECTIVES + FUNNELS



def test_an_unchanged_file_is_not_read_again_but_its_mistake_is_still_reported(builder: Builder) -> None:
    """What the previous check loaded from an unchanged file is handed to the next as it is: a mistake in it
    is reported once on every rebuild while it is there, whatever else is edited, with its file and line, and
    once it is mended the site is a fresh build's."""
    objective = builder.plan_dir / "objectives" / "portail-client.md"
    replace_once(objective, "level:", "colour: bleu\nlevel:")
    settings = builder.plan_dir / "strategy.yaml"
    reports = []
    for edited in (objective, None, settings):
        if edited is settings:
            replace_once(settings, "at_risk: 0.9", "at_risk: 0.8")
        if edited is not None:
            builder.forget([(Change.modified, str(edited))])
        outcome, files = builder.build()
        assert files is None
        reports.append([(d.code, d.file.rsplit("/", 1)[-1], d.line) for d in outcome.diagnostics.errors])
    assert reports[0] == reports[1] == reports[2]
    assert len(reports[0]) == 1 and reports[0][0][1] == "portail-client.md"
    replace_once(objective, "colour: bleu\n", "")
    rebuilt_equals_fresh(builder, objective)

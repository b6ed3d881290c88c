"""`strategy serve`'s check keeps the computed states of each objective and funnel whose inputs did not change
(plan/computed_memo.py), and the render memo keeps their digests. An edit of any input a state is computed from
must still show: each rebuild is compared byte for byte with a fresh build, and the states the edit touches are
computed again while the others are not."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from watchfiles import Change

from generator.serve.server import Builder
from tests.conftest import EXAMPLE

TODAY = dt.date(2026, 11, 23)
OBJECTIVES, FUNNELS = 5, 2  # in the example plan


def _rebuilt_equals_fresh(builder: Builder, edited: Path | None) -> dict[str, bytes]:
    if edited is not None:
        builder.forget([(Change.modified, str(edited))])
    outcome, kept = builder.build()
    assert outcome.ok and kept is not None, outcome.diagnostics.errors[:3]
    outcome, fresh = Builder(builder.plan_dir, builder.today).build()
    assert outcome.ok and fresh is not None
    assert sorted(kept) == sorted(fresh)
    assert [p for p in fresh if kept[p] != fresh[p]] == []
    return kept


@pytest.fixture
def builder(tmp_path: Path) -> Builder:
    plan = tmp_path / "content"
    shutil.copytree(EXAMPLE, plan)
    made = Builder(plan, TODAY)
    _rebuilt_equals_fresh(made, None)
    return made


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _computed(builder: Builder) -> int:
    """How many objectives and funnels the latest check computed (the others were taken as they were)."""
    assert builder.computed.reused + builder.computed.computed == OBJECTIVES + FUNNELS
    return builder.computed.computed


def test_an_unchanged_plan_computes_nothing_again(builder: Builder) -> None:
    """A rebuild with no file changed takes every objective's and funnel's states from the previous check, and
    its pages are the fresh build's."""
    _rebuilt_equals_fresh(builder, None)
    assert _computed(builder) == 0


def test_a_kpi_target_edit_computes_its_objective_again(builder: Builder) -> None:
    """A KPI's target edited in its objective file shows in the rebuilt pages (status, progress, charts) as in
    a fresh build; that objective alone is computed again."""
    objective = builder.plan_dir / "objectives" / "portail-client.md"
    text = objective.read_text(encoding="utf-8")
    target = next(line for line in text.splitlines() if line.strip().startswith("target:"))
    before = _rebuilt_equals_fresh(builder, None)
    _replace(objective, target, target.split(":")[0] + ": 12345")
    after = _rebuilt_equals_fresh(builder, objective)
    assert _computed(builder) == 1
    assert before["objectives/portail-client.html"] != after["objectives/portail-client.html"]


def test_a_measurement_edit_computes_its_objective_and_funnel_again(builder: Builder) -> None:
    """A measurement edited in the CSV of a KPI that a funnel stage counts shows in the objective's and the
    funnel's pages as in a fresh build: both are computed again (its objective's file did not change)."""
    csv = builder.plan_dir / "data" / "prospects.csv"
    last = csv.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[1]
    date, value = last.rsplit(",", 1)
    before = _rebuilt_equals_fresh(builder, None)
    _replace(csv, last, f"{date},{float(value) * 3 + 1}")
    after = _rebuilt_equals_fresh(builder, csv)
    assert _computed(builder) == 2  # qualite-leads, which holds the KPI, and the acquisition funnel
    assert before["funnels/acquisition.html"] != after["funnels/acquisition.html"]


def test_a_funnel_stage_edit_computes_that_funnel_again(builder: Builder) -> None:
    """A funnel stage's planned rate edited shows in the funnel's pages as in a fresh build; that funnel alone
    is computed again."""
    funnel = builder.plan_dir / "funnels" / "acquisition.yaml"
    _replace(funnel, 'rate: "1/5"', 'rate: "1/4"')
    _rebuilt_equals_fresh(builder, funnel)
    assert _computed(builder) == 1


def test_a_parent_edit_computes_the_objectives_whose_children_change(builder: Builder) -> None:
    """An objective given another parent shows under it, and no longer under the former one, as in a fresh
    build: the objective and both parents (their children changed) are computed again."""
    objective = builder.plan_dir / "objectives" / "qualite-leads.md"
    _replace(objective, "parent: croissance-clients", "parent: portail-client")
    _rebuilt_equals_fresh(builder, objective)
    assert _computed(builder) == 3


@pytest.mark.parametrize(("old", "new"), [("start: 2026-01-01", "start: 2026-03-01"),
                                          ("at_risk: 0.9", "at_risk: 0.3"),
                                          ("  budget_share: 0.5", "  budget_share: 0.5\n  bottleneck: 0.5")])
def test_a_settings_edit_computes_what_it_reads_again(builder: Builder, old: str, new: str) -> None:
    """The plan's period, its at-risk tolerance and its bottleneck tolerance (strategy.yaml) change what is
    computed from unchanged objective and data files: the rebuilt pages are a fresh build's."""
    settings = builder.plan_dir / "strategy.yaml"
    _replace(settings, old, new)
    _rebuilt_equals_fresh(builder, settings)
    assert _computed(builder) > 0


def test_another_day_computes_everything_again(builder: Builder) -> None:
    """Another evaluation date (the clock passing midnight while serve runs, or `--today`) computes every
    state again, and the pages are a fresh build's on that day."""
    builder.today = TODAY - dt.timedelta(days=200)
    _rebuilt_equals_fresh(builder, None)
    assert _computed(builder) == OBJECTIVES + FUNNELS



def test_an_unchanged_file_is_not_read_again_but_its_mistake_is_still_reported(builder: Builder) -> None:
    """What the previous check loaded from an unchanged file is handed to the next as it is: a mistake in it
    is reported once on every rebuild while it is there, whatever else is edited, with its file and line, and
    once it is mended the site is a fresh build's."""
    objective = builder.plan_dir / "objectives" / "portail-client.md"
    _replace(objective, "level:", "colour: bleu\nlevel:")
    settings = builder.plan_dir / "strategy.yaml"
    reports = []
    for edited in (objective, None, settings):
        if edited is settings:
            _replace(settings, "at_risk: 0.9", "at_risk: 0.8")
        if edited is not None:
            builder.forget([(Change.modified, str(edited))])
        outcome, files = builder.build()
        assert files is None
        reports.append([(d.code, d.file.rsplit("/", 1)[-1], d.line) for d in outcome.diagnostics.errors])
    assert reports[0] == reports[1] == reports[2]
    assert len(reports[0]) == 1 and reports[0][0][1] == "portail-client.md"
    _replace(objective, "colour: bleu\n", "")
    _rebuilt_equals_fresh(builder, objective)

"""Shared by the tests of `strategy serve`'s kept work (test_serve_memo, test_serve_computed, test_serve_bodies):
a preview builder of a copy of the example plan, and the check that a rebuild after an edit is byte for byte
what a fresh build makes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from watchfiles import Change

from generator.serve.server import Builder
from tests.conftest import EXAMPLE

TODAY = dt.date(2026, 11, 23)


def rebuilt_equals_fresh(builder: Builder, edited: Path | None) -> dict[str, bytes]:
    """Rebuild after `edited` changed (None: the first build) and assert the site equals a fresh build's."""
    if edited is not None:
        builder.forget([(Change.modified, str(edited))])
    outcome, kept = builder.build()
    assert outcome.ok and kept is not None, outcome.diagnostics.errors[:3]
    outcome, fresh = Builder(builder.plan_dir, builder.today).build()
    assert outcome.ok and fresh is not None
    assert sorted(kept) == sorted(fresh)
    assert [p for p in fresh if kept[p] != fresh[p]] == []
    return kept


def example_builder(tmp_path: Path) -> Builder:
    """A builder of a copy of the example plan, built once."""
    plan = tmp_path / "content"
    shutil.copytree(EXAMPLE, plan)
    made = Builder(plan, TODAY)
    rebuilt_equals_fresh(made, None)
    return made


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

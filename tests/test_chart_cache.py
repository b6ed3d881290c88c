"""The chart cache: Altair's specs kept on disk between builds, never stale, never in the way."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cache import store
from generator.cache.site_stores import ChartShapes
from generator.pipeline import check
from generator.plan.i18n import Formatter
from generator.read.source import DirectorySource
from generator.site import charts
from tests.test_charts import PLAN_FILES, ROOT, TODAY, _all_charts


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache, plugged in as a build plugs it, and no chart shape remembered in this process."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(charts.shapes, "_memo", {})
    monkeypatch.setattr(charts.shapes, "_shape_store", ChartShapes())
    return tmp_path / "cache" / "strategy-site" / "charts"


def _specs(folder: Path) -> str:
    state = check(DirectorySource(folder), TODAY).state
    assert state is not None
    return json.dumps([c.spec for c in _all_charts(state, Formatter("fr", "EUR"))])


def _new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the shapes held in memory, as a new `strategy build` would."""
    monkeypatch.setattr(charts.shapes, "_memo", {})


def test_a_warm_cache_gives_the_same_specs_as_altair(make_plan: Callable[..., Path], cache: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A second build reads the shapes Altair drew for the first one and writes the very same specs."""
    folder = make_plan(PLAN_FILES)
    drawn = _specs(folder)
    assert len(list(cache.glob("*.json"))) >= 5  # KPI, funnel, progress, budget and history shapes
    _new_process(monkeypatch)
    before = dict(charts.shapes._stats)
    assert _specs(folder) == drawn
    assert charts.shapes._stats["drawn"] == before["drawn"]  # Altair drew nothing this time


def test_a_changed_kpi_gives_a_new_chart(make_plan: Callable[..., Path], cache: Path,
                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Editing a KPI (its unit, its target, its data) after a build changes its chart, exactly as
    a build with an empty cache would draw it."""
    folder = make_plan(PLAN_FILES)
    first = _specs(folder)
    objective = folder / "objectives" / "croissance.md"
    text = objective.read_text(encoding="utf-8")
    objective.write_text(text.replace("unit: visites", "unit: sessions").replace("target: 15000", "target: 16000"),
                         encoding="utf-8")
    (folder / "data" / "clients.csv").write_text("date,value\n2026-01,1\n2026-02,3\n", encoding="utf-8")
    _new_process(monkeypatch)
    edited = _specs(folder)
    assert edited != first
    assert "sessions" in edited and "16\\u202f000" in edited
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-empty-cache"))
    _new_process(monkeypatch)
    assert _specs(folder) == edited


@pytest.mark.parametrize("damage", [b"", b"\x00\xff garbage", b'{"width": "container", "lay', b"[1, 2, 3]",
                                    b'{"layer": []}', b'{"data": {"name": "strategy-data-7"}}'])
def test_a_corrupt_cache_file_is_ignored(make_plan: Callable[..., Path], cache: Path,
                                         monkeypatch: pytest.MonkeyPatch, damage: bytes) -> None:
    """Damaged entries (empty, not JSON, cut short, not a spec of the right shape) are drawn again by
    Altair and rewritten, without a word: the build writes the same specs."""
    folder = make_plan(PLAN_FILES)
    drawn = _specs(folder)
    entries = sorted(cache.glob("*.json"))
    for entry in entries:  # framed as the store frames an entry: only the content is wrong
        store.CHART_SHAPES.write(entry.name, damage)
    _new_process(monkeypatch)
    assert _specs(folder) == drawn
    assert all(json.loads(store.CHART_SHAPES.read(entry.name) or b"{}").get("$schema") for entry in entries)


def test_an_unusable_cache_folder_never_breaks_a_build(make_plan: Callable[..., Path], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder that cannot be created (a file is in the way) or read only costs Altair's time."""
    folder = make_plan(PLAN_FILES)
    monkeypatch.setattr(charts.shapes, "_memo", {})
    monkeypatch.setattr(charts.shapes, "_shape_store", ChartShapes())
    expected = _specs(folder)
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    _new_process(monkeypatch)
    assert _specs(folder) == expected
    unreadable = tmp_path / "unreadable"
    monkeypatch.setenv("XDG_CACHE_HOME", str(unreadable))
    _new_process(monkeypatch)
    _specs(folder)
    entries = unreadable / "strategy-site" / "charts"
    for entry in entries.glob("*.json"):  # directories in place of the entries: unreadable as files
        entry.unlink()
        entry.mkdir()
    _new_process(monkeypatch)
    assert _specs(folder) == expected


def test_a_code_or_altair_upgrade_never_serves_a_stale_spec(make_plan: Callable[..., Path], cache: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries are named by the package's code and version and Altair's version (store.code_digest): after
    an upgrade, the entries of the previous code are not read."""
    folder = make_plan(PLAN_FILES)
    drawn = _specs(folder)
    from importlib import metadata

    digest = store.code_digest()
    real_version = metadata.version
    with pytest.MonkeyPatch.context() as altair_upgraded:
        altair_upgraded.setattr(metadata, "version", lambda name: "99.0" if name == "altair" else real_version(name))
        store.code_digest.cache_clear()
        upgraded = store.code_digest()  # what the same code computes with another Altair
    store.code_digest.cache_clear()
    assert upgraded != digest
    for entry in cache.glob("*.json"):  # what an older chart module would have drawn
        body = store.CHART_SHAPES.read(entry.name) or b""
        store.CHART_SHAPES.write(entry.name, body.replace(b'"Cible"', b'"STALE"'))
    _new_process(monkeypatch)
    assert "STALE" in _specs(folder)  # the cache is read while the code is the same...
    monkeypatch.setattr(store, "code_digest", lambda: upgraded)
    _new_process(monkeypatch)
    assert _specs(folder) == drawn  # ...and no longer once it has changed


_WARM_BUILD = """
import hashlib, json, sys
sys.path.insert(0, {root!r})
from pathlib import Path
from generator.pipeline import check
from generator.read.source import DirectorySource
from generator.plan.i18n import Formatter
from generator.cache.site_stores import keep_site_stores
from tests import test_charts as t
keep_site_stores()  # as a build does
state = check(DirectorySource(Path({plan!r})), t.TODAY).state
specs = json.dumps([c.spec for c in t._all_charts(state, Formatter("fr", "EUR"))])
print(hashlib.sha256(specs.encode()).hexdigest(), "altair" in sys.modules)
"""


def test_a_build_whose_charts_are_all_cached_does_not_import_altair(make_plan: Callable[..., Path],
                                                                     tmp_path: Path) -> None:
    """The second build of a plan skips Altair's import (a third of a second) and writes the same bytes."""
    folder = make_plan(PLAN_FILES)
    script = _WARM_BUILD.format(root=str(ROOT), plan=str(folder))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT,
                           env=env).stdout.split() for _ in range(2)]
    assert runs[0][1] == "True" and runs[1][1] == "False"
    assert runs[0][0] == runs[1][0]


def test_the_cache_keeps_to_its_size(tmp_path: Path) -> None:
    """Entries of old shapes and old code versions do not pile up forever: past the partition's cap, the
    oldest go, down to three quarters of it, and the shape just drawn is kept."""
    folder = tmp_path / "charts"
    folder.mkdir()
    partition = store.CHART_SHAPES.at(folder)
    partition.max_files = 8
    for i in range(12):
        entry = folder / f"{hashlib.sha1(str(i).encode()).hexdigest()}.json"
        entry.write_text("{}", encoding="ascii")
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))
    shapes = ChartShapes(partition)
    shapes.store("new shape", {"mark": "point"})
    left = list(folder.glob("*.json"))
    assert len(left) == 6  # the newest three quarters
    assert folder / shapes.entry("new shape") in left
    assert shapes.load("new shape") == {"mark": "point"}

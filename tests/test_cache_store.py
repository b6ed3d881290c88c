"""The one store behind every disk cache (generator/cache/store.py): an entry cut short or damaged is a miss,
never a wrong page; a partition keeps to its cap; the cache folder an older version left never breaks a build."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import store
from generator.cache.site_stores import ChartDrawings, ChartShapes, CompiledTemplates

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("partition", [store.PARSED_FILES, store.CHART_SHAPES, store.CHART_DRAWINGS,
                                       store.TEMPLATES, store.VERSIONS], ids=lambda p: p.name)
def test_a_torn_or_damaged_entry_is_a_miss(partition: store.Partition, tmp_path: Path) -> None:
    """An entry cut short (a killed build, a full disk), with one bit flipped, or written by an older layout of the
    cache reads as nothing, in every partition: the build makes it again instead of showing it."""
    kept = partition.at(tmp_path)
    name = f"{store.fingerprint('entry')}{partition.suffixes[0]}"
    body = b'{"kept": "' + b"x" * 200 + b'"}'
    assert kept.write(name, body) and kept.read(name) == body
    path = tmp_path / name
    whole = path.read_bytes()
    flipped = bytearray(whole)
    flipped[-20] ^= 1
    for damaged in (whole[:-30], bytes(flipped), body, whole[:len(kept.magic)], b""):
        path.write_bytes(damaged)
        assert kept.read(name) is None, damaged[:60]


def test_each_site_store_reads_a_damaged_entry_as_missing(tmp_path: Path) -> None:
    """A chart shape, a drawing or a compiled template whose entry was cut short is drawn or compiled again."""
    shapes = ChartShapes(store.CHART_SHAPES.at(tmp_path / "charts"))
    drawings = ChartDrawings(store.CHART_DRAWINGS.at(tmp_path / "drawings"))
    templates = CompiledTemplates(store.TEMPLATES.at(tmp_path / "templates"))
    shapes.store("shape", {"mark": "bar"})
    drawings.store("drawing", "<svg></svg>")
    templates.store("page.html", b"compiled")
    assert (shapes.load("shape"), drawings.load("drawing"), templates.load("page.html")) == (
        {"mark": "bar"}, "<svg></svg>", b"compiled")
    for entry in tmp_path.glob("*/*"):
        entry.write_bytes(entry.read_bytes()[:-3])
    assert (shapes.load("shape"), drawings.load("drawing"), templates.load("page.html")) == (None, None, None)


def _entries(folder: Path, count: int, size: int, suffix: str = ".json") -> list[Path]:
    """`count` entries of `size` bytes, the first the least recently written."""
    made = []
    for i in range(count):
        path = folder / f"{i:04d}{suffix}"
        path.write_bytes(b"x" * size)
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
        made.append(path)
    return made


def test_pruning_keeps_a_partition_under_its_cap(tmp_path: Path) -> None:
    """Past its number of entries or its bytes, a partition drops the least recently written entries down to
    three quarters of its cap, never one the build at hand says it uses, and leaves other files alone."""
    by_count = store.CHART_SHAPES.at(tmp_path / "count")
    by_count.max_files = 20
    by_count.folder().mkdir()
    made = _entries(by_count.folder(), 30, 10)
    (by_count.folder() / "README").write_text("not an entry", encoding="utf-8")
    by_count.prune(keep={made[0].name})
    left = sorted(p.name for p in by_count.folder().glob("*.json"))
    assert len(left) == 15 and made[0].name in left and made[-1].name in left and made[1].name not in left
    assert (by_count.folder() / "README").exists()

    by_bytes = store.VERSIONS.at(tmp_path / "bytes")
    by_bytes.max_bytes = 10_000
    by_bytes.folder().mkdir()
    _entries(by_bytes.folder(), 12, 1000, ".version")
    by_bytes.prune()
    assert sum(p.stat().st_size for p in by_bytes.folder().iterdir()) <= 7_500

    under = store.CHART_DRAWINGS.at(tmp_path / "under")
    under.folder().mkdir()
    _entries(under.folder(), 5, 10, ".svg.z")
    under.prune()
    assert len(list(under.folder().iterdir())) == 5, "under its cap, nothing goes"


def test_writing_prunes_once_a_process(tmp_path: Path) -> None:
    """The first entry a process writes into a partition prunes it: a folder over its cap shrinks without any
    command to run."""
    partition = store.CHART_SHAPES.at(tmp_path)
    partition.max_files = 8
    _entries(tmp_path, 12, 2)
    partition.write("new.json", b"{}")
    assert len(list(tmp_path.glob("*.json"))) == 6 and partition.read("new.json") == b"{}"


def test_an_older_cache_folder_never_breaks_a_build(make_plan: Callable[..., Path], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder laid out by an older version (unframed chart specs and drawings, a parse cache and compiled
    templates at its top) gives the very site of an empty cache, and its leftovers at the top are cleared."""
    from generator.site import chart_svg, charts, render

    plan = make_plan({"objectives/croissance.md": "---\ntitle: Croissance\n---\nTexte.\n"})
    monkeypatch.setattr(store.PARSED_FILES, "root", None)
    monkeypatch.setattr(store, "_older_layout_forgotten", False)

    def fresh_build(cache_home: Path, out: Path) -> dict[str, bytes]:
        monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
        monkeypatch.setattr(charts.shapes, "_memo", {})
        monkeypatch.setattr(chart_svg, "_memo", {})
        render.environment.cache_clear()
        assert build(plan, out, TODAY, search=False).ok
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    expected = fresh_build(tmp_path / "empty", tmp_path / "expected")
    old = tmp_path / "old" / "strategy-site"
    for folder, name, data in [("charts", "a" * 40 + ".json", b'{"mark": "STALE"}'),
                               ("drawings", "b" * 40 + ".svg.z", b"garbage"),
                               ("versions", "c" * 40 + ".version", b"strategy-site version cache 3\n12\n{}"),
                               ("templates-0123456789abcdef", "__jinja2_x.cache", b"old bytecode"),
                               (".", "parse-" + "d" * 20 + ".pickle", b"strategy-site parse cache 1\nold")]:
        (old / folder).mkdir(parents=True, exist_ok=True)
        (old / folder / name).write_bytes(data)
    from generator.cache.parsed_files import kept_on_disk

    with kept_on_disk():  # as every command keeps the parsed files
        assert fresh_build(tmp_path / "old", tmp_path / "second") == expected
    assert not list(old.glob("parse-*.pickle")) and not list(old.glob("templates-*"))
    render.environment.cache_clear()

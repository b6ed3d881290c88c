"""The parse cache (generator/cache/parsed_files.py): `strategy serve` and `build --all-versions` check again and
again in one process, and reuse what the loader made of each unchanged file. A user must never see the
cache: every check reports exactly what a first check of the same files reports, and nothing of one plan,
revision or earlier save shows in another."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from generator.cache.parsed_files import CACHE, MISS, ParseCache
from generator.pipeline import Checked, check
from generator.plan.diagnostics import Diagnostic
from generator.read.source import DirectorySource
from tests.conftest import EXAMPLE, MINIMAL_SETTINGS, TODAY
from tests.test_check_errors import MemorySource

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"

OBJECTIVE = """\
---
title: Croissance
due: 2026-12-31
kpis:
  - id: leads
    title: Leads
    target: 100
actions:
  - title: Salon
    kpis: [leads]
---
Texte.
"""
CSV = "date,value\n2026-01,10\n2026-02,20\n2026-03,30\n"


def report(checked: Checked) -> list[tuple[str, ...]]:
    """Every diagnostic as reported, in the order reported."""
    return [tuple(map(str, dataclasses.astuple(d))) for d in checked.diagnostics]


def source(folder: Path) -> DirectorySource:
    return DirectorySource(folder, shown_as=folder.name)


def write(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in {"strategy.yaml": MINIMAL_SETTINGS, **files}.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def errors(checked: Checked) -> list[Diagnostic]:
    return checked.diagnostics.errors


@pytest.mark.parametrize("plan", [EXAMPLE, *sorted(p for p in CORPUS.iterdir() if p.is_dir())],
                         ids=lambda p: p.name)
def test_a_second_check_reports_exactly_what_the_first_did(plan: Path) -> None:
    """Checked again from the cache, the example plan and every hostile plan give the same diagnostics:
    same files, lines, columns, messages, hints and order."""
    CACHE.clear()
    first = check(source(plan), TODAY)
    assert CACHE.hits == 0
    second = check(source(plan), TODAY)
    assert report(second) == report(first)
    assert second.ok == first.ok


def test_an_edit_that_breaks_a_file_shows_its_error_and_the_fix_clears_it(tmp_path: Path) -> None:
    """Saving a mistake is reported at once, in that file; saving the fix makes the plan clean again,
    with no stale error kept from the cache."""
    plan = write(tmp_path / "plan", {"objectives/croissance.md": OBJECTIVE, "data/leads.csv": CSV})
    clean = check(source(plan), TODAY)
    assert not errors(clean)

    objective = plan / "objectives" / "croissance.md"
    objective.write_text(OBJECTIVE.replace("target: 100", "target: beaucoup"), encoding="utf-8")
    broken = check(source(plan), TODAY)
    assert [(d.code, d.file, d.line) for d in errors(broken)] == [("type", "plan/objectives/croissance.md", 7)]

    objective.write_text(OBJECTIVE, encoding="utf-8")
    fixed = check(source(plan), TODAY)
    assert report(fixed) == report(clean)


def test_a_broken_measurement_shows_and_its_fix_clears_it(tmp_path: Path) -> None:
    """A CSV row saved with a word instead of a number is reported at its line and column; once fixed, the
    KPI has its three measurements again."""
    plan = write(tmp_path / "plan", {"objectives/croissance.md": OBJECTIVE, "data/leads.csv": CSV})
    check(source(plan), TODAY)
    data = plan / "data" / "leads.csv"
    data.write_text(CSV.replace("2026-02,20", "2026-02,vingt"), encoding="utf-8")
    broken = check(source(plan), TODAY)
    assert [(d.code, d.line, d.column, d.message) for d in errors(broken)] == \
        [("csv-row", 3, 9, "`vingt` n'est pas un nombre")]
    data.write_text(CSV, encoding="utf-8")
    fixed = check(source(plan), TODAY)
    assert not errors(fixed)
    assert fixed.plan is not None
    assert [p.value for p in fixed.plan.series["leads"].points] == [10, 20, 30]


def test_a_kpi_reading_another_column_of_an_unchanged_file_gets_that_column(tmp_path: Path) -> None:
    """The measurements depend on the KPI's `column`, not only on the CSV file: changing the column in the
    objective reads the other column although the CSV did not change."""
    two_columns = "date,value,other\n2026-01,10,1\n2026-02,20,2\n"
    plan = write(tmp_path / "plan", {"objectives/croissance.md": OBJECTIVE, "data/leads.csv": two_columns})
    first = check(source(plan), TODAY)
    assert first.plan is not None and [p.value for p in first.plan.series["leads"].points] == [10, 20]
    (plan / "objectives" / "croissance.md").write_text(
        OBJECTIVE.replace("target: 100\n", "target: 100\n    column: other\n"), encoding="utf-8")
    second = check(source(plan), TODAY)
    assert second.plan is not None and [p.value for p in second.plan.series["leads"].points] == [1, 2]


def test_two_plans_with_the_same_files_each_name_their_own(tmp_path: Path) -> None:
    """Two plan folders holding byte-identical files (or two revisions of one plan) share the cache, yet
    each diagnostic and each location names the plan it comes from."""
    broken = OBJECTIVE.replace("kpis: [leads]", "kpis: [leeds]")
    files = {"strategy.yaml": MINIMAL_SETTINGS, "objectives/croissance.md": broken}
    v1 = check(MemorySource(files, "v1:content"), TODAY)
    v2 = check(MemorySource(files, "v2:content"), TODAY)
    assert [(d.code, d.file) for d in errors(v1)] == [("unknown-ref", "v1:content/objectives/croissance.md")]
    assert [(d.code, d.file) for d in errors(v2)] == [("unknown-ref", "v2:content/objectives/croissance.md")]
    assert v2.plan is not None
    objective = v2.plan.objectives["croissance"]
    assert {loc.file for loc in objective.locs.values()} == {"v2:content/objectives/croissance.md"}
    assert objective.kpis[0].loc.file == "v2:content/objectives/croissance.md"


def test_a_text_equal_to_the_file_name_is_kept_as_written() -> None:
    """Only the file's place is renamed for another revision: a title that happens to read like the file
    name stays what the author wrote."""
    text = OBJECTIVE.replace("title: Croissance", "title: v1:content/objectives/croissance.md")
    files = {"strategy.yaml": MINIMAL_SETTINGS, "objectives/croissance.md": text}
    check(MemorySource(files, "v1:content"), TODAY)
    again = check(MemorySource(files, "v2:content"), TODAY)
    assert again.plan is not None
    objective = again.plan.objectives["croissance"]
    assert objective.title == "v1:content/objectives/croissance.md"
    assert objective.loc.file == "v2:content/objectives/croissance.md"


def test_two_plans_with_different_files_at_the_same_path_do_not_mix(tmp_path: Path) -> None:
    """The same path with other bytes in another plan is read for itself."""
    a = write(tmp_path / "a", {"objectives/croissance.md": OBJECTIVE})
    b = write(tmp_path / "b", {"objectives/croissance.md": OBJECTIVE.replace("Croissance", "Notoriété")})
    first, second = check(source(a), TODAY), check(source(b), TODAY)
    assert first.plan is not None and second.plan is not None
    assert first.plan.objectives["croissance"].title == "Croissance"
    assert second.plan.objectives["croissance"].title == "Notoriété"


def test_changing_a_checked_plan_does_not_change_the_next_check(tmp_path: Path) -> None:
    """Whatever a later stage (or a theme's template) does to the objects of one check, the next check
    of the same files gets them as written: each check has its own copies, and measurements cannot be
    changed at all."""
    plan = write(tmp_path / "plan", {"objectives/croissance.md": OBJECTIVE, "data/leads.csv": CSV})
    first = check(source(plan), TODAY)
    assert first.plan is not None
    objective = first.plan.objectives["croissance"]
    objective.title = "changed"
    objective.kpis.clear()
    objective.actions[0].kpis.append("other")
    objective.locs.clear()
    series = first.plan.series["leads"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        series.points[0].value = 0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        series.points.append(series.points[0])  # type: ignore[attr-defined]

    second = check(source(plan), TODAY)
    assert second.plan is not None
    again = second.plan.objectives["croissance"]
    assert again.title == "Croissance"
    assert [k.id for k in again.kpis] == ["leads"]
    assert again.actions[0].kpis == ["leads"]
    assert "title" in again.locs
    assert [p.value for p in second.plan.series["leads"].points] == [10, 20, 30]


def test_the_cache_keeps_the_most_recently_used_entries_within_its_bound() -> None:
    """The cache holds at most its size: the least recently used entries go first, so a long `serve`
    session or many versions do not grow the process without end."""
    cache = ParseCache(max_bytes=8000)
    for i in range(40):
        cache.put(("k", i), "x" * 400, "shown")
    assert cache.size <= 8000
    assert 0 < len(cache) < 40
    assert cache.get(("k", 39), "shown") == "x" * 400
    assert cache.get(("k", 0), "shown") is MISS  # evicted: read again, never an error
    assert cache.misses == 1


def test_a_check_on_another_day_is_not_served_from_the_cache(tmp_path: Path) -> None:
    """What depends on the evaluation date (stale data, status) follows the date of each check."""
    plan = write(tmp_path / "plan", {"objectives/croissance.md": OBJECTIVE, "data/leads.csv": CSV})
    soon = check(source(plan), dt.date(2026, 4, 15))
    late = check(source(plan), dt.date(2026, 12, 1))
    assert "stale-data" not in [d.code for d in soon.diagnostics]
    assert "stale-data" in [d.code for d in late.diagnostics]


def test_kpi_figures_follow_each_saved_measurement_and_each_date(tmp_path: Path) -> None:
    """The latest value, its date and the forecast shown for a KPI follow an edited CSV at once, and a
    check on an earlier date counts only the measurements up to that date, however often it was checked."""
    plan = write(tmp_path / "plan", {"objectives/croissance.md": OBJECTIVE, "data/leads.csv": CSV})
    first = check(source(plan), TODAY)
    assert first.state is not None
    assert (first.state.kpis["leads"].actual, first.state.kpis["leads"].actual_date) == (30, dt.date(2026, 3, 1))
    forecast = first.state.kpis["leads"].forecast

    (plan / "data" / "leads.csv").write_text(CSV + "2026-04,80\n", encoding="utf-8")
    edited = check(source(plan), TODAY)
    assert edited.state is not None
    assert (edited.state.kpis["leads"].actual, edited.state.kpis["leads"].actual_date) == (80, dt.date(2026, 4, 1))
    assert edited.state.kpis["leads"].forecast != forecast

    earlier = check(source(plan), dt.date(2026, 2, 15))
    assert earlier.state is not None
    assert earlier.state.kpis["leads"].points == [(dt.date(2026, 1, 1), 10), (dt.date(2026, 2, 1), 20)]
    assert earlier.state.kpis["leads"].future_points == 2


def test_a_revision_reads_only_the_files_an_earlier_one_did_not_have(tmp_path: Path) -> None:
    """Checking a second git revision (as `build --all-versions` and `diff` do) reads only the files that
    differ from one already checked, and still reports each revision's own mistakes at its own files."""
    from generator.read.gitsource import GitSource
    from tests.test_gitsource import GitRepo, base_plan

    repo = GitRepo(tmp_path / "repo")
    files = base_plan()
    repo.commit(files, tag="v1")
    broken = "target: twenty-two, says the parse cache test"  # bytes no other test commits
    files["objectives/growth.md"] = files["objectives/growth.md"].replace("target: 20", broken)
    repo.commit(files, tag="v2")

    with GitSource.open(repo.plan, "v1") as v1:
        assert not errors(check(v1, TODAY))
    with GitSource.open(repo.plan, "v2") as v2:
        read: list[str] = []
        plain_read = v2.read_bytes

        def spy(path: str) -> bytes:
            read.append(path)
            return plain_read(path)

        v2.read_bytes = spy  # type: ignore[method-assign]
        checked = check(v2, TODAY)
    assert read == ["objectives/growth.md"]
    assert [(d.code, d.file) for d in errors(checked)] == [("type", f"v2:{repo.plan.as_posix()}/objectives/growth.md")]


def test_a_working_tree_shares_its_unchanged_files_with_the_committed_revision(tmp_path: Path) -> None:
    """Checking the newest tag after the working tree (as `build --all-versions` and `strategy diff` do)
    parses only the files edited since: the others are found by their git blob id, and both checks report
    what a first check of each reports."""
    from generator.read.gitsource import GitSource, Repository
    from tests.test_gitsource import GitRepo, base_plan

    repo = GitRepo(tmp_path / "repo")
    repo.commit(base_plan(target=20), tag="v1")
    repo.write(base_plan(target=30))  # one file edited since v1
    CACHE.clear()
    tree = check(DirectorySource(repo.plan), TODAY)
    misses = CACHE.misses
    with GitSource(Repository.find(repo.plan), "v1", "content") as revision:
        tagged = check(revision, TODAY)
    assert CACHE.misses - misses == 1, "only the edited objective is parsed again"
    CACHE.clear()
    with GitSource(Repository.find(repo.plan), "v1", "content") as revision:
        assert report(check(revision, TODAY)) == report(tagged)
    assert report(check(DirectorySource(repo.plan), TODAY)) == report(tree)


def test_the_next_command_reads_what_the_last_one_parsed(tmp_path: Path) -> None:
    """`strategy check` or `build` in a new process starts from what the command before it parsed (kept in
    the user cache folder): a plan with errors gets exactly the first check's report without parsing a file
    again, and a file edited in between is read anew."""
    from generator.cache import parsed_files as parse_cache

    broken = OBJECTIVE.replace("target: 100", "target: beaucoup")
    plan = write(tmp_path / "plan", {"objectives/croissance.md": broken, "data/leads.csv": CSV})
    CACHE.clear()
    with parse_cache.kept_on_disk():
        first = check(source(plan), TODAY)
    CACHE.clear()  # as a new process starts
    parse_cache.load_from_disk()
    misses = CACHE.misses
    second = check(source(plan), TODAY)
    assert CACHE.misses == misses, "a file was parsed again"
    assert report(second) == report(first) and errors(second)
    (plan / "objectives" / "croissance.md").write_text(OBJECTIVE, encoding="utf-8")
    assert not errors(check(source(plan), TODAY))


def test_a_damaged_cache_file_is_ignored(tmp_path: Path) -> None:
    """A cache file cut short or overwritten is not read: the check parses the files and reports as usual."""
    from generator.cache import parsed_files as parse_cache

    plan = write(tmp_path / "plan", {"objectives/croissance.md": OBJECTIVE, "data/leads.csv": CSV})
    CACHE.clear()
    with parse_cache.kept_on_disk():
        clean = check(source(plan), TODAY)
    from generator.cache.store import PARSED_FILES

    path = PARSED_FILES.folder() / parse_cache.disk_entry()
    whole = path.read_bytes()
    for damage in (whole[:-50], whole[:len(PARSED_FILES.magic)] + b"not a pickle", b"garbage"):
        path.write_bytes(damage)
        CACHE.clear()
        parse_cache.load_from_disk()
        assert len(CACHE) == 0
        assert report(check(source(plan), TODAY)) == report(clean)

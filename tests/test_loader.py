"""Loading a plan folder: file formats, positions, defaults and unreadable files, as a user writes them."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.pipeline import Checked
from generator.read.loader import split_front_matter
from generator.read.yamlpos import parse_yaml
from tests.conftest import codes, only

CheckPlan = Callable[..., Checked]

KPI_OBJECTIVE = "---\ntitle: A\ndue: 2026-12-31\nkpis:\n  - id: k\n    title: K\n    target: x\n---\n"


def test_yaml_positions_of_keys_and_values() -> None:
    """Every key and value keeps its line and column (from 1), list items included."""
    doc = parse_yaml("title: A\nkpis:\n  - id: k\n    target: 5\n", line_offset=1)
    assert doc.key_pos(("kpis", 0, "target")) == (5, 5)
    assert doc.value_pos(("kpis", 0, "target")) == (5, 13)
    assert doc.value_pos(("kpis", 0, "missing")) == (4, 5)  # falls back to the nearest parent


def test_front_matter_split() -> None:
    """Front matter is what lies between the first two `---` lines; the rest is the body."""
    assert split_front_matter("---\ntitle: A\n---\nBody\n") == ("title: A\n", 1, "Body\n", None)
    assert split_front_matter("---\ntitle: A\n...\nBody\n")[2] == "Body\n"
    assert split_front_matter("# Title\n")[3] == "frontmatter-missing"
    assert split_front_matter("---\ntitle: A\n")[3] == "frontmatter-unclosed"
    assert split_front_matter("")[3] == "frontmatter-missing"


@pytest.mark.parametrize("text", [
    KPI_OBJECTIVE,
    KPI_OBJECTIVE.replace("\n", "\r\n"),  # saved on Windows
    "\ufeff" + KPI_OBJECTIVE,  # with a byte-order mark
])
def test_line_numbers_survive_crlf_and_bom(check_plan: CheckPlan, text: str) -> None:
    """Windows line endings and a byte-order mark do not shift the reported position."""
    d = only(check_plan({"objectives/a.md": text}), "type")
    assert (d.line, d.column) == (7, 13)


def test_markdown_body_and_yaml_entities(check_plan: CheckPlan) -> None:
    """A .md entity keeps its body; a .yaml entity is the same mapping without body; ids are file names."""
    checked = check_plan({
        "objectives/croissance.md": "---\ntitle: Croissance\ndue: 2026-12-31\n---\nLe **texte**.\n",
        "funnels/f.yaml": "title: F\ngoal: 5\nstages:\n  - id: a\n    title: A\n  - id: b\n    title: B\n    rate: 1\n",
        "funnels/g.md": "---\ntitle: G\ngoal: 1\nstages:\n  - id: a\n    title: A\n  - id: b\n    title: B\n"
                        "    rate: 1\n---\nWhy this funnel.\n",
        "pages/audit.yml": "title: Audit\norder: 2\n",
    })
    plan = checked.plan
    assert plan is not None
    assert plan.objectives["croissance"].body == "Le **texte**.\n"
    assert plan.objectives["croissance"].due == dt.date(2026, 12, 31)
    assert set(plan.funnels) == {"f", "g"} and plan.funnels["g"].body == "Why this funnel.\n"
    assert plan.pages["audit"].order == 2


def test_empty_key_is_the_same_as_leaving_it_out(check_plan: CheckPlan) -> None:
    """`owner:` with nothing after it is no error; the default applies."""
    checked = check_plan({"objectives/a.md": "---\ntitle: A\ndue: 2026-12-31\nowner:\nlevel:\n---\n"})
    assert codes(checked, "error") == []
    assert checked.plan is not None and checked.plan.objectives["a"].level == "marketing"


def test_required_key_left_empty(check_plan: CheckPlan) -> None:
    """`title:` with nothing after it is reported at that key as empty."""
    d = only(check_plan({"objectives/a.md": "---\ntitle:\ndue: 2026-12-31\n---\n"}), "required")
    assert (d.line, d.column) == (2, 1)
    assert "empty" in d.message


def test_settings_defaults_and_rules(check_plan: CheckPlan) -> None:
    """strategy.yaml defaults: English, EUR, theme default, tags v*, rules 0.9 / 5 / 3 / 0.5."""
    checked = check_plan({}, settings="title: T\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n")
    s = checked.plan.settings  # type: ignore[union-attr]
    assert (s.language, s.currency, s.theme, s.version_tags) == ("en", "EUR", "default", "v*")
    assert (s.rules.at_risk, s.rules.max_objectives, s.rules.max_kpis_per_objective, s.rules.budget_share) == \
        (0.9, 5, 3, 0.5)


@pytest.mark.parametrize(("settings", "code", "where"), [
    ("title: T\nperiod: 2026\n", "type", (2, 9)),
    ("title: T\nperiod:\n  start: 2026-12-31\n  end: 2026-01-01\n", "bad-period", (4, 8)),
    ("title: T\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\ncurrency: euros\n", "type", (5, 11)),
    ("title: T\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\nbase_url: example.com\n", "type", (5, 11)),
    ("title: T\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\nlanguage: de\n", "bad-value", (5, 11)),
    ("- title\n", "type", (1, 1)),
])
def test_settings_errors(check_plan: CheckPlan, settings: str, code: str, where: tuple[int, int]) -> None:
    """Mistakes in strategy.yaml are reported at their place in strategy.yaml."""
    d = only(check_plan({}, settings=settings), code)
    assert (d.file, d.line, d.column) == ("plan/strategy.yaml", *where)
    assert d.hint


def test_period_written_as_a_number_shows_the_shape(check_plan: CheckPlan) -> None:
    """`period: 2026` shows how to write the period on its own lines."""
    d = only(check_plan({}, settings="title: T\nperiod: 2026\n"), "type")
    assert d.message.startswith("`period` must be a mapping")
    assert d.hint == "write it like this:\n  period:\n    start: …\n    end: …"


def test_strategy_yml_hint(check_plan: CheckPlan) -> None:
    """A strategy.yml (not .yaml) is pointed out, with the rename to do."""
    d = only(check_plan({"strategy.yml": "title: T\n"}, settings=None), "missing-settings")
    assert d.hint == "rename strategy.yml to strategy.yaml"


def test_two_files_with_the_same_id(check_plan: CheckPlan) -> None:
    """a.md and a.yaml in the same folder define the same id twice."""
    checked = check_plan({"objectives/a.md": "---\ntitle: A\n---\n", "objectives/a.yaml": "title: B\n"})
    d = only(checked, "duplicate-id")
    assert d.file == "plan/objectives/a.yaml"


def test_anchors_and_aliases_are_refused(check_plan: CheckPlan) -> None:
    """YAML anchors (&x) and aliases (*x) are refused with a hint, so no file can expand into billions."""
    d = only(check_plan({"objectives/a.md": "---\ntitle: &t A\nowner: *t\n---\n"}), "yaml-syntax")
    assert (d.line, d.column) == (2, 8)
    assert d.hint == "write the value out in full"


def test_python_tags_are_refused(check_plan: CheckPlan) -> None:
    """`!!python/object` tags are reported, never run and never silently read as text."""
    d = only(check_plan({"personas/p.md": "---\nname: !!python/object:os.system ls\n---\n"}), "yaml-tag")
    assert (d.line, d.column) == (2, 7)
    assert "!!python/object:os.system" in d.message


def test_deep_nesting_is_refused(check_plan: CheckPlan) -> None:
    """Absurdly nested YAML is an error, not a crash."""
    checked = check_plan({"pages/p.yaml": "title: " + "[" * 60 + "]" * 60 + "\n"})
    assert codes(checked, "error") == ["yaml-too-deep"]


def test_not_utf8(check_plan: CheckPlan, tmp_path: Path) -> None:
    """A file saved as Latin-1 is pointed at the line and column of the first unreadable byte."""
    (tmp_path / "plan" / "personas").mkdir(parents=True)
    (tmp_path / "plan" / "personas" / "p.md").write_bytes("---\nname: Hélène\n---\n".encode("latin-1"))
    d = only(check_plan({}), "encoding")
    assert (d.file, d.line, d.column) == ("plan/personas/p.md", 2, 8)
    assert d.hint == "save the file as UTF-8 in your editor"


def test_binary_and_oversized_files(check_plan: CheckPlan, tmp_path: Path) -> None:
    """A binary file and a YAML file over 5 MB are refused with a clear error each; a French reader reads
    the size with a decimal comma ("6,5 Mo"), the English one with a dot ("6.5 MB")."""
    (tmp_path / "plan" / "pages").mkdir(parents=True)
    big = "title: T\n" + "#" * (13 * 512 * 1024)
    (tmp_path / "plan" / "pages" / "big.yaml").write_text(big, encoding="utf-8")
    (tmp_path / "plan" / "pages" / "bin.yaml").write_bytes(b"title: \x00\x01")
    checked = check_plan({})
    too_large = only(checked, "file-too-large")
    assert too_large.file == "plan/pages/big.yaml"
    assert too_large.text("fr") == "ce fichier fait 6,5 Mo, au-delà de la limite de 5 Mo pour un fichier de plan"
    assert too_large.text("en") == "this file is 6.5 MB, over the 5 MB limit for a plan file"
    assert only(checked, "binary-file").file == "plan/pages/bin.yaml"


def test_a_data_file_of_a_real_export_is_read(check_plan: CheckPlan, tmp_path: Path) -> None:
    """A KPI's CSV over the 5 MB of a text file (here 6 MB: 20,000 daily rows with a comment column, as an
    export has them) is read, not refused as too large: data files have a budget sized for exports."""
    day = dt.date(1972, 1, 1)
    rows = [f"{day + dt.timedelta(days=i)},{1500 + i % 700}.29,{'x' * 290}" for i in range(20_000)]
    data = tmp_path / "plan" / "data" / "k.csv"
    data.parent.mkdir(parents=True)
    data.write_text("date,value,comment\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert data.stat().st_size > 6_000_000
    checked = check_plan({"objectives/a.md": KPI_OBJECTIVE.replace("target: x", "target: 2000")})
    assert "file-too-large" not in codes(checked)
    assert len(checked.plan.series["k"].points) == 20_000


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_leading_outside_is_not_followed(check_plan: CheckPlan, tmp_path: Path) -> None:
    """A symbolic link to a file outside the plan folder is reported and not read."""
    secret = tmp_path / "secret.csv"
    secret.write_text("date,value\n2026-01,1\n", encoding="utf-8")
    (tmp_path / "plan" / "data").mkdir(parents=True)
    os.symlink(secret, tmp_path / "plan" / "data" / "leak.csv")
    d = only(check_plan({}), "outside-plan")
    assert d.file == "plan/data/leak.csv"
    assert d.hint and "copy the file" in d.hint


# --- data -----------------------------------------------------------------------------------


def test_default_data_file_and_month_dates(check_plan: CheckPlan) -> None:
    """data/ID.csv is read by default; YYYY-MM is the first of the month; blank lines are skipped;
    rows are sorted by date."""
    checked = check_plan({
        "objectives/a.md": "---\ntitle: A\ndue: 2026-12-31\nkpis:\n  - id: leads\n    title: L\n    target: 9\n---\n",
        "data/leads.csv": "date,value\n\n2026-11-15, 7.5\n2026-10,3\n\n",
    })
    series = checked.plan.series["leads"]  # type: ignore[union-attr]
    assert [(p.date, p.value, p.line) for p in series.points] == [
        (dt.date(2026, 10, 1), 3.0, 4), (dt.date(2026, 11, 15), 7.5, 3)]


def test_data_key_and_column(check_plan: CheckPlan) -> None:
    """`data:` and `column:` read another file and column; one CSV can feed two KPIs."""
    kpis = ("  - id: a\n    title: A\n    target: 9\n    data: data/crm.csv\n    column: leads\n"
            "  - id: b\n    title: B\n    target: 9\n    data: ./data/crm.csv\n    column: clients\n")
    checked = check_plan({
        "objectives/o.md": f"---\ntitle: O\ndue: 2026-12-31\nkpis:\n{kpis}---\n",
        "data/crm.csv": "date,leads,clients\n2026-11,40,\"2\"\n",
    })
    assert codes(checked) == []
    plan = checked.plan
    assert plan is not None
    assert [p.value for p in plan.series["a"].points] == [40]
    assert [p.value for p in plan.series["b"].points] == [2]


@pytest.mark.parametrize("value", ["12%", "€12", "1e999", "nan", "inf", "0x10"])
def test_only_plain_numbers_in_csv(check_plan: CheckPlan, value: str) -> None:
    """A CSV value with a unit the KPI does not have, or no finite value, is an error (a decimal comma in a
    French plan is read: tests/test_exports.py)."""
    checked = check_plan({
        "objectives/a.md": "---\ntitle: A\ndue: 2026-12-31\nkpis:\n  - id: k\n    title: K\n    target: 9\n---\n",
        "data/k.csv": f'date,value\n2026-11,"{value}"\n',
    })
    d = only(checked, "csv-row")
    assert (d.file, d.line) == ("plan/data/k.csv", 2)


def test_empty_csv_file(check_plan: CheckPlan) -> None:
    """A CSV without even a header says to start with one, and no 'no data' warning repeats it."""
    checked = check_plan({
        "objectives/a.md": "---\ntitle: A\ndue: 2026-12-31\nkpis:\n  - id: k\n    title: K\n    target: 9\n---\n",
        "data/k.csv": "\n",
    })
    assert codes(checked) == ["csv-header"]
    assert only(checked, "csv-header").hint == "commencez-le par une ligne d'en-tête, par ex. date,value"


@pytest.mark.parametrize(("text", "where", "message", "hint"), [
    ("title: A\n  due: 3\n", (2, 3), "key starts in column 3, the key above it in column 1", "start `due:`"),
    ("title: Objectif : croissance\n", (1, 17), "a `:` here cannot be read", "put quotes"),
    ("title: A\nkpis:\n  - id: a\n   title: b\n", (4, 4), "not indented like the lines above", "same column"),
    ('title: "Objectif\ndue: 3\n', (1, 8), "a quote opened here is never closed", "close it on the same line"),
    ('title: "Objectif" 2026\n', (1, 19), "text after a closing quote", "inside the quotes"),
    ("title: @marque\n", (1, 8), "a value cannot start with `@`", 'title: "@marque"'),
    ("title: A\nunit: %\n", (2, 7), "a value cannot start with `%`", 'around the text: unit: "%"'),
    ("kpis:\n  - id: a\n    unit: %   # percent\n", (3, 11), "start with `%`", 'unit: "%"'),
    ("title: A\npersonas: [a, b\n", (3, 1), "a list opened with `[` is not closed", "personas: [anne, bob]"),
    ("title: A\n\tdue: 3\n", (2, 1), "a tab is used here", "not tabs"),
    ("title: A\x07\n", (1, 9), "invisible control character", "delete it"),
])
def test_yaml_syntax_errors_in_plain_words(text: str, where: tuple[int, int], message: str, hint: str) -> None:
    """PyYAML's jargon (<block end>, stream, token) is turned into what a plan author can act on, at the
    place to change."""
    [problem] = parse_yaml(text).problems
    assert (problem.line, problem.column) == where
    said, advice = str(problem.message), str(problem.hint)  # in English, as an English plan reads them
    assert message in said and "<" not in said
    assert problem.hint and hint in advice


def test_a_plan_with_too_many_files_is_refused_before_any_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan folder holding more files than the budget gets one `plan-too-large` error naming the count,
    and none of its files is read (here the budget is lowered to 10 to keep the test small)."""
    import generator.read.budgets as budgets
    from generator.plan.diagnostics import Diagnostics
    from generator.read.loader import load_plan
    from generator.read.source import DirectorySource

    monkeypatch.setattr(budgets, "MAX_PLAN_FILES", 10)
    plan = tmp_path / "plan"
    (plan / "pages").mkdir(parents=True)
    (plan / "strategy.yaml").write_text("title: T\nperiod: {start: 2026-01-01, end: 2026-12-31}\n", encoding="utf-8")
    for i in range(11):
        (plan / "pages" / f"p{i}.md").write_text("---\ntitle: P\n---\n", encoding="utf-8")
    source = DirectorySource(plan)
    read: list[str] = []
    real = source.read_bytes
    monkeypatch.setattr(source, "read_bytes", lambda rel: read.append(rel) or real(rel))
    diagnostics = Diagnostics()
    assert load_plan(source, diagnostics) is None
    (error,) = diagnostics.errors
    assert error.code == "plan-too-large" and "12 files" in error.message and read == []

"""`strategy check` errors (SPEC §3): one small broken plan per kind of mistake, each reported at the
file, line and column the user must change, with a hint saying what to write instead."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.pipeline import Checked, check
from tests.conftest import TODAY, codes, only

CheckPlan = Callable[..., Checked]

OBJECTIVE = """\
---
title: Croissance
due: 2026-12-31
{extra}---
Texte.
"""

FUNNEL = """\
title: Acquisition
goal: 5
stages:
  - id: prospects
    title: Prospects
  - id: rendez-vous
    title: Rendez-vous
    rate: "1/50"
  - id: clients
    title: Clients
    rate: "1/5"
"""


def objective(extra: str = "") -> str:
    return OBJECTIVE.format(extra=extra)


def kpi_block(kpi_id: str = "leads", extra: str = "") -> str:
    return f"kpis:\n  - id: {kpi_id}\n    title: Leads\n    target: 100\n{extra}"


# --- reading files --------------------------------------------------------------------------


def test_yaml_syntax_error_points_at_the_line_and_explains(check_plan: CheckPlan) -> None:
    """An unclosed `[` in front matter is reported at its line, with a hint on how to fix it."""
    checked = check_plan({"objectives/croissance.md": "---\ntitle: Croissance\npersonas: [acheteur\n---\n"})
    d = only(checked, "yaml-syntax")
    assert d.severity == "error"
    assert (d.file, d.line) == ("plan/objectives/croissance.md", 4)
    assert d.hint and "]" in d.hint


def test_yaml_syntax_error_in_strategy_yaml(check_plan: CheckPlan) -> None:
    """A colon inside an unquoted title in strategy.yaml is a syntax error with a quoting hint."""
    settings = "title: Plan: 2026\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n"
    checked = check_plan({}, settings=settings)
    d = only(checked, "yaml-syntax")
    assert (d.file, d.line, d.column) == ("plan/strategy.yaml", 1, 12)
    assert d.hint and "quotes" in d.hint


def test_tab_indentation_hint(check_plan: CheckPlan) -> None:
    """A tab used for indentation is explained as such."""
    checked = check_plan({"funnels/f.yaml": "title: F\ngoal: 5\nstages:\n\t- id: a\n"})
    d = only(checked, "yaml-syntax")
    assert (d.file, d.line) == ("plan/funnels/f.yaml", 4)
    assert d.hint == "indent with spaces, not tabs"


def test_front_matter_not_closed(check_plan: CheckPlan) -> None:
    """A Markdown file whose `---` block never ends is reported at line 1 with the fix."""
    checked = check_plan({"objectives/croissance.md": "---\ntitle: Croissance\ndue: 2026-12-31\n\nLe texte.\n"})
    d = only(checked, "frontmatter-unclosed")
    assert (d.file, d.line, d.column) == ("plan/objectives/croissance.md", 1, 1)
    assert d.hint and "---" in d.hint


def test_front_matter_missing(check_plan: CheckPlan) -> None:
    """A Markdown entity without front matter says how to start the file."""
    checked = check_plan({"personas/anne.md": "# Anne\n\nAcheteuse.\n"})
    d = only(checked, "frontmatter-missing")
    assert d.file == "plan/personas/anne.md"
    assert d.hint and d.hint.startswith("start the file with a line `---`")


# --- types, keys, ids -----------------------------------------------------------------------


def test_wrong_type_for_a_number(check_plan: CheckPlan) -> None:
    """`target: "beaucoup"` is reported on the value, with an example of a plain number."""
    checked = check_plan({"objectives/croissance.md": objective(
        'kpis:\n  - id: leads\n    title: Leads\n    target: "beaucoup"\n')})
    d = only(checked, "type")
    assert (d.file, d.line, d.column) == ("plan/objectives/croissance.md", 7, 13)
    assert '"beaucoup"' in d.message
    assert d.hint and "target: 1250" in d.hint


def test_wrong_type_does_not_cascade(check_plan: CheckPlan) -> None:
    """A KPI with a bad target is one error, not also 'no KPI' and 'no KPI `leads`' in its action."""
    checked = check_plan({"objectives/croissance.md": objective(
        'kpis:\n  - id: leads\n    title: Leads\n    target: "beaucoup"\n'
        "actions:\n  - title: Relancer\n    kpis: [leads]\n")})
    assert codes(checked) == ["type"]


def test_wrong_type_for_a_date(check_plan: CheckPlan) -> None:
    """An impossible date is told apart from a text that is no date at all."""
    checked = check_plan({"objectives/a.md": "---\ntitle: A\ndue: 2026-02-30\n---\n",
                          "objectives/b.md": "---\ntitle: B\ndue: fin juin\n---\n"})
    bad = only(checked, "bad-date")
    assert (bad.file, bad.line, bad.column) == ("plan/objectives/a.md", 3, 6)
    typ = only(checked, "type")
    assert (typ.file, typ.line, typ.column) == ("plan/objectives/b.md", 3, 6)
    assert typ.hint and "YYYY-MM-DD" in typ.hint


def test_wrong_enum_value_suggests_the_close_one(check_plan: CheckPlan) -> None:
    """`direction: upp` suggests `up` and lists the valid values."""
    checked = check_plan({"objectives/a.md": objective(kpi_block(extra="    direction: upp\n"))})
    d = only(checked, "bad-value")
    assert (d.line, d.column) == (8, 16)
    assert d.hint and "did you mean `up`?" in d.hint and "up, down" in d.hint


def test_missing_required_key(check_plan: CheckPlan) -> None:
    """An objective without `title` is reported with the key to add."""
    checked = check_plan({"objectives/croissance.md": "---\ndue: 2026-12-31\n---\n"})
    d = only(checked, "required")
    assert d.file == "plan/objectives/croissance.md"
    assert "title" in d.message
    assert d.hint and d.hint.startswith("add: title:")


def test_missing_required_key_in_a_kpi(check_plan: CheckPlan) -> None:
    """A KPI without `target` is reported at that KPI's line, with an example."""
    checked = check_plan({"objectives/croissance.md": objective("kpis:\n  - id: leads\n    title: Leads\n")})
    d = only(checked, "required")
    assert (d.line, d.column) == (5, 5)
    assert "target" in d.message
    assert d.hint == "add: target: 100"


def test_missing_required_key_in_strategy_yaml(check_plan: CheckPlan) -> None:
    """strategy.yaml without `period` says what to add."""
    checked = check_plan({}, settings="title: Plan\n")
    d = only(checked, "required")
    assert d.file == "plan/strategy.yaml"
    assert "period" in d.message


def test_unknown_key_did_you_mean(check_plan: CheckPlan) -> None:
    """`targt` is pointed at on its key, with 'did you mean `target`?'."""
    checked = check_plan({"objectives/croissance.md": objective(
        "kpis:\n  - id: leads\n    title: Leads\n    target: 100\n    targt: 120\n")})
    d = only(checked, "unknown-key")
    assert (d.file, d.line, d.column) == ("plan/objectives/croissance.md", 8, 5)
    assert d.hint and d.hint.startswith("did you mean `target`?")


def test_unknown_key_without_close_match_lists_valid_keys(check_plan: CheckPlan) -> None:
    """A key nothing like a valid one lists the valid keys."""
    checked = check_plan({"personas/anne.md": "---\nname: Anne\nzzz: 1\n---\n"})
    d = only(checked, "unknown-key")
    assert (d.line, d.column) == (3, 1)
    assert d.hint and d.hint.startswith("valid keys: name, role")


def test_bad_id_in_file_name(check_plan: CheckPlan) -> None:
    """A file name with capitals or underscores is not an id; the hint says how to rename it."""
    checked = check_plan({"objectives/Croissance_CA.md": objective()})
    d = only(checked, "bad-id")
    assert (d.file, d.line, d.column) == ("plan/objectives/Croissance_CA.md", 1, 1)
    assert d.hint and d.hint.startswith("rename the file")


def test_bad_kpi_id(check_plan: CheckPlan) -> None:
    """A KPI id with a space is pointed at on the value."""
    checked = check_plan({"objectives/a.md": objective(kpi_block("Leads Qualifiés"))})
    d = only(checked, "bad-id")
    assert (d.file, d.line, d.column) == ("plan/objectives/a.md", 5, 9)
    assert d.hint and "lower-case" in d.hint


def test_bad_stage_id_does_not_make_the_next_stage_first(check_plan: CheckPlan) -> None:
    """A bad id on the first stage is one error: the second stage's rate is not then called 'a rate
    on the first stage'."""
    checked = check_plan({"funnels/acquisition.yaml": FUNNEL.replace("id: prospects", "id: Prospects")})
    d = only(checked, "bad-id")
    assert (d.file, d.line, d.column) == ("plan/funnels/acquisition.yaml", 4, 9)
    assert codes(checked, "error") == ["bad-id"]


def test_duplicate_kpi_id_across_objectives(check_plan: CheckPlan) -> None:
    """The same KPI id in two objectives points at the second and names where the first is."""
    checked = check_plan({"objectives/a.md": objective(kpi_block()), "objectives/b.md": objective(kpi_block())})
    d = only(checked, "duplicate-kpi")
    assert (d.file, d.line, d.column) == ("plan/objectives/b.md", 5, 5)
    assert "plan/objectives/a.md:5:5" in d.message
    assert d.hint and "rename" in d.hint


def test_duplicate_key_in_yaml(check_plan: CheckPlan) -> None:
    """A key written twice is reported instead of silently keeping the last one."""
    checked = check_plan({"objectives/a.md": "---\ntitle: A\ntitle: B\n---\n"})
    d = only(checked, "duplicate-key")
    assert (d.line, d.column) == (3, 1)
    assert "line 2" in d.message


# --- references -----------------------------------------------------------------------------


def test_unknown_parent(check_plan: CheckPlan) -> None:
    """`parent: croisance` suggests the objective that exists."""
    checked = check_plan({"objectives/croissance.md": objective(),
                          "objectives/leads.md": objective("parent: croisance\n")})
    d = only(checked, "unknown-ref")
    assert (d.file, d.line, d.column) == ("plan/objectives/leads.md", 4, 9)
    assert d.hint == "did you mean `croissance`?"


def test_unknown_persona_points_at_the_item(check_plan: CheckPlan) -> None:
    """In `personas: [anne, bob]`, the unknown `bob` is pointed at, not just the key."""
    checked = check_plan({"personas/anne.md": "---\nname: Anne\n---\n",
                          "objectives/a.md": objective("personas: [anne, bob]\n")})
    d = only(checked, "unknown-ref")
    assert (d.file, d.line, d.column) == ("plan/objectives/a.md", 4, 18)
    assert "persona `bob`" in d.message
    assert d.hint == "write one of the known personas: anne"


def test_unknown_persona_when_there_are_none(check_plan: CheckPlan) -> None:
    """With no persona at all, the hint says where to add one."""
    checked = check_plan({"objectives/a.md": objective("personas:\n  - anne\n")})
    d = only(checked, "unknown-ref")
    assert (d.line, d.column) == (5, 5)
    assert d.hint and "personas/" in d.hint


def test_unknown_kpi_in_an_action(check_plan: CheckPlan) -> None:
    """An action moving a KPI that does not exist is pointed at that id."""
    checked = check_plan({"objectives/a.md": objective(
        kpi_block() + "actions:\n  - title: Relancer\n    kpis: [leds]\n")})
    d = only(checked, "unknown-ref")
    assert (d.file, d.line, d.column) == ("plan/objectives/a.md", 10, 12)
    assert d.hint == "did you mean `leads`?"


def test_unknown_kpi_in_a_stage(check_plan: CheckPlan) -> None:
    """A funnel stage whose `kpi` does not exist is an error at that value."""
    checked = check_plan({"funnels/acquisition.yaml": FUNNEL.replace(
        "    title: Clients\n", "    title: Clients\n    kpi: clients\n")})
    d = only(checked, "unknown-ref")
    assert (d.file, d.line, d.column) == ("plan/funnels/acquisition.yaml", 11, 10)
    assert "KPI `clients`" in d.message


def test_unknown_funnel_and_stage_of_an_experience(check_plan: CheckPlan) -> None:
    """An experience naming a missing funnel, or a stage missing from its funnel, is an error."""
    checked = check_plan({
        "funnels/acquisition.yaml": FUNNEL,
        "experiences/salon.md": "---\ntitle: Salon\nfunnel: acquisiton\nstage: clients\n---\n",
        "experiences/demo.md": "---\ntitle: Démo\nfunnel: acquisition\nstage: rdv\n---\n",
    })
    found = {d.file: d for d in checked.diagnostics if d.code == "unknown-ref"}
    funnel = found["plan/experiences/salon.md"]
    assert (funnel.line, funnel.column) == (3, 9)
    assert funnel.hint == "did you mean `acquisition`?"
    stage = found["plan/experiences/demo.md"]
    assert (stage.line, stage.column) == (4, 8)
    assert "stage `rdv`" in stage.message and "acquisition" in stage.message
    assert stage.hint and "prospects, rendez-vous, clients" in stage.hint


def test_experience_stage_without_funnel(check_plan: CheckPlan) -> None:
    """A `stage` without `funnel` asks for the funnel."""
    checked = check_plan({"experiences/demo.md": "---\ntitle: Démo\nstage: clients\n---\n"})
    d = only(checked, "required")
    assert (d.line, d.column) == (3, 8)
    assert d.hint and "funnel:" in d.hint


def test_unknown_objectives_and_experiences_of_a_solution(check_plan: CheckPlan) -> None:
    """A solution's unknown objective and experience are both reported, each at its item."""
    checked = check_plan({
        "objectives/croissance.md": objective(),
        "solutions/crm.md": "---\ntitle: CRM\nobjectives: [croissance, marque]\nexperiences:\n  - webinaire\n---\n",
    })
    found = sorted((d.line, d.column, d.message) for d in checked.diagnostics if d.code == "unknown-ref")
    assert [(line, col) for line, col, _ in found] == [(3, 26), (5, 5)]
    assert "objective `marque`" in found[0][2]
    assert "experience `webinaire`" in found[1][2]


def test_parent_cycle(check_plan: CheckPlan) -> None:
    """Objectives serving each other in a loop are one error that shows the loop."""
    checked = check_plan({
        "objectives/a.md": objective("parent: b\n"),
        "objectives/b.md": objective("parent: c\n"),
        "objectives/c.md": objective("parent: a\n"),
    })
    d = only(checked, "parent-cycle")
    assert (d.file, d.line, d.column) == ("plan/objectives/a.md", 4, 9)
    assert "a → b → c → a" in d.message
    assert d.hint and "remove `parent`" in d.hint


def test_objective_that_is_its_own_parent(check_plan: CheckPlan) -> None:
    """`parent:` naming the objective itself is a cycle too."""
    checked = check_plan({"objectives/a.md": objective("parent: a\n")})
    assert only(checked, "parent-cycle").file == "plan/objectives/a.md"


# --- funnels --------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", ["0", "1.5", "-0.2", '"150%"', '"3/2"'])
def test_rate_outside_zero_one(check_plan: CheckPlan, rate: str) -> None:
    """A rate of 0, over 1 or negative is an error at the value, explaining what a rate is."""
    checked = check_plan({"funnels/acquisition.yaml": FUNNEL.replace('rate: "1/5"', f"rate: {rate}")})
    d = only(checked, "bad-rate")
    assert (d.file, d.line, d.column) == ("plan/funnels/acquisition.yaml", 11, 11)
    assert "outside" in d.message and "the number" not in d.message
    assert d.hint and "at most 1" in d.hint


@pytest.mark.parametrize("rate", ['"beaucoup"', '"1/0"', "yes", "[1, 2]", '"%"'])
def test_unreadable_rate(check_plan: CheckPlan, rate: str) -> None:
    """A rate that is not a number, fraction or percentage lists the three forms."""
    checked = check_plan({"funnels/acquisition.yaml": FUNNEL.replace('rate: "1/5"', f"rate: {rate}")})
    d = only(checked, "bad-rate")
    assert (d.line, d.column) == (11, 11)
    assert d.hint and '"1/50"' in d.hint and '"2%"' in d.hint


def test_rate_on_the_first_stage(check_plan: CheckPlan) -> None:
    """A rate on the first stage is an error: nothing comes before it."""
    checked = check_plan({"funnels/acquisition.yaml": FUNNEL.replace(
        "    title: Prospects\n", "    title: Prospects\n    rate: 0.5\n")})
    d = only(checked, "bad-rate")
    assert (d.file, d.line, d.column) == ("plan/funnels/acquisition.yaml", 6, 5)
    assert "first stage" in d.message
    assert d.hint and d.hint.startswith("remove `rate`")


def test_missing_rate_after_the_first_stage(check_plan: CheckPlan) -> None:
    """A stage after the first without a rate asks for one."""
    checked = check_plan({"funnels/acquisition.yaml": FUNNEL.replace('    rate: "1/5"\n', "")})
    d = only(checked, "required")
    assert (d.line, d.column) == (9, 5)
    assert d.hint and "rate:" in d.hint


def test_funnel_with_fewer_than_two_stages(check_plan: CheckPlan) -> None:
    """A funnel of one stage is an error at `stages`."""
    checked = check_plan({"funnels/f.yaml": "title: F\ngoal: 5\nstages:\n  - id: clients\n    title: Clients\n"})
    d = only(checked, "funnel-stages")
    assert (d.file, d.line, d.column) == ("plan/funnels/f.yaml", 3, 1)
    assert "1" in d.message
    assert d.hint


@pytest.mark.parametrize(("stages", "expected"), [
    ("stages: []\n", ["funnel-stages"]),
    ("stages: 3\n", ["type"]),  # one mistake, one error: not also "has 0 stages"
    ("", ["required"]),
])
def test_funnel_stages_reported_once(check_plan: CheckPlan, stages: str, expected: list[str]) -> None:
    """An empty list of stages, stages that are not a list, and no stages at all are one error each."""
    checked = check_plan({"funnels/f.yaml": "title: F\ngoal: 5\n" + stages})
    assert codes(checked, "error") == expected


def test_negative_cost_says_what_to_write(check_plan: CheckPlan) -> None:
    """A negative cost is out of range, with the smallest value allowed."""
    checked = check_plan({"solutions/crm.md": "---\ntitle: CRM\ncost: {amount: -3, per: month}\n---\n"})
    d = only(checked, "range")
    assert (d.line, d.column) == (3, 16)
    assert d.hint and "at least 0" in d.hint


def test_goal_must_be_positive(check_plan: CheckPlan) -> None:
    """`goal: 0` is out of range."""
    checked = check_plan({"funnels/f.yaml": FUNNEL.replace("goal: 5", "goal: 0")})
    d = only(checked, "range")
    assert (d.line, d.column) == (2, 7)


# --- data -----------------------------------------------------------------------------------


CSV_KPI = objective(kpi_block())


def test_bad_csv_date(check_plan: CheckPlan) -> None:
    """A row with an impossible date names the CSV file, line and column."""
    checked = check_plan({"objectives/a.md": CSV_KPI, "data/leads.csv": "date,value\n2026-10,80\n2026-13,90\n"})
    d = only(checked, "csv-row")
    assert (d.file, d.line, d.column) == ("plan/data/leads.csv", 3, 1)
    assert d.message == "`2026-13` n'est pas une date"  # the plan is in French
    assert d.hint and "AAAA-MM-JJ" in d.hint


def test_bad_csv_number(check_plan: CheckPlan) -> None:
    """A mistyped number (letters O for zeros) is pointed at in its cell, with an example of a number."""
    checked = check_plan({"objectives/a.md": CSV_KPI, "data/leads.csv": "date,value\n2026-10,80\n2026-11,1 2OO\n"})
    d = only(checked, "csv-row")
    assert (d.file, d.line, d.column) == ("plan/data/leads.csv", 3, 9)
    assert d.message == "`1 2OO` n'est pas un nombre"
    assert d.hint == "écrivez un nombre, par ex. 1 250,5 ou 1250.5"


def test_empty_csv_value(check_plan: CheckPlan) -> None:
    """An empty value cell is called empty, not ``` `` is not a number```."""
    checked = check_plan({"objectives/a.md": CSV_KPI, "data/leads.csv": "date,value\n2026-10,80\n2026-11,\n"})
    d = only(checked, "csv-row")
    assert (d.line, d.column) == (3, 9)
    assert "``" not in d.message and "vide" in d.message


def test_csv_row_with_wrong_cell_count(check_plan: CheckPlan) -> None:
    """A row with an extra cell says how many cells the header has."""
    checked = check_plan({"objectives/a.md": CSV_KPI,
                          "data/leads.csv": "date,value\n2026-10,80\n\n2026-11,1,200\n"})
    d = only(checked, "csv-row")
    assert (d.file, d.line) == ("plan/data/leads.csv", 4)
    assert d.message == "cette ligne a 3 cellules mais l'en-tête en a 2"
    assert d.hint and "date,value" in d.hint


def test_csv_without_the_value_column(check_plan: CheckPlan) -> None:
    """A header that lacks the KPI's column offers the column it has as the KPI's `column:`."""
    checked = check_plan({"objectives/a.md": CSV_KPI, "data/leads.csv": "date,valeur\n2026-10,80\n"})
    d = only(checked, "csv-header")
    assert (d.file, d.line) == ("plan/data/leads.csv", 1)
    assert d.hint and "écrivez `column: valeur` dans l'indicateur `leads`" in d.hint


def test_csv_date_measured_twice(check_plan: CheckPlan) -> None:
    """Two rows for the same date are an error on the second."""
    checked = check_plan({"objectives/a.md": CSV_KPI, "data/leads.csv": "date,value\n2026-10,80\n2026-10-01,90\n"})
    d = only(checked, "csv-row")
    assert (d.line, d.column) == (3, 1)
    assert d.message == "2026-10-01 commence le même jour que 2026-10, ligne 2"


@pytest.mark.parametrize("path", ["../x.csv", "/etc/passwd", "data/../../x.csv", "C:/x.csv"])
def test_data_path_outside_the_plan(check_plan: CheckPlan, path: str) -> None:
    """A `data:` path leaving the plan folder is refused, at that key, and nothing is read."""
    checked = check_plan({"objectives/a.md": objective(kpi_block(extra=f"    data: {path}\n"))})
    d = only(checked, "data-path")
    assert (d.file, d.line, d.column) == ("plan/objectives/a.md", 8, 5)
    assert d.hint == "write a path inside the plan folder, e.g. data: data/leads.csv"


def test_data_file_that_does_not_exist(check_plan: CheckPlan) -> None:
    """A `data:` path to a missing file is an error that names the file to create."""
    checked = check_plan({"objectives/a.md": objective(kpi_block(extra="    data: data/autre.csv\n"))})
    d = only(checked, "missing-data")
    assert (d.line, d.column) == (8, 5)
    assert d.hint and "plan/data/autre.csv" in d.hint


def test_settings_missing_is_an_error(check_plan: CheckPlan) -> None:
    """A folder without strategy.yaml says what to write in it."""
    checked = check_plan({"objectives/a.md": objective()}, settings=None)
    d = only(checked, "missing-settings")
    assert d.file == "plan/strategy.yaml"
    assert d.hint and "period:" in d.hint


def test_fifty_mistakes_are_all_reported_in_one_run(check_plan: CheckPlan) -> None:
    """A plan with 50 distinct mistakes across many files gets 50 errors at once, not the first one."""
    files = {}
    for i in range(8):  # 5 mistakes each: 40
        files[f"objectives/o{i}.md"] = (
            "---\ntitle: Objectif\ndue: 2026-31-12\npersonas: [inconnu]\nowner_name: Anne\n"
            f"kpis:\n  - id: k{i}\n    title: Mesure\n    target: beaucoup\n    direction: upward\n---\n"
        )
    files["funnels/f.yaml"] = (  # 5 mistakes: 45
        "title: F\ngoal: cinq\nstage: x\nstages:\n  - id: a\n    title: A\n    rate: 0.5\n"
        "  - id: b\n    title: B\n    rate: 2\n  - id: c\n    title: C\n    rate: 0.5\n    kpi: nope\n"
    )
    files["objectives/m.md"] = (  # this objective is fine; its CSV has 5 bad rows: 50
        "---\ntitle: M\ndue: 2026-12-31\nkpis:\n  - id: m\n    title: M\n    target: 10\n---\n"
    )
    files["data/m.csv"] = "date,value\n2026-13,1\n2026-02,x\n2026-03\n2026-04,1,2\nhier,3\n2026-06,4\n"
    checked = check_plan(files)
    errors = checked.diagnostics.errors
    assert len(errors) == 50, "\n".join(map(str, checked.diagnostics.sorted()))
    assert len({(d.file, d.line, d.column) for d in errors}) == 50
    assert len({d.file for d in errors}) == 10
    assert checked.state is None


# --- robustness -----------------------------------------------------------------------------


class MemorySource:
    """A plan held in memory, so that hypothesis can try many variants without touching the disk; its
    label may be chosen, as a git revision's (`v1:content`) would be."""

    def __init__(self, files: dict[str, str], label: str = "plan") -> None:
        self.label = label
        self._files = {k: v.encode("utf-8") for k, v in files.items()}

    def files(self) -> list[str]:
        return sorted(self._files)

    def read_bytes(self, path: str) -> bytes:
        return self._files[path]

    def display(self, path: str) -> str:
        return f"{self.label}/{path}"


VALID_FILES = {
    "strategy.yaml": "title: T\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\nrules:\n  at_risk: 0.8\n",
    "objectives/a.md": objective(kpi_block("leads", "    baseline: 10\n    measure: cumulative\n")
                                 + "personas: [p]\nactions:\n  - title: Do\n    kpis: [leads]\n"),
    "personas/p.md": "---\nname: Anne\ngoals: [a, b]\n---\n",
    "funnels/f.yaml": FUNNEL.replace("    title: Clients\n", "    title: Clients\n    kpi: leads\n    cost: 5\n"),
    "experiences/e.md": "---\ntitle: E\nfunnel: f\nstage: clients\n---\n",
    "solutions/s.md": "---\ntitle: S\ncost: {amount: 5, per: month}\nobjectives: [a]\n---\n",
    "data/leads.csv": "date,value\n2026-01,3\n2026-02-15,4.5\n",
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_edit_of_a_valid_plan_never_crashes(data: st.DataObject) -> None:
    """Whatever a user mistypes in any file (a character deleted, or a YAML-significant one inserted
    anywhere), check reports diagnostics and never fails with an internal error."""
    files = dict(VALID_FILES)
    for _ in range(data.draw(st.integers(1, 3))):
        rel = data.draw(st.sampled_from(sorted(files)))
        text = files[rel]
        pos = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()) and pos < len(text):
            text = text[:pos] + text[pos + 1:]
        else:
            text = text[:pos] + data.draw(st.sampled_from(list("-:[]{}\"'#&*!|>%,\t\n 0a.-/\\"))) + text[pos:]
        files[rel] = text
    checked = check(MemorySource(files), TODAY)
    assert "internal-error" not in codes(checked), checked.diagnostics.sorted()
    for d in checked.diagnostics:
        assert d.line >= 1 and d.column >= 1
        assert d.file.startswith("plan/")


def test_the_valid_plan_of_the_robustness_test_is_valid() -> None:
    """The starting point of the robustness test has no error, so its mutations are what is tested."""
    checked = check(MemorySource(VALID_FILES), TODAY)
    assert codes(checked, "error") == [], checked.diagnostics.sorted()
    assert checked.state is not None


def test_a_misspelt_required_key_is_one_error(check_plan) -> None:  # type: ignore[no-untyped-def]
    """`titel:` instead of `title:` is one mistake: one unknown-key error saying "did you mean `title`?",
    not a second "needs `title`" error before it."""
    checked = check_plan({"objectives/o.md": "---\ntitel: Grow\ndue: 2026-12-31\n---\n"})
    errors = checked.diagnostics.errors
    assert [(e.code, e.hint.split("?")[0]) for e in errors] == [("unknown-key", "did you mean `title`")]


def test_an_id_ending_with_a_newline_is_not_an_id(check_plan: CheckPlan) -> None:
    """`id: "grow\\n"` (or a `|` block) once passed the id pattern and coexisted with `grow`, its link
    landing on the other KPI's page: it is a `bad-id` error at its line, the newline shown as `\\n`."""
    kpis = ('kpis:\n  - id: grow\n    title: G\n    target: 5\n'
            '  - id: "grow\\n"\n    title: G2\n    target: 5\n')
    checked = check_plan({"objectives/croissance.md": objective(kpis)})
    error = only(checked, "bad-id")
    assert (error.line, error.column) == (8, 9) and "`grow\\n` is not a valid id" in error.message


def test_an_id_too_long_for_a_file_name_is_refused_by_check(check_plan: CheckPlan) -> None:
    """A 252-character id passed `check` and failed `build` (its page's file name is too long): check
    refuses it, in a field and as a file name, saying the limit."""
    long_id = "a" * 252
    kpis = f"kpis:\n  - id: {long_id}\n    title: L\n    target: 5\n"
    checked = check_plan({"objectives/croissance.md": objective(kpis), f"pages/{'b' * 200}.md": "---\ntitle: B\n---\n"})
    errors = [d for d in checked.diagnostics.errors if d.code == "bad-id"]
    assert len(errors) == 2
    assert any("252 characters long, over 100" in d.message and d.line == 5 for d in errors)
    assert any("200 characters long" in d.message and d.file.endswith(".md") for d in errors)

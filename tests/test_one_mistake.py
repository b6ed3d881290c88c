"""One mistake, one error: a file that cannot be read (a YAML syntax error, a tab, UTF-16, a front matter
never closed) is reported once, at its line and column, first; the files that name it get no errors and
its data files no "unused" warnings; and no other independent error waits for a second run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.pipeline import Checked
from tests.conftest import MINIMAL_SETTINGS

CheckPlan = Callable[..., Checked]

CROISSANCE = """\
---
title: Croissance
due: 2026-12-31
personas: [acheteur]
kpis:
  - id: clients
    title: Nouveaux clients
    target: 5
    measure: cumulative
    data: data/clients-signes.csv
  - id: rendez-vous
    title: Rendez-vous
    target: 25
    measure: cumulative
actions:
  - title: Salon
    kpis: [clients]
---
Texte.
"""

ACQUISITION = """\
title: Acquisition
goal: 5
stages:
  - id: leads
    title: Leads
    kpi: leads
  - id: rendez-vous
    title: Rendez-vous
    rate: "1/50"
    kpi: rendez-vous
  - id: clients
    title: Clients
    rate: "1/5"
    kpi: clients
"""

ACHETEUR = "---\nname: Acheteur\nrole: Achats\n---\nQui il est.\n"

# Every file names another: objectives' `parent:` and `personas:`, actions' `kpis:`, funnel stages' `kpi:`,
# experiences' `funnel:`, `stage:`, `personas:` and `objectives:`, solutions' `objectives:` and `experiences:`.
PLAN = {
    "objectives/croissance.md": CROISSANCE,
    "objectives/leads.md": """\
---
title: Leads
parent: croissance
due: 2026-12-31
personas: [acheteur]
kpis:
  - id: leads
    title: Leads qualifiés
    target: 1250
    measure: cumulative
actions:
  - title: Webinaires
    kpis: [leads, rendez-vous]
---
""",
    "funnels/acquisition.yaml": ACQUISITION,
    "personas/acheteur.md": ACHETEUR,
    "experiences/demo.md": """\
---
title: Démonstration
personas: [acheteur]
funnel: acquisition
stage: rendez-vous
objectives: [croissance]
---
""",
    "solutions/crm.md": """\
---
title: CRM
objectives: [croissance, leads]
experiences: [demo]
---
""",
    "data/clients-signes.csv": "date,value\n2026-09-30,1\n2026-10-31,2\n",
    "data/rendez-vous.csv": "date,value\n2026-09-30,10\n2026-10-31,14\n",
    "data/leads.csv": "date,value\n2026-09-30,600\n2026-10-31,900\n",
}

def _with_front_matter_unclosed(text: str) -> str:
    """`text` (a .md entity file) without the `---` line that closes its front matter."""
    lines = text.splitlines(keepends=True)
    closing = lines.index("---\n", 1)
    return "".join(lines[:closing] + lines[closing + 1:])


def _report(checked: Checked) -> str:
    return "\n".join(f"{d} " for d in checked.diagnostics.sorted())


def _check(check_plan: CheckPlan, tmp_path: Path, changes: dict[str, str | None], encoded: str | None = None,
           settings: str = MINIMAL_SETTINGS) -> Checked:
    """Check PLAN with `changes` (a path → its new text, or None to remove it); the file `encoded` is then
    written again in that encoding."""
    files = {**PLAN, **changes}
    files = {rel: text for rel, text in files.items() if text is not None}
    if "strategy.yaml" not in files:
        files["strategy.yaml"] = settings
    checked = check_plan(files, settings=None)
    if encoded is None:
        return checked
    rel, codec = encoded.split(":")
    path = tmp_path / "plan" / rel
    path.write_bytes(path.read_text(encoding="utf-8").encode(codec))
    return check_plan({}, settings=None)


def test_the_plan_of_these_tests_is_clean(check_plan: CheckPlan) -> None:
    """Without the mistake, the plan of these tests has no error and no warning: whatever they report is
    the mistake's doing."""
    checked = check_plan({**PLAN, "strategy.yaml": MINIMAL_SETTINGS}, settings=None)
    assert list(checked.diagnostics) == [], _report(checked)


# the same objective, its first KPI written as a flow mapping
CROISSANCE_FLOW = CROISSANCE.replace(
    "  - id: clients\n    title: Nouveaux clients\n    target: 5\n    measure: cumulative\n"
    "    data: data/clients-signes.csv\n",
    "  - {id: clients, title: Nouveaux clients, target: 5, measure: cumulative, data: data/clients-signes.csv}\n")

# (name, changed files, "file:codec" to write again in that encoding, expected code, file, line, column)
CASES = [
    # an objective: its KPIs are named by funnel stages and actions, its id by `parent:`, experiences and
    # solutions, its data files by its KPIs
    ("objective, YAML syntax", {"objectives/croissance.md": CROISSANCE.replace("\ndue:", "\n  due:")}, None,
     "yaml-syntax", "objectives/croissance.md", 3, 3),
    ("objective, tab", {"objectives/croissance.md": CROISSANCE.replace("    target: 5", "\ttarget: 5")}, None,
     "yaml-syntax", "objectives/croissance.md", 8, 1),
    ("objective, KPIs written as {id: …}", {"objectives/croissance.md": CROISSANCE_FLOW.replace("\ndue:", "\n  due:")},
     None, "yaml-syntax", "objectives/croissance.md", 3, 3),
    ("objective, UTF-16", {}, "objectives/croissance.md:utf-16", "encoding", "objectives/croissance.md", 1, 1),
    ("objective, UTF-16 without BOM", {}, "objectives/croissance.md:utf-16-le", "encoding",
     "objectives/croissance.md", 1, 1),
    ("objective, front matter unclosed", {"objectives/croissance.md": _with_front_matter_unclosed(CROISSANCE)},
     None, "frontmatter-unclosed", "objectives/croissance.md", 1, 1),
    # a funnel: named by an experience's `funnel:` and `stage:`
    ("funnel, YAML syntax", {"funnels/acquisition.yaml": ACQUISITION.replace("goal: 5", " goal: 5")}, None,
     "yaml-syntax", "funnels/acquisition.yaml", 2, 2),
    ("funnel, tab", {"funnels/acquisition.yaml": ACQUISITION.replace("    kpi: leads", "\tkpi: leads")}, None,
     "yaml-syntax", "funnels/acquisition.yaml", 6, 1),
    ("funnel, UTF-16", {}, "funnels/acquisition.yaml:utf-16", "encoding", "funnels/acquisition.yaml", 1, 1),
    ("funnel, front matter unclosed",
     {"funnels/acquisition.yaml": None, "funnels/acquisition.md": "---\n" + ACQUISITION + "Texte.\n"}, None,
     "frontmatter-unclosed", "funnels/acquisition.md", 1, 1),
    # a persona: named by objectives and experiences
    ("persona, YAML syntax", {"personas/acheteur.md": ACHETEUR.replace("role: Achats", "role: Achats: B2B")},
     None, "yaml-syntax", "personas/acheteur.md", 3, 13),
    ("persona, tab", {"personas/acheteur.md": ACHETEUR.replace("role:", "\trole:")}, None,
     "yaml-syntax", "personas/acheteur.md", 3, 1),
    ("persona, UTF-16", {}, "personas/acheteur.md:utf-16", "encoding", "personas/acheteur.md", 1, 1),
    ("persona, front matter unclosed", {"personas/acheteur.md": _with_front_matter_unclosed(ACHETEUR)}, None,
     "frontmatter-unclosed", "personas/acheteur.md", 1, 1),
    # an experience: named by a solution's `experiences:`
    ("experience, YAML syntax", {"experiences/demo.md": PLAN["experiences/demo.md"].replace("stage:", " stage:")},
     None, "yaml-syntax", "experiences/demo.md", 5, 2),
    # strategy.yaml: every other file is checked all the same
    ("strategy.yaml, YAML syntax", {"strategy.yaml": MINIMAL_SETTINGS.replace("language:", "  language:")},
     None, "yaml-syntax", "strategy.yaml", 2, 3),
    ("strategy.yaml, tab", {"strategy.yaml": MINIMAL_SETTINGS.replace("  start:", "\tstart:")}, None,
     "yaml-syntax", "strategy.yaml", 4, 1),
    ("strategy.yaml, UTF-16", {}, "strategy.yaml:utf-16", "encoding", "strategy.yaml", 1, 1),
]


@pytest.mark.parametrize(("changes", "encoded", "code", "file", "line", "column"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_an_unreadable_file_is_one_error_and_nothing_else(
        check_plan: CheckPlan, tmp_path: Path, changes: dict[str, str | None], encoded: str | None, code: str,
        file: str, line: int, column: int) -> None:
    """A file that cannot be read gives exactly one error, at the place to fix, and nothing else: no
    "there is no objective/KPI/persona/funnel …" in the files that name it, no "no KPI uses this data file"
    for its KPIs' data files."""
    checked = _check(check_plan, tmp_path, changes, encoded)
    report = _report(checked)
    assert len(checked.diagnostics) == 1, report
    (error,) = checked.diagnostics
    assert (error.severity, error.code) == ("error", code), report
    assert (error.file, error.line, error.column) == (f"plan/{file}", line, column), report


def test_utf16_is_named_as_such(check_plan: CheckPlan, tmp_path: Path) -> None:
    """A file saved as UTF-16 is called UTF-16 (not "a binary file"), with how to save it as UTF-8."""
    checked = _check(check_plan, tmp_path, {}, "objectives/croissance.md:utf-16")
    (error,) = checked.diagnostics
    assert error.message == "this file is UTF-16, not UTF-8"
    assert error.hint is not None and "UTF-8" in error.hint


def test_a_wrong_kpi_reference_is_still_reported_beside_an_unreadable_objective(check_plan: CheckPlan,
                                                                               tmp_path: Path) -> None:
    """The KPIs of an unreadable objective are known from its `- id:` lines, so a reference to a KPI that
    it does not declare either is still an error in the same run, listed after the root cause."""
    leads = PLAN["objectives/leads.md"].replace("[leads, rendez-vous]", "[leads, rendez-vous, rdv]")
    checked = _check(check_plan, tmp_path, {"objectives/croissance.md": CROISSANCE.replace("\ndue:", "\n  due:"),
                                            "objectives/leads.md": leads})
    report = _report(checked)
    errors = checked.diagnostics.sorted()
    assert [(d.code, d.file) for d in errors] == [("yaml-syntax", "plan/objectives/croissance.md"),
                                                  ("unknown-ref", "plan/objectives/leads.md")], report
    assert errors[1].message == "there is no KPI `rdv`"
    assert checked.diagnostics.errors == errors  # the first error named (a skipped version's) is the root cause
    assert (errors[1].line, errors[1].column) == (13, 32)


def test_an_objective_that_cannot_even_be_scanned_hides_no_error_behind_its_kpis(check_plan: CheckPlan,
                                                                                tmp_path: Path) -> None:
    """A binary objective file declares no KPI that can be read: references to its KPIs and its data
    files are not reported, only the file itself."""
    checked = _check(check_plan, tmp_path, {})
    (tmp_path / "plan" / "objectives" / "croissance.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    checked = check_plan({}, settings=None)
    report = _report(checked)
    assert [(d.code, d.file) for d in checked.diagnostics] == [("binary-file", "plan/objectives/croissance.md")], \
        report


def test_an_unreadable_strategy_yaml_hides_no_other_error(check_plan: CheckPlan, tmp_path: Path) -> None:
    """With a YAML mistake in strategy.yaml, a wrong reference in another file is reported in the same
    run, after strategy.yaml's error."""
    demo = PLAN["experiences/demo.md"].replace("personas: [acheteur]", "personas: [acheteuse]")
    checked = _check(check_plan, tmp_path, {
        "strategy.yaml": MINIMAL_SETTINGS.replace("language:", "  language:"), "experiences/demo.md": demo})
    report = _report(checked)
    assert [(d.code, d.file) for d in checked.diagnostics.sorted()] == [
        ("yaml-syntax", "plan/strategy.yaml"), ("unknown-ref", "plan/experiences/demo.md")], report


def test_a_period_backwards_is_reported_with_a_missing_title(check_plan: CheckPlan, tmp_path: Path) -> None:
    """Two independent mistakes in strategy.yaml (no title, a period that ends before it starts) are both
    reported in the first run."""
    settings = "language: fr\nperiod:\n  start: 2026-12-31\n  end: 2026-01-01\n"
    checked = _check(check_plan, tmp_path, {"strategy.yaml": settings})
    report = _report(checked)
    assert sorted(d.code for d in checked.diagnostics) == ["bad-period", "required"], report


def test_the_same_report_when_the_files_come_from_the_parse_cache(check_plan: CheckPlan, tmp_path: Path) -> None:
    """Checking again (the unchanged files now come from the parse cache, as in `strategy serve`) reports
    exactly the same, in the same order: the unreadable objective's KPIs are still known."""
    changes = {"objectives/croissance.md": CROISSANCE.replace("\ndue:", "\n  due:")}
    first = _check(check_plan, tmp_path, changes).diagnostics.sorted()
    again = check_plan({}, settings=None).diagnostics.sorted()
    assert again == first
    assert [d.code for d in again] == ["yaml-syntax"]


# --- the order of the report, in the three formats of `strategy check` -------------------------------------


@pytest.fixture
def ordered_plan(make_plan: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plan with one unreadable objective, an independent error in a file whose name sorts before it,
    and a warning in a file whose name sorts before both."""
    demo = PLAN["experiences/demo.md"].replace("personas: [acheteur]", "personas: [acheteuse]")
    files = {**PLAN, "objectives/croissance.md": CROISSANCE.replace("\ndue:", "\n  due:"),
             "experiences/demo.md": demo, "data/autre.csv": "date,value\n2026-10-31,1\n"}
    monkeypatch.chdir(tmp_path)
    return make_plan(files)


EXPECTED_ORDER = [("error", "yaml-syntax", "plan/objectives/croissance.md"),
                  ("error", "unknown-ref", "plan/experiences/demo.md"),
                  ("warning", "unused-data", "plan/data/autre.csv")]


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, ["check", "plan", "--today", "2026-11-23", *args])
    assert result.exit_code == 1, result.output
    return result.output


def test_text_report_lists_the_root_cause_first_then_errors_then_warnings(ordered_plan: Path) -> None:
    """`strategy check` prints the unreadable file's error first, then the other errors, then the warnings,
    whatever the files' names."""
    lines = _cli().splitlines()
    files = [line for line in lines if line.startswith("plan/")]
    assert files == [file for _, _, file in EXPECTED_ORDER]
    french = {"error": "erreur", "warning": "avertissement"}
    assert [line.split()[1] for line in lines if line.startswith("  ") and not line.startswith("      ")] == \
        [french[severity] for severity, _, _ in EXPECTED_ORDER]
    assert lines[-1] == "2 erreurs, 1 avertissement"  # the plan is French


def test_json_report_lists_the_root_cause_first_then_errors_then_warnings(ordered_plan: Path) -> None:
    """`--format json` lists the diagnostics in the same order."""
    payload = json.loads(_cli("--format", "json"))
    assert [(d["severity"], d["code"], d["file"]) for d in payload["diagnostics"]] == EXPECTED_ORDER


def test_github_annotations_list_the_root_cause_first_then_errors_then_warnings(ordered_plan: Path) -> None:
    """`--format github` writes the annotations in the same order."""
    annotations = [line for line in _cli("--format", "github").splitlines() if line.startswith("::")]
    found = [(line[2:].split()[0], line.split("title=")[1].split("::")[0], line.split("file=")[1].split(",")[0])
             for line in annotations]
    assert found == EXPECTED_ORDER

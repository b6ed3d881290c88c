"""The `strategy` command line (SPEC §3 and §4): output formats of `check` and `funnel`, exit codes,
no traceback ever, and help with examples for every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from tests.conftest import ROOT

MakePlan = Callable[..., Path]

EN_SETTINGS = "title: Test plan\nlanguage: en\nperiod:\n  start: 2026-01-01\n  end: 2026-12-31\n"

CLEAN = {
    "objectives/growth.md": """\
        ---
        title: Five new clients
        due: 2026-12-31
        kpis:
          - id: clients
            title: New clients this year
            target: 5
            measure: cumulative
          - id: meetings
            title: Meetings this year
            target: 25
            measure: cumulative
          - id: prospects
            title: Prospects this year
            target: 1250
            measure: cumulative
        ---
        Body.
        """,
    "data/clients.csv": "date,value\n2026-09,1\n2026-10,1\n2026-11,1\n",
    "data/meetings.csv": "date,value\n2026-09,8\n2026-10,7\n2026-11,7\n",
    "data/prospects.csv": "date,value\n2026-09,400\n2026-10,400\n2026-11,380\n",
    "funnels/acquisition.yaml": """\
        title: Acquisition
        goal: 5
        stages:
          - id: prospects
            title: Prospects
            kpi: prospects
            cost: 12
          - id: meetings
            title: Meetings
            rate: "1/50"
            kpi: meetings
            cost: 150
          - id: clients
            title: Clients
            rate: 20%
            kpi: clients
            cost: 800
        """,
    "funnels/newsletter.yaml": """\
        title: Newsletter
        goal: 40
        stages:
          - id: visitors
            title: Visitors
          - id: subscribers
            title: Subscribers
            rate: "2 %"
          - id: leads
            title: Leads
            rate: 0.1
        """,
}

BROKEN = {
    "objectives/growth.md": "---\ntitle: Growth\ndue: 2026-12-31\nkpis:\n  - id: leads\n    title: Leads\n"
                            "    target: beaucoup\n---\n",
    "objectives/brand.md": "---\ntitle: Brand\n---\n",  # warnings: no KPI, no due date
}

WARNINGS_ONLY = {"objectives/brand.md": "---\ntitle: Brand\n---\n"}


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=True)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        f"unexpected exception: {result.exception!r}\n{result.output}"
    assert "Traceback" not in result.output
    return result


# --- check ----------------------------------------------------------------------------------


def test_check_clean_plan_exits_0(make_plan: MakePlan, in_tmp: Path) -> None:
    """A plan without problems says so and exits 0."""
    make_plan(CLEAN, settings=EN_SETTINGS)
    result = run("check", "plan", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "No problems found: 0 errors, 0 warnings"


def test_check_text_lists_problems_by_file(make_plan: MakePlan, in_tmp: Path) -> None:
    """Text output groups problems under their file, with line:column, the code, the hint, and a summary, in the
    plan's language (French here); the code stays English."""
    make_plan(BROKEN)
    result = run("check", "plan", "--today", "2026-11-23")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "plan/objectives/growth.md" in lines
    assert any(line.startswith("  7:13  erreur  `target` ne peut pas être") and line.endswith("[type]")
               for line in lines)
    assert any(line.strip().startswith("conseil : écrivez un nombre simple") for line in lines)
    assert lines[-1] == "1 erreur, 2 avertissements"
    assert "\x1b[" not in result.output  # no colour when not on a terminal


def test_check_json_has_the_spec_shape(make_plan: MakePlan, in_tmp: Path) -> None:
    """`--format json` prints {errors, warnings, diagnostics[severity, code, file, line, column, message,
    hint]} with files relative to the current directory."""
    make_plan(BROKEN)
    result = run("check", "plan", "--format", "json", "--today", "2026-11-23")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert list(payload) == ["errors", "warnings", "diagnostics"]
    assert (payload["errors"], payload["warnings"]) == (1, 2)
    keys = ["severity", "code", "file", "line", "column", "message", "hint"]
    assert all(list(d) == keys for d in payload["diagnostics"])
    error = next(d for d in payload["diagnostics"] if d["severity"] == "error")
    assert error["code"] == "type"
    assert (error["file"], error["line"], error["column"]) == ("plan/objectives/growth.md", 7, 13)
    assert isinstance(error["message"], str) and error["hint"].startswith("écrivez un nombre simple")
    assert {d["code"] for d in payload["diagnostics"] if d["severity"] == "warning"} == {"no-kpi", "no-due"}


def test_check_json_files_are_relative_to_the_current_directory(make_plan: MakePlan, in_tmp: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Given an absolute plan path, or run from inside the plan, files are still relative to where
    the command runs."""
    plan = make_plan(BROKEN)
    files = {d["file"] for d in json.loads(run("check", str(plan), "--format", "json").output)["diagnostics"]}
    assert files == {"plan/objectives/growth.md", "plan/objectives/brand.md"}
    monkeypatch.chdir(plan)
    files = {d["file"] for d in json.loads(run("check", ".", "--format", "json").output)["diagnostics"]}
    assert files == {"objectives/growth.md", "objectives/brand.md"}


def test_check_json_clean_plan(make_plan: MakePlan, in_tmp: Path) -> None:
    """A clean plan in JSON is zero errors, zero warnings and an empty list."""
    make_plan(CLEAN, settings=EN_SETTINGS)
    result = run("check", "plan", "--format", "json", "--today", "2026-11-23")
    assert json.loads(result.output) == {"errors": 0, "warnings": 0, "diagnostics": []}


def test_check_github_annotations(make_plan: MakePlan, in_tmp: Path) -> None:
    """`--format github` prints one `::error file=…,line=…,col=…::message` line per problem."""
    make_plan(BROKEN)
    result = run("check", "plan", "--format", "github", "--today", "2026-11-23")
    assert result.exit_code == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 3
    error = next(line for line in annotations if line.startswith("::error "))
    assert error.startswith("::error file=plan/objectives/growth.md,line=7,col=13,")
    assert "::`target` ne peut pas être" in error and "(écrivez un nombre simple" in error
    assert sum(line.startswith("::warning file=plan/objectives/brand.md,") for line in annotations) == 2


def test_github_annotations_escape_newlines_and_commas(make_plan: MakePlan, in_tmp: Path) -> None:
    """A multi-line hint stays on one annotation line (%0A), as GitHub requires."""
    make_plan({"objectives/a.md": "---\ndue: 2026-12-31\n---\n"}, settings="title: T\n")
    result = run("check", "plan", "--format", "github")
    for line in result.stdout.splitlines():
        assert line.startswith("::error ") or line.startswith("::warning ")
    assert "%0A" in result.stdout  # the example of `period:` spans lines


def test_strict_turns_warnings_into_failure(make_plan: MakePlan, in_tmp: Path) -> None:
    """Warnings alone exit 0, and 1 with --strict."""
    make_plan(WARNINGS_ONLY)
    assert run("check", "plan").exit_code == 0
    assert run("check", "plan", "--strict").exit_code == 1
    assert run("check", "plan", "--strict", "--format", "json").exit_code == 1


def test_missing_plan_folder_is_a_usage_error(in_tmp: Path) -> None:
    """A plan folder that does not exist exits 2 and says how to create one."""
    for command in ("check", "funnel"):
        result = run(command, "nowhere")
        assert result.exit_code == 2
        assert "nowhere" in result.output and "strategy init" in result.output


def test_unknown_option_and_bad_date_are_usage_errors(make_plan: MakePlan, in_tmp: Path) -> None:
    """An unknown option, an unknown format or an impossible --today exit 2."""
    make_plan(CLEAN)
    assert run("check", "plan", "--bogus").exit_code == 2
    assert run("check", "plan", "--format", "xml").exit_code == 2
    assert run("funnel", "plan", "--today", "2026-02-30").exit_code == 2


def test_plan_folder_without_strategy_yaml(tmp_path: Path, in_tmp: Path) -> None:
    """An existing folder that is not a plan is a plan error (exit 1) that says what to write."""
    (tmp_path / "empty").mkdir()
    result = run("check", "empty")
    assert result.exit_code == 1
    assert "the plan has no strategy.yaml" in result.output


def test_today_and_source_date_epoch_fix_today(make_plan: MakePlan, in_tmp: Path) -> None:
    """Data last measured in June is stale in November, but not when --today or SOURCE_DATE_EPOCH
    says it is July; --today wins over SOURCE_DATE_EPOCH."""
    files = dict(CLEAN)
    files["data/clients.csv"] = files["data/meetings.csv"] = files["data/prospects.csv"] = "date,value\n2026-06,1\n"
    make_plan(files, settings=EN_SETTINGS)
    assert "stale-data" in run("check", "plan", "--today", "2026-11-23").output
    assert "stale-data" not in run("check", "plan", "--today", "2026-07-01").output
    july = {"SOURCE_DATE_EPOCH": "1782864000"}  # 2026-07-01 UTC
    assert "stale-data" not in run("check", "plan", env=july).output
    assert "stale-data" in run("check", "plan", "--today", "2026-11-23", env=july).output


# --- funnel ---------------------------------------------------------------------------------


def test_funnel_json_has_the_spec_shape(make_plan: MakePlan, in_tmp: Path) -> None:
    """`strategy funnel --format json` is SPEC §4 as issue 13 reads it: rates as written, needs and needs to
    date (326 of 364 days gone by on 23 November), volumes since the period start, observed rates, the
    bottleneck, the stage furthest behind (shortfall), the projection at the due date and the budget."""
    make_plan(CLEAN, settings=EN_SETTINGS)
    result = run("funnel", "plan", "--format", "json", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"funnels": [
        {"id": "acquisition", "goal": 5, "due": "2026-12-31", "elapsed": 0.8956, "stages": [
            {"id": "prospects", "rate": None, "need": 1250, "need_to_date": 1119.51, "actual": 1180,
             "observed_rate": None},
            {"id": "meetings", "rate": "1/50", "need": 25, "need_to_date": 22.39, "actual": 22,
             "observed_rate": 0.018644},
            {"id": "clients", "rate": "20%", "need": 5, "need_to_date": 4.48, "actual": 3,
             "observed_rate": 0.136364},
        ], "bottleneck": "clients", "shortfall": "clients", "projection": 3.35, "budget": 22750},
        {"id": "newsletter", "goal": 40, "due": "2026-12-31", "elapsed": 0.8956, "stages": [
            {"id": "visitors", "rate": None, "need": 20000, "need_to_date": 17912.09, "actual": None,
             "observed_rate": None},
            {"id": "subscribers", "rate": "2 %", "need": 400, "need_to_date": 358.24, "actual": None,
             "observed_rate": None},
            {"id": "leads", "rate": 0.1, "need": 40, "need_to_date": 35.82, "actual": None, "observed_rate": None},
        ], "bottleneck": None, "shortfall": None, "projection": None, "budget": None},
    ]}


def test_funnel_text(make_plan: MakePlan, in_tmp: Path) -> None:
    """The text table shows each stage's rate, need, need to date, actual and cost, then budget, cost per
    final unit, the projection in the goal's unit and the diagnosis (bottleneck and volume behind)."""
    make_plan(CLEAN, settings=EN_SETTINGS)
    result = run("funnel", "plan", "--today", "2026-11-23")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("Acquisition (acquisition) — goal 5")
    assert "Prospects" in out and "1,250" in out and "  2%" in out and "20%" in out and "to date" in out
    assert "budget €22,750" in out
    assert "cost per result (client) €4,550" in out  # per one client
    assert "projected ≈ 3.4 clients of 5 by Dec 31, 2026, at the average pace since Jan 1, 2026" in out
    assert "Bottleneck: “Clients” converts 13.6% of “Meetings”, against 20% planned (68% of the planned rate)." \
        in out
    # 4.48 clients by now is 5 whole clients to have signed: a need is rounded up
    assert "Volume behind: “Clients” stands at 3 against 5 expected by now (5 by Dec 31, 2026)." in out
    assert "Newsletter (newsletter) — goal 40" in out and "20,000" in out


def test_funnel_text_in_french(make_plan: MakePlan, in_tmp: Path) -> None:
    """A French plan gets French numbers and currency in the funnel table."""
    make_plan(CLEAN)  # the default settings of the fixture are in French
    out = run("funnel", "plan", "--today", "2026-11-23").output
    assert "1\u202f250" in out and "22\u202f750\u00a0€" in out


def test_funnel_of_a_plan_with_errors(make_plan: MakePlan, in_tmp: Path) -> None:
    """`strategy funnel` on a broken plan prints the problems on stderr and exits 1."""
    make_plan(BROKEN)
    result = run("funnel", "plan", "--format", "json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "plan/objectives/growth.md" in result.stderr


def test_funnel_without_funnels(make_plan: MakePlan, in_tmp: Path) -> None:
    """A plan without funnel says where to add one; in JSON, an empty list."""
    make_plan(WARNINGS_ONLY)
    assert "funnels/ID.yaml" in run("funnel", "plan").output
    assert json.loads(run("funnel", "plan", "--format", "json").output) == {"funnels": []}


# --- robustness and help --------------------------------------------------------------------

NASTY = {
    "strategy.yaml": "title: [\n",
    "objectives/a.md": "---\n- a\n- b\n---\n",
    "objectives/b.md": "---\n: :\n---\n",
    "objectives/c.md": "\ufeff---\ntitle: x\nkpis: 3\nactions: {a: 1}\n---\n",
    "funnels/f.yaml": "[1, 2]",
    "funnels/g.yaml": "title: G\ngoal: .inf\nstages: [{id: a}, 3, null]\n",
    "personas/p.md": "---\nname: !!python/object:os.system ls\n---\n",
    "data/x.csv": "\x00\x01",
    "objectives/d.md": "---\ntitle: &a x\nowner: *a\n---\n",
}


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_no_traceback_on_nasty_input(make_plan: MakePlan, in_tmp: Path, fmt: str) -> None:
    """Malformed files of every sort give diagnostics and exit 1, never a traceback."""
    make_plan(NASTY, settings=None)
    result = run("check", "plan", "--format", fmt)
    assert result.exit_code == 1
    assert "internal-error" not in result.output
    result = run("funnel", "plan")
    assert result.exit_code == 1


def test_no_traceback_with_valid_settings_and_nasty_entities(make_plan: MakePlan, in_tmp: Path) -> None:
    """The same files beside a valid strategy.yaml are all reported, and none crashes the checker."""
    make_plan({k: v for k, v in NASTY.items() if k != "strategy.yaml"})
    result = run("check", "plan", "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert "internal-error" not in {d["code"] for d in payload["diagnostics"]}
    assert {d["file"] for d in payload["diagnostics"] if d["severity"] == "error"} >= {
        f"plan/{rel}" for rel in NASTY if rel not in ("strategy.yaml", "data/x.csv")}


def _commands(group: click.Group) -> list[tuple[str, click.Command]]:
    return sorted(group.commands.items())


@pytest.mark.parametrize(("name", "command"), _commands(main))
def test_every_command_has_examples_in_its_help(name: str, command: click.Command) -> None:
    """Like sqlite-utils: each `strategy` command shows an "Examples:" section in --help, and the
    example lines survive click's rewrapping."""
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output, f"`strategy {name} --help` has no Examples section"
    after = result.output.split("Examples:", 1)[1].splitlines()
    assert after[1].strip().startswith(f"strategy {name}"), after[:3]


def test_group_help_lists_commands() -> None:
    """`strategy --help` lists the commands and exits 0."""
    result = run("--help")
    assert result.exit_code == 0
    assert "check" in result.output and "funnel" in result.output


# --- a real process -------------------------------------------------------------------------


def _python_m(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    full_env.update({"PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=60, check=False)


def test_python_m_generator_check_json(make_plan: MakePlan, tmp_path: Path) -> None:
    """`python -m generator check --format json` is the same program, with exit code 1 on errors."""
    make_plan(BROKEN)
    proc = _python_m("check", "plan", "--format", "json", "--today", "2026-11-23", cwd=tmp_path)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["errors"] == 1
    assert "Traceback" not in proc.stdout + proc.stderr


def test_python_m_generator_usage_and_funnel(make_plan: MakePlan, tmp_path: Path) -> None:
    """A real process exits 2 on a missing plan folder, and `funnel` prints JSON for a clean plan."""
    proc = _python_m("check", "missing", cwd=tmp_path)
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr and "Traceback" not in proc.stderr
    make_plan(CLEAN, settings=EN_SETTINGS)
    proc = _python_m("funnel", "plan", "--format", "json", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "1795392000"})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["funnels"][0]["stages"][0]["need"] == 1250


# --- the example plan -----------------------------------------------------------------------


EXAMPLE_PLAN = ROOT / "content"


@pytest.mark.skipif(not (EXAMPLE_PLAN / "strategy.yaml").is_file(), reason="the example plan is not there")
def test_example_plan_checks_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """`strategy check content` on the shipped French example reports no error (and, strict, no warning)."""
    monkeypatch.chdir(ROOT)
    result = run("check", "content", "--format", "json", "--strict", "--today", "2026-11-23")
    payload = json.loads(result.output)
    assert payload["errors"] == 0, payload["diagnostics"]
    assert result.exit_code == (1 if payload["warnings"] else 0)


@pytest.mark.skipif(not (EXAMPLE_PLAN / "strategy.yaml").is_file(), reason="the example plan is not there")
def test_example_acquisition_funnel_is_the_spec_example(monkeypatch: pytest.MonkeyPatch) -> None:
    """The example's acquisition funnel is the SPEC's: 5 clients need 25 meetings and 1,250 prospects."""
    monkeypatch.chdir(ROOT)
    result = run("funnel", "content", "--format", "json", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    funnels = {f["id"]: f for f in json.loads(result.output)["funnels"]}
    needs = [s["need"] for s in funnels["acquisition"]["stages"]]
    assert funnels["acquisition"]["goal"] == 5
    assert needs == [1250, 25, 5]

"""`strategy check` warnings (SPEC §3): the SMART and data-hygiene rules, their locations, and the
thresholds a plan sets under `rules:` in strategy.yaml."""

from __future__ import annotations

from collections.abc import Callable

from generator.pipeline import Checked
from tests.conftest import MINIMAL_SETTINGS, codes, only

CheckPlan = Callable[..., Checked]


def objective(extra: str = "", *, due: bool = True) -> str:
    return "---\ntitle: Objectif\n" + ("due: 2026-12-31\n" if due else "") + extra + "---\n"


def kpi(kpi_id: str, extra: str = "") -> str:
    return f"  - id: {kpi_id}\n    title: Mesure\n    target: 100\n{extra}"


def with_data(kpi_id: str, extra: str = "") -> dict[str, str]:
    """An objective with one KPI measured recently: no warning at all."""
    return {f"objectives/{kpi_id}.md": objective("kpis:\n" + kpi(kpi_id, extra)),
            f"data/{kpi_id}.csv": "date,value\n2026-10,40\n2026-11,50\n"}


def rules(text: str) -> str:
    return MINIMAL_SETTINGS + "rules:\n" + text


def test_a_clean_plan_has_no_warning(check_plan: CheckPlan) -> None:
    """The baseline of every test below: one measurable, time-bound objective with fresh data."""
    checked = check_plan(with_data("leads"))
    assert codes(checked) == [], checked.diagnostics.sorted()


def test_too_many_top_objectives(check_plan: CheckPlan) -> None:
    """Six objectives without parent exceed the default five; children do not count."""
    files: dict[str, str] = {}
    for i in range(6):
        files.update(with_data(f"o{i}"))
    d = only(check_plan(files), "too-many-objectives")
    assert d.severity == "warning"
    assert d.file == "plan/objectives/o5.md"
    assert "6" in d.message and "5" in d.message
    assert d.hint and "parent" in d.hint

    files["objectives/o5.md"] = objective("parent: o0\nkpis:\n" + kpi("o5"))
    assert codes(check_plan(files)) == []


def test_max_objectives_rule(check_plan: CheckPlan) -> None:
    """`rules: max_objectives: 1` warns from the second top objective."""
    files = {**with_data("a"), **with_data("b")}
    assert "too-many-objectives" not in codes(check_plan(files))
    checked = check_plan(files, settings=rules("  max_objectives: 1\n"))
    assert only(checked, "too-many-objectives").file == "plan/objectives/b.md"


def test_objective_without_kpi(check_plan: CheckPlan) -> None:
    """An objective with no KPI is not measurable: a warning at its title."""
    checked = check_plan({"objectives/marque.md": objective()})
    d = only(checked, "no-kpi")
    assert (d.file, d.line, d.column) == ("plan/objectives/marque.md", 2, 1)
    assert "not measurable" in d.message
    assert d.hint and "kpis" in d.hint


def test_objective_without_due(check_plan: CheckPlan) -> None:
    """An objective with no due date is not time-bound."""
    files = with_data("leads")
    files["objectives/leads.md"] = objective("kpis:\n" + kpi("leads"), due=False)
    d = only(check_plan(files), "no-due")
    assert (d.file, d.line) == ("plan/objectives/leads.md", 2)
    assert d.hint and "due: YYYY-MM-DD" in d.hint


def test_target_no_better_than_baseline(check_plan: CheckPlan) -> None:
    """A KPI going up whose target is below its baseline is not ambitious; the warning is at `target`."""
    files = with_data("leads", "    baseline: 120\n    direction: up\n")
    d = only(check_plan(files), "not-ambitious")
    assert (d.file, d.line, d.column) == ("plan/objectives/leads.md", 7, 5)
    assert "100" in d.message and "120" in d.message
    assert d.hint and "above 120" in d.hint


def test_target_equal_to_baseline(check_plan: CheckPlan) -> None:
    """A target equal to its baseline is not ambitious either."""
    files = with_data("leads", "    baseline: 100\n")
    assert "not-ambitious" in codes(check_plan(files))


def test_down_kpi_with_lower_target_is_ambitious(check_plan: CheckPlan) -> None:
    """Turnover going down from 12 to 8 is fine, with or without `direction: down`."""
    files = with_data("rotation", "    baseline: 120\n")
    assert "not-ambitious" not in codes(check_plan(files))
    files = with_data("rotation", "    baseline: 120\n    direction: down\n")
    assert "not-ambitious" not in codes(check_plan(files))
    files = with_data("rotation", "    baseline: 90\n    direction: down\n")
    d = only(check_plan(files), "not-ambitious")
    assert d.hint and "below 90" in d.hint


def test_target_no_better_than_the_first_measurement(check_plan: CheckPlan) -> None:
    """Without a baseline, the first measurement is the baseline (SPEC §1), so a target already passed
    is not ambitious."""
    files = with_data("leads", "    direction: up\n")
    files["data/leads.csv"] = "date,value\n2026-01,150\n2026-11,160\n"
    d = only(check_plan(files), "not-ambitious")
    assert "first measurement" in d.message and "150" in d.message


def test_kpi_without_data(check_plan: CheckPlan) -> None:
    """A KPI with no data/ID.csv and no `data:` gets a warning naming the file to add."""
    checked = check_plan({"objectives/leads.md": objective("kpis:\n" + kpi("leads"))})
    d = only(checked, "no-data")
    assert (d.file, d.line, d.column) == ("plan/objectives/leads.md", 5, 5)
    assert d.hint and "data/leads.csv" in d.hint


def test_kpi_with_an_empty_csv(check_plan: CheckPlan) -> None:
    """A CSV with only its header: 'no measurement yet', on the CSV file."""
    files = with_data("leads")
    files["data/leads.csv"] = "date,value\n"
    d = only(check_plan(files), "no-data")
    assert d.file == "plan/data/leads.csv"


def test_stale_data(check_plan: CheckPlan) -> None:
    """A monthly KPI last measured more than two months ago is stale; the warning is on the last row."""
    files = with_data("leads")
    files["data/leads.csv"] = "date,value\n2026-08,40\n2026-09-15,50\n"
    d = only(check_plan(files), "stale-data")
    assert (d.file, d.line) == ("plan/data/leads.csv", 3)
    assert "2026-09-15" in d.message
    assert d.hint and "cadence" in d.hint


def test_stale_data_follows_the_cadence(check_plan: CheckPlan) -> None:
    """The same last point is fresh for a quarterly KPI, and stale for a weekly one."""
    csv = "date,value\n2026-09-15,50\n"
    quarterly = {**with_data("leads", "    cadence: quarterly\n"), "data/leads.csv": csv}
    assert "stale-data" not in codes(check_plan(quarterly))
    weekly = {**with_data("leads", "    cadence: weekly\n"), "data/leads.csv": "date,value\n2026-11-01,50\n"}
    assert "stale-data" in codes(check_plan(weekly))


def test_stale_data_ignores_future_rows(check_plan: CheckPlan) -> None:
    """A row dated after today does not make old data look fresh."""
    files = with_data("leads")
    files["data/leads.csv"] = "date,value\n2026-06,40\n2027-03,80\n"
    d = only(check_plan(files), "stale-data")
    assert "June 2026 (2026-06)" in d.message


def test_unused_csv(check_plan: CheckPlan) -> None:
    """A CSV in data/ that no KPI reads: collect less data."""
    files = {**with_data("leads"), "data/old.csv": "date,value\n2026-01,3\n"}
    d = only(check_plan(files), "unused-data")
    assert (d.file, d.line) == ("plan/data/old.csv", 1)
    assert d.hint and "collect less data" in d.hint


def test_csv_used_through_data_key_is_not_unused(check_plan: CheckPlan) -> None:
    """A CSV named by a KPI's `data:` (with another column) is used."""
    files = with_data("leads", "    data: data/crm.csv\n    column: leads\n")
    files.pop("data/leads.csv")
    files["data/crm.csv"] = "date,leads,other\n2026-11,50,1\n"
    assert codes(check_plan(files)) == []


def test_too_many_kpis(check_plan: CheckPlan) -> None:
    """Four KPIs on one objective exceed the default three; the warning is at `kpis`."""
    body = "kpis:\n" + "".join(kpi(f"k{i}") for i in range(4))
    files = {"objectives/o.md": objective(body)}
    files.update({f"data/k{i}.csv": "date,value\n2026-11,5\n" for i in range(4)})
    d = only(check_plan(files), "too-many-kpis")
    assert (d.file, d.line, d.column) == ("plan/objectives/o.md", 4, 1)
    assert "4" in d.message and "3" in d.message
    assert "too-many-kpis" not in codes(check_plan(files, settings=rules("  max_kpis_per_objective: 4\n")))


SOLUTIONS = {
    "solutions/crm.md": "---\ntitle: CRM\ncost:\n  amount: 500\n  per: month\n---\n",  # 6,000 a year
    "solutions/site.md": "---\ntitle: Site\ncost: {amount: 4000, per: year}\n---\n",
}


def test_one_solution_over_budget_share(check_plan: CheckPlan) -> None:
    """A solution taking 60 % of the yearly solution budget exceeds the default 50 %."""
    d = only(check_plan({**with_data("leads"), **SOLUTIONS}), "budget-share")
    assert (d.file, d.line, d.column) == ("plan/solutions/crm.md", 3, 1)
    assert "60%" in d.message and "50%" in d.message
    assert d.hint and "spread" in d.hint


def test_budget_share_rule(check_plan: CheckPlan) -> None:
    """`rules: budget_share: 0.7` accepts a 60 % share."""
    checked = check_plan({**with_data("leads"), **SOLUTIONS}, settings=rules("  budget_share: 0.7\n"))
    assert "budget-share" not in codes(checked)


def test_single_solution_is_not_over_budget(check_plan: CheckPlan) -> None:
    """A plan with one solution cannot spread its budget: no warning."""
    files = {**with_data("leads"), "solutions/crm.md": SOLUTIONS["solutions/crm.md"]}
    assert "budget-share" not in codes(check_plan(files))


def test_unknown_folder_did_you_mean(check_plan: CheckPlan) -> None:
    """A misspelt `objectifs/` folder is not ignored silently: did you mean `objectives/`?"""
    files = {**with_data("leads"), "objectifs/marque.md": objective(), "objectifs/autre.md": objective()}
    d = only(check_plan(files), "unknown-file")
    assert d.severity == "warning"
    assert d.file.startswith("plan/objectifs/")
    assert "objectifs/" in d.message
    assert d.hint and d.hint.startswith("did you mean `objectives/`?")


def test_unknown_file_and_wrong_extension(check_plan: CheckPlan) -> None:
    """A stray file at the top and a .txt in objectives/ are both reported."""
    files = {**with_data("leads"), "notes.txt": "x", "objectives/idee.txt": "x"}
    found = {d.file: d for d in check_plan(files).diagnostics if d.code == "unknown-file"}
    assert set(found) == {"plan/notes.txt", "plan/objectives/idee.txt"}
    assert ".md or .yaml" in found["plan/objectives/idee.txt"].message


def test_warnings_alone_do_not_fail(check_plan: CheckPlan) -> None:
    """A plan with only warnings is still computed (exit 0 without --strict)."""
    checked = check_plan({"objectives/marque.md": objective()})
    assert checked.ok and checked.state is not None
    assert codes(checked, "error") == []


def test_bad_rules_are_errors(check_plan: CheckPlan) -> None:
    """A misspelt or negative rule is an error, not silently the default."""
    checked = check_plan({}, settings=rules("  max_objective: 3\n  at_risk: -1\n"))
    assert sorted(codes(checked, "error")) == ["range", "unknown-key"]
    assert only(checked, "unknown-key").hint.startswith("did you mean `max_objectives`?")

"""A diff a board can read (issue 14, items 5 and 6): every decision in the headline, the same on every surface
(the terminal, the pull-request comment, the changes page, the board pack), money where the locale puts it and
in each side's own currency, percentages as the language writes them, dates in the locale's words.

Every test builds a real git repository with two tagged revisions of a small plan.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.diff.compare import compare_revisions
from generator.diff.format import diff_view
from tests.test_diff_causes import summary
from tests.test_gitsource import GitRepo, base_plan

TODAY = "2026-11-23"
KPI = """\
  - id: {id}
    title: {title}
    unit: "{unit}"
    baseline: 0
    target: {target}
"""
SOLUTION = "---\ntitle: {title}\ncategory: saas\ncost: {{amount: {amount}, per: month}}\n---\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    return repo


def plan(*, language: str = "en", settings: str = "", kpis: dict[str, tuple[str, str, Any]] | None = None,
         solutions: dict[str, tuple[str, int]] | None = None, rate: str = "1/5", **values: Any) -> dict[str, str]:
    """base_plan in `language`, with more settings, KPIs (id → title, unit, target) under its objective,
    solutions (id → title, monthly cost) and the rate of its last stage."""
    files = base_plan(**values)
    files["strategy.yaml"] = files["strategy.yaml"].replace("language: en", f"language: {language}") + settings
    files["funnels/acquisition.yaml"] = files["funnels/acquisition.yaml"].replace('rate: "1/5"', f"rate: {rate}")
    extra = "".join(KPI.format(id=ident, title=title, unit=unit, target=target)
                    for ident, (title, unit, target) in (kpis or {}).items())
    files["objectives/growth.md"] = files["objectives/growth.md"].replace("actions:", extra + "actions:")
    for ident, (title, amount) in (solutions or {}).items():
        files[f"solutions/{ident}.md"] = SOLUTION.format(title=title, amount=amount)
    return files


def diff(*args: str) -> str:
    result = CliRunner().invoke(main, ["diff", *args, "--today", TODAY])
    assert result.exit_code == 0, result.output
    return result.stdout.replace("\u202f", " ").replace("\u00a0", " ")


def bullets(markdown: str) -> list[str]:
    return [line[2:] for line in markdown.split("<details>")[0].splitlines() if line.startswith("- ")]


def test_every_decision_is_in_the_headline_or_counted_alike_on_every_surface(repo: GitRepo) -> None:
    """Eight targets moved: the terminal, the comment and the changes page each say six and then "+ 2 more
    decisions", never dropping a decision without saying so."""
    kpis = {f"k{i}": (f"Metric {i}", "leads", 100) for i in range(1, 8)}
    repo.commit(plan(kpis=kpis), tag="v1")
    repo.commit(plan(kpis={k: (title, unit, 200) for k, (title, unit, _) in kpis.items()}, target=30), tag="v2")
    text = summary(diff("v1", "v2")).split("; ")
    assert len(text) == 7 and text[-1] == "+ 2 more decisions"
    assert bullets(diff("v1", "v2", "--format", "markdown")) == text
    view = diff_view(compare_revisions(Path("content"), "v1", "v2", __import__("datetime").date(2026, 11, 23)))
    assert view["highlights"] + [view["more"]] == text


def test_a_removed_solution_and_a_new_currency_are_decisions_in_the_headline(repo: GitRepo) -> None:
    """A French plan deletes a solution and moves from EUR to CAD: the headline says « Devise EUR → CAD » and
    « solution « HubSpot » retirée » (not only in the details), and the solutions' budget reads each side in its
    own currency, « 26 160 € → 12 000 $ », not the old euros relabelled in dollars."""
    solutions = {"hubspot": ("HubSpot", 1180), "crm": ("CRM", 1000)}
    repo.commit(plan(language="fr", settings="currency: EUR\nlocale: fr-BE\n", solutions=solutions), tag="v1")
    repo.commit(plan(language="fr", settings="currency: CAD\nlocale: fr-CA\n",
                     solutions={"crm": ("CRM", 1000)}), tag="v2")
    text = diff("v1", "v2")
    assert summary(text) == "Devise EUR → CAD; solution « HubSpot » retirée"
    assert "Budget des solutions  26 160 € → 12 000 $  (calculé)" in text


def test_money_reads_where_the_locale_puts_it_with_cents_on_both_sides(repo: GitRepo) -> None:
    """An en-US plan in dollars: "Target $12,000,000 → $11,000,000" in the details and "$12M → $11M" in the
    headline, as the tiles write it; an amount with cents has them on both sides: "$95.00 → $97.50"."""
    kpis = {"revenue": ("Online revenue", "$", 12_000_000), "basket": ("Average order value", "USD", 95)}
    repo.commit(plan(settings="currency: USD\n", kpis=kpis), tag="v1")
    kpis = {"revenue": ("Online revenue", "$", 11_000_000), "basket": ("Average order value", "USD", 97.5)}
    repo.commit(plan(settings="currency: USD\n", kpis=kpis), tag="v2")
    text = diff("v1", "v2")
    assert "Online revenue: target $12M → $11M" in summary(text)
    assert "Average order value: target $95.00 → $97.50" in summary(text)
    assert "Target  $12,000,000 → $11,000,000" in text
    assert "$" not in text.replace("$1", "").replace("$9", "")  # never "12,000,000 $" nor "95 USD"
    assert "USD" not in text


def test_percentages_and_rates_read_as_the_language_writes_them(repo: GitRepo) -> None:
    """An English plan writes "2.6% → 2.8%" with no space, and a rate written 0.2 then 0.25 reads "20% → 25%",
    as the headline does; a French plan writes « 2,6 % »."""
    repo.commit(plan(kpis={"cr": ("Conversion rate", "%", 2.6)}, rate="0.2"), tag="v1")
    repo.commit(plan(kpis={"cr": ("Conversion rate", "%", 2.8)}, rate="0.25"), tag="v2")
    text = diff("v1", "v2")
    assert "Conversion rate: target 2.6% → 2.8%" in summary(text)
    assert "Rate Meetings → Clients  20% → 25%" in text
    assert " %" not in text and "0.2 " not in text
    repo.commit(plan(language="fr", kpis={"cr": ("Taux de conversion", "%", 2.6)}), tag="v3")
    repo.commit(plan(language="fr", kpis={"cr": ("Taux de conversion", "%", 2.8)}), tag="v4")
    assert "Taux de conversion : cible 2,6 % → 2,8 %" in summary(diff("v3", "v4"))


def test_dates_read_in_the_locale_and_the_comment_opens_with_a_sentence(repo: GitRepo) -> None:
    """An action moved a month: "Due date Mar 31, 2026 → Apr 30, 2026", in the headline too (a decision), not
    ISO dates; the pull-request comment opens with a sentence saying what changed, not a bare "**1 changed**"."""
    repo.commit(plan(), tag="v1")
    repo.commit(plan(action_due="2026-04-30"), tag="v2")
    text = diff("v1", "v2")
    assert summary(text) == "Call every lead within a day: due date Mar 31, 2026 → Apr 30, 2026"
    assert "Due date  Mar 31, 2026 → Apr 30, 2026" in text
    markdown = diff("v1", "v2", "--format", "markdown")
    assert markdown.startswith("Plan `v1` → `v2`, compared as strategy: **1 entity changed**.\n\n- Call")


def test_a_new_bottleneck_is_in_the_headline(repo: GitRepo) -> None:
    """Measurements show a stage converting far below plan: the headline says "Acquisition: bottleneck now at
    meetings" (a finding a board wants), not only the folded details."""
    data = "date,value\n2026-01-31,900\n2026-10-31,1000\n"
    meetings = "date,value\n2026-01-31,2\n2026-10-31,3\n"
    files = [plan() for _ in range(2)]
    for side in files:
        side["funnels/acquisition.yaml"] = side["funnels/acquisition.yaml"].replace(
            "title: Prospects", "title: Prospects\n    kpi: prospects").replace(
            "title: Meetings", "title: Meetings\n    kpi: meetings")
        side["objectives/growth.md"] = side["objectives/growth.md"].replace("actions:", KPI.format(
            id="prospects", title="Prospects", unit="prospects", target=2000) + "    data: data/prospects.csv\n"
            "    measure: cumulative\n" + KPI.format(id="meetings", title="Meetings", unit="meetings", target=40)
            + "    data: data/meetings.csv\n    measure: cumulative\nactions:")
    files[0]["data/prospects.csv"] = "date,value\n2026-01-31,900\n"
    files[0]["data/meetings.csv"] = "date,value\n2026-01-31,18\n"
    files[1]["data/prospects.csv"] = data
    files[1]["data/meetings.csv"] = meetings
    repo.commit(files[0], tag="v1")
    repo.commit(files[1], tag="v2")
    assert "Acquisition: bottleneck now at meetings" in summary(diff("v1", "v2"))


def test_a_french_cost_per_unit_names_one_new_client(repo: GitRepo) -> None:
    """A funnel whose last stage is « Nouveaux clients » costs « Coût par nouveau client », not « Coût par
    nouveaux client », in the diff and in `strategy funnel`."""
    files = [plan(language="fr", rate=rate) for rate in ("1/5", "1/4")]
    for side in files:
        side["funnels/acquisition.yaml"] = side["funnels/acquisition.yaml"].replace(
            "title: Clients", "title: Nouveaux clients")
    repo.commit(files[0], tag="v1")
    repo.commit(files[1], tag="v2")
    assert "Coût par nouveau client" in diff("v1", "v2")
    result = CliRunner().invoke(main, ["funnel", "content", "--today", TODAY])
    assert "coût par résultat (nouveau client)" in result.stdout


def test_the_funnel_table_writes_every_rate_as_a_percentage(repo: GitRepo) -> None:
    """`strategy funnel` writes rates written "9 %" and "0.5" as the language does, "9%" and "50%", in one
    column, not each as it was typed."""
    files = plan(rate="0.5")
    files["funnels/acquisition.yaml"] = files["funnels/acquisition.yaml"].replace('rate: "1/50"', 'rate: "9 %"')
    repo.write(files)
    out = CliRunner().invoke(main, ["funnel", "content", "--today", TODAY]).stdout
    rates = {line.split()[0]: line.split()[1] for line in out.splitlines()[2:5]}
    assert rates == {"Prospects": "–", "Meetings": "9%", "Clients": "50%"}


def site_text(repo: GitRepo, rel: str) -> str:
    html = (repo.root / "output" / rel).read_text(encoding="utf-8")
    return " ".join(html.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_the_history_counts_agree_with_their_number_in_french(repo: GitRepo) -> None:
    """A French history page reads « 2 modifiés », as the changes page and the terminal do, not « 2 modifié »."""
    repo.commit(plan(language="fr"), tag="v1")
    repo.commit(plan(language="fr", goal=8, target=30), tag="v2")
    result = CliRunner().invoke(main, ["build", "content", "--all-versions", "--today", TODAY])
    assert result.exit_code == 0, result.output
    history = site_text(repo, "history.html")
    assert "2 modifiés</span>" in history and "2 modifié</span>" not in history


def test_the_site_links_the_decisions_its_headline_leaves_out(repo: GitRepo) -> None:
    """Eight decisions between two versions: the changes page lists six, then "+ 2 more decisions" linking to the
    details below it, and the history links the same words to that changes page."""
    kpis = {f"k{i}": (f"Metric {i}", "leads", 100) for i in range(1, 8)}
    repo.commit(plan(kpis=kpis), tag="v1")
    repo.commit(plan(kpis={k: (title, unit, 200) for k, (title, unit, _) in kpis.items()}, target=30), tag="v2")
    result = CliRunner().invoke(main, ["build", "content", "--all-versions", "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert '<li><a href="#change-1">+ 2 more decisions</a></li>' in site_text(repo, "changes/v1..v2.html")
    # the history card counts every change it leaves off, the computed ones too (its own test below)
    assert re.search(r'<li><a href="changes/v1\.\.v2\.html">… and \d+ more changes</a></li>',
                     site_text(repo, "history.html"))


def test_the_history_card_names_each_change_and_counts_the_rest(repo: GitRepo) -> None:
    """The history page's card says what changed, not only "N changed": the decisions as the headline says them,
    then the entities whose computed values alone moved with their change, and "… and N more changes"."""
    kpis = {f"k{i}": (f"Metric {i}", "leads", 100) for i in range(1, 8)}
    repo.commit(plan(kpis=kpis), tag="v1")
    repo.commit(plan(kpis={k: (title, unit, 200) for k, (title, unit, _) in kpis.items()}, target=30), tag="v2")
    view = diff_view(compare_revisions(Path("content"), "v1", "v2", __import__("datetime").date(2026, 11, 23)))
    assert view["named"] == view["highlights"]  # six decisions fill the card
    assert view["named_more"].startswith("… and ") and view["named_more"].endswith(" more changes")


@pytest.mark.parametrize(("language", "first"), [
    ("en", "First version: the plan as it was first tagged."),
    ("fr", "Première version : le plan tel qu'il a été étiqueté pour la première fois.")])
def test_the_oldest_version_card_says_it_is_the_first(repo: GitRepo, language: str, first: str) -> None:
    """The history page's oldest card (v1) was empty under its title; it says it is the first version, in the
    plan's language, and only that card does (tester 19, item 11c)."""
    repo.commit(plan(language=language), tag="v1")
    repo.commit(plan(language=language, target=30), tag="v2")
    result = CliRunner().invoke(main, ["build", "content", "--all-versions", "--today", TODAY])
    assert result.exit_code == 0, result.output
    history = site_text(repo, "history.html").replace("&#39;", "'")
    cards = re.findall(r'<li class="card">(.*?)</li>\s*(?=<li class="card">|</ol>)', history)
    assert [first in card for card in cards] == [False, False, True]  # current version, v2, v1
    assert '<a href="v/v1/index.html">v1</a>' in cards[-1]

"""The diff's summary says why a computed value moved (issue 13, item 4): every changed field it is computed
from, and only those, with entities and stages named by their titles, in the plan's language — in
`strategy diff` text and Markdown and on the changes pages of `build --all-versions`.

Every test builds a real git repository; the plan is a funnel whose id (`acquisition`) differs from its title.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.test_gitsource import GitRepo, base_plan

TODAY = "2026-11-23"
FUNNELS = {
    "en": ("Lead to client", ("Prospects", "Meetings", "Clients")),
    "fr": ("Tunnel de vente", ("Prospects identifiés", "Rendez-vous qualifiés", "Clients signés")),
}
FUNNEL = """\
title: {title}
goal: {goal}
stages:
  - id: prospects
    title: {stages[0]}
  - id: meetings
    title: {stages[1]}
    rate: "{top_rate}"
    cost: {cost}
  - id: clients
    title: {stages[2]}
    rate: "{rate}"
"""


def plan(language: str = "en", *, goal: int = 5, rate: str = "1/5", top_rate: str = "1/50", cost: int = 10,
         due: str | None = None, target: int = 20, data: str | None = None) -> dict[str, str]:
    """base_plan in `language`, its funnel titled apart from its id, with the fields the tests move."""
    files = base_plan(target=target)
    files["strategy.yaml"] = files["strategy.yaml"].replace("language: en", f"language: {language}")
    title, stages = FUNNELS[language]
    files["funnels/acquisition.yaml"] = FUNNEL.format(title=title, goal=goal, stages=stages, rate=rate,
                                                      top_rate=top_rate, cost=cost) + (f"due: {due}\n" if due else "")
    if data is not None:
        files["data/new-clients.csv"] = data
    return files


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    return repo


def diff(*args: str) -> str:
    result = CliRunner().invoke(main, ["diff", *args, "--today", TODAY])
    assert result.exit_code == 0, result.output
    return result.stdout


def summary(text: str) -> str:
    """The text output's summary sentences (the bullets under the counts, each with the lines it is wrapped
    onto) on one line, spaces made plain."""
    bullets: list[str] = []
    for line in text.splitlines():
        if line.startswith("  • "):
            bullets.append(line.strip().removeprefix("• "))
        elif bullets and line.startswith("    ") and not line.strip().startswith(("~", "+", "-")):
            bullets[-1] += " " + line.strip()
        elif bullets and not line.strip():
            break
    return "; ".join(bullets).replace("\u202f", " ").replace("\u00a0", " ")


def headline(markdown: str) -> str:
    """The pull-request comment's summary: its counts and the bullets under them, spaces made plain."""
    head = markdown.split("\n\n<details>")[0].rstrip("\n")
    return head.replace("\u202f", " ").replace("\u00a0", " ")


def versions(repo: GitRepo, old: dict[str, Any], new: dict[str, Any]) -> None:
    repo.commit(old, tag="v1")
    repo.commit(new, tag="v2")


def test_goal_and_rate_both_named_in_english(repo: GitRepo) -> None:
    """Goal 5 → 8 and the meetings → clients rate 1/5 → 25 % in one change: the summary names both, the funnel
    and the stages by their titles, then the top of the funnel: "Lead to client: goal 5 clients → 8 clients and rate
    meetings → clients 20% → 25%, so prospects needed 1,250 → 1,600", in the text and the comment."""
    versions(repo, plan(goal=5), plan(goal=8, rate="25%"))
    said = ("Lead to client: goal 5 clients → 8 clients and rate meetings → clients 20% → 25%, "
            "so prospects needed 1,250 → 1,600")
    assert summary(diff("v1", "v2")) == said
    assert headline(diff("v1", "v2", "--format", "markdown")) == (
        f"Plan `v1` → `v2`, compared as strategy: **1 entity changed**.\n\n- {said}")
    assert "acquisition:" not in summary(diff("v1", "v2"))


def test_goal_and_rate_both_named_in_french(repo: GitRepo) -> None:
    """The same change in a French plan reads « Tunnel de vente : but 5 clients signés → 8 clients signés et taux
    rendez-vous qualifiés → clients signés 20 % → 25 %, donc prospects identifiés nécessaires 1 250 → 1 600 »,
    with French numbers, in the text and the comment."""
    versions(repo, plan("fr", goal=5), plan("fr", goal=8, rate="25%"))
    said = ("Tunnel de vente : but 5 clients signés → 8 clients signés et taux rendez-vous qualifiés → clients signés "
            "20 % → 25 %, donc prospects identifiés nécessaires 1 250 → 1 600")
    assert summary(diff("v1", "v2")) == said
    assert headline(diff("v1", "v2", "--format", "markdown")) == (
        f"Plan `v1` → `v2`, comparé comme stratégie : **1 entité modifiée**.\n\n- {said}")


def test_one_cause_alone(repo: GitRepo) -> None:
    """A goal change alone names the goal alone: "Lead to client: goal 5 clients → 8 clients, so prospects needed
    1,250 → 2,000" — no rate, as none moved."""
    versions(repo, plan(goal=5), plan(goal=8))
    assert summary(diff("v1", "v2")) == "Lead to client: goal 5 clients → 8 clients, so prospects needed 1,250 → 2,000"


def test_a_rate_alone_and_only_what_it_feeds(repo: GitRepo) -> None:
    """The prospects → meetings rate 2 % → 2,5 % with the meetings' cost 10 → 12: the top need names the rate
    (not the goal, not the cost); the budget names the cost alone, as that rate is above the meetings and does
    not change how many are needed."""
    versions(repo, plan("fr"), plan("fr", top_rate="2.5%", cost=12))
    text = diff("v1", "v2")
    assert summary(text) == (
        "Tunnel de vente : taux prospects identifiés → rendez-vous qualifiés 2 % → 2,5 %, donc prospects "
        "identifiés nécessaires 1 250 → 1 000; Tunnel de vente : coût unitaire des rendez-vous qualifiés "
        "10 € → 12 €, donc budget 250 € → 300 €")
    assert "but " not in summary(text)


def test_a_rate_below_the_top_moves_the_top_in_english(repo: GitRepo) -> None:
    """A rate at the bottom of the funnel changes every need above it: the summary shows the top stage's need."""
    versions(repo, plan(), plan(rate="1/4"))
    assert summary(diff("v1", "v2")) == ("Lead to client: rate meetings → clients 20% → 25%, "
                                         "so prospects needed 1,250 → 1,000")


def test_a_change_with_no_computed_effect_says_no_cause(repo: GitRepo) -> None:
    """A due date and a KPI target that move no computed value are said as they are, with no "so", each a
    decision of its own: "New clients: target 20 clients → 30 clients; Lead to client: due date – → Dec 31, 2026"
    (the date as the locale writes it, in the summary and in the funnel's table)."""
    versions(repo, plan(), plan(due="2026-12-31", target=30))
    text = diff("v1", "v2")
    assert summary(text) == "New clients: target 20 clients → 30 clients; Lead to client: due date – → Dec 31, 2026"
    assert "Due date  – → Dec 31, 2026" in text  # the funnel's change is in its table, named in words


def test_a_target_that_changes_a_status_says_so(repo: GitRepo) -> None:
    """Raising a target the measurements no longer keep up with reads « Nouveaux clients : cible 20 clients →
    30 clients,
    donc statut … → … » in a French plan, the KPI named by its title and the statuses in French."""
    data = "date,value\n2026-01-31,2\n2026-06-30,9\n2026-10-31,18\n"
    files = [plan("fr", target=target, data=data) for target in (20, 30)]
    for files_of_side in files:
        files_of_side["objectives/growth.md"] = files_of_side["objectives/growth.md"].replace(
            "title: New clients", "title: Nouveaux clients")
    versions(repo, *files)
    line = summary(diff("v1", "v2"))
    assert re.match(r"Nouveaux clients : cible 20 clients → 30 clients, "
                    r"donc statut en bonne voie → (à risque|en retard)",
                    line), line


def test_a_data_refresh_reads_as_actuals_and_statuses_moving(repo: GitRepo) -> None:
    """A change of data alone (a refreshed CSV) reads as what the KPI now measures and what it did to its status,
    « Nouveaux clients : réel 9 clients → 21 clients, donc statut … → atteint », not as a count of rows; the
    funnel stage the KPI feeds shows its volume so far moving in the details, named by the stage."""
    old = "date,value\n2026-01-31,2\n2026-06-30,9\n"
    new = old + "2026-10-31,21\n"
    files = [plan("fr", target=20, data=data) for data in (old, new)]
    for side in files:
        side["objectives/growth.md"] = side["objectives/growth.md"].replace("title: New clients",
                                                                            "title: Nouveaux clients")
        side["funnels/acquisition.yaml"] = side["funnels/acquisition.yaml"].replace(
            "title: Clients signés", "title: Clients signés\n    kpi: new-clients")
    versions(repo, *files)
    text = diff("v1", "v2")
    line = summary(text)
    assert re.search(r"Nouveaux clients : réel 9 clients → 21 clients, donc statut [^;]+ → atteint", line), line
    assert "Clients signés à ce jour 11 → 32" in text


# --- the changes pages of build --all-versions --------------------------------------------------


def changes_page(repo: GitRepo) -> tuple[list[str], list[str]]:
    """The summary items of changes/v1..v2.html and of history.html, as a reader sees them (spaces plain)."""
    result = CliRunner().invoke(main, ["build", "content", "--all-versions", "--today", TODAY])
    assert result.exit_code == 0, result.output

    def items(rel: str) -> list[str]:
        html = (repo.root / "output" / rel).read_text(encoding="utf-8")
        return [" ".join(re.sub(r"<[^>]+>", " ", li).replace("&#39;", "'").split())
                for li in re.findall(r"<li>(.*?)</li>", html, flags=re.S)]

    return items("changes/v1..v2.html"), items("history.html")


def test_the_changes_page_names_both_causes_in_french(repo: GitRepo) -> None:
    """On a French site the changes page and the history say « Tunnel de vente : but 5 clients signés →
    8 clients signés et taux rendez-vous qualifiés → clients signés 20 % → 25 %, donc prospects identifiés
    nécessaires 1 250 → 1 600 »."""
    versions(repo, plan("fr", goal=5), plan("fr", goal=8, rate="25%"))
    repo.write(plan("fr", goal=8, rate="25%"))
    page, history = changes_page(repo)
    said = ("Tunnel de vente : but 5 clients signés → 8 clients signés et taux rendez-vous qualifiés → clients signés "
            "20 % → 25 %, donc prospects identifiés nécessaires 1 250 → 1 600")  # narrow spaces shown as spaces
    assert said in page
    assert said in history


def test_the_changes_page_names_a_rate_alone_in_english(repo: GitRepo) -> None:
    """On an English site, a rate alone: "Lead to client: rate meetings → clients 20% → 25%, so prospects needed
    1,250 → 1,000"."""
    versions(repo, plan(), plan(rate="1/4"))
    repo.write(plan(rate="1/4"))
    page, _ = changes_page(repo)
    assert "Lead to client: rate meetings → clients 20% → 25%, so prospects needed 1,250 → 1,000" in page


def test_the_comment_escapes_titles_in_its_summary(repo: GitRepo) -> None:
    """A funnel and stage titled with links, images and mentions cannot abuse the pull-request comment's summary
    line: the goal's unit (the last stage's title) and the stages named in the causes are escaped too."""
    hostile = "[click](https://evil.example) @team"
    old, new = plan(goal=5), plan(goal=8, rate="25%")
    for files in (old, new):
        files["funnels/acquisition.yaml"] = files["funnels/acquisition.yaml"].replace(
            "title: Clients", f"title: '{hostile}'").replace("title: Lead to client", f"title: '{hostile}'")
    versions(repo, old, new)
    first = headline(diff("v1", "v2", "--format", "markdown"))
    assert "](https" not in first and "@team" not in first
    assert first.count(r"\[click\]") == 4  # the funnel, the goal's unit on both sides and the rate's stage


def test_the_comment_shows_the_top_of_every_changed_funnel(repo: GitRepo) -> None:
    """Three funnels whose goals moved: the comment's summary line, short as it is, gives the top need of each."""
    def three(goal: int) -> dict[str, str]:
        files = plan(goal=goal)
        for name in ("Partners", "Resellers"):
            files[f"funnels/{name.lower()}.yaml"] = files["funnels/acquisition.yaml"].replace("Lead to client", name)
        return files

    versions(repo, three(5), three(8))
    first = headline(diff("v1", "v2", "--format", "markdown"))
    for name in ("Lead to client", "Partners", "Resellers"):
        assert f"{name}: goal 5 clients → 8 clients, so prospects needed 1,250 → 2,000" in first


def test_offsetting_changes_still_show_the_top_of_the_funnel(repo: GitRepo) -> None:
    """Goal 5 → 8 and meetings → clients 1/5 → 8/25: as many prospects needed as before. The summary (and
    the two-line comment) still names both changes and says the top of the funnel stayed at 1,250, rather
    than dropping the rate change."""
    versions(repo, plan(), plan(goal=8, rate="8/25"))
    line = summary(diff("v1", "v2"))
    assert line.startswith("Lead to client: goal 5 clients → 8 clients and rate meetings → clients 20% → 32%, so "
                           "prospects needed unchanged at 1,250"), line
    comment = headline(diff("v1", "v2", "--format", "markdown"))
    assert "20% → 32%" in comment and "unchanged at 1,250" in comment


def test_a_french_diff_is_french_throughout(repo: GitRepo) -> None:
    """A French plan's diff names its fields in words (« Besoin en prospects identifiés », « Taux Prospects
    identifiés → Rendez-vous qualifiés »), counts and notes in French (« 1 modifié », « (calculé) »), and puts
    the unit on both sides of the arrow, in the text and in the comment's tables."""
    versions(repo, plan("fr", goal=5, top_rate="1/50"), plan("fr", goal=8, top_rate="1/40"))
    text = diff("v1", "v2").replace("\u202f", " ").replace("\u00a0", " ")
    assert text.splitlines()[0] == "v1 → v2 : 1 modifié"
    assert "Besoin en prospects identifiés" in text and "(calculé)" in text
    assert "But" in text and "5 clients signés → 8 clients signés" in text
    markdown = diff("v1", "v2", "--format", "markdown").replace("\u202f", " ").replace("\u00a0", " ")
    assert markdown.startswith("Plan `v1` → `v2`, comparé comme stratégie : **1 entité modifiée**.\n\n"
                               "- Tunnel de vente : ")
    assert "| champ | avant | après |" in markdown
    assert "| Taux Prospects identifiés → Rendez-vous qualifiés | 2 % | 2,5 % |" in markdown  # rates as percentages
    assert "need." not in markdown and "stages." not in markdown


# --- an objective moved by its KPI's decision (tester 19, defect 5) ------------------------------


def _raised_target(repo: GitRepo, language: str) -> None:
    """v1 → v2, tagged in November (a version's site is computed as of its tag's day): the objective's one KPI
    has its target raised from 20 to 30 clients, nothing else written."""
    data = "date,value\n2026-01-31,2\n2026-06-30,9\n2026-10-31,18\n"
    for day, (tag, target) in enumerate((("v1", 20), ("v2", 30)), start=20):
        repo.commit(plan(language, target=target, data=data), tag=tag, when=f"2026-11-{day}T12:00:00+00:00")


def test_an_objective_moved_by_its_kpi_target_says_so_in_french(repo: GitRepo) -> None:
    """A French `strategy diff` says the objective's progress fell because its KPI's target went up, « Grow :
    statut en bonne voie → en retard et avancement 90 % → 60 %, car l'indicateur « New clients » a changé :
    cible 20 clients → 30 clients », both in the summary and beside its row, and no longer counts it among the
    entities only time or new data moved."""
    _raised_target(repo, "fr")
    text = diff("v1", "v2").replace("\u202f", " ")
    assert re.search(r"Grow : statut en bonne voie → en retard et avancement 90 % → 60 %, "
                     r"car l'indicateur « New clients » a changé : cible 20 clients → 30 clients", summary(text)), text
    assert re.search(r"\n +Avancement +90 % → 60 % +\(calculé, car l'indicateur "
                     r"«\u00a0New clients\u00a0» a changé : cible 20 clients → 30 clients\)", text), text
    assert "seules les valeurs calculées" not in text


def test_an_objective_moved_by_its_kpi_target_says_so_in_the_comment(repo: GitRepo) -> None:
    """The pull-request comment lists the objective with the decisions, its progress row reading "(computed,
    because KPI “New clients” changed: target 20 clients → 30 clients)", not in the folded table of values that
    moved alone."""
    _raised_target(repo, "en")
    markdown = diff("v1", "v2", "--format", "markdown")
    assert re.search(r"- Grow: status on track → off track and progress 90% → 60%, "
                     r"because KPI “New clients” changed: target 20 clients → 30 clients\n", markdown), markdown
    assert re.search(r"\| Progress \*\(computed, because KPI “New clients” changed: target 20 clients → 30 clients"
                     r"\)\* \| 90% \| 60% \|", markdown), markdown
    assert "computed values only moved" not in markdown


def test_the_changes_page_and_history_name_the_kpi_that_moved_an_objective(repo: GitRepo) -> None:
    """On the site, the changes page shows the objective among the edits with "(computed, because KPI “New
    clients” changed: target 20 clients → 30 clients)" beside its progress, not under "Computed values that
    moved … as time passed or new data came in"; the history card says it once, with its cause."""
    _raised_target(repo, "en")
    changes, history = changes_page(repo)
    page = " ".join((repo.root / "output" / "changes" / "v1..v2.html").read_text(encoding="utf-8").split())
    assert re.search(r"Progress <small class=\"muted\">\(computed, because KPI “New clients” changed: target "
                     r"20 clients → 30 clients\)</small>", page), page
    assert 'id="moved"' not in page
    said = [item for item in history if item.startswith("Grow:")]
    assert len(said) == 1 and re.fullmatch(r"Grow: status on track → off track and progress 90% → 60%, "
                                           r"because KPI “New clients” changed: target 20 clients → 30 clients",
                                           said[0]), history
    assert said[0] in changes

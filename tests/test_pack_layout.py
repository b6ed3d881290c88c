"""The board pack's layout as a board member turns its pages (issue 14, item 3, and the held-out review of
2026-12-03): a one-page summary whatever the plan's size, each chart titled by its KPI, what "changes since"
compares, and where the PDF lands."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.test_gitsource import SETTINGS, GitRepo, base_plan
from tests.test_pack import pack, page_texts

pypdf = pytest.importorskip("pypdf")

FUNNEL = """\
title: Channel {n}
goal: 40
stages:
{stages}
"""

OBJECTIVE = """\
---
title: Objective number {n} with a title long enough to take a line of the table
due: 2026-12-31
actions:
{actions}
---
"""




def large_plan() -> dict[str, str]:
    """Twenty-four objectives with three late actions each, and five funnels of six stages."""
    files = {"strategy.yaml": SETTINGS.format(title="A large plan")}
    for n in range(1, 25):
        actions = "".join(f"  - title: Late action {n}.{a} with a rather long title to wrap in its cell\n"
                          f"    owner: Someone Withalongname\n    due: 2026-0{a}-15\n" for a in range(1, 4))
        files[f"objectives/o{n:02d}.md"] = OBJECTIVE.format(n=n, actions=actions)
    for n in range(1, 6):
        stages = "".join(f"  - id: s{s}\n    title: Stage {s} of channel {n}\n"
                         + ('    rate: "1/2"\n' if s > 1 else "") for s in range(1, 7))
        files[f"funnels/f{n}.yaml"] = FUNNEL.format(n=n, stages=stages)
    return files


def test_the_summary_of_a_large_plan_fits_one_page_and_says_what_it_left_off(tmp_path: Path) -> None:
    """A plan with 24 objectives, 5 funnels and 72 late actions still gets its summary on one page (page 2, the
    first objective on page 3), with "… and N more" for the objectives, funnels and actions it leaves off."""
    repo = GitRepo(tmp_path / "repo")
    repo.write(large_plan())
    out = tmp_path / "pack.pdf"
    code, _, stderr = pack(str(repo.plan), "-o", str(out), "--today", "2026-11-23")
    assert code == 0, stderr
    pages = page_texts(out)
    assert pages[1].startswith("Summary")
    assert pages[2].startswith("Objective number "), pages[2][:200]
    summary = pages[1]
    assert "more objectives: see their pages." in summary
    assert "more funnels: see their pages." in summary
    assert "more actions: see the objective pages." in summary


def test_a_small_plan_keeps_every_row_of_its_summary(tmp_path: Path) -> None:
    """A small plan's summary leaves nothing off: no "… and N more"."""
    repo = GitRepo(tmp_path / "repo")
    repo.write(base_plan())
    out = tmp_path / "pack.pdf"
    code, _, stderr = pack(str(repo.plan), "-o", str(out), "--today", "2026-11-23")
    assert code == 0, stderr
    summary = page_texts(out)[1]
    assert summary.startswith("Summary") and "more" not in summary


def test_the_summary_uses_its_page_for_as_many_objectives_as_fit(tmp_path: Path) -> None:
    """Sixteen objectives and nothing else fit one summary page: the summary lists all sixteen and says no
    "… and 4 more objectives" on a half-empty page."""
    repo = GitRepo(tmp_path / "repo")
    files = {"strategy.yaml": SETTINGS.format(title="A plan of sixteen objectives")}
    for n in range(1, 17):
        files[f"objectives/o{n:02d}.md"] = f"---\ntitle: Objective {n}\ndue: 2026-12-31\n---\n"
    repo.write(files)
    out = tmp_path / "pack.pdf"
    code, _, stderr = pack(str(repo.plan), "-o", str(out), "--today", "2026-11-23")
    assert code == 0, stderr
    summary = page_texts(out)[1]
    assert summary.startswith("Summary") and "more objectives" not in summary, summary
    assert all(f"Objective {n} " in summary for n in range(1, 17)), summary


TWO_KPIS = """\
---
title: Vendre plus
due: 2026-12-31
kpis:
  - id: clients
    title: Nouveaux clients signés
    unit: clients
    baseline: 0
    target: 20
  - id: devis
    title: Devis envoyés par mois
    unit: devis
    baseline: 10
    target: 30
---
"""


def test_each_chart_of_an_objective_page_is_titled_by_its_kpi(make_plan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """With two KPIs on an objective's page, each chart says which KPI it draws: its title and unit above it,
    in the order of the KPI table."""
    plan = make_plan({"objectives/vendre.md": TWO_KPIS,
                      "data/clients.csv": "date,value\n2026-01,2\n2026-02,4\n",
                      "data/devis.csv": "date,value\n2026-01,12\n2026-02,14\n"})
    out = tmp_path / "pack.pdf"
    code, _, stderr = pack(str(plan), "-o", str(out), "--today", "2026-03-15")
    assert code == 0, stderr
    page = next(text for text in page_texts(out) if text.startswith("Vendre plus"))
    first, second = page.find("Nouveaux clients signés (clients)"), page.find("Devis envoyés par mois (devis)")
    assert 0 < first < second, page


def test_the_changes_since_the_last_tag_say_when_they_include_edits_not_yet_committed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pack shows the plan as it is on disk, and so do its changes: with edits not yet committed, the
    summary's heading says so; once they are committed, it says "Changes since v1" alone."""
    repo = GitRepo(tmp_path / "repo")
    repo.commit(base_plan(goal=5), tag="v1")
    repo.write(base_plan(goal=8))
    monkeypatch.chdir(repo.root)
    code, _, stderr = pack("content", "--today", "2026-11-23", "-o", "edited.pdf")
    assert code == 0, stderr
    assert "Changes since v1, including changes not yet committed 1 entity changed" in page_texts(
        repo.root / "edited.pdf")[1]
    repo.commit(base_plan(goal=8))
    code, _, stderr = pack("content", "--today", "2026-11-23", "-o", "committed.pdf")
    assert code == 0, stderr
    summary = page_texts(repo.root / "committed.pdf")[1]
    assert "Changes since v1 1 entity changed" in summary and "not yet committed" not in summary


def test_the_pack_lands_in_output_which_a_new_plans_gitignore_covers_and_a_build_keeps(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a plan made by `strategy init`, `strategy pack` writes output/board-pack.pdf (not the repository's
    root), git ignores it, and a `strategy build` afterwards neither refuses the folder nor drops the PDF."""
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(tmp_path / "plan"), "--lang", "en"]).exit_code == 0
    monkeypatch.chdir(tmp_path / "plan")
    code, stdout, stderr = pack("--today", "2026-06-30")
    assert code == 0, stderr
    assert stdout.startswith("strategy pack: wrote output/board-pack.pdf, ")
    assert not Path("board-pack.pdf").exists()
    ignored = subprocess.run(["git", "check-ignore", "output/board-pack.pdf"], capture_output=True, text=True)
    assert ignored.stdout.strip() == "output/board-pack.pdf"
    built = runner.invoke(main, ["build", "--today", "2026-06-30"])
    assert built.exit_code == 0, built.output
    assert Path("output/board-pack.pdf").read_bytes().startswith(b"%PDF-")
    assert Path("output/index.html").exists()

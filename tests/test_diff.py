"""`strategy diff`: two revisions of a plan compared as strategy objects (issue 4, items 2, 5, 6).

Every test builds a real git repository with tagged revisions of a small plan.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.diff.compare import compare_revisions
from generator.diff.format import MARKDOWN_LIMIT, diff_markdown, diff_text, markdown_text
from tests.test_gitsource import GitRepo, base_plan

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    return repo


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["diff", *args, "--today", "2026-11-23"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def diff_json(*args: str) -> dict[str, Any]:
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def change(payload: dict[str, Any], kind: str, ident: str) -> dict[str, Any]:
    return next(c for c in payload["changes"] if c["kind"] == kind and c["id"] == ident)


def fields(entry: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {f["path"]: (f["old"], f["new"]) for f in entry["fields"]}


def test_a_new_goal_lists_every_recomputed_need(repo: GitRepo) -> None:
    """Goal 5 → 8 clients shows need.prospects 1250 → 2000, need.meetings 25 → 40 and the budget, in SPEC JSON."""
    repo.commit(base_plan(goal=5), tag="v1")
    repo.commit(base_plan(goal=8), tag="v2")
    payload = diff_json("v1", "v2")
    assert list(payload) == ["old", "new", "summary", "changes"]
    assert payload["old"] == "v1" and payload["new"] == "v2"
    assert payload["summary"] == {"added": 0, "removed": 0, "changed": 1}
    funnel = change(payload, "funnel", "acquisition")
    assert list(funnel) == ["kind", "id", "op", "fields"]
    assert funnel["op"] == "changed"
    assert all(list(f) == ["path", "old", "new"] for f in funnel["fields"])
    assert fields(funnel) == {
        "goal": (5, 8),
        "need.prospects": (1250, 2000),
        "need.meetings": (25, 40),
        "need.clients": (5, 8),
        "budget": (250, 400),
    }


def test_entities_added_removed_and_changed(repo: GitRepo) -> None:
    """A new objective is added, a deleted persona removed (with the objective's KPI), a new title changed."""
    v1 = base_plan()
    v1["personas/buyer.md"] = "---\nname: Industrial buyer\nroles: x\n---\n".replace("roles: x\n", "")
    v1["objectives/old.md"] = "---\ntitle: Old aim\nkpis:\n  - {id: old-kpi, title: Old, target: 3}\n---\n"
    repo.commit(v1, tag="v1")
    v2 = base_plan(title="Renamed plan")
    v2["objectives/loyalty.md"] = "---\ntitle: Fidéliser\n---\nKeep clients.\n"
    repo.commit(v2, tag="v2")
    payload = diff_json("v1", "v2")
    ops = {(c["kind"], c["id"]): c["op"] for c in payload["changes"]}
    assert ops == {
        ("plan", "strategy"): "changed",
        ("objective", "loyalty"): "added",
        ("objective", "old"): "removed",
        ("kpi", "old-kpi"): "removed",
        ("persona", "buyer"): "removed",
    }
    assert payload["summary"] == {"added": 1, "removed": 3, "changed": 1}
    assert fields(change(payload, "plan", "strategy"))["title"] == ("Test plan", "Renamed plan")
    added = fields(change(payload, "objective", "loyalty"))
    assert added["title"] == (None, "Fidéliser") and added["body"] == (None, "Keep clients.")
    assert fields(change(payload, "persona", "buyer"))["name"] == ("Industrial buyer", None)
    kinds = [c["kind"] for c in payload["changes"]]
    assert kinds == sorted(kinds, key=["plan", "objective", "kpi", "action", "funnel", "persona"].index)


def test_an_action_keeps_its_identity_when_edited(repo: GitRepo) -> None:
    """Moving an action's due date, or rewording it slightly, is a change, not a removal and an addition."""
    repo.commit(base_plan(action_due="2026-03-31"), tag="v1")
    v2 = base_plan(action_due="2026-06-30")
    v2["objectives/growth.md"] = v2["objectives/growth.md"].replace(
        "Publish a case study", "Publish two case studies").replace(
        "---\nWhy", "  - title: Run a webinar\n---\nWhy")
    repo.commit(v2, tag="v2")
    payload = diff_json("v1", "v2")
    actions = {c["id"]: c for c in payload["changes"] if c["kind"] == "action"}
    assert actions["growth/call-every-lead-within-a-day"]["op"] == "changed"
    assert fields(actions["growth/call-every-lead-within-a-day"]) == {"due": ("2026-03-31", "2026-06-30")}
    assert actions["growth/publish-two-case-studies"]["op"] == "changed"
    assert fields(actions["growth/publish-two-case-studies"]) == {
        "title": ("Publish a case study", "Publish two case studies")}
    assert actions["growth/run-a-webinar"]["op"] == "added"
    assert len(actions) == 3


def test_a_rate_written_differently_is_not_a_change(repo: GitRepo) -> None:
    """"1/5" rewritten "20%" is the same rate; "1/50" → "1/40" is a change shown as written, with its needs."""
    repo.commit(base_plan(), tag="v1")
    v2 = base_plan()
    v2["funnels/acquisition.yaml"] = v2["funnels/acquisition.yaml"].replace('"1/5"', '"20%"')
    repo.commit(v2, tag="v2")
    v3 = dict(v2)
    v3["funnels/acquisition.yaml"] = v2["funnels/acquisition.yaml"].replace('"1/50"', '"1/40"')
    repo.commit(v3, tag="v3")
    assert diff_json("v1", "v2")["changes"] == []
    changed = fields(change(diff_json("v2", "v3"), "funnel", "acquisition"))
    assert changed == {"stages.meetings.rate": ("1/50", "1/40"), "need.prospects": (1250, 1000)}


def test_new_measurements_change_the_kpi_and_objective_status(repo: GitRepo) -> None:
    """Adding a KPI's data shows its measurements, actual value, status and progress, and the objective's."""
    repo.commit(base_plan(target=20), tag="v1")
    v2: dict[str, str | bytes | None] = dict(base_plan(target=20))
    v2["data/new-clients.csv"] = "date,value\n2026-01-31,2\n2026-06-30,9\n2026-10-31,18\n"
    repo.commit(v2, tag="v2")
    payload = diff_json("v1", "v2")
    kpi = fields(change(payload, "kpi", "new-clients"))
    assert kpi["measurements"] == (0, 3)
    assert kpi["actual"] == (None, 18)
    assert kpi["status"] == ("no-data", "on-track")
    assert kpi["progress"] == (None, 0.9)
    objective = fields(change(payload, "objective", "growth"))
    assert objective["status"] == ("no-data", "on-track")


def test_working_tree_against_head_by_default(repo: GitRepo) -> None:
    """`strategy diff` with no revision compares the uncommitted plan with HEAD."""
    repo.commit(base_plan(goal=5))
    repo.write(base_plan(goal=6))
    payload = diff_json()
    assert payload["old"] == "HEAD" and payload["new"] == "working tree"
    assert fields(change(payload, "funnel", "acquisition"))["goal"] == (5, 6)
    one_side = diff_json("HEAD")
    assert one_side["changes"] == payload["changes"]


def test_old_dot_dot_new_and_no_change(repo: GitRepo) -> None:
    """`v1..v2` works as in git, and two identical plans say there is no change."""
    repo.commit(base_plan(), tag="v1")
    repo.commit(base_plan(), tag="v2", message="no plan change")
    payload = diff_json("v1..v2")
    assert payload == {"old": "v1", "new": "v2", "summary": {"added": 0, "removed": 0, "changed": 0}, "changes": []}
    code, out, _ = run("v1", "v2")
    assert code == 0 and "no change" in out
    code, out, _ = run("v1", "v2", "--format", "markdown")
    assert out.startswith("**No change to the plan**")


def test_text_speaks_in_strategy_terms(repo: GitRepo) -> None:
    """The text output groups by entity and names fields in words, units on both sides of the arrow: 'Goal 5 clients
    → 8 clients', 'Prospects needed 1,250 → 2,000 (computed)'."""
    repo.commit(base_plan(goal=5), tag="v1")
    repo.commit(base_plan(goal=8), tag="v2")
    code, out, _ = run("v1", "v2")
    assert code == 0
    assert "\x1b[" not in out  # no colour when not on a terminal
    assert "~ funnel acquisition  Acquisition" in out
    assert "Acquisition: goal 5 clients → 8 clients, so prospects needed 1,250 → 2,000" in out
    lines = [line.split() for line in out.splitlines()]
    assert ["Goal", "5", "clients", "→", "8", "clients"] in lines
    assert ["Prospects", "needed", "1,250", "→", "2,000", "(computed)"] in lines
    coloured = diff_text(compare_revisions(Path("content"), "v1", "v2", TODAY), colour=True)
    assert "\x1b[33;1m~ funnel acquisition" in coloured


def test_markdown_summary_first_then_folded_tables(repo: GitRepo) -> None:
    """The PR comment starts with a plain-Markdown summary (counts, then one bullet per decision) a board update
    takes as it is, and folds each entity in <details> with a table."""
    repo.commit(base_plan(goal=5), tag="v1")
    v2 = base_plan(goal=8)
    v2["objectives/loyalty.md"] = "---\ntitle: Fidéliser\n---\n"
    repo.commit(v2, tag="v2")
    code, out, _ = run("v1", "v2", "--format", "markdown")
    assert code == 0
    assert out.startswith("Plan `v1` → `v2`, compared as strategy: **1 entity changed, 1 added**.\n\n"
                          "- Acquisition: goal 5 clients → 8 clients, so prospects needed 1,250 → 2,000\n"
                          "- objective “Fidéliser” added\n")
    summary = out.split("<details>")[0]
    assert "<" not in summary.replace("&lt;", "")  # no HTML in what is pasted
    assert out.count("<details>") == out.count("</details>") == 2
    assert "| Prospects needed *(computed)* | 1,250 | 2,000 |" in out


def test_markdown_escapes_everything_from_the_plan(repo: GitRepo) -> None:
    """Titles with pipes, HTML, links, images and mentions cannot break the table or abuse the comment."""
    repo.commit(base_plan(), tag="v1")
    v2 = base_plan()
    hostile = "a | b <script>alert(1)</script> [click](https://evil.example) ![img](https://evil.example/x.png) @team"
    v2["objectives/growth.md"] = v2["objectives/growth.md"].replace("title: Grow", f"title: '{hostile}'")
    repo.commit(v2, tag="v2")
    code, out, _ = run("v1", "v2", "--format", "markdown")
    assert code == 0
    for forbidden in ("<script>", "](https", "@team", "a | b"):
        assert forbidden not in out
    row = next(line for line in out.splitlines() if line.startswith("| Title |"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 4  # three cells: the plan's pipe is escaped
    assert r"a \| b &lt;script&gt;" in row
    assert markdown_text("x\ny") == "x<br>y"


def many_pages(count: int, size: int) -> dict[str, str]:
    files = base_plan()
    files.update({f"pages/page-{i:04}.md": f"---\ntitle: {'Long title ' * size}{i}\n---\n{'Text. ' * 50}\n"
                  for i in range(count)})
    return files


def test_markdown_never_exceeds_60000_characters(repo: GitRepo) -> None:
    """A huge change is cut before 60,000 characters, counts what is left and points to the site's full diff."""
    repo.commit(base_plan(), tag="v1")
    repo.commit(many_pages(600, 20), tag="v2")
    code, out, _ = run("v1", "v2", "--format", "markdown")
    assert code == 0
    assert len(out) <= MARKDOWN_LIMIT
    assert out.startswith("Plan `v1` → `v2`, compared as strategy: **600 added**.")
    assert "more changes not shown" in out
    assert "(https://example.org/plan/changes/v1..v2.html)" in out
    shown = out.count("</details>")
    assert 0 < shown < 600
    assert f"**{600 - shown} more changes not shown**" in out


def test_truncated_without_a_site_points_to_the_command(repo: GitRepo) -> None:
    """Against the working tree (no page on the site), the pointer is the command that shows everything."""
    repo.commit(base_plan(), tag="v1")
    repo.write(many_pages(600, 20))
    diff = compare_revisions(Path("content"), "v1", None, TODAY)
    out = diff_markdown(diff)
    assert len(out) <= MARKDOWN_LIMIT
    assert "Full diff: `strategy diff v1`" in out
    assert len(diff_markdown(diff, limit=5_000)) <= 5_000


def test_errors_are_clear_and_exit_2(tmp_path: Path, repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unknown revision (known tags listed), missing plan folder, not a repository: one message, exit 2."""
    repo.commit(base_plan(), tag="v1.0")
    code, out, err = run("v9")
    assert code == 2 and out == ""
    assert "unknown revision `v9`" in err and "v1.0" in err and "Traceback" not in err
    code, _, err = run("v1.0", "--plan", "elsewhere")
    assert code == 2 and "no plan folder `elsewhere`" in err
    outside = tmp_path / "outside"
    (outside / "content").mkdir(parents=True)
    monkeypatch.chdir(outside)
    code, _, err = run()
    assert code == 2 and "not inside a git repository" in err


def test_a_shallow_clone_asks_for_fetch_depth_0(tmp_path: Path, repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a shallow CI checkout, comparing with an old revision says to check out with fetch-depth: 0."""
    import subprocess

    repo.commit(base_plan(), tag="v1")
    repo.commit(base_plan(goal=8), tag="v2")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    monkeypatch.chdir(clone)
    code, _, err = run("HEAD~1", "HEAD")
    assert code == 2
    assert "shallow" in err and "fetch-depth: 0" in err


def test_a_plan_with_errors_at_one_revision_exits_1(repo: GitRepo) -> None:
    """When one side does not check, its diagnostics are printed, naming the revision, and the exit is 1."""
    bad = base_plan()
    bad["funnels/acquisition.yaml"] = bad["funnels/acquisition.yaml"].replace('"1/5"', '"150%"')
    repo.commit(bad, tag="v1")
    repo.commit(base_plan(), tag="v2")
    code, out, err = run("v1", "v2")
    assert code == 1 and out == ""
    assert "v1:content/funnels/acquisition.yaml\n" in err and "error" in err
    assert "Traceback" not in err


def test_the_html_view_holds_plain_strings_for_the_site(repo: GitRepo) -> None:
    """The site's changes page gets the same summary and rows as the text output, as plain strings."""
    from generator.diff.format import diff_view

    repo.commit(base_plan(goal=5), tag="v1")
    repo.commit(base_plan(goal=8), tag="v2")
    view = diff_view(compare_revisions(Path("content"), "v1", "v2", TODAY))
    assert view["counts"] == "1 changed"
    assert view["highlights"] == ["Acquisition: goal 5 clients → 8 clients, so prospects needed 1,250 → 2,000"]
    (section,) = view["sections"]
    assert section["id"] == "acquisition" and section["op"] == "changed"
    assert section["rows"][0] == {"field": "Goal", "path": "goal", "before": "5 clients", "after": "8 clients",
                                  "computed": False, "because": ""}
    assert section["rows"][1] == {"field": "Prospects needed", "path": "need.prospects", "before": "1,250",
                                  "after": "2,000", "computed": True, "because": ""}


def test_a_french_plan_gets_its_changes_in_french_on_the_site(repo: GitRepo) -> None:
    """On a French site the changes and history pages say what changed in French, with French numbers:
    « Acquisition : but 5 clients → 8 clients, donc prospects nécessaires 1 250 → 2 000 », and edited text
    counts « lignes », not English words among French labels."""
    from generator.diff.format import diff_view

    def french(**values: Any) -> dict[str, str]:
        files = base_plan(**values)
        files["strategy.yaml"] = files["strategy.yaml"].replace("language: en", "language: fr")
        return files

    old, new = french(goal=5), french(goal=8)
    new["objectives/growth.md"] += "\nUne ligne de plus.\n"
    repo.commit(old, tag="v1")
    repo.commit(new, tag="v2")
    view = diff_view(compare_revisions(Path("content"), "v1", "v2", TODAY))
    assert view["highlights"][0] == ("Acquisition\u202f: but 5 clients → 8 clients, "
                                     "donc prospects nécessaires 1\u202f250 → 2\u202f000")
    body = next(r for s in view["sections"] for r in s["rows"] if r["path"] == "body")
    assert body["before"] == "texte modifié (+2 −0 lignes)"  # a blank line and a sentence

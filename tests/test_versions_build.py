"""`strategy build --all-versions` (issue 4, part B; issue 5, item 7): every tag built from its own revision at
v/TAG/, the working tree at the root, versions.json, the switcher, the banner, the changes and history pages.

Every test builds a real git repository in a temporary folder (helpers from test_gitsource).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from generator.cache.render_memo import chart_key
from generator.cli import main
from generator.versions.build import ProgressEvent, VersionOutcome, build_all_versions
from generator.versions.cli import build_all, progress_line, summary_line
from tests.test_gitsource import DAY, JAN_1, GitRepo, base_plan

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    return repo


def two_versions(repo: GitRepo) -> None:
    """v1 (goal 5, target 20), v2 (goal 8, target 30) and a working tree with goal 10, target 35."""
    repo.commit(base_plan(goal=5, target=20, title="Plan 2026"), tag="v1", when=f"@{JAN_1 + 10 * DAY} +0000")
    repo.commit(base_plan(goal=8, target=30, title="Plan 2026, revised"), tag="v2", when=f"@{JAN_1 + 40 * DAY} +0000")
    repo.write(base_plan(goal=10, target=35, title="Plan 2026, today"))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["build", "content", "--all-versions", "--today", TODAY.isoformat(), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def page(repo: GitRepo, rel: str) -> str:
    return (repo.root / "output" / rel).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    """The text of a page, spaces collapsed (tags, scripts and the charts' drawings left out)."""
    html = re.sub(r"<script.*?</script>|<svg .*?</svg>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def test_two_tags_build_both_versions_with_json_switcher_changes_and_history(repo: GitRepo) -> None:
    """The issue's "done when": both versions, versions.json (SPEC §5, newest first), the switcher on every page,
    a banner on old versions only, the changes page and the history page."""
    two_versions(repo)
    code, _out, err = run()
    assert code == 0, err
    site = repo.root / "output"
    assert (site / "index.html").is_file()
    assert (site / "v/v1/index.html").is_file() and (site / "v/v2/objectives/growth.html").is_file()
    versions = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    commits = repo.git("rev-list", "--tags", "--no-walk", "--date-order").split()
    assert versions == [
        {"version": "v2", "title": "Plan 2026, revised", "date": "2026-02-10", "commit": commits[0]},
        {"version": "v1", "title": "Plan 2026", "date": "2026-01-11", "commit": commits[1]},
    ]
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert "changes/v1..v2.html" in pages and "history.html" in pages
    for rel in pages:
        html = page(repo, rel)
        assert 'class="versions"' in html, f"{rel} has no version switcher"
        banner = 'class="banner"' in html
        assert banner == rel.startswith("v/"), f"{rel}: banner {'shown' if banner else 'missing'}"
    assert not (site / "v/v1/static").exists(), "the versions share the root's static/"


def test_each_old_version_shows_its_own_numbers(repo: GitRepo) -> None:
    """The funnel of v1 needs 1,250 prospects (goal 5), v2 2,000 (goal 8), the current one 2,500 (goal 10); the
    KPI targets are each version's own."""
    two_versions(repo)
    assert run()[0] == 0
    needs = {rel: text_of(page(repo, rel)) for rel in
             ("v/v1/funnels/acquisition.html", "v/v2/funnels/acquisition.html", "funnels/acquisition.html")}
    assert "Prospects 2% (1/50) 1,250" not in needs["funnels/acquisition.html"]
    assert "1,250" in needs["v/v1/funnels/acquisition.html"] and "2,000" not in needs["v/v1/funnels/acquisition.html"]
    assert "2,000" in needs["v/v2/funnels/acquisition.html"]
    assert "2,500" in needs["funnels/acquisition.html"]
    assert "Plan 2026, revised" in text_of(page(repo, "v/v2/index.html"))
    assert "Plan 2026, today" in text_of(page(repo, "index.html"))


def test_an_old_version_is_evaluated_as_of_its_tag_date(repo: GitRepo) -> None:
    """An old version reads as it did when it was published: "Plan as of" its tag date, not today."""
    two_versions(repo)
    assert run()[0] == 0
    assert "Plan as of January 11, 2026" in text_of(page(repo, "v/v1/index.html"))
    assert "Plan as of November 23, 2026" in text_of(page(repo, "index.html"))


def test_the_banner_and_switcher_link_to_the_current_version(repo: GitRepo) -> None:
    """From an old version's page, the banner leads to the current site's dashboard and, without JavaScript,
    the switcher to the history page; the page loads versions.js from the site's root to list the versions."""
    two_versions(repo)
    assert run()[0] == 0
    html = page(repo, "v/v1/funnels/acquisition.html")
    banner = re.search(r'class="banner".*?href="([^"]+)"', html, re.S)
    assert banner and banner.group(1) == "../../../index.html"
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', html)
    assert links[0] == ("../../../history.html", "All versions")
    assert '<script src="../../../versions.js"></script>' in html


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and not (tag == "link" and ("rel", "canonical") in attrs):
                self.links.append(value)


def test_every_link_resolves_on_disk(repo: GitRepo) -> None:
    """Every href and src of every page (current, old versions, changes, history) is relative and names a file
    of the site, so the site opens from disk and from a sub-path."""
    two_versions(repo)
    assert run()[0] == 0
    assert broken_links(repo.root / "output") == []


def broken_links(site: Path) -> list[str]:
    """The links of the site's pages that name no file of the site (page: link)."""
    problems = []
    for file in site.rglob("*.html"):
        parser = _Links()
        parser.feed(file.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("/"):
                if parts.scheme not in ("http", "https", "mailto"):
                    problems.append(f"{file.relative_to(site)}: {link}")
                continue
            if not parts.path:
                continue
            target = (file.parent / unquote(parts.path)).resolve()
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                problems.append(f"{file.relative_to(site)}: {link}")
    return problems


def test_changes_page_lists_the_changed_fields(repo: GitRepo) -> None:
    """changes/v1..v2.html lists the funnel's goal 5 → 8 and its recomputed needs, the KPI target 20 → 30, and
    links the changed funnel to its page in v2."""
    two_versions(repo)
    assert run()[0] == 0
    html = page(repo, "changes/v1..v2.html")
    text = text_of(html)
    assert "Changes v1 → v2" in text
    assert "Goal 5 clients 8 clients" in text  # the field in words, the unit on both sides
    assert "Prospects needed (computed) 1,250 2,000" in text
    assert "Target 20 clients 30 clients" in text
    assert 'href="../v/v2/funnels/acquisition.html"' in html
    assert 'href="../v/v1/index.html"' in html and 'href="../v/v2/index.html"' in html


def test_changes_page_puts_edits_first_and_folds_what_only_moved_with_the_data(repo: GitRepo) -> None:
    """Between two monthly versions, the funnel someone edited comes first, with its section; the KPI whose
    computed values alone moved (a new month of measurements) is listed apart, folded and left out of the
    search index, with its values before and after."""
    data = "date,value\n2026-01,2\n"
    repo.commit({**base_plan(goal=5), "data/new-clients.csv": data}, tag="v1", when=f"@{JAN_1 + 40 * DAY} +0000")
    repo.commit({**base_plan(goal=8), "data/new-clients.csv": data + "2026-02,5\n"}, tag="v2",
                when=f"@{JAN_1 + 70 * DAY} +0000")
    assert run()[0] == 0
    html = page(repo, "changes/v1..v2.html")
    edited, _, moved = html.partition('<section aria-labelledby="moved" data-pagefind-ignore>')
    assert moved, "no section for the values that only moved"
    assert 'href="../v/v2/funnels/acquisition.html"' in edited
    assert edited.count('<section aria-labelledby="change-') == 1, "only the funnel has a section"
    folded = moved[moved.index("<details>"):moved.index("</details>")]
    assert "<code>new-clients</code>" in folded and "<code>growth</code>" in folded
    assert ('<td data-label="Field">Latest value</td><td data-label="Before">2 clients</td>'
            '<td data-label="After">5 clients</td>') in folded
    assert "Computed values that moved" in text_of(moved)


def test_the_working_tree_gets_its_changes_since_the_newest_tag(repo: GitRepo) -> None:
    """What a pull request changed since the last published version: changes/v2..current.html lists the
    funnel's goal 8 → 10, links the changed funnel to the current site's page, and the history page links it
    from the current version's entry."""
    two_versions(repo)
    assert run()[0] == 0
    html = page(repo, "changes/v2..current.html")
    text = text_of(html)
    assert "Changes v2 → Current version" in text
    assert "Goal 8 clients 10 clients" in text
    assert 'href="../funnels/acquisition.html"' in html and 'href="../index.html"' in html
    history = page(repo, "history.html")
    assert 'href="changes/v2..current.html"' in history
    assert text_of(history).index("Current version") < text_of(history).index("Changes since v2")


def test_history_page_has_the_timeline_and_the_target_chart(repo: GitRepo) -> None:
    """history.html lists every version newest first with its summary and a link to its changes, and charts each
    KPI's target across versions (with the same numbers in a table); the menu links to it."""
    two_versions(repo)
    assert run()[0] == 0
    html = page(repo, "history.html")
    text = text_of(html)
    assert text.index("Current version") < text.index("v2 Plan 2026, revised") < text.index("v1 Plan 2026")
    assert 'href="changes/v1..v2.html"' in html
    assert 'data-chart="target-history-new-clients"' in html
    assert ("New clients (clients) Version Date Target v1 Jan 11, 2026 20 clients v2 Feb 10, 2026 30 clients "
            "Current version Nov 23, 2026 35 clients") in text
    assert 'href="history.html"' in page(repo, "index.html")
    assert 'href="../../../history.html"' in page(repo, "v/v1/objectives/growth.html")


@pytest.mark.parametrize("today", ["2026-02-10", "2026-01-05"])
def test_history_chart_runs_from_the_oldest_tag_to_the_working_tree(repo: GitRepo, today: str) -> None:
    """The target chart reads v1, v2, then "Current version", also when the build's today is v2's day or comes
    before every tag (a build pinned with --today or SOURCE_DATE_EPOCH): a target raised 20 → 30 → 35 is
    drawn rising, not as a V with the working tree first."""
    two_versions(repo)
    result = CliRunner().invoke(main, ["build", "content", "--all-versions", "--today", today])
    assert result.exit_code == 0, result.output
    html = page(repo, "history.html")
    found = re.search(r'data-chart="target-history-new-clients".*?<div class="chart-narrow">(.*?)</div>', html,
                      re.S)
    assert found is not None
    # the x axis reads v1, v2, Current version, and each point's tooltip gives that version's target
    ticks = re.findall(r"<text[^>]*>(v1|v2|Current version)</text>", found.group(1))
    assert ticks == ["v1", "v2", "Current version"]
    tips = re.findall(r"<title>Version: ([^&]*)&#xA;.*?Target: (\d+)", found.group(1))
    assert tips == [("v1", "20"), ("v2", "30"), ("Current version", "35")]
    table = text_of(html)[text_of(html).index("New clients (clients)"):]
    assert table.index("v1 Jan 11") < table.index("v2 Feb 10") < table.index("Current version")


def test_an_identical_plan_is_not_checked_again(repo: GitRepo) -> None:
    """Two tags on the same plan the same day: the second reuses the first's check, and still gets its own
    pages; charts already drawn for the same content are reused across versions."""
    repo.commit(base_plan(goal=5), when=f"@{JAN_1 + 10 * DAY} +0000")
    repo.git("tag", "v1.0")
    repo.git("tag", "v1.0.1")
    repo.commit(base_plan(goal=8), tag="v2", when=f"@{JAN_1 + 10 * DAY} +0000")
    repo.write(base_plan(goal=8))
    result = build_all_versions(repo.plan, repo.root / "output", TODAY)
    assert result.ok, result.message
    statuses = {o.version.version: o.status for o in result.outcomes}
    assert sorted(statuses.values()) == ["built", "built", "reused"]
    assert statuses["v2"] == "built"
    assert (repo.root / "output/v/v1.0/index.html").is_file() and (repo.root / "output/v/v1.0.1/index.html").is_file()
    assert result.charts_reused > 0


def test_the_chart_cache_ignores_only_what_a_chart_does_not_draw(repo: GitRepo) -> None:
    """Changing a field the chart cache leaves out of its key (e.g. the expected value, which moves every day)
    leaves the KPI chart identical, so a cached chart is never a wrong one."""
    from generator.pipeline import check
    from generator.plan.i18n import Formatter
    from generator.read.source import DirectorySource
    from generator.site import charts

    plan = base_plan()
    plan["data/new-clients.csv"] = "date,value\n2026-02-01,3\n2026-05-01,9\n"
    repo.write(plan)
    checked = check(DirectorySource(repo.plan), TODAY)
    assert checked.state is not None
    fmt = Formatter("en", "EUR")
    state = checked.state.kpis["new-clients"]
    reference = charts.kpi_chart(state, fmt)
    for name in charts.KPI.not_drawn:
        value = getattr(state, name)
        changed = dataclasses.replace(state, **{name: (value or 0) + 0.37 if name != "future_points" else 5})
        assert chart_key(charts.KPI, changed, fmt) == chart_key(charts.KPI, state, fmt)
        assert charts.kpi_chart(changed, fmt) == reference, f"{name} changes the chart: it must be in the key"
    assert chart_key(charts.KPI, dataclasses.replace(state, status="achieved"), fmt) != \
        chart_key(charts.KPI, state, fmt)


def test_no_tags_builds_the_current_version_and_an_empty_list(repo: GitRepo) -> None:
    """Without any tag, the site is the current version with an empty versions.json, no switcher, no history."""
    repo.commit(base_plan())
    code, _out, err = run()
    assert code == 0, err
    assert json.loads(page(repo, "versions.json")) == []
    assert 'class="versions"' not in page(repo, "index.html")
    assert not (repo.root / "output/history.html").exists()


def test_not_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside git, --all-versions says so and how to fix it (exit 2), and writes nothing."""
    plan = tmp_path / "content"
    plan.mkdir()
    for rel, text in base_plan().items():
        (plan / rel).parent.mkdir(parents=True, exist_ok=True)
        (plan / rel).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _out, err = run()
    assert code == 2
    assert "is not inside a git repository" in err and "git init" in err
    assert "nothing written" in err
    assert not (tmp_path / "output").exists()


def test_a_shallow_clone_says_to_fetch_the_whole_history(repo: GitRepo, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """In a shallow clone (actions/checkout's default), the build stops and says `fetch-depth: 0`; a previous
    OUTPUT is left as it was."""
    two_versions(repo)
    repo.commit(message="v3")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True,
                   capture_output=True, env=repo.env())
    monkeypatch.chdir(clone)
    (clone / "output").mkdir()
    (clone / "output" / ".strategy-site").write_text("", encoding="utf-8")
    (clone / "output" / "index.html").write_text("previous", encoding="utf-8")
    code, _out, err = run()
    assert code == 2
    assert "shallow" in err and "fetch-depth: 0" in err
    assert (clone / "output" / "index.html").read_text(encoding="utf-8") == "previous"


def test_a_tag_without_the_plan_folder_is_skipped_with_a_warning(repo: GitRepo) -> None:
    """A tag made before the plan existed is skipped with a warning that names it; the others are built."""
    (repo.root / "README.md").write_text("soon\n", encoding="utf-8")
    repo.commit(tag="v0")
    repo.commit(base_plan(), tag="v1")
    code, _out, err = run()
    assert code == 0, err
    assert "the tag `v0` has no plan folder `content`; it is skipped" in err
    assert [v["version"] for v in json.loads(page(repo, "versions.json"))] == ["v1"]


def test_an_old_version_with_errors_is_skipped_not_fatal(repo: GitRepo) -> None:
    """An old version that no longer checks is skipped with a warning naming the file and line; even --strict
    builds, because strict mode applies to the working tree only."""
    broken = base_plan()
    broken["objectives/growth.md"] = broken["objectives/growth.md"].replace("due: 2026-12-31", "due: someday")
    repo.commit(broken, tag="v1")
    repo.commit(base_plan(goal=8), tag="v2")
    plan = base_plan(goal=9)
    plan["data/new-clients.csv"] = "date,value\n2026-11-01,4\n"
    repo.write(plan)
    code, out, err = run("--strict")
    assert code == 0, err
    assert "the version `v1` has 1 error and is skipped: v1:content/objectives/growth.md:3:6:" in err
    assert [v["version"] for v in json.loads(page(repo, "versions.json"))] == ["v2"]
    assert "1 of 2 tagged versions (1 skipped)" in out


def test_strict_applies_to_the_working_tree(repo: GitRepo) -> None:
    """A warning in the working tree fails --all-versions --strict (exit 1) and writes nothing."""
    two_versions(repo)  # the KPI has no data: a warning
    code, _out, err = run("--strict")
    assert code == 1
    assert "no-data" in err and "nothing written" in err
    assert not (repo.root / "output").exists()


def test_a_tag_that_cannot_name_a_folder_is_skipped(repo: GitRepo) -> None:
    """A tag like `v1/beta` would nest folders and break relative links: skipped, with a warning saying why."""
    repo.commit(base_plan(), tag="v1/beta")
    repo.commit(base_plan(goal=8), tag="v2")
    code, _out, err = run()
    assert code == 0, err
    assert "the tag `v1/beta` cannot name a folder of the site" in err
    assert not (repo.root / "output/v/v1").exists()


def test_same_sources_give_byte_identical_output(repo: GitRepo, tmp_path: Path) -> None:
    """Two builds of the same repository with the same --today write the same bytes."""
    two_versions(repo)
    assert run("-o", str(tmp_path / "a"))[0] == 0
    assert run("-o", str(tmp_path / "b"))[0] == 0
    files_a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    files_b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert files_a == files_b


def test_ci_log_gets_one_summary_line(repo: GitRepo) -> None:
    """Not in a terminal (a CI log), the build prints one summary line and no per-version progress."""
    two_versions(repo)
    code, out, err = run()
    assert code == 0
    assert out.count("\n") == 1
    assert out.startswith("strategy build --all-versions: the current version and 2 tagged versions, ")
    assert "[1/2]" not in err and "[2/2]" not in err


def test_terminal_shows_progress_per_version(repo: GitRepo) -> None:
    """In a terminal, each version gets a line as it is built: its position, its tag and what was done."""
    two_versions(repo)
    stream = io.StringIO()
    build_all(repo.plan, repo.root / "output", TODAY, strict=False, colour=False, tty=True,
              stream=stream)
    lines = stream.getvalue().splitlines()
    assert [line.split()[:2] for line in lines] == [["[1/2]", "v2"], ["[2/2]", "v1"]]
    assert all("built, " in line and " pages (" in line for line in lines)


def test_progress_line_says_why_a_version_was_skipped_or_reused() -> None:
    """A skipped version says why; a reused one names the version whose check it reused."""
    from generator.plan.messages import msg
    from generator.read.tags import Version

    version = Version("v3", "abc", dt.date(2026, 3, 1), "Plan", dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    skipped = VersionOutcome(version, "skipped", dt.date(2026, 3, 1), note=msg("versions.errors", count=2))
    reused = VersionOutcome(version, "reused", dt.date(2026, 3, 1), pages=12, seconds=0.2, note="v2")
    assert progress_line(ProgressEvent(4, 12, skipped)) == "[ 4/12] v3  skipped (2 errors)"
    assert progress_line(ProgressEvent(5, 12, reused)) == "[ 5/12] v3  reused the check of v2, 12 pages (0.20 s)"


def test_a_french_plans_versioned_build_speaks_french() -> None:
    """A French plan's `build --all-versions` prints its progress and its CI summary in French, numbers
    written the French way: no "tagged versions", "skipped" or "charts" in a French team's log."""
    from generator.plan.messages import msg
    from generator.read.tags import Version
    from generator.versions.outcome import AllVersionsResult

    version = Version("v3", "abc", dt.date(2026, 3, 1), "Plan", dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    skipped = VersionOutcome(version, "skipped", dt.date(2026, 3, 1), note=msg("versions.errors", count=1))
    built = VersionOutcome(version, "built", dt.date(2026, 3, 1), pages=1, seconds=0.25)
    assert progress_line(ProgressEvent(4, 12, skipped), "fr") == "[ 4/12] v3  ignorée (1 erreur)"
    assert progress_line(ProgressEvent(5, 12, built), "fr") == "[ 5/12] v3  construite, 1 page (0,25 s)"
    result = AllVersionsResult(checked=None, ok=True, outcomes=[skipped, built], pages=33, charts=13, charts_made=10,
                               charts_reused=3, pages_rendered=33, bytes_written=700_000, seconds=1.5)  # type: ignore[arg-type]
    line = summary_line(result, Path("out"), "fr")
    assert line.startswith("strategy build --all-versions : la version courante et 1 des 2 versions étiquetées "
                           "(1 ignorée), 33 pages, 13 graphiques (10 dessinés, 3 repris d'une autre "
                           "version), 0,7 Mo dans out (1,50 s)")


def _parts_add_up(line: str, noun: str) -> list[str]:
    """The parts said of "72 pages (66 rendered, 6 reused from another version)", after checking they add up."""
    found = re.search(rf"(\d+) {noun} \(([^)]*)\)", line)
    assert found, line
    parts = found.group(2).split(", ")
    assert sum(int(part.split()[0]) for part in parts) == int(found.group(1)), line
    return parts


def test_the_summary_line_s_counts_add_up_to_its_totals(repo: GitRepo) -> None:
    """`build --all-versions` says "N pages (a rendered, b reused from another version)" and "M charts (c drawn,
    d reused …)": the parts add up to the totals, on a first build and on a second one that keeps the versions
    an earlier build made."""
    repo.commit(base_plan(goal=5), tag="v1", when=f"@{JAN_1 + 10 * DAY} +0000")
    repo.git("tag", "v1.1")
    repo.commit(base_plan(goal=8), tag="v2", when=f"@{JAN_1 + 40 * DAY} +0000")
    repo.write(base_plan(goal=10))
    code, first, err = run()
    assert code == 0, err
    assert any("reused from another version" in part for part in _parts_add_up(first, "charts"))
    _parts_add_up(first, "pages")
    code, again, err = run()
    assert code == 0, err
    assert any("kept from an earlier build" in part for part in _parts_add_up(again, "pages"))
    assert any("kept from an earlier build" in part for part in _parts_add_up(again, "charts"))


def test_two_long_tags_get_a_bounded_changes_page_that_every_link_reaches(repo: GitRepo) -> None:
    """Two valid tags of 150 characters build (their changes page would be a 310-character file name): the page
    is named by both tags' start and a digest, the history page and the pull-request comment link to it, and a
    tag too long to name a folder is skipped with a warning saying so."""
    from generator.diff.compare import PlanDiff
    from generator.diff.format import full_diff_url

    old, new = "v1-" + "a" * 147, "v2-" + "b" * 147
    repo.commit(base_plan(goal=5, target=20), tag=old, when=f"@{JAN_1 + 10 * DAY} +0000")
    repo.commit(base_plan(goal=8, target=30), tag=new, when=f"@{JAN_1 + 40 * DAY} +0000")
    repo.commit(base_plan(goal=9, target=30), tag="v3-" + "c" * 202, when=f"@{JAN_1 + 50 * DAY} +0000")
    code, _out, err = run()
    assert code == 0, err
    site = repo.root / "output"
    changes = sorted(p.name for p in (site / "changes").iterdir())
    pair = next(name for name in changes if name.startswith("v1-"))
    assert len(pair) <= 120 and pair.startswith("v1-" + "a" * 45) and ".." in pair
    assert "goal" in text_of((site / "changes" / pair).read_text(encoding="utf-8")).lower()
    assert f'href="changes/{pair}"' in page(repo, "history.html")
    assert broken_links(site) == []
    diff = PlanDiff(old=old, new=new, changes=[], base_url="https://example.org/plan/")
    assert full_diff_url(diff) == f"https://example.org/plan/changes/{pair}"
    assert "is 205 characters long, too long to name a folder of the site (at most 200); it is skipped" in err
    assert len(list((site / "v").iterdir())) == 2

"""The git source: a plan folder read at any revision without a checkout (issue 4, item 1).

The helpers at the top (GitRepo, base_plan) build real repositories in temporary folders with
fixed dates; test_diff and test_versions import them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from generator.pipeline import check
from generator.read.budgets import MAX_DATA_FILE_BYTES
from generator.read.gitsource import GitError, GitSource, Repository
from generator.read.source import FileTooLarge

SETTINGS = """\
title: {title}
language: en
period:
  start: 2026-01-01
  end: 2026-12-31
base_url: https://example.org/plan
"""

FUNNEL = """\
title: Acquisition
goal: {goal}
stages:
  - id: prospects
    title: Prospects
  - id: meetings
    title: Meetings
    rate: "1/50"
    cost: 10
  - id: clients
    title: Clients
    rate: "1/5"
"""

OBJECTIVE = """\
---
title: {title}
due: 2026-12-31
kpis:
  - id: {kpi}
    title: New clients
    unit: clients
    baseline: 0
    target: {target}
actions:
  - title: Call every lead within a day
    due: {action_due}
  - title: Publish a case study
---
Why it matters.
"""


def base_plan(*, title: str = "Test plan", goal: int = 5, target: int = 20,
              action_due: str = "2026-03-31") -> dict[str, str]:
    """A small plan: settings, one funnel, one objective with a KPI and two actions."""
    return {
        "strategy.yaml": SETTINGS.format(title=title),
        "funnels/acquisition.yaml": FUNNEL.format(goal=goal),
        "objectives/growth.md": OBJECTIVE.format(title="Grow", kpi="new-clients", target=target,
                                                  action_due=action_due),
    }


DAY = 86_400  # seconds: commit dates are given as @EPOCH
JAN_1 = 1_767_225_600  # 2026-01-01T00:00:00Z


class GitRepo:
    """A repository at `root` whose plan lives in `root/content`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.plan = root / "content"
        self.clock = 1_767_225_600  # 2026-01-01T00:00:00Z, advanced one day per commit
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Plan Author")
        self.git("config", "user.email", "author@example.org")
        self.git("config", "commit.gpgsign", "false")
        self.git("config", "tag.gpgsign", "false")

    def env(self, when: str | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        stamp = when or f"@{self.clock} +0000"
        env.update({"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
                    "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.root)})
        return env

    def git(self, *args: str, when: str | None = None) -> str:
        result = subprocess.run(["git", *args], cwd=self.root, env=self.env(when), capture_output=True,
                                text=True, check=True)
        return result.stdout.strip()

    def write(self, files: dict[str, str | bytes | None], *, replace: bool = True) -> None:
        """Write the plan folder: `files` maps plan-relative paths to text (None deletes)."""
        if replace and self.plan.exists():
            shutil.rmtree(self.plan)
        for rel, content in files.items():
            path = self.plan / rel
            if content is None:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")

    def commit(self, files: dict[str, str | bytes | None] | None = None, *, message: str = "plan",
               tag: str | None = None, annotated: bool = False, when: str | None = None) -> str:
        """Commit the plan (after writing `files`, if given), optionally tag it; returns the commit id."""
        if files is not None:
            self.write(files)
        self.clock += 86_400
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, when=when)
        if tag:
            if annotated:
                self.git("tag", "-a", tag, "-m", f"release {tag}", when=when)
            else:
                self.git("tag", tag, when=when)
        return self.git("rev-parse", "HEAD")


# --- tests ----------------------------------------------------------------------------------

TODAY = dt.date(2026, 11, 23)


def test_reads_the_plan_at_a_tag_without_checking_it_out(repo: GitRepo) -> None:
    """The plan at v1 is read from git while the working tree already holds v2."""
    repo.commit(base_plan(goal=5), tag="v1")
    repo.write(base_plan(goal=8))
    with GitSource.open(repo.plan, "v1") as source:
        assert source.files() == ["funnels/acquisition.yaml", "objectives/growth.md", "strategy.yaml"]
        assert b"goal: 5" in source.read_bytes("funnels/acquisition.yaml")
        assert source.read_bytes("strategy.yaml").decode().startswith("title: Test plan")
    assert "goal: 8" in (repo.plan / "funnels/acquisition.yaml").read_text()
    assert repo.git("status", "--porcelain") != ""  # the working tree was not touched


def test_check_works_unchanged_on_a_revision_and_names_it(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """`pipeline.check` runs on a revision, and a diagnostic says which revision the file is from."""
    plan = base_plan()
    plan["objectives/growth.md"] = plan["objectives/growth.md"].replace("due: 2026-12-31", "due: someday")
    repo.commit(plan, tag="v1")
    repo.commit(base_plan(), tag="v2")
    monkeypatch.chdir(repo.root)
    with GitSource.open(Path("content"), "v2") as source:
        good = check(source, TODAY)
    assert good.ok and good.state is not None
    assert good.state.funnels["acquisition"].stages[0].need == 1250
    with GitSource.open(Path("content"), "v1") as source:
        assert source.label == "v1:content"
        bad = check(source, TODAY)
    assert not bad.ok
    assert bad.diagnostics.errors[0].file == "v1:content/objectives/growth.md"


def test_one_cat_file_process_serves_every_file(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a hundred files starts one `git cat-file --batch`, not one git process per file."""
    files = base_plan()
    files.update({f"pages/page-{i:03}.md": f"---\ntitle: Page {i}\n---\nText {i}.\n" for i in range(100)})
    repo.commit(files, tag="v1")
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    def spy(args: list[str], *a: object, **kw: object) -> subprocess.Popen[bytes]:
        started.append(list(args))
        return real_popen(args, *a, **kw)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(subprocess, "Popen", spy)
    with GitSource.open(repo.plan, "v1") as source:
        result = check(source, TODAY)
    assert result.ok and len(result.plan.pages) == 100  # type: ignore[union-attr]
    cat_files = [a for a in started if "cat-file" in a]
    assert len(cat_files) == 1
    assert len(started) <= 5  # rev-parse, ls-tree, cat-file: a handful, whatever the plan size


def test_an_oversized_file_is_refused_before_it_is_read(repo: GitRepo) -> None:
    """A CSV over the data budget at a revision gives the file-too-large error, sized from ls-tree, not read."""
    files: dict[str, str | bytes | None] = dict(base_plan())
    files["data/new-clients.csv"] = b"date,value\n" + b"2026-01-01,1\n" * (MAX_DATA_FILE_BYTES // 12 + 10)
    repo.commit(files, tag="v1")
    with GitSource.open(repo.plan, "v1") as source:
        assert source.size("data/new-clients.csv") > MAX_DATA_FILE_BYTES
        with pytest.raises(FileTooLarge):
            source.read_bytes("data/new-clients.csv")
        assert source._cat._proc is None  # nothing was asked of git for it
        result = check(source, TODAY)
    assert [d.code for d in result.diagnostics.errors] == ["file-too-large"]


def test_symbolic_links_and_hidden_files_are_not_read(repo: GitRepo) -> None:
    """A committed link (even to /etc/passwd) is listed as a link and never followed; dotfiles are skipped."""
    repo.write(base_plan())
    (repo.plan / "pages").mkdir()
    os.symlink("/etc/passwd", repo.plan / "pages" / "secret.md")
    (repo.plan / ".hidden.md").write_text("x")
    repo.commit(tag="v1")
    with GitSource.open(repo.plan, "v1") as source:
        assert "pages/secret.md" not in source.files()
        assert ".hidden.md" not in source.files()
        assert source.symlinks == ["pages/secret.md"]


def test_a_plan_at_the_top_of_the_repository(repo: GitRepo) -> None:
    """`--plan .` reads the whole repository's top level as the plan folder."""
    for rel, text in base_plan().items():
        (repo.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo.root / rel).write_text(text)
    repo.commit(tag="v1")
    with GitSource.open(repo.root, "v1") as source:
        assert "strategy.yaml" in source.files()
        assert check(source, TODAY).ok


def test_not_a_git_repository(tmp_path: Path) -> None:
    """Outside any repository the error says so and how to fix it."""
    (tmp_path / "content").mkdir()
    with pytest.raises(GitError) as caught:
        GitSource.open(tmp_path / "content", "HEAD")
    assert caught.value.code == "not-a-repository"
    assert "git init" in (caught.value.hint or "")


def test_unknown_revision_lists_the_known_tags(repo: GitRepo) -> None:
    """A mistyped tag gets an error that lists the tags that do exist, newest first."""
    repo.commit(base_plan(), tag="v1.0")
    repo.commit(base_plan(goal=8), tag="v1.1")
    with pytest.raises(GitError) as caught:
        GitSource.open(repo.plan, "v1.2")
    assert caught.value.code == "unknown-revision"
    assert "`v1.2`" in caught.value.message
    assert "v1.1, v1.0" in (caught.value.hint or "")


def test_a_shallow_clone_says_to_fetch_the_history(repo: GitRepo, tmp_path: Path) -> None:
    """In a shallow clone (actions/checkout's default) an old revision asks for fetch-depth: 0."""
    repo.commit(base_plan(), tag="v1")
    repo.commit(base_plan(goal=8), tag="v2")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True,
           capture_output=True)
    assert Repository.find(clone).is_shallow
    with pytest.raises(GitError) as caught:
        GitSource.open(clone / "content", "HEAD~1")
    assert caught.value.code == "shallow-clone"
    assert "fetch-depth: 0" in (caught.value.hint or "")


def test_a_revision_without_the_plan_folder(repo: GitRepo) -> None:
    """A revision without the plan folder is named, with where strategy.yaml was at that time."""
    for rel, text in base_plan().items():
        (repo.root / "plan" / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo.root / "plan" / rel).write_text(text)
    repo.commit(tag="v1")
    with pytest.raises(GitError) as caught:
        GitSource.open(repo.plan, "v1")
    assert caught.value.code == "no-plan-folder"
    assert "`plan`" in (caught.value.hint or "")


def test_a_repository_without_any_commit(repo: GitRepo) -> None:
    """Right after `git init`, the error says to commit the plan first."""
    repo.write(base_plan())
    with pytest.raises(GitError) as caught:
        GitSource.open(repo.plan, "HEAD")
    assert "no commit yet" in caught.value.message
    assert "git commit" in (caught.value.hint or "")


def test_a_revision_without_the_plan_folder_names_it_from_where_the_user_is(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from inside the plan folder without --plan (so looking for `content/content`), the hint names the
    folder as the user would give it, `.`, not `content`, which read as the very folder said to be missing."""
    repo.write(base_plan())
    repo.commit(tag="v1")
    monkeypatch.chdir(repo.plan)
    with pytest.raises(GitError) as caught:
        GitSource.open(Path("content"), "v1")
    assert caught.value.code == "no-plan-folder"
    assert "`content`" in caught.value.message and "`.`" in (caught.value.hint or "")

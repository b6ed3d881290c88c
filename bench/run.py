"""Benchmark of `strategy` against Hugo and MkDocs on the same pages, with the budgets of issue 6.

    python bench/run.py --size full --out bench-figures.json --update-doc docs/performance.md
    python bench/run.py --size small                      (a few seconds: proves the bench works)
    python bench/run.py --objectives 50 --kpis 3 --months 24 --versions 5

Everything runs in this one invocation, on this machine, side by side: a synthetic plan (bench/synth.py)
is written, then timed as separate processes (`python -m generator ...`, so start-up and imports count):
`check`, a cold `build` (new process, empty output, the user cache filled as after a user's first build:
chart drawings, chart shapes, compiled templates, parsed files; the bench's own cache folder, never the user's),
a first-ever build (empty cache: every chart drawn, and what the drawings cost in it), a rebuild
after one edit, `serve`'s save-to-reload (bench/serve_bench.py), `build --all-versions` over N git tags (the
first, then the next after a merge and after a new tag, with the versions the earlier one kept), and the
example plan. The same text and data tables are written as Markdown (bench/plain.py) and built with `hugo`
(alone, and followed by pagefind over its pages: the search our build includes) and `mkdocs build`.
Each timing is the best of --repeat runs (other processes on the machine only ever slow a run down);
peak memory is the largest resident set of the timed process (os.wait4's ru_maxrss).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import plain  # noqa: E402  (bench/ is not a package)
import versions_bench  # noqa: E402
from synth import Size  # noqa: E402

TODAY = "2026-06-30"  # inside the synthetic plan's period (2024-2026)
EXAMPLE_TODAY = "2026-11-23"  # the date the example's golden pages use
FULL = Size()  # 250 objectives × 4 KPIs × 36 months, the size the budgets are set for
FULL_VERSIONS = 20

# (figure, budget, how it is compared); a ratio's budget is against the figure named in the label
BUDGETS = [
    ("cold_vs_hugo", 2.0, "cold build ≤ 2 × Hugo on the same pages"),
    ("rebuild_s", 0.3, "rebuild after one edit ≤ 0.3 s"),
    ("versions_next_vs_cold", 3.0, "build --all-versions of 20 tags ≤ 3 × one cold build (each build after "
                                   "the first: the versions it built are kept)"),
    ("peak_mb", 500.0, "peak memory ≤ 500 MB"),
    ("example_cold_s", 1.0, "example plan cold build ≤ 1 s"),
]
SIZE_FREE = {"example_cold_s"}  # budgets that hold at any benchmark size


@dataclass
class Run:
    seconds: float  # wall time
    cpu: float  # user + system time of the process and the children it waited for (its workers)
    peak_mb: float
    stdout: str


def run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `cmd` to completion; its wall time and the peak resident memory of the process (and of
    any child it waited for), from os.wait4 rather than from this process's own getrusage."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = out.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"bench: `{' '.join(cmd)}` failed ({proc.returncode}):\n{text}")
    return Run(seconds=seconds, cpu=usage.ru_utime + usage.ru_stime, peak_mb=usage.ru_maxrss / 1024,  # KB on Linux
               stdout=text)


def best(repeat: int, once: Any) -> Run:
    """The fastest of `repeat` runs (with the largest peak memory seen)."""
    runs = [once() for _ in range(max(1, repeat))]
    fastest = min(runs, key=lambda r: r.seconds)
    return replace(fastest, peak_mb=max(r.peak_mb for r in runs))


def strategy(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def env_with(**values: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(values)
    # measured as an installed package runs: its modules compiled once (pip does it at install), not at
    # every start as PYTHONDONTWRITEBYTECODE would make them
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


# --- the measurements ----------------------------------------------------------------------------


def cold_build(plan: Path, out: Path, repeat: int, env: dict[str, str] | None = None) -> Run:
    def once() -> Run:
        shutil.rmtree(out, ignore_errors=True)
        return run(strategy("build", str(plan), "-o", str(out), "--today", TODAY), env=env)

    return best(repeat, once)


def unkept_cold_build(plan: Path, work: Path, repeat: int) -> dict[str, Any]:
    """The cold build with every page rendered: the user cache as for `cold_build` less its kept pages (a CI job
    whose cache does not carry `pages/`, the first build after an upgrade: what a cold build was before pages
    were kept between builds)."""
    cache = work / "unkept-cache"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.copytree(work / "user-cache", cache)
    env = env_with(XDG_CACHE_HOME=str(cache))

    def once() -> Run:
        shutil.rmtree(cache / "strategy-site" / "pages", ignore_errors=True)
        shutil.rmtree(work / "site", ignore_errors=True)
        return run(strategy("build", str(plan), "-o", str(work / "site"), "--today", TODAY), env=env)

    fastest = best(repeat, once)
    return {"cold_unkept_s": fastest.seconds, "cold_unkept_cpu_s": fastest.cpu}


SERVE_LINE = re.compile(r"^(?P<what>.+?)\s+rebuild\s+(?P<rebuild>\d+) ms .*save → reload event\s+(?P<reload>\d+) ms",
                        re.MULTILINE)


def rebuild_after_edit(size: Size, repeat: int, env: dict[str, str] | None = None) -> dict[str, Any]:
    """`serve`'s figures from bench/serve_bench.py (its own plan of the same size, one file saved at a time):
    the slowest kind of edit is kept."""
    done = run([sys.executable, str(BENCH / "serve_bench.py"), "--objectives", str(size.objectives),
                "--kpis", str(size.kpis), "--months", str(size.months), "--rounds", str(max(2, repeat))], env=env)
    edits = {m["what"].strip(): (int(m["rebuild"]) / 1000, int(m["reload"]) / 1000)
             for m in SERVE_LINE.finditer(done.stdout)}
    if not edits:
        raise SystemExit(f"bench: no figures in bench/serve_bench.py's output:\n{done.stdout}")
    slowest = max(edits, key=lambda k: edits[k][0])
    return {"rebuild_s": edits[slowest][0], "reload_s": max(r for _, r in edits.values()),
            "serve_edits": {k: {"rebuild_s": a, "reload_event_s": b} for k, (a, b) in edits.items()},
            "rebuild_how": "strategy serve, median of the saves of each kind of edit, the slowest kind: "
                           + ", ".join(f"{k} {a * 1000:.0f} ms" for k, (a, _) in edits.items())}


def all_versions(plan: Path, out: Path, repeat: int, tags: int) -> dict[str, Any]:
    figures = dict(versions_bench.measure(plan, out, repeat=repeat, today=TODAY, tags=tags,
                                          cache_home=out.parent / "versions-cache"))
    # versions_bench samples the resident memory of the build and of each process it forks; the budget
    # holds each process (a forked worker shares most of its pages with the build it was forked from)
    figures["versions_peak_mb"] = max(figures["versions_main_peak_mb"], figures["versions_fork_peak_mb"] or 0)
    return figures


def drawing_costs(plan: Path, work: Path, first_cache: Path, first: Run) -> dict[str, Any]:
    """What the SVG drawings of the charts cost: on a first-ever build, that build's time (wall and CPU, its
    drawing workers included) less the time of a first-ever build whose cache holds only the drawings
    (everything else made again); on a warm build, the time to read every drawing back from the cache, in
    one process (the build spreads it over its workers)."""
    import zlib

    from generator.cache.store import CHART_DRAWINGS

    drawings = first_cache / "strategy-site" / "drawings"
    entries = sorted(drawings.glob("*.svg.z"))
    only_drawings = work / "drawings-only-cache"
    shutil.rmtree(only_drawings, ignore_errors=True)
    shutil.copytree(drawings, only_drawings / "strategy-site" / "drawings")
    without = cold_build(plan, work / "site", 1, env_with(XDG_CACHE_HOME=str(only_drawings)))
    started = time.perf_counter()
    for entry in entries:
        zlib.decompress(CHART_DRAWINGS.at(drawings).read(entry.name) or zlib.compress(b"")).decode("utf-8")
    draw_cpu = max(0.0, first.cpu - without.cpu)
    return {"drawings": len(entries), "first_draw_s": max(0.0, first.seconds - without.seconds),
            "first_draw_cpu_s": draw_cpu, "drawing_cpu_ms": 1000 * draw_cpu / len(entries) if entries else None,
            "warm_draw_s": time.perf_counter() - started}


def one_after_the_other(*runs: Run) -> Run:
    """Runs made one after the other, as one: their wall and CPU times added, the largest peak memory."""
    return Run(seconds=sum(r.seconds for r in runs), cpu=sum(r.cpu for r in runs),
               peak_mb=max(r.peak_mb for r in runs), stdout="".join(r.stdout for r in runs))


def hugo_with_search(work: Path, repeat: int, hugo: Any) -> dict[str, Any]:
    """Hugo, then pagefind over the pages it wrote: the way a Hugo site gets the search index our build makes
    (the same pagefind binary ours runs, its default settings), timed as one (best of `repeat`, wall and CPU
    added). Hugo alone stays the budget's yardstick; this one is for information."""
    from generator.site.search import pagefind_command, pagefind_installed

    if not pagefind_installed():
        print("bench: pagefind is not installed, so there is no Hugo + pagefind figure: pip install -e .",
              file=sys.stderr)
        return {}
    env = {k: v for k, v in env_with().items() if not k.upper().startswith("PAGEFIND_")}

    def hugo_then_pagefind() -> Run:
        built = hugo()
        return one_after_the_other(built, run([*pagefind_command(), "--site", str(work / "hugo-out"), "--quiet"],
                                              env=env))

    fastest = best(repeat, hugo_then_pagefind)
    return {"hugo_pagefind_s": fastest.seconds, "hugo_pagefind_cpu_s": fastest.cpu}


def reference_tools(plan: Path, work: Path, repeat: int) -> dict[str, Any]:
    """Hugo and MkDocs on the same pages' text and tables; a tool that is missing is skipped, saying why."""
    figures: dict[str, Any] = {}
    content = plain.pages(plan, dt.date.fromisoformat(TODAY))
    figures["reference_pages"] = len(content)
    if shutil.which("hugo"):
        site = plain.write_hugo(work / "hugo", content, "Plan")

        def hugo() -> Run:
            shutil.rmtree(work / "hugo-out", ignore_errors=True)
            return run(["hugo", "--quiet", "-s", str(site), "-d", str(work / "hugo-out")])

        fastest = best(repeat, hugo)
        figures["hugo_s"], figures["hugo_cpu_s"] = fastest.seconds, fastest.cpu
        figures.update(hugo_with_search(work, repeat, hugo))
    else:
        print("bench: hugo is not installed, so there is no Hugo figure: apt-get install -y hugo (Debian)",
              file=sys.stderr)
    if importlib.util.find_spec("mkdocs") is not None:
        site = plain.write_mkdocs(work / "mkdocs", content, "Plan")

        def mkdocs() -> Run:
            shutil.rmtree(work / "mkdocs-out", ignore_errors=True)
            return run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(site / "mkdocs.yml"),
                        "-d", str(work / "mkdocs-out")])

        fastest = best(repeat, mkdocs)
        figures["mkdocs_s"], figures["mkdocs_cpu_s"] = fastest.seconds, fastest.cpu
    else:
        print("bench: mkdocs is not installed, so there is no MkDocs figure: pip install -e '.[bench]'",
              file=sys.stderr)
    return figures


def profile(plan: Path, out: Path, report: Path, env: dict[str, str] | None = None) -> None:
    """A pyinstrument profile of one cold build, as text."""
    if importlib.util.find_spec("pyinstrument") is None:
        print("bench: pyinstrument is not installed, no profile: pip install -e '.[bench]'", file=sys.stderr)
        return
    shutil.rmtree(out, ignore_errors=True)
    run([sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(report), "-m", "generator", "build",
         str(plan), "-o", str(out), "--today", TODAY], env=env)


# --- the report ----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    def version(cmd: list[str]) -> str | None:
        try:
            text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return None
        return text.splitlines()[0] if text else None

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else None
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), None) if Path("/proc/meminfo").exists() else None
    mkdocs = version([sys.executable, "-m", "mkdocs", "--version"])
    return {"cpus": os.cpu_count(), "cpu": cpu, "ram_mb": mem, "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}",
            "hugo": version(["hugo", "version"]) if shutil.which("hugo") else None,
            "mkdocs": mkdocs.split(" from ")[0].replace("python -m mkdocs, version", "mkdocs") if mkdocs else None,
            "load_before": os.getloadavg()[0]}


def ratios(figures: dict[str, Any]) -> None:
    cold = figures.get("cold_s")
    if cold and figures.get("hugo_s"):
        figures["cold_vs_hugo"] = cold / figures["hugo_s"]
    if cold and figures.get("hugo_pagefind_s"):
        figures["cold_vs_hugo_pagefind"] = cold / figures["hugo_pagefind_s"]
    if figures.get("cold_unkept_s") and figures.get("hugo_s"):
        figures["cold_unkept_vs_hugo"] = figures["cold_unkept_s"] / figures["hugo_s"]
    if figures.get("first_s") and figures.get("hugo_s"):
        figures["first_vs_hugo"] = figures["first_s"] / figures["hugo_s"]
    if cold and figures.get("mkdocs_s"):
        figures["cold_vs_mkdocs"] = cold / figures["mkdocs_s"]
    for key in ("versions", "versions_next", "versions_tag"):
        if cold and figures.get(f"{key}_s"):
            figures[f"{key}_vs_cold"] = figures[f"{key}_s"] / cold
    peaks = [figures.get(k) for k in ("cold_peak_mb", "versions_peak_mb")]
    figures["peak_mb"] = max((p for p in peaks if p), default=None)


def verdicts(figures: dict[str, Any], full: bool) -> list[dict[str, Any]]:
    rows = []
    for key, limit, label in BUDGETS:
        value = figures.get(key)
        if value is None:
            verdict = "not measured"
        elif not full and key not in SIZE_FREE:
            verdict = "(full size only)"
        else:
            verdict = "PASS" if value <= limit else "FAIL"
        rows.append({"budget": label, "figure": key, "value": value, "limit": limit, "verdict": verdict})
    return rows


LABELS = [
    ("check_s", "strategy check", "s"), ("cold_s", "strategy build, cold", "s"),
    ("first_s", "strategy build, first ever (empty cache: every chart drawn)", "s"),
    ("first_cpu_s", "strategy build, first ever: CPU time (all processes)", "s"),
    ("drawings", "chart drawings (SVG, wide and narrow) of a build", "n"),
    ("first_draw_s", "drawing them, first ever (empty cache): the first-ever build less one with them cached", "s"),
    ("first_draw_cpu_s", "drawing them, first ever: CPU time (all processes)", "s"),
    ("drawing_cpu_ms", "CPU time a drawing, first ever (the drawing workers' start-up included)", "ms"),
    ("warm_draw_s", "reading them back from the cache, warm build (one process)", "s"),
    ("rebuild_s", "rebuild after one edit", "s"),
    ("reload_s", "serve: save → browser reload", "s"),
    ("versions_s", "build --all-versions, the first (no version kept)", "s"),
    ("versions_next_s", "build --all-versions, the next after a merge (versions kept)", "s"),
    ("versions_tag_s", "build --all-versions, the next after a new tag (one more version)", "s"),
    ("cold_cpu_s", "strategy build, cold: CPU time (all processes)", "s"),
    ("cold_unkept_s", "strategy build, cold, no page kept (every page rendered)", "s"),
    ("cold_unkept_cpu_s", "strategy build, cold, no page kept: CPU time (all processes)", "s"),
    ("cold_peak_mb", "peak memory, cold build", "MB"), ("versions_peak_mb", "peak memory, --all-versions", "MB"),
    ("example_cold_s", "example plan (content/), cold build", "s"),
    ("hugo_s", "hugo, same pages without charts", "s"), ("hugo_cpu_s", "hugo: CPU time", "s"),
    ("hugo_pagefind_s", "hugo + pagefind on Hugo's pages (the search index our build includes)", "s"),
    ("hugo_pagefind_cpu_s", "hugo + pagefind: CPU time", "s"),
    ("mkdocs_s", "mkdocs build, same pages without charts", "s"), ("mkdocs_cpu_s", "mkdocs build: CPU time", "s"),
    ("cold_vs_hugo", "cold build ÷ Hugo", "×"),
    ("cold_vs_hugo_pagefind", "cold build ÷ (Hugo + pagefind)", "×"),
    ("cold_unkept_vs_hugo", "cold build, no page kept ÷ Hugo", "×"),
    ("first_vs_hugo", "first-ever build (every chart drawn) ÷ Hugo", "×"),
    ("cold_vs_mkdocs", "cold build ÷ MkDocs", "×"),
    ("versions_vs_cold", "--all-versions, the first ÷ cold build", "×"),
    ("versions_next_vs_cold", "--all-versions, the next after a merge ÷ cold build", "×"),
    ("versions_tag_vs_cold", "--all-versions, the next after a new tag ÷ cold build", "×"),
]


def _value(value: Any, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "n":
        return f"{value:,}"
    if unit == "ms":
        return f"{value:.0f} ms"
    if unit == "×":
        return f"{value:.2f} ×"
    return f"{value:.2f} s"


def markdown(result: dict[str, Any]) -> str:
    m, f, s = result["machine"], result["figures"], result["size"]
    lines = [
        f"Measured {result['date']} with `{result['command']}`.", "",
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['ram_mb']} MB RAM, {m['system']}, Python {m['python']}, "
        f"{m['hugo'] or 'no hugo'}, {m['mkdocs'] or 'no mkdocs'}; load average {m['load_before']:.2f} before "
        f"the run, {m['load_after']:.2f} after (other work on the machine only slows the figures down).", "",
        f"Plan: {s['objectives']} objectives × {s['kpis']} KPIs × {s['months']} months, {s['funnels']} funnels, "
        f"{s['personas']} personas, {s['experiences']} experiences, {s['solutions']} solutions, "
        f"{result['versions']} tagged versions: {f.get('pages', '?')} pages, {f.get('charts', '?')} charts "
        f"({f.get('reference_pages', '?')} pages for Hugo and MkDocs). Best of {result['repeat']} runs.", "",
        "| figure | value |", "|---|---|",
    ]
    lines += [f"| {label} | {_value(f.get(key), unit)} |"
              for key, label, unit in LABELS if key in f]
    if f.get("rebuild_how"):
        lines += ["", f"Rebuild after one edit: {f['rebuild_how']}."]
    lines += ["", "| budget | measured | verdict |", "|---|---|---|"]
    for row in result["budgets"]:
        unit = "×" if row["figure"].endswith(("_vs_hugo", "_vs_cold")) else ("MB" if row["figure"].endswith("mb")
                                                                               else "s")
        lines.append(f"| {row['budget']} | {_value(row['value'], unit)} | {row['verdict']} |")
        if row["figure"] == "cold_vs_hugo" and f.get("cold_vs_hugo_pagefind") is not None:
            lines.append(f"| for information, no budget: cold build ÷ (Hugo + pagefind on its pages, the search "
                         f"our build includes) | {_value(f['cold_vs_hugo_pagefind'], '×')} | – |")
    return "\n".join(lines) + "\n"


def update_doc(doc: Path, text: str) -> None:
    """Replace what lies between the bench markers of `doc` (the rest is written by hand)."""
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    current = doc.read_text(encoding="utf-8") if doc.exists() else f"# Performance\n\n{begin}\n{end}\n"
    if begin not in current or end not in current:
        raise SystemExit(f"bench: {doc} has no {begin} … {end} markers to write the figures between")
    head, rest = current.split(begin, 1)
    doc.write_text(f"{head}{begin}\n{text}{end}{rest.split(end, 1)[1]}", encoding="utf-8")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "full"], default="full",
                        help="small: a few seconds, proves the bench works (CI); full: the size of the budgets")
    for name in ("objectives", "kpis", "months", "funnels", "personas", "solutions", "experiences"):
        parser.add_argument(f"--{name}", type=int, help=f"override the size's number of {name}")
    parser.add_argument("--versions", type=int, help="tagged versions for --all-versions (full: 20, small: 3)")
    parser.add_argument("--repeat", type=int, help="runs per timing, the best is kept (full: 3, small: 1)")
    parser.add_argument("--out", type=Path, help="write every figure as JSON to this file")
    parser.add_argument("--update-doc", type=Path, help="write the results into this Markdown file, between "
                                                        "its <!-- bench:begin --> and <!-- bench:end --> markers")
    parser.add_argument("--profile", type=Path, help="also write a pyinstrument profile of a cold build here")
    parser.add_argument("--no-reference", action="store_true", help="skip Hugo and MkDocs")
    parser.add_argument("--workdir", type=Path, help="keep the generated plans and sites here (default: a "
                                                     "temporary folder, removed at the end)")
    args = parser.parse_args(argv)
    for path in (args.out, args.profile):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    size = FULL if args.size == "full" else Size.small()
    overrides = {k: getattr(args, k) for k in asdict(size) if getattr(args, k, None) is not None}
    size = replace(size, **overrides)
    versions = args.versions if args.versions is not None else (FULL_VERSIONS if args.size == "full" else 3)
    repeat = args.repeat or (3 if args.size == "full" else 1)
    full = size == FULL and versions >= FULL_VERSIONS

    # every process below (ours and the other benches') runs as an installed package does: its modules
    # compiled once, as pip does at install time, rather than at every start
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "generator")], check=False)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="strategy-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {}
    info = machine()
    try:
        step = "writing the synthetic plan"
        print(f"bench: {step} in {work}", file=sys.stderr)
        plan = versions_bench.tagged_repo(work / "repo", size, versions)  # the history both benches time

        # the user cache of every timing below but the first-ever ones: the bench's own, filled by one build
        # first (chart drawings included), as after the first build a user makes of the plan
        user = env_with(XDG_CACHE_HOME=str(work / "user-cache"))
        print("bench: a first build, to fill the cache (not timed)", file=sys.stderr)
        cold_build(plan, work / "site", 1, user)
        print("bench: strategy check", file=sys.stderr)
        figures["check_s"] = best(repeat, lambda: run(strategy("check", str(plan), "--today", TODAY),
                                                      env=user)).seconds
        print("bench: strategy build, cold (every chart drawing in the cache)", file=sys.stderr)
        cold = cold_build(plan, work / "site", repeat, user)
        figures["cold_s"], figures["cold_cpu_s"], figures["cold_peak_mb"] = cold.seconds, cold.cpu, cold.peak_mb
        counts = re.search(r"(\d+) pages, (\d+) (?:charts|graphiques)",  # the plan's language
                           versions_bench.ungrouped(cold.stdout))
        if counts:
            figures["pages"], figures["charts"] = int(counts[1]), int(counts[2])
        print("bench: strategy build, cold, no page kept (every page rendered)", file=sys.stderr)
        figures.update(unkept_cold_build(plan, work, repeat))
        print(f"bench: strategy build --all-versions ({versions} tags)", file=sys.stderr)
        figures.update(all_versions(plan, work / "versions-site", repeat, versions))
        print("bench: strategy build, first ever (empty cache)", file=sys.stderr)
        empty_cache = work / "empty-cache"
        shutil.rmtree(empty_cache, ignore_errors=True)
        first = cold_build(plan, work / "site", 1, env_with(XDG_CACHE_HOME=str(empty_cache)))
        figures["first_s"], figures["first_cpu_s"] = first.seconds, first.cpu
        print("bench: what drawing the charts costs, first ever and warm", file=sys.stderr)
        figures.update(drawing_costs(plan, work, empty_cache, first))
        print("bench: rebuild after one edit", file=sys.stderr)
        figures.update(rebuild_after_edit(size, repeat, user))
        print("bench: the example plan", file=sys.stderr)
        example = strategy("build", str(ROOT / "content"), "-o", str(work / "example-site"), "--today", EXAMPLE_TODAY)
        run(example, env=user)  # its drawings into the cache (not timed)
        figures["example_cold_s"] = best(repeat, lambda: run(example, env=user)).seconds
        if not args.no_reference:
            print("bench: hugo and mkdocs on the same pages", file=sys.stderr)
            figures.update(reference_tools(plan, work, repeat))
        if args.profile:
            print(f"bench: profile of a cold build in {args.profile}", file=sys.stderr)
            profile(plan, work / "site", args.profile, user)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    ratios(figures)
    info["load_after"] = os.getloadavg()[0]
    command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    result = {"date": dt.date.today().isoformat(), "command": command.strip(), "machine": info,
              "size": asdict(size), "versions": versions, "repeat": repeat, "figures": figures,
              "budgets": verdicts(figures, full)}
    text = markdown(result)
    print(text)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.update_doc:
        update_doc(args.update_doc, text)
    return result


if __name__ == "__main__":
    main()

"""What `strategy build --all-versions` prints: one line per version as it is built in a terminal, and only a
one-line summary in a CI log (not a terminal), where per-version lines would be noise. Warnings (a version
skipped, a tag that cannot be a folder name) go to stderr either way."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

import click

from .build import AllVersionsResult, ProgressEvent, build_all_versions

EXIT_PLAN_ERRORS, EXIT_USAGE = 1, 2


def progress_line(event: ProgressEvent) -> str:
    """`[ 3/20] v1.2  built, 25 pages (0.41 s)`."""
    o = event.outcome
    width = len(str(event.total))
    head = f"[{event.index:>{width}}/{event.total}] {o.version.version}"
    if o.status == "skipped":
        return f"{head}  skipped ({o.note})"
    if o.status == "reused" and o.note:
        what = "reused the check of " + o.note.removeprefix("same plan as ")
    else:
        what = "kept from an earlier build" if o.status == "cached" else "built"
    return f"{head}  {what}, {o.pages} pages ({o.seconds:.2f} s)"


def summary_line(result: AllVersionsResult, output: Path) -> str:
    """The one line a CI log shows."""
    listed = len(result.outcomes)
    built = result.built
    reused = sum(1 for o in built if o.status == "reused")
    kept = sum(1 for o in built if o.status == "cached")
    skipped = listed - len(built)
    notes = ([f"{reused} reused"] if reused else []) + ([f"{kept} kept from an earlier build"] if kept else []) \
        + ([f"{skipped} skipped"] if skipped else [])
    if skipped:
        versions = f"{len(built)} of {listed} tagged versions"
    else:
        versions = f"{len(built)} tagged version" + ("" if len(built) == 1 else "s")
    cached = f", {result.charts_reused} reused" if result.charts_reused else ""
    # pages identical in several versions are rendered once: say how many were, as for the charts
    rendered = (f"; pages: {result.pages_rendered} rendered, {result.pages_reused} reused"
                if result.pages_reused else "")
    return (f"strategy build --all-versions: the current version and {versions}"
            + (f" ({', '.join(notes)})" if notes else "")
            + f", {result.pages} pages, {result.charts} charts ({result.charts_made} drawn{cached}{rendered}), "
            f"{result.bytes_written / 1e6:.1f} MB in {output} ({result.seconds:.2f} s)")


def build_all(plan: Path, output: Path, today: dt.date, *, strict: bool, colour: bool,
              tty: bool | None = None, stream: TextIO | None = None, pack: bool = False) -> None:
    """Run the build and report it; exits 1 for a failed build, 2 when the repository cannot give versions."""
    from ..build import diagnostics_for_failure, nothing_written
    from ..plan import diagnostics as d
    from ..plan.messages import render

    err = stream or sys.stderr
    show_progress = err.isatty() if tty is None else tty

    def progress(event: ProgressEvent) -> None:
        click.echo(progress_line(event), file=err)

    result = build_all_versions(plan, output, today, strict=strict, progress=progress if show_progress else None,
                                pack=pack)
    if result.git_error is not None:
        from ..plan.messages import reader_language
        from ..read.loader import plan_language

        language = reader_language(plan_language(plan))
        click.echo(f"strategy build: {result.git_error.text(language)}", err=True)
        hint = result.git_error.hint_text(language)
        if hint:
            click.echo(f"  {render(language, 'label-hint')} {hint}", err=True)
        click.echo(nothing_written(result, output), err=True)
        sys.exit(EXIT_USAGE)
    diags = diagnostics_for_failure(result)
    if diags.errors or diags.warnings:
        click.echo(d.format_text(diags, colour=colour), err=True)
    for warning in result.warnings:
        click.echo(render(diags.speaks(), "versions.warning", warning=warning), err=True)
    if not result.ok:
        click.echo(nothing_written(result, output, result.message, diags.speaks()), err=True)
        sys.exit(EXIT_PLAN_ERRORS)
    click.echo(summary_line(result, output))

"""What `strategy build --all-versions` prints: one line per version as it is built in a terminal, and only a
one-line summary in a CI log (not a terminal), where per-version lines would be noise. Warnings (a version
skipped, a tag that cannot be a folder name) go to stderr either way."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

import click

from ..plan.messages import fixed, reader_language, render, said, words
from .build import AllVersionsResult, ProgressEvent, build_all_versions

EXIT_PLAN_ERRORS, EXIT_USAGE = 1, 2


def progress_line(event: ProgressEvent, language: str = "en") -> str:
    """`[ 3/20] v1.2  built, 25 pages (0.41 s)`, in the plan's language."""
    o = event.outcome
    width = len(str(event.total))
    head = f"[{event.index:>{width}}/{event.total}] {o.version.version}"
    if o.status == "skipped":
        return render(language, "versions.line.skipped", head=head, why=words(language, o.note) or "")
    seconds = fixed(language, o.seconds, 2)
    if o.status == "reused" and o.note:
        return render(language, "versions.line.reused", head=head, other=words(language, o.note), count=o.pages,
                      seconds=seconds)
    key = "versions.line.kept" if o.status == "cached" else "versions.line.built"
    return render(language, key, head=head, count=o.pages, seconds=seconds)


def summary_line(result: AllVersionsResult, output: Path, language: str = "en") -> str:
    """The one line a CI log shows, in the plan's language."""
    listed = len(result.outcomes)
    built = result.built
    reused = sum(1 for o in built if o.status == "reused")
    kept = sum(1 for o in built if o.status == "cached")
    skipped = listed - len(built)
    notes = [render(language, f"versions.summary.{key}", count=count)
             for key, count in (("reused", reused), ("kept", kept), ("skipped", skipped)) if count]
    if skipped:
        versions = render(language, "versions.summary.tagged-of", count=len(built), listed=listed)
    else:
        versions = render(language, "versions.summary.tagged", count=len(built))
    # how the pages and charts were made, in parts that add up to their totals
    pages = _parts(language, "pages", result.pages, made=result.pages_rendered, reused=result.pages_reused,
                   kept=result.pages_kept)
    charts = _parts(language, "charts", result.charts, made=result.charts_made, reused=result.charts_reused,
                    kept=result.charts_kept)
    return said(language, "build --all-versions", render(
        language, "versions.summary", versions=versions, notes=f" ({', '.join(notes)})" if notes else "",
        pages=pages, charts=charts, size=fixed(language, result.bytes_written / 1e6, 1), output=str(output),
        seconds=fixed(language, result.seconds, 2)))


def _parts(language: str, what: str, total: int, *, made: int, reused: int, kept: int) -> str:
    """"72 pages (66 rendered, 3 reused, 3 kept from an earlier build)": the parts that are not zero, which add
    up to the total ("other" names what none of them counted); the total alone when all were made anew."""
    counts = {"made": made, "reused": reused, "kept": kept, "other": total - made - reused - kept}
    parts = [render(language, f"versions.summary.{what}-{key}", count=n) for key, n in counts.items() if n > 0]
    said_total = render(language, f"versions.summary.{what}", count=total)
    return said_total if counts["made"] == total else f"{said_total} ({', '.join(parts)})"


def build_all(plan: Path, output: Path, today: dt.date, *, strict: bool, colour: bool,
              tty: bool | None = None, stream: TextIO | None = None, pack: bool = False) -> None:
    """Run the build and report it; exits 1 for a failed build, 2 when the repository cannot give versions."""
    from ..build import diagnostics_for_failure, nothing_written
    from ..plan import diagnostics as d
    from ..read.loader import plan_language

    err = stream or sys.stderr
    show_progress = err.isatty() if tty is None else tty
    language = reader_language(plan_language(plan))

    def progress(event: ProgressEvent) -> None:
        click.echo(progress_line(event, language), file=err)

    result = build_all_versions(plan, output, today, strict=strict, progress=progress if show_progress else None,
                                pack=pack)
    if result.git_error is not None:
        click.echo(said(language, "build", result.git_error.text(language)), err=True)
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
    click.echo(summary_line(result, output, diags.speaks()))

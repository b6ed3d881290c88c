"""What `strategy pack` does and prints: check the plan, make the PDF, write it whole (never half a file)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import click

from ..read.source import Source
from .content import words

EXIT_OK, EXIT_PLAN_ERRORS, EXIT_USAGE = 0, 1, 2


def write_whole(target: Path, data: bytes) -> None:
    """`data` into `target` through a temporary file beside it: a reader never sees half a PDF."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".pack-", suffix=".pdf", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run_pack(source: Source, plan: Path, output: Path | None, today: dt.date, *, colour: bool) -> int:
    """The exit code of `strategy pack` (0, or 1 for a plan with errors or a PDF that cannot be made)."""
    from ..pipeline import check
    from ..plan.diagnostics import format_text
    from .render import DEFAULT_TARGET, PackError, make_pack

    checked = check(source, today)
    language = checked.plan.settings.language if checked.plan is not None else "en"
    if checked.state is None or checked.diagnostics.errors:
        click.echo(format_text(checked.diagnostics, colour=colour), err=True)
        click.echo(words(language, "not_written"), err=True)
        return EXIT_PLAN_ERRORS
    target = output or DEFAULT_TARGET
    try:
        made = make_pack(checked, plan)
        write_whole(target, made.pdf)
    except PackError as exc:
        for line in exc.lines(language):
            click.echo(line, err=True)
        return EXIT_PLAN_ERRORS
    except OSError as exc:
        from ..site.template_errors import is_template_error

        if is_template_error(exc):  # a template the pack's template asks for and the theme lacks
            return _template_failed(exc, checked, language, colour)
        click.echo(words(language, "cannot_write", file=exc.filename or target, error=exc.strerror or exc), err=True)
        return EXIT_PLAN_ERRORS
    except Exception as exc:  # the theme's pack/ template failed: its file and line, never a traceback
        return _template_failed(exc, checked, language, colour)
    from ..plan.i18n import Formatter

    fmt = Formatter(language)
    click.echo(words(language, "written", file=target, pages=made.pages,
                     size=words(language, "kilobytes", size=fmt.number(len(made.pdf) / 1000, 0)),
                     seconds=fmt.number(made.seconds, 1)))
    return EXIT_OK


def _template_failed(exc: Exception, checked: Any, language: str, colour: bool) -> int:
    """The theme's pack/ template failed: one `build-failed` error at its file and line, in the plan's words."""
    from ..plan.diagnostics import Location, format_text
    from ..site.template_errors import failure_place, template_failure

    checked.diagnostics.error("build-failed", failure_place(exc) or Location("(theme)"), *template_failure(exc))
    click.echo(format_text(checked.diagnostics, colour=colour), err=True)
    click.echo(words(language, "not_made"), err=True)
    return EXIT_PLAN_ERRORS

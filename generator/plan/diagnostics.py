"""Diagnostics: what `strategy check` reports, and the three ways it prints them.

Every stage of the pipeline appends to one `Diagnostics` list instead of raising, so that a plan
with fifty mistakes gets fifty messages in one run. They are listed errors first, and among them first
those of files that could not be read at all: the root causes, which may explain other errors.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Literal

from .terminal_text import github_safe, terminal_safe

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a plan file: `file` as shown to the user, line and column from 1."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str
    file: str
    line: int
    column: int
    message: str
    hint: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)


class Diagnostics:
    """An ordered collection of diagnostics, de-duplicated."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []
        self._seen: set[Diagnostic] = set()
        self._root_files: set[str] = set()

    def mark_root_cause(self, file: str) -> None:
        """`file` (as shown) could not be read: its errors are listed before every other."""
        self._root_files.add(file)

    def add(
        self,
        severity: Severity,
        code: str,
        where: Location,
        message: str,
        hint: str | None = None,
    ) -> None:
        item = Diagnostic(severity, code, where.file, where.line, where.column, message, hint)
        if item not in self._seen:
            self._seen.add(item)
            self._items.append(item)

    def error(self, code: str, where: Location, message: str, hint: str | None = None) -> None:
        self.add("error", code, where, message, hint)

    def warning(self, code: str, where: Location, message: str, hint: str | None = None) -> None:
        self.add("warning", code, where, message, hint)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        for item in other:
            if item not in self._seen:
                self._seen.add(item)
                self._items.append(item)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> list[Diagnostic]:
        """In report order: the first is the one to fix first."""
        return sorted((d for d in self._items if d.severity == "error"), key=self._order)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self._items if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        """Errors before warnings, the errors of unreadable files first; then by file, line and column."""
        return sorted(self._items, key=self._order)

    def _order(self, d: Diagnostic) -> tuple[bool, bool, tuple[str, int, int, str]]:
        error = d.severity == "error"
        return (not error, not (error and d.file in self._root_files), d.sort_key)


# --- output formats -------------------------------------------------------------------------


def format_json(diagnostics: Diagnostics) -> str:
    payload = {
        "errors": len(diagnostics.errors),
        "warnings": len(diagnostics.warnings),
        "diagnostics": [asdict(d) for d in diagnostics.sorted()],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _github_escape(text: str, *, property_value: bool = False) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostics: Diagnostics) -> str:
    lines = []
    for d in diagnostics.sorted():
        message = github_safe(d.message + (f" ({d.hint})" if d.hint else ""))
        props = ",".join(
            [
                f"file={_github_escape(github_safe(d.file), property_value=True)}",
                f"line={d.line}",
                f"col={d.column}",
                f"title={_github_escape(d.code, property_value=True)}",
            ]
        )
        lines.append(f"::{d.severity} {props}::{_github_escape(message)}")
    return "\n".join(lines)


def format_text(diagnostics: Diagnostics, *, colour: bool = False) -> str:
    """Grouped by file, one line per problem and its hint beneath, then a summary line."""

    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    out: list[str] = []
    current_file: str | None = None
    for d in diagnostics.sorted():  # plan text (file names, titles quoted in messages) escaped: terminal_text
        if d.file != current_file:
            if current_file is not None:
                out.append("")
            out.append(paint(terminal_safe(d.file), "1"))
            current_file = d.file
        label = paint("error", "31;1") if d.severity == "error" else paint("warning", "33;1")
        out.append(f"  {d.line}:{d.column}  {label}  {terminal_safe(d.message)}  {paint(f'[{d.code}]', '2')}")
        if d.hint:
            out.append(f"      {paint('hint:', '36')} {terminal_safe(d.hint)}")
    n_err, n_warn = len(diagnostics.errors), len(diagnostics.warnings)
    if out:
        out.append("")
    summary = f"{n_err} error{'s' if n_err != 1 else ''}, {n_warn} warning{'s' if n_warn != 1 else ''}"
    if n_err:
        out.append(paint(summary, "31;1"))
    elif n_warn:
        out.append(paint(summary, "33;1"))
    else:
        out.append(paint("No problems found: " + summary, "32;1"))
    return "\n".join(out)


def shown_path(path: str) -> str:
    """A path as the user should see it: relative to the working folder when it is inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if rel.startswith("..") else rel.replace(os.sep, "/")

"""Diagnostics: what `strategy check` reports, and the three ways it prints them.

Every stage of the pipeline appends to one `Diagnostics` list instead of raising, so that a plan
with fifty mistakes gets fifty messages in one run. They are listed errors first, and among them first
those of files that could not be read at all: the root causes, which may explain other errors.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from .messages import Msg, msg, reader_language, render, words
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
    """One problem. `message` and `hint` are in English; `said` keeps them as `Msg` (key and values) when they
    were given so, to be worded in the reader's language when printed (`text`, `hint_text`)."""

    severity: Severity
    code: str
    file: str
    line: int
    column: int
    message: str
    hint: str | None = None
    said: tuple[str | Msg, str | Msg | None] | None = field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)

    def text(self, language: str = "en") -> str:
        """The message in `language`."""
        return self.message if self.said is None else words(language, self.said[0]) or ""

    def hint_text(self, language: str = "en") -> str | None:
        return self.hint if self.said is None else words(language, self.said[1])

    def as_json(self, language: str) -> dict[str, object]:
        return {"severity": self.severity, "code": self.code, "file": self.file, "line": self.line,
                "column": self.column, "message": self.text(language), "hint": self.hint_text(language)}


class Diagnostics:
    """An ordered collection of diagnostics, de-duplicated."""

    def __init__(self) -> None:
        # the plan's language once strategy.yaml says it (the loader sets it): what the formats speak
        self.language: str | None = None
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
        message: str | Msg,
        hint: str | Msg | None = None,
    ) -> Diagnostic:
        """Adds the diagnostic (once) and returns it, for a later check that may take it back (`discard`)."""
        said = (message, hint) if isinstance(message, Msg) or isinstance(hint, Msg) else None
        item = Diagnostic(severity, code, where.file, where.line, where.column, words("en", message) or "",
                          words("en", hint), said)
        if item not in self._seen:
            self._seen.add(item)
            self._items.append(item)
        return item

    def error(self, code: str, where: Location, message: str | Msg, hint: str | Msg | None = None) -> Diagnostic:
        return self.add("error", code, where, message, hint)

    def warning(self, code: str, where: Location, message: str | Msg, hint: str | Msg | None = None) -> None:
        self.add("warning", code, where, message, hint)

    def speaks(self, fallback: str | None = None) -> str:
        """The reader's language: the plan's, else `fallback` (--lang), else the locale's, else English."""
        return reader_language(self.language, fallback)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        for item in other:
            if item not in self._seen:
                self._seen.add(item)
                self._items.append(item)

    def discard(self, items: Iterable[Diagnostic]) -> None:
        """Take back `items`: what one clearer diagnostic now says (one mistake, one message)."""
        gone = set(items)
        self._items = [d for d in self._items if d not in gone]
        self._seen -= gone

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


def format_json(diagnostics: Diagnostics, language: str | None = None) -> str:
    """`message` and `hint` in the reader's language; `code` stays English, for tools."""
    language = diagnostics.speaks(language)
    payload = {
        "errors": len(diagnostics.errors),
        "warnings": len(diagnostics.warnings),
        "diagnostics": [d.as_json(language) for d in diagnostics.sorted()],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _github_escape(text: str, *, property_value: bool = False) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostics: Diagnostics, language: str | None = None) -> str:
    language = diagnostics.speaks(language)
    lines = []
    for d in diagnostics.sorted():
        hint = d.hint_text(language)
        message = github_safe(d.text(language) + (f" ({hint})" if hint else ""))
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


def summary(diagnostics: Diagnostics, language: str) -> str:
    """"1 error, 2 warnings", "1 erreur, 2 avertissements": plurals by Babel's rules."""
    return render(language, "summary", errors=msg("errors", count=len(diagnostics.errors)),
                  warnings=msg("warnings", count=len(diagnostics.warnings)))


def format_text(diagnostics: Diagnostics, *, colour: bool = False, language: str | None = None) -> str:
    """Grouped by file, one line per problem and its hint beneath, then a summary line."""
    language = diagnostics.speaks(language)

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
        label = paint(render(language, "label-" + d.severity), "31;1" if d.severity == "error" else "33;1")
        text = terminal_safe(d.text(language))
        out.append(f"  {d.line}:{d.column}  {label}  {text}  {paint(f'[{d.code}]', '2')}")
        hint = _terminal_hint(d, language)
        if hint:
            out.append(f"      {paint(render(language, 'label-hint'), '36')} " + "\n        ".join(hint))
    n_err, n_warn = len(diagnostics.errors), len(diagnostics.warnings)
    if out:
        out.append("")
    counts = summary(diagnostics, language)
    if n_err:
        out.append(paint(counts, "31;1"))
    elif n_warn:
        out.append(paint(counts, "33;1"))
    else:
        out.append(paint(render(language, "no-problems", summary=counts), "32;1"))
    return "\n".join(out)


def _terminal_hint(d: Diagnostic, language: str) -> list[str]:
    """A hint's lines for a terminal. A worded hint keeps its own line breaks (an example of what to write),
    its values (the plan's text among them) escaped before they go in, so none of them can start a line."""
    hint = d.said[1] if d.said is not None else None
    if not isinstance(hint, Msg):
        text = d.hint_text(language)
        return [terminal_safe(text)] if text else []
    worded = render(language, hint.key, **{name: _escaped(v) for name, v in hint.values})
    return [terminal_safe(line) for line in worded.split("\n")]


def _escaped(value: object) -> object:
    if isinstance(value, str):
        return terminal_safe(value)
    if isinstance(value, Msg):
        return msg(value.key, **{name: _escaped(v) for name, v in value.values})
    if isinstance(value, tuple):
        return tuple(_escaped(v) for v in value)
    return value


def shown_path(path: str) -> str:
    """A path as the user should see it: relative to the working folder when it is inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if rel.startswith("..") else rel.replace(os.sep, "/")

"""Every sentence and word the tool says to a person, in the reader's language: one table per language, keyed
by a stable English key, each written in a few modules by area and assembled by message_tables.py: messages_en.py (the
diagnostics and the commands' lines), messages_en_site.py (the site's words: `site.`, `explain.`, `label.`…),
messages_en_read.py (a KPI's data and sources: `data.`, `source.`, `refresh.`) and messages_en_commands.py
(`funnel.`, `diff.phrase.`, `pack.`, `init.`, `workflow.`); the same for messages_fr*.py.

A diagnostic keeps its `Msg` (key and values), not only its English text, so that `check`, `build`,
`serve` and `diff` print it in the plan's language, and the JSON output may carry it with its stable code.
Where there is no readable plan, the language is `--lang`, else the locale (LC_ALL, LC_MESSAGES, LANG),
else English.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import string
from dataclasses import dataclass

from babel import Locale

from .i18n import Formatter
from .message_tables import EN, MESSAGES, Template

LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Msg:
    """A sentence not yet worded: its key in MESSAGES and its values (themselves `Msg` when they are words)."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def render(self, language: str) -> str:
        return render(language, self.key, **dict(self.values))

    def __str__(self) -> str:
        return self.render("en")


@dataclass(frozen=True)
class Period:
    """A measurement's period in the reader's words: "novembre 2026", "Q4 2026"."""

    date: dt.date
    period: str

    def render(self, language: str) -> str:
        return Formatter(language).period(self.date, self.period)


@dataclass(frozen=True)
class Fixed:
    """A measure of the tool's own work (a size in MB, a time) worded with the reader's decimal mark (`fixed`)
    once the language is known: "8.5", "8,5"."""

    value: float
    digits: int = 1

    def render(self, language: str) -> str:
        return fixed(language, self.value, self.digits)


def msg(key: str, /, **values: object) -> Msg:
    """`msg("no-kpi", id="croissance")`: values must be hashable (a diagnostic is de-duplicated by them)."""
    return Msg(key, tuple(values.items()))


def render(language: str, key: str, /, **values: object) -> str:
    """The sentence `key` in `language` (English when the language has no table)."""
    table = MESSAGES.get(language, EN)
    template = table.get(key, EN[key])
    shown = {name: _shown(language, name, value) for name, value in values.items()}
    if isinstance(template, dict):
        count = values.get("count", 0)
        form = _plural_form(language, count if isinstance(count, int | float) else 0)
        template = template.get(form, template["other"])
    return template.format(**shown)


def say(language: str, key: str, /, **values: object) -> tuple[str, str]:
    """(message, hint) of `key`: the sentences `key` and `key.hint` in `language`, "" for one the table lacks."""
    message, hint = (render(language, k, **values) if k in EN else "" for k in (key, f"{key}.hint"))
    return message, hint


def said(language: str, command: str, text: str) -> str:
    """A command's line as the reader writes it: "strategy build: …", "strategy build : …" in French (a space
    before the colon, as French typography puts it)."""
    return f"strategy {command}{' : ' if language == 'fr' else ': '}{text}"


def fixed(language: str, value: float, digits: int = 1) -> str:
    """A measure of the tool's own work (a size, a time) with `digits` decimals as the reader writes them:
    "1.5", "1,5" (no grouping: "0.25 s", "1,1 Mo")."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if language == "fr" else text


def words(language: str, text: str | Msg | None) -> str | None:
    """A message or hint as the reader sees it: plain text as it is, a `Msg` worded in `language`."""
    if isinstance(text, Msg):
        return text.render(language)
    return text


# placeholders naming a place or a code, not a quantity: written as a year or a page number is, digits ungrouped
# ("line 1234", "ligne 1234", "port 8080")
_UNGROUPED = frozenset({"line", "column", "row", "code", "port", "year"})


def _shown(language: str, name: str, value: object) -> object:
    if isinstance(value, Msg | Period | Fixed):
        return value.render(language)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)  # a figure read from YAML as 6500.0 is said 6,500, as the pages say it
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1000 \
            and name not in _UNGROUPED and not name.endswith("_line"):
        return Formatter(language).number(value, 0)  # "5,000", "5 000": a count grouped as the pages group it
    if isinstance(value, tuple) and value and all(isinstance(v, Msg) for v in value):
        return "".join(v.render(language) for v in value)  # parts said one after the other
    if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
        return "\n".join(value)  # lines of ours (an example to write): each stays a line in a terminal
    return value


@functools.lru_cache(maxsize=64)
def _plural_form(language: str, count: float) -> str:
    return Locale.parse({"fr": "fr_FR"}.get(language, "en_GB")).plural_form(abs(count))


def placeholders(template: Template) -> set[str]:
    """The names a template fills in (each plural form alike)."""
    forms = template.values() if isinstance(template, dict) else [template]
    return {name.split(".")[0].split("[")[0] for form in forms
            for _, name, _, _ in string.Formatter().parse(form) if name}


def locale_language(environ: dict[str, str] | None = None) -> str | None:
    """The language of the user's locale (LC_ALL, then LC_MESSAGES, then LANG), when the tool speaks it."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:  # the first one set decides, as for every program
            language = value.split("_")[0].split(".")[0].split("-")[0].lower()
            return language if language in LANGUAGES else None
    return None


def reader_language(plan_language: str | None, option: str | None = None) -> str:
    """The plan's language when it could be read; else `--lang`, else the locale's, else English."""
    return plan_language or option or locale_language() or "en"

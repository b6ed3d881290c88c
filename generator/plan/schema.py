"""The shape of every plan file, written once as data.

The same declarations drive validation (with positions and hints) and `strategy schema`
(JSON Schema for editors), so the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from . import impossible_day
from .diagnostics import Diagnostics, Location
from .i18n import LOCALE_PATTERN, known_locale
from .messages import Msg, msg

if TYPE_CHECKING:  # the checker reads what read/yamlpos.py parsed; the plan's domain does not import the reader
    from ..read.yamlpos import Path, YamlDoc

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # always fullmatch: `$` alone lets `grow\n` through
# an id names files (`objectives/ID.html`, `data/ID.csv`, the changes pages): far below a file name's 255 bytes
MAX_ID_LENGTH = 100
ID_LENGTH_HINT = msg("hint.id-length", max=MAX_ID_LENGTH)
ID_HINT = msg("hint.id")
DATE_HINT = msg("hint.date")
RATE_HINT = msg("hint.rate")
# No strategy counts beyond a million billion; the bound keeps every sum, product and chart value finite.
MAX_NUMBER = 1e15
# The funnel's first stage may not need more than this (goal divided by the product of the rates).
MAX_VOLUME = 10**18


@dataclass(frozen=True)
class Field:
    name: str
    # text | markdown | date | number | integer | enum | id | ids | texts | rate | url | currency | locale
    # | mapping | list | boolean
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()  # for mapping, and for each item of list
    description: str = ""
    minimum: float | None = None
    exclusive_minimum: float | None = None
    hint: str = ""  # what to write when the value is malformed, if not the kind's usual hint


def F(name: str, kind: str, description: str = "", **kw: Any) -> Field:
    return Field(name, kind, description=description, **kw)


KPI_FIELDS = (
    F("id", "id", "unique in the whole plan", required=True),
    F("title", "text", "what is measured", required=True),
    F("unit", "text", "e.g. leads, €, %"),
    F("baseline", "number", "starting value (default: the first measurement)"),
    F("target", "number", "value to reach by the due date", required=True),
    F("due", "date", "default: the objective's due date"),
    F("direction", "enum", "default: from baseline to target", choices=("up", "down")),
    F("measure", "enum", "level: the latest value counts; cumulative: the sum since the period start",
      choices=("level", "cumulative")),
    F("cadence", "enum", "how often it is measured",
      choices=("daily", "weekly", "monthly", "quarterly", "yearly")),
    F("data", "text", "CSV file or .xlsx workbook, relative to the plan folder (default data/ID.csv)"),
    F("column", "text", "the column of the values, named in the header row (default value)"),
    F("sheet", "text", "the sheet of an .xlsx workbook (default: the first)"),
    F("csv", "mapping", "how the CSV is written, where reading it cannot tell", fields=(
        F("separator", "enum", "what separates the columns (default: found in the header)",
          choices=(",", ";", "tab")),
        F("decimal", "enum", "the decimal mark (default: proven by the numbers, e.g. 18,50)", choices=(",", ".")),
        F("dates", "enum", "how 03/04/2026 reads (default: day first, proven by a date such as 31/01/2026)",
          choices=("day-first", "month-first")),
        F("encoding", "enum", "(default: UTF-8, UTF-16 with BOM, else Windows-1252 with a warning)",
          choices=("utf-8", "utf-16", "windows-1252")),
    )),
    F("source", "id", "a SQL source, sources/NAME.yaml: `strategy refresh` runs the KPI's query there"),
    F("query", "text", "SQL returning the columns date, value (one row per date), run by `strategy refresh`"),
    F("milestones", "list", "dated interim values that shape the expected path (default: a straight line)",
      fields=(F("date", "date", "between the period start and the KPI's due date", required=True),
              F("value", "number", "the value expected on that date", required=True))),
)

ACTION_FIELDS = (
    F("title", "text", "what will be done", required=True),
    F("owner", "text"),
    F("due", "date"),
    F("status", "enum", choices=("planned", "doing", "done", "dropped")),
    F("kpis", "ids", "KPIs this action should move"),
)

OBJECTIVE_FIELDS = (
    F("title", "text", required=True),
    F("level", "enum", "enterprise strategy or marketing strategy", choices=("enterprise", "marketing")),
    F("department", "text", "e.g. IT, R&D, sales, marketing"),
    F("parent", "id", "the objective this one serves"),
    F("owner", "text"),
    F("due", "date", "default: the plan's end"),
    F("personas", "ids"),
    F("kpis", "list", "how the objective is measured", fields=KPI_FIELDS),
    F("actions", "list", "what will be done", fields=ACTION_FIELDS),
)

STAGE_FIELDS = (
    F("id", "id", required=True),
    F("title", "text", required=True),
    F("rate", "rate", "conversion from the previous stage, in (0, 1]"),
    F("kpi", "id", "KPI giving the stage's actual volume"),
    F("cost", "number", "cost of one unit at this stage", minimum=0),
)

FUNNEL_FIELDS = (
    F("title", "text", required=True),
    F("goal", "number", "the volume the last stage must reach", required=True, exclusive_minimum=0),
    F("due", "date"),
    F("main", "boolean", "shown at a glance on the dashboard (default: every funnel is, when none is main)"),
    F("stages", "list", "at least 2, top to bottom", required=True, fields=STAGE_FIELDS),
)

PERSONA_FIELDS = (
    F("name", "text", required=True),
    F("role", "text"),
    *(F(k, "texts") for k in ("goals", "pains", "traits", "channels", "messages", "sources")),
)

EXPERIENCE_FIELDS = (
    F("title", "text", required=True),
    F("personas", "ids"),
    F("funnel", "id"),
    F("stage", "id", "a stage id of that funnel"),
    F("channel", "text"),
    F("moments", "texts", "micro-moments"),
    F("objectives", "ids"),
)

SOLUTION_FIELDS = (
    F("title", "text", required=True),
    F("category", "enum", choices=("saas", "software", "portal", "web", "app", "service", "other")),
    F("cost", "mapping", fields=(
        F("amount", "number", required=True, minimum=0),
        F("per", "enum", required=True, choices=("month", "year", "once")),
    )),
    F("department", "text"),
    F("objectives", "ids"),
    F("experiences", "ids"),
)

PAGE_FIELDS = (
    F("title", "text", required=True),
    F("order", "integer", "menu order"),
)

SETTINGS_FIELDS = (
    F("title", "text", "plan title", required=True),
    F("organization", "text"),
    F("language", "enum", choices=("fr", "en")),
    F("period", "mapping", "the plan's horizon", required=True, fields=(
        F("start", "date", required=True),
        F("end", "date", required=True),
    )),
    F("currency", "currency", "ISO 4217 code, e.g. EUR"),
    F("locale", "locale", "local conventions of money, numbers and dates, e.g. fr-FR, fr-CA, en-US, en-GB"),
    F("sector", "text"),
    F("positioning", "text"),
    F("vision", "markdown", "why the plan exists"),
    F("base_url", "url", "where the site is published"),
    F("theme", "id", "themes/NAME beside the plan folder",
      hint="write the name of a folder in themes/ beside the plan folder, e.g. theme: default"),
    F("versions", "mapping", fields=(F("tags", "text", "glob of the git tags to publish"),)),
    F("rules", "mapping", "thresholds of the lint rules", fields=(
        F("at_risk", "number", minimum=0),
        F("bottleneck", "number", "a funnel stage converting below this share of its planned rate is a "
          "bottleneck (default 0.9)", minimum=0),
        F("max_objectives", "integer", minimum=0),
        F("max_kpis_per_objective", "integer", minimum=0),
        F("budget_share", "number", minimum=0),
    )),
)

SOURCE_FIELDS = (  # sources/NAME.yaml
    F("type", "enum", "the kind of database", required=True, choices=("sqlite", "duckdb", "postgres")),
    F("database", "text", "sqlite, duckdb: the database file, relative to the plan folder"),
    F("url_env", "text", "the environment variable holding the connection URL (secrets never live in the plan)"),
)


WHAT = {  # how a mapping is named in messages, by its fields
    KPI_FIELDS: msg("what.kpi"),
    ACTION_FIELDS: msg("what.action"),
    STAGE_FIELDS: msg("what.stage"),
    OBJECTIVE_FIELDS: msg("what.objective"),
    FUNNEL_FIELDS: msg("what.funnel"),
    PERSONA_FIELDS: msg("what.persona"),
    EXPERIENCE_FIELDS: msg("what.experience"),
    SOLUTION_FIELDS: msg("what.solution"),
    PAGE_FIELDS: msg("what.page"),
    SETTINGS_FIELDS: msg("what.settings"),
    SOURCE_FIELDS: msg("what.source"),
}


def parse_rate(value: Any) -> Fraction | None:
    """A conversion rate, exactly: 0.2, "1/50", "2%", "2 %". None when unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Fraction(repr(value))  # the decimal as written, not its binary approximation
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if len(text) > 40 or re.search(r"[eE]\s*[-+]?\d{3}", text):
            return None  # no rate is written like this, and exact arithmetic on it would not end
        try:
            if text.endswith("%"):
                return Fraction(text[:-1].strip()) / 100
            if "/" in text:
                num, den = text.split("/", 1)
                return Fraction(num.strip()) / Fraction(den.strip())
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            return None
    return None


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def is_locale(value: Any) -> bool:
    """Whether `value` is a locale a plan may name: a language and a region that Babel knows (fr-CA, en-GB)."""
    return isinstance(value, str) and bool(re.fullmatch(LOCALE_PATTERN, value)) and known_locale(value)


def _describe(value: Any) -> Msg:
    """A value as a message names it: "nothing", "a list", "the number 12", "\"texte\""."""
    if value is None:
        return msg("describe.nothing")
    if isinstance(value, bool):
        return msg("describe.yes-no", value=str(value).lower())
    if isinstance(value, dict):
        return msg("describe.mapping")
    if isinstance(value, list):
        return msg("describe.list")
    if isinstance(value, dt.date):
        return msg("describe.date", value=value.isoformat())
    if isinstance(value, int) and abs(value) >= 10**20:
        return msg("describe.digits", count=len(str(abs(value))))
    if isinstance(value, int | float):
        return msg("describe.number", value=str(value))
    text = str(value)
    return msg("describe.text", text=f"{text[:40]}…" if len(text) > 40 else text)


def _did_you_mean(close: list[str]) -> Msg:
    return msg("did-you-mean", close=close[0]) if close else msg("nothing")


def _quoted_item(value: Any) -> str | None:
    """`Objectif : croissance`, when YAML read a text with " : " as a one-line mapping."""
    if isinstance(value, dict) and len(value) == 1:
        (key, inner), = value.items()
        if isinstance(key, str) and isinstance(inner, str | int | float) and not isinstance(inner, bool):
            return f"{key} : {inner}"
    return None


@dataclass
class Checker:
    """Validates one parsed file against its fields, appending to `diagnostics`."""

    doc: YamlDoc
    file: str
    diagnostics: Diagnostics
    positions: dict[Path, Location] = field(default_factory=dict)

    def loc(self, path: Path, *, key: bool = False) -> Location:
        line, col = self.doc.key_pos(path) if key else self.doc.value_pos(path)
        return Location(self.file, line, col)

    def error(self, code: str, path: Path, message: str | Msg, hint: str | Msg | None = None, *,
              key: bool = False) -> None:
        self.diagnostics.error(code, self.loc(path, key=key), message, hint)

    def mapping(self, data: Any, fields: tuple[Field, ...], path: Path = ()) -> dict[str, Any] | None:
        """Check a mapping; returns cleaned values for the keys that are valid."""
        what = WHAT.get(fields) or (msg("what.key", key=path[-1]) if path and isinstance(path[-1], str)
                                    else msg("what.mapping"))
        if not isinstance(data, dict):
            example = [f"{f.name}: …" for f in fields if f.required] or [f"{fields[0].name}: …"]
            if path and isinstance(path[-1], str):
                example = [f"{path[-1]}:", *(f"  {line}" for line in example)]
            self.error("type", path, msg("type.mapping", what=what, value=_describe(data)),
                       msg("hint.like-this", example=tuple(f"  {line}" for line in example)))
            return None
        by_name = {f.name: f for f in fields}
        clean: dict[str, Any] = {}
        suggested: set[str] = set()  # keys a misspelt key was taken for: their absence is that one mistake
        for key, value in data.items():
            if key not in by_name:
                close = difflib.get_close_matches(key, list(by_name), n=1, cutoff=0.6)
                suggested.update(close)
                hint = msg("hint.valid-keys", close=_did_you_mean(close), valid=", ".join(by_name))
                self.error("unknown-key", (*path, key), msg("unknown-key", key=str(key), what=what), hint, key=True)
                continue
            self.positions[(*path, key)] = self.loc((*path, key), key=True)
            if value is None and not by_name[key].required:
                continue  # `key:` with nothing after it is the same as leaving it out
            checked = self.value(value, by_name[key], (*path, key))
            if checked is not _INVALID:
                clean[key] = checked
        for f in fields:
            value = data.get(f.name)
            if f.required and (value is None or (isinstance(value, str) and not value.strip())):
                if f.name in data:
                    self.error("required", (*path, f.name), msg("required.empty", name=f.name, what=what),
                               self._example(f), key=True)
                elif f.name not in suggested:  # `titel:` is one mistake: the unknown key says "did you mean"
                    self.error("required", path, msg("required.missing", name=f.name, what=what), self._example(f))
        return clean

    def _example(self, f: Field) -> Msg:
        examples = {
            "date": f"{f.name}: 2026-12-31", "number": f"{f.name}: 100", "integer": f"{f.name}: 1",
            "rate": f'{f.name}: "1/5"', "list": f"{f.name}:\n  - …", "mapping": f"{f.name}:\n  …",
            "id": f"{f.name}: my-id", "enum": f"{f.name}: {f.choices[0] if f.choices else ''}",
        }
        return msg("hint.add", example=examples.get(f.kind, f'{f.name}: "…"'))

    def value(self, value: Any, f: Field, path: Path) -> Any:
        kind = f.kind
        if kind in ("text", "markdown", "url"):
            quoted = _quoted_item(value)
            if quoted is not None:  # `- Objectif : croissance`: the French " : " made it a mapping
                self.error("type", path, msg("type.colon", text=quoted), msg("hint.quote-item", text=quoted))
                return _INVALID
            if isinstance(value, bool) or not isinstance(value, str | int | float | dt.date):
                return self._type(path, f, value, msg("expected.text", name=f.name))
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            if kind == "url" and not re.match(r"^https?://[^\s]+$", text):
                self.error("type", path, msg("type.url", name=f.name), msg("hint.url", name=f.name))
                return _INVALID
            return text
        if kind == "date":
            parsed = parse_date(value)
            if parsed is None:
                if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", value):
                    padded = _padded_date(value)
                    if padded is not None:  # 2026-12-1: a real date, written without its zeros
                        self.error("bad-date", path, msg("bad-date.padding", name=f.name, value=value.strip()),
                                   msg("hint.write", example=f"{f.name}: {padded.isoformat()}"))
                    else:
                        self.error("bad-date", path, msg("bad-date", name=f.name, value=value.strip()),
                                   impossible_day.hint(value) or DATE_HINT)  # 2026-02-30: February has 28
                    return _INVALID
                return self._type(path, f, value, msg("expected.date"))
            return parsed
        if kind in ("number", "integer"):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if kind == "integer":
                ok = ok and (isinstance(value, int) or float(value).is_integer())
            if not ok:
                expected = "expected.whole" if kind == "integer" else "expected.number"
                return self._type(path, f, value, msg(expected, name=f.name))
            if isinstance(value, float) and not math.isfinite(value):
                self.error("type", path, msg("type.finite", name=f.name, value=str(value)),
                           msg("hint.example", example=f"{f.name}: 1250"))
                return _INVALID
            if abs(value) >= MAX_NUMBER:  # also a huge int, which float() would overflow on
                self.error("range", path, msg("range.large", name=f.name, value=_describe(value)),
                           msg("hint.large", name=f.name))
                return _INVALID
            if f.minimum is not None and value < f.minimum:
                self.error("range", path, msg("range.minimum", name=f.name, minimum=f"{f.minimum:g}",
                                              value=f"{value:g}"),
                           msg("hint.minimum", minimum=f"{f.minimum:g}", example=f"{f.name}: {max(f.minimum, 1):g}"))
                return _INVALID
            if f.exclusive_minimum is not None and value <= f.exclusive_minimum:
                self.error("range", path, msg("range.above", name=f.name, minimum=f"{f.exclusive_minimum:g}",
                                              value=f"{value:g}"),
                           msg("hint.example", example=f"{f.name}: 5"))
                return _INVALID
            return int(value) if kind == "integer" else value
        if kind == "boolean":
            if not isinstance(value, bool):
                return self._type(path, f, value, msg("expected.boolean", name=f.name))
            return value
        if kind == "enum":
            if value not in f.choices:
                close = difflib.get_close_matches(str(value), f.choices, n=1, cutoff=0.6)
                hint = msg("hint.one-of", close=_did_you_mean(close), choices=", ".join(f.choices))
                self.error("bad-value", path, msg("type", name=f.name, value=_describe(value)), hint)
                return _INVALID
            return value
        if kind == "id":
            if not isinstance(value, str) or isinstance(value, bool):
                return self._type(path, f, value, msg("expected.id", name=f.name))
            if not ID_PATTERN.fullmatch(value):
                printable = value if value.isprintable() else value.encode("unicode_escape").decode("ascii")  # `grow\n`
                if f.hint:  # a name with its own rule (a theme: a folder's name)
                    self.error("bad-id", path, msg("bad-id.name", value=printable, name=f.name), msg("hint.theme"))
                else:
                    self.error("bad-id", path, msg("bad-id", value=printable), ID_HINT)
                return _INVALID
            if len(value) > MAX_ID_LENGTH:
                self.error("bad-id", path, msg("bad-id.length", length=len(value), max=MAX_ID_LENGTH),
                           ID_LENGTH_HINT)
                return _INVALID
            return value
        if kind in ("ids", "texts"):
            if isinstance(value, str):
                return self._type(path, f, value, msg("expected.list", example=f"{f.name}: [{value}]"))
            if not isinstance(value, list):
                return self._type(path, f, value, msg("expected.list", example=f"{f.name}: [a, b]"))
            items = []
            inner = Field(f.name, "id" if kind == "ids" else "text")
            for i, item in enumerate(value):
                checked = self.value(item, inner, (*path, i))
                if checked is not _INVALID:
                    items.append(checked)
            return items
        if kind == "rate":
            rate = parse_rate(value)
            shown = value if isinstance(value, int | float | str) and not isinstance(value, bool) else None
            if rate is None:
                short = shown if not isinstance(shown, str) or len(shown) <= 40 else shown[:40] + "…"
                what = msg("describe.code", text=short) if isinstance(short, str) and short.strip() \
                    else _describe(value)
                self.error("bad-rate", path, msg("bad-rate.number", value=what), RATE_HINT)
                return _INVALID
            if not 0 < rate <= 1:
                if isinstance(shown, int | float) and 1 < shown <= 100:
                    hint = msg("hint.rate-percent", percent=f"{shown:g}", share=f"{shown / 100:g}")
                else:
                    hint = msg("hint.rate-range")
                self.error("bad-rate", path, msg("bad-rate.range", value=str(shown)), hint)
                return _INVALID
            return (rate, value)
        if kind == "currency":
            if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
                return self._type(path, f, value, msg("expected.currency"))
            return value
        if kind == "locale":
            if not is_locale(value):
                return self._type(path, f, value, msg("expected.locale"))
            return value
        if kind == "mapping":
            result = self.mapping(value, f.fields, path)
            return _INVALID if result is None else result
        if kind == "list":
            if not isinstance(value, list):
                return self._type(path, f, value, msg("expected.items", name=f.name))
            out = []
            for i, item in enumerate(value):
                result = self.mapping(item, f.fields, (*path, i))
                out.append((i, result))
            return out
        raise AssertionError(kind)  # pragma: no cover

    def _type(self, path: Path, f: Field, value: Any, expected: Msg) -> Any:
        self.error("type", path, msg("type", name=f.name, value=_describe(value)), msg("hint.write", example=expected))
        return _INVALID


def _padded_date(text: str) -> dt.date | None:
    """2026-12-1 as the date it means, when it is one."""
    try:
        year, month, day = (int(part) for part in text.strip().split("-"))
        return dt.date(year, month, day)
    except ValueError:
        return None


class _Invalid:
    def __repr__(self) -> str:
        return "<invalid>"


_INVALID = _Invalid()

"""SQL sources as `strategy check` sees them: never a connection, only files.

`sources/NAME.yaml` declares a database (`type: sqlite | duckdb | postgres`, a `database:` file or the
`url_env:` variable holding its URL); a KPI with `source: NAME` and `query:` takes its measurements from
it through `strategy refresh` (refresh.py), which writes the KPI's snapshot (data/ID.csv) and its line in
`sources.lock.json`: the query's digest, the row count, when the snapshot last changed. check, build,
diff and old versions read the snapshot like any CSV; here they learn whether it is missing (an error)
or was taken with another query (`query-changed`).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..plan.diagnostics import Diagnostics, Location
from ..plan.messages import say
from ..plan.model import Plan
from ..plan.schema import ID_HINT, ID_PATTERN, SOURCE_FIELDS, Checker
from .source import FileTooLarge, Source
from .yamlpos import parse_yaml

FOLDER = "sources"
LOCK = "sources.lock.json"


def _say(language: str, key: str, **values: object) -> tuple[str, str]:
    """(message, hint) of `key`: the one table's `source.KEY` and `source.KEY.hint`."""
    return say(language, f"source.{key}", **values)


@dataclass(frozen=True)
class SourceConfig:
    name: str
    type: str
    database: str | None  # relative to the plan folder
    url_env: str | None


def digest(query: str) -> str:
    """The query's fingerprint, blind to how it is wrapped and indented in the YAML."""
    return hashlib.sha256(" ".join(query.split()).encode("utf-8")).hexdigest()


def snapshot_path(kpi_id: str, data: str | None) -> str:
    return posixpath.normpath(data) if data else f"data/{kpi_id}.csv"


def is_source_file(rel: str) -> bool:
    """The files this module reads (the loader leaves them alone)."""
    return rel == LOCK or rel.startswith(f"{FOLDER}/")


def read_configs(source: Source, diagnostics: Diagnostics,
                 language: str = "en") -> tuple[dict[str, SourceConfig], set[str]]:
    """The sources declared in sources/, and the names of those that could not be read (reported)."""
    configs: dict[str, SourceConfig] = {}
    unread: set[str] = set()
    for rel in source.files():
        top, _, name = rel.partition("/")
        if top != FOLDER or "/" in name or not name.endswith((".yaml", ".yml")):
            continue
        stem = posixpath.splitext(name)[0]
        where = Location(source.display(rel))
        if not ID_PATTERN.match(stem):
            diagnostics.error("bad-id", where, *_say(language, "bad-name", name=name, hint=ID_HINT))
            continue
        config = _config(source, rel, stem, diagnostics, language)
        if config is None:
            unread.add(stem)
        else:
            configs[stem] = config
    return configs, unread


def _config(source: Source, rel: str, name: str, diagnostics: Diagnostics, language: str) -> SourceConfig | None:
    shown = source.display(rel)
    text = _text(source, rel, diagnostics)
    if text is None:
        return None
    doc = parse_yaml(text)
    for p in doc.problems:
        diagnostics.error(p.code, Location(shown, p.line, p.column), p.message, p.hint)
    if doc.problems:
        return None
    checker = Checker(doc, shown, diagnostics)
    before = len(diagnostics.errors)
    clean = checker.mapping(doc.data if doc.data is not None else {}, SOURCE_FIELDS)
    if clean is None or len(diagnostics.errors) > before:
        return None
    kind, database, url_env = clean["type"], clean.get("database"), clean.get("url_env")
    if database and url_env:
        checker.error("source-connection", ("url_env",), *_say(language, "both"))
        return None
    if kind == "postgres" and not url_env:
        checker.error("source-connection", (), *_say(language, "postgres"))
        return None
    if kind == "sqlite" and not (database or url_env):
        checker.error("source-connection", (), *_say(language, "sqlite"))
        return None
    if database:
        norm = posixpath.normpath(database.replace("\\", "/"))
        if database.startswith(("/", "\\")) or norm == ".." or norm.startswith("../") or ":" in database[:3]:
            checker.error("data-path", ("database",), *_say(language, "outside", path=database))
            return None
        database = norm
    return SourceConfig(name, kind, database, url_env)


def _text(source: Source, rel: str, diagnostics: Diagnostics) -> str | None:
    where = Location(source.display(rel))
    try:
        raw = source.read_bytes(rel)
    except (FileTooLarge, OSError) as exc:
        diagnostics.error("unreadable", where, f"this file cannot be read: {exc}", "keep it a small UTF-8 text file")
        return None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        diagnostics.error("encoding", where, "this file is not UTF-8", "save the file as UTF-8 in your editor")
        return None


def read_lock(source: Source, diagnostics: Diagnostics, language: str = "en") -> dict[str, dict[str, Any]]:
    """sources.lock.json's line per KPI ({} when there is none yet)."""
    if LOCK not in source.files():
        return {}
    text = _text(source, LOCK, diagnostics)
    try:
        data = json.loads(text) if text is not None else {}
    except json.JSONDecodeError as exc:
        diagnostics.error("sources-lock", Location(source.display(LOCK), exc.lineno, exc.colno),
                          *_say(language, "lock", reason=exc.msg))
        return {}
    kpis = data.get("kpis") if isinstance(data, dict) else None
    return {k: v for k, v in kpis.items() if isinstance(v, dict)} if isinstance(kpis, dict) else {}


def check(source: Source, plan: Plan, diagnostics: Diagnostics, display: Callable[[str], str],
          declared: tuple[dict[str, SourceConfig], set[str]]) -> None:
    """For each sourced KPI: its source, its snapshot and the query it was taken with. `declared` is what
    `read_configs` found (the loader reads it first, so that a source's database file is not unknown)."""
    configs, unread = declared
    sourced = [k for k in plan.kpis.values() if k.source is not None or k.query is not None]
    if not sourced:
        return
    language = plan.settings.language
    lock = read_lock(source, diagnostics, language)
    files = set(source.files())
    for kpi in sourced:
        if kpi.query is None:
            diagnostics.error("required", kpi.at("source"), *_say(language, "no-query", kpi=kpi.id, source=kpi.source))
            continue
        if kpi.source is None:
            diagnostics.error("required", kpi.at("query"), *_say(language, "no-source", kpi=kpi.id))
            continue
        if kpi.source not in configs:
            if kpi.source not in unread:
                known = ", ".join(sorted(configs)) or _say(language, "none-yet")[1]
                diagnostics.error("unknown-ref", kpi.at("source="),
                                  *_say(language, "unknown", source=kpi.source, known=known))
            continue
        snapshot = snapshot_path(kpi.id, kpi.data)
        if snapshot not in files:
            if kpi.data is None:  # a `data:` that does not exist is already `missing-data`
                diagnostics.error("no-snapshot", kpi.at("source="),
                                  *_say(language, "no-snapshot", kpi=kpi.id, source=kpi.source,
                                        path=display(snapshot)))
            continue
        entry = lock.get(kpi.id)
        if entry is None or entry.get("query_sha256") != digest(kpi.query):
            diagnostics.warning("query-changed", kpi.at("query="),
                                *_say(language, "untaken" if entry is None else "changed", kpi=kpi.id,
                                      path=display(snapshot)))

"""`strategy refresh`: run each sourced KPI's query, read-only, and keep what it returns as the KPI's
snapshot (data/ID.csv) with its line in sources.lock.json, both to be committed and reviewed.

The only place that connects to a database. SQLite needs nothing; DuckDB and PostgreSQL come with the
extras `strategy-site[duckdb]` and `strategy-site[postgres]`. A snapshot that did not change keeps its
lock line as it was, so that a refresh with nothing new changes no file.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import sqlite3
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .plan import gaps, periods
from .plan.diagnostics import Diagnostics
from .plan.messages import Fixed, render
from .plan.model import KPI
from .read import sources
from .read.budgets import max_file_bytes
from .read.loader import load_plan
from .read.source import DirectorySource
from .read.sources import SourceConfig
from .refresh_errors import RefreshError, connect_failed, query_failed


@dataclass
class RefreshResult:
    lines: list[str] = field(default_factory=list)  # one per KPI, in the plan's language
    errors: list[str] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)  # the plan's or the sources' files

    @property
    def ok(self) -> bool:
        return not self.errors and not self.diagnostics.errors


def refresh(plan_dir: Path, *, source: str | None = None, kpi: str | None = None,
            now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> RefreshResult:
    """Run the queries of the sourced KPIs (of one source, or one KPI) and write their snapshots."""
    result = RefreshResult()
    folder = DirectorySource(plan_dir)
    plan = load_plan(folder, Diagnostics())  # its own problems are check's to report; the KPIs are enough
    language = plan.settings.language if plan is not None else "en"

    def say(key: str, **values: object) -> str:
        return render(language, f"refresh.{key}", **values)

    configs, _ = sources.read_configs(folder, result.diagnostics, language)
    if plan is None or plan.unread.settings:
        result.errors.append(say("no-plan"))
        return result
    if result.diagnostics.errors:
        return result
    chosen = [k for k in plan.kpis.values() if k.source and k.query
              and (source is None or k.source == source) and (kpi is None or k.id == kpi)]
    if not chosen:
        which = f" `{source}`" if source else ""
        result.errors.append(say("no-such-kpi", kpi=kpi) if kpi else say("no-kpi", which=which))
        return result
    lock_path = plan_dir / sources.LOCK
    lock = sources.read_lock(folder, result.diagnostics, language)
    for item in chosen:
        config = configs.get(item.source or "")
        try:
            if config is None:
                raise RefreshError("failed", kpi=item.id, reason=f"source `{item.source}`?")
            rows = _measurements(config, item, plan_dir)
        except RefreshError as exc:
            reason = say(exc.key, **exc.values)
            result.errors.append(say("failed", kpi=item.id, reason=reason))
            continue
        rel = sources.snapshot_path(item.id, item.data)
        if not rel.endswith(".csv"):
            result.errors.append(say("failed", kpi=item.id, reason=say("not-csv", path=rel)))
            continue
        text = "date,value\n" + "".join(f"{d},{v}\n" for d, v in rows)
        size, most = len(text.encode("utf-8")), max_file_bytes(rel)
        if size > most:  # never write a snapshot that check would then refuse
            reason = say("too-large", rows=len(rows), size=Fixed(size / 1_048_576), most=most // 1_048_576)
            result.errors.append(say("failed", kpi=item.id, reason=reason))
            continue
        path = plan_dir / rel
        before = path.read_bytes() if path.exists() else None
        entry = {"source": item.source, "query_sha256": sources.digest(item.query or ""), "rows": len(rows),
                 "snapshot": rel}
        changed = before != text.encode("utf-8") or {k: v for k, v in lock.get(item.id, {}).items()
                                                      if k != "refreshed"} != entry
        if changed:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            lock[item.id] = {**entry, "refreshed": now().replace(microsecond=0).isoformat()}
        state = "new" if before is None else "changed" if changed else "unchanged"
        result.lines.append(say("written", kpi=item.id, rows=len(rows), source=item.source, path=rel,
                                state=say(state)))
    text = json.dumps({"version": 1, "kpis": dict(sorted(lock.items()))}, indent=2, ensure_ascii=False) + "\n"
    if not lock_path.exists() or lock_path.read_text(encoding="utf-8") != text:
        lock_path.write_text(text, encoding="utf-8", newline="\n")
    return result


def _measurements(config: SourceConfig, kpi: KPI, plan_dir: Path) -> list[tuple[str, str]]:
    """(date as a CSV writes it, number) for each row the KPI's query returns, read-only."""
    connection = _connect(config, plan_dir)
    try:
        if config.type == "duckdb":  # an in-memory DuckDB has no file to open read-only: COPY … TO would write
            _one_select(connection, kpi.query or "")
        cursor = connection.cursor()
        try:
            cursor.execute(kpi.query)
            names = [d[0].lower() for d in cursor.description or ()]
            fetched = cursor.fetchall()
        except Exception as exc:  # each driver has its own errors; the message is the database's
            raise query_failed(config.type, exc, source=config.name, path=config.database) from exc
    finally:
        connection.close()
    if "date" in names and "value" in names:
        di, vi = names.index("date"), names.index("value")
    elif len(names) == 2:
        di, vi = 0, 1
    else:
        raise RefreshError("columns", found=", ".join(names) or "nothing")
    rows = [(_date(row[di], n), _number(row[vi], n)) for n, row in enumerate(fetched, start=1)]
    return _as_periods(rows, kpi.cadence)


def _as_periods(rows: list[tuple[str, str]], cadence: str) -> list[tuple[str, str]]:
    """A monthly (quarterly) KPI's rows all dated a month's (quarter's) first day, as `date_trunc('month', …)`
    returns them, written as the months (quarters) they stand for: `2026-01`, not `2026-01-01`, which
    check would read as that one day and warn about (`day-as-month`) in a file the next refresh rewrites."""
    days = [found for found in (periods.parse(day) for day, _ in rows) if found is not None]
    if len(days) != len(rows) or not gaps.looks_like_months(days, cadence):
        return rows
    period = periods.QUARTER if cadence == "quarterly" else periods.MONTH
    return [(periods.written(day, period), value) for (day, _), (_, value) in zip(days, rows, strict=True)]


def _one_select(connection: Any, query: str) -> None:
    import duckdb

    try:
        kinds = [statement.type for statement in connection.extract_statements(query)]
    except duckdb.Error as exc:
        raise query_failed("duckdb", exc, source="", path=None) from exc
    if kinds != [duckdb.StatementType.SELECT]:
        raise RefreshError("select-only", found=", ".join(k.name for k in kinds) or "nothing")


def _connect(config: SourceConfig, plan_dir: Path) -> Any:
    url = None
    if config.url_env:
        url = os.environ.get(config.url_env)
        if not url:
            raise RefreshError("missing-env", env=config.url_env, source=config.name)
    database = plan_dir / config.database if config.database else None
    if database is not None and not database.exists():
        raise RefreshError("missing-db", path=config.database, source=config.name)
    if config.type == "sqlite":
        target = str(database) if database is not None else (url or "").removeprefix("sqlite:///")
        # mode=ro: the file is opened read-only; query_only refuses every write, even to a temporary table
        connection: Any = sqlite3.connect(f"file:{urllib.parse.quote(target)}?mode=ro", uri=True)
        connection.execute("PRAGMA query_only = ON")
        return connection
    if config.type == "duckdb":
        try:
            import duckdb
        except ImportError as exc:
            raise RefreshError("driver", source=config.name, package="duckdb", extra="duckdb") from exc
        # never install or load an extension at run time; a database file is opened read-only
        # and a file a query reads (read_parquet('exports/leads.parquet')) is found from the plan folder
        settings = {"autoinstall_known_extensions": False, "autoload_known_extensions": False,
                    "file_search_path": str(plan_dir)}
        target = str(database) if database is not None else (url or ":memory:")
        try:
            return duckdb.connect(target, read_only=target != ":memory:", config=settings)  # type: ignore[arg-type]
        except duckdb.Error as exc:  # not a DuckDB file, or one another process holds open for writing
            raise connect_failed("duckdb", exc, source=config.name, url=url, url_env=config.url_env,
                                 path=config.database) from exc
    try:
        import psycopg
    except ImportError as exc:
        raise RefreshError("driver", source=config.name, package="psycopg", extra="postgres") from exc
    try:
        connection = psycopg.connect(url or "", connect_timeout=20)
    except Exception as exc:  # server down, port refused, database or user unknown, a malformed URL
        raise connect_failed("postgres", exc, source=config.name, url=url, url_env=config.url_env,
                             path=config.database) from exc
    connection.read_only = True  # every statement runs in a READ ONLY transaction
    return connection


def _date(value: object, row: int) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip() if value is not None else ""
    if periods.parse(text) is None:
        raise RefreshError("bad-date", row=row, value=text)
    return text


def _number(value: object, row: int) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal):
        raise RefreshError("bad-value", row=row, value=value)
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    return repr(value) if isinstance(value, float) else str(value)

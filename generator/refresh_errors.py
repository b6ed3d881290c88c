"""What a database driver's failure means to the plan's author, for `strategy refresh`.

The drivers speak English whatever the plan's language: refresh says what went wrong in the plan's
language (could not connect, not one SELECT, not a SQLite file) and then quotes the driver's own first
line, marked as the database's words, with any password of the source's URL taken out.
"""

from __future__ import annotations

import urllib.parse

DATABASES = {"sqlite": "SQLite", "duckdb": "DuckDB", "postgres": "PostgreSQL"}

# SQLite's sentences that have a plain meaning for the plan's author: the word key saying it
_SQLITE_MEANINGS = {
    "attempt to write a readonly database": "read-only",
    "you can only execute one statement at a time.": "one-statement",
    "file is not a database": "not-sqlite",
}


class RefreshError(Exception):
    """A query that could not run or returned what is not a KPI's measurements: (word key, values)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


def first_line(exc: BaseException, url: str | None = None) -> str:
    """The driver's reason, its first line, without the URL's password (a malformed URL is echoed whole)."""
    text = str(exc).strip()
    line = text.splitlines()[0].strip() if text else type(exc).__name__
    if url:
        line = line.replace(url, "…")
        password = urllib.parse.urlsplit(url).password if "://" in url else None
        if password:
            line = line.replace(password, "…").replace(urllib.parse.unquote(password), "…")
    return line


def query_failed(database_type: str, exc: BaseException, *, source: str, path: str | None) -> RefreshError:
    """The query ran and the database refused it: said in plain words when SQLite's reason has a plain
    meaning, else `the query failed` followed by the database's own words."""
    said = first_line(exc)
    database = DATABASES.get(database_type, database_type)
    meaning = _SQLITE_MEANINGS.get(said.lower()) if database_type == "sqlite" else None
    if meaning is not None:
        return RefreshError(meaning, source=source, path=path or "", database=database, error=said)
    return RefreshError("query", database=database, error=said)


def connect_failed(database_type: str, exc: BaseException, *, source: str, url: str | None,
                   url_env: str | None, path: str | None) -> RefreshError:
    """The source's server or file could not be reached: never `the query failed`, and with what to look at."""
    said = first_line(exc, url)
    database = DATABASES.get(database_type, database_type)
    if url_env:
        return RefreshError("connect", source=source, env=url_env, database=database, error=said)
    return RefreshError("connect-file", source=source, path=path or "", database=database, error=said)

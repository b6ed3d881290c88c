"""`strategy refresh` failures said in the plan's language: a source it cannot reach is "could not connect",
not "the query failed", with what to look at and never the URL's password; SQLite's English reasons that
have a plain meaning (writes, several statements, not a SQLite file) are said in the plan's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.refresh import refresh
from tests.test_sources import make


def english(plan: Path) -> Path:
    settings = plan / "strategy.yaml"
    settings.write_text(settings.read_text().replace("language: fr", "language: en"))
    return plan


def test_a_server_that_refuses_the_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PostgreSQL URL whose port nobody listens on reads « impossible de se connecter à la source `crm` »
    with the variable to check and the driver's words quoted after, in French and in English; the URL's
    password is never shown."""
    pytest.importorskip("psycopg")
    monkeypatch.setenv("CRM_URL", "postgresql://lecteur:s3cr3t-pw@127.0.0.1:1/crm")
    plan = make(tmp_path, source="type: postgres\nurl_env: CRM_URL\n")
    [error] = refresh(plan).errors
    assert error.startswith("leads : impossible de se connecter à la source `crm` : son serveur est-il démarré, et "
                            "CRM_URL contient-elle la bonne URL (hôte, port, base, utilisateur) ? PostgreSQL "
                            "répond : «\u00a0")
    assert error.endswith("\u00a0»") and "la requête a échoué" not in error and "s3cr3t" not in error
    [error] = refresh(english(plan)).errors
    assert error.startswith("leads: could not connect to the source `crm`: is its server running, and does CRM_URL "
                            "hold the right URL (host, port, database, user)? PostgreSQL says: \"")


def test_a_malformed_url_is_not_echoed_with_its_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A URL the driver cannot parse (it echoes the whole of it) is said without the password in it."""
    pytest.importorskip("psycopg")
    monkeypatch.setenv("CRM_URL", "postgresql//lecteur:s3cr3t-pw@db.example/crm")
    [error] = refresh(make(tmp_path, source="type: postgres\nurl_env: CRM_URL\n")).errors
    assert error.startswith("leads : impossible de se connecter à la source `crm`")
    assert "s3cr3t" not in error


def test_several_statements_are_said_in_the_plan_language(tmp_path: Path) -> None:
    """Two statements in a SQLite query read as a sentence in the plan's language, not SQLite's
    "You can only execute one statement at a time."."""
    query = "SELECT '2026-01' AS date, 1 AS value; SELECT '2026-02', 2"
    assert refresh(make(tmp_path, query=query)).errors == [
        "leads : la requête doit être une seule instruction SELECT : retirez ce qui suit son premier `;`"]


def test_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    """A source's `database:` that is no SQLite file says so, naming the file and where it is set, in English
    in an English plan, not "file is not a database"."""
    plan = english(make(tmp_path))
    (plan / "crm.sqlite").write_bytes(b"date,value\n2026-01,1\n" * 100)
    assert refresh(plan).errors == [
        "leads: crm.sqlite, the database of the source `crm`, is not a SQLite database file: check `database:` in "
        "sources/crm.yaml"]

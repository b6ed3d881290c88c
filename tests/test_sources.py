"""SQL sources: `strategy refresh` runs a KPI's query read-only and writes its snapshot and lock line;
check, build and diff read only those files and say when a snapshot is missing or out of date."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.pipeline import Checked, check
from generator.read.source import DirectorySource
from generator.refresh import refresh
from tests.conftest import MINIMAL_SETTINGS, codes, only

TODAY = dt.date(2026, 4, 15)
QUERY = """SELECT strftime('%Y-%m', created) AS date, count(*) AS value
      FROM leads GROUP BY 1 ORDER BY 1"""
OBJECTIVE = """---
title: Acquisition
due: 2026-12-31
kpis:
  - id: leads
    title: Leads
    target: 300
    source: crm
    query: |
      {query}
---
"""
EXPECTED = [(dt.date(2026, 1, 1), 100.0), (dt.date(2026, 2, 1), 100.0), (dt.date(2026, 3, 1), 100.0)]


def make(tmp_path: Path, query: str = QUERY, source: str = "type: sqlite\ndatabase: crm.sqlite\n") -> Path:
    """A French plan whose KPI `leads` counts the rows of crm.sqlite's table `leads` per month."""
    plan = tmp_path / "plan"
    (plan / "objectives").mkdir(parents=True)
    (plan / "sources").mkdir()
    (plan / "strategy.yaml").write_text(MINIMAL_SETTINGS, encoding="utf-8")
    (plan / "objectives" / "acquisition.md").write_text(OBJECTIVE.format(query=query), encoding="utf-8")
    (plan / "sources" / "crm.yaml").write_text(source, encoding="utf-8")
    with sqlite3.connect(plan / "crm.sqlite") as db:
        db.execute("CREATE TABLE leads (id INTEGER, created TEXT)")
        db.executemany("INSERT INTO leads VALUES (?, ?)", [(i, f"2026-0{1 + i % 3}-1{i % 9}") for i in range(300)])
    db.close()
    return plan


def checked(plan: Path, monkeypatch: pytest.MonkeyPatch) -> Checked:
    monkeypatch.chdir(plan.parent)
    return check(DirectorySource(Path(plan.name)), TODAY)


def test_refresh_writes_the_snapshot_and_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`strategy refresh` writes data/leads.csv from the query and its lock line (digest, rows, when); the
    plan then checks clean, its database file not an unknown file, and has the query's numbers."""
    plan = make(tmp_path)
    result = refresh(plan, now=lambda: dt.datetime(2026, 4, 1, 6, 0, tzinfo=dt.UTC))
    assert result.ok, result.errors
    assert result.lines == ["leads : 3 lignes de `crm` → data/leads.csv (nouveau)"]
    assert (plan / "data" / "leads.csv").read_text() == "date,value\n2026-01,100\n2026-02,100\n2026-03,100\n"
    lock = json.loads((plan / "sources.lock.json").read_text())
    assert lock["kpis"]["leads"]["rows"] == 3 and lock["kpis"]["leads"]["refreshed"] == "2026-04-01T06:00:00+00:00"
    assert len(lock["kpis"]["leads"]["query_sha256"]) == 64
    done = checked(plan, monkeypatch)
    assert codes(done) == []
    assert done.plan is not None
    assert [(p.date, p.value) for p in done.plan.series["leads"].points] == EXPECTED


def test_months_returned_as_their_first_days_are_written_as_months(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A monthly KPI whose query dates each row the 1st of its month (`date(created, 'start of month')`, as
    `date_trunc` does) gets a snapshot in months, `2026-01`, and check says nothing of "day-as-month" about
    a file that refresh writes; a daily KPI's rows stay the days the query returned."""
    query = "SELECT date(created, 'start of month') AS date, count(*) AS value FROM leads GROUP BY 1 ORDER BY 1"
    plan = make(tmp_path, query=query)
    assert refresh(plan).ok
    assert (plan / "data" / "leads.csv").read_text() == "date,value\n2026-01,100\n2026-02,100\n2026-03,100\n"
    assert codes(checked(plan, monkeypatch)) == []
    objective = plan / "objectives" / "acquisition.md"
    objective.write_text(objective.read_text().replace("    source: crm", "    cadence: daily\n    source: crm"))
    assert refresh(plan).ok
    assert (plan / "data" / "leads.csv").read_text().startswith("date,value\n2026-01-01,100\n")


def test_an_older_day_dated_snapshot_says_to_refresh_at_the_query(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot taken before refresh wrote months (its rows the 1st of each month) is one `day-as-month`
    warning at the KPI's `query:`, saying to run refresh again, not to edit a file that refresh rewrites."""
    plan = make(tmp_path)
    assert refresh(plan).ok
    (plan / "data" / "leads.csv").write_text("date,value\n2026-01-01,100\n2026-02-01,100\n2026-03-01,100\n")
    d = only(checked(plan, monkeypatch), "day-as-month")
    assert (d.file, d.line) == ("plan/objectives/acquisition.md", 9)
    assert d.hint_text("fr") == ("relancez `strategy refresh --kpi leads` : il écrit désormais chaque ligne "
                                 "comme son mois (`2026-03`) ; cet instantané est antérieur")


def test_a_refresh_with_nothing_new_changes_no_file(tmp_path: Path) -> None:
    """Refreshing again when the data did not move leaves the snapshot and the lock byte for byte, so the
    scheduled refresh opens no pull request; a new row changes both."""
    plan = make(tmp_path)
    refresh(plan, now=lambda: dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    before = {p: p.read_bytes() for p in (plan / "data" / "leads.csv", plan / "sources.lock.json")}
    again = refresh(plan, now=lambda: dt.datetime(2026, 4, 8, tzinfo=dt.UTC))
    assert again.lines == ["leads : 3 lignes de `crm` → data/leads.csv (inchangé)"]
    assert {p: p.read_bytes() for p in before} == before
    with sqlite3.connect(plan / "crm.sqlite") as db:
        db.execute("INSERT INTO leads VALUES (1000, '2026-04-02')")
    db.close()
    moved = refresh(plan, now=lambda: dt.datetime(2026, 4, 15, tzinfo=dt.UTC))
    assert moved.lines == ["leads : 4 lignes de `crm` → data/leads.csv (modifié)"]
    assert (plan / "data" / "leads.csv").read_text().endswith("2026-04,1\n")
    assert '"refreshed": "2026-04-15T00:00:00+00:00"' in (plan / "sources.lock.json").read_text()


def test_a_query_returning_more_than_a_data_file_may_hold_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A query whose rows would make a snapshot over a data file's budget (lowered here to 40 bytes) is
    refused by refresh, saying how many rows and what to return instead, and nothing is written: refresh
    never writes a file that check would then refuse as too large."""
    from generator.read import budgets

    monkeypatch.setattr(budgets, "MAX_DATA_FILE_BYTES", 40)
    plan = make(tmp_path)
    result = refresh(plan)
    assert result.errors == ["leads : la requête a rendu 3 lignes, 0,0 Mo en CSV, au-delà de la limite de 0 Mo "
                             "pour les données d'un indicateur ; rien n'est écrit : rendez une ligne par jour au "
                             "plus (GROUP BY le jour)"]
    assert not (plan / "data" / "leads.csv").exists()
    assert "leads" not in (plan / "sources.lock.json").read_text()


def test_a_sourced_kpi_without_snapshot_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before the first refresh, check reports one error at the KPI's `source:` saying to run refresh, and
    no "no data" warning beside it."""
    result = checked(make(tmp_path), monkeypatch)
    d = only(result, "no-snapshot")
    assert (d.file, d.line, d.column) == ("plan/objectives/acquisition.md", 8, 13)
    assert d.hint and "strategy refresh --kpi leads" in d.hint
    assert codes(result) == ["no-snapshot"]


def test_an_edited_query_is_flagged_until_refreshed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A query edited after its snapshot was taken is a `query-changed` warning at the query; re-indenting
    it is not an edit; a refresh clears it."""
    plan = make(tmp_path)
    refresh(plan)
    objective = plan / "objectives" / "acquisition.md"
    text = objective.read_text()
    objective.write_text(text.replace("      FROM leads", "        FROM   leads"))
    assert codes(checked(plan, monkeypatch)) == []
    objective.write_text(text.replace("count(*)", "count(DISTINCT id)"))
    d = only(checked(plan, monkeypatch), "query-changed")
    assert (d.severity, d.line) == ("warning", 9)
    assert refresh(plan).ok
    assert codes(checked(plan, monkeypatch)) == []


def test_check_never_connects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """check (hence build and diff) reads the snapshot only: with every database connection failing, the
    refreshed plan still checks clean."""
    plan = make(tmp_path)
    refresh(plan)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("check connected to a database")

    monkeypatch.setattr(sqlite3, "connect", refuse)
    assert codes(checked(plan, monkeypatch)) == []


def test_a_query_that_writes_is_refused(tmp_path: Path) -> None:
    """A query that would delete rows fails, saying why, and the database keeps its rows."""
    plan = make(tmp_path, query="DELETE FROM leads RETURNING created AS date, id AS value")
    result = refresh(plan)
    assert not result.ok
    assert result.errors == ["leads : la requête s'exécute en lecture seule et a tenté d'écrire : écrivez une seule "
                             "instruction SELECT"]
    with sqlite3.connect(plan / "crm.sqlite") as db:
        assert db.execute("SELECT count(*) FROM leads").fetchone() == (300,)
    db.close()
    assert not (plan / "data" / "leads.csv").exists()


def test_an_unknown_source_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`source: crm` without sources/crm.yaml is one unknown-ref error at the KPI's `source:`."""
    plan = make(tmp_path)
    (plan / "sources" / "crm.yaml").rename(plan / "sources" / "ventes.yaml")
    d = only(checked(plan, monkeypatch), "unknown-ref")
    assert d.message == "il n'y a pas de source `crm`"
    assert d.hint and "sources/crm.yaml" in d.hint and "ventes" in d.hint


def test_a_postgres_source_without_its_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A postgres source reads its URL from the environment only: when the variable is unset, refresh says
    which one (and a URL written in the plan is not a key a source has)."""
    monkeypatch.delenv("CRM_URL", raising=False)
    plan = make(tmp_path, source="type: postgres\nurl_env: CRM_URL\n")
    result = refresh(plan)
    assert result.errors == ["leads : la variable d'environnement CRM_URL de la source `crm` n'est pas définie "
                             "(elle contient l'URL)"]
    (plan / "sources" / "crm.yaml").write_text("type: postgres\nurl: postgresql://u:secret@db/crm\n")
    assert "unknown-key" in codes(checked(plan, monkeypatch))


def test_duckdb_without_its_extra_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A duckdb source on an install without the extra says which pip command adds it."""
    monkeypatch.setitem(sys.modules, "duckdb", None)  # what `import duckdb` meets without the extra
    plan = make(tmp_path, source="type: duckdb\ndatabase: crm.sqlite\n")
    assert refresh(plan).errors == ["leads : la source `crm` demande duckdb : pip install 'strategy-site[duckdb]'"]


# --- DuckDB, in process ---------------------------------------------------------------------------

DUCK_QUERY = "SELECT strftime(created, '%Y-%m') AS date, count(*) AS value FROM leads GROUP BY 1 ORDER BY 1"


def test_a_duckdb_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A DuckDB database file gives the same snapshot as the SQLite one, opened read-only: a query that
    deletes fails and the rows stay."""
    duckdb = pytest.importorskip("duckdb")
    plan = make(tmp_path, query=DUCK_QUERY, source="type: duckdb\ndatabase: crm.duckdb\n")
    with duckdb.connect(str(plan / "crm.duckdb")) as db:
        db.execute("CREATE TABLE leads (id INTEGER, created DATE)")
        db.executemany("INSERT INTO leads VALUES (?, ?)",
                       [(i, f"2026-0{1 + i % 3}-1{i % 9}") for i in range(300)])
    assert refresh(plan).ok
    assert (plan / "data" / "leads.csv").read_text() == "date,value\n2026-01,100\n2026-02,100\n2026-03,100\n"
    objective = plan / "objectives" / "acquisition.md"
    objective.write_text(objective.read_text().replace(DUCK_QUERY, "DELETE FROM leads RETURNING created, id"))
    failed = refresh(plan)
    assert failed.errors == ["leads : la requête s'exécute en lecture seule : écrivez une seule instruction SELECT "
                             "(trouvé : DELETE)"]
    with duckdb.connect(str(plan / "crm.duckdb"), read_only=True) as db:
        assert db.execute("SELECT count(*) FROM leads").fetchone() == (300,)


def test_duckdb_reads_a_csv_export_of_the_plan(tmp_path: Path) -> None:
    """A duckdb source without a database file queries files of the plan folder (here a CSV export),
    found from the plan folder whatever the current directory."""
    pytest.importorskip("duckdb")
    query = "SELECT month AS date, sum(amount) AS value FROM read_csv('exports/sales.csv') GROUP BY 1 ORDER BY 1"
    plan = make(tmp_path, query=query, source="type: duckdb\n")
    (plan / "exports").mkdir()
    (plan / "exports" / "sales.csv").write_text("month,amount\n2026-01,10\n2026-01,5.5\n2026-02,7\n")
    result = refresh(plan)
    assert result.ok, result.errors
    assert (plan / "data" / "leads.csv").read_text() == "date,value\n2026-01,15.5\n2026-02,7.0\n"
    objective = plan / "objectives" / "acquisition.md"
    objective.write_text(objective.read_text().replace(query, "COPY (SELECT 1) TO 'written.csv'"))
    assert refresh(plan).errors[0].endswith("(trouvé : COPY)")
    assert not list(plan.rglob("written.csv")) and not (tmp_path / "written.csv").exists()


def test_the_command_line(tmp_path: Path) -> None:
    """`strategy refresh PLAN --kpi ID` prints one line per KPI and exits 0; an unknown KPI, or a folder
    without a readable strategy.yaml, exits 1 saying so."""
    plan = make(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(main, ["refresh", str(plan), "--kpi", "leads"])
    assert ok.exit_code == 0, ok.output
    assert "leads : 3 lignes de `crm` → data/leads.csv (nouveau)" in ok.output
    bad = runner.invoke(main, ["refresh", str(plan), "--kpi", "ventes"])
    assert bad.exit_code == 1
    assert "il n'y a pas d'indicateur `ventes` avec une source" in bad.output
    (tmp_path / "empty").mkdir()
    nothing = runner.invoke(main, ["refresh", str(tmp_path / "empty")])
    assert nothing.exit_code == 1
    assert "strategy.yaml cannot be read: `strategy check` says why" in nothing.output


def test_refresh_on_a_plan_with_errors_ends_its_report_with_a_line_break(tmp_path: Path) -> None:
    """`strategy refresh` on a French plan with an error in a source: the report is in French ("erreur", not
    "error") and ends "1 erreur, 0 avertissement" and a line break, so the shell's prompt does not start on it."""
    plan = make(tmp_path, source="type: sqlite\n")  # no `database:`: an error in sources/crm.yaml
    result = CliRunner().invoke(main, ["refresh", str(plan), "--kpi", "leads"])
    assert "  1:1  erreur  une source" in result.output
    assert result.output.endswith("1 erreur, 0 avertissement\n")


# --- PostgreSQL: a real server, started here in a temporary folder on a Unix socket ---------------------


def _initdb() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    on_path = shutil.which("initdb")
    return found[-1] if found else Path(on_path) if on_path else None


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """The URL of a database `crm` on a PostgreSQL server of its own (Debian's `postgresql`, which
    scripts/install-test-tools installs), listening only on a Unix socket in a temporary folder; as root,
    the server runs as the `postgres` user, as PostgreSQL requires. Stopped and removed afterwards."""
    initdb = _initdb()
    if initdb is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is missing: scripts/install-test-tools installs Debian's postgresql")
        pytest.skip("PostgreSQL is not installed (bash scripts/install-test-tools installs it)")
    folder = Path(tempfile.mkdtemp(prefix="strategy-pg-"))
    as_server: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_server = ["runuser", "-u", "postgres", "--"]
    bin_dir = initdb.parent
    data = folder / "data"
    quiet = {"check": True, "capture_output": True, "text": True}
    subprocess.run([*as_server, str(initdb), "-D", str(data), "-A", "trust", "-U", "strategy", "-E", "UTF8",
                    "--no-sync"], **quiet)
    subprocess.run([*as_server, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
                    "-o", f"-k {folder} -c listen_addresses= -c fsync=off", "start"], **quiet)
    try:
        import psycopg

        with psycopg.connect(f"host={folder} dbname=postgres user=strategy", autocommit=True) as db:
            db.execute("CREATE DATABASE crm")
        yield f"postgresql://strategy@/crm?host={urllib.parse.quote(str(folder))}"
    finally:
        subprocess.run([*as_server, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_postgres_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_url: str) -> None:
    """A PostgreSQL source, its URL in the environment variable the source names, gives the same snapshot as
    SQLite (dates and numerics as the server types them; `date_trunc('month', …)::date` as months); a query
    that deletes runs in a read-only transaction and fails, and the rows stay."""
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("DROP TABLE IF EXISTS leads")
        db.execute("CREATE TABLE leads (id integer, created date, amount numeric(10, 2))")
        with db.cursor() as cursor:
            cursor.executemany("INSERT INTO leads VALUES (%s, %s, 1.25)",
                               [(i, f"2026-0{1 + i % 3}-1{i % 9}") for i in range(300)])
    monkeypatch.setenv("CRM_URL", postgres_url)
    query = "SELECT date_trunc('month', created)::date AS date, count(*) AS value FROM leads GROUP BY 1 ORDER BY 1"
    plan = make(tmp_path, query=query, source="type: postgres\nurl_env: CRM_URL\n")
    assert refresh(plan).ok
    assert (plan / "data" / "leads.csv").read_text() == "date,value\n2026-01,100\n2026-02,100\n2026-03,100\n"
    objective = plan / "objectives" / "acquisition.md"
    text = objective.read_text()
    objective.write_text(text.replace(query, "SELECT to_char(created, 'YYYY-MM') AS date, sum(amount) AS value "
                                             "FROM leads GROUP BY 1 ORDER BY 1"))
    assert refresh(plan).ok
    assert (plan / "data" / "leads.csv").read_text() == "date,value\n2026-01,125\n2026-02,125\n2026-03,125\n"
    objective.write_text(text.replace(query, "DELETE FROM leads RETURNING created AS date, id AS value"))
    failed = refresh(plan)
    assert failed.errors == ["leads : la requête a échoué ; PostgreSQL répond : «\u00a0cannot execute DELETE in a "
                             "read-only transaction\u00a0»"]
    with psycopg.connect(postgres_url) as db:
        assert db.execute("SELECT count(*) FROM leads").fetchone() == (300,)

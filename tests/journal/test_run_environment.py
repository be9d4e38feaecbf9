"""Journal migration 6: runs name their environment (and the run they revert,
and their webhook endpoints); ownership belongs to the org; a revert's steps
put back the ownership record the reverted run found. On both backends."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from journal_helpers import make_spec

from gcsched.genesys import ChangeSpec
from gcsched.journal import Journal, OwnershipRecord
from gcsched.journal.migrations import MIGRATIONS, SCHEMA_VERSION
from gcsched.journal.postgres import PostgresStore
from gcsched.journal.postgres.dialect import ddl
from gcsched.journal.store import TableStore

CREATED = "2026-11-27T20:53:01.000Z"
STAMP = "2026-01-01T00:00:00.000000+00:00"
HOOK = {
    "url": "https://hooks.example.com/g",
    "secret_env": "HOOK_SECRET",
    "events": ["run.completed"],
    "allow_insecure_loopback": False,
    "retry": [5.0],
}


def _write(name: str, label: str, action: str = "update") -> ChangeSpec:
    """A create or update of campaign `name` whose body is named `label`."""
    spec = make_spec(name, action)
    return ChangeSpec(
        action=spec.action,
        family=spec.family,
        target_kind=spec.target_kind,
        target_id=spec.target_id,
        target_name=spec.target_name,
        version_seen=spec.version_seen,
        before=spec.before,
        after={"name": label, "intervals": []},
    )


def _apply(
    journal: TableStore,
    *specs: ChangeSpec,
    environment: str | None = None,
    reverts: str | None = None,
) -> str:
    """A run whose steps are all confirmed (version 10 + seq); its id."""
    run = journal.create_run(
        org_id="org-1",
        org_name="Org",
        file_path="f.yaml",
        file_sha256="0" * 64,
        checksum="c",
        plan={},
        steps=specs,
        environment=environment,
        reverts=reverts,
    )
    for step in journal.steps(run.id):
        journal.mark_confirmed(
            step.id,
            result={"version": 10 + step.seq, "dateCreated": CREATED},
            version_new=10 + step.seq,
        )
    return run.id


def _adopted(target: str, project: str) -> OwnershipRecord:
    return OwnershipRecord(
        org_id="org-1",
        environment="default",
        family="campaigns",
        target_id=target,
        project=project,
        version=3,
        date_created=CREATED,
        run_id=None,
    )


def test_a_run_keeps_its_environment_revert_and_endpoints(
    journal: TableStore,
) -> None:
    run = journal.create_run(
        org_id="org-1",
        org_name="Org",
        file_path="f.yaml",
        file_sha256="0" * 64,
        checksum="c",
        plan={},
        steps=[make_spec()],
        environment="prod",
        reverts="r-earlier",
        webhooks=[HOOK],
    )
    plain = journal.create_run(
        org_id="org-1",
        org_name="Org",
        file_path="g.yaml",
        file_sha256="1" * 64,
        checksum="c",
        plan={},
        steps=[],
    )
    assert (run.environment, run.reverts, run.webhooks) == (
        "prod",
        "r-earlier",
        (HOOK,),
    )
    stored = journal.get_run(run.id)
    assert (stored.environment, stored.reverts, stored.webhooks) == (
        "prod",
        "r-earlier",
        (HOOK,),
    )
    listed = {r.id: r for r in journal.list_runs()}
    assert listed[run.id].environment == "prod"
    assert (listed[plain.id].environment, listed[plain.id].webhooks) == (None, ())
    assert journal.get_run(plain.id).reverts is None


def test_records_are_the_orgs_and_name_the_environment_that_wrote_them(
    journal: TableStore,
) -> None:
    """A record written under "default" is the same record a prod run updates:
    one row per org and target, whatever environment wrote it."""
    _apply(journal, _write("A", "gcsched: A", "create"))
    (before,) = journal.ownership("org-1")
    assert before.environment == "default"
    prod = _apply(journal, _write("A", "gcsched: A"), environment="prod")
    (after,) = journal.ownership("org-1")
    assert (after.environment, after.run_id, after.project) == ("prod", prod, "default")
    assert journal.ownership("org-2") == []
    assert journal.forget_ownership("org-1", "campaigns", "id-A")
    assert journal.ownership("org-1") == []


def test_a_revert_puts_back_the_record_the_reverted_run_found(
    journal: TableStore,
) -> None:
    """Adopted A stays owned by its project when the run that updated it is
    reverted (its own unmarked body goes back); B, taken over by the run
    (`manage: all`: no record before), is released; C, created by the run, is
    deleted by the revert and loses its record."""
    journal.record_ownership([_adopted("id-A", "team-b")])
    run = _apply(
        journal,
        _write("A", "gcsched:team-b: A"),
        _write("B", "gcsched:team-b: B"),
        _write("C", "gcsched:team-b: C", "create"),
        environment="prod",
    )
    assert {r.target_id for r in journal.ownership("org-1")} == {"id-A", "id-B", "id-C"}
    revert = _apply(
        journal,
        _write("A", "Manual A"),
        _write("B", "Manual B"),
        make_spec("C", "delete"),
        environment="prod",
        reverts=run,
    )
    (kept,) = journal.ownership("org-1")
    assert (kept.target_id, kept.project, kept.environment) == (
        "id-A",
        "team-b",
        "prod",
    )
    assert (kept.version, kept.run_id) == (11, revert)


def test_a_revert_re_creating_a_deleted_schedule_restores_its_project(
    journal: TableStore,
) -> None:
    """A delete's revert puts the prior record's project back, even where the
    re-created body carries another marker."""
    _apply(journal, _write("A", "gcsched:team-a: A", "create"))
    run = _apply(journal, make_spec("A", "delete"))
    assert journal.ownership("org-1") == []
    _apply(journal, _write("A", "gcsched:team-x: A", "create"), reverts=run)
    (record,) = journal.ownership("org-1")
    assert record.project == "team-a"


@pytest.mark.parametrize("journal", ["sqlite"], indirect=True)
def test_a_revert_of_a_run_without_kept_records_goes_by_the_marker(
    journal: TableStore, tmp_path: Path
) -> None:
    """Steps journaled before migration 6 kept no record: an unmarked body
    written back releases the schedule (the safe side), a marked one keeps it."""
    _apply(journal, _write("A", "gcsched: A", "create"))
    run = _apply(journal, _write("A", "gcsched: A"), _write("B", "gcsched: B"))
    journal.record_ownership([_adopted("id-B", "team-b")])
    _forget_kept_records(tmp_path / "state" / "journal.db", run)
    _apply(
        journal, _write("A", "Manual A"), _write("B", "gcsched:team-b: B"), reverts=run
    )
    assert [(r.target_id, r.project) for r in journal.ownership("org-1")] == [
        ("id-B", "team-b")
    ]


def _forget_kept_records(path: Path, run_id: str) -> None:
    """Make the steps of `run_id` look journaled before steps kept records."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE steps SET prior_owner = NULL WHERE run_id = ?", (run_id,))
    conn.close()


def _schema_5(execute: Callable[[str], object]) -> None:
    for migration in MIGRATIONS[:5]:
        for sql in migration:
            execute(sql)


_OLD_ROWS = (
    "INSERT INTO runs (id, org_id, org_name, file_path, file_sha256, checksum,"
    f" status, created_at, updated_at, summary, plan) VALUES ('r1', 'org-1', 'Org',"
    f" 'f.yaml', 'a', 'c', 'succeeded', '{STAMP}', '{STAMP}', '{{}}', '{{}}')",
    "INSERT INTO ownership VALUES ('org-1', 'default', 'campaigns', 'c1', 'default',"
    f" 4, '{CREATED}', 'r1', '{STAMP}')",
    # one target under two environment names: the newer record is kept
    "INSERT INTO ownership VALUES ('org-1', 'default', 'campaigns', 'c2', 'old', 1,"
    " NULL, NULL, '2025-01-01T00:00:00.000000+00:00')",
    "INSERT INTO ownership VALUES ('org-1', 'dev', 'campaigns', 'c2', 'new', 2,"
    f" NULL, NULL, '{STAMP}')",
)


def _check_upgraded(store: TableStore) -> None:
    records = {r.target_id: r for r in store.ownership("org-1")}
    assert set(records) == {"c1", "c2"}
    assert (records["c1"].project, records["c1"].environment) == ("default", "default")
    assert (records["c2"].project, records["c2"].environment) == ("new", "dev")
    old = store.get_run("r1")
    assert (old.environment, old.reverts, old.webhooks) == (None, None, ())


def test_a_journal_of_schema_5_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    _schema_5(conn.execute)
    conn.execute("PRAGMA user_version = 5")
    for sql in _OLD_ROWS:
        conn.execute(sql)
    conn.close()
    with Journal.open(path) as journal:
        _check_upgraded(journal)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 6
    conn.close()


def test_a_postgres_database_of_schema_5_upgrades(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        _schema_5(lambda sql: conn.execute(ddl(sql)))
        conn.execute(
            "CREATE TABLE schema_migrations (series TEXT NOT NULL, version BIGINT"
            " NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (series, version))"
        )
        for number in range(1, 6):
            conn.execute(
                "INSERT INTO schema_migrations VALUES ('journal', %s, 'then')",
                (number,),
            )
        for sql in _OLD_ROWS:
            conn.execute(sql)
    with PostgresStore.connect(pg_url) as store:
        _check_upgraded(store)

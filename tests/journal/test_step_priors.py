"""Each step keeps the full prior body of its schedule (what `runs revert`
sends back), on both backends; a journal of schema 4 gains the column."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from journal_helpers import SpecFactory

from gcsched.journal import Journal
from gcsched.journal.migrations import MIGRATIONS, SCHEMA_VERSION
from gcsched.journal.store import TableStore

FULL = {
    "id": "s-1",
    "name": "Manual survey schedule",
    "version": 3,
    "dateCreated": "2026-01-01T00:00:00.000Z",
    "campaign": {"id": "id-Q4 Renewals"},
    "intervals": [],
}


def test_create_run_keeps_the_prior_body_of_each_target(
    journal: TableStore, spec: SpecFactory
) -> None:
    run = journal.create_run(
        org_id="org-1",
        org_name="Acme",
        file_path="f.yaml",
        file_sha256="a",
        checksum="c",
        plan={},
        steps=[spec(), spec("Win-back", "create")],
        priors={("campaigns", "id-Q4 Renewals"): FULL, ("campaigns", "other"): {}},
    )
    update, create = journal.steps(run.id)
    assert update.prior == FULL
    assert create.prior is None
    assert journal.step(update.id).prior == FULL


def test_without_priors_steps_have_none(journal: TableStore, spec: SpecFactory) -> None:
    run = journal.create_run(
        org_id="org-1",
        org_name="Acme",
        file_path="f.yaml",
        file_sha256="a",
        checksum="c",
        plan={},
        steps=[spec()],
    )
    (step,) = journal.steps(run.id)
    assert step.prior is None


def test_a_journal_of_schema_4_gains_the_prior_column(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:4]:
        for statement in migration:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 4")
    conn.execute(
        "INSERT INTO runs VALUES ('r1', 'org-1', 'Acme', 'f.yaml', 'a', 'c',"
        " 'succeeded', '2026-01-01T00:00:00.000000+00:00',"
        " '2026-01-01T00:00:00.000000+00:00', '{}', '{}')"
    )
    conn.execute(
        "INSERT INTO steps (run_id, seq, action, kind, target_id, target_name,"
        " version_seen, before, after, status, updated_at) VALUES ('r1', 1,"
        " 'update', 'campaigns', 't', 'T', 3, '{\"version\": 3}', '{}',"
        " 'confirmed', '2026-01-01T00:00:00.000000+00:00')"
    )
    conn.close()
    with Journal.open(path) as journal:
        (step,) = journal.steps("r1")
        assert step.prior is None  # journaled before gcsched kept it
        assert step.change.before == {"version": 3}
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 5
    conn.close()

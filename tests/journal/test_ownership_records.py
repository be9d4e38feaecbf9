"""Ownership records: written with the confirmation, removed with a delete."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from journal_helpers import make_spec

from gcsched.errors import JournalError
from gcsched.genesys import ChangeSpec
from gcsched.journal import Journal, OwnershipRecord
from gcsched.journal.migrations import MIGRATIONS, SCHEMA_VERSION

CREATED = "2026-11-27T20:53:01.000Z"


def _run(journal: Journal, *specs: ChangeSpec) -> list[int]:
    run = journal.create_run(
        org_id="org-1",
        org_name="Org",
        file_path="f.yaml",
        file_sha256="0" * 64,
        checksum="c",
        plan={},
        steps=specs,
    )
    return [s.id for s in journal.steps(run.id)]


def _create(name: str, label: str) -> ChangeSpec:
    spec = make_spec(name, "create")
    return ChangeSpec(
        action=spec.action,
        family=spec.family,
        target_kind=spec.target_kind,
        target_id=spec.target_id,
        target_name=spec.target_name,
        version_seen=None,
        before=None,
        after={"name": label, "intervals": []},
    )


def test_a_confirmed_create_records_project_version_and_date(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        (step,) = _run(journal, _create("A", "gcsched:team-a: A"))
        journal.mark_sent(step)
        journal.mark_confirmed(
            step, result={"version": 1, "dateCreated": CREATED}, version_new=1
        )
        (record,) = journal.ownership("org-1")
        run_id = journal.step(step).run_id
    assert (record.family, record.target_id, record.project) == (
        "campaigns",
        "id-A",
        "team-a",
    )
    assert (record.version, record.date_created, record.run_id) == (1, CREATED, run_id)
    assert record.environment == "default"


def test_an_old_form_marker_records_project_default(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        (step,) = _run(journal, _create("A", "gcsched: A"))
        journal.mark_confirmed(step, result={"version": 4}, version_new=4)
        assert [r.project for r in journal.ownership("org-1")] == ["default"]


def test_a_confirmed_delete_removes_the_record(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        (create,) = _run(journal, _create("A", "gcsched: A"))
        journal.mark_confirmed(create, result={"version": 1}, version_new=1)
        (delete,) = _run(journal, make_spec("A", "delete"))
        journal.mark_confirmed(delete, result=None, version_new=None)
        assert journal.ownership("org-1") == []


def test_a_refused_confirmation_writes_no_record(tmp_path: Path) -> None:
    """The record is in the confirmation's transaction: both or neither."""
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        (step,) = _run(journal, _create("A", "gcsched: A"))
        journal.mark_failed(step, error="boom")
        with pytest.raises(JournalError):
            journal.mark_confirmed(step, result={"version": 1}, version_new=1)
        assert journal.ownership("org-1") == []


def test_adopted_records_and_forgetting(tmp_path: Path) -> None:
    record = OwnershipRecord(
        org_id="org-1",
        environment="default",
        family="campaigns",
        target_id="c1",
        project="team-b",
        version=7,
        date_created=CREATED,
        run_id=None,
    )
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        journal.record_ownership([record])
        journal.record_ownership([record])  # idempotent: one row per target
        (stored,) = journal.ownership("org-1")
        assert stored.project == "team-b"
        assert stored.recorded_at is not None
        assert journal.ownership("org-2") == []
        assert journal.forget_ownership("org-1", "campaigns", "c1")
        assert not journal.forget_ownership("org-1", "campaigns", "c1")


def test_a_journal_of_schema_1_gains_the_table(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with Journal.open(path) as journal:
        assert journal.ownership("org-1") == []
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4
    conn.close()

"""journal/codec.py: step rows read back as typed changes, old rows included."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from gcsched.errors import JournalError
from gcsched.genesys import Action, ChangeSpec, Family
from gcsched.journal import Journal, RunStatus, StepStatus


def _store(path: Path, *changes: ChangeSpec) -> str:
    with Journal.open(path) as journal:
        run = journal.create_run(
            org_id="o", org_name="O", file_path="f", file_sha256="s",
            checksum="c", plan={}, steps=changes,
        )  # fmt: skip
        return run.id


def test_step_rows_hold_the_stored_kind_and_read_back_typed(tmp_path: Path) -> None:
    """The kind column keeps the family / pacing spelling rows always had."""
    path = tmp_path / "j.db"
    email = ChangeSpec(
        Action.CREATE, Family.EMAIL_CAMPAIGNS, "messaging_campaign",
        "e1", "Renewal Emails", None, None, {"name": "x"},
    )  # fmt: skip
    pacing = ChangeSpec(
        Action.PACING, None, "messaging_campaign",
        "e1", "Renewal Emails", 4, {"messagesPerMinute": 1}, {"messagesPerMinute": 2},
    )  # fmt: skip
    run_id = _store(path, email, pacing)
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT action, kind, status FROM steps ORDER BY seq"
        ).fetchall()
    assert rows == [
        ("create", "emailcampaigns", "planned"),
        ("pacing", "messagingcampaign", "planned"),
    ]
    with Journal.open(path) as journal:
        assert [s.change for s in journal.steps(run_id)] == [email, pacing]
        assert {s.status for s in journal.steps(run_id)} == {StepStatus.PLANNED}
        assert journal.get_run(run_id).status is RunStatus.OPEN


def test_a_row_of_an_unknown_kind_is_a_journal_error(tmp_path: Path) -> None:
    """A row gcsched never wrote names the step and run instead of guessing."""
    path = tmp_path / "j.db"
    spec = ChangeSpec(
        Action.DELETE, Family.SEQUENCES, "sequence", "s1", "Ladder", 2, {}, None
    )
    run_id = _store(path, spec)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE steps SET kind = 'widgets'")
    with (
        Journal.open(path) as journal,
        pytest.raises(JournalError, match=rf"of run {run_id} cannot be read"),
    ):
        journal.steps(run_id)

"""Opening someone else's SQLite file as a journal refuses it without changing it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from gcsched.errors import JournalError
from gcsched.journal import Journal


def _journal_mode(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("CREATE TABLE notes (text TEXT)", "other tables"),
        ("PRAGMA application_id = 1234", "another application"),
    ],
)
def test_foreign_database_is_left_in_its_own_journal_mode(
    tmp_path: Path, setup: str, message: str
) -> None:
    """A refused database keeps its rollback journal: no WAL switch, no -wal file."""
    path = tmp_path / "journal.db"
    conn = sqlite3.connect(path)
    conn.execute(setup)
    conn.execute("CREATE TABLE IF NOT EXISTS keep (x)")
    conn.commit()
    conn.close()
    assert _journal_mode(path) == "delete"
    with pytest.raises(JournalError, match=message):
        Journal.open(path)
    assert _journal_mode(path) == "delete"
    assert not (tmp_path / "journal.db-wal").exists()

"""Opening a journal: migrations, pragmas, and files that are not journals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from gcsched.errors import JournalError
from gcsched.journal import Journal
from gcsched.journal.migrations import APPLICATION_ID, SCHEMA_VERSION


def _pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def test_open_creates_parents_and_migrates(tmp_path: Path) -> None:
    """A fresh path gets its directories and the current schema."""
    path = tmp_path / "a" / "b" / "journal.db"
    Journal.open(path).close()
    assert _pragma(path, "user_version") == SCHEMA_VERSION
    assert _pragma(path, "application_id") == APPLICATION_ID
    assert _pragma(path, "journal_mode") == "wal"


def test_reopen_is_idempotent_and_keeps_data(tmp_path: Path) -> None:
    """Opening again migrates nothing and keeps what was stored."""
    path = tmp_path / "journal.db"
    with Journal.open(path) as journal:
        journal.disable_endpoint("https://x.example", reason="410")
    with Journal.open(path) as journal:
        assert journal.disabled_endpoints() == {"https://x.example": "410"}
    assert _pragma(path, "user_version") == SCHEMA_VERSION


def test_connection_uses_wal_and_full_sync(tmp_path: Path) -> None:
    """The journal's own connection runs WAL with synchronous=FULL and FKs on."""
    with Journal.open(tmp_path / "journal.db") as journal:
        [mode] = journal.db.query("PRAGMA journal_mode")
        [sync] = journal.db.query("PRAGMA synchronous")
        [fks] = journal.db.query("PRAGMA foreign_keys")
    assert mode[0] == "wal"
    assert sync[0] == 2  # FULL
    assert fks[0] == 1


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    """A text file where the journal should be is refused with its name."""
    path = tmp_path / "journal.db"
    path.write_text("hello, I am not SQLite\n" * 100)
    with pytest.raises(JournalError, match="not a readable gcsched journal") as info:
        Journal.open(path)
    assert str(path) in str(info.value)


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    """Someone else's SQLite file is not taken over."""
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(JournalError, match="other tables, not a journal"):
        Journal.open(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 42")
    conn.commit()
    conn.close()
    with pytest.raises(JournalError, match="another application"):
        Journal.open(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    """A journal written by a newer gcsched asks for an upgrade."""
    path = tmp_path / "journal.db"
    Journal.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(JournalError, match="upgrade gcsched"):
        Journal.open(path)


def test_directory_and_unwritable_parent(tmp_path: Path) -> None:
    """A directory, or a parent that is a file, is a clear error."""
    with pytest.raises(JournalError, match="is a directory"):
        Journal.open(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(JournalError, match="cannot create the journal directory"):
        Journal.open(blocker / "journal.db")


def test_locked_database_is_reported(tmp_path: Path) -> None:
    """A write blocked by another connection's transaction names the lock."""
    path = tmp_path / "journal.db"
    with Journal.open(path) as journal:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            journal.db._conn.execute("PRAGMA busy_timeout = 0")
            with pytest.raises(JournalError, match="locked by another process"):
                journal.disable_endpoint("https://x.example", reason="r")
        finally:
            other.execute("ROLLBACK")
            other.close()

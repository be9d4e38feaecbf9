"""The journal's SQLite connection: pragmas, migrations and transactions.

Every write goes through `Connected.transaction()`, one ``BEGIN IMMEDIATE`` …
``COMMIT`` per state transition; an exception inside rolls back everything the
transaction did (the step *and* its outbox rows).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from gcsched.errors import JournalError
from gcsched.journal.migrations import migrate, refuse_foreign

__all__ = ["BUSY_TIMEOUT_MS", "Connected", "connect", "utc_now"]

#: How long a writer waits for another connection's transaction (milliseconds).
BUSY_TIMEOUT_MS: Final = 5000


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def _explain(exc: sqlite3.Error, where: str) -> JournalError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        msg = (
            f"the journal {where} is locked by another process ({text}); "
            "wait for it to finish, or check `gcsched unlock`"
        )
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        msg = (
            f"{where} is not a readable gcsched journal ({text}); move it aside "
            "to start a fresh journal"
        )
    else:
        msg = f"the journal {where} cannot be used: {text}"
    return JournalError(msg)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise JournalError(message)


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the journal at `path`, migrated and configured.

    Raises:
        JournalError: the file is not a journal, is corrupt, locked, or unwritable.
    """
    where = str(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create the journal directory {path.parent}: {exc.strerror}"
        raise JournalError(msg) from exc
    if path.is_dir():
        msg = f"{where} is a directory, not a journal file"
        raise JournalError(msg)
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(
            os.fspath(path),
            isolation_level=None,
            check_same_thread=False,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        refuse_foreign(conn, where)  # before WAL: a foreign file stays untouched
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        _require(str(mode).lower() == "wal", f"{where} cannot use WAL mode ({mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, where)
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        _require(check == "ok", f"{where} is corrupt ({check}); move it aside")
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise _explain(exc, where) from exc
    except JournalError:
        if conn is not None:
            conn.close()
        raise
    return conn


class Connected:
    """Base of `Journal`: holds the connection, the clock and the write lock."""

    _conn: sqlite3.Connection
    _clock: Callable[[], datetime]
    _where: str
    _mutex: threading.RLock

    def __init__(
        self, conn: sqlite3.Connection, where: str, clock: Callable[[], datetime]
    ) -> None:
        self._conn = conn
        self._where = where
        self._clock = clock
        self._mutex = threading.RLock()
        self._closed = False

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: commits on success, rolls back on any exception.

        Raises:
            JournalError: SQLite failed (locked, disk full, corrupt, closed).
        """
        with self._mutex:
            if self._closed:
                msg = f"the journal {self._where} is closed"
                raise JournalError(msg)
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _explain(exc, self._where) from exc
            try:
                yield self._conn
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise _explain(exc, self._where) from exc
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise _explain(exc, self._where) from exc

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        """Rows of a read-only statement.

        Raises:
            JournalError: SQLite failed or the journal is closed.
        """
        with self._mutex:
            if self._closed:
                msg = f"the journal {self._where} is closed"
                raise JournalError(msg)
            try:
                return list(self._conn.execute(sql, params).fetchall())
            except sqlite3.Error as exc:
                raise _explain(exc, self._where) from exc

    def now(self) -> datetime:
        """The journal clock's current time."""
        return self._clock()

"""The journal's SQLite database: pragmas, migrations, transactions, guarded updates.

Every write goes through `Database.transaction()`, one ``BEGIN IMMEDIATE`` …
``COMMIT`` per state transition; an exception inside rolls back everything the
transaction did (the step *and* its outbox rows). The stores of the journal
(`RunTable`, `StepTable`, `OutboxTable`) share one `Database`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Protocol

from gcsched.errors import JournalError
from gcsched.journal.files import check_state_dir, check_state_file
from gcsched.journal.migrations import migrate, refuse_foreign

__all__ = [
    "BUSY_TIMEOUT_MS",
    "Database",
    "SqlConnection",
    "SqlDatabase",
    "SqlRow",
    "connect",
    "guarded_update",
    "utc_now",
]

#: How long a writer waits for another connection's transaction (milliseconds).
BUSY_TIMEOUT_MS: Final = 5000

#: Files SQLite keeps next to the database (checked like the database itself).
_SIDE_FILES: Final = ("-wal", "-shm", "-journal")


class SqlRow(Protocol):
    """A row read by column name (`sqlite3.Row`, or a psycopg dict row)."""

    def __getitem__(self, key: str, /) -> Any: ...


class SqlConnection(Protocol):
    """The connection of an open transaction, as the journal's tables use it.

    `sqlite3.Connection` is one; the PostgreSQL backend hands an adapter that
    takes the same portable SQL (``?`` placeholders, standard upserts).
    """

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Any: ...

    def executemany(self, sql: str, parameters: Any, /) -> Any: ...


class SqlDatabase(Protocol):
    """What the journal's tables need of a database (SQLite's `Database`, or
    `gcsched.journal.postgres.PgDatabase`)."""

    where: str

    def transaction(self) -> AbstractContextManager[SqlConnection]: ...

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]: ...

    def now(self) -> datetime: ...


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


def _check_files(path: Path) -> None:
    """Refuse a journal (or its SQLite side files) that is a link or not ours."""
    check_state_dir(path.parent)
    if path.is_dir() and not path.is_symlink():
        msg = f"{path} is a directory, not a journal file"
        raise JournalError(msg)
    check_state_file(path, "journal")
    for suffix in _SIDE_FILES:
        check_state_file(path.with_name(path.name + suffix), "journal file")


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the journal at `path`, migrated and configured.

    Raises:
        JournalError: the file is not a journal, is corrupt, locked, or unwritable.
        InputError: the journal, a side file or the state dir is a symlink or
            belongs to another user.
    """
    where = str(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create the journal directory {path.parent}: {exc.strerror}"
        raise JournalError(msg) from exc
    _check_files(path)
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


class Database:
    """One SQLite connection of the journal, its clock and its write lock."""

    def __init__(
        self, conn: sqlite3.Connection, where: str, clock: Callable[[], datetime]
    ) -> None:
        self._conn = conn
        self.where = where
        self._clock = clock
        self._mutex = threading.RLock()
        self._closed = False

    @classmethod
    def open(cls, path: Path, clock: Callable[[], datetime] = utc_now) -> Database:
        """Open the journal database at `path` (see `connect`)."""
        return cls(connect(path), str(path), clock)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._mutex:
            if not self._closed:
                self._closed = True
                self._conn.close()

    def _ensure_open(self) -> None:
        if self._closed:
            msg = f"the journal {self.where} is closed"
            raise JournalError(msg)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: commits on success, rolls back on any exception.

        Raises:
            JournalError: SQLite failed (locked, disk full, corrupt, closed).
        """
        with self._mutex:
            self._ensure_open()
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _explain(exc, self.where) from exc
            try:
                yield self._conn
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise _explain(exc, self.where) from exc
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise _explain(exc, self.where) from exc

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        """Rows of a read-only statement.

        Raises:
            JournalError: SQLite failed or the journal is closed.
        """
        with self._mutex:
            self._ensure_open()
            try:
                return list(self._conn.execute(sql, params).fetchall())
            except sqlite3.Error as exc:
                raise _explain(exc, self.where) from exc

    def now(self) -> datetime:
        """The journal clock's current time."""
        return self._clock()


def guarded_update(
    conn: SqlConnection,
    table: str,
    key: object,
    *,
    missing: str,
    refuse: Callable[[Any], str | None],
    assignments: str,
    params: tuple[object, ...],
) -> Any:
    """Read row `key` of `table`, let `refuse` veto it, then update it.

    The one way a journal row changes state, inside the caller's transaction.

    Args:
        conn: the connection of an open transaction.
        table: ``runs``, ``steps`` or ``outbox`` (a constant, never input).
        key: the row's ``id``.
        missing: the message when there is no such row.
        refuse: returns why the row may not change (a message), or None.
        assignments: the ``SET`` clause, e.g. ``"status = ?, error = ?"``.
        params: the values of `assignments`' placeholders.

    Returns:
        The row as it was before the update.

    Raises:
        JournalError: no such row, or `refuse` gave a reason.
    """
    row: SqlRow | None = conn.execute(
        f"SELECT * FROM {table} WHERE id = ?",  # noqa: S608 - table is a constant
        (key,),
    ).fetchone()
    if row is None:
        raise JournalError(missing)
    problem = refuse(row)
    if problem is not None:
        raise JournalError(problem)
    conn.execute(
        f"UPDATE {table} SET {assignments} WHERE id = ?",  # noqa: S608 - constants
        (*params, key),
    )
    return row

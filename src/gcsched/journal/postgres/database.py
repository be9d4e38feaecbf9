"""The PostgreSQL database of the state: one connection, migrations, transactions.

Every write goes through `PgDatabase.transaction()`, one transaction per state
transition (the step *and* its outbox rows), which first takes a
transaction-scoped advisory lock: writers to one database take turns, as
SQLite's ``BEGIN IMMEDIATE`` makes them, so a read-check-update of a row
(`gcsched.journal.database.guarded_update`) cannot race another process. An
error inside rolls back everything the transaction did; a lost connection
(the server restarting) is a `JournalError` saying so, with nothing of the
transition recorded.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, Final

import psycopg
from psycopg.rows import dict_row

from gcsched.errors import JournalError
from gcsched.journal.database import utc_now
from gcsched.journal.migrations import MIGRATIONS
from gcsched.journal.postgres.dialect import ddl, statement
from gcsched.journal.postgres.url import display_url, register_url_secret
from gcsched.telemetry.redact import redact

__all__ = [
    "CONNECT_TIMEOUT_SECONDS",
    "PG_MIGRATIONS",
    "SCHEMA_VERSIONS",
    "PgConnection",
    "PgDatabase",
    "advisory_key",
    "connect_raw",
    "explain",
]

#: How long opening a connection may take before it is an error.
CONNECT_TIMEOUT_SECONDS: Final = 10

#: The tables only PostgreSQL has, numbered on their own: the apply lock's rows,
#: the audit chain (a file with SQLite) and the outbox claims.
PG_MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    (
        """CREATE TABLE apply_locks (
            org_id TEXT PRIMARY KEY,
            lock_key BIGINT NOT NULL,
            host TEXT NOT NULL,
            pid BIGINT NOT NULL,
            backend_pid BIGINT NOT NULL,
            run_id TEXT,
            command TEXT NOT NULL,
            started_at TEXT NOT NULL
        )""",
        """CREATE TABLE audit_log (
            seq BIGINT PRIMARY KEY,
            line TEXT NOT NULL,
            hash TEXT NOT NULL,
            run_id TEXT,
            step_id BIGINT,
            recorded_at TEXT NOT NULL
        )""",
        "CREATE INDEX audit_log_step ON audit_log (run_id, step_id)",
        "ALTER TABLE outbox ADD COLUMN claimed_by BIGINT",
        "ALTER TABLE outbox ADD COLUMN claimed_at TEXT",
    ),
)

#: Migration series → its statements: the journal's (SQLite's) and our own.
SCHEMA_VERSIONS: Final = {"journal": MIGRATIONS, "postgres": PG_MIGRATIONS}


def advisory_key(name: str) -> int:
    """A signed 64-bit advisory lock key derived from `name`."""
    raw = hashlib.sha256(b"gcsched\0" + name.encode("utf-8")).digest()[:8]
    return int.from_bytes(raw, "big", signed=True)


#: Taken by every write transaction: one writer at a time per database.
_WRITE_KEY: Final = advisory_key("journal write")
#: Taken while migrating.
_MIGRATE_KEY: Final = advisory_key("journal migrate")


def explain(exc: psycopg.Error, where: str) -> JournalError:
    """A `JournalError` for a psycopg failure, naming the database (no password)."""
    text = redact(str(exc).strip().splitlines()[0] if str(exc).strip() else "")
    text = text or type(exc).__name__
    if isinstance(exc, psycopg.OperationalError):
        msg = (
            f"the state database {where} cannot be reached or the connection was "
            f"lost ({text}); nothing of the step in progress was recorded (each "
            "transition is one transaction). Re-run the same command once the "
            "database is back: it resumes"
        )
    else:
        msg = f"the state database {where} cannot be used: {text}"
    return JournalError(msg)


def connect_raw(url: str, where: str) -> psycopg.Connection[dict[str, Any]]:
    """An autocommit connection to `url` (dict rows).

    Raises:
        JournalError: the server cannot be reached or refuses the login.
    """
    register_url_secret(url)
    try:
        return psycopg.connect(
            url,
            autocommit=True,
            row_factory=dict_row,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            application_name="gcsched",
        )
    except psycopg.Error as exc:
        raise explain(exc, where) from None


class PgConnection:
    """The connection of an open transaction, taking the journal's portable SQL."""

    def __init__(self, conn: psycopg.Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Any:
        """Run one statement (``?`` placeholders); returns its cursor."""
        return self._conn.execute(statement(sql), tuple(parameters))

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        """Run one statement for each parameter tuple."""
        cursor = self._conn.cursor()
        cursor.executemany(statement(sql), [tuple(p) for p in parameters])
        return cursor


class PgDatabase:
    """One PostgreSQL connection of the state store, its clock and its mutex."""

    def __init__(
        self,
        conn: psycopg.Connection[dict[str, Any]],
        where: str,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._conn = conn
        self.where = where
        self._clock = clock
        self._mutex = threading.RLock()
        self._closed = False

    @classmethod
    def open(cls, url: str, clock: Callable[[], datetime] = utc_now) -> PgDatabase:
        """Connect to `url` and migrate the schema to the current versions.

        Raises:
            JournalError: unreachable, refused, or a newer gcsched's schema.
        """
        where = display_url(url)
        db = cls(connect_raw(url, where), where, clock)
        try:
            db.migrate()
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._mutex:
            if not self._closed:
                self._closed = True
                self._conn.close()

    def _ensure_open(self) -> None:
        if self._closed:
            msg = f"the state database {self.where} is closed"
            raise JournalError(msg)

    def migrate(self) -> int:
        """Apply the migrations not yet applied; returns how many were.

        Raises:
            JournalError: the database holds a schema newer than this gcsched's.
        """
        applied = 0
        with self.transaction(lock_key=_MIGRATE_KEY) as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (series TEXT NOT NULL,"
                " version BIGINT NOT NULL, applied_at TEXT NOT NULL,"
                " PRIMARY KEY (series, version))"
            )
            for series, steps in SCHEMA_VERSIONS.items():
                row = conn.execute(
                    "SELECT COALESCE(max(version), 0) AS v FROM schema_migrations"
                    " WHERE series = ?",
                    (series,),
                ).fetchone()
                current = int(row["v"])
                if current > len(steps):
                    msg = (
                        f"the state database {self.where} has {series} schema "
                        f"version {current}, newer than this gcsched understands "
                        f"({len(steps)}); upgrade gcsched"
                    )
                    raise JournalError(msg)
                for number in range(current + 1, len(steps) + 1):
                    for sql in steps[number - 1]:
                        self._conn.execute(ddl(sql) if series == "journal" else sql)
                    conn.execute(
                        "INSERT INTO schema_migrations (series, version, applied_at)"
                        " VALUES (?, ?, ?)",
                        (series, number, self.now().isoformat()),
                    )
                    applied += 1
        return applied

    @contextlib.contextmanager
    def transaction(
        self, *, lock_key: int | None = _WRITE_KEY
    ) -> Iterator[PgConnection]:
        """One transaction: commits on success, rolls back on any exception.

        Args:
            lock_key: the transaction-scoped advisory lock to take first (the
                write lock by default; None for none, as an outbox claim, whose
                row lock is the point).

        Raises:
            JournalError: the server failed, or the connection is lost.
        """
        with self._mutex:
            self._ensure_open()
            try:
                with self._conn.transaction():
                    if lock_key is not None:
                        self._conn.execute(
                            "SELECT pg_advisory_xact_lock(%s)", (lock_key,)
                        )
                    yield PgConnection(self._conn)
            except psycopg.Error as exc:
                raise explain(exc, self.where) from exc

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
        """Rows of a read-only statement (dicts by column name).

        Raises:
            JournalError: the server failed, or the connection is lost.
        """
        with self._mutex:
            self._ensure_open()
            try:
                return list(self._conn.execute(statement(sql), params).fetchall())
            except psycopg.Error as exc:
                raise explain(exc, self.where) from exc

    def now(self) -> datetime:
        """The store clock's current time."""
        return self._clock()

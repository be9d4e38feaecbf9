"""The PostgreSQL apply lock: an advisory lock per org, and a row naming its holder.

`PgLock.acquire` opens a connection of its own and takes the session-level
advisory lock of the org (its key derived from the org id) on it, then writes
who holds it (host, pid, command, since; the run id once the run starts) into
``apply_locks``. The server drops the advisory lock when that connection ends,
however it ends: a runner killed with SIGKILL never blocks the next one. The
row is only a record (advisory locks carry no holder information); a row
whose advisory lock is free is a stale record, which `unlock_postgres` clears.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg

from gcsched.errors import JournalError, LockHeldError
from gcsched.journal.codec import dump_time, load_time
from gcsched.journal.lock import LOCK_POLL_SECONDS, held_by
from gcsched.journal.postgres.database import advisory_key, connect_raw, explain
from gcsched.journal.records import LockInfo

__all__ = ["PgLock", "org_lock_key", "unlock_postgres"]

_HINT = (
    "wait for it to finish (or pass --lock-timeout SECONDS), or run `gcsched "
    "unlock` if that process is gone"
)
_FORCE_HINT = (
    "let it finish, or use `gcsched unlock --force` (it ends the holder's "
    "database session) if you are sure it is not writing"
)


def org_lock_key(org_id: str) -> int:
    """The advisory lock key of the apply lock of `org_id`."""
    return advisory_key("apply lock\0" + org_id)


def _row_info(row: dict[str, Any] | None) -> LockInfo | None:
    if row is None:
        return None
    return LockInfo(
        pid=int(row["pid"]),
        host=str(row["host"]),
        started_at=load_time(str(row["started_at"])),
        command=str(row["command"]),
        run_id=row["run_id"],
    )


def _message(org_id: str, where: str, info: LockInfo | None, hint: str) -> str:
    return (
        f"the apply lock of org {org_id} in the state database {where} is held "
        f"by {held_by(info)}; {hint}"
    )


def _is_free(conn: psycopg.Connection[dict[str, Any]], key: int) -> bool:
    """Whether nobody holds advisory lock `key` (tried and let go at once)."""
    row = conn.execute("SELECT pg_try_advisory_lock(%s) AS got", (key,)).fetchone()
    if row is not None and row["got"]:
        conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
        return True
    return False


class PgLock:
    """The single-writer lock of one org in one state database."""

    def __init__(self, url: str, where: str, org_id: str | None) -> None:
        """Args: url: the database; where: it, for messages; org_id: the org
        (None: a store opened for reading, which cannot take the lock)."""
        self._url = url
        self.where = where
        self.org_id = org_id
        self._conn: psycopg.Connection[dict[str, Any]] | None = None

    def _org(self) -> str:
        if self.org_id is None:
            msg = "this state store was opened without an org: it cannot lock"
            raise JournalError(msg)
        return self.org_id

    def acquire(self, *, command: str, timeout: float = 0.0) -> LockInfo:
        """Take the org's advisory lock on a connection of its own, and record it.

        Args:
            command: what the holder is doing, e.g. ``"apply schedules.yaml"``.
            timeout: how many seconds to wait for the holder to let go (0: none).

        Raises:
            LockHeldError: another session holds it (names host, pid, run, since).
            JournalError: the database cannot be reached.
        """
        org_id = self._org()
        if self._conn is not None:
            msg = f"the apply lock of org {org_id} is already held by this process"
            raise LockHeldError(msg)
        key = org_lock_key(org_id)
        conn = connect_raw(self._url, self.where)
        give_up = time.monotonic() + max(0.0, timeout)
        try:
            while True:
                row = conn.execute(
                    "SELECT pg_try_advisory_lock(%s) AS got", (key,)
                ).fetchone()
                if row is not None and row["got"]:
                    break
                if time.monotonic() >= give_up:
                    self._refuse(conn, org_id)
                time.sleep(min(LOCK_POLL_SECONDS, give_up - time.monotonic()))
            info = LockInfo(
                pid=os.getpid(),
                host=socket.gethostname(),
                started_at=datetime.now(UTC),
                command=command,
            )
            conn.execute(
                "INSERT INTO apply_locks (org_id, lock_key, host, pid, backend_pid,"
                " run_id, command, started_at) VALUES (%s, %s, %s, %s,"
                " pg_backend_pid(), NULL, %s, %s) ON CONFLICT (org_id) DO UPDATE SET"
                " lock_key = excluded.lock_key, host = excluded.host,"
                " pid = excluded.pid, backend_pid = excluded.backend_pid,"
                " run_id = NULL, command = excluded.command,"
                " started_at = excluded.started_at",
                (org_id, key, info.host, info.pid, command, dump_time(info.started_at)),
            )
        except psycopg.Error as exc:
            conn.close()
            raise explain(exc, self.where) from None
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return info

    def _refuse(self, conn: psycopg.Connection[dict[str, Any]], org_id: str) -> None:
        info = self._read(conn, org_id)
        raise LockHeldError(_message(org_id, self.where, info, _HINT))

    def set_run(self, run_id: str) -> None:
        """Name the run the holder is applying in the lock row (if held here)."""
        if self._conn is None:
            return
        try:
            self._conn.execute(
                "UPDATE apply_locks SET run_id = %s WHERE org_id = %s"
                " AND backend_pid = pg_backend_pid()",
                (run_id, self._org()),
            )
        except psycopg.Error as exc:
            raise explain(exc, self.where) from None

    def release(self) -> None:
        """Clear the lock row and end the lock's session (idempotent)."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        with contextlib.suppress(psycopg.Error):
            conn.execute(
                "DELETE FROM apply_locks WHERE org_id = %s"
                " AND backend_pid = pg_backend_pid()",
                (self._org(),),
            )
        conn.close()  # the server drops the advisory lock with the session

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        return self._conn is not None

    def _read(
        self, conn: psycopg.Connection[dict[str, Any]], org_id: str
    ) -> LockInfo | None:
        row = conn.execute(
            "SELECT * FROM apply_locks WHERE org_id = %s", (org_id,)
        ).fetchone()
        return _row_info(row)

    def read(self) -> LockInfo | None:
        """Who holds (or last held) the lock, from its row (None without an org)."""
        if self.org_id is None:
            return None
        org_id = self.org_id
        with contextlib.closing(connect_raw(self._url, self.where)) as conn:
            try:
                return self._read(conn, org_id)
            except psycopg.Error as exc:
                raise explain(exc, self.where) from None

    def holder_alive(self) -> bool:
        """Whether some session (this one included) holds the advisory lock now."""
        if self._conn is not None:
            return True
        key = org_lock_key(self._org())
        with contextlib.closing(connect_raw(self._url, self.where)) as conn:
            try:
                return not _is_free(conn, key)
            except psycopg.Error as exc:
                raise explain(exc, self.where) from None

    @contextlib.contextmanager
    def holding(self, command: str, *, timeout: float = 0.0) -> Iterator[LockInfo]:
        """Hold the lock for the `with` block (see `acquire`)."""
        info = self.acquire(command=command, timeout=timeout)
        try:
            yield info
        finally:
            self.release()


def unlock_postgres(url: str, where: str, *, force: bool) -> list[LockInfo]:
    """What `gcsched unlock` does with PostgreSQL: clear the lock rows.

    A row whose advisory lock is free is a stale record and goes. A live
    holder is refused unless `force`; then its database session is ended
    (``pg_terminate_backend``: the server frees the lock, and the holder's
    next write fails instead of going on unaware) and its row goes.

    Returns:
        The holders cleared.

    Raises:
        LockHeldError: a live session holds a lock and `force` is false.
        JournalError: the database cannot be reached, or refused to end the
            holder's session (the user needs the role's or pg_signal_backend's
            rights).
    """
    cleared: list[LockInfo] = []
    with contextlib.closing(connect_raw(url, where)) as conn:
        try:
            rows = conn.execute("SELECT * FROM apply_locks ORDER BY org_id").fetchall()
            for row in rows:
                info = _row_info(row)
                if not _is_free(conn, int(row["lock_key"])):
                    if not force:
                        msg = _message(row["org_id"], where, info, _FORCE_HINT)
                        raise LockHeldError(msg)
                    ended = conn.execute(
                        "SELECT pg_terminate_backend(%s) AS ended",
                        (int(row["backend_pid"]),),
                    ).fetchone()
                    if ended is None or not ended["ended"]:
                        msg = (
                            f"could not end the session (backend pid "
                            f"{row['backend_pid']}) holding the apply lock of org "
                            f"{row['org_id']} in {where}"
                        )
                        raise JournalError(msg)
                conn.execute(
                    "DELETE FROM apply_locks WHERE org_id = %s AND backend_pid = %s",
                    (row["org_id"], row["backend_pid"]),
                )
                if info is not None:
                    cleared.append(info)
        except psycopg.Error as exc:
            raise explain(exc, where) from None
    return cleared

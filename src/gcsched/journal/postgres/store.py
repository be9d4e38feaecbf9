"""`PostgresStore`: the state-store protocol on a PostgreSQL database.

The same tables and SQL as the SQLite journal (`TableStore`), over a
`PgDatabase`, with the org's `PgLock`, outbox claims (``FOR UPDATE SKIP
LOCKED``) and the rows of the audit chain.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Final, Self

from gcsched.journal.codec import dump_time
from gcsched.journal.database import utc_now
from gcsched.journal.postgres.database import PgDatabase, advisory_key
from gcsched.journal.postgres.lock import PgLock
from gcsched.journal.postgres.url import display_url
from gcsched.journal.records import Run
from gcsched.journal.store import TableStore

__all__ = ["CLAIM_LEASE", "PostgresStore"]

#: A claim older than this is void even if its session still lives (a sender
#: hung mid-delivery must not hold an event for ever).
CLAIM_LEASE: Final = timedelta(minutes=10)

#: Taken while appending to the audit chain (by the write transaction).
_AUDIT_KEY: Final = advisory_key("audit chain")

_CLAIM: Final = (
    "UPDATE outbox SET claimed_by = pg_backend_pid(), claimed_at = ?"
    " WHERE id = (SELECT id FROM outbox WHERE id = ? AND status = 'pending'"
    " AND (claimed_by IS NULL OR claimed_by = pg_backend_pid() OR claimed_at < ?"
    " OR claimed_by NOT IN (SELECT pid FROM pg_stat_activity))"
    " FOR UPDATE SKIP LOCKED) RETURNING id"
)
_UNCLAIM: Final = (
    "UPDATE outbox SET claimed_by = NULL, claimed_at = NULL"
    " WHERE id = ? AND claimed_by = pg_backend_pid()"
)


class PostgresStore(TableStore):
    """Runs, steps, outbox, ownership, doctor facts, audit rows and the apply lock.

    Open with `PostgresStore.connect(url, org_id=...)`; use as a context
    manager or call `close()`. `db` is its `PgDatabase`.
    """

    def __init__(self, db: PgDatabase, lock: PgLock) -> None:
        super().__init__(db)
        self._pg = db
        self._lock = lock

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        org_id: str | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> Self:
        """Connect to the database at `url`, migrated to the current schema.

        Args:
            url: ``postgresql://user:password@host:port/dbname`` (libpq's form;
                the password may also come from ``PGPASSWORD`` or ``~/.pgpass``).
            org_id: the org whose apply lock `lock` takes (None: read only).
            clock: returns the current aware datetime (tests inject a fake).

        Raises:
            JournalError: unreachable, refused, or a newer gcsched's schema.
            InputError: not a PostgreSQL URL.
        """
        db = PgDatabase.open(url, clock)
        return cls(db, PgLock(url, display_url(url), org_id))

    @property
    def where(self) -> str:
        """The database, for messages (no password)."""
        return self._pg.where

    def close(self) -> None:
        """Close the connection (idempotent); a held lock is released."""
        self._lock.release()
        self._pg.close()

    @property
    def lock(self) -> PgLock:
        """The apply lock of the org this store was opened for."""
        return self._lock

    def _run_created(self, run: Run) -> None:
        """The lock row names the run (advisory locks carry no holder)."""
        if run.org_id == self._lock.org_id:
            self._lock.set_run(run.id)

    # ---------------------------------------------------------------- outbox
    def claim_event(self, event_id: str) -> bool:
        """Claim a pending event for this connection (see `OutboxRecords`).

        The row is locked ``FOR UPDATE SKIP LOCKED``: a sender claiming it at
        the same moment skips it instead of waiting. A claim is held while the
        claiming session lives (and for at most `CLAIM_LEASE`): a sender that
        crashed leaves a claim nobody honours, so the event is sent again with
        the same ``webhook-id`` (at least once).
        """
        now = self._pg.now()
        with self._pg.transaction(lock_key=None) as conn:
            row = conn.execute(
                _CLAIM, (dump_time(now), event_id, dump_time(now - CLAIM_LEASE))
            ).fetchone()
        return row is not None

    def _unclaim(self, event_id: str) -> None:
        with self._pg.transaction(lock_key=None) as conn:
            conn.execute(_UNCLAIM, (event_id,))

    def mark_delivered(self, event_id: str, *, status: int) -> None:
        """See `OutboxTable.mark_delivered`; the claim ends."""
        super().mark_delivered(event_id, status=status)
        self._unclaim(event_id)

    def reschedule(
        self,
        event_id: str,
        *,
        next_attempt_at: datetime,
        last_status: int | None,
        last_error: str | None,
        attempted: bool = True,
    ) -> None:
        """See `OutboxTable.reschedule`; the claim ends."""
        super().reschedule(
            event_id,
            next_attempt_at=next_attempt_at,
            last_status=last_status,
            last_error=last_error,
            attempted=attempted,
        )
        self._unclaim(event_id)

    def mark_dead(
        self, event_id: str, *, last_status: int | None, last_error: str | None
    ) -> None:
        """See `OutboxTable.mark_dead`; the claim ends."""
        super().mark_dead(event_id, last_status=last_status, last_error=last_error)
        self._unclaim(event_id)

    # ----------------------------------------------------------- audit chain
    def audit_lines(self) -> list[str]:
        """Every line of the audit chain, in chain order (``seq``)."""
        rows = self._pg.query("SELECT line FROM audit_log ORDER BY seq")
        return [str(row["line"]) for row in rows]

    def audit_hash_of(self, run_id: str, step_id: int) -> str | None:
        """The hash of the entry written for this step, if any."""
        rows = self._pg.query(
            "SELECT hash FROM audit_log WHERE run_id = ? AND step_id = ?"
            " ORDER BY seq DESC LIMIT 1",
            (run_id, step_id),
        )
        return str(rows[0]["hash"]) if rows else None

    def append_audit(
        self,
        make: Callable[[int, str | None], tuple[str, str]],
        *,
        run_id: str | None,
        step_id: int | None,
    ) -> str:
        """Append one line to the chain, in one transaction with its head.

        Args:
            make: given the last entry's seq (0: none) and hash (None: none),
                returns the new line and its hash.
            run_id / step_id: what the entry is about (for `audit_hash_of`).

        Returns:
            The new entry's hash.
        """
        with self._pg.transaction(lock_key=_AUDIT_KEY) as conn:
            last = conn.execute(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            seq = int(last["seq"]) if last is not None else 0
            line, digest = make(seq, str(last["hash"]) if last is not None else None)
            conn.execute(
                "INSERT INTO audit_log (seq, line, hash, run_id, step_id,"
                " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                (seq + 1, line, digest, run_id, step_id, dump_time(self._pg.now())),
            )
        return digest

"""The transactional outbox: webhook events stored next to the steps they describe.

Rows are inserted in the same transaction as the step transition (see
`insert_events`), so an event exists if and only if its step's transition was
committed. A relay (`gcsched.webhooks`) reads `due_events`, delivers, and marks
each row delivered, rescheduled or dead. Duplicate event ids are ignored, so a
resumed run that re-derives the same event id never enqueues it twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from gcsched.errors import JournalError
from gcsched.journal.codec import dump_json, dump_time, row_to_outbox
from gcsched.journal.database import SqlConnection, SqlDatabase, guarded_update
from gcsched.journal.records import OutboxEvent, OutboxRow
from gcsched.telemetry.redact import redact

__all__ = ["OutboxTable", "insert_events"]


def insert_events(
    conn: SqlConnection, events: Sequence[OutboxEvent], now: datetime
) -> None:
    """Insert `events` as pending rows inside the caller's open transaction."""
    stamp = dump_time(now)
    for event in events:
        conn.execute(
            "INSERT INTO outbox (id, endpoint_url, secret_env, retry,"
            " event_type, payload, run_id, step_id, created_at, next_attempt_at,"
            " attempts, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'pending')"
            " ON CONFLICT (id) DO NOTHING",
            (
                event.id,
                event.endpoint_url,
                event.secret_env,
                dump_json(list(event.retry), f"the retry schedule of event {event.id}"),
                event.event_type,
                dump_json(dict(event.payload), f"the payload of event {event.id}"),
                event.run_id,
                event.step_id,
                stamp,
                stamp,
            ),
        )


class OutboxTable:
    """Outbox and endpoint bookkeeping of the journal, over its `Database`."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    def add_events(self, events: Sequence[OutboxEvent]) -> None:
        """Enqueue `events` in one transaction of their own (duplicate ids ignored).

        Raises:
            JournalError: the journal cannot be written or a payload is not JSON.
        """
        with self._db.transaction() as conn:
            insert_events(conn, events, self._db.now())

    def due_events(self, now: datetime, *, limit: int = 100) -> list[OutboxRow]:
        """Pending events whose next attempt is due, oldest first.

        Events of a disabled endpoint are left out until it is enabled again.

        Args:
            now: the time to compare ``next_attempt_at`` with.
            limit: at most this many rows.

        Returns:
            The due rows, ordered by next attempt, then creation.
        """
        rows = self._db.query(
            "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?"
            " AND endpoint_url NOT IN (SELECT url FROM disabled_endpoints)"
            " ORDER BY next_attempt_at, created_at, id LIMIT ?",
            (dump_time(now), limit),
        )
        return [row_to_outbox(row) for row in rows]

    def pending_events(self) -> list[OutboxRow]:
        """Every pending event, due or not, including those of disabled endpoints."""
        rows = self._db.query(
            "SELECT * FROM outbox WHERE status = 'pending'"
            " ORDER BY next_attempt_at, created_at, id"
        )
        return [row_to_outbox(row) for row in rows]

    def outbox_event(self, event_id: str) -> OutboxRow:
        """The stored row of event `event_id`.

        Raises:
            JournalError: no such event.
        """
        rows = self._db.query("SELECT * FROM outbox WHERE id = ?", (event_id,))
        if not rows:
            msg = f"no webhook event {event_id!r} in the journal outbox"
            raise JournalError(msg)
        return row_to_outbox(rows[0])

    def _finish_attempt(
        self,
        event_id: str,
        *,
        status: str,
        next_attempt_at: datetime | None,
        last_status: int | None,
        last_error: str | None,
        attempted: bool = True,
    ) -> None:
        with self._db.transaction() as conn:
            guarded_update(
                conn,
                "outbox",
                event_id,
                missing=f"no webhook event {event_id!r} in the journal outbox",
                refuse=lambda row: (
                    None
                    if row["status"] == "pending"
                    else f"webhook event {event_id!r} is already {row['status']}; "
                    "only pending events can be attempted"
                ),
                assignments="status = ?, attempts = attempts + ?,"
                " next_attempt_at = COALESCE(?, next_attempt_at),"
                " last_status = ?, last_error = ?",
                params=(
                    status,
                    1 if attempted else 0,
                    None if next_attempt_at is None else dump_time(next_attempt_at),
                    last_status,
                    None if last_error is None else redact(last_error),
                ),
            )

    def mark_delivered(self, event_id: str, *, status: int) -> None:
        """Record a successful (2xx) delivery of `event_id`.

        Raises:
            JournalError: no such event, or it is not pending.
        """
        self._finish_attempt(
            event_id,
            status="delivered",
            next_attempt_at=None,
            last_status=status,
            last_error=None,
        )

    def reschedule(
        self,
        event_id: str,
        *,
        next_attempt_at: datetime,
        last_status: int | None,
        last_error: str | None,
        attempted: bool = True,
    ) -> None:
        """Record a failed attempt and when to try again (attempts + 1).

        Args:
            event_id: the event.
            next_attempt_at: when to try again.
            last_status: the HTTP status, if one arrived.
            last_error: why it failed (redacted before it is stored).
            attempted: False when nothing was sent (e.g. the secret is missing):
                `attempts` stays as it is, so the retry schedule is not used up.

        Raises:
            JournalError: no such event, or it is not pending.
        """
        self._finish_attempt(
            event_id,
            status="pending",
            next_attempt_at=next_attempt_at,
            last_status=last_status,
            last_error=last_error,
            attempted=attempted,
        )

    def mark_dead(
        self, event_id: str, *, last_status: int | None, last_error: str | None
    ) -> None:
        """Give up on `event_id` after its last attempt (attempts + 1).

        Raises:
            JournalError: no such event, or it is not pending.
        """
        self._finish_attempt(
            event_id,
            status="dead",
            next_attempt_at=None,
            last_status=last_status,
            last_error=last_error,
        )

    def disable_endpoint(self, url: str, *, reason: str) -> None:
        """Stop delivering to `url` (e.g. after a 410) until `enable_endpoint`."""
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO disabled_endpoints (url, reason, disabled_at)"
                " VALUES (?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                " reason = excluded.reason, disabled_at = excluded.disabled_at",
                (url, reason, dump_time(self._db.now())),
            )

    def enable_endpoint(self, url: str) -> bool:
        """Deliver to `url` again.

        Returns:
            True if it was disabled, False if it was not.
        """
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "DELETE FROM disabled_endpoints WHERE url = ?", (url,)
            )
            return bool(cursor.rowcount > 0)

    def disabled_endpoints(self) -> dict[str, str]:
        """Disabled endpoint URLs, each with the reason it was disabled."""
        rows = self._db.query("SELECT url, reason FROM disabled_endpoints ORDER BY url")
        return {row["url"]: row["reason"] for row in rows}

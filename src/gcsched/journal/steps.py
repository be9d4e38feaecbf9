"""The ``steps`` table: the planned changes of each run, and where each stands.

Steps move::

    planned ──► sent ──► confirmed | failed | conflict | skipped
       │          └──► sent (re-sent after a read-back showed it did not land)
       └──► confirmed | failed | conflict | skipped

Final statuses never change again. Each transition is ONE transaction that also
inserts the outbox rows it produces. Error texts pass through the process-wide
redactor (`gcsched.telemetry.redact`) before they are stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from gcsched.errors import JournalError
from gcsched.journal.codec import dump_time, row_to_step
from gcsched.journal.database import SqlConnection, SqlDatabase, SqlRow, guarded_update
from gcsched.journal.outbox import insert_events
from gcsched.journal.records import OutboxEvent, Step
from gcsched.journal.runs import json_or_none
from gcsched.telemetry.redact import redact

__all__ = ["ALLOWED_TRANSITIONS", "EXTERNAL_RUN", "StepTable"]

#: The ``run_id`` under which the hashes of external-change entries are kept.
EXTERNAL_RUN: Final = "external"

#: Step status → the statuses it may move to.
ALLOWED_TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    "planned": frozenset({"sent", "confirmed", "failed", "conflict", "skipped"}),
    "sent": frozenset({"sent", "confirmed", "failed", "conflict", "skipped"}),
    "confirmed": frozenset(),
    "failed": frozenset(),
    "conflict": frozenset(),
    "skipped": frozenset(),
}


class StepTable:
    """The steps of the journal's runs and their audit hashes, over its `Database`."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    def steps(self, run_id: str) -> list[Step]:
        """The steps of `run_id` in plan order (by seq)."""
        rows = self._db.query(
            "SELECT * FROM steps WHERE run_id = ? ORDER BY seq", (run_id,)
        )
        return [row_to_step(row) for row in rows]

    def step(self, step_id: int) -> Step:
        """The step with id `step_id`.

        Raises:
            JournalError: no such step.
        """
        rows = self._db.query("SELECT * FROM steps WHERE id = ?", (step_id,))
        if not rows:
            msg = f"no step {step_id} in the journal"
            raise JournalError(msg)
        return row_to_step(rows[0])

    def transition(
        self,
        step_id: int,
        to: str,
        *,
        result: Mapping[str, Any] | None = None,
        error: str | None = None,
        version_new: int | None = None,
        events: Sequence[OutboxEvent] = (),
        also: Callable[[SqlConnection, SqlRow], None] | None = None,
    ) -> None:
        """Move `step_id` to status `to`, with its events, in one transaction.

        `also` runs inside that transaction with the step's row as it was
        (the ownership record of a confirmed step is written so).

        Raises:
            JournalError: unknown step or an illegal transition.
        """
        now = self._db.now()
        with self._db.transaction() as conn:
            row = guarded_update(
                conn,
                "steps",
                step_id,
                missing=f"no step {step_id} in the journal",
                refuse=lambda row: (
                    None
                    if to in ALLOWED_TRANSITIONS[row["status"]]
                    else f"step {step_id} (run {row['run_id']}, #{row['seq']}) "
                    f"cannot go from {row['status']} to {to}"
                ),
                assignments="status = ?, result = COALESCE(?, result), error = ?,"
                " version_new = COALESCE(?, version_new), updated_at = ?",
                params=(
                    to,
                    json_or_none(result, f"step {step_id}"),
                    None if error is None else redact(error),
                    version_new,
                    dump_time(now),
                ),
            )
            conn.execute(
                "UPDATE runs SET updated_at = ? WHERE id = ?",
                (dump_time(now), row["run_id"]),
            )
            insert_events(conn, events, now)
            if also is not None:
                also(conn, row)

    def unaudited_steps(self) -> list[Step]:
        """Confirmed steps without a recorded audit hash, in the order confirmed."""
        rows = self._db.query(
            "SELECT * FROM steps WHERE status = 'confirmed' AND audit_hash IS NULL"
            " ORDER BY updated_at, id"
        )
        return [row_to_step(row) for row in rows]

    def set_audit_hash(self, step_id: int, digest: str) -> None:
        """Record that the audit entry of `step_id` has hash `digest`.

        Raises:
            JournalError: unknown step, not confirmed, or already has another hash.
        """

        def refuse(row: SqlRow) -> str | None:
            if row["status"] != "confirmed":
                return (
                    f"step {step_id} is {row['status']}; "
                    "only confirmed steps are audited"
                )
            if row["audit_hash"] not in (None, digest):
                return f"step {step_id} already has audit entry {row['audit_hash']}"
            return None

        with self._db.transaction() as conn:
            row = guarded_update(
                conn,
                "steps",
                step_id,
                missing=f"no step {step_id} in the journal",
                refuse=refuse,
                assignments="audit_hash = ?",
                params=(digest,),
            )
            if row["audit_hash"] == digest:
                return  # recorded already: the hash list keeps one copy
            conn.execute(
                "INSERT INTO audit_hashes (hash, run_id, step_id, recorded_at)"
                " VALUES (?, ?, ?, ?)",
                (digest, row["run_id"], step_id, dump_time(self._db.now())),
            )

    def record_external_audit(self, digest: str) -> None:
        """Record the hash of an audit entry no step made (an external change).

        Kept with the steps' hashes, so `audit verify` notices it deleted.
        """
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO audit_hashes (hash, run_id, step_id, recorded_at)"
                " VALUES (?, ?, 0, ?)",
                (digest, EXTERNAL_RUN, dump_time(self._db.now())),
            )

    def audit_hashes(self) -> list[str]:
        """Every audit hash the journal recorded, in recording order (kept by prune)."""
        rows = self._db.query("SELECT hash FROM audit_hashes ORDER BY n")
        return [row["hash"] for row in rows]

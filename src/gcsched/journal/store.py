"""The journal: runs and their steps in SQLite, crash-safe.

WAL mode with ``synchronous=FULL``: a committed transition survives a crash of
the process and of the machine. Each transition is ONE transaction that also
inserts the outbox rows it produces. Steps move::

    planned ──► sent ──► confirmed | failed | conflict | skipped
       │          └──► sent (re-sent after a read-back showed it did not land)
       └──► confirmed | failed | conflict | skipped

Final statuses never change again. A run moves from ``open`` to exactly one of
succeeded, partial, failed or superseded. Error texts pass through the
process-wide redactor (`gcsched.telemetry.redact`) before they are stored.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

from gcsched.errors import JournalError
from gcsched.genesys import ChangeSpec
from gcsched.journal.codec import dump_json, dump_time, row_to_run, row_to_step
from gcsched.journal.connection import connect, utc_now
from gcsched.journal.outbox import OutboxStore, insert_events
from gcsched.journal.records import (
    RUN_FINAL_STATUSES,
    STEP_ACTIONS,
    OutboxEvent,
    Run,
    Step,
)
from gcsched.telemetry.redact import redact

__all__ = ["ALLOWED_TRANSITIONS", "Journal", "new_run_id"]

#: Step status → the statuses it may move to.
ALLOWED_TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    "planned": frozenset({"sent", "confirmed", "failed", "conflict", "skipped"}),
    "sent": frozenset({"sent", "confirmed", "failed", "conflict", "skipped"}),
    "confirmed": frozenset(),
    "failed": frozenset(),
    "conflict": frozenset(),
    "skipped": frozenset(),
}


def new_run_id(now: datetime) -> str:
    """A short, sortable run id such as ``r20261127-205301-3fa2c1``."""
    return f"r{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


class Journal(OutboxStore):
    """Runs, steps, audit bookkeeping and the webhook outbox of one state dir.

    Open with `Journal.open(path)`; use as a context manager or call `close()`.
    """

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> Self:
        """Open the journal at `path`, creating it (and its parents) if needed.

        Args:
            path: the SQLite file, e.g. ``.gcsched/journal.db``.
            clock: returns the current aware datetime (tests inject a fake).

        Returns:
            The open journal, migrated to the current schema.

        Raises:
            JournalError: not a journal, corrupt, locked, or cannot be created.
        """
        where = Path(path)
        return cls(connect(where), str(where), clock)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._mutex:
            if not self._closed:
                self._closed = True
                self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ runs
    def create_run(
        self,
        *,
        org_id: str,
        org_name: str,
        file_path: str,
        file_sha256: str,
        checksum: str,
        plan: Mapping[str, Any],
        steps: Sequence[ChangeSpec],
    ) -> Run:
        """Record a new open run and its planned steps in one transaction.

        Returns:
            The stored run.

        Raises:
            JournalError: a step has an unknown action, or a body is not JSON.
        """
        for spec in steps:
            if spec.action not in STEP_ACTIONS:
                msg = (
                    f"step {spec.target_name!r} has unknown action {spec.action!r}; "
                    f"expected one of {', '.join(sorted(STEP_ACTIONS))}"
                )
                raise JournalError(msg)
        now = self.now()
        run_id = new_run_id(now)
        stamp = dump_time(now)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO runs (id, org_id, org_name, file_path, file_sha256,"
                " checksum, status, created_at, updated_at, summary, plan)"
                " VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, '{}', ?)",
                (
                    run_id,
                    org_id,
                    org_name,
                    file_path,
                    file_sha256,
                    checksum,
                    stamp,
                    stamp,
                    dump_json(dict(plan), "the plan"),
                ),
            )
            for seq, spec in enumerate(steps, start=1):
                conn.execute(
                    "INSERT INTO steps (run_id, seq, action, kind, target_id,"
                    " target_name, version_seen, before, after, status, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?)",
                    (
                        run_id,
                        seq,
                        str(spec.action),
                        spec.stored_kind,
                        spec.target_id,
                        spec.target_name,
                        spec.version_seen,
                        _json_or_none(spec.before, spec.target_name),
                        _json_or_none(spec.after, spec.target_name),
                        stamp,
                    ),
                )
        return self.get_run(run_id)

    def open_run(self, org_id: str, file_sha256: str) -> Run | None:
        """The open run of this org and file content, if any (the newest)."""
        rows = self.query(
            "SELECT * FROM runs WHERE org_id = ? AND file_sha256 = ?"
            " AND status = 'open' ORDER BY created_at DESC, id DESC LIMIT 1",
            (org_id, file_sha256),
        )
        return row_to_run(rows[0]) if rows else None

    def open_runs(self, org_id: str) -> list[Run]:
        """Every open run of `org_id`, oldest first (whatever the file)."""
        rows = self.query(
            "SELECT * FROM runs WHERE org_id = ? AND status = 'open'"
            " ORDER BY created_at, id",
            (org_id,),
        )
        return [row_to_run(row) for row in rows]

    def list_runs(self, limit: int = 50) -> list[Run]:
        """The newest `limit` runs, newest first."""
        rows = self.query(
            "SELECT * FROM runs ORDER BY created_at DESC, id DESC LIMIT ?", (limit,)
        )
        return [row_to_run(row) for row in rows]

    def get_run(self, ref: str) -> Run:
        """The run whose id is `ref` or starts with it.

        Raises:
            JournalError: no run matches, or the prefix matches several (listed).
        """
        ref = ref.strip()
        if not ref:
            msg = "give a run id (or a unique prefix of one); see `gcsched runs list`"
            raise JournalError(msg)
        rows = self.query("SELECT * FROM runs WHERE id = ?", (ref,))
        if rows:
            return row_to_run(rows[0])
        escaped = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.query(
            "SELECT * FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 11",
            (escaped + "%",),
        )
        if len(rows) == 1:
            return row_to_run(rows[0])
        if not rows:
            msg = f"no run {ref!r} in the journal; see `gcsched runs list`"
            raise JournalError(msg)
        names = ", ".join(row["id"] for row in rows[:10])
        more = " …" if len(rows) > 10 else ""
        msg = f"run prefix {ref!r} is ambiguous: {names}{more}; give more of the id"
        raise JournalError(msg)

    def finish_run(
        self,
        run_id: str,
        status: str,
        *,
        summary: Mapping[str, Any],
        events: Sequence[OutboxEvent] = (),
    ) -> None:
        """Close an open run with `status` (and its summary, and its events).

        Raises:
            JournalError: unknown run or status, or the run is not open.
        """
        if status not in RUN_FINAL_STATUSES:
            msg = (
                f"cannot finish run {run_id} as {status!r}; expected one of "
                f"{', '.join(sorted(RUN_FINAL_STATUSES))}"
            )
            raise JournalError(msg)
        now = self.now()
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT status FROM runs WHERE id = ?", (run_id,)
            ).fetchone()
            if row is None:
                msg = f"no run {run_id!r} in the journal"
                raise JournalError(msg)
            if row["status"] != "open":
                msg = f"run {run_id} is already {row['status']}; it cannot be finished"
                raise JournalError(msg)
            conn.execute(
                "UPDATE runs SET status = ?, summary = ?, updated_at = ? WHERE id = ?",
                (status, dump_json(dict(summary), "the run summary"), dump_time(now),
                 run_id),
            )  # fmt: skip
            insert_events(conn, events, now)

    def set_run_summary(self, run_id: str, summary: Mapping[str, Any]) -> None:
        """Replace the stored summary of `run_id` (e.g. telemetry at the end).

        Raises:
            JournalError: unknown run, or the summary is not JSON.
        """
        with self.transaction() as conn:
            cursor = conn.execute(
                "UPDATE runs SET summary = ?, updated_at = ? WHERE id = ?",
                (dump_json(dict(summary), "the run summary"),
                 dump_time(self.now()), run_id),
            )  # fmt: skip
            if cursor.rowcount == 0:
                msg = f"no run {run_id!r} in the journal"
                raise JournalError(msg)

    def prune(self, older_than: timedelta) -> int:
        """Delete finished runs last updated before now − `older_than`.

        Their steps go with them, and so do their delivered or dead outbox rows;
        pending outbox rows and the recorded audit hashes are kept.

        Returns:
            How many runs were deleted.
        """
        cutoff = dump_time(self.now() - older_than)
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM outbox WHERE status != 'pending' AND run_id IN"
                " (SELECT id FROM runs WHERE status != 'open' AND updated_at < ?)",
                (cutoff,),
            )
            cursor = conn.execute(
                "DELETE FROM runs WHERE status != 'open' AND updated_at < ?", (cutoff,)
            )
            return cursor.rowcount

    # ----------------------------------------------------------------- steps
    def steps(self, run_id: str) -> list[Step]:
        """The steps of `run_id` in plan order (by seq)."""
        rows = self.query(
            "SELECT * FROM steps WHERE run_id = ? ORDER BY seq", (run_id,)
        )
        return [row_to_step(row) for row in rows]

    def step(self, step_id: int) -> Step:
        """The step with id `step_id`.

        Raises:
            JournalError: no such step.
        """
        rows = self.query("SELECT * FROM steps WHERE id = ?", (step_id,))
        if not rows:
            msg = f"no step {step_id} in the journal"
            raise JournalError(msg)
        return row_to_step(rows[0])

    def _transition(
        self,
        step_id: int,
        to: str,
        *,
        result: Mapping[str, Any] | None = None,
        error: str | None = None,
        version_new: int | None = None,
        events: Sequence[OutboxEvent] = (),
    ) -> None:
        now = self.now()
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT status, run_id, seq FROM steps WHERE id = ?", (step_id,)
            ).fetchone()
            if row is None:
                msg = f"no step {step_id} in the journal"
                raise JournalError(msg)
            current = row["status"]
            if to not in ALLOWED_TRANSITIONS[current]:
                msg = (
                    f"step {step_id} (run {row['run_id']}, #{row['seq']}) cannot go "
                    f"from {current} to {to}"
                )
                raise JournalError(msg)
            conn.execute(
                "UPDATE steps SET status = ?, result = COALESCE(?, result),"
                " error = ?, version_new = COALESCE(?, version_new), updated_at = ?"
                " WHERE id = ?",
                (
                    to,
                    _json_or_none(result, f"step {step_id}"),
                    None if error is None else redact(error),
                    version_new,
                    dump_time(now),
                    step_id,
                ),
            )
            conn.execute(
                "UPDATE runs SET updated_at = ? WHERE id = ?",
                (dump_time(now), row["run_id"]),
            )
            insert_events(conn, events, now)

    def mark_sent(self, step_id: int) -> None:
        """Record the intent: the request for `step_id` is about to be sent.

        Raises:
            JournalError: unknown step or an illegal transition.
        """
        self._transition(step_id, "sent")

    def mark_confirmed(
        self,
        step_id: int,
        *,
        result: Mapping[str, Any] | None,
        version_new: int | None,
        events: Sequence[OutboxEvent] = (),
    ) -> None:
        """Record that the API confirmed `step_id`, with its outbox events.

        Raises:
            JournalError: unknown step or an illegal transition.
        """
        self._transition(
            step_id, "confirmed", result=result, version_new=version_new, events=events
        )

    def mark_failed(
        self, step_id: int, *, error: str, events: Sequence[OutboxEvent] = ()
    ) -> None:
        """Record that `step_id` failed with `error` (a message without secrets).

        Raises:
            JournalError: unknown step or an illegal transition.
        """
        self._transition(step_id, "failed", error=error, events=events)

    def mark_conflict(
        self,
        step_id: int,
        *,
        detail: Mapping[str, Any],
        events: Sequence[OutboxEvent] = (),
    ) -> None:
        """Record a version conflict on `step_id`; `detail` is stored as the result.

        Raises:
            JournalError: unknown step or an illegal transition.
        """
        self._transition(step_id, "conflict", result=detail, events=events)

    def mark_skipped(self, step_id: int, *, reason: str) -> None:
        """Record that `step_id` was not carried out; `reason` goes into `error`.

        Raises:
            JournalError: unknown step or an illegal transition.
        """
        self._transition(step_id, "skipped", error=reason)

    # ------------------------------------------------------------------ audit
    def unaudited_steps(self) -> list[Step]:
        """Confirmed steps without a recorded audit hash, in the order confirmed."""
        rows = self.query(
            "SELECT * FROM steps WHERE status = 'confirmed' AND audit_hash IS NULL"
            " ORDER BY updated_at, id"
        )
        return [row_to_step(row) for row in rows]

    def set_audit_hash(self, step_id: int, digest: str) -> None:
        """Record that the audit entry of `step_id` has hash `digest`.

        Raises:
            JournalError: unknown step, not confirmed, or already has another hash.
        """
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT status, run_id, audit_hash FROM steps WHERE id = ?", (step_id,)
            ).fetchone()
            if row is None:
                msg = f"no step {step_id} in the journal"
                raise JournalError(msg)
            if row["status"] != "confirmed":
                msg = (
                    f"step {step_id} is {row['status']}; "
                    "only confirmed steps are audited"
                )
                raise JournalError(msg)
            if row["audit_hash"] is not None:
                if row["audit_hash"] == digest:
                    return
                msg = f"step {step_id} already has audit entry {row['audit_hash']}"
                raise JournalError(msg)
            conn.execute(
                "UPDATE steps SET audit_hash = ? WHERE id = ?", (digest, step_id)
            )
            conn.execute(
                "INSERT INTO audit_hashes (hash, run_id, step_id, recorded_at)"
                " VALUES (?, ?, ?, ?)",
                (digest, row["run_id"], step_id, dump_time(self.now())),
            )

    def audit_hashes(self) -> list[str]:
        """Every audit hash the journal recorded, in recording order (kept by prune)."""
        rows = self.query("SELECT hash FROM audit_hashes ORDER BY n")
        return [row["hash"] for row in rows]


def _json_or_none(value: Mapping[str, Any] | None, what: str) -> str | None:
    return None if value is None else dump_json(dict(value), f"the body of {what}")

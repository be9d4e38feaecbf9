"""The journal's state store, and the SQLite journal of one state dir.

`TableStore` implements the state-store protocol (`gcsched.journal.protocol`)
over any `SqlDatabase` by composition: a `RunTable`, a `StepTable`, an
`OutboxTable`, an `OwnershipTable` and a `FactTable`; each method hands its
work to the table that owns it. `Journal` is that store on one SQLite
`Database` (WAL, ``synchronous=FULL``: a committed transition survives a crash
of the process and of the machine) with the `StateLock` file next to it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from gcsched.genesys import ChangeSpec
from gcsched.journal.database import Database, SqlDatabase, utc_now
from gcsched.journal.facts import FactTable, OrgFacts
from gcsched.journal.lock import StateLock
from gcsched.journal.outbox import OutboxTable
from gcsched.journal.ownership import (
    OwnershipRecord,
    OwnershipTable,
    record_confirmed_step,
)
from gcsched.journal.protocol import PruneResult
from gcsched.journal.records import OutboxEvent, OutboxRow, Run, Step
from gcsched.journal.runs import RunTable, new_run_id
from gcsched.journal.steps import ALLOWED_TRANSITIONS, StepTable

__all__ = ["ALLOWED_TRANSITIONS", "Journal", "TableStore", "new_run_id"]


class TableStore:
    """Runs, steps, audit bookkeeping, the webhook outbox, ownership and facts.

    The state-store protocol over any `SqlDatabase`: `Journal` puts it on
    SQLite, `gcsched.journal.postgres.PostgresStore` on PostgreSQL; both add
    their writer lock. `db` is the database the tables share.
    """

    def __init__(self, db: SqlDatabase) -> None:
        self.db = db
        self._runs = RunTable(db)
        self._steps = StepTable(db)
        self._outbox = OutboxTable(db)
        self._ownership = OwnershipTable(db)
        self._facts = FactTable(db)

    def close(self) -> None:
        """Close the store; a held lock is released (each backend closes its own)."""
        raise NotImplementedError  # pragma: no cover - Journal and PostgresStore do

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def now(self) -> datetime:
        """The journal clock's current time."""
        return self.db.now()

    def claim_event(self, event_id: str) -> bool:
        """See `OutboxRecords.claim_event`: here, whether it is still pending
        (one writer at a time holds the state lock of a SQLite journal)."""
        return self._outbox.outbox_event(event_id).status == "pending"

    # ------------------------------------------------------------------ facts
    def save_facts(
        self,
        *,
        org_id: str,
        org_name: str,
        facts: Mapping[str, Any],
        probed: bool,
    ) -> OrgFacts:
        """See `FactTable.save_facts`."""
        return self._facts.save_facts(
            org_id=org_id, org_name=org_name, facts=facts, probed=probed
        )

    def facts_for(self, org_id: str) -> OrgFacts | None:
        """See `FactTable.facts_for`."""
        return self._facts.facts_for(org_id)

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
        priors: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
        environment: str | None = None,
        reverts: str | None = None,
        webhooks: Sequence[Mapping[str, Any]] = (),
    ) -> Run:
        """See `RunTable.create_run` (then `_run_created`)."""
        run = self._runs.create_run(
            org_id=org_id,
            org_name=org_name,
            file_path=file_path,
            file_sha256=file_sha256,
            checksum=checksum,
            plan=plan,
            steps=steps,
            priors=priors,
            environment=environment,
            reverts=reverts,
            webhooks=webhooks,
        )
        self._run_created(run)
        return run

    def _run_created(self, run: Run) -> None:
        """What a backend does once a run is recorded (nothing by default)."""

    def open_run(self, org_id: str, file_sha256: str) -> Run | None:
        """See `RunTable.open_run`."""
        return self._runs.open_run(org_id, file_sha256)

    def open_runs(self, org_id: str) -> list[Run]:
        """See `RunTable.open_runs`."""
        return self._runs.open_runs(org_id)

    def list_runs(self, limit: int = 50) -> list[Run]:
        """See `RunTable.list_runs`."""
        return self._runs.list_runs(limit)

    def get_run(self, ref: str) -> Run:
        """See `RunTable.get_run`."""
        return self._runs.get_run(ref)

    def finish_run(
        self,
        run_id: str,
        status: str,
        *,
        summary: Mapping[str, Any],
        events: Sequence[OutboxEvent] = (),
    ) -> None:
        """See `RunTable.finish_run`."""
        self._runs.finish_run(run_id, status, summary=summary, events=events)

    def set_run_summary(self, run_id: str, summary: Mapping[str, Any]) -> None:
        """See `RunTable.set_run_summary`."""
        self._runs.set_run_summary(run_id, summary)

    def prune(self, older_than: timedelta, *, force: bool = False) -> PruneResult:
        """See `RunTable.prune`."""
        return self._runs.prune(older_than, force=force)

    # ----------------------------------------------------------------- steps
    def steps(self, run_id: str) -> list[Step]:
        """See `StepTable.steps`."""
        return self._steps.steps(run_id)

    def step(self, step_id: int) -> Step:
        """See `StepTable.step`."""
        return self._steps.step(step_id)

    def mark_sent(self, step_id: int) -> None:
        """Record the intent: the request for `step_id` is about to be sent."""
        self._steps.transition(step_id, "sent")

    def mark_confirmed(
        self,
        step_id: int,
        *,
        result: Mapping[str, Any] | None,
        version_new: int | None,
        events: Sequence[OutboxEvent] = (),
    ) -> None:
        """Record that the API confirmed `step_id`, with its outbox events.

        The step's ownership record is written (or, for a delete, removed) in
        the same transaction, so a crash cannot confirm one without the other.
        """
        now = self.db.now()
        self._steps.transition(
            step_id,
            "confirmed",
            result=result,
            version_new=version_new,
            events=events,
            also=lambda conn, row: record_confirmed_step(
                conn, row, result=result, version_new=version_new, now=now
            ),
        )

    def mark_failed(
        self, step_id: int, *, error: str, events: Sequence[OutboxEvent] = ()
    ) -> None:
        """Record that `step_id` failed with `error` (a message without secrets)."""
        self._steps.transition(step_id, "failed", error=error, events=events)

    def mark_conflict(
        self,
        step_id: int,
        *,
        detail: Mapping[str, Any],
        events: Sequence[OutboxEvent] = (),
    ) -> None:
        """Record a version conflict on `step_id`; `detail` is stored as the result."""
        self._steps.transition(step_id, "conflict", result=detail, events=events)

    def mark_skipped(self, step_id: int, *, reason: str) -> None:
        """Record that `step_id` was not carried out; `reason` goes into `error`."""
        self._steps.transition(step_id, "skipped", error=reason)

    def unaudited_steps(self) -> list[Step]:
        """See `StepTable.unaudited_steps`."""
        return self._steps.unaudited_steps()

    def set_audit_hash(self, step_id: int, digest: str) -> None:
        """See `StepTable.set_audit_hash`."""
        self._steps.set_audit_hash(step_id, digest)

    def record_external_audit(self, digest: str) -> None:
        """See `StepTable.record_external_audit`."""
        self._steps.record_external_audit(digest)

    def audit_hashes(self) -> list[str]:
        """See `StepTable.audit_hashes`."""
        return self._steps.audit_hashes()

    # ---------------------------------------------------------------- outbox
    def add_events(self, events: Sequence[OutboxEvent]) -> None:
        """See `OutboxTable.add_events`."""
        self._outbox.add_events(events)

    def due_events(self, now: datetime, *, limit: int = 100) -> list[OutboxRow]:
        """See `OutboxTable.due_events`."""
        return self._outbox.due_events(now, limit=limit)

    def pending_events(self) -> list[OutboxRow]:
        """See `OutboxTable.pending_events`."""
        return self._outbox.pending_events()

    def outbox_event(self, event_id: str) -> OutboxRow:
        """See `OutboxTable.outbox_event`."""
        return self._outbox.outbox_event(event_id)

    def mark_delivered(self, event_id: str, *, status: int) -> None:
        """See `OutboxTable.mark_delivered`."""
        self._outbox.mark_delivered(event_id, status=status)

    def reschedule(
        self,
        event_id: str,
        *,
        next_attempt_at: datetime,
        last_status: int | None,
        last_error: str | None,
        attempted: bool = True,
    ) -> None:
        """See `OutboxTable.reschedule`."""
        self._outbox.reschedule(
            event_id,
            next_attempt_at=next_attempt_at,
            last_status=last_status,
            last_error=last_error,
            attempted=attempted,
        )

    def mark_dead(
        self, event_id: str, *, last_status: int | None, last_error: str | None
    ) -> None:
        """See `OutboxTable.mark_dead`."""
        self._outbox.mark_dead(event_id, last_status=last_status, last_error=last_error)

    def disable_endpoint(self, url: str, *, reason: str) -> None:
        """See `OutboxTable.disable_endpoint`."""
        self._outbox.disable_endpoint(url, reason=reason)

    def enable_endpoint(self, url: str) -> bool:
        """See `OutboxTable.enable_endpoint`."""
        return self._outbox.enable_endpoint(url)

    def disabled_endpoints(self) -> dict[str, str]:
        """See `OutboxTable.disabled_endpoints`."""
        return self._outbox.disabled_endpoints()

    # ------------------------------------------------------------- ownership
    def ownership(self, org_id: str) -> list[OwnershipRecord]:
        """See `OwnershipTable.ownership`."""
        return self._ownership.ownership(org_id)

    def record_ownership(self, records: Sequence[OwnershipRecord]) -> None:
        """See `OwnershipTable.record_ownership`."""
        self._ownership.record_ownership(records)

    def forget_ownership(self, org_id: str, family: str, target_id: str) -> bool:
        """See `OwnershipTable.forget_ownership`."""
        return self._ownership.forget_ownership(org_id, family, target_id)


class Journal(TableStore):
    """The SQLite state store: `TableStore` on one file, and its lock file.

    Open with `Journal.open(path)`; use as a context manager or call `close()`.
    `db` is the SQLite database the stores share.
    """

    def __init__(self, db: Database, lock: StateLock) -> None:
        super().__init__(db)
        self._database = db
        self._lock = lock

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], datetime] = utc_now,
        lock: str | os.PathLike[str] | None = None,
    ) -> Self:
        """Open the journal at `path`, creating it (and its parents) if needed.

        Args:
            path: the SQLite file, e.g. ``.gcsched/journal.sqlite``.
            clock: returns the current aware datetime (tests inject a fake).
            lock: the writer lock file (default: ``lock`` next to `path`).

        Returns:
            The open journal, migrated to the current schema.

        Raises:
            JournalError: not a journal, corrupt, locked, or cannot be created.
            InputError: the journal or the state dir is a symlink or not ours.
        """
        where = Path(path)
        lock_path = Path(lock) if lock is not None else where.with_name("lock")
        return cls(Database.open(where, clock), StateLock(lock_path))

    def close(self) -> None:
        """Close the database (idempotent); a held lock is released."""
        self._lock.release()
        self._database.close()

    @property
    def lock(self) -> StateLock:
        """The single-writer lock of this state dir."""
        return self._lock

"""The state-store protocol: what the engine and the webhooks need of a journal.

`StateStore` is the whole contract, made of one protocol per kind of record:
`RunRecords`, `StepRecords`, `OutboxRecords`, `OwnershipRecords` and the
single-writer `WriterLock`.
The SQLite `gcsched.journal.Journal` implements it; a second backend
(PostgreSQL: rows instead of a file, an advisory lock per org) implements the
same methods and the engine does not change. `DoctorFacts` holds what
`gcsched doctor` settled per org.

Every method raises `gcsched.errors.JournalError` when the store cannot be used
or a transition is illegal (a final step status, a run that is not open, an
outbox event that is not pending).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from gcsched.genesys import ChangeSpec
from gcsched.journal.facts import OrgFacts
from gcsched.journal.ownership import OwnershipRecord
from gcsched.journal.records import (
    LockInfo,
    OutboxEvent,
    OutboxRow,
    Run,
    Step,
)

__all__ = [
    "DoctorFacts",
    "OutboxRecords",
    "OwnershipRecords",
    "PruneResult",
    "RunRecords",
    "StateStore",
    "StepRecords",
    "WriterLock",
]


@dataclass(frozen=True, slots=True)
class PruneResult:
    """What `RunRecords.prune` did.

    `deleted` counts the runs deleted; `kept` names the finished runs old
    enough to go that were kept because steps of theirs are still planned or
    sent (a later apply resumes them; ``--force`` prunes them anyway).
    """

    deleted: int
    kept: tuple[str, ...] = ()


class RunRecords(Protocol):
    """Runs: one apply of one file against one org."""

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
        """Record a new open run, its plan and its planned steps at once.

        The plan is written this once: no later write of the run or its steps
        rewrites it. The returned run carries `plan` as given.
        """
        ...

    def open_run(self, org_id: str, file_sha256: str) -> Run | None:
        """The newest open run of this org and file content (`plan` empty)."""
        ...

    def open_runs(self, org_id: str) -> list[Run]:
        """Every open run of `org_id`, oldest first (`plan` empty)."""
        ...

    def list_runs(self, limit: int = 50) -> list[Run]:
        """The newest `limit` runs, newest first (`plan` empty: lists never read
        plans, which can be large)."""
        ...

    def get_run(self, ref: str) -> Run:
        """The run whose id is `ref` or starts with it, with its `plan`."""
        ...

    def finish_run(
        self,
        run_id: str,
        status: str,
        *,
        summary: Mapping[str, Any],
        events: Sequence[OutboxEvent] = (),
    ) -> None:
        """Close an open run with `status`, its summary and its events at once."""
        ...

    def set_run_summary(self, run_id: str, summary: Mapping[str, Any]) -> None:
        """Replace the stored summary of `run_id`."""
        ...

    def prune(self, older_than: timedelta, *, force: bool = False) -> PruneResult:
        """Delete finished runs older than `older_than`, keeping resumable ones."""
        ...


class StepRecords(Protocol):
    """Steps of runs, their transitions, and the audit hash of each."""

    def steps(self, run_id: str) -> list[Step]:
        """The steps of `run_id` in plan order."""
        ...

    def step(self, step_id: int) -> Step:
        """The step with id `step_id`."""
        ...

    def mark_sent(self, step_id: int) -> None:
        """Record the intent: the request of the step is about to be sent."""
        ...

    def mark_confirmed(
        self,
        step_id: int,
        *,
        result: Mapping[str, Any] | None,
        version_new: int | None,
        events: Sequence[OutboxEvent] = (),
    ) -> None:
        """Record that the API confirmed the step, with its events at once.

        A schedule step's ownership record is written (a delete's removed) in
        the same transaction (`OwnershipRecords`).
        """
        ...

    def mark_failed(
        self, step_id: int, *, error: str, events: Sequence[OutboxEvent] = ()
    ) -> None:
        """Record that the step failed with `error`."""
        ...

    def mark_conflict(
        self,
        step_id: int,
        *,
        detail: Mapping[str, Any],
        events: Sequence[OutboxEvent] = (),
    ) -> None:
        """Record a version conflict on the step."""
        ...

    def mark_skipped(self, step_id: int, *, reason: str) -> None:
        """Record that the step was not carried out."""
        ...

    def unaudited_steps(self) -> list[Step]:
        """Confirmed steps without a recorded audit hash, in the order confirmed."""
        ...

    def set_audit_hash(self, step_id: int, digest: str) -> None:
        """Record the hash of the audit entry of a confirmed step."""
        ...

    def record_external_audit(self, digest: str) -> None:
        """Record the hash of an external-change audit entry (no step made it)."""
        ...

    def audit_hashes(self) -> list[str]:
        """Every audit hash recorded, in recording order (kept by prune)."""
        ...


class OutboxRecords(Protocol):
    """The transactional webhook outbox and the disabled endpoints."""

    def add_events(self, events: Sequence[OutboxEvent]) -> None:
        """Enqueue `events` (duplicate ids ignored)."""
        ...

    def due_events(self, now: datetime, *, limit: int = 100) -> list[OutboxRow]:
        """Pending events whose next attempt is due, oldest first."""
        ...

    def claim_event(self, event_id: str) -> bool:
        """Claim a pending event for one delivery attempt.

        False when it is no longer pending, or another sender's claim on it is
        live: a sender posts an event only after claiming it, so two senders
        never post one event at once. The claim ends with `mark_delivered`,
        `reschedule` or `mark_dead`, or when the claimer is gone (crashed).
        """
        ...

    def pending_events(self) -> list[OutboxRow]:
        """Every pending event, due or not."""
        ...

    def outbox_event(self, event_id: str) -> OutboxRow:
        """The stored row of event `event_id`."""
        ...

    def mark_delivered(self, event_id: str, *, status: int) -> None:
        """Record a successful delivery."""
        ...

    def reschedule(
        self,
        event_id: str,
        *,
        next_attempt_at: datetime,
        last_status: int | None,
        last_error: str | None,
        attempted: bool = True,
    ) -> None:
        """Record a failed attempt and when to try again."""
        ...

    def mark_dead(
        self, event_id: str, *, last_status: int | None, last_error: str | None
    ) -> None:
        """Give up on an event after its last attempt."""
        ...

    def disable_endpoint(self, url: str, *, reason: str) -> None:
        """Stop delivering to `url` until `enable_endpoint`."""
        ...

    def enable_endpoint(self, url: str) -> bool:
        """Deliver to `url` again; False if it was not disabled."""
        ...

    def disabled_endpoints(self) -> dict[str, str]:
        """Disabled endpoint URLs, each with its reason."""
        ...


class OwnershipRecords(Protocol):
    """One record per schedule gcsched wrote: its project, version, dateCreated.

    `StepRecords.mark_confirmed` keeps them for the steps it confirms; the
    methods here read them (the plan) and add adopted ones (`gcsched adopt`).
    """

    def ownership(self, org_id: str) -> list[OwnershipRecord]:
        """Every record of `org_id`: ownership belongs to the org, whichever
        environment wrote the record (`OwnershipRecord.environment`)."""
        ...

    def record_ownership(self, records: Sequence[OwnershipRecord]) -> None:
        """Write (or replace) `records` at once."""
        ...

    def forget_ownership(self, org_id: str, family: str, target_id: str) -> bool:
        """Remove one record; False when there was none."""
        ...


class WriterLock(Protocol):
    """At most one writer per state: a file lock, or a PostgreSQL advisory lock."""

    def acquire(self, *, command: str, timeout: float = 0.0) -> LockInfo:
        """Take the lock and record who holds it, waiting up to `timeout`
        seconds for a holder to finish, or raise `LockHeldError`."""
        ...

    def holding(
        self, command: str, *, timeout: float = 0.0
    ) -> AbstractContextManager[LockInfo]:
        """Hold the lock for a `with` block (see `acquire`)."""
        ...

    def release(self) -> None:
        """Release the lock (idempotent)."""
        ...

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        ...

    def read(self) -> LockInfo | None:
        """Who holds (or last held) the lock, if recorded."""
        ...

    def holder_alive(self) -> bool:
        """Whether some process holds the lock now."""
        ...


class DoctorFacts(Protocol):
    """What `gcsched doctor` settled about each org (one record per org)."""

    def save_facts(
        self,
        *,
        org_id: str,
        org_name: str,
        facts: Mapping[str, Any],
        probed: bool,
    ) -> OrgFacts:
        """Store the facts of one org (unsettled ones keep earlier values)."""
        ...

    def facts_for(self, org_id: str) -> OrgFacts | None:
        """The facts stored for `org_id`, or None."""
        ...


class StateStore(
    RunRecords, StepRecords, OutboxRecords, OwnershipRecords, DoctorFacts, Protocol
):
    """Everything gcsched keeps about runs, steps, webhooks, ownership, doctor
    facts and the writer lock."""

    @property
    def lock(self) -> WriterLock:
        """The single-writer lock of this state."""
        ...

"""The journal's values: runs, steps and outbox events (frozen, slotted).

A *run* is one `apply` of one schedule file against one org. It holds one *step*
per change of the plan; each step moves ``planned → sent → confirmed`` (or ends
``failed``, ``conflict`` or ``skipped``). Outbox events are the webhooks a
transition produces, written in the same transaction as the transition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from gcsched.genesys import Action, ChangeSpec

__all__ = [
    "RUN_FINAL_STATUSES",
    "RUN_STATUSES",
    "STEP_ACTIONS",
    "STEP_FINAL_STATUSES",
    "STEP_STATUSES",
    "LockInfo",
    "OutboxEvent",
    "OutboxRow",
    "Run",
    "RunStatus",
    "Step",
    "StepStatus",
]


class StepStatus(StrEnum):
    """Where a step stands (the values stored in the ``steps`` table)."""

    PLANNED = "planned"
    SENT = "sent"
    CONFIRMED = "confirmed"
    FAILED = "failed"
    CONFLICT = "conflict"
    SKIPPED = "skipped"


class RunStatus(StrEnum):
    """Where a run stands (the values stored in the ``runs`` table)."""

    OPEN = "open"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    FAILED = "failed"
    SUPERSEDED = "superseded"


STEP_ACTIONS: Final = frozenset(Action)
STEP_STATUSES: Final = frozenset(StepStatus)
STEP_FINAL_STATUSES: Final = STEP_STATUSES - {StepStatus.PLANNED, StepStatus.SENT}
RUN_STATUSES: Final = frozenset(RunStatus)
RUN_FINAL_STATUSES: Final = RUN_STATUSES - {RunStatus.OPEN}


@dataclass(frozen=True, slots=True)
class Step:
    """A step as stored: the change it makes, and where it stands.

    `change` is the planned change as the engine handed it to
    `Journal.create_run` (its bodies read back from the journal, so the runner
    sends what the journal holds). `result` holds the confirmed body (or the
    conflict detail); `error` the failure message (or the reason a step was
    skipped); `audit_hash` the hash of the audit entry written for the step, once
    written. `prior` is the full body of the step's schedule as read before the
    run (None for a create, for pacing, and for steps journaled before gcsched
    kept it).
    """

    change: ChangeSpec
    id: int
    run_id: str
    seq: int
    status: StepStatus
    result: Mapping[str, Any] | None
    error: str | None
    version_new: int | None
    audit_hash: str | None
    updated_at: datetime
    prior: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Run:
    """One apply run of one file against one org.

    `id` is a short sortable id such as ``r20261127-205301-3fa2c1``. `plan` is
    the plan as stored, which `create_run` and `get_run` carry; the lists of
    runs (`open_run`, `open_runs`, `list_runs`) read the run rows only and
    leave it empty: a plan can be large, and only `runs show` reads it.
    `environment` is the file's environment (``--env NAME``; None: the file
    has none), `reverts` the run this one reverts (``runs revert``), and
    `webhooks` the webhook endpoints the run notifies, as plain JSON (what a
    revert of it notifies; empty for runs journaled before journal migration 6).
    """

    id: str
    org_id: str
    org_name: str
    file_path: str
    file_sha256: str
    checksum: str
    status: RunStatus
    created_at: datetime
    updated_at: datetime
    summary: Mapping[str, Any]
    plan: Mapping[str, Any]
    environment: str | None = None
    reverts: str | None = None
    webhooks: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    """A webhook event to deliver; `id` is the stable ``webhook-id``.

    `retry` is the endpoint's retry schedule in seconds; `secret_env` names the
    environment variable holding the signing secret (never the secret itself).
    """

    id: str
    endpoint_url: str
    secret_env: str
    retry: tuple[float, ...]
    event_type: str
    payload: Mapping[str, Any]
    run_id: str | None = None
    step_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxRow(OutboxEvent):
    """An outbox event as stored, with its delivery state.

    `status` is pending, delivered or dead; `attempts` counts delivery attempts.
    """

    created_at: datetime
    next_attempt_at: datetime
    attempts: int
    status: str
    last_status: int | None
    last_error: str | None


@dataclass(frozen=True, slots=True)
class LockInfo:
    """Who holds the state lock: written into the lock file (or, with
    PostgreSQL, the lock row) by its holder; `run_id` once its run started."""

    pid: int
    host: str
    started_at: datetime
    command: str
    run_id: str | None = None

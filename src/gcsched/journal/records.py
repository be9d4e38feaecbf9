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
from typing import Any, Final

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
    "Step",
    "StepSpec",
]

STEP_ACTIONS: Final = frozenset({"create", "update", "delete", "pacing"})
STEP_STATUSES: Final = frozenset(
    {"planned", "sent", "confirmed", "failed", "conflict", "skipped"}
)
STEP_FINAL_STATUSES: Final = frozenset({"confirmed", "failed", "conflict", "skipped"})
RUN_STATUSES: Final = frozenset(
    {"open", "succeeded", "partial", "failed", "superseded"}
)
RUN_FINAL_STATUSES: Final = RUN_STATUSES - {"open"}


@dataclass(frozen=True, slots=True)
class StepSpec:
    """One planned change, as the engine hands it to `Journal.create_run`.

    `before` and `after` are the Genesys bodies (plain JSON-able mappings);
    `version_seen` is the schedule version read at plan time (None for creates).
    """

    action: str
    kind: str
    target_id: str
    target_name: str
    version_seen: int | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


@dataclass(frozen=True, slots=True)
class Step(StepSpec):
    """A step as stored: the spec plus where it stands.

    `status` is one of planned, sent, confirmed, failed, conflict, skipped.
    `result` holds the confirmed body (or the conflict detail); `error` the failure
    message (or the reason a step was skipped); `audit_hash` the hash of the audit
    entry written for the step, once written.
    """

    id: int
    run_id: str
    seq: int
    status: str
    result: Mapping[str, Any] | None
    error: str | None
    version_new: int | None
    audit_hash: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Run:
    """One apply run of one file against one org.

    `status` is one of open, succeeded, partial, failed, superseded; `id` is a
    short sortable id such as ``r20261127-205301-3fa2c1``.
    """

    id: str
    org_id: str
    org_name: str
    file_path: str
    file_sha256: str
    checksum: str
    status: str
    created_at: datetime
    updated_at: datetime
    summary: Mapping[str, Any]
    plan: Mapping[str, Any]


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
    """Who holds the state lock: written into the lock file by its holder."""

    pid: int
    host: str
    started_at: datetime
    command: str

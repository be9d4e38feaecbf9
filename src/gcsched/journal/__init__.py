"""The crash-safe journal: runs, steps, the webhook outbox and the state lock.

The engine and the webhooks use it through the state-store protocol
(`StateStore`, in `gcsched.journal.protocol`). `Journal` is its SQLite
implementation (WAL, ``synchronous=FULL``), one transaction per state
transition, the outbox rows of a transition in the same transaction; the
writer lock is the `StateLock` file next to it.
"""

from __future__ import annotations

from gcsched.journal.facts import OrgFacts
from gcsched.journal.lock import StateLock, unlock
from gcsched.journal.ownership import DEFAULT_ENVIRONMENT, OwnershipRecord
from gcsched.journal.protocol import (
    DoctorFacts,
    OutboxRecords,
    OwnershipRecords,
    PruneResult,
    RunRecords,
    StateStore,
    StepRecords,
    WriterLock,
)
from gcsched.journal.records import (
    LockInfo,
    OutboxEvent,
    OutboxRow,
    Run,
    RunStatus,
    Step,
    StepStatus,
)
from gcsched.journal.store import Journal, new_run_id

__all__ = [
    "DEFAULT_ENVIRONMENT",
    "DoctorFacts",
    "Journal",
    "LockInfo",
    "OrgFacts",
    "OutboxEvent",
    "OutboxRecords",
    "OutboxRow",
    "OwnershipRecord",
    "OwnershipRecords",
    "PruneResult",
    "Run",
    "RunRecords",
    "RunStatus",
    "StateLock",
    "StateStore",
    "Step",
    "StepRecords",
    "StepStatus",
    "WriterLock",
    "new_run_id",
    "unlock",
]

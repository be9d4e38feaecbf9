"""The crash-safe journal: runs, steps, the webhook outbox and the state lock.

SQLite (WAL, ``synchronous=FULL``), one transaction per state transition, the
outbox rows of a transition in the same transaction. See `Journal` and
`StateLock`.
"""

from __future__ import annotations

from gcsched.journal.lock import StateLock, unlock
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
    "Journal",
    "LockInfo",
    "OutboxEvent",
    "OutboxRow",
    "Run",
    "RunStatus",
    "StateLock",
    "Step",
    "StepStatus",
    "new_run_id",
    "unlock",
]

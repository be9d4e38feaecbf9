"""The tamper-evident audit log: hash-chained JSON lines under the state dir."""

from __future__ import annotations

from gcsched.audit.chain import GENESIS, canonical_json, digest, entry_hash
from gcsched.audit.guard import ensure_appendable
from gcsched.audit.log import AuditLog, AuditVerification
from gcsched.audit.recorder import AuditableRun, AuditableStep, entry_for, record_steps

__all__ = [
    "GENESIS",
    "AuditLog",
    "AuditVerification",
    "AuditableRun",
    "AuditableStep",
    "canonical_json",
    "digest",
    "ensure_appendable",
    "entry_for",
    "entry_hash",
    "record_steps",
]

"""Helpers of the audit tests: sample entries and a sample log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gcsched.audit import AuditLog, digest


def sample_entry(n: int, run_id: str = "r20261127-205301-3fa2c1") -> dict[str, Any]:
    """The audit entry of step `n` of a run."""
    before = None if n == 1 else {"name": f"gcsched:C{n}", "version": n}
    after = {"name": f"gcsched:C{n}", "intervals": [], "note": "Zürich ✓"}
    return {
        "time": f"2026-11-27T20:5{n}:01+00:00",
        "run_id": run_id,
        "step_id": n,
        "actor": "sandbox-client-id",
        "action": "create" if n == 1 else "update",
        "target": {"kind": "campaign", "id": f"id-{n}", "name": f"C{n}"},
        "before_digest": None if before is None else digest(before),
        "after_digest": digest(after),
    }


def sample_log(path: Path, n: int = 4) -> tuple[AuditLog, list[str]]:
    """A log of `n` entries and the hashes a journal would have recorded."""
    log = AuditLog(path)
    hashes = [log.append(sample_entry(i)) for i in range(1, n + 1)]
    return log, hashes

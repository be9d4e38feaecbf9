"""Local state operations: runs, the lock, the audit log, the webhook outbox."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, TextIO

from gcsched.api.state import StatePaths
from gcsched.audit import AuditVerification
from gcsched.errors import InputError
from gcsched.journal import LockInfo, PruneResult, Run, Step
from gcsched.webhooks import DeliveryReport, enable, flush

__all__ = [
    "audit_entries",
    "audit_export",
    "audit_verify",
    "clear_lock",
    "list_runs",
    "prune_runs",
    "runs_with_steps",
    "show_run",
    "webhooks_enable",
    "webhooks_flush",
]


def list_runs(state: StatePaths, *, limit: int = 50) -> list[Run]:
    """The newest runs of the journal."""
    return [run for run, _ in runs_with_steps(state, limit=limit)]


def runs_with_steps(
    state: StatePaths, *, limit: int = 50
) -> list[tuple[Run, dict[str, int]]]:
    """The newest runs, each with how many of its steps stand at each status.

    A finished run counts its steps as its summary recorded them; an open run
    (still applying, or interrupted) and a superseded one have no such
    summary, so their steps are counted as the journal holds them now.
    """
    if not state.has_journal():
        return []
    with state.open_store() as journal:
        out: list[tuple[Run, dict[str, int]]] = []
        for run in journal.list_runs(limit):
            summary = (
                run.summary.get("steps") if isinstance(run.summary, Mapping) else None
            )
            if isinstance(summary, Mapping) and summary:
                counts = {str(k): int(v) for k, v in summary.items()}
            else:
                counts = {}
                for step in journal.steps(run.id):
                    counts[str(step.status)] = counts.get(str(step.status), 0) + 1
            out.append((run, counts))
        return out


def _no_journal(state: StatePaths) -> InputError:
    return InputError(
        f"no journal at {state.journal}: nothing has been applied with this state "
        "dir (pass --state-dir to choose another)"
    )


def show_run(state: StatePaths, ref: str) -> tuple[Run, list[Step]]:
    """One run (by id or unique prefix) and its steps."""
    if not state.has_journal():
        raise _no_journal(state)
    with state.open_store() as journal:
        run = journal.get_run(ref)
        return run, journal.steps(run.id)


def prune_runs(
    state: StatePaths, older_than: timedelta, *, force: bool = False
) -> PruneResult:
    """Delete finished runs older than `older_than` (resumable ones if `force`)."""
    if not state.has_journal():
        return PruneResult(0)
    with state.open_store() as journal:
        return journal.prune(older_than, force=force)


def clear_lock(state: StatePaths, *, force: bool) -> LockInfo | None:
    """Remove a lock whose holder is gone (a live one only with `force`).

    With a state database, every such lock row goes; the first is returned.
    """
    cleared = state.clear_lock(force=force)
    return cleared[0] if cleared else None


def audit_verify(state: StatePaths) -> AuditVerification:
    """Check the audit chain and that it reaches every hash the journal recorded."""
    if not state.has_journal():
        return state.audit_log().verify(())
    with state.open_store() as journal:
        return state.audit_log(journal).verify(journal.audit_hashes())


def audit_entries(
    state: StatePaths, *, run_id: str | None = None
) -> list[dict[str, Any]]:
    """The audit entries (of one run)."""
    with state.reading_audit() as log:
        return log.entries(run_id=run_id)


def audit_export(state: StatePaths, out: TextIO) -> None:
    """Write the audit log as JSON lines for a SIEM."""
    with state.reading_audit() as log:
        log.export(out)


async def webhooks_flush(
    state: StatePaths, *, environ: Mapping[str, str] | None = None
) -> DeliveryReport:
    """Deliver every pending webhook event now (nothing to do without a journal)."""
    if not state.has_journal():
        return DeliveryReport(delivered=0, failed=0, pending=0, disabled=0)
    with state.open_store() as journal:
        return await flush(journal, environ=os.environ if environ is None else environ)


def webhooks_enable(state: StatePaths, url: str) -> bool:
    """Re-enable an endpoint disabled by a 410; False if it was not disabled."""
    if not state.has_journal():
        return False
    with state.open_store() as journal:
        return enable(journal, url)

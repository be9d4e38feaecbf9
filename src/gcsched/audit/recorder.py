"""From confirmed journal steps to audit entries, never twice.

The engine calls `record_steps(log, journal.unaudited_steps(), actor=client_id,
record=journal.set_audit_hash)` after each confirmed step and once on start. For
each step it reuses the entry already in the log (a crash may have struck
between writing the entry and the journal recording its hash) or appends a new
one, then records the hash in the journal. Steps are read through the
`AuditableStep` protocol, so this module does not import the journal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Protocol

from gcsched.audit.chain import digest
from gcsched.audit.log import AuditLog
from gcsched.genesys import ChangeSpec

__all__ = ["AuditableRun", "AuditableStep", "entry_for", "record_steps"]


class AuditableStep(Protocol):
    """What the audit needs of a confirmed step (`gcsched.journal.Step` fits)."""

    @property
    def id(self) -> int: ...
    @property
    def run_id(self) -> str: ...
    @property
    def change(self) -> ChangeSpec: ...
    @property
    def version_new(self) -> int | None: ...
    @property
    def updated_at(self) -> datetime: ...


class AuditableRun(Protocol):
    """What the audit names of a step's run (`gcsched.journal.Run` fits)."""

    @property
    def org_id(self) -> str: ...
    @property
    def org_name(self) -> str: ...
    @property
    def environment(self) -> str | None: ...


def entry_for(
    step: AuditableStep, *, actor: str, run: AuditableRun | None = None
) -> dict[str, Any]:
    """The audit entry of a confirmed `step` done by OAuth client `actor`.

    The time is when the journal confirmed the step; `target.kind` is campaign,
    sequence or messaging_campaign (entries written by 0.1.0 hold the schedule
    family there, e.g. ``campaigns``: read them with
    `gcsched.genesys.target_kind_of`, see CHANGELOG.md); digests are of the
    Genesys bodies before and after (None where there is no body). With the
    step's `run`, the entry names its ``org`` ({id, name}) and
    ``environment`` (None: the file has none); entries written before 0.3
    have neither, and the chain verifies both kinds alike (each hash covers
    the fields its entry holds).
    """
    change = step.change
    moment = step.updated_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    entry: dict[str, Any] = {
        "time": moment.astimezone(UTC).isoformat(timespec="seconds"),
        "run_id": step.run_id,
        "step_id": step.id,
        "actor": actor,
        "action": str(change.action),
        "target": {
            "kind": change.target_kind,
            "id": change.target_id,
            "name": change.target_name,
        },
        "before_digest": None if change.before is None else digest(dict(change.before)),
        "after_digest": None if change.after is None else digest(dict(change.after)),
        "version_seen": change.version_seen,
        "version_new": step.version_new,
    }
    if run is not None:
        entry["org"] = {"id": run.org_id, "name": run.org_name}
        entry["environment"] = run.environment
    return entry


def record_steps(
    log: AuditLog,
    steps: Iterable[AuditableStep],
    *,
    actor: str,
    record: Callable[[int, str], None],
    run_of: Callable[[str], AuditableRun] | None = None,
) -> list[str]:
    """Make sure each confirmed step has exactly one audit entry, and record it.

    Args:
        log: the audit log.
        steps: confirmed steps not yet audited (`Journal.unaudited_steps()`).
        actor: the OAuth client id that made the changes.
        record: stores a step's entry hash (`Journal.set_audit_hash`).
        run_of: a step's run by run id (`Journal.get_run`), whose org and
            environment the entry names; read once per run.

    Returns:
        The hashes recorded, in order.

    Raises:
        AuditError: the log cannot be written or its last entry is damaged.
    """
    hashes: list[str] = []
    runs: dict[str, AuditableRun] = {}
    for step in steps:
        existing = log.recent(step.run_id, step.id)
        if existing is None and run_of is not None and step.run_id not in runs:
            runs[step.run_id] = run_of(step.run_id)
        entry_hash = existing or log.append(
            entry_for(step, actor=actor, run=runs.get(step.run_id))
        )
        record(step.id, entry_hash)
        hashes.append(entry_hash)
    return hashes

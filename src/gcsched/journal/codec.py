"""How journal values are stored in SQLite columns, and read back.

Times are stored as fixed-width ISO-8601 UTC text (microseconds, ``+00:00``) so
that text comparison in SQL is time comparison. JSON columns hold compact JSON
with sorted keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from gcsched.errors import JournalError
from gcsched.genesys import ChangeSpec, parse_stored_kind
from gcsched.journal.database import SqlRow
from gcsched.journal.records import OutboxRow, Run, RunStatus, Step, StepStatus

__all__ = [
    "dump_json",
    "dump_time",
    "load_json",
    "load_time",
    "row_to_outbox",
    "row_to_run",
    "row_to_step",
]


def dump_time(moment: datetime) -> str:
    """Fixed-width UTC text for `moment` (a naive datetime is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def load_time(text: str) -> datetime:
    """The aware UTC datetime stored as `text`."""
    return datetime.fromisoformat(text)


def dump_json(value: object, what: str) -> str:
    """Compact, key-sorted JSON of `value`.

    Raises:
        JournalError: `value` is not JSON-able (names `what`, never the value).
    """
    try:
        return json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
            allow_nan=False,
        )  # fmt: skip
    except (TypeError, ValueError) as exc:
        msg = f"cannot store {what} in the journal: it is not plain JSON ({exc})"
        raise JournalError(msg) from exc


def load_json(text: str | None) -> Any:
    """The value stored as JSON `text` (None stays None)."""
    return None if text is None else json.loads(text)


def _mapping(text: str | None) -> Mapping[str, Any] | None:
    value = load_json(text)
    return value if isinstance(value, dict) else None


def row_to_run(row: SqlRow, *, plan: str | None = None) -> Run:
    """A `Run` from a ``runs`` row and, when read, its ``run_plans`` text.

    Without `plan` the run's `plan` is empty: lists of runs never read plans.
    """
    return Run(
        id=row["id"],
        org_id=row["org_id"],
        org_name=row["org_name"],
        file_path=row["file_path"],
        file_sha256=row["file_sha256"],
        checksum=row["checksum"],
        status=RunStatus(row["status"]),
        created_at=load_time(row["created_at"]),
        updated_at=load_time(row["updated_at"]),
        summary=_mapping(row["summary"]) or {},
        plan=_mapping(plan) or {},
        environment=row["environment"],
        reverts=row["reverts"],
        webhooks=tuple(
            item for item in load_json(row["webhooks"]) or () if isinstance(item, dict)
        ),
    )


def row_to_step(row: SqlRow) -> Step:
    """A `Step` from a ``steps`` row (its `kind` column is the change's stored kind).

    Raises:
        JournalError: the row's action or kind is not one gcsched writes.
    """
    try:
        family, target_kind = parse_stored_kind(row["kind"])
        change = ChangeSpec(
            action=row["action"],
            family=family,
            target_kind=target_kind,
            target_id=row["target_id"],
            target_name=row["target_name"],
            version_seen=row["version_seen"],
            before=_mapping(row["before"]),
            after=_mapping(row["after"]),
        )
    except ValueError as exc:
        msg = f"step {row['id']} of run {row['run_id']} cannot be read: {exc}"
        raise JournalError(msg) from exc
    return Step(
        change=change,
        id=row["id"],
        run_id=row["run_id"],
        seq=row["seq"],
        status=StepStatus(row["status"]),
        result=_mapping(row["result"]),
        error=row["error"],
        version_new=row["version_new"],
        audit_hash=row["audit_hash"],
        updated_at=load_time(row["updated_at"]),
        prior=_mapping(row["prior"]),
    )


def row_to_outbox(row: SqlRow) -> OutboxRow:
    """An `OutboxRow` from an ``outbox`` row."""
    return OutboxRow(
        id=row["id"],
        endpoint_url=row["endpoint_url"],
        secret_env=row["secret_env"],
        retry=tuple(float(s) for s in load_json(row["retry"])),
        event_type=row["event_type"],
        payload=_mapping(row["payload"]) or {},
        run_id=row["run_id"],
        step_id=row["step_id"],
        created_at=load_time(row["created_at"]),
        next_attempt_at=load_time(row["next_attempt_at"]),
        attempts=row["attempts"],
        status=row["status"],
        last_status=row["last_status"],
        last_error=row["last_error"],
    )

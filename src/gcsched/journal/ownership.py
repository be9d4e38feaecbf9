"""The ``ownership`` table: one record per schedule gcsched wrote (design.md Ownership).

A record says which project owns the schedule of one target in one org, and
what gcsched last saw of it: the version it wrote, the schedule's
``dateCreated``, the run that wrote it and that run's environment. Ownership
belongs to the org (records are keyed and looked up by org, family and
target): two environment names for one org, or a file that gains
``environments:``, see the same records (docs/state.md "Environments"). The
engine compares them with what the org holds to tell a schedule gcsched owns
from one someone else recreated (a new ``dateCreated``, a lower version) and
from one edited outside gcsched since (a higher version). The name marker is
the other signal; the record is what remains when the API drops ``name``.

Records are written by `record_confirmed_step` inside the transaction that
marks a schedule step confirmed (a crash cannot lose one) and removed in the
transaction that confirms a delete; `OwnershipTable.record_ownership` adds
those `gcsched adopt` asks for. Each step of a run keeps the record its target
had when the run started (`owner_snapshot`); a revert of the run puts that
record back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from gcsched.domain import DEFAULT_PROJECT, marker_project
from gcsched.genesys import FAMILIES, Action
from gcsched.journal.codec import dump_json, dump_time, load_json, load_time
from gcsched.journal.database import SqlConnection, SqlDatabase, SqlRow

__all__ = [
    "DEFAULT_ENVIRONMENT",
    "NO_RECORD",
    "OwnershipRecord",
    "OwnershipTable",
    "owner_snapshot",
    "record_confirmed_step",
]

#: The environment recorded for a run of a file without environments.
DEFAULT_ENVIRONMENT: Final = "default"


@dataclass(frozen=True, slots=True)
class OwnershipRecord:
    """Who owns one target's schedule, and what gcsched last wrote of it.

    Attributes:
        org_id: the Genesys org.
        environment: the environment of the run (or adoption) that wrote the
            record (`DEFAULT_ENVIRONMENT` for a file without environments);
            an attribute, not part of the key.
        family: the schedule family (``campaigns``, ``sequences``, ...).
        target_id: the campaign, sequence or messaging campaign id.
        project: the project that owns the schedule.
        version: the schedule version gcsched wrote (or saw when adopting).
        date_created: the schedule's ``dateCreated`` as the API gave it.
        run_id: the run that wrote it (None when adopted without writing).
        recorded_at: when the record was written.
    """

    org_id: str
    environment: str
    family: str
    target_id: str
    project: str
    version: int | None
    date_created: str | None
    run_id: str | None
    recorded_at: datetime | None = None


_UPSERT: Final = (
    "INSERT INTO ownership (org_id, environment, family, target_id, project,"
    " version, date_created, run_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (org_id, family, target_id) DO UPDATE SET"
    " environment = excluded.environment,"
    " project = excluded.project, version = excluded.version,"
    " date_created = excluded.date_created, run_id = excluded.run_id,"
    " recorded_at = excluded.recorded_at"
)
_FORGET: Final = (
    "DELETE FROM ownership WHERE org_id = ? AND family = ? AND target_id = ?"
)
#: What a step keeps of its target's record (JSON; ``null``: no record).
_KEPT: Final = ("environment", "project", "version", "date_created", "run_id")


def _upsert(conn: SqlConnection, record: OwnershipRecord, now: datetime) -> None:
    conn.execute(
        _UPSERT,
        (
            record.org_id,
            record.environment,
            record.family,
            record.target_id,
            record.project,
            record.version,
            record.date_created,
            record.run_id,
            dump_time(now),
        ),
    )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def owner_snapshot(conn: SqlConnection, org_id: str) -> dict[tuple[str, str], str]:
    """The ownership records of `org_id` now, by (family, target id), as the
    JSON a step keeps (`steps.prior_owner`; a target without a record keeps
    `NO_RECORD`)."""
    rows = conn.execute("SELECT * FROM ownership WHERE org_id = ?", (org_id,))
    return {
        (str(row["family"]), str(row["target_id"])): dump_json(
            {name: row[name] for name in _KEPT}, "an ownership record"
        )
        for row in rows
    }


def _reverted_owner(conn: SqlConnection, reverts: str, step: SqlRow) -> Any:
    """The record the reverted run's step of this target kept (None: it had
    none), or `_UNKNOWN` (no such step, or journaled before steps kept it)."""
    rows = conn.execute(
        "SELECT prior_owner FROM steps WHERE run_id = ? AND kind = ?"
        " AND target_id = ? AND status = 'confirmed' AND prior_owner IS NOT NULL"
        " ORDER BY seq DESC",
        (reverts, step["kind"], step["target_id"]),
    ).fetchall()
    return load_json(rows[0]["prior_owner"]) if rows else _UNKNOWN


_UNKNOWN: Final = object()
#: `steps.prior_owner` of a target that had no ownership record.
NO_RECORD: Final = "null"


def record_confirmed_step(
    conn: SqlConnection,
    step: SqlRow,
    *,
    result: Mapping[str, Any] | None,
    version_new: int | None,
    now: datetime,
) -> None:
    """Keep the ownership record of a confirmed schedule step, in its transaction.

    A confirmed create or update records the project its body's marker names,
    the version written, the ``dateCreated`` the API answered and the run's
    environment; a confirmed delete removes the record. A step of a revert
    (`Run.reverts`) that writes a body back restores the record the reverted
    run's step found: the project it named (an adopted schedule stays owned),
    or none (a schedule the reverted run took over is released). Without that
    knowledge (a run journaled before steps kept records), a write of a named
    body without the marker removes the record. Pacing steps have none.

    Args:
        conn: the connection of the transaction confirming the step.
        step: the step's row (before the update).
        result: the schedule as the API answered (or a read-back showed) it.
        version_new: the version the step produced.
        now: the journal clock's time.
    """
    if step["kind"] not in FAMILIES:
        return
    run = conn.execute(
        "SELECT org_id, environment, reverts FROM runs WHERE id = ?",
        (step["run_id"],),
    ).fetchone()
    org_id = str(run["org_id"])
    key = (org_id, step["kind"], step["target_id"])
    if step["action"] == Action.DELETE:
        conn.execute(_FORGET, key)
        return
    after = load_json(step["after"])
    name = after.get("name") if isinstance(after, dict) else None
    project = marker_project(name)
    restored = (
        _reverted_owner(conn, run["reverts"], step) if run["reverts"] else _UNKNOWN
    )
    if isinstance(restored, dict):
        project = str(restored.get("project") or DEFAULT_PROJECT)
    elif restored is None or (name is not None and project is None):
        # The reverted run found no record (it took the schedule over), or a
        # body without gcsched's marker was written back: someone else's again.
        conn.execute(_FORGET, key)
        return
    created = result.get("dateCreated") if result else None
    version = (
        _int((result or {}).get("version")) if version_new is None else version_new
    )
    record = OwnershipRecord(
        org_id=org_id,
        environment=run["environment"] or DEFAULT_ENVIRONMENT,
        family=step["kind"],
        target_id=step["target_id"],
        project=project or DEFAULT_PROJECT,
        version=version,
        date_created=str(created) if created is not None else None,
        run_id=str(step["run_id"]),
    )
    _upsert(conn, record, now)


def _row_to_record(row: SqlRow) -> OwnershipRecord:
    return OwnershipRecord(
        org_id=row["org_id"],
        environment=row["environment"],
        family=row["family"],
        target_id=row["target_id"],
        project=row["project"],
        version=row["version"],
        date_created=row["date_created"],
        run_id=row["run_id"],
        recorded_at=load_time(row["recorded_at"]),
    )


class OwnershipTable:
    """The ownership records of the journal, over its `Database`."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    def ownership(self, org_id: str) -> list[OwnershipRecord]:
        """Every record of `org_id` (whatever environment wrote it), by family
        and target."""
        rows = self._db.query(
            "SELECT * FROM ownership WHERE org_id = ? ORDER BY family, target_id",
            (org_id,),
        )
        return [_row_to_record(row) for row in rows]

    def record_ownership(self, records: Sequence[OwnershipRecord]) -> None:
        """Write (or replace) `records` in one transaction (`gcsched adopt`)."""
        now = self._db.now()
        with self._db.transaction() as conn:
            for record in records:
                _upsert(conn, record, now)

    def forget_ownership(self, org_id: str, family: str, target_id: str) -> bool:
        """Remove one record; False when there was none."""
        with self._db.transaction() as conn:
            cursor = conn.execute(_FORGET, (org_id, family, target_id))
            return bool(cursor.rowcount > 0)

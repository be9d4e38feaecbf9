"""The ``ownership`` table: one record per schedule gcsched wrote (design.md Ownership).

A record says which project owns the schedule of one target in one org and
environment, and what gcsched last saw of it: the version it wrote, the
schedule's ``dateCreated`` and the run that wrote it. The engine compares them
with what the org holds to tell a schedule gcsched owns from one someone else
recreated (a new ``dateCreated``, a lower version) and from one edited outside
gcsched since (a higher version). The name marker is the other signal; the
record is what remains when the API drops ``name``.

Records are written by `record_confirmed_step` inside the transaction that
marks a schedule step confirmed (a crash cannot lose one) and removed in the
transaction that confirms a delete; `OwnershipTable.record_ownership` adds
those `gcsched adopt` asks for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from gcsched.domain import DEFAULT_PROJECT, marker_project
from gcsched.genesys import FAMILIES, Action
from gcsched.journal.codec import dump_time, load_json, load_time
from gcsched.journal.database import SqlConnection, SqlDatabase, SqlRow

__all__ = [
    "DEFAULT_ENVIRONMENT",
    "OwnershipRecord",
    "OwnershipTable",
    "record_confirmed_step",
]

#: The environment of every record until environments exist.
DEFAULT_ENVIRONMENT: Final = "default"


@dataclass(frozen=True, slots=True)
class OwnershipRecord:
    """Who owns one target's schedule, and what gcsched last wrote of it.

    Attributes:
        org_id: the Genesys org.
        environment: the environment of the org (`DEFAULT_ENVIRONMENT` for now).
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
    " ON CONFLICT (org_id, environment, family, target_id) DO UPDATE SET"
    " project = excluded.project, version = excluded.version,"
    " date_created = excluded.date_created, run_id = excluded.run_id,"
    " recorded_at = excluded.recorded_at"
)
_FORGET: Final = (
    "DELETE FROM ownership WHERE org_id = ? AND environment = ? AND family = ?"
    " AND target_id = ?"
)


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
    the version written and the ``dateCreated`` the API answered; a confirmed
    delete removes the record, and so does a write of a named body without the
    marker (a revert putting back a schedule gcsched did not create). Pacing
    steps have none.

    Args:
        conn: the connection of the transaction confirming the step.
        step: the step's row (before the update).
        result: the schedule as the API answered (or a read-back showed) it.
        version_new: the version the step produced.
        now: the journal clock's time.
    """
    if step["kind"] not in FAMILIES:
        return
    run = conn.execute("SELECT org_id FROM runs WHERE id = ?", (step["run_id"],))
    org_id = str(run.fetchone()["org_id"])
    key = (org_id, DEFAULT_ENVIRONMENT, step["kind"], step["target_id"])
    if step["action"] == Action.DELETE:
        conn.execute(_FORGET, key)
        return
    after = load_json(step["after"])
    name = after.get("name") if isinstance(after, dict) else None
    if name is not None and marker_project(name) is None:
        # A body without gcsched's marker was written back (`runs revert` of
        # a run that adopted it): the schedule is someone else's again.
        conn.execute(_FORGET, key)
        return
    created = result.get("dateCreated") if result else None
    version = (
        _int((result or {}).get("version")) if version_new is None else version_new
    )
    record = OwnershipRecord(
        *key,
        project=marker_project(name) or DEFAULT_PROJECT,
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

    def ownership(
        self, org_id: str, environment: str = DEFAULT_ENVIRONMENT
    ) -> list[OwnershipRecord]:
        """Every record of `org_id` in `environment`, by family and target."""
        rows = self._db.query(
            "SELECT * FROM ownership WHERE org_id = ? AND environment = ?"
            " ORDER BY family, target_id",
            (org_id, environment),
        )
        return [_row_to_record(row) for row in rows]

    def record_ownership(self, records: Sequence[OwnershipRecord]) -> None:
        """Write (or replace) `records` in one transaction (`gcsched adopt`)."""
        now = self._db.now()
        with self._db.transaction() as conn:
            for record in records:
                _upsert(conn, record, now)

    def forget_ownership(
        self, org_id: str, environment: str, family: str, target_id: str
    ) -> bool:
        """Remove one record; False when there was none."""
        with self._db.transaction() as conn:
            cursor = conn.execute(_FORGET, (org_id, environment, family, target_id))
            return bool(cursor.rowcount > 0)

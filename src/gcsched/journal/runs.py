"""The ``runs`` table: one row per apply of one file against one org.

A run moves from ``open`` to exactly one of succeeded, partial, failed or
superseded. `create_run` writes the run, its plan and its planned steps in one
transaction; the plan goes to the ``run_plans`` table, written that once and
read only by `get_run`: a run row stays small, so the step transitions that
touch it (``updated_at``) and the lists of runs cost the same for any plan.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from gcsched.errors import JournalError
from gcsched.genesys import FAMILIES, ChangeSpec
from gcsched.journal.codec import dump_json, dump_time, load_time, row_to_run
from gcsched.journal.database import SqlDatabase, SqlRow, guarded_update
from gcsched.journal.outbox import insert_events
from gcsched.journal.ownership import NO_RECORD, owner_snapshot
from gcsched.journal.protocol import PruneResult
from gcsched.journal.records import (
    RUN_FINAL_STATUSES,
    STEP_ACTIONS,
    OutboxEvent,
    Run,
    RunStatus,
)

__all__ = ["RunTable", "json_or_none", "new_run_id"]


#: Finished runs last updated before the first parameter that may go: all of
#: them when the second is true, else only those without steps still planned
#: or sent (resumable).
_PRUNABLE = (
    "SELECT id FROM runs WHERE status != 'open' AND updated_at < ? AND (? OR NOT"
    " EXISTS (SELECT 1 FROM steps WHERE steps.run_id = runs.id"
    " AND steps.status IN ('planned', 'sent')))"
)
#: Finished runs last updated before the parameter that a later apply would
#: still resume.
_RESUMABLE = (
    "SELECT id FROM runs WHERE status != 'open' AND updated_at < ? AND"
    " EXISTS (SELECT 1 FROM steps WHERE steps.run_id = runs.id"
    " AND steps.status IN ('planned', 'sent')) ORDER BY id"
)


def new_run_id(now: datetime) -> str:
    """A short, sortable run id such as ``r20261127-205301-3fa2c1``."""
    return f"r{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def json_or_none(value: Mapping[str, Any] | None, what: str) -> str | None:
    """The JSON text of a body, or None where there is no body."""
    return None if value is None else dump_json(dict(value), f"the body of {what}")


class RunTable:
    """The runs of the journal, over its `Database`."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    def create_run(
        self,
        *,
        org_id: str,
        org_name: str,
        file_path: str,
        file_sha256: str,
        checksum: str,
        plan: Mapping[str, Any],
        steps: Sequence[ChangeSpec],
        priors: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
        environment: str | None = None,
        reverts: str | None = None,
        webhooks: Sequence[Mapping[str, Any]] = (),
    ) -> Run:
        """Record a new open run and its planned steps in one transaction.

        `priors` holds, by ``(stored_kind, target_id)``, the full body of each
        schedule as read before the run (what `runs revert` restores); stored
        with the step of that target as its `Step.prior`. Each schedule step
        also keeps, read in the same transaction, the ownership record its
        target has now (what a revert of the run restores). `environment`,
        `reverts` and `webhooks` are stored as the run's (see `Run`).

        Returns:
            The stored run.

        Raises:
            JournalError: a step has an unknown action, or a body is not JSON.
        """
        for spec in steps:
            if spec.action not in STEP_ACTIONS:
                msg = (
                    f"step {spec.target_name!r} has unknown action {spec.action!r}; "
                    f"expected one of {', '.join(sorted(STEP_ACTIONS))}"
                )
                raise JournalError(msg)
        now = self._db.now()
        run_id = new_run_id(now)
        stamp = dump_time(now)
        plan_text = dump_json(dict(plan), "the plan")
        rows = [
            (
                run_id,
                seq,
                str(spec.action),
                spec.stored_kind,
                spec.target_id,
                spec.target_name,
                spec.version_seen,
                json_or_none(spec.before, spec.target_name),
                json_or_none(spec.after, spec.target_name),
                json_or_none(
                    (priors or {}).get((spec.stored_kind, spec.target_id)),
                    spec.target_name,
                ),
                stamp,
            )
            for seq, spec in enumerate(steps, start=1)
        ]
        hooks = tuple(dict(item) for item in webhooks)
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO runs (id, org_id, org_name, file_path, file_sha256,"
                " checksum, status, created_at, updated_at, summary, plan,"
                " environment, reverts, webhooks)"
                " VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, '{}', '{}', ?, ?, ?)",
                (
                    run_id,
                    org_id,
                    org_name,
                    file_path,
                    file_sha256,
                    checksum,
                    *[stamp] * 2,
                    environment,
                    reverts,
                    dump_json(list(hooks), "the webhook endpoints"),
                ),
            )
            owners = owner_snapshot(conn, org_id)
            owned = [
                (
                    *row,
                    owners.get((row[3], row[4]), NO_RECORD)
                    if row[3] in FAMILIES
                    else None,
                )
                for row in rows
            ]
            conn.execute(
                "INSERT INTO run_plans (run_id, plan) VALUES (?, ?)",
                (run_id, plan_text),
            )
            conn.executemany(
                "INSERT INTO steps (run_id, seq, action, kind, target_id,"
                " target_name, version_seen, before, after, prior, updated_at,"
                " prior_owner, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned')",
                owned,
            )
        # What was just written, without reading (and parsing) the plan back.
        return Run(
            id=run_id,
            org_id=org_id,
            org_name=org_name,
            file_path=file_path,
            file_sha256=file_sha256,
            checksum=checksum,
            status=RunStatus.OPEN,
            created_at=load_time(stamp),
            updated_at=load_time(stamp),
            summary={},
            plan=dict(plan),
            environment=environment,
            reverts=reverts,
            webhooks=hooks,
        )

    def open_run(self, org_id: str, file_sha256: str) -> Run | None:
        """The open run of this org and file content, if any (the newest)."""
        rows = self._db.query(
            "SELECT * FROM runs WHERE org_id = ? AND file_sha256 = ?"
            " AND status = 'open' ORDER BY created_at DESC, id DESC LIMIT 1",
            (org_id, file_sha256),
        )
        return row_to_run(rows[0]) if rows else None

    def open_runs(self, org_id: str) -> list[Run]:
        """Every open run of `org_id`, oldest first (whatever the file)."""
        rows = self._db.query(
            "SELECT * FROM runs WHERE org_id = ? AND status = 'open'"
            " ORDER BY created_at, id",
            (org_id,),
        )
        return [row_to_run(row) for row in rows]

    def list_runs(self, limit: int = 50) -> list[Run]:
        """The newest `limit` runs, newest first."""
        rows = self._db.query(
            "SELECT * FROM runs ORDER BY created_at DESC, id DESC LIMIT ?", (limit,)
        )
        return [row_to_run(row) for row in rows]

    def get_run(self, ref: str) -> Run:
        """The run whose id is `ref` or starts with it.

        Raises:
            JournalError: no run matches, or the prefix matches several (listed).
        """
        ref = ref.strip()
        if not ref:
            msg = "give a run id (or a unique prefix of one); see `gcsched runs list`"
            raise JournalError(msg)
        rows = self._db.query("SELECT * FROM runs WHERE id = ?", (ref,))
        if rows:
            return self._with_plan(rows[0])
        escaped = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._db.query(
            "SELECT * FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 11",
            (escaped + "%",),
        )
        if len(rows) == 1:
            return self._with_plan(rows[0])
        if not rows:
            msg = f"no run {ref!r} in the journal; see `gcsched runs list`"
            raise JournalError(msg)
        names = ", ".join(row["id"] for row in rows[:10])
        more = " …" if len(rows) > 10 else ""
        msg = f"run prefix {ref!r} is ambiguous: {names}{more}; give more of the id"
        raise JournalError(msg)

    def _with_plan(self, row: SqlRow) -> Run:
        """The run of `row` with its plan (from ``run_plans``)."""
        found = self._db.query(
            "SELECT plan FROM run_plans WHERE run_id = ?", (row["id"],)
        )
        return row_to_run(row, plan=found[0]["plan"] if found else None)

    def finish_run(
        self,
        run_id: str,
        status: str,
        *,
        summary: Mapping[str, Any],
        events: Sequence[OutboxEvent] = (),
    ) -> None:
        """Close an open run with `status` (and its summary, and its events).

        Raises:
            JournalError: unknown run or status, or the run is not open.
        """
        if status not in RUN_FINAL_STATUSES:
            msg = (
                f"cannot finish run {run_id} as {status!r}; expected one of "
                f"{', '.join(sorted(RUN_FINAL_STATUSES))}"
            )
            raise JournalError(msg)
        now = self._db.now()
        with self._db.transaction() as conn:
            guarded_update(
                conn,
                "runs",
                run_id,
                missing=f"no run {run_id!r} in the journal",
                refuse=lambda row: (
                    None
                    if row["status"] == "open"
                    else f"run {run_id} is already {row['status']}; "
                    "it cannot be finished"
                ),
                assignments="status = ?, summary = ?, updated_at = ?",
                params=(
                    status,
                    dump_json(dict(summary), "the run summary"),
                    dump_time(now),
                ),
            )
            insert_events(conn, events, now)

    def set_run_summary(self, run_id: str, summary: Mapping[str, Any]) -> None:
        """Replace the stored summary of `run_id` (e.g. telemetry at the end).

        Raises:
            JournalError: unknown run, or the summary is not JSON.
        """
        with self._db.transaction() as conn:
            guarded_update(
                conn,
                "runs",
                run_id,
                missing=f"no run {run_id!r} in the journal",
                refuse=lambda _row: None,
                assignments="summary = ?, updated_at = ?",
                params=(
                    dump_json(dict(summary), "the run summary"),
                    dump_time(self._db.now()),
                ),
            )

    def prune(self, older_than: timedelta, *, force: bool = False) -> PruneResult:
        """Delete finished runs last updated before now − `older_than`.

        Their steps go with them, and so do their delivered or dead outbox rows;
        pending outbox rows and the recorded audit hashes are kept. A finished
        run with steps still planned or sent (say a run stopped by the network)
        is resumable: it is kept unless `force`.

        Returns:
            How many runs were deleted, and which resumable ones were kept.
        """
        cutoff = dump_time(self._db.now() - older_than)
        with self._db.transaction() as conn:
            kept = [row["id"] for row in conn.execute(_RESUMABLE, (cutoff,))]
            doomed = [(row["id"],) for row in conn.execute(_PRUNABLE, (cutoff, force))]
            conn.executemany(
                "DELETE FROM outbox WHERE status != 'pending' AND run_id = ?", doomed
            )
            conn.executemany("DELETE FROM runs WHERE id = ?", doomed)
            return PruneResult(len(doomed), () if force else tuple(kept))

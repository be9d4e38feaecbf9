"""`Connection.drift()`: the engine's drift, recorded in gcsched's audit log."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from gcsched.audit import ensure_appendable
from gcsched.audit.external import external_change_entry, record_external_changes
from gcsched.engine.drift import Drifted, DriftReport, find_drift
from gcsched.errors import GcSchedError

if TYPE_CHECKING:
    from gcsched.api.state import StatePaths
    from gcsched.client import GenesysClient
    from gcsched.domain.model import ScheduleFile

__all__ = ["DriftReport", "drift"]


async def drift(
    client: GenesysClient,
    state: StatePaths,
    file: ScheduleFile,
    *,
    own_client_id: str,
    since: timedelta,
    today: date,
    record: bool = True,
    now: datetime | None = None,
) -> DriftReport:
    """Find the drift of `file`'s managed schedules; log each change once.

    Args:
        client: the open client of a connection.
        state: the connection's state dir (its journal's ownership records).
        file: the schedule file.
        own_client_id: gcsched's OAuth client id.
        since: how far back the platform audit trail is read.
        today: the plan's "today".
        record: append ``external_change`` entries to the audit log.
        now: the clock (tests); default the system clock, UTC.

    Returns:
        The report; its `recorded` counts the audit entries added.
    """
    moment = now or datetime.now(UTC)
    if not state.has_journal():
        # nothing was ever written from here, so nothing can have drifted
        return await find_drift(
            client,
            file,
            ownership=None,
            own_client_id=own_client_id,
            now=moment,
            since=since,
            today=today,
        )
    org_id = None if state.url is None else str((await client.get_organization())["id"])
    with state.open_store(org_id=org_id) as journal:
        report = await find_drift(
            client,
            file,
            ownership=journal,
            own_client_id=own_client_id,
            now=moment,
            since=since,
            today=today,
            facts=journal.facts_for,
        )
        if not record or not report.drifted:
            return report
        entries = [
            _entry(
                d,
                seen_at=moment,
                observer=own_client_id,
                org={"id": report.org_id, "name": report.org_name},
                environment=file.environment,
            )
            for d in report.drifted
        ]
        try:
            with journal.lock.holding(f"drift {file.path}"):
                audit = state.audit_log(journal)
                ensure_appendable(audit, journal)
                added = record_external_changes(
                    audit, entries, record=journal.record_external_audit
                )
        except GcSchedError as exc:
            note = f"the drift was not written to the audit log: {exc.message}"
            return dataclasses.replace(report, notes=(*report.notes, note))
    return dataclasses.replace(report, recorded=len(added))


def _entry(
    found: Drifted,
    *,
    seen_at: datetime,
    observer: str,
    org: dict[str, str],
    environment: str | None,
) -> dict[str, object]:
    return external_change_entry(
        seen_at=seen_at,
        seen_by="drift",
        observer=observer,
        family=str(found.family),
        target_kind=found.target_kind,
        target_id=found.target_id,
        target_name=found.target_name,
        how=found.how,
        version_written=found.version_written,
        body=found.body,
        authors=list({c.author: c.author.to_json() for c in found.changes}.values()),
        platform_audit_ids=[c.audit_id for c in found.changes],
        fields=found.fields,
        note=found.note,
        org=org,
        environment=environment,
    )

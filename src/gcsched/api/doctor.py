"""`Connection.doctor()`: the engine's checks, plus the local state, facts saved."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from gcsched.engine.doctor import DoctorReport, run_doctor
from gcsched.errors import GcSchedError

if TYPE_CHECKING:
    from gcsched.api.state import StatePaths
    from gcsched.client import GenesysClient

__all__ = ["DoctorReport", "doctor"]


async def doctor(
    client: GenesysClient,
    state: StatePaths,
    *,
    probe: str | None = None,
    now: datetime | None = None,
) -> DoctorReport:
    """Run doctor against `client`'s org; store its facts per org in the journal.

    Args:
        client: the open client of a connection.
        state: the connection's state dir.
        probe: a voice campaign (name or id, must be off) whose schedule the
            probe may write and put back.
        now: the local clock (tests); default the system clock, UTC.

    Returns:
        The report (``report.ok`` False when a check failed).

    Raises:
        RefusedError: the probe campaign is not off, or not found.
    """
    report = await run_doctor(
        client,
        api_url=client.api_url,
        now=now or datetime.now(UTC),
        probe=probe,
    )
    where = state.where
    try:
        state.make()
        org_id = str(report.org["id"]) if report.org.get("id") else None
        with state.open_store(org_id=org_id) as journal:
            holder = journal.lock.read()
            if report.org.get("id"):
                journal.save_facts(
                    org_id=str(report.org["id"]),
                    org_name=str(report.org.get("name", "")),
                    facts=report.facts,
                    probed=report.probed,
                )
    except GcSchedError as exc:
        report.add(
            "state directory and journal",
            False,
            exc.message,
            f"fix or move the state dir {where} (--state-dir); the facts were not "
            "stored",
        )
        return report
    held = f"; the apply lock is held by pid {holder.pid}" if holder else ""
    report.add("state directory and journal", True, f"{where} is usable{held}")
    return report

"""A schedule trimmed to nothing is never sent empty (issue 10#2).

Genesys refuses a body with neither intervals nor recurrences (400 "A schedule
needs at least one interval or one recurrence"); the plan must not contain one.
"""

from __future__ import annotations

import pytest
from engine_support import TODAY

from gcsched.audit import AuditLog
from gcsched.client import GenesysClient
from gcsched.config import loads
from gcsched.domain.model import ScheduleFile
from gcsched.engine import Runner, build_plan
from gcsched.journal import Journal
from gcsched.sandbox import SandboxState
from gcsched.sandbox.entities import entity_id

pytestmark = pytest.mark.anyio

UPSELL = entity_id("campaign", "Loyalty Upsell")
FILE = """
version: 1
policy: {{audience_conflicts: trim}}
schedules:
  - campaign: Q4 Renewals
    priority: 8
    time_zone: America/Chicago
    windows: [{{days: mon-fri, start: "09:00", end: "20:00"}}]
    from: 2026-12-01
    until: 2026-12-31
  - campaign: Loyalty Upsell
    priority: 2
    time_zone: America/Chicago
    windows: [{{days: mon-fri, start: "{start}", end: "{end}"}}]
    from: 2026-12-01
    until: 2026-12-31
"""


def _file(start: str, end: str) -> ScheduleFile:
    return loads(FILE.format(start=start, end=end), "quarter.yaml")


async def _apply(
    client: GenesysClient, journal: Journal, audit: AuditLog, file: ScheduleFile
) -> str:
    planned = await build_plan(client, file, today=TODAY)
    runner = Runner(client, journal, audit, actor="sandbox-client-id")
    result = await runner.apply(planned.plan, checksum=planned.plan.checksum())
    return result.status


async def test_nothing_left_and_nothing_there_plans_no_create(
    client: GenesysClient, journal: Journal, audit: AuditLog
) -> None:
    """Upsell 17-20 inside Renewals 09-20: no create for Upsell, a warning, and
    the apply succeeds."""
    planned = await build_plan(client, _file("17:00", "20:00"), today=TODAY)
    plan = planned.plan
    assert [(c.action, c.target_name) for c in plan.changes if c.is_schedule] == [
        ("create", "Q4 Renewals")
    ]
    (warning,) = [w for w in plan.warnings if w.startswith("Loyalty Upsell:")]
    assert "loses to Q4 Renewals" in warning
    assert "no schedule is created" in warning
    status = await _apply(client, journal, audit, _file("17:00", "20:00"))
    assert status == "succeeded"


async def test_nothing_left_of_an_owned_schedule_plans_its_delete(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """Upsell applied at 20-21, then moved to 17-20: its schedule is deleted."""
    assert await _apply(client, journal, audit, _file("20:00", "21:00")) == "succeeded"
    assert state.schedule("campaigns", UPSELL) is not None
    planned = await build_plan(client, _file("17:00", "20:00"), today=TODAY)
    changes = [(c.action, c.target_name) for c in planned.plan.changes]
    assert changes == [("delete", "Loyalty Upsell")]
    (warning,) = [w for w in planned.plan.warnings if w.startswith("Loyalty Upsell:")]
    assert "its schedule in the org is deleted" in warning
    assert await _apply(client, journal, audit, _file("17:00", "20:00")) == "succeeded"
    assert state.schedule("campaigns", UPSELL) is None

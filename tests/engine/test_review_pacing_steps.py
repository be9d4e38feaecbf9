"""Pacing steps: voice pacing together with the opt-in mapped priority."""

from __future__ import annotations

import pytest
from engine_support import TODAY

from gcsched.audit import AuditLog
from gcsched.client import GenesysClient
from gcsched.config import loads
from gcsched.engine import Runner, build_plan
from gcsched.journal import Journal
from gcsched.sandbox import SandboxState

pytestmark = pytest.mark.anyio

PACED = """
version: 1
policy:
  map_priority: true
schedules:
  - campaign: Q4 Renewals
    time_zone: America/Chicago
    priority: 3
    windows: [{days: [mon-fri], start: "09:00", end: "17:00"}]
    from: 2026-12-01
    until: 2027-01-31
    pacing: {max_calls_per_agent: 7}
"""


async def test_pacing_and_mapped_priority_land_in_one_step(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """Pacing plus map_priority is confirmed, both fields land, re-plan is empty."""
    file = loads(PACED, "paced.yaml")
    planned = await build_plan(client, file, today=TODAY)
    pacing = [c for c in planned.plan.changes if c.action == "pacing"]
    assert len(pacing) == 1
    runner = Runner(client, journal, audit, actor="sandbox-client-id")
    result = await runner.apply(planned.plan, checksum=planned.plan.checksum())
    assert result.status == "succeeded", result.outcomes
    campaign = state.find("campaigns", "Q4 Renewals")
    assert campaign is not None
    assert (campaign["maxCallsPerAgent"], campaign["priority"]) == (7, 2)
    again = await build_plan(client, file, today=TODAY)
    assert not again.plan.has_changes, [c.data() for c in again.plan.changes]

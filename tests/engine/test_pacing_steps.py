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


async def test_a_campaign_gone_before_its_pacing_step_fails_that_step_only(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """A 404 on the pre-read fails the step; the run ends partial, not left open."""
    file = loads(PACED, "paced.yaml")
    planned = await build_plan(client, file, today=TODAY)
    campaign = state.find("campaigns", "Q4 Renewals")
    assert campaign is not None
    del state.stores["campaigns"][campaign["id"]]  # deleted by someone meanwhile
    runner = Runner(client, journal, audit, actor="sandbox-client-id")
    result = await runner.apply(planned.plan, checksum=planned.plan.checksum())
    assert result.status == "partial"
    pacing = [o for o in result.outcomes if o.action == "pacing"]
    assert [o.status for o in pacing] == ["failed"]
    assert "not found" in pacing[0].detail.lower() or "404" in pacing[0].detail
    assert journal.get_run(result.run_id).status == "partial"
    assert journal.open_runs(planned.plan.org_id) == []

"""The plan's calling-hour check uses the guards it read from the org (issue 14).

Over the demo org: Q4 Renewals dials the Florida list Retail Renewals, which has
automatic time-zone mapping with the default 08:00-21:00 mapped window, wider
than Florida's 20:00; Win-back's contacts are held to 08:00-21:00 Chicago by the
US Business Hours callable time set.
"""

from __future__ import annotations

import pytest
from engine_support import TODAY

from gcsched.api.compliance import compliance_hook
from gcsched.client import GenesysClient
from gcsched.config import loads
from gcsched.domain.compliance import Finding
from gcsched.engine import build_plan

pytestmark = pytest.mark.anyio

FILE = """
version: 1
policy:
  purpose: telemarketing
  compliance: {mode: warn}
schedules:
  - campaign: Q4 Renewals
    contacts: [US-FL]
    time_zone: America/New_York
    windows: [{days: [mon-fri], start: "09:00", end: "21:00"}]
    from: 2026-12-01
    until: 2026-12-31
  - campaign: Win-back
    contacts: [US-IL]
    time_zone: America/Chicago
    windows: [{days: [mon-fri], start: "07:00", end: "22:00"}]
    from: 2026-12-01
    until: 2026-12-31
"""


def _by_schedule(findings: tuple[Finding, ...]) -> dict[str, set[tuple[str, str]]]:
    seen: dict[str, set[tuple[str, str]]] = {}
    for finding in findings:
        seen.setdefault(finding.schedule, set()).add((finding.zone, finding.status))
    return seen


async def test_live_guards_decide_guarded_and_violation(client: GenesysClient) -> None:
    file = loads(FILE, "guards.yaml")
    planned = await build_plan(
        client, file, today=TODAY, compliance=compliance_hook(file, None)
    )
    report = planned.plan.compliance
    assert report is not None
    seen = _by_schedule(report.findings)
    # the mapped window lets 20:00-20:59 Eastern through: Florida says 20:00
    assert ("America/New_York", "violation") in seen["Q4 Renewals"]
    # the callable time set holds Chicago contacts to 08:00-21:00: legal
    assert seen["Win-back"] == {("America/Chicago", "guarded")}


async def test_without_the_org_the_same_file_is_all_violations(
    client: GenesysClient,
) -> None:
    """The check offline (validate's view): no guard is known, nothing is guarded."""
    file = loads(FILE, "guards.yaml")
    planned = await build_plan(
        client,
        file,
        today=TODAY,
        compliance=compliance_hook(file, lambda campaign_id: None),
    )
    report = planned.plan.compliance
    assert report is not None
    statuses = {f.status for f in report.findings if f.schedule == "Win-back"}
    assert statuses == {"violation"}


async def test_only_the_files_schedules_are_checked(client: GenesysClient) -> None:
    """The demo org's own Lapsed Survey shares Q4 Renewals's list, so the plan
    expands it for the conflict check; it holds none of the file's purposes or
    contacts and the run cannot change it, so it gets no calling-hour finding."""
    file = loads(FILE, "guards.yaml")
    planned = await build_plan(
        client, file, today=TODAY, compliance=compliance_hook(file, None)
    )
    report = planned.plan.compliance
    assert report is not None
    labels = {e.schedule.label for e in planned.check.expansions}
    assert "Lapsed Survey" in labels  # expanded for the conflict check
    assert {f.schedule for f in report.findings} <= {"Q4 Renewals", "Win-back"}

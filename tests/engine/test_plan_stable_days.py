"""The same file and the same org give the same plan on any day (issue 10#1).

Lapsed Survey's manual schedule in the demo org (Tue/Thu 10-16 Chicago from
2026-12-01, `range: NoEnd`) shares a contact list with the file's Win-back.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from engine_support import TODAY

from gcsched.audit import AuditLog
from gcsched.client import GenesysClient
from gcsched.config import loads
from gcsched.engine import Runner, build_plan
from gcsched.journal import Journal

pytestmark = pytest.mark.anyio

DAYS = (TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=7))
WIN_BACK = """
version: 1
policy: {{audience_conflicts: trim}}
schedules:
  - campaign: Win-back
    time_zone: America/Chicago
    windows: [{{days: [tue, thu], start: "09:00", end: "17:00"}}]
{dates}
"""


def _file(dates: str) -> Any:
    return loads(WIN_BACK.format(dates=dates), "win-back.yaml")


def _spans(body: Any) -> list[tuple[str, str, str]]:
    return [(i["start"][:10], i["start"][11:16], i["end"][11:16]) for i in body]


async def test_trim_against_an_open_ended_schedule_covers_the_whole_range(
    client: GenesysClient,
) -> None:
    """Win-back until June loses 10-16 on every Tue/Thu, not only within 90 days;
    today, tomorrow and next week give the same bodies and checksum."""
    file = _file("    from: 2026-12-01\n    until: 2027-06-30")
    plans = [(await build_plan(client, file, today=day)).plan for day in DAYS]
    bodies = [[c.after for c in plan.changes] for plan in plans]
    assert bodies[0] == bodies[1] == bodies[2]
    assert len({plan.checksum() for plan in plans}) == 1
    (change,) = plans[0].changes
    assert change.after is not None
    spans = _spans(change.after["intervals"])
    assert {(start, end) for _day, start, end in spans} == {
        ("09:00", "10:00"),
        ("16:00", "17:00"),
    }
    days = sorted({day for day, _start, _end in spans})
    assert days[0] == "2026-12-01"
    assert days[-1] == "2027-06-29"
    assert "2027-06-01" in days  # past TODAY + horizon_days (2027-02-24)


async def test_a_window_without_from_keeps_the_start_it_was_applied_with(
    client: GenesysClient, journal: Journal, audit: AuditLog
) -> None:
    """Applied today, the trimmed schedule is unchanged re-planned tomorrow and
    next week, with one checksum."""
    file = _file("    until: 2027-01-31")
    planned = await build_plan(client, file, today=TODAY)
    runner = Runner(client, journal, audit, actor="sandbox-client-id")
    result = await runner.apply(planned.plan, checksum=planned.plan.checksum())
    assert result.status == "succeeded", result.outcomes
    later = [(await build_plan(client, file, today=day)).plan for day in DAYS[1:]]
    for plan in later:
        assert not plan.has_changes, [c.data() for c in plan.changes]
    assert len({plan.checksum() for plan in later}) == 1

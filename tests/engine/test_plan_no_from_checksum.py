"""A window without `from` starts on the day it is created: the body depends on
the day, the checksum must not (issue 10#1, design.md's checksum rule)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gcsched.client import GenesysClient
from gcsched.config import loads
from gcsched.engine import build_plan
from gcsched.genesys import Action

pytestmark = pytest.mark.anyio

MONDAY = date(2026, 12, 7)
DAYS = (MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=9))

FILE = """
version: 1
policy: {audience_conflicts: warn}
schedules:
  - campaign: Q4 Renewals
    time_zone: America/Chicago
    windows:
      - {days: [mon-fri], start: "09:00", end: "%s", until: 2027-03-31}
"""


async def _plan(
    client: GenesysClient, day: date, end: str = "17:00"
) -> tuple[str, str]:
    planned = await build_plan(client, loads(FILE % end, "q.yaml"), today=day)
    (change,) = [c for c in planned.plan.changes if c.action == Action.CREATE]
    assert change.after is not None
    start = str(change.after["recurrences"][0]["start"])
    return planned.plan.checksum(), start


async def test_same_checksum_on_any_day_though_the_start_moves(
    client: GenesysClient,
) -> None:
    seen = [await _plan(client, day) for day in DAYS]
    starts = {start for _, start in seen}
    assert len(starts) == len(DAYS)  # the body starts on the day it is planned
    assert len({checksum for checksum, _ in seen}) == 1


async def test_the_checksum_still_follows_the_file(client: GenesysClient) -> None:
    checksum, _ = await _plan(client, MONDAY)
    changed, _ = await _plan(client, MONDAY, end="18:00")
    assert changed != checksum

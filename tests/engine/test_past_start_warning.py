"""'Starts before today' warns about new past starts, not about kept ones."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gcsched.audit import AuditLog
from gcsched.client import GenesysClient
from gcsched.config import loads
from gcsched.engine import Runner, build_plan
from gcsched.journal import Journal

pytestmark = pytest.mark.anyio

FILE = """
version: 1
schedules:
  - campaign: Win-back
    time_zone: America/New_York
    windows: [{days: [mon-fri], start: "16:00", end: "END"}]
    from: 2026-12-01
    until: 2027-02-26
"""


def _past(warnings: tuple[str, ...]) -> list[str]:
    return [w for w in warnings if "before today" in w]


async def test_new_past_start_warns_kept_one_does_not(
    client: GenesysClient, tmp_path: Path
) -> None:
    """A create starting in the past warns; an update keeping that start does not."""
    late = date(2026, 12, 15)
    first = await build_plan(
        client, loads(FILE.replace("END", "20:00"), "f"), today=late
    )
    assert _past(first.plan.warnings) == [
        "Win-back: starts 2026-12-01, before today (2026-12-15); Genesys's admin UI "
        "refuses past start dates"
    ]
    runner = Runner(
        client,
        Journal.open(tmp_path / "j.sqlite"),
        AuditLog(tmp_path / "a.jsonl"),
        actor="sandbox-client-id",
    )
    await runner.apply(first.plan, checksum="c")
    second = await build_plan(
        client, loads(FILE.replace("END", "19:00"), "f"), today=late
    )
    assert [c.action for c in second.plan.changes] == ["update"]
    assert _past(second.plan.warnings) == []

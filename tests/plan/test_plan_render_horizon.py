"""`render: intervals` sends exactly what the checks looked at."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from gcsched.client import Credentials, GenesysClient
from gcsched.config import loads
from gcsched.engine import build_plan
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
)

pytestmark = pytest.mark.anyio
TODAY = date(2026, 11, 27)
FILE = """
version: 1
schedules:
  - campaign: Q4 Renewals
    time_zone: UTC
    render: intervals
    until: 2026-12-06
    windows: [{days: daily, start: "09:00", end: "10:00"}]
"""


@pytest.fixture
async def sandbox_client() -> AsyncIterator[GenesysClient]:
    """A real client over the in-process demo sandbox."""
    app = create_app(SandboxState.demo(), rate_limit=0)
    creds = Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    transport = httpx.ASGITransport(app=app)
    async with GenesysClient(
        "http://sandbox.test", creds, transport=transport, rate_limit=6000
    ) as client:
        yield client


async def test_intervals_are_the_days_the_check_expanded(
    sandbox_client: GenesysClient,
) -> None:
    """Today to `until` renders ten daily intervals, the days the check expanded.

    (An open-ended `render: intervals` is a validation error: its list would
    follow `horizon_days` from today and change every day.)"""
    planned = await build_plan(sandbox_client, loads(FILE, "f.yaml"), today=TODAY)
    (change,) = [c for c in planned.plan.changes if c.action == "create"]
    assert change.after is not None
    starts = [i["start"][:10] for i in change.after["intervals"]]
    checked = [
        o.start.date().isoformat() for o in planned.check.expansions[0].occurrences
    ]
    assert starts == checked
    assert len(starts) == 10

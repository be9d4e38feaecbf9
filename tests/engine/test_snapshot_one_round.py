"""The org snapshot is one round of reads: every read is in flight at once.

A round costs the org's latency (50-150 ms for a real org), so the schedule
lists do not wait for the campaigns and the other lists. The sandbox answers
with a latency fault (an `asyncio.sleep`), so requests sent together overlap;
a recording ASGI wrapper notes when each request starts and ends.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from engine_support import URL

from gcsched.client import Credentials, GenesysClient
from gcsched.engine import read_org
from gcsched.genesys import FAMILIES
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
    parse_fault,
)

pytestmark = pytest.mark.anyio


class Recording:
    """An ASGI app that records ("start" | "end", path) around each API call."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.events: list[tuple[str, str]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = str(scope.get("path", ""))
        api = path.startswith("/api/v2/")
        if api:
            self.events.append(("start", path))
        try:
            await self.app(scope, receive, send)
        finally:
            if api:
                self.events.append(("end", path))


async def test_every_read_of_the_snapshot_goes_out_before_any_answer() -> None:
    app = create_app(
        SandboxState.demo(), rate_limit=0, faults=[parse_fault("latency:ms=20")]
    )
    recording = Recording(app)
    transport = httpx.ASGITransport(app=recording)
    creds = Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    async with GenesysClient(URL, creds, transport=transport, rate_limit=6000) as c:
        snapshot = await read_org(c)
    assert snapshot.org_id
    kinds = [kind for kind, _ in recording.events]
    first_end = kinds.index("end")
    started = {path for kind, path in recording.events[:first_end]}
    # organization, campaigns, messaging campaigns, sequences, time sets and
    # one unpaged list per schedule family (the demo org fits one page each).
    assert len(started) == 5 + len(FAMILIES)
    assert {p for p in started if "/schedules/" in p} == {
        f"/api/v2/outbound/schedules/{family}" for family in FAMILIES
    }
    assert kinds.count("start") == len(started)

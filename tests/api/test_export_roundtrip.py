"""export → load → plan gives zero changes for any schedule the sandbox accepts."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from api_bodies import org_bodies
from hypothesis import HealthCheck, given, settings

import gcsched
from gcsched.api.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
)
from gcsched.client import Credentials
from gcsched.config import loads

URL = "http://sandbox.test"
TODAY = date(2026, 11, 27)
_STORE = {"campaigns": "campaigns", "sequences": "sequences"}


async def _put_then_round_trip(
    bodies: list[tuple[str, str, str, dict[str, Any]]], state_dir: Path
) -> tuple[str, Any]:
    state = SandboxState.demo()
    app = create_app(state, rate_limit=0)
    transport = httpx.ASGITransport(app=app)
    creds = Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    async with httpx.AsyncClient(transport=transport, base_url=URL) as raw:
        token = (
            await raw.post(
                "/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
            )
        ).json()["access_token"]
        for family, field, name, body in bodies:
            found = state.find(_STORE.get(family, "messaging_campaigns"), name)
            assert found is not None, name
            target = str(found["id"])
            current = await raw.get(
                f"/api/v2/outbound/schedules/{family}/{target}",
                headers={"Authorization": f"Bearer {token}"},
            )
            sent = {**body, field: {"id": target}}
            if current.status_code == 200:
                sent["version"] = current.json()["version"]
            answer = await raw.put(
                f"/api/v2/outbound/schedules/{family}/{target}",
                json=sent,
                headers={"Authorization": f"Bearer {token}"},
            )
            assert answer.status_code == 200, (sent, answer.text)
    async with gcsched.connect(
        api_url=URL,
        credentials=creds,
        transport=transport,
        state_dir=state_dir,
        rate_limit=6000,
        today=lambda: TODAY,
    ) as org:
        text = await org.export()
        planned = await org.plan(loads(text, "export.yaml"))
    return text, planned.plan


def round_trip(
    bodies: list[tuple[str, str, str, dict[str, Any]]],
) -> tuple[str, Any]:
    """PUT `bodies` into a fresh demo org, export it, and plan the export."""
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(_put_then_round_trip(bodies, Path(tmp)))


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(org_bodies())
def test_export_then_plan_changes_nothing(
    bodies: list[tuple[str, str, str, dict[str, Any]]],
) -> None:
    """Whatever shape the org's schedules have, plan(export()) is empty."""
    text, plan = round_trip(bodies)
    assert not plan.has_changes, (text, [c.describe() for c in plan.changes])

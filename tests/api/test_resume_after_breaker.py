"""Resuming a run stopped by the circuit breaker, as its message says to."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from gcsched.api import Connection, StatePaths
from gcsched.api.local import list_runs, show_run
from gcsched.client import Credentials, GenesysClient
from gcsched.config import load
from gcsched.errors import ChecksumMismatchError
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
)

pytestmark = pytest.mark.anyio

TODAY = date(2026, 11, 27)
EXAMPLE = Path(__file__).parents[2] / "examples" / "q4.yaml"
#: Voice pacing pre-reads fail: the schedules land, then the breaker opens.
CAMPAIGN_GETS_FAIL = "5xx:rate=1,status=503,path=/outbound/campaigns/"


async def _no_sleep(seconds: float) -> None:
    del seconds
    await asyncio.sleep(0)


def _client(app: Any) -> GenesysClient:
    return GenesysClient(
        "http://sandbox.test",
        Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        transport=httpx.ASGITransport(app=app),
        rate_limit=6000,
        sleep=_no_sleep,
        breaker_threshold=1,
    )


def _connection(client: GenesysClient, state_dir: Path) -> Connection:
    return Connection(
        client,
        state=StatePaths.at(state_dir),
        environ={},
        actor=DEFAULT_CLIENT_ID,
        today=lambda: TODAY,
    )


async def test_rerun_with_the_reviewed_checksum_resumes_a_stopped_run(
    tmp_path: Path,
) -> None:
    """Stopped by the breaker; the same command (same --checksum) then resumes."""
    state = SandboxState.demo()
    file = load(EXAMPLE)
    async with _client(create_app(state, rate_limit=0)) as client:
        reviewed = (await _connection(client, tmp_path).plan(file)).plan.checksum()
    storm = create_app(state, rate_limit=0, faults=[CAMPAIGN_GETS_FAIL])
    async with _client(storm) as client:
        stopped = await _connection(client, tmp_path).apply(file, checksum=reviewed)
    assert stopped.run is not None
    assert stopped.run.status == "failed"
    assert stopped.run.count("confirmed") > 0  # part of the plan landed
    async with _client(create_app(state, rate_limit=0)) as client:
        resumed = await _connection(client, tmp_path).apply(file, checksum=reviewed)
    assert resumed.ok, resumed.run
    assert resumed.recovered  # the stopped run is named as resumed
    assert resumed.run is not None
    assert {o.action for o in resumed.run.outcomes} == {"pacing"}


async def test_steps_a_stopped_run_never_started_are_closed_on_resume(
    tmp_path: Path,
) -> None:
    """Planned steps of a run stopped before sending them end `skipped`."""
    state = SandboxState.demo()
    file = load(EXAMPLE)
    storm = create_app(state, rate_limit=0, faults=[CAMPAIGN_GETS_FAIL])
    async with _client(storm) as client:
        stopped = await _connection(client, tmp_path).apply(file)
    assert stopped.run is not None
    assert stopped.run.status == "failed"
    async with _client(create_app(state, rate_limit=0)) as client:
        await _connection(client, tmp_path).apply(file)
    paths = StatePaths.at(tmp_path)
    assert [r.status for r in list_runs(paths)] == ["succeeded", "failed"]
    _, steps = show_run(paths, stopped.run.run_id)
    assert "planned" not in {s.status for s in steps}


async def test_reviewed_checksum_does_not_cover_changes_it_never_showed(
    tmp_path: Path,
) -> None:
    """Resuming with the old checksum is refused when the plan now does more."""
    state = SandboxState.demo()
    file = load(EXAMPLE)
    async with _client(create_app(state, rate_limit=0)) as client:
        reviewed = (await _connection(client, tmp_path).plan(file)).plan.checksum()
    storm = create_app(state, rate_limit=0, faults=[CAMPAIGN_GETS_FAIL])
    async with _client(storm) as client:
        stopped = await _connection(client, tmp_path).apply(file, checksum=reviewed)
    assert stopped.run is not None
    created = next(o for o in stopped.run.outcomes if o.status == "confirmed")
    target = next(
        c.target_id
        for c in stopped.plan.changes
        if c.target_name == created.target_name
    )
    state.edit_behind_back(created.kind, target, {"timeZone": "UTC"})  # a colleague
    async with _client(create_app(state, rate_limit=0)) as client:
        with pytest.raises(ChecksumMismatchError):
            await _connection(client, tmp_path).apply(file, checksum=reviewed)
    assert state.schedule(created.kind, target)["timeZone"] == "UTC"  # untouched

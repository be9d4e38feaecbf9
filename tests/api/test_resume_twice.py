"""A resumed run that stops again is still covered by the first review."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_resume_after_breaker import CAMPAIGN_GETS_FAIL, EXAMPLE, _client, _connection

from gcsched.config import load
from gcsched.sandbox import SandboxState, create_app

pytestmark = pytest.mark.anyio


async def test_the_reviewed_checksum_survives_two_interruptions(tmp_path: Path) -> None:
    """Stopped, resumed and stopped again: the same --checksum still finishes it."""
    state = SandboxState.demo()
    file = load(EXAMPLE)
    async with _client(create_app(state, rate_limit=0)) as client:
        reviewed = (await _connection(client, tmp_path).plan(file)).plan.checksum()
    for _ in range(2):
        storm = create_app(state, rate_limit=0, faults=[CAMPAIGN_GETS_FAIL])
        async with _client(storm) as client:
            stopped = await _connection(client, tmp_path).apply(file, checksum=reviewed)
        assert stopped.run is not None
        assert stopped.run.status == "failed"
    async with _client(create_app(state, rate_limit=0)) as client:
        done = await _connection(client, tmp_path).apply(file, checksum=reviewed)
    assert done.ok, done.run

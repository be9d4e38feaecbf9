"""A no-op re-run reads the org with a bounded number of requests."""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path

import pytest
from integration_support import (
    TODAY,
    Entry,
    client_for,
    connection_for,
    schedule_yaml,
    seed,
)

from gcsched.config import loads
from gcsched.sandbox import SandboxState, create_app

pytestmark = pytest.mark.anyio

CAMPAIGNS = 260


@pytest.mark.parametrize("schedules", [10, 120])
async def test_noop_rerun_request_count_does_not_grow_with_schedules(
    tmp_path: Path, schedules: int
) -> None:
    """Apply, then apply again: at most 15 + ceil(campaigns / 100) requests."""
    state = SandboxState.from_seed(seed(CAMPAIGNS))
    app = create_app(state, rate_limit=0)
    entries = [Entry(n, "17:00") for n in range(1, schedules + 1)]
    text = schedule_yaml(entries, start=TODAY + timedelta(days=7))
    file = loads(text, "generated.yaml")
    async with client_for(app, rate_limit=None) as client:
        first = await connection_for(client, tmp_path).apply(file, today=TODAY)
    assert first.run is not None
    assert first.run.count("confirmed") == schedules
    stats = app.state.stats
    total_before = stats.to_json()["requests_total"]
    async with client_for(app, rate_limit=None) as client:
        again = await connection_for(client, tmp_path).apply(file, today=TODAY)
        sent = client.request_count
    assert again.run is None  # nothing to do
    seen_by_server = stats.to_json()["requests_total"] - total_before
    assert sent == seen_by_server  # the client's count includes the token
    budget = 15 + math.ceil(CAMPAIGNS / 100)
    assert sent <= budget, stats.to_json()["requests"]

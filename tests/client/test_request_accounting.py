"""The client's account of its requests: events, folded by `RunMetrics`.

There is one account of requests: the telemetry events the client emits. These
tests read it the way an apply does, through a `RunMetrics` hook.
"""

from __future__ import annotations

import httpx
import pytest

from gcsched.telemetry import RunMetrics, hooks_installed

from .fakes import FakeApi, error, make_client

LIST = ("GET", "/api/v2/outbound/schedules/campaigns")


def token_requests(api: FakeApi) -> int:
    return sum(1 for r in api.seen if r.url.path == "/oauth/token")


@pytest.mark.anyio
async def test_counts_by_route_and_status() -> None:
    """Every attempt is counted by route template and status; tokens apart."""
    api = FakeApi(routes={LIST: [error(503, "x"), httpx.Response(200, json=[])]})
    metrics = RunMetrics()
    with hooks_installed(metrics):
        async with make_client(api) as client:
            await client.list_schedules("campaigns")
            await client.get_schedule("campaigns", "abc")
    requests = metrics.summary()["requests"]
    by_route = {key: entry["by_status"] for key, entry in requests["by_route"].items()}
    assert by_route == {
        "GET /api/v2/outbound/schedules/campaigns": {"200": 1, "503": 1},
        "GET /api/v2/outbound/schedules/campaigns/{id}": {"404": 1},
    }
    assert requests["total"] == 3
    assert requests["retries"] == 1
    assert requests["latency_seconds"]["count"] == 3
    assert metrics.token_renewals == {"initial": 1}
    assert token_requests(api) == 1
    assert client.request_count == 4  # the token request included


@pytest.mark.anyio
async def test_token_endpoint_5xx_is_retried() -> None:
    """A token endpoint that is briefly down is retried like any 5xx."""
    api = FakeApi(
        routes={LIST: [httpx.Response(200, json=[])]},
        token_replies=[httpx.Response(503, json={"error": "unavailable"})],
    )
    metrics = RunMetrics()
    with hooks_installed(metrics):
        async with make_client(api) as client:
            assert await client.list_schedules("campaigns") == []
    assert token_requests(api) == 2
    assert metrics.token_renewals == {"initial": 1}  # one token minted
    # The first attempt stopped at the token endpoint (status 0) and was retried.
    assert metrics.requests == {(*LIST, 0): 1, (*LIST, 200): 1}
    assert client.request_count == 4

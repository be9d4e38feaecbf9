"""Client statistics: routes, statuses, latency percentiles, token requests."""

from __future__ import annotations

import httpx
import pytest

from gcsched.client import ClientStats

from .fakes import FakeApi, error, make_client

LIST = ("GET", "/api/v2/outbound/schedules/campaigns")


def test_percentiles() -> None:
    """p50/p95/p99 come from the latency samples (0 when there are none)."""
    stats = ClientStats()
    assert stats.p99() == 0.0
    stats.latencies.extend(float(i) for i in range(1, 101))
    assert stats.p50() == 51.0
    assert stats.p95() == 95.0
    assert stats.p99() == 99.0


@pytest.mark.anyio
async def test_counts_by_route_and_status() -> None:
    """Every attempt is counted by route template and status; tokens apart."""
    api = FakeApi(routes={LIST: [error(503, "x"), httpx.Response(200, json=[])]})
    async with make_client(api) as client:
        await client.list_schedules("campaigns")
        await client.get_schedule("campaigns", "abc")
        summary = client.stats.as_dict()
    assert summary["by_route"] == {
        "GET /api/v2/outbound/schedules/campaigns": 2,
        "GET /api/v2/outbound/schedules/campaigns/{id}": 1,
    }
    assert summary["by_status"] == {"200": 1, "404": 1, "503": 1}
    assert summary["token_requests"] == 1
    assert summary["requests"] == 4
    assert client.request_count == 4
    assert summary["retries"] == 1


@pytest.mark.anyio
async def test_token_endpoint_5xx_is_retried() -> None:
    """A token endpoint that is briefly down is retried like any 5xx."""
    api = FakeApi(
        routes={LIST: [httpx.Response(200, json=[])]},
        token_replies=[httpx.Response(503, json={"error": "unavailable"})],
    )
    async with make_client(api) as client:
        assert await client.list_schedules("campaigns") == []
    assert client.stats.token_requests == 2

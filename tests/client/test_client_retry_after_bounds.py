"""A Retry-After the client will not wait for must not stall later requests."""

from __future__ import annotations

import math

import httpx
import pytest

from gcsched.client import TokenBucket
from gcsched.client.retry import retry_after_seconds
from gcsched.errors import RateLimitError

from .fakes import FakeApi, FakeClock, error, make_client

LIST = ("GET", "/api/v2/outbound/schedules/campaigns")
ORG = ("GET", "/api/v2/organizations/me")


def _too_many(after: str) -> httpx.Response:
    return error(
        429, "too.many.requests.retry.after", "Rate limit", **{"Retry-After": after}
    )


@pytest.mark.anyio
async def test_request_after_a_refused_long_retry_after_is_not_held_back() -> None:
    """A Retry-After longer than the retry timeout fails the next request fast,
    without sending it or sleeping; once that time has passed, requests flow."""
    api = FakeApi(
        routes={
            LIST: [_too_many("3600")],
            ORG: [httpx.Response(200, json={"id": "o1", "name": "Org"})],
        }
    )
    clock = FakeClock()
    async with make_client(api, clock, retry_timeout=300.0) as client:
        with pytest.raises(RateLimitError):
            await client.list_schedules("campaigns")
        with pytest.raises(RateLimitError) as info:
            await client.get_organization()
        assert "3600 s" in str(info.value)
        assert "resume" in str(info.value)
        assert len(api.api_requests()) == 1
        clock.now += 3600.0
        assert (await client.get_organization())["id"] == "o1"
    assert all(s <= 300.0 for s in clock.sleeps), clock.sleeps


@pytest.mark.parametrize("value", ["inf", "Infinity", "1e999", "nan", "-inf"])
def test_non_finite_retry_after_is_ignored(value: str) -> None:
    """A Retry-After that is not a finite number is treated as absent."""
    response = httpx.Response(429, headers={"Retry-After": value})
    assert retry_after_seconds(response) is None


@pytest.mark.anyio
@pytest.mark.parametrize("value", ["inf", "nan"])
async def test_non_finite_rate_limit_headers_are_ignored(value: str) -> None:
    """inin-ratelimit-* headers that are not finite numbers never stall the bucket."""
    clock = FakeClock()
    bucket = TokenBucket(300, clock=clock, sleep=clock.sleep)
    bucket.observe(
        {
            "inin-ratelimit-allowed": "300",
            "inin-ratelimit-count": "300",
            "inin-ratelimit-reset": value,
        }
    )
    waited = await bucket.acquire()
    assert math.isfinite(waited)
    assert waited <= 60.0

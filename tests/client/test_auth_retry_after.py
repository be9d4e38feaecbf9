"""The token endpoint's Retry-After is read safely and never waited for hours."""

from __future__ import annotations

import httpx
import pytest

from gcsched.errors import AuthenticationError

from .fakes import FakeApi, FakeClock, make_client

ORG = ("GET", "/api/v2/organizations/me")


def _limited(after: bytes) -> httpx.Response:
    return httpx.Response(
        400,
        json={"error": "invalid_request", "description": "rate limit exceeded"},
        headers=[(b"Retry-After", after)],
    )


def _api(*replies: httpx.Response) -> FakeApi:
    return FakeApi(
        routes={ORG: [httpx.Response(200, json={"id": "o1", "name": "Org"})]},
        token_replies=list(replies),
    )


@pytest.mark.anyio
async def test_unreadable_mint_retry_after_falls_back_to_the_schedule() -> None:
    """A Retry-After of Unicode digits is ignored: the usual 2 s wait, then a token."""
    api = _api(_limited("²".encode()))
    clock = FakeClock()
    async with make_client(api, clock) as client:
        assert (await client.get_organization())["id"] == "o1"
    assert clock.sleeps[:1] == [2.0]


@pytest.mark.anyio
async def test_mint_retry_after_of_a_day_is_not_waited() -> None:
    """A mint limit asking for a day's wait fails now with a clear error, unslept."""
    api = _api(_limited(b"86400"))
    clock = FakeClock()
    async with make_client(api, clock) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.get_organization()
    assert "86400 s" in str(info.value)
    assert all(s <= 60.0 for s in clock.sleeps), clock.sleeps

"""A Retry-After the client will not wait for must not stall later requests."""

from __future__ import annotations

import httpx
import pytest
import stamina

from gcsched.client import RetryBudget
from gcsched.client.retry import retry_after_seconds
from gcsched.errors import RateLimitError

from .fakes import FakeApi, FakeClock, error, make_client

LIST = ("GET", "/api/v2/outbound/schedules/campaigns")
ORG = ("GET", "/api/v2/organizations/me")
OK = httpx.Response(200, json=[])


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


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("7", 7.0),
        ("2.5", 2.5),
        ("0", 1.0),  # clamped up: never back-to-back
        ("-5", 1.0),
        ("-inf", None),  # not a number form: unreadable
        ("1e999", 86400.0),  # too large for a float: a day, never waited for
        ("1e400", 86400.0),
        ("99999999999999999999999", 86400.0),
        ("inf", None),
        ("Infinity", None),
        ("nan", None),
        ("soon", None),
    ],
)
def test_retry_after_is_read_and_clamped(value: str, seconds: float | None) -> None:
    """Delay-seconds are clamped to [1 s, 1 day]; words and nan are unreadable."""
    response = httpx.Response(429, headers={"Retry-After": value})
    assert retry_after_seconds(response) == seconds


def test_retry_after_http_date_is_read_against_the_answer_date() -> None:
    """The HTTP-date form counts from the answer's own Date (no clock skew)."""
    response = httpx.Response(
        429,
        headers={
            "Date": "Wed, 21 Oct 2026 07:28:00 GMT",
            "Retry-After": "Wed, 21 Oct 2026 07:30:00 GMT",
        },
    )
    assert retry_after_seconds(response) == 120.0
    past = httpx.Response(
        429,
        headers={
            "Date": "Wed, 21 Oct 2026 07:28:00 GMT",
            "Retry-After": "Wed, 21 Oct 2026 07:00:00 GMT",
        },
    )
    assert retry_after_seconds(past) == 1.0


@pytest.mark.anyio
async def test_http_date_retry_after_is_waited() -> None:
    """A 429 with an HTTP-date Retry-After waits until that date."""
    api = FakeApi(
        routes={
            LIST: [
                error(
                    429,
                    "too.many.requests.retry.after",
                    **{
                        "Date": "Wed, 21 Oct 2026 07:28:00 GMT",
                        "Retry-After": "Wed, 21 Oct 2026 07:28:40 GMT",
                    },
                ),
                httpx.Response(200, json=[]),
            ]
        }
    )
    clock = FakeClock()
    async with make_client(api, clock) as client:
        assert await client.list_schedules("campaigns") == []
    assert 40.0 <= max(clock.sleeps) <= 40.5, clock.sleeps


@pytest.mark.anyio
async def test_negative_retry_after_is_not_back_to_back() -> None:
    """Retry-After: -5 waits at least 1 s between attempts, not 0."""
    api = FakeApi(routes={LIST: [_too_many("-5"), _too_many("-5"), OK]})
    clock = FakeClock()
    async with make_client(api, clock) as client:
        assert await client.list_schedules("campaigns") == []
    assert len(api.api_requests()) == 3
    assert clock.now - 1000.0 >= 2.0, clock.sleeps


@pytest.mark.anyio
async def test_huge_retry_after_is_not_waited() -> None:
    """Retry-After: 1e400 is a very long wait: refused at once, not a 3 s default."""
    api = FakeApi(routes={LIST: [_too_many("1e400"), OK]})
    clock = FakeClock()
    async with make_client(api, clock) as client:
        with pytest.raises(RateLimitError) as info:
            await client.list_schedules("campaigns")
    assert len(api.api_requests()) == 1
    assert "longer than the retry timeout" in str(info.value)
    assert all(s < 300 for s in clock.sleeps)


@pytest.mark.anyio
async def test_a_429_storm_spends_time_not_attempts() -> None:
    """With Retry-After: 1 the request keeps trying until the retry timeout
    (about 300 s of waits), not 12 attempts in 12 s; then a clear message."""
    stamina.set_testing(True, attempts=10_000)  # reset by the autouse fixture
    api = FakeApi(routes={LIST: [_too_many("1")]})
    clock = FakeClock()
    async with make_client(api, clock, retry_timeout=300.0) as client:
        with pytest.raises(RateLimitError) as info:
            await client.list_schedules("campaigns")
        waited = clock.now - 1000.0
        assert 290.0 <= waited <= 300.0, waited
        assert len(api.api_requests()) > 100
        assert "retry timeout" in str(info.value)
        assert "resume" in str(info.value)
        # The run-wide 429 clock: the next request does not start another 300 s.
        sent = len(api.api_requests())
        with pytest.raises(RateLimitError) as again:
            await client.list_schedules("campaigns")
        assert len(api.api_requests()) - sent <= 2
        assert "only 429" in str(again.value)


@pytest.mark.anyio
async def test_429s_do_not_spend_the_retry_budget() -> None:
    """A few 429s, then success, leave the retry budget for real failures."""
    stamina.set_testing(True, attempts=10_000)
    api = FakeApi(routes={LIST: [_too_many("1")] * 30 + [OK]})
    budget = RetryBudget(ratio=0.0, floor=1)
    async with make_client(api, retry_budget=budget) as client:
        assert await client.list_schedules("campaigns") == []
    assert budget.retries == 0

"""Pacing: the token bucket, its header corrections and the limits API."""

from __future__ import annotations

import httpx
import pytest

from gcsched.client import TokenBucket

from .fakes import FakeApi, FakeClock, error, make_client

LIMITS = ("GET", "/api/v2/organizations/limits/namespaces/platform.api")
LIST = ("GET", "/api/v2/outbound/schedules/campaigns")


def send_times(bucket: TokenBucket, clock: FakeClock, n: int) -> list[float]:
    import asyncio

    async def run() -> list[float]:
        times = []
        for _ in range(n):
            await bucket.acquire()
            times.append(clock.now)
        return times

    return asyncio.run(run())


def max_in_window(times: list[float], window: float) -> int:
    best = 0
    j = 0
    for i, t in enumerate(times):
        while times[j] <= t - window:
            j += 1
        best = max(best, i - j + 1)
    return best


def test_bucket_paces_at_target_share_of_the_ceiling() -> None:
    """600/min at 92 % sends ~9.2/s and never more than the ceiling per minute."""
    clock = FakeClock()
    bucket = TokenBucket(600, target_utilisation=0.92, clock=clock, sleep=clock.sleep)
    times = send_times(bucket, clock, 1200)
    elapsed = times[-1] - times[0]
    rate = (len(times) - 1) / elapsed
    assert 0.90 * 10 <= rate <= 0.95 * 10
    assert max_in_window(times, 60.0) <= 600


def test_pause_holds_everything_back() -> None:
    """After pause(5) the next request waits at least 5 s."""
    clock = FakeClock()
    bucket = TokenBucket(300, clock=clock, sleep=clock.sleep)
    bucket.pause(5.0)
    start = clock.now
    send_times(bucket, clock, 1)
    assert clock.now - start >= 5.0


def test_lower_allowed_header_is_adopted() -> None:
    """inin-ratelimit-allowed below our limit becomes the limit."""
    clock = FakeClock()
    bucket = TokenBucket(300, clock=clock, sleep=clock.sleep)
    bucket.observe({"inin-ratelimit-allowed": "180"})
    assert bucket.limit_per_minute == 180
    bucket.observe({"inin-ratelimit-allowed": "600"})
    assert bucket.limit_per_minute == 180  # never faster than we were told


def test_nothing_left_waits_for_the_reset() -> None:
    """count == allowed: the next request waits for the window to reset."""
    clock = FakeClock()
    bucket = TokenBucket(300, clock=clock, sleep=clock.sleep)
    bucket.observe(
        {
            "inin-ratelimit-allowed": "300",
            "inin-ratelimit-count": "300",
            "inin-ratelimit-reset": "12",
        }
    )
    start = clock.now
    send_times(bucket, clock, 1)
    assert clock.now - start >= 12


def test_few_left_slows_down() -> None:
    """Fewer requests left than our pace would send: spread them to the reset."""
    clock = FakeClock()
    bucket = TokenBucket(300, clock=clock, sleep=clock.sleep)
    bucket.observe(
        {
            "inin-ratelimit-allowed": "300",
            "inin-ratelimit-count": "290",
            "inin-ratelimit-reset": "30",
        }
    )
    times = send_times(bucket, clock, 12)
    sent_before_reset = sum(1 for t in times if t < 1000.0 + 30)
    assert sent_before_reset <= 10


def test_zero_limit_turns_pacing_off() -> None:
    """A limit of 0 (sandbox --rate-limit 0) never waits."""
    clock = FakeClock()
    bucket = TokenBucket(0, clock=clock, sleep=clock.sleep)
    send_times(bucket, clock, 50)
    assert clock.sleeps == []


@pytest.mark.anyio
async def test_limit_read_from_limits_api() -> None:
    """Without rate_limit the client reads the limits API once."""
    api = FakeApi()
    api.routes[LIMITS] = [
        httpx.Response(
            200,
            json={
                "entities": [
                    {"key": "other.key", "namespace": "platform.api", "value": 5},
                    {
                        "key": "client.credentials.token.rate.per.minute",
                        "namespace": "platform.api",
                        "value": 600,
                    },
                ]
            },
        )
    ]
    api.routes[LIST] = [httpx.Response(200, json=[])]
    async with make_client(api, rate_limit=None) as client:
        await client.list_schedules("campaigns")
        await client.list_schedules("campaigns")
        assert client.rate_limit == 600
    paths = [r.url.path for r in api.api_requests()]
    assert paths.count(LIMITS[1]) == 1


@pytest.mark.anyio
async def test_limits_api_missing_falls_back_to_300() -> None:
    """A limits API that is not there means the documented default, 300/min."""
    api = FakeApi()
    api.routes[LIMITS] = [error(404, "not.found")]
    api.routes[LIST] = [httpx.Response(200, json=[])]
    async with make_client(api, rate_limit=None) as client:
        await client.list_schedules("campaigns")
        assert client.rate_limit == 300


@pytest.mark.anyio
async def test_headers_correct_the_client_pace() -> None:
    """A response's headers reach the client's bucket."""
    api = FakeApi()
    api.routes[LIST] = [
        httpx.Response(
            200,
            json=[],
            headers={
                "inin-ratelimit-allowed": "120",
                "inin-ratelimit-count": "1",
                "inin-ratelimit-reset": "59",
            },
        )
    ]
    async with make_client(api, rate_limit=300) as client:
        await client.list_schedules("campaigns")
        assert client.rate_limit == 120


@pytest.mark.anyio
async def test_concurrency_is_bounded() -> None:
    """No more than max_concurrency requests are in flight at once."""
    import asyncio

    in_flight = {"now": 0, "max": 0}
    api = FakeApi()

    class SlowTransport(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            in_flight["now"] += 1
            in_flight["max"] = max(in_flight["max"], in_flight["now"])
            await asyncio.sleep(0.001)
            in_flight["now"] -= 1
            reply = api(request)
            await reply.aread()
            return reply

    api.routes[LIST] = [httpx.Response(200, json=[])]
    from gcsched.client import GenesysClient

    from .fakes import API, CREDS

    async with GenesysClient(
        API, CREDS, transport=SlowTransport(), rate_limit=0, max_concurrency=3
    ) as client:
        await asyncio.gather(*(client.list_schedules("campaigns") for _ in range(12)))
    assert in_flight["max"] == 3

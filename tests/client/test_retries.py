"""Retries: Retry-After as a floor, backoff, budget, breaker, transport errors."""

from __future__ import annotations

import httpx
import pytest

from gcsched.client import RetryBudget
from gcsched.errors import (
    ApiError,
    CircuitOpenError,
    NetworkError,
    RateLimitError,
)
from gcsched.telemetry import (
    Event,
    RateLimited,
    RetryScheduled,
    RunMetrics,
    hooks_installed,
)

from .fakes import FakeApi, FakeClock, error, make_client

LIST = ("GET", "/api/v2/outbound/schedules/campaigns")
PATCH = ("PATCH", "/api/v2/outbound/campaigns/c1")
OK_LIST = httpx.Response(200, json=[])


def too_many(after: str | None = "7") -> httpx.Response:
    headers = {"Retry-After": after} if after is not None else {}
    return error(429, "too.many.requests.retry.after", "Rate limit exceeded", **headers)


@pytest.mark.anyio
async def test_retry_after_is_a_floor() -> None:
    """After a 429 the client sleeps at least Retry-After, then succeeds."""
    api = FakeApi(routes={LIST: [too_many("7"), OK_LIST]})
    clock = FakeClock()
    events: list[Event] = []
    metrics = RunMetrics()
    with hooks_installed(events.append, metrics):
        async with make_client(api, clock) as client:
            assert await client.list_schedules("campaigns") == []
    assert len(api.api_requests()) == 2
    assert max(clock.sleeps) >= 7.0
    assert max(clock.sleeps) <= 7.5
    assert metrics.throttled == 1
    assert metrics.retries == {"429": 1}
    assert any(isinstance(e, RateLimited) and e.retry_after == 7.0 for e in events)
    assert any(isinstance(e, RetryScheduled) and e.reason == "429" for e in events)


@pytest.mark.anyio
async def test_429_retried_even_for_patch() -> None:
    """PATCH is retried on 429: the server did not process it."""
    api = FakeApi(routes={PATCH: [too_many("1"), httpx.Response(202)]})
    async with make_client(api) as client:
        await client.patch_campaign("c1", {"maxCallsPerAgent": 3})
    assert len(api.api_requests()) == 2


@pytest.mark.anyio
async def test_patch_not_retried_on_503() -> None:
    """PATCH is not idempotent: a 503 is reported, not re-sent."""
    api = FakeApi(routes={PATCH: [error(503, "service.unavailable")]})
    async with make_client(api) as client:
        with pytest.raises(ApiError) as info:
            await client.patch_campaign("c1", {"maxCallsPerAgent": 3})
    assert info.value.status == 503
    assert len(api.api_requests()) == 1


@pytest.mark.anyio
async def test_5xx_backoff_then_success() -> None:
    """502 and 504 are retried with full-jitter backoff (capped) and recover."""
    api = FakeApi(routes={LIST: [error(502, "bad"), error(504, "x"), OK_LIST]})
    clock = FakeClock()
    metrics = RunMetrics()
    with hooks_installed(metrics):
        async with make_client(api, clock) as client:
            assert await client.list_schedules("campaigns") == []
    assert len(api.api_requests()) == 3
    backoffs = clock.sleeps
    assert len(backoffs) >= 2
    assert all(0.0 <= s <= 30.0 for s in backoffs)
    assert metrics.retries == {"502": 1, "504": 1}


@pytest.mark.anyio
async def test_persistent_429_ends_in_rate_limit_error() -> None:
    """429 that never ends is a RateLimitError once attempts are spent."""
    api = FakeApi(routes={LIST: [too_many("1")]})
    async with make_client(api) as client:
        with pytest.raises(RateLimitError) as info:
            await client.list_schedules("campaigns")
    assert info.value.status == 429
    assert "resume" in str(info.value)


@pytest.mark.anyio
async def test_retry_after_beyond_timeout_is_not_waited() -> None:
    """A Retry-After longer than the retry timeout fails at once."""
    api = FakeApi(routes={LIST: [too_many("600"), OK_LIST]})
    clock = FakeClock()
    async with make_client(api, clock, retry_timeout=300.0) as client:
        with pytest.raises(RateLimitError):
            await client.list_schedules("campaigns")
    assert len(api.api_requests()) == 1
    assert all(s < 600 for s in clock.sleeps)


@pytest.mark.anyio
async def test_retry_budget_exhaustion() -> None:
    """Once the budget is spent, failures are no longer retried.

    (Server errors spend it; 429s spend the retry timeout instead.)
    """
    api = FakeApi(routes={LIST: [error(503, "service.unavailable")]})
    budget = RetryBudget(ratio=0.0, floor=2)
    async with make_client(api, retry_budget=budget) as client:
        with pytest.raises(ApiError):
            await client.list_schedules("campaigns")
        sent = len(api.api_requests())
        with pytest.raises(ApiError):
            await client.list_schedules("campaigns")
    assert sent == 3  # 1 + 2 retries
    assert len(api.api_requests()) == 4  # no retries left: one attempt only
    assert budget.retries == 2


def test_budget_grows_with_requests() -> None:
    """The budget is a floor plus a share of the requests made."""
    budget = RetryBudget(ratio=0.1, floor=1)
    assert budget.try_spend()
    assert not budget.try_spend()
    for _ in range(20):
        budget.record_request()
    assert budget.try_spend()
    assert budget.try_spend()
    assert not budget.try_spend()


@pytest.mark.anyio
async def test_circuit_breaker_opens_and_refuses() -> None:
    """Consecutive 5xx open the breaker; later requests are not even sent."""
    api = FakeApi(routes={LIST: [error(503, "service.unavailable")]})
    async with make_client(api, breaker_threshold=3) as client:
        with pytest.raises(CircuitOpenError) as info:
            await client.list_schedules("campaigns")
        sent = len(api.api_requests())
        with pytest.raises(CircuitOpenError):
            await client.get_schedule("campaigns", "c1")
    assert sent == 3
    assert len(api.api_requests()) == 3
    assert "resume" in str(info.value)
    assert info.value.exit_code == 1


@pytest.mark.anyio
async def test_breaker_resets_on_success() -> None:
    """A success between failures resets the count: the breaker stays closed."""
    replies = [error(503, "x"), OK_LIST] * 4
    api = FakeApi(routes={LIST: replies})
    async with make_client(api, breaker_threshold=2) as client:
        for _ in range(4):
            await client.list_schedules("campaigns")
    assert len(api.api_requests()) == 8


@pytest.mark.anyio
async def test_transport_error_becomes_network_error() -> None:
    """Connection failures are retried, then reported as NetworkError."""
    calls: list[int] = []

    def broken(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ReadError("connection reset", request=request)

    api = FakeApi(routes={LIST: broken})
    metrics = RunMetrics()
    with hooks_installed(metrics):
        async with make_client(api, breaker_threshold=10) as client:
            with pytest.raises(NetworkError) as info:
                await client.list_schedules("campaigns")
    assert len(calls) == 3
    assert "HTTPS_PROXY" in str(info.value)
    assert metrics.requests == {(*LIST, 0): 3}


@pytest.mark.anyio
async def test_transport_error_recovers() -> None:
    """A dropped connection followed by an answer is invisible to the caller."""
    state = {"n": 0}

    def flaky(request: httpx.Request) -> httpx.Response:
        state["n"] += 1
        if state["n"] == 1:
            raise httpx.RemoteProtocolError("dropped", request=request)
        return httpx.Response(200, json=[])

    api = FakeApi(routes={LIST: flaky})
    async with make_client(api) as client:
        assert await client.list_schedules("campaigns") == []
    assert state["n"] == 2


@pytest.mark.anyio
async def test_patch_not_retried_after_read_error() -> None:
    """A PATCH whose answer was lost may have been applied: not re-sent."""
    calls: list[int] = []

    def lost(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ReadError("lost", request=request)

    api = FakeApi(routes={PATCH: lost})
    async with make_client(api) as client:
        with pytest.raises(NetworkError):
            await client.patch_campaign("c1", {"maxCallsPerAgent": 2})
    assert len(calls) == 1


def lost_answer_api(stored_name: str) -> FakeApi:
    """PUT lands but its answer is lost; the retry meets a 409."""
    path = "/api/v2/outbound/schedules/campaigns/c1"
    store: dict[str, object] = {}
    calls = {"put": 0}

    def put(request: httpx.Request) -> httpx.Response:
        calls["put"] += 1
        if calls["put"] == 1:
            import json

            body = json.loads(request.content)
            store.update(body, id="c1", version=body["version"] + 1, name=stored_name)
            raise httpx.ReadError("answer lost", request=request)
        return error(409, "general.conflict", "Version does not match")

    def get(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=store)

    return FakeApi(routes={("PUT", path): put, ("GET", path): get})


SENT = {
    "name": "gcsched: mine",
    "campaign": {"id": "c1"},
    "intervals": [{"start": "2026-12-01T09:00:00", "end": "2026-12-01T10:00:00"}],
    "version": 4,
}


@pytest.mark.anyio
async def test_put_whose_answer_was_lost_is_recognised() -> None:
    """A retried PUT that meets its own landed write returns it, not a conflict."""
    api = lost_answer_api("gcsched: mine")
    async with make_client(api) as client:
        stored = await client.put_schedule("campaigns", "c1", SENT)
    assert stored["version"] == 5
    assert [r.method for r in api.api_requests()] == ["PUT", "PUT", "GET"]


@pytest.mark.anyio
async def test_lost_answer_but_other_content_is_a_conflict() -> None:
    """If the org holds something else after a lost answer, it is a conflict."""
    from gcsched.errors import VersionConflictError

    api = lost_answer_api("a colleague's name")
    async with make_client(api) as client:
        with pytest.raises(VersionConflictError):
            await client.put_schedule("campaigns", "c1", SENT)


@pytest.mark.anyio
async def test_plain_conflict_is_not_read_back() -> None:
    """A 409 on a first attempt is a conflict at once, with no extra read."""
    from gcsched.errors import VersionConflictError

    path = "/api/v2/outbound/schedules/campaigns/c1"
    api = FakeApi(routes={("PUT", path): [error(409, "general.conflict")]})
    async with make_client(api) as client:
        with pytest.raises(VersionConflictError):
            await client.put_schedule("campaigns", "c1", SENT)
    assert [r.method for r in api.api_requests()] == ["PUT"]

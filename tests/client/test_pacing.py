"""Pacing: the sliding-window pacer, Retry-After pauses and the limits API.

The pacer lets at most ``budget`` (95 % of the limit) requests go in any
window; a run under one budget never waits. Against the sandbox, under both a
fixed and a sliding server window, a run that crosses a budget gets no 429.
All checks are structural (counts, the fake clock), never timed.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from gcsched.audit import AuditLog
from gcsched.client import Credentials, GenesysClient
from gcsched.client.pacing import (
    BUDGET_SHARE,
    DEFAULT_CONCURRENCY,
    WINDOW_SECONDS,
    SlidingWindowPacer,
)
from gcsched.config import loads
from gcsched.engine import Runner, build_plan
from gcsched.journal import Journal
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
)

from .fakes import FakeApi, FakeClock, error, make_client

LIMITS = ("GET", "/api/v2/organizations/limits/namespaces/platform.api")
LIST = ("GET", "/api/v2/outbound/schedules/campaigns")


def send_times(pacer: SlidingWindowPacer, clock: FakeClock, n: int) -> list[float]:
    async def run() -> list[float]:
        times = []
        for _ in range(n):
            await pacer.acquire()
            times.append(clock.now)
        return times

    return asyncio.run(run())


def max_in_window(times: list[float], window: float) -> int:
    """The most of `times` (sorted) in any half-open span of `window` seconds."""
    best = 0
    j = 0
    for i, t in enumerate(times):
        while times[j] <= t - window:
            j += 1
        best = max(best, i - j + 1)
    return best


def test_a_run_under_the_budget_never_waits() -> None:
    """285 requests at 300/min (95 %) all go at once: no sleep at all."""
    clock = FakeClock()
    pacer = SlidingWindowPacer(300, clock=clock, sleep=clock.sleep)
    assert pacer.budget == int(300 * BUDGET_SHARE) == 285
    send_times(pacer, clock, 285)
    assert clock.sleeps == []


def test_a_longer_run_spends_every_window_and_never_more() -> None:
    """1,200 requests at 600/min: 570 per window, each window full, none over."""
    clock = FakeClock()
    pacer = SlidingWindowPacer(600, clock=clock, sleep=clock.sleep)
    times = send_times(pacer, clock, 1200)
    assert max_in_window(times, pacer.window) == pacer.budget == 570
    assert max_in_window(times, WINDOW_SECONDS) == 570
    starts = sorted(set(times))
    assert [times.count(t) for t in starts] == [570, 570, 60]  # a budget each time
    assert len(clock.sleeps) == 2  # one wait per window crossed


def test_concurrent_waiters_keep_the_window() -> None:
    """Many workers at once: still at most a budget in any window."""
    clock = FakeClock()
    pacer = SlidingWindowPacer(60, clock=clock, sleep=clock.sleep)
    times: list[float] = []

    async def worker() -> None:
        for _ in range(10):
            await pacer.acquire()
            times.append(clock.now)
            await asyncio.sleep(0)

    async def run() -> None:
        await asyncio.gather(*(worker() for _ in range(16)))

    asyncio.run(run())
    assert len(times) == 160
    assert max_in_window(sorted(times), WINDOW_SECONDS) == pacer.budget == 57


def test_pause_holds_everything_back() -> None:
    """After pause(5) the next request waits at least 5 s."""
    clock = FakeClock()
    pacer = SlidingWindowPacer(300, clock=clock, sleep=clock.sleep)
    pacer.pause(5.0)
    start = clock.now
    send_times(pacer, clock, 1)
    assert clock.now - start >= 5.0


def test_pause_holds_a_waiter_that_is_already_asleep() -> None:
    """A Retry-After that comes while a worker waits for a slot holds it too."""
    clock = FakeClock()
    woke: list[float] = []

    async def sleep_then_pause(seconds: float) -> None:
        await clock.sleep(seconds)
        if len(clock.sleeps) == 1:
            pacer.pause(30.0)  # a 429 answered while the worker slept

    pacer = SlidingWindowPacer(60, clock=clock, sleep=sleep_then_pause)
    send_times(pacer, clock, pacer.budget)
    start = clock.now

    async def one() -> None:
        await pacer.acquire()
        woke.append(clock.now)

    asyncio.run(one())
    assert woke[0] - start >= pacer.window + 30.0


def test_zero_limit_turns_pacing_off() -> None:
    """A limit of 0 (sandbox --rate-limit 0) never waits."""
    clock = FakeClock()
    pacer = SlidingWindowPacer(0, clock=clock, sleep=clock.sleep)
    send_times(pacer, clock, 50)
    assert clock.sleeps == []


def test_lower_limit_shrinks_the_budget() -> None:
    """set_limit (the limits API's value) resizes the budget."""
    clock = FakeClock()
    pacer = SlidingWindowPacer(300, clock=clock, sleep=clock.sleep)
    pacer.set_limit(100)
    times = send_times(pacer, clock, 200)
    assert max_in_window(times, WINDOW_SECONDS) == 95


@pytest.mark.anyio
async def test_rate_limit_headers_do_not_change_the_pace() -> None:
    """The retired inin-ratelimit-* headers neither slow nor speed the client."""
    headers = {
        "inin-ratelimit-allowed": "120",
        "inin-ratelimit-count": "120",
        "inin-ratelimit-reset": "59",
    }
    api = FakeApi(routes={LIST: [httpx.Response(200, json=[], headers=headers)]})
    clock = FakeClock()
    async with make_client(api, clock, rate_limit=300) as client:
        for _ in range(5):
            await client.list_schedules("campaigns")
        assert client.rate_limit == 300
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


# ------------------------------------------------- against the sandbox's windows

CAMPAIGNS = 40
"""More schedules than one budget of the sandbox's 30/min (28 requests)."""


def _seed(count: int) -> dict[str, Any]:
    return {
        "org": {"name": "Pacing Org", "domain": "pacing"},
        "contactLists": [{"name": f"List {n}", "size": 100} for n in range(count)],
        "campaigns": [
            {
                "name": f"Camp {n:02d}",
                "dialingMode": "power",
                "contactList": f"List {n}",
            }
            for n in range(count)
        ],
    }


def _file(count: int) -> str:
    lines = ["version: 1", "policy: {max_change_fraction: 1.0}", "schedules:"]
    for n in range(count):
        lines += [
            f"  - campaign: Camp {n:02d}",
            "    time_zone: America/Chicago",
            '    windows: [{days: [mon-fri], start: "09:00", end: "17:00"}]',
            "    from: 2026-12-01",
            "    until: 2027-01-31",
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.anyio
@pytest.mark.parametrize("window", ["fixed", "sliding"])
async def test_an_apply_across_a_budget_gets_no_429(
    window: str, tmp_path: Path
) -> None:
    """40 schedules at 30/min: the run crosses a budget with 0 x 429, both windows.

    The limit comes from the sandbox's limits API; the server's clock is the
    client's fake clock, so waiting a window costs no time.
    """
    from datetime import date

    clock = FakeClock()
    state = SandboxState.from_seed(_seed(CAMPAIGNS))
    state.clock = clock
    app = create_app(state, rate_limit=30, rate_window=window)
    arrivals: list[float] = []

    async def counting(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/v2/"):
            arrivals.append(clock.now)
        await app(scope, receive, send)

    transport = httpx.ASGITransport(app=counting)
    creds = Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    async with GenesysClient(
        "http://sandbox.test",
        creds,
        transport=transport,
        clock=clock,
        sleep=clock.sleep,
    ) as client:
        file = loads(_file(CAMPAIGNS))
        planned = await build_plan(client, file, today=date(2026, 11, 27))
        assert len(planned.plan.changes) == CAMPAIGNS
        runner = Runner(
            client,
            Journal.open(tmp_path / "journal.sqlite"),
            AuditLog(tmp_path / "audit.jsonl"),
            actor=DEFAULT_CLIENT_ID,
            concurrency=DEFAULT_CONCURRENCY,
        )
        result = await runner.apply(planned.plan, checksum=planned.plan.checksum())
        assert result.status == "succeeded", result.outcomes
        assert client.rate_limit == 30  # read from the limits API
        pacer_sleeps = list(clock.sleeps)
    async with httpx.AsyncClient(transport=transport, base_url="http://x") as http:
        stats = (await http.get("/sandbox/stats")).json()
    assert stats["rate_limited"] == 0
    budget = int(30 * BUDGET_SHARE)
    assert len(arrivals) > budget  # the run crossed a budget
    assert stats["requests_total"] >= len(arrivals)
    assert max_in_window(arrivals, WINDOW_SECONDS) == budget  # spent, never more
    # It waited only when a window was full, not before every request.
    assert len(pacer_sleeps) <= -(-len(arrivals) // budget)


def test_apply_help_states_the_default_concurrency() -> None:
    """`gcsched apply --help` shows the default the pacer module holds."""
    from typer.testing import CliRunner

    from gcsched.cli.app import app

    result = CliRunner().invoke(app, ["apply", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert f"default: {DEFAULT_CONCURRENCY}," in " ".join(result.output.split())

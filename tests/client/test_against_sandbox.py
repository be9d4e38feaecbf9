"""The client against the in-process sandbox (httpx.ASGITransport)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import stamina

from gcsched.client import Credentials, GenesysClient
from gcsched.errors import AuthenticationError, VersionConflictError
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
)
from gcsched.telemetry import RunMetrics, hooks_installed

from .fakes import FakeClock

BASE = "http://sandbox.test"
CREDS = Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)


def sandbox(
    clock: FakeClock, **kwargs: Any
) -> tuple[SandboxState, httpx.ASGITransport]:
    """A demo org on the shared fake clock, and a transport into it."""
    state = SandboxState.demo()
    state.clock = clock
    app = create_app(state, **kwargs)
    return state, httpx.ASGITransport(app=app)


def client(
    transport: httpx.AsyncBaseTransport, clock: FakeClock, **kwargs: Any
) -> GenesysClient:
    return GenesysClient(
        BASE,
        kwargs.pop("creds", CREDS),
        transport=transport,
        clock=clock,
        sleep=clock.sleep,
        **kwargs,
    )


@pytest.fixture
def metrics() -> Iterator[RunMetrics]:
    """The account of every request the test's client sends (its events)."""
    account = RunMetrics()
    with hooks_installed(account):
        yield account


def statuses(metrics: RunMetrics) -> set[int]:
    return {status for _method, _route, status in metrics.requests}


def body_for(campaign_id: str, version: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "gcsched: weekdays",
        "campaign": {"id": campaign_id},
        "timeZone": "America/Chicago",
        "intervals": [],
        "recurrences": [
            {
                "start": "2026-12-01T09:00:00",
                "end": "2026-12-01T17:00:00",
                "pattern": {
                    "type": "Weekly",
                    "interval": 1,
                    "daysOfWeek": ["Monday", "Tuesday", "Wednesday"],
                },
                "range": {"type": "EndDate", "end": "2026-12-31T17:00:00"},
            }
        ],
    }
    if version is not None:
        body["version"] = version
    return body


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(now=1_800_000_000.0)


@pytest.mark.anyio
async def test_reads_the_demo_org(clock: FakeClock) -> None:
    """Org, limits, campaigns, contact list size and schedules read cleanly."""
    _state, transport = sandbox(clock, rate_limit=600)
    async with client(transport, clock, rate_limit=None) as api:
        org = await api.get_organization()
        campaigns = await api.list_campaigns()
        q4 = next(c for c in campaigns if c["name"] == "Q4 Renewals")
        contact_list = await api.get_contact_list(q4["contactList"]["id"])
        schedules = await api.list_schedules("campaigns")
        for family in ("sequences", "emailcampaigns", "whatsappcampaigns"):
            assert await api.list_schedules(family) == []
        sequences = await api.list_sequences()
        messaging = await api.list_messaging_campaigns()
        time_sets = await api.list_callable_time_sets()
        assert api.rate_limit == 600
    assert org["name"] == "Acme Outbound (sandbox)"
    assert contact_list["size"] == 48000
    assert len(schedules) == 1
    assert schedules[0]["name"] == "Manual survey schedule"
    assert {s["name"] for s in sequences} >= {"EMEA Sequence"}
    assert {m["name"] for m in messaging} >= {"Payment SMS", "WhatsApp Offers"}
    assert time_sets


@pytest.mark.anyio
async def test_put_get_delete_and_stale_version(clock: FakeClock) -> None:
    """Create gives version 1, update needs it, a stale one is a conflict."""
    state, transport = sandbox(clock)
    async with client(transport, clock, rate_limit=300) as api:
        q4 = next(c for c in await api.list_campaigns() if c["name"] == "Q4 Renewals")
        cid = q4["id"]
        assert await api.get_schedule("campaigns", cid) is None
        created = await api.put_schedule("campaigns", cid, body_for(cid))
        assert created["version"] == 1
        updated = await api.put_schedule("campaigns", cid, body_for(cid, 1))
        assert updated["version"] == 2
        state.edit_behind_back("campaigns", cid, {"name": "a colleague's edit"})
        with pytest.raises(VersionConflictError) as info:
            await api.put_schedule("campaigns", cid, body_for(cid, 2))
        assert info.value.status == 409
        fresh = await api.get_schedule("campaigns", cid)
        assert fresh is not None
        assert fresh["version"] == 3
        assert fresh["name"] == "a colleague's edit"
        await api.delete_schedule("campaigns", cid)
        assert await api.get_schedule("campaigns", cid) is None
        await api.delete_schedule("campaigns", cid)  # already gone: fine


@pytest.mark.anyio
async def test_pacing_patch(clock: FakeClock) -> None:
    """Voice pacing goes by PATCH and reads back."""
    _state, transport = sandbox(clock)
    async with client(transport, clock, rate_limit=300) as api:
        q4 = next(c for c in await api.list_campaigns() if c["name"] == "Q4 Renewals")
        await api.patch_campaign(q4["id"], {"maxCallsPerAgent": 4})
        assert (await api.get_campaign(q4["id"]))["maxCallsPerAgent"] == 4


@pytest.mark.anyio
async def test_rides_out_a_429_burst(clock: FakeClock, metrics: RunMetrics) -> None:
    """Scripted 429 bursts are waited out (Retry-After) and the reads succeed."""
    stamina.set_testing(True, attempts=10)  # reset by the autouse fixture
    _state, transport = sandbox(
        clock,
        faults=["429:rate=0.2,burst=3,retry_after=3,path=/schedules"],
        fault_seed=1,
    )
    async with client(transport, clock, rate_limit=300) as api:
        for _ in range(20):
            assert len(await api.list_schedules("campaigns")) == 1
        assert metrics.throttled >= 3
        assert any(s >= 3.0 for s in clock.sleeps)


@pytest.mark.anyio
async def test_rides_out_5xx_and_drops(clock: FakeClock, metrics: RunMetrics) -> None:
    """Occasional 5xx and dropped connections on GETs converge."""
    stamina.set_testing(True, attempts=10)
    _state, transport = sandbox(
        clock,
        faults=["5xx:rate=0.3", "drop:rate=0.2,method=GET"],
        fault_seed=7,
    )
    async with client(transport, clock, rate_limit=300, breaker_threshold=8) as api:
        for _ in range(10):
            assert len(await api.list_schedules("campaigns")) == 1
        assert sum(metrics.retries.values()) >= 1
    assert 0 in statuses(metrics)  # a dropped connection was seen
    assert any(status >= 500 for status in statuses(metrics))


@pytest.mark.anyio
async def test_token_expiry_mid_run(clock: FakeClock, metrics: RunMetrics) -> None:
    """Tokens that expire server-side are replaced and the run goes on."""
    _state, transport = sandbox(clock, faults=["token-expiry:after=5"])
    async with client(transport, clock, rate_limit=300) as api:
        for _ in range(4):
            await api.list_schedules("campaigns")
            clock.now += 6
        assert sum(metrics.token_renewals.values()) >= 2


@pytest.mark.anyio
async def test_short_token_ttl_renews_ahead(
    clock: FakeClock, metrics: RunMetrics
) -> None:
    """With a 60 s token TTL the client renews before the server refuses it."""
    _state, transport = sandbox(clock, token_ttl=60)
    async with client(transport, clock, rate_limit=300) as api:
        for _ in range(5):
            await api.get_organization()
            clock.now += 20
    assert 401 not in statuses(metrics)
    assert statuses(metrics) == {200}


@pytest.mark.anyio
async def test_wrong_secret(clock: FakeClock) -> None:
    """A wrong secret is an AuthenticationError naming the variables."""
    _state, transport = sandbox(clock)
    bad = Credentials(DEFAULT_CLIENT_ID, "not-the-secret")
    async with client(transport, clock, creds=bad) as api:
        with pytest.raises(AuthenticationError) as info:
            await api.get_organization()
    assert "GENESYSCLOUD_OAUTHCLIENT_SECRET" in str(info.value)
    assert "not-the-secret" not in str(info.value)


@pytest.mark.anyio
async def test_stays_under_the_sandbox_limit(
    clock: FakeClock, metrics: RunMetrics
) -> None:
    """A burst of 400 reads at 300/min is paced: no 429 from the sandbox."""
    _state, transport = sandbox(clock, rate_limit=300)
    async with client(transport, clock, rate_limit=None) as api:
        for _ in range(400):
            await api.get_schedule("campaigns", "nope")
        assert metrics.throttled == 0
        assert sum(metrics.requests.values()) == 401  # the limits read, then 400
        elapsed = clock.now - 1_800_000_000.0
    # 401 requests at a budget of 285 per window: one window waited, not two
    assert 60.0 <= elapsed < 2 * 60.0


@pytest.mark.anyio
async def test_concurrent_editor_is_a_conflict_not_a_resend(
    clock: FakeClock, metrics: RunMetrics
) -> None:
    """An editor who wins the race makes the PUT a conflict; it is sent once."""
    _state, transport = sandbox(clock, faults=["editor:rate=1"], fault_seed=3)
    async with client(transport, clock, rate_limit=300) as api:
        cid = next(iter(_state.schedules["campaigns"]))
        current = await api.get_schedule("campaigns", cid)
        assert current is not None
        body = {k: v for k, v in current.items() if k not in ("id", "selfUri")}
        with pytest.raises(VersionConflictError):
            await api.put_schedule("campaigns", cid, body)
        puts = sum(
            n
            for (method, _route, _status), n in metrics.requests.items()
            if method == "PUT"
        )
    assert puts == 1

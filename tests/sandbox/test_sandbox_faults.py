"""Rate limiting, headers, stats and scripted faults."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from conftest import BASE, FakeClock, Mint
from gcsched.sandbox import (
    FaultSpec,
    SandboxState,
    asgi_transport,
    create_app,
    entity_id,
    parse_fault,
)
from gcsched.sandbox.gateway import DroppedConnection

pytestmark = pytest.mark.anyio
ORG = "/api/v2/organizations/me"


@asynccontextmanager
async def _client(
    state: SandboxState, mint: Mint, **kwargs: object
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(state, **kwargs)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        c.headers["Authorization"] = f"Bearer {await mint(c)}"
        yield c


async def test_correlation_id_and_no_ratelimit_headers(
    client: httpx.AsyncClient,
) -> None:
    """Every API response carries ININ-Correlation-Id and, by default, no
    inin-ratelimit-* (the real API dropped them in 2021)."""
    first = await client.get(ORG)
    second = await client.get("/api/v2/outbound/campaigns/nope")
    for r in (first, second):
        assert r.headers["ININ-Correlation-Id"]
        assert not any(h.startswith("inin-ratelimit-") for h in r.headers)
    assert second.json()["contextId"] == second.headers["ININ-Correlation-Id"]


async def test_ratelimit_headers_on_every_response(
    state: SandboxState, mint: Mint
) -> None:
    """ratelimit_headers=on: every API response carries the old headers."""
    async with _client(state, mint, guesses=["ratelimit_headers=on"]) as c:
        first = await c.get(ORG)
        second = await c.get("/api/v2/outbound/campaigns/nope")
        for r in (first, second):
            assert r.headers["inin-ratelimit-allowed"] == "300"
            assert int(r.headers["inin-ratelimit-reset"]) > 0
        assert first.headers["inin-ratelimit-count"] == "1"
        assert second.headers["inin-ratelimit-count"] == "2"
        c.headers["Authorization"] = "Bearer nope"
        assert "inin-ratelimit-allowed" in (await c.get(ORG)).headers


async def test_rate_limit_429_then_window_resets(
    state: SandboxState, clock: FakeClock, mint: Mint
) -> None:
    """Over the per-token limit: 429 and integer Retry-After until the window resets."""
    async with _client(
        state, mint, rate_limit=3, guesses=["ratelimit_headers=on"]
    ) as c:
        for _ in range(3):
            assert (await c.get(ORG)).status_code == 200
        clock.advance(20)
        r = await c.get(ORG)
        assert r.status_code == 429
        assert r.headers["Retry-After"] == "40"
        assert r.json()["code"] == "too.many.requests.retry.after"
        assert r.json()["contextId"] == r.headers["ININ-Correlation-Id"]
        clock.advance(40)
        assert (await c.get(ORG)).status_code == 200
        # a new token has its own window
        c.headers["Authorization"] = f"Bearer {await mint(c)}"
        assert (await c.get(ORG)).headers["inin-ratelimit-count"] == "1"
        stats = (await c.get("/sandbox/stats")).json()
        assert stats["rate_limited"] == 1
        assert stats["requests"][f"GET {ORG}"] == {"200": 5, "429": 1}
        assert stats["requests"]["POST /oauth/token"] == {"200": 2}


async def test_rate_limit_off(state: SandboxState, mint: Mint) -> None:
    """rate_limit=0 never answers 429."""
    async with _client(
        state, mint, rate_limit=0, guesses=["ratelimit_headers=on"]
    ) as c:
        for _ in range(400):
            r = await c.get(ORG)
        assert r.status_code == 200
        assert int(r.headers["inin-ratelimit-allowed"]) >= 1_000_000
        limits = await c.get("/api/v2/organizations/limits/namespaces/platform.api")
        assert limits.json()["entities"][0]["value"] >= 1_000_000


async def test_stats_counts_routes_by_template(client: httpx.AsyncClient) -> None:
    """Stats key requests by method and route template."""
    cid = entity_id("campaign", "Win-back")
    await client.get(f"/api/v2/outbound/campaigns/{cid}")
    await client.get("/api/v2/outbound/campaigns/nope")
    await client.get("/api/v2/nothing/here")
    stats = (await client.get("/sandbox/stats")).json()
    assert stats["requests"]["GET /api/v2/outbound/campaigns/{campaignId}"] == {
        "200": 1,
        "404": 1,
    }
    assert stats["requests"]["GET <unmatched>"] == {"404": 1}
    assert stats["tokens_minted"] == 1
    assert stats["requests_total"] == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("429:rate=0.1", FaultSpec("429", rate=0.1, retry_after=1)),
        (
            "429:rate=1,retry_after=2,burst=3",
            FaultSpec("429", rate=1, retry_after=2, burst=3),
        ),
        ("5xx:rate=0.05,status=503", FaultSpec("5xx", rate=0.05, status=503)),
        ("latency:ms=50,jitter=20", FaultSpec("latency", ms=50, jitter=20)),
        (
            "drop:rate=0.02,path=/schedules,method=put",
            FaultSpec("drop", rate=0.02, path="/schedules", method="PUT"),
        ),
        ("token-expiry:after=30", FaultSpec("token-expiry", after=30)),
        ("editor:rate=0.1", FaultSpec("editor", rate=0.1)),
    ],
)
def test_parse_fault(text: str, expected: FaultSpec) -> None:
    """The fault grammar KIND[:k=v,...] parses into FaultSpec."""
    assert parse_fault(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("boom", "unknown fault kind"),
        ("429", "needs rate"),
        ("429:rate=2", "between 0 and 1"),
        ("429:rate=x", "must be a number"),
        ("429:rate=-1", "negative"),
        ("429:rate=1,speed=3", "unknown key 'speed'"),
        ("429:rate", "not key=value"),
        ("5xx:rate=1,status=500", "502, 503, 504"),
        ("429:rate=1,burst=0", "burst"),
        ("429:rate=1,retry_after=1.5", "integer"),
    ],
)
def test_parse_fault_errors(text: str, words: str) -> None:
    """A bad fault spec raises ValueError saying what is wrong."""
    with pytest.raises(ValueError, match=words):
        parse_fault(text)


async def test_429_bursts(state: SandboxState, mint: Mint) -> None:
    """A 429 fault with burst=3 answers three 429s in a row with Retry-After."""
    async with _client(state, mint, faults=["429:rate=1,burst=3,retry_after=2"]) as c:
        statuses = [(await c.get(ORG)) for _ in range(3)]
        assert [r.status_code for r in statuses] == [429, 429, 429]
        assert statuses[0].headers["Retry-After"] == "2"
        assert statuses[0].json()["code"] == "too.many.requests.retry.after"
        stats = (await c.get("/sandbox/stats")).json()
        assert stats["rate_limited"] == 3
        assert stats["faults"] == {"429": 3}


async def test_burst_then_recovers(state: SandboxState, mint: Mint) -> None:
    """After a burst the fault draws again; with a seed the pattern repeats."""
    patterns = []
    for _ in range(2):
        async with _client(
            state, mint, faults=["429:rate=0.3,burst=2"], fault_seed=7
        ) as c:
            patterns.append([(await c.get(ORG)).status_code for _ in range(30)])
    assert patterns[0] == patterns[1]
    assert 200 in patterns[0]
    assert 429 in patterns[0]


async def test_5xx_fault(state: SandboxState, mint: Mint) -> None:
    """5xx faults answer 502/503/504 ErrorBody; the status can be pinned."""
    async with _client(state, mint, faults=["5xx:rate=1"], fault_seed=1) as c:
        seen = {(await c.get(ORG)).status_code for _ in range(30)}
        assert seen == {502, 503, 504}
    async with _client(
        state, mint, faults=["5xx:rate=1,status=503,retry_after=1"]
    ) as c:
        r = await c.get(ORG)
        assert (r.status_code, r.json()["code"]) == (503, "service.unavailable")
        assert r.headers["Retry-After"] == "1"


async def test_fault_filters(state: SandboxState, mint: Mint) -> None:
    """path and method filters limit a fault to matching requests."""
    faults = ["5xx:rate=1,status=502,path=/schedules,method=PUT"]
    async with _client(state, mint, faults=faults) as c:
        assert (await c.get("/api/v2/outbound/schedules/campaigns")).status_code == 200
        oid = entity_id("campaign", "Win-back")
        r = await c.put(
            f"/api/v2/outbound/schedules/campaigns/{oid}",
            json={"campaign": {"id": oid}, "intervals": []},
        )
        assert r.status_code == 502


async def test_fault_on_token_endpoint_only_when_asked(
    state: SandboxState, mint: Mint
) -> None:
    """Faults spare /oauth/token unless its path is named."""
    app = create_app(state, faults=["5xx:rate=1,status=503,path=/oauth/token"])
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        r = await c.post("/oauth/token", data={"grant_type": "client_credentials"})
        assert r.status_code == 503
    async with _client(state, mint, faults=["5xx:rate=1"]) as c:
        assert (await c.get("/sandbox/stats")).status_code == 200


async def test_latency_fault(state: SandboxState, mint: Mint) -> None:
    """Latency delays but still answers."""
    async with _client(state, mint, faults=["latency:ms=1,jitter=1"]) as c:
        assert (await c.get(ORG)).status_code == 200


async def test_drop_fault_is_a_transport_error(state: SandboxState, mint: Mint) -> None:
    """drop cuts the response after its headers; in-process the client sees an error."""
    async with _client(state, mint, faults=["drop:rate=1,path=/organizations"]) as c:
        with pytest.raises(DroppedConnection):
            await c.get(ORG)
        assert (await c.get("/api/v2/outbound/campaigns")).status_code == 200
        stats = (await c.get("/sandbox/stats")).json()
        assert stats["faults"]["drop"] == 1


async def test_token_expiry_fault(
    state: SandboxState, clock: FakeClock, mint: Mint
) -> None:
    """token-expiry:after=N kills tokens N seconds after minting."""
    async with _client(state, mint, faults=["token-expiry:after=30"]) as c:
        assert (await c.get(ORG)).status_code == 200
        clock.advance(30)
        r = await c.get(ORG)
        assert r.status_code == 401
        assert r.json()["code"] == "credentials.expired"
        c.headers["Authorization"] = f"Bearer {await mint(c)}"
        assert (await c.get(ORG)).status_code == 200


async def test_editor_fault_makes_puts_conflict(
    state: SandboxState, mint: Mint
) -> None:
    """editor bumps the stored version before the PUT, which then gets 409."""
    oid = entity_id("campaign", "Lapsed Survey")
    url = f"/api/v2/outbound/schedules/campaigns/{oid}"
    async with _client(state, mint, faults=["editor:rate=1"]) as c:
        current = (await c.get(url)).json()
        r = await c.put(url, json=current)
        assert r.status_code == 409
        assert state.schedule("campaigns", oid)["version"] == 4  # type: ignore[index]
        assert (await c.get("/sandbox/stats")).json()["faults"]["editor"] == 1

"""No wait without a bound: trickling answers, header-driven pacer waits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import httpx
import pytest

from gcsched.client import GenesysClient, RetryBudget
from gcsched.errors import NetworkError

from .fakes import CREDS, FakeApi, FakeClock, make_client

LIST = ("GET", "/api/v2/outbound/schedules/campaigns")
TOKEN = b'{"access_token": "tok-1", "token_type": "bearer", "expires_in": 86400}'


@asynccontextmanager
async def trickling_server(trickle_token: bool) -> AsyncIterator[str]:
    """A loopback HTTP server whose answer (API or token) trickles byte by byte."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            is_token = b"/oauth/token" in head.split(b"\r\n", 1)[0]
            if is_token and not trickle_token:
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(TOKEN), TOKEN)
                )
                await writer.drain()
                await serve(reader, writer)  # keep-alive: the API request follows
                return
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: 100000\r\n\r\n"
            )
            while True:
                writer.write(b" ")
                await writer.drain()
                await asyncio.sleep(0.1)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


@pytest.mark.anyio
@pytest.mark.parametrize("trickle_token", [False, True], ids=["api", "token"])
async def test_a_trickling_answer_is_cut_at_the_attempt_deadline(
    trickle_token: bool,
) -> None:
    """A body arriving one byte at a time (each read well inside httpx's 30 s read
    timeout) ends at the attempt deadline with a message naming the request."""
    async with trickling_server(trickle_token) as url:
        client = GenesysClient(
            url,
            CREDS,
            rate_limit=300,
            attempt_timeout=1.0,
            retry_budget=RetryBudget(ratio=0.0, floor=0),
        )
        with anyio.fail_after(20):
            async with client:
                started = anyio.current_time()
                with pytest.raises(NetworkError) as info:
                    await client.list_schedules("campaigns")
                took = anyio.current_time() - started
    assert took < 5.0, took
    message = str(info.value)
    assert "GET /api/v2/outbound/schedules/campaigns" in message
    assert "no complete answer within 1 s" in message
    assert "run again" in message


@pytest.mark.anyio
async def test_token_rate_limit_waits_do_not_count_against_the_deadline() -> None:
    """The client's own wait for the token endpoint's limit moves the deadline."""
    replies = [
        httpx.Response(
            400, json={"error": "invalid_request", "description": "rate limit exceeded"}
        )
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            if replies:
                return replies.pop(0)
            return httpx.Response(200, content=TOKEN)
        return httpx.Response(200, json=[])

    client = GenesysClient(
        "https://api.mypurecloud.ie",
        CREDS,
        transport=httpx.MockTransport(handler),
        rate_limit=300,
        attempt_timeout=1.0,
    )
    with anyio.fail_after(20):
        async with client:
            assert await client.list_schedules("campaigns") == []  # after a 2 s wait


@pytest.mark.anyio
@pytest.mark.parametrize(
    "headers",
    [
        {
            "inin-ratelimit-allowed": "300",
            "inin-ratelimit-count": "300",
            "inin-ratelimit-reset": "999999",
        },
        {"inin-ratelimit-allowed": "0.001"},
        {
            "inin-ratelimit-allowed": "300",
            "inin-ratelimit-count": "299",
            "inin-ratelimit-reset": "999999",
        },
    ],
    ids=["reset", "allowed", "spread"],
)
async def test_rate_limit_headers_cannot_park_the_pacer(
    headers: dict[str, str],
) -> None:
    """`reset: 999999` or `allowed: 0.001` cost at most about a minute per wait."""
    api = FakeApi(routes={LIST: [httpx.Response(200, json=[], headers=headers)]})
    clock = FakeClock()
    async with make_client(api, clock) as client:
        for _ in range(4):
            await client.list_schedules("campaigns")
    assert max(clock.sleeps, default=0.0) <= 66.0, clock.sleeps

"""No answer without a size cap (counted decoded); no listing without entities."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import AsyncIterator

import httpx
import pytest

from gcsched.client.bodies import DEFAULT_MAX_RESPONSE_BYTES, ResponseTooLargeError
from gcsched.errors import ApiError

from .fakes import FakeApi, make_client

CAMPAIGNS = ("GET", "/api/v2/outbound/campaigns")
SCHEDULES = ("GET", "/api/v2/outbound/schedules/campaigns")
EMAIL = ("GET", "/api/v2/outbound/schedules/emailcampaigns")
MIB = 1024 * 1024


class Body:
    """A streamed body that counts how much of it was pulled."""

    def __init__(self, chunks: list[bytes] | None = None, *, mib: int = 0) -> None:
        self.chunks = chunks
        self.mib = mib
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self.chunks is not None:
            for chunk in self.chunks:
                self.pulled += len(chunk)
                yield chunk
            return
        block = b" " * MIB
        for _ in range(self.mib):
            self.pulled += len(block)
            yield block


def streamed(body: Body, **headers: str) -> httpx.Response:
    return httpx.Response(
        200, headers={"Content-Type": "application/json", **headers}, content=body
    )


def test_the_default_cap_is_32_mib() -> None:
    assert DEFAULT_MAX_RESPONSE_BYTES == 32 * MIB


@pytest.mark.anyio
async def test_a_huge_body_is_stopped_past_the_default_cap() -> None:
    """A 300 MB answer is read only to just past 32 MiB, then refused by name."""
    body = Body(mib=300)
    api = FakeApi(routes={SCHEDULES: lambda _r: streamed(body)})
    async with make_client(api) as client:
        with pytest.raises(ResponseTooLargeError) as info:
            await client.list_schedules("campaigns")
    assert body.pulled <= 34 * MIB, body.pulled
    message = str(info.value)
    assert "GET /api/v2/outbound/schedules/campaigns" in message
    assert "32 MiB" in message
    assert "max_response_bytes" in message
    assert len(api.api_requests()) == 1  # not retried


@pytest.mark.anyio
async def test_the_cap_is_settable() -> None:
    body = Body(mib=3)
    api = FakeApi(routes={SCHEDULES: lambda _r: streamed(body)})
    async with make_client(api, max_response_bytes=MIB) as client:
        with pytest.raises(ResponseTooLargeError):
            await client.list_schedules("campaigns")
    assert body.pulled <= 2 * MIB


@pytest.mark.anyio
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
async def test_a_compression_bomb_is_counted_decoded(encoding: str) -> None:
    """~64 KB of compressed zeros (64 MiB decoded) stops at the cap, and the
    decoding never holds much more than the cap in memory."""
    plain = b"\0" * (64 * MIB)
    if encoding == "gzip":
        packed = gzip.compress(plain, compresslevel=9)
    elif encoding == "deflate":
        packed = zlib.compress(plain, 9)
    else:
        packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        packed = packer.compress(plain) + packer.flush()
    del plain
    assert len(packed) < MIB
    chunks = [packed[i : i + 4096] for i in range(0, len(packed), 4096)]
    body = Body(chunks)
    header = "deflate" if encoding == "raw-deflate" else encoding
    api = FakeApi(
        routes={SCHEDULES: lambda _r: streamed(body, **{"Content-Encoding": header})}
    )
    async with make_client(api, max_response_bytes=4 * MIB) as client:
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLargeError):
                await client.list_schedules("campaigns")
            _now, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert body.pulled < len(packed)  # stopped before the end
    assert peak < 12 * MIB, peak


@pytest.mark.anyio
async def test_a_small_compressed_answer_still_reads() -> None:
    packed = gzip.compress(b'[{"id": "c1"}]')
    api = FakeApi(
        routes={
            SCHEDULES: lambda _r: streamed(
                Body([packed]), **{"Content-Encoding": "gzip"}
            )
        }
    )
    async with make_client(api) as client:
        assert await client.list_schedules("campaigns") == [{"id": "c1"}]
    sent = api.api_requests()[0].headers["Accept-Encoding"]
    assert sent == "gzip, deflate"


@pytest.mark.anyio
async def test_an_unasked_encoding_is_refused() -> None:
    api = FakeApi(
        routes={
            SCHEDULES: lambda _r: streamed(Body([b"xx"]), **{"Content-Encoding": "br"})
        }
    )
    async with make_client(api) as client:
        with pytest.raises(ApiError) as info:
            await client.list_schedules("campaigns")
    assert "Content-Encoding 'br'" in str(info.value)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("route", "call"),
    [
        (CAMPAIGNS, "list_campaigns"),
        (EMAIL, "list_schedules"),
    ],
)
async def test_a_listing_without_entities_is_malformed_not_empty(
    route: tuple[str, str], call: str
) -> None:
    """`{"pageSize": 100}` is not an empty org: an ApiError naming the request."""
    api = FakeApi(routes={route: [httpx.Response(200, json={"pageSize": 100})]})
    async with make_client(api) as client:
        method = getattr(client, call)
        args = ("emailcampaigns",) if call == "list_schedules" else ()
        with pytest.raises(ApiError) as info:
            await method(*args)
    assert f"GET {route[1]}" in str(info.value)
    assert "entities" in str(info.value)

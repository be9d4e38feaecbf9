"""`serve`'s listening socket: accepted connections get TCP_NODELAY."""

from __future__ import annotations

import asyncio
import socket

import pytest

from gcsched.sandbox.server import bind_listener


@pytest.mark.anyio
async def test_accepted_connections_have_nodelay() -> None:
    """A connection accepted on `bind_listener`'s socket disables Nagle."""
    sock = bind_listener("127.0.0.1", 0)
    seen: list[int] = []
    accepted = asyncio.Event()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            raw = transport.get_extra_info("socket")
            seen.append(raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            accepted.set()
            transport.close()

    server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
    port = sock.getsockname()[1]
    async with server:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.wait_for(accepted.wait(), timeout=10)
        writer.close()
    assert seen == [1]


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_listener_is_tcp(host: str) -> None:
    """The listener says IPPROTO_TCP, for IPv4 and IPv6 hosts alike."""
    sock = bind_listener(host, 0)
    with sock:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.family == (socket.AF_INET6 if ":" in host else socket.AF_INET)

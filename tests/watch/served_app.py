"""Serve an ASGI app with uvicorn on a loopback port, in a thread of the test.

The watch needs real sockets (httpx's ASGITransport carries no WebSocket), and
the tests need the sandbox's state at hand: a thread gives both. Work on the
server's objects goes through `Served.call` (its event loop), never directly.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import uvicorn

from gcsched.sandbox.server import bind_listener

T = TypeVar("T")


@dataclass
class Served:
    """A running server: its URL and a way to run code on its loop."""

    url: str
    server: uvicorn.Server
    loop: asyncio.AbstractEventLoop

    def call(self, fn: Callable[[], T]) -> T:
        """Run `fn` on the server's event loop and return its result."""

        async def run() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout=10)


@contextmanager
def serve_app(app: Any) -> Iterator[Served]:
    """Serve `app` on 127.0.0.1 (a free port) until the block ends."""
    sock = bind_listener("127.0.0.1", 0)
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level="critical",
        access_log=False,
        lifespan="off",
        ws="websockets-sansio",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    loops: list[asyncio.AbstractEventLoop] = []

    def run() -> None:
        loop = asyncio.new_event_loop()
        loops.append(loop)
        loop.run_until_complete(server.serve(sockets=[sock]))
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield Served(f"http://127.0.0.1:{port}", server, loops[0])
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()

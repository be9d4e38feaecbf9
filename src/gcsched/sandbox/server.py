"""``serve``: the sandbox as a real HTTP server (uvicorn)."""

from __future__ import annotations

import logging
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.requests import ClientDisconnect

from gcsched.sandbox.app import create_app
from gcsched.sandbox.clients import DEFAULT_CLIENT_ID
from gcsched.sandbox.faults import FaultSpec
from gcsched.sandbox.gateway import DroppedConnection
from gcsched.sandbox.guesses import TOKEN_MINT_LIMIT_PER_MINUTE
from gcsched.sandbox.notifications import NotificationSettings
from gcsched.sandbox.seed import load_seed
from gcsched.sandbox.state import SandboxState
from gcsched.sandbox.switches import Guesses

__all__ = [
    "SavingWrites",
    "asgi_transport",
    "bind_listener",
    "load_or_seed",
    "serve",
]

_Message = MutableMapping[str, Any]
_App = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[_Message]],
        Callable[[_Message], Awaitable[None]],
    ],
    Awaitable[None],
]
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_LOG = logging.getLogger("uvicorn.error")
_READS = "/api/v2/audits/"


class _QuietDrops(logging.Filter):
    """Keep the ``drop`` fault's deliberate exceptions out of the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, DroppedConnection)


class _QuietDisconnects:
    """ASGI wrapper: a client that goes away mid-request is one log line.

    Starlette raises `ClientDisconnect` when the connection closes before the
    request body is complete (an interrupted client, Ctrl-C); uvicorn would log
    it as an application error with a full traceback. Nothing is wrong with the
    sandbox then, and nobody is left to answer.
    """

    def __init__(self, app: _App) -> None:
        self.app = app

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[_Message]],
        send: Callable[[_Message], Awaitable[None]],
    ) -> None:
        """Pass the request on; a client disconnect is logged, not raised."""
        try:
            await self.app(scope, receive, send)
        except ClientDisconnect:
            _LOG.warning(
                "client went away before its request was complete: %s %s",
                scope.get("method", "?"),
                scope.get("path", "?"),
            )


class SavingWrites:
    """ASGI wrapper: `save` after every successful API write, before its answer.

    The embedded sandbox (``--sandbox``) persists its org this way: a write is
    on disk before the client sees its answer, so a process killed mid-run
    loses nothing the journal recorded, and reads never save (a read-only
    command cannot write a stale org over another process's writes).

    Args:
        app: the app from `create_app`.
        save: writes the state (atomically).
    """

    def __init__(self, app: _App, save: Callable[[], None]) -> None:
        self.app = app
        self.save = save

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[_Message]],
        send: Callable[[_Message], Awaitable[None]],
    ) -> None:
        """Pass the request on; save before the last body part of a write's answer."""
        path = str(scope.get("path", ""))
        write = scope.get("type") == "http" and scope.get("method") in _WRITES
        # an audit query is a POST that changes nothing
        if not write or not path.startswith("/api/v2/") or path.startswith(_READS):
            await self.app(scope, receive, send)
            return
        status: list[int] = []

        async def send_saved(message: _Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            elif (
                message["type"] == "http.response.body"
                and not message.get("more_body", False)
                and status
                and status[0] < 400
            ):
                self.save()
            await send(message)

        await self.app(scope, receive, send_saved)


def asgi_transport(app: object) -> httpx.ASGITransport:
    """Return an httpx transport that calls `app` in-process (no lifespan).

    Args:
        app: the app from `create_app`.

    Returns:
        ``httpx.ASGITransport(app=app)``; use it with any base URL, e.g.
        ``http://sandbox.test``.
    """
    return httpx.ASGITransport(app=app)  # type: ignore[arg-type]


def load_or_seed(
    state_path: str | Path | None = None, seed: str | Path | None = None
) -> SandboxState:
    """Return the saved state at `state_path` if present, else a seeded org.

    Args:
        state_path: a file written by `SandboxState.save` (may not exist yet).
        seed: a JSON seed file; None means the demo org.

    Returns:
        The state to serve.

    Raises:
        ValueError: the state or seed file is unreadable or malformed.
    """
    if state_path is not None and Path(state_path).exists():
        return SandboxState.load(state_path)
    if seed is not None:
        return SandboxState.from_seed(load_seed(seed))
    return SandboxState.demo()


def bind_listener(host: str, port: int) -> socket.socket:
    """Bind the TCP socket `serve` listens on (IPv6 when `host` has a colon).

    The socket is made with ``proto=IPPROTO_TCP`` on purpose: asyncio sets
    ``TCP_NODELAY`` only on sockets whose proto says TCP, and accepted
    sockets inherit it. With proto 0, Nagle plus delayed ACKs add ~40 ms to
    every response (uvicorn writes headers and body separately), capping one
    connection at ~23 requests/s.

    Args:
        host: interface to bind.
        port: TCP port; 0 picks a free one.

    Returns:
        The bound (not yet listening) socket.

    Raises:
        OSError: the address cannot be bound.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    seed: str | None = None,
    rate_limit: int = 300,
    rate_window: str = "fixed",
    token_ttl: int = 86400,
    faults: Sequence[FaultSpec | str] = (),
    fault_seed: int | None = None,
    state_path: str | None = None,
    token_mint_limit: int = TOKEN_MINT_LIMIT_PER_MINUTE,
    guesses: Guesses | Sequence[str] = (),
    notifications: NotificationSettings | None = None,
) -> None:
    """Serve the sandbox until SIGINT/SIGTERM (blocking).

    Prints the URL and a client id (never a secret) on one line, then
    serves. With `state_path`, loads the state from it when present and
    saves it there on shutdown.

    Args:
        host: interface to bind.
        port: TCP port; 0 picks a free one (the printed URL has it).
        seed: JSON seed file; None serves the demo org.
        rate_limit: requests per token per minute; 0 turns limiting off.
        rate_window: ``fixed`` or ``sliding`` (see `create_app`).
        token_ttl: seconds a token lives.
        faults: fault specs (``KIND[:k=v,...]`` or FaultSpec).
        fault_seed: makes the faults deterministic.
        state_path: JSON file to load from and save to.
        token_mint_limit: tokens per client per minute; 0 turns it off.
        guesses: `Guesses` or ``NAME=VALUE`` strings (docs/sandbox.md).
        notifications: the Notifications API's heartbeat, channel lifetime
            and limits (default: the real ones).

    Raises:
        ValueError: bad seed, state file, fault, guess or rate window.
        OSError: the address cannot be bound.
    """
    state = load_or_seed(state_path, seed)
    app = create_app(
        state,
        rate_limit=rate_limit,
        rate_window=rate_window,
        token_ttl=token_ttl,
        faults=faults,
        fault_seed=fault_seed,
        token_mint_limit=token_mint_limit,
        guesses=guesses,
        notifications=notifications,
    )
    sock = bind_listener(host, port)
    family = sock.family
    bound_port = sock.getsockname()[1]
    config = uvicorn.Config(
        _QuietDisconnects(app),
        log_level="warning",
        access_log=False,
        lifespan="off",
        ws="websockets-sansio",  # the notification sockets (uvicorn's current one)
        timeout_graceful_shutdown=2,
    )
    _LOG.addFilter(_QuietDrops())
    server = uvicorn.Server(config)
    client_id = (
        DEFAULT_CLIENT_ID
        if DEFAULT_CLIENT_ID in state.clients
        else next(iter(state.clients), "-")
    )
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    sys.stdout.write(
        f"gcsched sandbox serving {state.org['name']!r} at http://{shown}:{bound_port} "
        f"(client id: {client_id})\n"
    )
    sys.stdout.flush()
    # uvicorn stops gracefully on SIGINT/SIGTERM and then re-raises the
    # signal; these handlers turn that into a normal return.
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, _stop)
    try:
        server.run(sockets=[sock])
    except _Stopped:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
        if state_path is not None:
            state.save(state_path)


class _Stopped(Exception):  # noqa: N818
    """The serve loop was asked to stop by a signal."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped

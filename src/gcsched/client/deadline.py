"""A total deadline for one HTTP attempt, not only httpx's per-read timeout.

httpx's timeouts bound each socket operation; a server that trickles one byte
every few seconds never trips them. `attempt_deadline` bounds the whole
exchange (connect, send, the answer's headers and its whole body, and the token
request the auth flow makes on the way). Waits the client itself decides on
inside that span (the token endpoint's own rate limit) do not count:
`extend_deadline` moves the deadline by them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

import httpx

__all__ = ["AttemptTimeoutError", "attempt_deadline", "extend_deadline"]

_current: ContextVar[asyncio.Timeout | None] = ContextVar(
    "gcsched_attempt_deadline", default=None
)


class AttemptTimeoutError(httpx.TimeoutException):
    """No complete answer within the attempt deadline (a transport failure)."""

    def __init__(self, seconds: float, request: httpx.Request | None = None) -> None:
        super().__init__(f"no complete answer within {seconds:g} s", request=request)
        self.seconds = seconds


@asynccontextmanager
async def attempt_deadline(seconds: float) -> AsyncIterator[None]:
    """Run the body within `seconds`; `AttemptTimeoutError` when it takes longer."""
    scope = asyncio.timeout(seconds)
    try:
        async with scope:
            token = _current.set(scope)
            try:
                yield
            finally:
                _current.reset(token)
    except TimeoutError:
        if not scope.expired():
            raise
        raise AttemptTimeoutError(seconds) from None


def extend_deadline(seconds: float) -> None:
    """Move the current attempt's deadline `seconds` later (no-op outside one)."""
    scope = _current.get()
    if scope is None or seconds <= 0:
        return
    when = scope.when()
    if when is not None:
        scope.reschedule(when + seconds)

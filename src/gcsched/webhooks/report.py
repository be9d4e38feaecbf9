"""What a delivery round did: the report returned to callers and its tally."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

__all__ = ["Borrowed", "DeliveryReport", "Tally"]


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one delivery call did.

    `delivered` and `failed` count this call's attempts (`dead` of the failed ones
    were given up for good); `pending` counts events still waiting in the outbox
    afterwards, `disabled` the endpoints disabled now (after a 410); `errors` holds
    one message per failed attempt, naming the endpoint, never a secret. When the
    journal itself could not be read, `pending` is -1 and `errors` says why.
    """

    delivered: int
    failed: int
    pending: int
    disabled: int
    dead: int = 0
    errors: tuple[str, ...] = ()


@dataclass(slots=True)
class Tally:
    """Counts kept while a round runs (strictly internal)."""

    delivered: int = 0
    failed: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)


class Borrowed(httpx.AsyncBaseTransport):
    """A caller's transport, used by our client without closing it."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        return None

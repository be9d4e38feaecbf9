"""One webhook HTTP attempt: POST, no redirects, bounded time and response size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import httpx

from gcsched.domain.retry_after import parse_retry_after as _parse
from gcsched.webhooks.urls import PinnedTarget

__all__ = ["MAX_RETRY_AFTER", "Attempt", "parse_retry_after", "post"]

MAX_RETRY_AFTER = 24 * 3600.0
"""A `Retry-After` longer than a day is read as a day."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """What one attempt came to.

    `status` is the HTTP status, or 0 when no response arrived; `error` says why it
    failed (None on 2xx); `retry_after` is the endpoint's `Retry-After` in seconds.
    """

    status: int
    error: str | None = None
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        """True for a 2xx answer, the only success."""
        return 200 <= self.status < 300


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds to wait from a `Retry-After` header (delay-seconds or HTTP-date).

    Args:
        value: the header value, or None.
        now: the current time (aware), for HTTP-dates.

    Returns:
        Seconds, clamped to [0, `MAX_RETRY_AFTER`]; None when absent or unreadable.
    """
    seconds = _parse(value, now=now)
    if seconds is None:
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


async def _drain(response: httpx.Response, limit: int) -> None:
    """Read at most `limit` bytes of the body (a body already in memory is skipped)."""
    if response.is_stream_consumed:
        return
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read >= limit:
            return


async def post(
    client: httpx.AsyncClient,
    target: PinnedTarget,
    *,
    body: bytes,
    headers: dict[str, str],
    max_response_bytes: int,
    now: datetime,
) -> Attempt:
    """POST `body` to `target` once; never raises for network or HTTP failures.

    The client's timeout bounds each phase; wrap the call in `asyncio.timeout` to
    bound the whole exchange.

    Args:
        client: an `httpx.AsyncClient` that does not follow redirects.
        target: the pinned URL, Host header and TLS name.
        body: the signed JSON bytes.
        headers: the Standard Webhooks and content headers.
        max_response_bytes: at most this much of the response is read.
        now: the attempt's time, to read an HTTP-date `Retry-After`.

    Returns:
        The `Attempt`: 2xx is success; 3xx, 4xx, 5xx, timeouts and transport
        errors are failures with a message that names no secret.
    """
    request_headers = {**headers, "host": target.host_header}
    try:
        async with client.stream(
            "POST",
            target.url,
            content=body,
            headers=request_headers,
            extensions=dict(target.extensions),
        ) as response:
            await _drain(response, max_response_bytes)
            status = response.status_code
            retry_after = parse_retry_after(
                response.headers.get("retry-after"), now=now
            )
    except httpx.TimeoutException:
        return Attempt(0, f"no answer within {client.timeout.read or 0:g} s")
    except (httpx.HTTPError, OSError) as exc:
        return Attempt(0, f"connection failed ({type(exc).__name__})")
    if 200 <= status < 300:
        return Attempt(status)
    if 300 <= status < 400:
        return Attempt(status, f"HTTP {status}: redirects are not followed")
    return Attempt(status, f"HTTP {status}", retry_after)

"""Per-token pacing: a token bucket aimed just under the API's ceiling.

The bucket is a GCRA (generic cell rate algorithm): each request reserves the
next free slot, so waiters are served in order without a lock. It is sized from
the limits API (``client.credentials.token.rate.per.minute``) times the target
utilisation (90–95 %), and corrected from the ``inin-ratelimit-*`` headers:

* ``allowed`` lower than the limit we use → adopt it (a resource limit binds);
* ``allowed - count`` requests left for ``reset`` seconds is fewer than our pace
  would send → slow down to spread what is left until the reset;
* nothing left → wait for the reset.

What the headers can make the bucket wait is capped: ``reset`` is read as at
most `MAX_HEADER_RESET` seconds (the window is one minute) and ``allowed`` as at
least `MIN_HEADER_LIMIT` per minute, so ``reset: 999999`` or ``allowed: 0.001``
cannot hold the run; a real limit that low still shows as 429s, whose
``Retry-After`` is honoured.

A 429's ``Retry-After`` pauses the whole bucket (every worker), not just the
request that got it. The meaning of the headers is a GUESS (genesys-api.md §5.2):
``count`` used in the current window, ``allowed`` the window cap, ``reset``
seconds until the window resets; the window is taken to be one minute.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable, Mapping

__all__ = ["DEFAULT_RATE_LIMIT", "MAX_HEADER_RESET", "MIN_HEADER_LIMIT", "TokenBucket"]

log = logging.getLogger("gcsched.client")

DEFAULT_RATE_LIMIT = 300
"""Requests per minute per client-credentials token when the limits API is silent."""

MAX_HEADER_RESET = 60.0
"""An ``inin-ratelimit-reset`` longer than this (seconds) is read as this."""

MIN_HEADER_LIMIT = 60.0
"""An ``inin-ratelimit-allowed`` lower than this (per minute) is read as this."""


def _header_float(headers: Mapping[str, str], name: str) -> float | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


class TokenBucket:
    """Paces requests of one OAuth token.

    Args:
        limit_per_minute: the ceiling (requests per minute per token).
        target_utilisation: the share of the ceiling to aim at (0 < t <= 1).
        clock: monotonic seconds.
        sleep: async sleep.
        burst: how many requests may go back to back after idling (default:
            one second's worth, at least 1).
        trust_higher_allowed: adopt a header ``allowed`` above the limit (only
            when the limit is the fallback default, not read from the org).
    """

    def __init__(
        self,
        limit_per_minute: float,
        *,
        target_utilisation: float = 0.92,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        burst: float | None = None,
        trust_higher_allowed: bool = False,
    ) -> None:
        if not 0 < target_utilisation <= 1:
            msg = f"target_utilisation must be in (0, 1], not {target_utilisation}"
            raise ValueError(msg)
        self._target = target_utilisation
        self._clock = clock
        self._sleep = sleep
        self._burst_override = burst
        self._trust_higher = trust_higher_allowed
        self._tat = 0.0  # theoretical arrival time of the next request
        self._slow_interval = 0.0
        self._slow_until = 0.0
        self._paused_until = 0.0
        self.paused_seconds = 0.0
        self.limit_per_minute = 0.0
        self.set_limit(limit_per_minute)

    @property
    def rate(self) -> float:
        """Requests per second the bucket lets through (0 = unlimited)."""
        return self.limit_per_minute * self._target / 60.0

    def set_limit(self, limit_per_minute: float) -> None:
        """Change the ceiling; 0 or less turns pacing off."""
        self.limit_per_minute = max(0.0, float(limit_per_minute))
        rate = self.rate
        self._interval = 1.0 / rate if rate > 0 else 0.0
        burst = self._burst_override or max(1.0, rate)
        self._tau = (burst - 1.0) * self._interval

    async def acquire(self) -> float:
        """Wait for this request's slot; returns the seconds waited."""
        if self._interval == 0.0:
            return 0.0
        now = self._clock()
        interval = self._interval
        if now < self._slow_until:
            interval = max(interval, self._slow_interval)
        start = max(now, self._tat - self._tau)
        self._tat = max(self._tat, start) + interval
        wait = start - now
        if wait > 0:
            await self._sleep(wait)
        return max(wait, 0.0)

    def pause(self, seconds: float) -> None:
        """Let nothing through for `seconds` (a 429's Retry-After)."""
        until = self._clock() + seconds
        self.paused_seconds += seconds
        self._paused_until = max(self._paused_until, until)
        self._tat = max(self._tat, until + self._tau)

    def pause_left(self) -> float:
        """Seconds until the last `pause` ends (0 when not paused)."""
        return max(0.0, self._paused_until - self._clock())

    def observe(self, headers: Mapping[str, str], *, where: str = "") -> None:
        """Correct the pace from a response's ``inin-ratelimit-*`` headers.

        Args:
            headers: the answer's headers.
            where: the request they came with (``GET /api/...``), for the log.
        """
        allowed = _header_float(headers, "inin-ratelimit-allowed")
        count = _header_float(headers, "inin-ratelimit-count")
        reset = _header_float(headers, "inin-ratelimit-reset")
        if allowed is None or allowed <= 0:
            return
        said = f" (answer to {where})" if where else ""
        if allowed < MIN_HEADER_LIMIT:
            log.warning(
                "inin-ratelimit-allowed %g/min%s read as %g/min: a lower limit "
                "shows as 429s, whose Retry-After is honoured",
                allowed,
                said,
                MIN_HEADER_LIMIT,
            )
            allowed = MIN_HEADER_LIMIT
        if reset is not None and reset > MAX_HEADER_RESET:
            log.warning(
                "inin-ratelimit-reset %g s%s read as %g s (the window is a minute)",
                reset,
                said,
                MAX_HEADER_RESET,
            )
            reset = MAX_HEADER_RESET
        if allowed < self.limit_per_minute or (
            self._trust_higher and allowed != self.limit_per_minute
        ):
            log.info("rate limit corrected from headers: %s/min", allowed)
            self.set_limit(allowed)
        if count is None or reset is None:
            return
        left = allowed - count
        now = self._clock()
        if left <= 0:
            self._tat = max(self._tat, now + reset + self._tau)
            return
        if reset > 0 and self._interval > 0:
            spread = reset / (left * self._target)
            if spread > self._interval:
                self._slow_interval = spread
                self._slow_until = now + reset

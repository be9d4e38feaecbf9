"""Per-token pacing: spend each minute's budget, never more.

The API allows ``limit`` requests per token per minute
(``client.credentials.token.rate.per.minute``, read from the limits API at the
start of a run). Whether its window is fixed or sliding is undocumented
(genesys-api.md §5.2), so the pacer keeps the one rule that is safe under
both: **at most ``BUDGET_SHARE × limit`` requests are let go in any span of
one window** (60 s, plus `WINDOW_SLACK` for the spread of network latency
between our send time and the server's arrival time). It is a sliding window
over the send times of the last ``budget`` requests:

* a run that fits in one budget goes at network speed (bounded only by the
  concurrency, `DEFAULT_CONCURRENCY`): nothing waits;
* a longer run sends a budget, waits until the oldest of its sends leaves the
  window, and so on: every minute's budget is used, none is exceeded.

A 429's ``Retry-After`` (`pause`) holds every worker, including those already
waiting for a slot, not just the request that got it.

The pacer reads no response headers. The ``inin-ratelimit-*`` headers that
older versions corrected the pace from were removed from the API in June 2021;
the limits API value and ``Retry-After`` are the only inputs.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable

__all__ = [
    "BUDGET_SHARE",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_RATE_LIMIT",
    "MAX_CONCURRENCY",
    "WINDOW_SECONDS",
    "WINDOW_SLACK",
    "SlidingWindowPacer",
    "TokenBucket",
]

DEFAULT_RATE_LIMIT = 300
"""Requests per minute per client-credentials token when the limits API is silent."""

BUDGET_SHARE = 0.95
"""The share of the limit the pacer lets go per window; the rest is headroom
for the API's own counting (other callers of the same token, clock edges)."""

WINDOW_SECONDS = 60.0
"""The API's rate window (one minute)."""

WINDOW_SLACK = 1.0
"""Seconds added to the window: a request sent just after the window closes
may arrive before a slow one sent at its start (latency spread)."""

DEFAULT_CONCURRENCY = 16
"""API writes in flight at once by default. A real org is 50–150 ms away:
at ~100 ms per request 16 workers send ~160 requests/s, so a minute's budget
(285 at 300/min) goes in under 2 s and a typical run is bound by the network,
not by waiting; more workers would not shorten runs longer than a budget
(those are bound by the window) and would only widen the bursts."""

MAX_CONCURRENCY = 32
"""The most requests one client has in flight (``--concurrency`` allows up to this)."""


class SlidingWindowPacer:
    """Paces the requests of one OAuth token over a sliding window.

    Args:
        limit_per_minute: the ceiling (requests per minute per token); 0 or
            less turns pacing off (``Retry-After`` pauses still hold).
        target_utilisation: the share of the ceiling to let go per window
            (0 < t <= 1); default `BUDGET_SHARE`.
        clock: monotonic seconds.
        sleep: async sleep.
        window: the window, seconds (default `WINDOW_SECONDS` + `WINDOW_SLACK`).
    """

    def __init__(
        self,
        limit_per_minute: float,
        *,
        target_utilisation: float = BUDGET_SHARE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        window: float = WINDOW_SECONDS + WINDOW_SLACK,
    ) -> None:
        if not 0 < target_utilisation <= 1:
            msg = f"target_utilisation must be in (0, 1], not {target_utilisation}"
            raise ValueError(msg)
        if not window > 0:
            msg = f"window must be > 0 seconds, not {window}"
            raise ValueError(msg)
        self._target = target_utilisation
        self._clock = clock
        self._sleep = sleep
        self.window = window
        self._sent: deque[float] = deque()
        self._lock = asyncio.Lock()
        self._paused_until = -math.inf
        self.paused_seconds = 0.0
        self.limit_per_minute = 0.0
        self.budget = 0
        self.set_limit(limit_per_minute)

    def set_limit(self, limit_per_minute: float) -> None:
        """Change the ceiling; 0 or less turns pacing off."""
        self.limit_per_minute = max(0.0, float(limit_per_minute))
        share = self.limit_per_minute * self._target
        self.budget = max(1, math.floor(share)) if share > 0 else 0

    def _next_free(self, now: float) -> float:
        """When the next request may go, by the window alone."""
        sent = self._sent
        while sent and sent[0] <= now - self.window:
            sent.popleft()
        if self.budget == 0 or len(sent) < self.budget:
            return now
        return sent[-self.budget] + self.window

    async def acquire(self) -> float:
        """Wait for this request's slot and take it; returns the seconds waited.

        Waiters are served in order (the lock is fair); one that is woken
        looks again, so a `pause` that came while it slept holds it too.
        """
        waited = 0.0
        async with self._lock:
            while True:
                now = self._clock()
                ready = max(self._paused_until, self._next_free(now))
                if ready <= now:
                    break
                await self._sleep(ready - now)
                waited += ready - now
            if self.budget > 0:
                self._sent.append(now)
        return waited

    def pause(self, seconds: float) -> None:
        """Let nothing through for `seconds` (a 429's Retry-After)."""
        self.paused_seconds += seconds
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def pause_left(self) -> float:
        """Seconds until the last `pause` ends (0 when not paused)."""
        return max(0.0, self._paused_until - self._clock())

    def sent_in_window(self) -> int:
        """Requests let go within the last window."""
        self._next_free(self._clock())
        return len(self._sent)


TokenBucket = SlidingWindowPacer
"""The pacer's former name (it was a token bucket), kept for callers of it."""

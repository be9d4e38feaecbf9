"""Per-token request limiting over 60-second windows, fixed or sliding.

Genesys does not document its window (genesys-api.md §5.2), so the sandbox
offers both (``--rate-window``): ``fixed`` (the default) counts requests in
windows that start at a token's first request and last 60 s, then start again
at the next request; ``sliding`` counts the requests of the last 60 s at every
request. A client that never sends more than the limit in any 60 s span passes
both; one that bursts at a fixed window's edge is refused by ``sliding``.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from gcsched.sandbox.guesses import UNLIMITED_ALLOWED

__all__ = ["RATE_WINDOWS", "RateDecision", "RateLimiter", "RateWindow"]

WINDOW_SECONDS: Final = 60

RateWindow = Literal["fixed", "sliding"]
RATE_WINDOWS: Final[tuple[RateWindow, ...]] = ("fixed", "sliding")
"""The window kinds; the first is the default."""


@dataclass(frozen=True, slots=True)
class RateDecision:
    """The outcome for one request: allowed or not, and the header values."""

    allowed: bool
    limit: int
    count: int
    reset: int

    def headers(self) -> dict[str, str]:
        """Return the ``inin-ratelimit-*`` headers."""
        return {
            "inin-ratelimit-allowed": str(self.limit),
            "inin-ratelimit-count": str(self.count),
            "inin-ratelimit-reset": str(self.reset),
        }


class RateLimiter:
    """Count requests per token in fixed or sliding 60 s windows.

    Args:
        limit: requests per window; 0 turns limiting off.
        clock: seconds (the sandbox state's clock).
        window: ``fixed`` (windows start at first use) or ``sliding`` (the
            last 60 s at every request).
    """

    def __init__(
        self, limit: int, clock: Callable[[], float], window: str = "fixed"
    ) -> None:
        if window not in RATE_WINDOWS:
            msg = (
                f"rate window must be one of {', '.join(RATE_WINDOWS)}, not {window!r}"
            )
            raise ValueError(msg)
        self.limit = limit
        self.clock = clock
        self.window = window
        self._windows: dict[str, tuple[float, int]] = {}
        self._recent: dict[str, deque[float]] = {}

    def hit(self, key: str) -> RateDecision:
        """Count one request for `key` (a token hash) and decide.

        Args:
            key: the token's identity.

        Returns:
            Whether it may pass, with header values; a refused request does
            not count.
        """
        if self.window == "sliding":
            return self._hit_sliding(key)
        now = self.clock()
        start, count = self._windows.get(key, (now, 0))
        if now - start >= WINDOW_SECONDS:
            start, count = now, 0
        reset = max(1, math.ceil(start + WINDOW_SECONDS - now))
        if self.limit <= 0:
            self._windows[key] = (start, count + 1)
            return RateDecision(True, UNLIMITED_ALLOWED, count + 1, reset)
        if count >= self.limit:
            self._windows[key] = (start, count)
            return RateDecision(False, self.limit, count, reset)
        self._windows[key] = (start, count + 1)
        return RateDecision(True, self.limit, count + 1, reset)

    def _hit_sliding(self, key: str) -> RateDecision:
        now = self.clock()
        recent = self._recent.setdefault(key, deque())
        while recent and recent[0] <= now - WINDOW_SECONDS:
            recent.popleft()
        if self.limit <= 0:
            recent.append(now)
            return RateDecision(True, UNLIMITED_ALLOWED, len(recent), WINDOW_SECONDS)
        if len(recent) >= self.limit:
            # The request may pass once the oldest that keeps the count at the
            # limit has left the window.
            frees = recent[len(recent) - self.limit] + WINDOW_SECONDS
            reset = max(1, math.ceil(frees - now))
            return RateDecision(False, self.limit, len(recent), reset)
        recent.append(now)
        reset = max(1, math.ceil(recent[0] + WINDOW_SECONDS - now))
        return RateDecision(True, self.limit, len(recent), reset)

    def peek(self) -> RateDecision:
        """Header values for a request that has no token yet."""
        limit = self.limit if self.limit > 0 else UNLIMITED_ALLOWED
        return RateDecision(True, limit, 0, WINDOW_SECONDS)

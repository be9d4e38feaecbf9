"""Per-token request limiting with a fixed 60-second window, like the platform."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from gcsched.sandbox.guesses import UNLIMITED_ALLOWED

__all__ = ["RateDecision", "RateLimiter"]

WINDOW_SECONDS: Final = 60


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
    """Count requests per token in fixed windows that start at first use.

    Args:
        limit: requests per window; 0 turns limiting off.
        clock: seconds (the sandbox state's clock).
    """

    def __init__(self, limit: int, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.clock = clock
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, key: str) -> RateDecision:
        """Count one request for `key` (a token hash) and decide.

        Args:
            key: the token's identity.

        Returns:
            Whether it may pass, with header values; a refused request does
            not count.
        """
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

    def peek(self) -> RateDecision:
        """Header values for a request that has no token yet."""
        limit = self.limit if self.limit > 0 else UNLIMITED_ALLOWED
        return RateDecision(True, limit, 0, WINDOW_SECONDS)

"""What a client really did: requests by route and status, 429s, tokens."""

from __future__ import annotations

from typing import Any

__all__ = ["Stats"]


class Stats:
    """Counters behind ``GET /sandbox/stats``."""

    def __init__(self, guesses: dict[str, str] | None = None) -> None:
        self.guesses = dict(guesses or {})
        self.requests: dict[str, dict[str, int]] = {}
        self.rate_limited = 0
        self.tokens_minted = 0
        self.faults: dict[str, int] = {}

    def record(self, route: str, status: int) -> None:
        """Count one answered request of `route` (``METHOD /template``)."""
        by_status = self.requests.setdefault(route, {})
        key = str(status)
        by_status[key] = by_status.get(key, 0) + 1
        if status == 429:
            self.rate_limited += 1

    def fault(self, kind: str) -> None:
        """Count one injected fault of `kind`."""
        self.faults[kind] = self.faults.get(kind, 0) + 1

    def to_json(self) -> dict[str, Any]:
        """Return the JSON answer of ``GET /sandbox/stats``."""
        return {
            "requests": {r: dict(s) for r, s in sorted(self.requests.items())},
            "rate_limited": self.rate_limited,
            "tokens_minted": self.tokens_minted,
            "requests_total": sum(sum(s.values()) for s in self.requests.values()),
            "faults": dict(sorted(self.faults.items())),
            "guesses": dict(self.guesses),
        }

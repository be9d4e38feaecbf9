"""What the client did: requests by route and status, 429s, retries, latency."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

__all__ = ["ClientStats"]


def _percentile(samples: list[float], q: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class ClientStats:
    """Counters of one `GenesysClient`; every attempt counts.

    Attributes:
        requests: attempts by (method, route template, status); status 0 for a
            transport failure.
        throttled: 429 answers.
        retries: attempts that were retries.
        token_requests: calls to the token endpoint (set by the client).
        latencies: seconds per attempt.
    """

    requests: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    throttled: int = 0
    retries: int = 0
    token_requests: int = 0
    waited_for_pace: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def attempts(self) -> int:
        """API attempts sent (token requests excluded)."""
        return sum(self.requests.values())

    def by_route(self) -> dict[str, int]:
        """Attempts per ``METHOD route``."""
        out: Counter[str] = Counter()
        for (method, route, _status), n in self.requests.items():
            out[f"{method} {route}"] += n
        return dict(out)

    def by_status(self) -> dict[int, int]:
        """Attempts per status."""
        out: Counter[int] = Counter()
        for (_method, _route, status), n in self.requests.items():
            out[status] += n
        return dict(out)

    def p50(self) -> float:
        """Median latency in seconds."""
        return _percentile(self.latencies, 0.50)

    def p95(self) -> float:
        """95th percentile latency in seconds."""
        return _percentile(self.latencies, 0.95)

    def p99(self) -> float:
        """99th percentile latency in seconds."""
        return _percentile(self.latencies, 0.99)

    def as_dict(self) -> dict[str, object]:
        """A JSON-able summary."""
        return {
            "requests": self.attempts + self.token_requests,
            "attempts": self.attempts,
            "token_requests": self.token_requests,
            "throttled": self.throttled,
            "retries": self.retries,
            "by_route": self.by_route(),
            "by_status": {str(k): v for k, v in sorted(self.by_status().items())},
            "latency_p50": self.p50(),
            "latency_p95": self.p95(),
            "latency_p99": self.p99(),
        }

"""Per-run metrics: a hook that aggregates events into one account of the run.

Install a `RunMetrics` for the duration of an apply (`hooks_installed(metrics)`),
then store `metrics.summary()` with the run and, with ``--metrics-file``, hand it
to an exporter: `gcsched.telemetry.prometheus.write_textfile(metrics, path)`.
Exporters depend on this module, never the reverse.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any, Final

from gcsched.telemetry.events import (
    ApplyStepFinished,
    Event,
    RateLimited,
    RequestCompleted,
    RetryScheduled,
    RunFinished,
    RunStarted,
    TokenRenewed,
    ValidationFailed,
    WebhookDelivered,
)
from gcsched.telemetry.redact import redact

__all__ = ["QUANTILES", "RunMetrics", "percentile"]

QUANTILES: Final = (0.5, 0.95, 0.99)
_SCHEDULE_ACTIONS: Final = frozenset({"create", "update", "delete"})


def percentile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank `q`-quantile (0 < q ≤ 1) of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def _latency(values: Sequence[float]) -> dict[str, Any]:
    result: dict[str, Any] = {"count": len(values)}
    for q in QUANTILES:
        result[f"p{round(q * 100)}"] = percentile(values, q)
    return result


class RunMetrics:
    """A telemetry hook aggregating one run's events (thread-safe)."""

    def __init__(self) -> None:
        self._mutex = threading.RLock()
        self.run_id: str | None = None
        self.run_status: str | None = None
        self.run_seconds: float | None = None
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.latencies: dict[tuple[str, str], list[float]] = {}
        self.throttled = 0
        self.retry_after: list[float] = []
        self.retries: Counter[str] = Counter()
        self.token_renewals: Counter[str] = Counter()
        self.validation_failures = 0
        self.validation_problems = 0
        self.steps: Counter[tuple[str, str]] = Counter()
        self.webhooks: Counter[tuple[str, int]] = Counter()

    def __call__(self, event: Event) -> None:
        """Fold `event` into the totals."""
        with self._mutex:
            self._record(event)

    def _record(self, event: Event) -> None:
        match event:
            case RequestCompleted(method=method, route=route, status=status):
                self.requests[(method, route, status)] += 1
                self.latencies.setdefault((method, route), []).append(event.seconds)
                if status == 429:
                    self.throttled += 1
            case RateLimited(retry_after=retry_after):
                if retry_after is not None:
                    self.retry_after.append(retry_after)
            case RetryScheduled(reason=reason):
                self.retries[reason] += 1
            case TokenRenewed(reason=reason):
                self.token_renewals[reason] += 1
            case ValidationFailed(problems=problems):
                self.validation_failures += 1
                self.validation_problems += problems
            case RunStarted(run_id=run_id):
                self.run_id = run_id
            case ApplyStepFinished(action=action, status=status):
                self.steps[(action, status)] += 1
            case RunFinished(status=status, seconds=seconds):
                self.run_status = status
                self.run_seconds = seconds
            case WebhookDelivered(event_type=event_type, status=status):
                self.webhooks[(event_type, status)] += 1

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold off new events while an exporter reads the totals."""
        with self._mutex:
            yield

    # ---------------------------------------------------------------- results
    def _request_success_rate(self) -> float | None:
        total = sum(self.requests.values())
        if not total:
            return None
        ok = sum(
            n for (_, _, status), n in self.requests.items() if 200 <= status < 300
        )
        return ok / total

    def _step_success_rate(self) -> float | None:
        done = sum(n for (_, status), n in self.steps.items() if status != "skipped")
        if not done:
            return None
        return self._steps_with("confirmed") / done

    def _steps_with(self, status: str) -> int:
        return sum(n for (_, s), n in self.steps.items() if s == status)

    def schedules_changed(self) -> int:
        """Confirmed create, update and delete steps (pacing is not a schedule)."""
        return sum(
            n
            for (action, status), n in self.steps.items()
            if status == "confirmed" and action in _SCHEDULE_ACTIONS
        )

    def summary(self) -> dict[str, Any]:
        """A JSON-able summary of the run, stored with it and shown by `runs show`."""
        with self._mutex:
            all_latencies = [s for values in self.latencies.values() for s in values]
            by_route: dict[str, dict[str, Any]] = {}
            for (method, route, status), n in sorted(self.requests.items()):
                key = redact(f"{method} {route}")
                entry = by_route.setdefault(key, {"by_status": {}})
                entry["by_status"][str(status)] = n
            for (method, route), values in self.latencies.items():
                by_route[redact(f"{method} {route}")]["latency_seconds"] = _latency(
                    values
                )
            steps: dict[str, int] = Counter()
            for (_, step_status), n in self.steps.items():
                steps[step_status] += n
            return {
                "run_id": self.run_id,
                "status": self.run_status,
                "seconds": self.run_seconds,
                "requests": {
                    "total": sum(self.requests.values()),
                    "throttled_429": self.throttled,
                    "retries": sum(self.retries.values()),
                    "retries_by_reason": dict(sorted(self.retries.items())),
                    "success_rate": self._request_success_rate(),
                    "latency_seconds": _latency(all_latencies),
                    "by_route": by_route,
                },
                "token_renewals": sum(self.token_renewals.values()),
                "validation_failures": self.validation_failures,
                "steps": dict(sorted(steps.items())),
                "step_success_rate": self._step_success_rate(),
                "schedules_changed": self.schedules_changed(),
                "webhooks": {
                    "attempts": sum(self.webhooks.values()),
                    "delivered": sum(
                        n for (_, s), n in self.webhooks.items() if 200 <= s < 300
                    ),
                },
            }

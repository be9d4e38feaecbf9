"""OpenTelemetry exporter hook (optional extra ``gcsched[otel]``).

The same metrics as `RunMetrics`, as OTel instruments, plus one trace per run:
a ``gcsched.apply`` span from `RunStarted` to `RunFinished` with one child span
per step (`ApplyStepFinished`, back-dated by the step's duration). The
``opentelemetry`` packages are imported only when an `OTelHook` is created, so
gcsched runs without them.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Final

from gcsched.errors import InputError
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

__all__ = ["OTelHook"]

_SCHEDULE_ACTIONS: Final = frozenset({"create", "update", "delete"})
_BAD_STEPS: Final = frozenset({"failed", "conflict"})


class OTelHook:
    """A telemetry hook exporting metrics and traces through OpenTelemetry."""

    def __init__(
        self, *, tracer_provider: Any = None, meter_provider: Any = None
    ) -> None:
        """Create the tracer and instruments.

        Args:
            tracer_provider: an OTel ``TracerProvider`` (the global one if None).
            meter_provider: an OTel ``MeterProvider`` (the global one if None).

        Raises:
            InputError: opentelemetry is not installed (names the extra).
        """
        try:
            from opentelemetry import metrics, trace
        except ImportError as exc:  # pragma: no cover - the extra is installed in CI
            msg = "OpenTelemetry export needs the extra: pip install 'gcsched[otel]'"
            raise InputError(msg) from exc
        self._trace = trace
        tracers = tracer_provider or trace.get_tracer_provider()
        meters = meter_provider or metrics.get_meter_provider()
        self._tracer = tracers.get_tracer("gcsched")
        meter = meters.get_meter("gcsched")
        self._requests = meter.create_counter(
            "gcsched.api.requests", description="API requests (each attempt)"
        )
        self._duration = meter.create_histogram(
            "gcsched.api.request.duration", unit="s", description="Request latency"
        )
        self._throttled = meter.create_counter(
            "gcsched.api.throttled", description="429 answers"
        )
        self._retries = meter.create_counter("gcsched.api.retries")
        self._renewals = meter.create_counter("gcsched.token.renewals")
        self._validation = meter.create_counter("gcsched.validation.failures")
        self._steps = meter.create_counter("gcsched.apply.steps")
        self._changed = meter.create_counter("gcsched.schedules.changed")
        self._webhooks = meter.create_counter("gcsched.webhook.deliveries")
        self._runs: dict[str, Any] = {}
        self._mutex = threading.Lock()

    def __call__(self, event: Event) -> None:
        """Record `event` as metrics and spans."""
        match event:
            case RequestCompleted():
                attrs = {"method": event.method, "route": event.route}
                self._requests.add(1, {**attrs, "status": event.status})
                self._duration.record(event.seconds, attrs)
                if event.status == 429:
                    self._throttled.add(1, {"route": event.route})
            case RateLimited():
                pass  # counted from the 429 RequestCompleted
            case RetryScheduled():
                self._retries.add(1, {"reason": event.reason})
            case TokenRenewed():
                self._renewals.add(1, {"reason": event.reason})
            case ValidationFailed():
                self._validation.add(1)
            case WebhookDelivered():
                self._webhooks.add(
                    1, {"event_type": event.event_type, "status": event.status}
                )
            case RunStarted():
                self._start_run(event)
            case ApplyStepFinished():
                self._step(event)
            case RunFinished():
                self._finish_run(event)

    def _start_run(self, event: RunStarted) -> None:
        span = self._tracer.start_span(
            "gcsched.apply",
            attributes={
                "gcsched.run_id": event.run_id,
                "gcsched.steps": event.steps,
                "gcsched.resumed": event.resumed,
            },
        )
        with self._mutex:
            self._runs[event.run_id] = span

    def _step(self, event: ApplyStepFinished) -> None:
        attrs = {"action": event.action, "status": event.status}
        self._steps.add(1, attrs)
        if event.status == "confirmed" and event.action in _SCHEDULE_ACTIONS:
            self._changed.add(1)
        with self._mutex:
            parent = self._runs.get(event.run_id)
        context = None if parent is None else self._trace.set_span_in_context(parent)
        end = time.time_ns()
        span = self._tracer.start_span(
            f"gcsched.step {event.action}",
            context=context,
            start_time=end - int(event.seconds * 1e9),
            attributes={
                "gcsched.run_id": event.run_id,
                "gcsched.step_id": event.step_id,
                "gcsched.action": event.action,
                "gcsched.kind": event.kind,
                "gcsched.target": event.target_name,
                "gcsched.status": event.status,
            },
        )
        if event.status in _BAD_STEPS:
            span.set_status(
                self._trace.Status(self._trace.StatusCode.ERROR, event.status)
            )
        span.end(end_time=end)

    def _finish_run(self, event: RunFinished) -> None:
        with self._mutex:
            span = self._runs.pop(event.run_id, None)
        if span is None:
            return
        span.set_attribute("gcsched.status", event.status)
        if event.status == "failed":
            span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, "failed"))
        span.end()

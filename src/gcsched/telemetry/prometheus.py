"""`RunMetrics` as Prometheus text (node-exporter textfile-collector style).

Every metric is named ``gcsched_*``. Counters hold the run's totals; latency
quantiles are gauges with a ``quantile`` label (the run is over: there is
nothing left to observe), next to a histogram of the same latencies.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import write_to_textfile as _write

from gcsched.telemetry.redact import redact

if TYPE_CHECKING:
    from gcsched.telemetry.metrics import RunMetrics

__all__ = ["build_registry", "write_textfile"]

_BUCKETS: Final = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def build_registry(metrics: RunMetrics) -> CollectorRegistry:
    """A fresh registry holding the run's metrics (label values redacted)."""
    from gcsched.telemetry.metrics import QUANTILES, percentile

    registry = CollectorRegistry()
    requests = Counter(
        "gcsched_api_requests",
        "API requests (each attempt) by method, route and status.",
        ["method", "route", "status"],
        registry=registry,
    )
    for (method, route, status), n in metrics.requests.items():
        requests.labels(method, redact(route), str(status)).inc(n)
    Counter(
        "gcsched_api_throttled", "429 answers from the API.", registry=registry
    ).inc(metrics.throttled)
    retries = Counter(
        "gcsched_api_retries", "Retries by reason.", ["reason"], registry=registry
    )
    for reason, n in metrics.retries.items():
        retries.labels(reason).inc(n)
    renewals = Counter(
        "gcsched_token_renewals", "OAuth tokens minted.", ["reason"], registry=registry
    )
    for reason, n in metrics.token_renewals.items():
        renewals.labels(reason).inc(n)
    latency = Gauge(
        "gcsched_api_latency_seconds",
        "Request latency quantiles of the run, per route ('all' for every route).",
        ["route", "quantile"],
        registry=registry,
    )
    histogram = Histogram(
        "gcsched_api_request_duration_seconds",
        "Request latency.",
        buckets=_BUCKETS,
        registry=registry,
    )
    every: list[float] = []
    for route, values in sorted(metrics.latencies.items()):
        every.extend(values)
        for value in values:
            histogram.observe(value)
        for q in QUANTILES:
            latency.labels(redact(route), str(q)).set(percentile(values, q) or 0.0)
    for q in QUANTILES:
        if every:
            latency.labels("all", str(q)).set(percentile(every, q) or 0.0)
    Counter(
        "gcsched_validation_failures",
        "Schedule files that failed validation.",
        registry=registry,
    ).inc(metrics.validation_failures)
    steps = Counter(
        "gcsched_apply_steps",
        "Apply steps by action and final status.",
        ["action", "status"],
        registry=registry,
    )
    for (action, step_status), n in metrics.steps.items():
        steps.labels(action, step_status).inc(n)
    Counter(
        "gcsched_schedules_changed",
        "Schedules created, updated or deleted.",
        registry=registry,
    ).inc(metrics.schedules_changed())
    summary = metrics.summary()
    ratio = Gauge(
        "gcsched_success_ratio",
        "Share of successful requests (2xx) and steps (confirmed).",
        ["of"],
        registry=registry,
    )
    for of, value in (
        ("requests", summary["requests"]["success_rate"]),
        ("steps", summary["step_success_rate"]),
    ):
        if value is not None:
            ratio.labels(of).set(value)
    hooks = Counter(
        "gcsched_webhook_deliveries",
        "Webhook delivery attempts by event type and HTTP status (0: transport).",
        ["event_type", "status"],
        registry=registry,
    )
    for (event_type, status), n in metrics.webhooks.items():
        hooks.labels(event_type, str(status)).inc(n)
    if metrics.run_seconds is not None:
        Gauge(
            "gcsched_run_duration_seconds", "Duration of the run.", registry=registry
        ).set(metrics.run_seconds)
    if metrics.run_id is not None:
        Gauge(
            "gcsched_run_info",
            "The run these metrics describe (value 1).",
            ["run_id", "status"],
            registry=registry,
        ).labels(metrics.run_id, metrics.run_status or "open").set(1)
    return registry


def write_textfile(metrics: RunMetrics, path: Path) -> None:
    """Write `metrics` to `path` (temporary file + rename), creating its parent.

    Raises:
        OSError: the directory or file cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(str(path), build_registry(metrics))

"""`RunMetrics` as Prometheus text (node-exporter textfile-collector style).

Every metric is named ``gcsched_*``. Counters hold the run's totals. Request
latency is a summary per route (the run's exact p50, p95 and p99 with a
``quantile`` label, plus ``_sum`` and ``_count``: the run is over, so the
quantiles are computed once, client-side, which is what a summary is for),
next to a histogram of every request's latency for ``histogram_quantile``.
The exporter reads `RunMetrics`; the data class knows nothing of it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import write_to_textfile as _write
from prometheus_client.metrics_core import Metric, SummaryMetricFamily
from prometheus_client.registry import Collector
from prometheus_client.samples import Sample

from gcsched.errors import InputError
from gcsched.telemetry.metrics import QUANTILES, RunMetrics, percentile
from gcsched.telemetry.redact import redact

__all__ = ["build_registry", "write_textfile"]

_BUCKETS: Final = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_LATENCY: Final = "gcsched_api_latency_seconds"


class _LatencySummary(Collector):
    """The run's request latency per route as a Prometheus summary."""

    def __init__(self, latencies: dict[tuple[str, str], list[float]]) -> None:
        self._latencies = {key: list(values) for key, values in latencies.items()}

    def collect(self) -> Iterator[Metric]:
        family = SummaryMetricFamily(
            _LATENCY,
            "Request latency of the run by method and route: "
            "exact quantiles, sum and count.",
            labels=["method", "route"],
        )
        for (method, route), values in sorted(self._latencies.items()):
            labels = {"method": method, "route": redact(route)}
            for q in QUANTILES:
                value = percentile(values, q)
                if value is not None:
                    family.samples.append(
                        Sample(_LATENCY, {**labels, "quantile": str(q)}, value)
                    )
            family.add_metric([method, labels["route"]], len(values), sum(values))
        yield family


def build_registry(metrics: RunMetrics) -> CollectorRegistry:
    """A fresh registry holding the run's metrics (label values redacted)."""
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
    registry.register(_LatencySummary(metrics.latencies))
    histogram = Histogram(
        "gcsched_api_request_duration_seconds",
        "Request latency.",
        buckets=_BUCKETS,
        registry=registry,
    )
    for values in metrics.latencies.values():
        for value in values:
            histogram.observe(value)
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


def write_textfile(metrics: RunMetrics, path: str | os.PathLike[str]) -> None:
    """Write `metrics` to `path` (temporary file + rename), creating its parent.

    Raises:
        InputError: the directory or file cannot be written (names the path).
    """
    file = Path(path)
    with metrics.locked():
        registry = build_registry(metrics)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        _write(str(file), registry)
    except OSError as exc:
        msg = f"cannot write the metrics file {file}: {exc.strerror or exc}"
        raise InputError(msg) from exc

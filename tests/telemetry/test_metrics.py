"""RunMetrics: aggregation and percentiles (the exporter: test_prometheus.py)."""

from __future__ import annotations

import json

import pytest
from sample_run import ROUTE, feed

from gcsched.telemetry import RunMetrics, ValidationFailed
from gcsched.telemetry.metrics import percentile


def test_percentile_nearest_rank() -> None:
    """Nearest-rank percentiles: p50 of 1..100 is 50, p99 is 99, empty is None."""
    values = [float(i) for i in range(100, 0, -1)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([], 0.5) is None


def test_summary_aggregates_the_run() -> None:
    """Requests, 429s, retries, renewals, latency, steps and rates add up."""
    metrics = RunMetrics()
    feed(metrics)
    metrics(ValidationFailed(path="x.yaml", problems=3))
    summary = metrics.summary()
    json.dumps(summary)  # JSON-able
    assert summary["run_id"] == "r1"
    assert (summary["status"], summary["seconds"]) == ("partial", 12.5)
    requests = summary["requests"]
    assert requests["total"] == 103
    assert requests["throttled_429"] == 1
    assert requests["retries"] == 2
    assert requests["retries_by_reason"] == {"429": 1, "503": 1}
    assert requests["success_rate"] == pytest.approx(101 / 103)
    put = requests["by_route"][f"PUT {ROUTE}"]
    assert put["by_status"] == {"200": 100, "429": 1}
    assert put["latency_seconds"]["p50"] == 0.5  # rank 51 of 101, the 429
    assert put["latency_seconds"]["p99"] == pytest.approx(0.99)  # rank 100 of 101
    assert put["latency_seconds"]["count"] == 101
    assert requests["latency_seconds"]["count"] == 103
    assert summary["token_renewals"] == 2
    assert summary["validation_failures"] == 1
    assert summary["steps"] == {"confirmed": 2, "conflict": 1, "skipped": 1}
    assert summary["step_success_rate"] == pytest.approx(2 / 3)
    assert summary["schedules_changed"] == 1  # pacing is not a schedule
    assert summary["webhooks"] == {"attempts": 2, "delivered": 1}


def test_empty_run_summary_has_no_rates() -> None:
    """With no events the rates are None, not a division error."""
    summary = RunMetrics().summary()
    assert summary["requests"]["success_rate"] is None
    assert summary["step_success_rate"] is None
    assert summary["requests"]["latency_seconds"]["p95"] is None

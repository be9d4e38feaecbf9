"""RunMetrics: aggregation, percentiles and the Prometheus text file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from gcsched.errors import InputError
from gcsched.telemetry import (
    ApplyStepFinished,
    Event,
    RateLimited,
    RequestCompleted,
    RetryScheduled,
    RunFinished,
    RunMetrics,
    RunStarted,
    TokenRenewed,
    ValidationFailed,
    WebhookDelivered,
    emit,
    hooks_installed,
)
from gcsched.telemetry.metrics import percentile

ROUTE = "/api/v2/outbound/schedules/campaigns/{id}"


def _feed(metrics: RunMetrics) -> None:
    events: list[Event] = [
        RunStarted(run_id="r1", steps=4),
        TokenRenewed(reason="initial"),
        *(RequestCompleted("PUT", ROUTE, 200, (i + 1) / 100) for i in range(100)),
        RequestCompleted("PUT", ROUTE, 429, 0.5),
        RateLimited(route=ROUTE, retry_after=2.0),
        RetryScheduled("PUT", ROUTE, "429", 2.0, 1),
        RequestCompleted("GET", "/api/v2/organizations/me", 200, 0.2),
        RequestCompleted("GET", "/api/v2/organizations/me", 503, 0.3),
        RetryScheduled("GET", "/api/v2/organizations/me", "503", 1.0, 1),
        TokenRenewed(reason="401"),
        ApplyStepFinished("r1", 1, "create", "campaign", "A", "confirmed", 0.1),
        ApplyStepFinished("r1", 2, "update", "campaign", "B", "conflict", 0.1),
        ApplyStepFinished("r1", 3, "pacing", "campaign", "B", "confirmed", 0.1),
        ApplyStepFinished("r1", 4, "delete", "campaign", "C", "skipped", 0.0),
        WebhookDelivered("https://h.example/x", "schedule.created", 204, True),
        WebhookDelivered("https://h.example/x", "run.completed", 503, False),
        RunFinished(run_id="r1", status="partial", seconds=12.5),
    ]
    with hooks_installed(metrics):
        for event in events:
            emit(event)


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
    _feed(metrics)
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


def test_prometheus_file_parses(tmp_path: Path) -> None:
    """The metrics file is valid Prometheus text with gcsched_* metrics."""
    metrics = RunMetrics()
    _feed(metrics)
    path = tmp_path / "out" / "gcsched.prom"
    metrics.write_prometheus(path)
    families = {
        f.name: f for f in text_string_to_metric_families(path.read_text("utf-8"))
    }
    assert all(name.startswith("gcsched_") for name in families)
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in families.values()
        for s in family.samples
    }
    key = ("method", "PUT"), ("route", ROUTE), ("status", "200")
    assert samples[("gcsched_api_requests_total", key)] == 100
    assert samples[("gcsched_api_throttled_total", ())] == 1
    assert samples[("gcsched_token_renewals_total", (("reason", "401"),))] == 1
    latency = ("gcsched_api_latency_seconds", (("quantile", "0.99"), ("route", "all")))
    assert samples[latency] == pytest.approx(0.99)  # rank 102 of 103
    assert samples[("gcsched_api_request_duration_seconds_count", ())] == 103
    assert samples[("gcsched_schedules_changed_total", ())] == 1
    steps = (
        "gcsched_apply_steps_total",
        (("action", "update"), ("status", "conflict")),
    )
    assert samples[steps] == 1
    assert samples[("gcsched_success_ratio", (("of", "steps"),))] == pytest.approx(
        2 / 3
    )
    info = ("gcsched_run_info", (("run_id", "r1"), ("status", "partial")))
    assert samples[info] == 1
    assert samples[("gcsched_run_duration_seconds", ())] == 12.5
    assert not list(tmp_path.glob("out/*.tmp*"))


def test_unwritable_metrics_file_is_input_error(tmp_path: Path) -> None:
    """A metrics path under a regular file is a clear error naming the path."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write the metrics file"):
        RunMetrics().write_prometheus(blocker / "m.prom")

"""The OpenTelemetry hook, checked with the SDK's in-memory exporters."""

from __future__ import annotations

from typing import Any

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from gcsched.telemetry import (
    ApplyStepFinished,
    RateLimited,
    RequestCompleted,
    RetryScheduled,
    RunFinished,
    RunStarted,
    TokenRenewed,
    ValidationFailed,
    WebhookDelivered,
    emit,
    hooks_installed,
)
from gcsched.telemetry.otel import OTelHook

ROUTE = "/api/v2/outbound/schedules/campaigns/{id}"


def _run(hook: OTelHook) -> None:
    with hooks_installed(hook):
        emit(RunStarted(run_id="r1", steps=2))
        emit(TokenRenewed(reason="initial"))
        emit(RequestCompleted("PUT", ROUTE, 200, 0.12))
        emit(RequestCompleted("PUT", ROUTE, 429, 0.05))
        emit(RateLimited(route=ROUTE, retry_after=1.0))
        emit(RetryScheduled("PUT", ROUTE, "429", 1.0, 1))
        emit(ApplyStepFinished("r1", 1, "update", "campaign", "A", "confirmed", 0.2))
        emit(ApplyStepFinished("r1", 2, "update", "campaign", "B", "conflict", 0.1))
        emit(ValidationFailed(path="f.yaml", problems=2))
        emit(WebhookDelivered("https://h.example/x", "run.completed", 204, True))
        emit(RunFinished(run_id="r1", status="partial", seconds=1.0))
        emit(RunFinished(run_id="unknown", status="failed", seconds=1.0))


def _points(reader: InMemoryMetricReader) -> dict[str, list[Any]]:
    data = reader.get_metrics_data()
    assert data is not None
    found: dict[str, list[Any]] = {}
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                found[metric.name] = list(metric.data.data_points)
    return found


def test_one_trace_per_run_with_a_span_per_step() -> None:
    """The run span parents one span per step; conflicts are marked as errors."""
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    hook = OTelHook(
        tracer_provider=tracer_provider,
        meter_provider=MeterProvider(metric_readers=[reader]),
    )
    _run(hook)
    spans = exporter.get_finished_spans()
    [run] = [s for s in spans if s.name == "gcsched.apply"]
    steps = [s for s in spans if s.name.startswith("gcsched.step")]
    assert len(steps) == 2
    assert run.attributes is not None
    assert run.attributes["gcsched.run_id"] == "r1"
    assert run.attributes["gcsched.status"] == "partial"
    for step in steps:
        assert step.parent is not None
        assert step.parent.span_id == run.context.span_id
        assert step.context.trace_id == run.context.trace_id
        assert step.end_time is not None
        assert step.start_time is not None
        assert step.end_time > step.start_time
    statuses = {s.attributes["gcsched.target"]: s.status.status_code for s in steps}  # type: ignore[index]
    assert statuses == {"A": StatusCode.UNSET, "B": StatusCode.ERROR}


def test_metrics_match_the_events() -> None:
    """Requests, 429s, retries, renewals, steps and changes are exported."""
    reader = InMemoryMetricReader()
    hook = OTelHook(
        tracer_provider=TracerProvider(),
        meter_provider=MeterProvider(metric_readers=[reader]),
    )
    _run(hook)
    points = _points(reader)
    requests = {p.attributes["status"]: p.value for p in points["gcsched.api.requests"]}
    assert requests == {200: 1, 429: 1}
    assert points["gcsched.api.throttled"][0].value == 1
    assert points["gcsched.api.retries"][0].value == 1
    assert points["gcsched.token.renewals"][0].value == 1
    assert points["gcsched.validation.failures"][0].value == 1
    assert points["gcsched.schedules.changed"][0].value == 1
    assert points["gcsched.webhook.deliveries"][0].value == 1
    [duration] = points["gcsched.api.request.duration"]
    assert duration.count == 2
    steps = {p.attributes["status"]: p.value for p in points["gcsched.apply.steps"]}
    assert steps == {"confirmed": 1, "conflict": 1}

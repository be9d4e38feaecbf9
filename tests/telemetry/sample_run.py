"""One run's events, fed to the metrics tests (test_metrics, test_prometheus)."""

from __future__ import annotations

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
    WebhookDelivered,
    emit,
    hooks_installed,
)

ROUTE = "/api/v2/outbound/schedules/campaigns/{id}"


def feed(metrics: RunMetrics) -> None:
    """Emit one partial run: 103 requests, a 429, two retries, four steps."""
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

"""The public surface of gcsched.webhooks is deliberate."""

from __future__ import annotations

import gcsched.webhooks


def test_public_names() -> None:
    """Exactly these names are public, and each one exists."""
    assert sorted(gcsched.webhooks.__all__) == sorted(
        [
            "EVENT_TYPES",
            "MAX_PAYLOAD_BYTES",
            "DeliveryReport",
            "PinnedTarget",
            "RefusedEndpointError",
            "Resolver",
            "WebhookSender",
            "build_events",
            "change_event_data",
            "check_endpoints",
            "enable",
            "endpoint_label",
            "event_id",
            "flush",
            "payload_bytes",
            "pin",
            "run_event_data",
            "schedule_event_data",
            "secret_problem",
            "sign_headers",
            "summarize_schedule",
            "system_resolver",
        ]
    )
    for name in gcsched.webhooks.__all__:
        assert hasattr(gcsched.webhooks, name)


def test_event_types() -> None:
    """The seven event types of the contract, in order."""
    assert gcsched.webhooks.EVENT_TYPES == (
        "schedule.created",
        "schedule.updated",
        "schedule.deleted",
        "schedule.conflict",
        "schedule.drifted",
        "run.completed",
        "run.failed",
    )

"""Signed webhooks to outside systems (Standard Webhooks), delivered from the outbox.

The engine builds events with `change_event_data` / `run_event_data` and
`build_events`, and hands them to the journal in the same transaction as the step
they describe; `WebhookSender.deliver_due` (during a run) and `flush` (from
`gcsched webhooks flush`) deliver them, at least once, with a stable `webhook-id`.
"""

from __future__ import annotations

from gcsched.webhooks.events import (
    EVENT_TYPES,
    MAX_PAYLOAD_BYTES,
    build_events,
    change_event_data,
    event_id,
    payload_bytes,
    run_event_data,
    schedule_event_data,
    summarize_schedule,
)
from gcsched.webhooks.sender import DeliveryReport, WebhookSender, enable, flush
from gcsched.webhooks.signing import check_endpoints, secret_problem, sign_headers
from gcsched.webhooks.urls import (
    PinnedTarget,
    RefusedEndpointError,
    Resolver,
    endpoint_label,
    pin,
    system_resolver,
)

__all__ = [
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

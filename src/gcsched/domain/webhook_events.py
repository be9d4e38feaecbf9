"""The names of the webhook events gcsched sends: one list for config and webhooks.

A schedule file's `webhooks[].events` may name any of them (all when left out);
the webhooks layer builds payloads for exactly these types.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["WEBHOOK_EVENTS", "WebhookEvent"]

WebhookEvent = Literal[
    "schedule.created",
    "schedule.updated",
    "schedule.deleted",
    "schedule.conflict",
    "schedule.drifted",
    "run.completed",
    "run.failed",
]
"""One webhook event type."""

WEBHOOK_EVENTS: tuple[WebhookEvent, ...] = get_args(WebhookEvent)
"""Every event type, in the order the docs list them."""

"""Telemetry: frozen events passed to Protocol hooks; exporters are plug-ins."""

from __future__ import annotations

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
from gcsched.telemetry.hooks import (
    Hook,
    add_hook,
    emit,
    get_hooks,
    hooks_installed,
    remove_hook,
)

__all__ = [
    "ApplyStepFinished",
    "Event",
    "Hook",
    "RateLimited",
    "RequestCompleted",
    "RetryScheduled",
    "RunFinished",
    "RunStarted",
    "TokenRenewed",
    "ValidationFailed",
    "WebhookDelivered",
    "add_hook",
    "emit",
    "get_hooks",
    "hooks_installed",
    "remove_hook",
]

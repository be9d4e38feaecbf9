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
from gcsched.telemetry.logs import LoggingHook, configure_logging
from gcsched.telemetry.metrics import RunMetrics
from gcsched.telemetry.redact import (
    REDACTOR,
    RedactingFilter,
    Redactor,
    redact,
    register_secret,
)

__all__ = [
    "REDACTOR",
    "ApplyStepFinished",
    "Event",
    "Hook",
    "LoggingHook",
    "RateLimited",
    "RedactingFilter",
    "Redactor",
    "RequestCompleted",
    "RetryScheduled",
    "RunFinished",
    "RunMetrics",
    "RunStarted",
    "TokenRenewed",
    "ValidationFailed",
    "WebhookDelivered",
    "add_hook",
    "configure_logging",
    "emit",
    "get_hooks",
    "hooks_installed",
    "redact",
    "register_secret",
    "remove_hook",
]

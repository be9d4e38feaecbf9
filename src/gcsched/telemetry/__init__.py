"""Telemetry: frozen events passed to Protocol hooks; exporters are plug-ins.

Names are imported on first use (PEP 562): the CLI's printable text and
redaction do not pay for the events, hooks and metrics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gcsched._lazy import lazy_attributes

if TYPE_CHECKING:
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

#: Where each public name lives; imported when first asked for.
_HOMES: dict[str, str] = {
    "ApplyStepFinished": "gcsched.telemetry.events",
    "Event": "gcsched.telemetry.events",
    "RateLimited": "gcsched.telemetry.events",
    "RequestCompleted": "gcsched.telemetry.events",
    "RetryScheduled": "gcsched.telemetry.events",
    "RunFinished": "gcsched.telemetry.events",
    "RunStarted": "gcsched.telemetry.events",
    "TokenRenewed": "gcsched.telemetry.events",
    "ValidationFailed": "gcsched.telemetry.events",
    "WebhookDelivered": "gcsched.telemetry.events",
    "Hook": "gcsched.telemetry.hooks",
    "add_hook": "gcsched.telemetry.hooks",
    "emit": "gcsched.telemetry.hooks",
    "get_hooks": "gcsched.telemetry.hooks",
    "hooks_installed": "gcsched.telemetry.hooks",
    "remove_hook": "gcsched.telemetry.hooks",
    "LoggingHook": "gcsched.telemetry.logs",
    "configure_logging": "gcsched.telemetry.logs",
    "RunMetrics": "gcsched.telemetry.metrics",
    "REDACTOR": "gcsched.telemetry.redact",
    "RedactingFilter": "gcsched.telemetry.redact",
    "Redactor": "gcsched.telemetry.redact",
    "redact": "gcsched.telemetry.redact",
    "register_secret": "gcsched.telemetry.redact",
}


__getattr__, __dir__ = lazy_attributes("gcsched.telemetry", _HOMES, globals())

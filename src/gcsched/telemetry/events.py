"""Telemetry events: frozen, slotted values handed to hooks.

Every layer but the domain and the sandbox may emit these with
`gcsched.telemetry.emit(event)`. Hooks (see `hooks.py`) turn them into logs,
metrics or traces. Events never carry secrets: routes are templates
(``/api/v2/outbound/schedules/campaigns/{id}``), never tokens or bodies.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ApplyStepFinished",
    "Event",
    "RateLimited",
    "RequestCompleted",
    "RetryScheduled",
    "RunFinished",
    "RunStarted",
    "TokenRenewed",
    "ValidationFailed",
    "WebhookDelivered",
]


@dataclass(frozen=True, slots=True)
class RequestCompleted:
    """One HTTP exchange with the API (each attempt counts)."""

    method: str
    route: str
    status: int  # 0 when the transport failed
    seconds: float
    attempt: int = 1


@dataclass(frozen=True, slots=True)
class RetryScheduled:
    """A request will be retried after `wait` seconds."""

    method: str
    route: str
    reason: str  # "429", "503", "transport", ...
    wait: float
    attempt: int


@dataclass(frozen=True, slots=True)
class RateLimited:
    """The API answered 429 (Retry-After seconds, if it said)."""

    route: str
    retry_after: float | None


@dataclass(frozen=True, slots=True)
class TokenRenewed:
    """A new OAuth token was minted: reason is "initial", "expiring" or "401"."""

    reason: str


@dataclass(frozen=True, slots=True)
class ValidationFailed:
    """A schedule file failed validation with `problems` problems."""

    path: str
    problems: int


@dataclass(frozen=True, slots=True)
class RunStarted:
    """An apply run started (or resumed)."""

    run_id: str
    steps: int
    resumed: bool = False


@dataclass(frozen=True, slots=True)
class ApplyStepFinished:
    """One apply step reached a final state."""

    run_id: str
    step_id: int
    action: str
    kind: str
    target_name: str
    status: str  # confirmed | failed | conflict | skipped
    seconds: float


@dataclass(frozen=True, slots=True)
class RunFinished:
    """An apply run ended."""

    run_id: str
    status: str  # succeeded | partial | failed
    seconds: float


@dataclass(frozen=True, slots=True)
class WebhookDelivered:
    """One webhook delivery attempt."""

    endpoint: str
    event_type: str
    status: int  # 0 for a transport failure
    ok: bool


Event = (
    RequestCompleted
    | RetryScheduled
    | RateLimited
    | TokenRenewed
    | ValidationFailed
    | RunStarted
    | ApplyStepFinished
    | RunFinished
    | WebhookDelivered
)

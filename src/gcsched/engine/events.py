"""The webhook events of a run and of its steps, as outbox rows.

The runner and recovery both enqueue them (in the same journal transaction as
the step or run they report), so both build them here. A run keeps its
endpoints in the journal (`endpoints_data`, `Run.webhooks`), so a revert of it
notifies the same endpoints (`endpoints_of`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from gcsched.domain.model import WebhookEndpoint
from gcsched.journal import OutboxEvent, Run, Step
from gcsched.webhooks import build_events, change_event_data

__all__ = ["EVENT_OF_ACTION", "RunEvents", "endpoints_data", "endpoints_of"]

EVENT_OF_ACTION: Mapping[str, str] = {
    "create": "schedule.created",
    "update": "schedule.updated",
    "delete": "schedule.deleted",
}
"""The event a confirmed step of each action sends (pacing sends none)."""


def endpoints_data(endpoints: Iterable[WebhookEndpoint]) -> list[dict[str, Any]]:
    """The endpoints as plain JSON, as a run keeps them (no secret: only the
    name of its variable)."""
    return [
        {
            "url": endpoint.url,
            "secret_env": endpoint.secret_env,
            "events": sorted(endpoint.events),
            "allow_insecure_loopback": endpoint.allow_insecure_loopback,
            "retry": [step.total_seconds() for step in endpoint.retry],
        }
        for endpoint in endpoints
    ]


def endpoints_of(data: Iterable[Mapping[str, Any]]) -> tuple[WebhookEndpoint, ...]:
    """The endpoints `endpoints_data` stored."""
    return tuple(
        WebhookEndpoint(
            url=str(item["url"]),
            secret_env=str(item["secret_env"]),
            events=frozenset(str(e) for e in item["events"]),
            allow_insecure_loopback=item.get("allow_insecure_loopback") is True,
            retry=tuple(timedelta(seconds=float(s)) for s in item["retry"]),
        )
        for item in data
    )


class RunEvents:
    """Builds the outbox events for the file's webhook endpoints (none without)."""

    def __init__(
        self, endpoints: Sequence[WebhookEndpoint], clock: Callable[[], datetime]
    ) -> None:
        self._endpoints = tuple(endpoints)
        self._clock = clock

    def build(
        self, event_type: str, data: Mapping[str, Any], *, key: str
    ) -> list[OutboxEvent]:
        """One event per endpoint subscribed to `event_type`, with a stable id."""
        if not self._endpoints:
            return []
        return build_events(
            self._endpoints, event_type, data, key=key, now=self._clock()
        )

    def of_step(
        self,
        run: Run,
        step: Step,
        event_type: str,
        *,
        conflict: Mapping[str, Any] | None = None,
    ) -> list[OutboxEvent]:
        """The `event_type` events of one step of `run`."""
        data = change_event_data(
            run_id=run.id,
            org={"id": run.org_id, "name": run.org_name},
            change=step.change,
            step_id=step.id,
            conflict=conflict,
            environment=run.environment,
        )
        return self.build(event_type, data, key=f"{run.id}:{step.id}:{event_type}")

    def of_confirmed(self, run: Run, step: Step) -> list[OutboxEvent]:
        """The events a confirmed step sends (none for pacing)."""
        event = EVENT_OF_ACTION.get(step.change.action)
        return self.of_step(run, step, event) if event else []

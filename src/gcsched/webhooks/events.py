"""Webhook events: types, stable ids and the JSON payloads the engine hands over.

The engine builds `data` with `schedule_event_data` or `run_event_data` and turns it
into outbox rows with `build_events`, inside the journal transaction of the step the
event describes. Everything here is pure: no clock reads, no I/O.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from gcsched.domain.model import WebhookEndpoint
from gcsched.journal import OutboxEvent

__all__ = [
    "EVENT_TYPES",
    "MAX_PAYLOAD_BYTES",
    "build_events",
    "event_id",
    "payload_bytes",
    "run_event_data",
    "schedule_event_data",
    "summarize_schedule",
]

EVENT_TYPES: tuple[str, ...] = (
    "schedule.created",
    "schedule.updated",
    "schedule.deleted",
    "schedule.conflict",
    "run.completed",
    "run.failed",
)

MAX_PAYLOAD_BYTES = 20_000
"""Standard Webhooks asks for payloads under 20 kB; larger ones are trimmed."""

_MAX_TEXT = 1_000  # longest free text (error messages, detail values) kept
_RUN_OUTCOMES = ("succeeded", "partial")


def event_id(key: str, url: str, event_type: str) -> str:
    """The stable `webhook-id` for one event sent to one endpoint.

    Args:
        key: what the event is about, e.g. ``f"{run_id}:{step_id}"`` or a run id.
        url: the endpoint URL.
        event_type: one of `EVENT_TYPES`.

    Returns:
        ``"msg_"`` followed by 26 hex digits of a SHA-256 over the three values, so
        a resend, a retry or a crash re-run of the same step keeps the same id.
    """
    digest = hashlib.sha256("\x1f".join((key, url, event_type)).encode()).hexdigest()
    return "msg_" + digest[:26]


def _iso(now: datetime) -> str:
    if now.tzinfo is None:
        msg = "webhook timestamps need an aware datetime"
        raise ValueError(msg)
    return now.astimezone(UTC).isoformat().replace("+00:00", "Z")


def payload_bytes(payload: Mapping[str, Any]) -> bytes:
    """The exact bytes sent (and signed) for `payload`: compact, sorted JSON, UTF-8."""
    return json.dumps(
        payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False
    ).encode()


def build_events(
    endpoints: Sequence[WebhookEndpoint],
    event_type: str,
    data: Mapping[str, Any],
    *,
    key: str,
    now: datetime,
) -> list[OutboxEvent]:
    """One outbox event per endpoint subscribed to `event_type`.

    Args:
        endpoints: the file's `webhooks:` entries.
        event_type: one of `EVENT_TYPES`.
        data: the event's `data` (from `schedule_event_data` / `run_event_data`).
        key: what makes the event unique within the journal, e.g.
            ``f"{run_id}:{step_id}"``; the `webhook-id` is derived from it.
        now: an aware datetime, the event's `timestamp`.

    Returns:
        `OutboxEvent`s in endpoint order (none when nobody subscribed). Payloads are
        ``{"type", "timestamp", "data"}`` and stay under `MAX_PAYLOAD_BYTES`.

    Raises:
        ValueError: `event_type` is not one of `EVENT_TYPES`, or `now` is naive.
    """
    if event_type not in EVENT_TYPES:
        msg = f"unknown webhook event type {event_type!r}"
        raise ValueError(msg)
    payload = _fit({"type": event_type, "timestamp": _iso(now), "data": dict(data)})
    run_id = data.get("run_id")
    step_id = data.get("step_id")
    events: list[OutboxEvent] = []
    for endpoint in endpoints:
        if event_type not in endpoint.events:
            continue
        events.append(
            OutboxEvent(
                id=event_id(key, endpoint.url, event_type),
                endpoint_url=endpoint.url,
                secret_env=endpoint.secret_env,
                retry=tuple(step.total_seconds() for step in endpoint.retry),
                event_type=event_type,
                payload=payload,
                run_id=run_id if isinstance(run_id, str) else None,
                step_id=step_id if isinstance(step_id, int) else None,
            )
        )
    return events


def _fit(payload: dict[str, Any]) -> dict[str, Any]:
    """Trim the bulky parts of `payload` until it is under `MAX_PAYLOAD_BYTES`."""
    if len(payload_bytes(payload)) < MAX_PAYLOAD_BYTES:
        return payload
    data = dict(payload["data"])
    for name in ("detail", "before", "after"):
        if name in data and data[name] is not None:
            data[name] = {"truncated": True}
    payload = {**payload, "data": data, "truncated": True}
    if len(payload_bytes(payload)) < MAX_PAYLOAD_BYTES:
        return payload
    # Still too big (absurd names): keep only the identifying fields.
    keep = ("run_id", "step_id", "org", "action", "outcome")
    slim = {name: data[name] for name in keep if name in data}
    return {**payload, "data": slim}


def _text(value: object) -> str:
    text = str(value)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def _scalar(value: object) -> str | int | float | bool | None:
    if value is None or isinstance(value, bool | int | float):
        return value
    return _text(value)


def summarize_schedule(body: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A small summary of a Genesys schedule body for a payload's before/after.

    Args:
        body: a campaign, sequence or messaging schedule as the API returns it, or
            None (nothing before a create, nothing after a delete).

    Returns:
        ``{"name", "timeZone", "recurrences", "intervals", "version"}`` (counts of
        recurrences and intervals), or None when `body` is None.
    """
    if body is None:
        return None
    version = body.get("version")

    def count(name: str) -> int:
        items = body.get(name)
        return len(items) if isinstance(items, list | tuple) else 0

    name = body.get("name")
    zone = body.get("timeZone")
    return {
        "name": _text(name) if name is not None else None,
        "timeZone": _text(zone) if zone is not None else None,
        "recurrences": count("recurrences"),
        "intervals": count("intervals"),
        "version": version if isinstance(version, int) else None,
    }


def schedule_event_data(
    *,
    run_id: str,
    org_id: str,
    org_name: str,
    kind: str,
    schedule_id: str,
    schedule_name: str,
    action: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    step_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The `data` of a `schedule.*` event.

    Args:
        run_id: the journal run.
        org_id: the org's id.
        org_name: the org's name.
        kind: campaign | sequence | messaging_campaign.
        schedule_id: the id of the schedule's target (campaign, sequence...).
        schedule_name: the target's name.
        action: create | update | delete | pacing.
        before: the schedule body before the step (None for a create).
        after: the schedule body after the step (None for a delete).
        step_id: the journal step, when there is one.
        detail: extra flat facts, e.g. for a conflict ``{"version_seen": 3,
            "version_current": 4}``; only scalar values are kept, text is capped.

    Returns:
        A JSON-able dict; bodies are summarized, never copied.
    """
    data: dict[str, Any] = {
        "run_id": run_id,
        "org": {"id": org_id, "name": org_name},
        "schedule": {"kind": kind, "id": schedule_id, "name": schedule_name},
        "action": action,
        "before": summarize_schedule(before),
        "after": summarize_schedule(after),
    }
    if step_id is not None:
        data["step_id"] = step_id
    if detail:
        data["detail"] = {str(k): _scalar(v) for k, v in detail.items()}
    return data


def run_event_data(
    *,
    run_id: str,
    org_id: str,
    org_name: str,
    outcome: str | None = None,
    error: str | None = None,
    counts: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The `data` of a `run.completed` (give `outcome`) or `run.failed` (give `error`).

    Args:
        run_id: the journal run.
        org_id: the org's id.
        org_name: the org's name.
        outcome: ``succeeded``, or ``partial`` when steps ended in conflict.
        error: why the run stopped (a gcsched error message, never a secret).
        counts: per-status or per-action numbers, e.g. ``{"created": 2,
            "conflict": 1}``; only integers are kept.

    Returns:
        A JSON-able dict.

    Raises:
        ValueError: `outcome` is not succeeded/partial, or neither or both of
            `outcome` and `error` are given.
    """
    if (outcome is None) == (error is None):
        msg = "give exactly one of outcome (run.completed) and error (run.failed)"
        raise ValueError(msg)
    if outcome is not None and outcome not in _RUN_OUTCOMES:
        msg = f"run outcome must be one of {_RUN_OUTCOMES}, not {outcome!r}"
        raise ValueError(msg)
    data: dict[str, Any] = {"run_id": run_id, "org": {"id": org_id, "name": org_name}}
    if outcome is not None:
        data["outcome"] = outcome
    if error is not None:
        data["error"] = _text(error)
    if counts:
        data["counts"] = {
            str(k): v
            for k, v in counts.items()
            if isinstance(v, int) and not isinstance(v, bool)
        }
    return data

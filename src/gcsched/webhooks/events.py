"""Webhook events: types, stable ids and the JSON payloads the engine hands over.

The engine builds `data` with `change_event_data` (a journal step's change, through
`schedule_event_data`) or `run_event_data` and turns it
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
from gcsched.domain.webhook_events import WEBHOOK_EVENTS as EVENT_TYPES
from gcsched.genesys import ChangeSpec, TargetKind
from gcsched.journal import OutboxEvent

__all__ = [
    "EVENT_TYPES",
    "MAX_PAYLOAD_BYTES",
    "build_events",
    "change_event_data",
    "event_id",
    "payload_bytes",
    "run_event_data",
    "schedule_event_data",
    "summarize_schedule",
]

MAX_PAYLOAD_BYTES = 20_000
"""Standard Webhooks asks for payloads under 20 kB; larger ones are trimmed."""

_MAX_TEXT = 1_000  # longest free text (error messages, detail values) kept
_RUN_OUTCOMES = ("succeeded", "partial", "failed")


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
    for name in ("conflict", "before", "after"):
        if name in data and data[name] is not None:
            data[name] = {"truncated": True}
    payload = {**payload, "data": data, "truncated": True}
    if len(payload_bytes(payload)) < MAX_PAYLOAD_BYTES:
        return payload
    # Still too big (absurd names): keep only the identifying fields.
    keep = ("run_id", "step_id", "org", "environment", "action", "outcome")
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


def _org(org: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": org.get("id"), "name": org.get("name")}


def schedule_event_data(
    *,
    run_id: str,
    org: Mapping[str, Any],
    kind: TargetKind,
    target_id: str,
    target_name: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    action: str | None = None,
    step_id: int | None = None,
    conflict: Mapping[str, Any] | None = None,
    environment: str | None = None,
) -> dict[str, Any]:
    """The `data` of a `schedule.*` event.

    Args:
        run_id: the journal run.
        org: the org as ``{"id": ..., "name": ...}``.
        kind: campaign | sequence | messaging_campaign (the change's target
            kind, never the schedule family).
        target_id: the id of the schedule's campaign or sequence.
        target_name: its name.
        before: the schedule body before the step (None for a create).
        after: the schedule body after the step (None for a delete).
        action: create | update | delete | pacing, when known.
        step_id: the journal step, when there is one.
        conflict: for `schedule.conflict`, flat facts such as
            ``{"version_seen": 3, "version_now": 4}``; only scalar values are
            kept, text is capped.
        environment: the run's environment (None: the file has none).

    Returns:
        A JSON-able dict: ``run_id``, ``org``, ``environment``, ``schedule``
        {kind, id, name},
        ``before`` / ``after`` summaries (see `summarize_schedule`), and
        ``action``, ``step_id``, ``conflict`` when given. Bodies are summarized,
        never copied.
    """
    data: dict[str, Any] = {
        "run_id": run_id,
        "org": _org(org),
        "environment": environment,
        "schedule": {"kind": kind, "id": target_id, "name": target_name},
        "before": summarize_schedule(before),
        "after": summarize_schedule(after),
    }
    if action is not None:
        data["action"] = action
    if step_id is not None:
        data["step_id"] = step_id
    if conflict:
        data["conflict"] = {str(k): _scalar(v) for k, v in conflict.items()}
    return data


def change_event_data(
    *,
    run_id: str,
    org: Mapping[str, Any],
    change: ChangeSpec,
    step_id: int | None = None,
    conflict: Mapping[str, Any] | None = None,
    environment: str | None = None,
) -> dict[str, Any]:
    """The `data` of the `schedule.*` event of one change (a journal step's).

    Args:
        run_id: the journal run.
        org: the org as ``{"id": ..., "name": ...}``.
        change: the change; its target kind is the payload's `schedule.kind`.
        step_id: the journal step, when there is one.
        conflict: for `schedule.conflict`, flat facts (see `schedule_event_data`).
        environment: the run's environment (None: the file has none).

    Returns:
        What `schedule_event_data` returns for the change.
    """
    return schedule_event_data(
        run_id=run_id,
        org=org,
        kind=change.target_kind,
        target_id=change.target_id,
        target_name=change.target_name,
        before=change.before,
        after=change.after,
        action=str(change.action),
        step_id=step_id,
        conflict=conflict,
        environment=environment,
    )


def run_event_data(
    *,
    run_id: str,
    org: Mapping[str, Any],
    outcome: str | None = None,
    error: str | None = None,
    counts: Mapping[str, int] | None = None,
    environment: str | None = None,
) -> dict[str, Any]:
    """The `data` of a `run.completed` or `run.failed` event.

    Args:
        run_id: the journal run.
        org: the org as ``{"id": ..., "name": ...}``.
        outcome: ``succeeded``, or ``partial`` when steps ended in conflict
            (`run.completed`); ``failed`` for a run stopped by an error
            (`run.failed`, then `error` is required; it is implied by `error`
            alone).
        error: why the run stopped (a gcsched error message, never a secret).
        counts: per-status or per-action numbers, e.g. ``{"created": 2,
            "conflict": 1}``; only integers are kept.
        environment: the run's environment (None: the file has none).

    Returns:
        A JSON-able dict: ``run_id``, ``org``, ``environment``, ``outcome``,
        and ``error`` and
        ``counts`` when given.

    Raises:
        ValueError: an unknown outcome, ``failed`` without an error, or an error
            with ``succeeded`` / ``partial``.
    """
    if outcome is None and error is not None:
        outcome = "failed"
    if outcome not in _RUN_OUTCOMES:
        msg = f"run outcome must be one of {_RUN_OUTCOMES}, not {outcome!r}"
        raise ValueError(msg)
    if (outcome == "failed") != (error is not None):
        msg = "outcome 'failed' goes with an error, and only it"
        raise ValueError(msg)
    data: dict[str, Any] = {
        "run_id": run_id,
        "org": _org(org),
        "environment": environment,
        "outcome": outcome,
    }
    if error is not None:
        data["error"] = _text(error)
    if counts:
        data["counts"] = {
            str(k): v
            for k, v in counts.items()
            if isinstance(v, int) and not isinstance(v, bool)
        }
    return data

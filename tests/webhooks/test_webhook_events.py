"""Webhook events: stable ids, per-endpoint filtering, payload shape and size."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from webhook_support import URL, endpoint

from gcsched.webhooks import (
    EVENT_TYPES,
    MAX_PAYLOAD_BYTES,
    build_events,
    event_id,
    payload_bytes,
    run_event_data,
    schedule_event_data,
    summarize_schedule,
)

NOW = datetime(2026, 11, 27, 20, 53, 1, 123456, tzinfo=UTC)


def _data(**extra: object) -> dict[str, object]:
    return schedule_event_data(
        run_id="r20261127-205301-3fa2c1",
        org={"id": "org-1", "name": "Example Org"},
        kind="campaign",
        target_id="c-1",
        target_name="Q4 Renewals",
        action="update",
        before={"name": "gcsched:a", "timeZone": "UTC", "version": 3},
        after={
            "name": "gcsched:b",
            "timeZone": "America/Chicago",
            "recurrences": [{}, {}],
            "intervals": [{}],
            "version": 4,
        },
        step_id=7,
        **extra,  # type: ignore[arg-type]
    )


def test_event_id_is_stable_and_distinct() -> None:
    """The same (key, url, type) gives the same id; any change gives another."""
    first = event_id("r1:1", URL, "schedule.updated")
    assert first == event_id("r1:1", URL, "schedule.updated")
    assert first.startswith("msg_")
    assert len(first) == 4 + 26
    others = {
        event_id("r1:2", URL, "schedule.updated"),
        event_id("r1:1", URL + "x", "schedule.updated"),
        event_id("r1:1", URL, "schedule.created"),
    }
    assert first not in others
    assert len(others) == 3


def test_build_events_one_per_subscribed_endpoint() -> None:
    """Only endpoints subscribed to the type get an event, in endpoint order."""
    endpoints = [
        endpoint("https://a.example/h", events=("schedule.updated",)),
        endpoint("https://b.example/h", events=("run.completed",)),
        endpoint("https://c.example/h", retry=(1, 2.5)),
    ]
    events = build_events(endpoints, "schedule.updated", _data(), key="r1:7", now=NOW)
    assert [e.endpoint_url for e in events] == [
        "https://a.example/h",
        "https://c.example/h",
    ]
    assert events[1].retry == (1.0, 2.5)
    assert events[0].id == event_id("r1:7", "https://a.example/h", "schedule.updated")
    assert events[0].run_id == "r20261127-205301-3fa2c1"
    assert events[0].step_id == 7
    assert events[0].secret_env == "TEST_WEBHOOK_SECRET"


def test_payload_shape() -> None:
    """The payload has type, an ISO UTC timestamp and the data with summaries."""
    (event,) = build_events([endpoint()], "schedule.updated", _data(), key="k", now=NOW)
    payload = event.payload
    assert payload["type"] == "schedule.updated"
    assert payload["timestamp"] == "2026-11-27T20:53:01.123456Z"
    data = payload["data"]
    assert data["org"] == {"id": "org-1", "name": "Example Org"}
    assert data["schedule"] == {"kind": "campaign", "id": "c-1", "name": "Q4 Renewals"}
    assert data["before"] == {
        "name": "gcsched:a",
        "timeZone": "UTC",
        "recurrences": 0,
        "intervals": 0,
        "version": 3,
    }
    assert data["after"]["recurrences"] == 2
    assert data["after"]["intervals"] == 1
    assert data["after"]["version"] == 4
    json.loads(payload_bytes(payload))


def test_timestamp_is_converted_to_utc() -> None:
    """A non-UTC aware time is written in UTC."""
    local = datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    (event,) = build_events([endpoint()], "run.failed", {}, key="k", now=local)
    assert event.payload["timestamp"] == "2026-01-01T10:00:00Z"


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_event_type_is_accepted(event_type: str) -> None:
    """Each of the six event types builds."""
    assert build_events([endpoint()], event_type, {}, key="k", now=NOW)


def test_unknown_type_and_naive_time_are_refused() -> None:
    """A typo in the type or a naive time is a programming error."""
    with pytest.raises(ValueError, match="unknown webhook event type"):
        build_events([endpoint()], "schedule.renamed", {}, key="k", now=NOW)
    with pytest.raises(ValueError, match="aware"):
        build_events(
            [endpoint()], "run.failed", {}, key="k", now=NOW.replace(tzinfo=None)
        )


def test_summaries_of_missing_bodies() -> None:
    """A create has no before and a delete no after."""
    assert summarize_schedule(None) is None
    assert summarize_schedule({"intervals": "bad", "version": "x"}) == {
        "name": None,
        "timeZone": None,
        "recurrences": 0,
        "intervals": 0,
        "version": None,
    }


def test_conflict_keeps_only_short_scalars() -> None:
    """Conflict facts are flattened to scalars and long text is capped."""
    data = _data(conflict={"version_now": 3, "diff": ["a"], "note": "x" * 5000})
    assert data["conflict"]["version_now"] == 3  # type: ignore[index]
    assert data["conflict"]["diff"] == "['a']"  # type: ignore[index]
    assert len(data["conflict"]["note"]) == 1000  # type: ignore[index]


def test_run_event_data() -> None:
    """run.completed carries the outcome, run.failed the error; counts are ints."""
    org = {"id": "o", "name": "O"}
    done = run_event_data(
        run_id="r1",
        org=org,
        outcome="partial",
        counts={"conflict": 1, "bad": "x"},  # type: ignore[dict-item]
    )
    assert done == {
        "run_id": "r1",
        "org": {"id": "o", "name": "O"},
        "environment": None,
        "outcome": "partial",
        "counts": {"conflict": 1},
    }
    failed = run_event_data(
        run_id="r1", org=org, outcome="failed", error="boom", environment="prod"
    )
    assert (failed["outcome"], failed["error"]) == ("failed", "boom")
    assert failed["environment"] == "prod"
    assert run_event_data(run_id="r1", org=org, error="boom", environment="prod") == (
        failed
    )


def test_schedule_events_name_the_environment() -> None:
    """A step's event names the run's environment (null without one); the
    payload trimmed to its identifying fields keeps it."""
    assert _data()["environment"] is None
    data = schedule_event_data(
        run_id="r",
        org={"id": "o", "name": "O"},
        kind="campaign",
        target_id="c",
        target_name="x" * 30_000,
        before=None,
        after=None,
        environment="eu-prod",
    )
    assert data["environment"] == "eu-prod"
    (event,) = build_events([endpoint()], "schedule.created", data, key="k", now=NOW)
    assert event.payload["data"]["environment"] == "eu-prod"
    assert "schedule" not in event.payload["data"]  # trimmed to the ids


@pytest.mark.parametrize(
    ("outcome", "error"),
    [(None, None), ("succeeded", "boom"), ("failed", None), ("done", None)],
)
def test_run_event_data_refuses_bad_combinations(
    outcome: str | None, error: str | None
) -> None:
    """failed goes with an error and only it; outcomes are from the contract."""
    with pytest.raises(ValueError, match="outcome"):
        run_event_data(
            run_id="r1", org={"id": "o", "name": "O"}, outcome=outcome, error=error
        )


def test_huge_payloads_are_trimmed_under_the_limit() -> None:
    """Oversized summaries are replaced so the payload stays under 20 kB."""
    big = {"name": "n" * 900, "timeZone": "z" * 900}
    data = _data(conflict={f"k{i}": "v" * 900 for i in range(40)})
    data["before"] = big
    (event,) = build_events([endpoint()], "schedule.updated", data, key="k", now=NOW)
    assert len(payload_bytes(event.payload)) < MAX_PAYLOAD_BYTES
    assert event.payload["truncated"] is True
    assert event.payload["data"]["conflict"] == {"truncated": True}
    assert event.payload["data"]["run_id"] == "r20261127-205301-3fa2c1"


def test_absurd_payloads_keep_only_identity() -> None:
    """When even trimmed data is too big, only the identifying fields remain."""
    data = {"run_id": "r1", "action": "update", "junk": "j" * 50_000}
    (event,) = build_events([endpoint()], "schedule.updated", data, key="k", now=NOW)
    assert event.payload["data"] == {"run_id": "r1", "action": "update"}
    assert len(payload_bytes(event.payload)) < MAX_PAYLOAD_BYTES

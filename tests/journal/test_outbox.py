"""The transactional outbox: due events, attempts and disabled endpoints."""

from __future__ import annotations

import pytest
from journal_helpers import FakeClock

from gcsched.errors import JournalError
from gcsched.journal import Journal, OutboxEvent

URL = "https://hooks.example.com/genesys"


def _event(event_id: str, url: str = URL) -> OutboxEvent:
    return OutboxEvent(
        id=event_id,
        endpoint_url=url,
        secret_env="GCSCHED_WEBHOOK_SECRET",
        retry=(5.0, 300.0, 1800.0),
        event_type="run.completed",
        payload={"type": "run.completed", "data": {"outcome": "succeeded"}},
    )


def test_add_events_ignores_duplicate_ids(journal: Journal) -> None:
    """The same webhook-id enqueued twice is stored once, payload unchanged."""
    journal.add_events([_event("a"), _event("b")])
    journal.add_events([_event("a")])
    rows = journal.pending_events()
    assert [r.id for r in rows] == ["a", "b"]
    assert rows[0].retry == (5.0, 300.0, 1800.0)
    assert rows[0].payload["data"] == {"outcome": "succeeded"}
    assert (rows[0].status, rows[0].attempts, rows[0].last_status) == (
        "pending",
        0,
        None,
    )


def test_due_events_respects_time_and_limit(journal: Journal, clock: FakeClock) -> None:
    """Only events whose next attempt has come are due, oldest first."""
    journal.add_events([_event("a")])
    clock.advance(seconds=1)
    journal.add_events([_event("b")])
    journal.reschedule(
        "a", next_attempt_at=clock.now.replace(hour=23), last_status=503, last_error="x"
    )
    assert [r.id for r in journal.due_events(clock.now)] == ["b"]
    later = clock.now.replace(hour=23)
    assert [r.id for r in journal.due_events(later)] == ["b", "a"]
    assert [r.id for r in journal.due_events(later, limit=1)] == ["b"]
    a = journal.outbox_event("a")
    assert (a.attempts, a.last_status, a.last_error) == (1, 503, "x")


def test_delivered_and_dead_leave_the_queue(journal: Journal, clock: FakeClock) -> None:
    """Delivered and dead events are no longer pending, and cannot be retried."""
    journal.add_events([_event("a"), _event("b")])
    journal.mark_delivered("a", status=204)
    journal.mark_dead("b", last_status=500, last_error="gave up")
    assert journal.pending_events() == []
    assert journal.outbox_event("a").status == "delivered"
    assert journal.outbox_event("a").last_status == 204
    dead = journal.outbox_event("b")
    assert (dead.status, dead.attempts, dead.last_error) == ("dead", 1, "gave up")
    with pytest.raises(JournalError, match="already delivered"):
        journal.mark_delivered("a", status=200)
    with pytest.raises(JournalError, match="no webhook event 'zz'"):
        journal.mark_dead("zz", last_status=None, last_error=None)
    with pytest.raises(JournalError, match="no webhook event 'zz'"):
        journal.outbox_event("zz")


def test_disabled_endpoint_holds_its_events(journal: Journal, clock: FakeClock) -> None:
    """A disabled endpoint's events stay pending but are not due until enabled."""
    other = "https://other.example.com/hook"
    journal.add_events([_event("a"), _event("b", other)])
    journal.disable_endpoint(URL, reason="410 Gone")
    assert journal.disabled_endpoints() == {URL: "410 Gone"}
    assert [r.id for r in journal.due_events(clock.now)] == ["b"]
    assert {r.id for r in journal.pending_events()} == {"a", "b"}
    assert journal.enable_endpoint(URL) is True
    assert journal.enable_endpoint(URL) is False
    assert journal.disabled_endpoints() == {}
    assert [r.id for r in journal.due_events(clock.now)] == ["a", "b"]

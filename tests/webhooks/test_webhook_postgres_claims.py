"""Two senders over one PostgreSQL outbox: never one event twice at once (claims
``FOR UPDATE SKIP LOCKED``), and at least once across a crash, same ids."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest
from webhook_support import FakeClock, Receiver, endpoint, make_events, public_resolver

from gcsched.journal import Journal
from gcsched.journal.postgres import PostgresStore
from gcsched.webhooks import WebhookSender


def _sender(
    store: PostgresStore, transport: httpx.AsyncBaseTransport, environ: dict[str, str]
) -> WebhookSender:
    return WebhookSender(
        store, environ=environ, transport=transport, resolver=public_resolver
    )


@pytest.mark.anyio
async def test_two_senders_never_post_one_event_twice(
    pg_url: str, environ: dict[str, str]
) -> None:
    """Both flush the same 6 events at once: each reaches the receiver once."""
    posted: Counter[str] = Counter()

    async def slow(request: httpx.Request, index: int) -> httpx.Response:
        posted[request.headers["webhook-id"]] += 1
        await asyncio.sleep(0.05)  # the other sender runs meanwhile
        return httpx.Response(204)

    receiver = Receiver(*[slow] * 20)
    events = [
        event
        for k in range(6)
        for event in make_events(
            [endpoint()], key=f"r1:{k}", event_type="schedule.updated"
        )
    ]
    with PostgresStore.connect(pg_url) as one, PostgresStore.connect(pg_url) as two:
        one.add_events(events)
        reports = await asyncio.gather(
            _sender(one, receiver.transport, environ).flush(),
            _sender(two, receiver.transport, environ).flush(),
        )
        assert sum(r.delivered for r in reports) == 6
        assert all(r.delivered for r in reports)  # both took a share
        assert one.pending_events() == []
    assert posted == Counter({event.id: 1 for event in events})


def test_a_claim_is_exclusive_while_its_sender_lives(pg_url: str) -> None:
    (event,) = make_events([endpoint()])
    with PostgresStore.connect(pg_url) as one, PostgresStore.connect(pg_url) as two:
        one.add_events([event])
        assert one.claim_event(event.id)
        assert one.claim_event(event.id)  # its own claim, again
        assert not two.claim_event(event.id)
        one.mark_delivered(event.id, status=204)
        assert not two.claim_event(event.id)  # delivered: nothing to claim


@pytest.mark.anyio
async def test_a_crashed_senders_claim_is_void_and_the_event_goes_again(
    pg_url: str, environ: dict[str, str]
) -> None:
    """At least once: the claimer's session ended before it recorded the
    delivery; the next sender posts the event with the same webhook-id."""
    (event,) = make_events([endpoint()])
    crashed = PostgresStore.connect(pg_url)
    crashed.add_events([event])
    assert crashed.claim_event(event.id)
    crashed.close()  # as a killed process's connection ends
    receiver = Receiver()
    with PostgresStore.connect(pg_url) as store:
        report = await _sender(store, receiver.transport, environ).flush()
        assert report.delivered == 1
        assert store.outbox_event(event.id).status == "delivered"
    assert [r.headers["webhook-id"] for r in receiver.requests] == [event.id]


def test_sqlite_claims_what_is_pending(journal: Journal, clock: FakeClock) -> None:
    (event,) = make_events([endpoint()], now=clock())
    journal.add_events([event])
    assert journal.claim_event(event.id)
    journal.mark_dead(event.id, last_status=None, last_error="gone")
    assert not journal.claim_event(event.id)

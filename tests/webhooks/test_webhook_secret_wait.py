"""Waiting for a missing webhook secret does not use up the event's retry schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from webhook_support import (
    SECRET,
    SECRET_ENV,
    FakeClock,
    Receiver,
    endpoint,
    make_events,
    public_resolver,
)

from gcsched.journal import Journal
from gcsched.webhooks import WebhookSender


def _sender(
    journal: Journal, receiver: Receiver, clock: FakeClock, environ: dict[str, str]
) -> WebhookSender:
    return WebhookSender(
        journal,
        environ=environ,
        transport=receiver.transport,
        resolver=public_resolver,
        clock=clock,
    )


@pytest.mark.anyio
async def test_secret_wait_keeps_the_retry_schedule(
    journal: Journal, clock: FakeClock
) -> None:
    """After rounds without a secret, the first real failure is retried, not dead."""
    (event,) = make_events([endpoint(retry=(5, 300))], now=clock())
    journal.add_events([event])
    receiver = Receiver(503, 503)
    for _ in range(5):  # cron runs while the secret is missing
        await _sender(journal, receiver, clock, {}).deliver_due()
        clock.advance(3600)
    assert receiver.requests == []
    assert journal.outbox_event(event.id).attempts == 0

    send = _sender(journal, receiver, clock, {SECRET_ENV: SECRET})
    report = await send.deliver_due()
    assert len(receiver.requests) == 1
    assert report.dead == 0
    row = journal.outbox_event(event.id)
    assert row.status == "pending"
    assert row.attempts == 1
    assert row.next_attempt_at == clock() + timedelta(seconds=5)

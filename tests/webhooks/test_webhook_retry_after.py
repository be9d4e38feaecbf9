"""Odd `Retry-After` values from a receiver never break the delivery round."""

from __future__ import annotations

import httpx
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


@pytest.mark.anyio
@pytest.mark.parametrize(("status", "value"), [(200, "²"), (503, "³")])
async def test_non_ascii_digit_retry_after_is_ignored(
    journal: Journal, clock: FakeClock, status: int, value: str
) -> None:
    """A Retry-After of Unicode digits is unreadable: the answer still counts."""
    (event,) = make_events([endpoint()], now=clock())
    journal.add_events([event])

    def answer(request: httpx.Request, index: int) -> httpx.Response:
        return httpx.Response(status, headers=[(b"Retry-After", value.encode("utf-8"))])

    receiver = Receiver(answer)
    send = WebhookSender(
        journal,
        environ={SECRET_ENV: SECRET},
        transport=receiver.transport,
        resolver=public_resolver,
        clock=clock,
    )
    report = await send.deliver_due()
    assert not any("unexpected" in e for e in report.errors), report.errors
    row = journal.outbox_event(event.id)
    assert row.attempts == 1
    assert row.status == ("delivered" if status == 200 else "pending")

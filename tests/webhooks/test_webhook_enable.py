"""`webhooks enable` accepts the endpoint as gcsched's own messages name it."""

from __future__ import annotations

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
from gcsched.webhooks import WebhookSender, enable

QUERY_URL = "https://hooks.example.com/genesys?channel=ops"


@pytest.mark.anyio
async def test_enable_with_the_command_the_410_message_prints(
    journal: Journal, clock: FakeClock
) -> None:
    """The 410 message's `gcsched webhooks enable ...` command really re-enables."""
    journal.add_events(make_events([endpoint(QUERY_URL)], now=clock()))
    receiver = Receiver(410)
    send = WebhookSender(
        journal,
        environ={SECRET_ENV: SECRET},
        transport=receiver.transport,
        resolver=public_resolver,
        clock=clock,
    )
    report = await send.deliver_due()
    assert journal.disabled_endpoints().keys() == {QUERY_URL}
    (message,) = [e for e in report.errors if "410" in e]
    command = message.split("`gcsched webhooks enable ")[1].split("`")[0]
    assert "channel=ops" not in command  # queries may hold credentials
    assert enable(journal, command) is True
    assert journal.disabled_endpoints() == {}
    await send.flush()
    assert len(receiver.requests) == 2


def test_enable_exact_url_still_works_and_unknown_is_false(journal: Journal) -> None:
    """The exact URL enables it; a URL never disabled answers False."""
    journal.disable_endpoint(QUERY_URL, reason="HTTP 410")
    assert enable(journal, "https://other.example.com/x") is False
    assert enable(journal, QUERY_URL) is True
    assert enable(journal, QUERY_URL) is False

"""The outbox relay against a real journal and scripted receivers."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import AsyncIterator
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from standardwebhooks import Webhook
from webhook_support import (
    PUBLIC_IP,
    SECRET,
    SECRET_ENV,
    URL,
    FakeClock,
    Receiver,
    endpoint,
    make_events,
    public_resolver,
    verify_signature,
)

from gcsched.journal import Journal
from gcsched.telemetry import Event, WebhookDelivered, hooks_installed
from gcsched.webhooks import WebhookSender, enable, flush


def sender(
    journal: Journal,
    receiver: Receiver,
    clock: FakeClock,
    environ: dict[str, str],
    **kw: object,
) -> WebhookSender:
    return WebhookSender(
        journal,
        environ=environ,
        transport=receiver.transport,
        resolver=public_resolver,
        clock=clock,
        **kw,  # type: ignore[arg-type]
    )


def ssl_ca_pem() -> str:
    """Some CA certificate in PEM form (from the system store), for a bundle file."""
    context = ssl.create_default_context()
    certs = context.get_ca_certs(binary_form=True)
    if not certs:  # pragma: no cover - depends on the machine
        pytest.skip("no system CA certificates")
    return ssl.DER_cert_to_PEM_cert(certs[0])


def enqueue(journal: Journal, clock: FakeClock, **kw: object) -> str:
    """Put one schedule.updated event for the default endpoint in the outbox."""
    (event,) = make_events([endpoint(**kw)], now=clock.now)  # type: ignore[arg-type]
    journal.add_events([event])
    return event.id


@pytest.mark.anyio
async def test_delivers_signed_event_to_pinned_ip(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """A due event is POSTed to the pinned IP, verifiable with standardwebhooks."""
    event_id = enqueue(journal, clock)
    receiver = Receiver(200)
    report = await sender(journal, receiver, clock, environ).deliver_due()
    assert (report.delivered, report.failed, report.pending, report.disabled) == (
        1,
        0,
        0,
        0,
    )
    (got,) = receiver.requests
    assert got.url == f"https://{PUBLIC_IP}/genesys"
    assert got.headers["host"] == "hooks.example.com"
    assert got.extensions["sni_hostname"] == "hooks.example.com"
    assert got.headers["content-type"] == "application/json"
    assert got.headers["webhook-id"] == event_id
    payload = Webhook(SECRET).verify(got.body, got.headers)
    assert payload["type"] == "schedule.updated"
    assert payload["data"]["schedule"]["name"] == "Q4 Renewals"
    row = journal.outbox_event(event_id)
    assert (row.status, row.last_status, row.attempts) == ("delivered", 200, 1)


@pytest.mark.anyio
async def test_retries_follow_the_schedule_with_a_stable_id(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """Failures wait retry[n-1]; the id stays, the timestamp is per attempt."""
    event_id = enqueue(journal, clock, retry=(5, 300, 1800))
    receiver = Receiver(500, 502, 200)
    send = sender(journal, receiver, clock, environ)
    start = clock.now

    first = await send.deliver_due()
    assert (first.delivered, first.failed, first.pending) == (0, 1, 1)
    row = journal.outbox_event(event_id)
    assert row.next_attempt_at == start + timedelta(seconds=5)
    assert row.last_status == 500
    assert (
        row.last_error == "webhook endpoint https://hooks.example.com/genesys: HTTP 500"
    )

    clock.advance(4)
    assert (await send.deliver_due()).failed == 0  # not due yet: nothing sent
    assert len(receiver.requests) == 1

    clock.advance(1)
    await send.deliver_due()
    assert journal.outbox_event(event_id).next_attempt_at == clock.now + timedelta(
        seconds=300
    )
    clock.advance(300)
    done = await send.deliver_due()
    assert done.delivered == 1
    assert [r.headers["webhook-id"] for r in receiver.requests] == [event_id] * 3
    stamps = [int(r.headers["webhook-timestamp"]) for r in receiver.requests]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 3
    for received in receiver.requests:
        verify_signature(received)


@pytest.mark.anyio
async def test_gives_up_after_the_schedule(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """After len(retry) + 1 failed attempts the event is dead, never raised."""
    event_id = enqueue(journal, clock, retry=(5, 10))
    receiver = Receiver(500, 500, 500, 200)
    send = sender(journal, receiver, clock, environ)
    for wait in (0, 5, 10):
        clock.advance(wait)
        report = await send.deliver_due()
    assert (report.dead, report.pending) == (1, 0)
    row = journal.outbox_event(event_id)
    assert (row.status, row.attempts, row.last_status) == ("dead", 3, 500)
    assert "given up" in report.errors[0]
    clock.advance(10_000)
    assert (await send.deliver_due()).delivered == 0
    assert len(receiver.requests) == 3


@pytest.mark.anyio
async def test_410_disables_until_enabled(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """410 disables the endpoint; its events wait; enable lets them through."""
    event_id = enqueue(journal, clock)
    receiver = Receiver(410)
    send = sender(journal, receiver, clock, environ)
    report = await send.deliver_due()
    assert (report.failed, report.pending, report.disabled) == (1, 1, 1)
    assert (
        "gcsched webhooks enable https://hooks.example.com/genesys" in report.errors[0]
    )
    assert URL in journal.disabled_endpoints()
    assert journal.outbox_event(event_id).status == "pending"

    clock.advance(86_400)
    assert (await send.deliver_due()).delivered == 0
    assert (
        await flush(
            journal,
            environ=environ,
            transport=receiver.transport,
            resolver=public_resolver,
            clock=clock,
        )
    ).delivered == 0
    assert len(receiver.requests) == 1

    assert enable(journal, URL) is True
    assert enable(journal, URL) is False
    report = await send.deliver_due()
    assert (report.delivered, report.disabled) == (1, 0)
    assert journal.outbox_event(event_id).status == "delivered"


@pytest.mark.anyio
@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_seconds_is_honoured(
    journal: Journal, clock: FakeClock, environ: dict[str, str], status: int
) -> None:
    """429/503 with Retry-After: the next attempt is no earlier than asked."""
    event_id = enqueue(journal, clock, retry=(5, 300))

    def throttle(request: httpx.Request, index: int) -> httpx.Response:
        return httpx.Response(status, headers={"Retry-After": "120"})

    send = sender(journal, Receiver(throttle), clock, environ)
    await send.deliver_due()
    row = journal.outbox_event(event_id)
    assert row.next_attempt_at == clock.now + timedelta(seconds=120)
    assert row.last_status == status


@pytest.mark.anyio
async def test_retry_after_http_date_and_short_values(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """An HTTP-date Retry-After counts; a shorter one than the schedule does not."""
    event_id = enqueue(journal, clock, retry=(60, 60, 60))
    when = clock.now + timedelta(hours=2)
    answers = [
        httpx.Response(
            503, headers={"Retry-After": format_datetime(when, usegmt=True)}
        ),
        httpx.Response(429, headers={"Retry-After": "1"}),
        httpx.Response(429, headers={"Retry-After": "soon"}),
    ]
    send = sender(
        journal, Receiver(*(lambda r, i: answers[i] for _ in range(3))), clock, environ
    )
    await send.deliver_due()
    assert journal.outbox_event(event_id).next_attempt_at == when
    clock.now = when
    await send.deliver_due()
    assert journal.outbox_event(event_id).next_attempt_at == when + timedelta(
        seconds=60
    )
    clock.advance(60)
    await send.deliver_due()
    assert journal.outbox_event(event_id).attempts == 3


@pytest.mark.anyio
async def test_redirects_are_failures_and_not_followed(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """A 3xx is a failed attempt; the Location is never requested."""
    event_id = enqueue(journal, clock)

    def redirect(request: httpx.Request, index: int) -> httpx.Response:
        return httpx.Response(307, headers={"Location": "http://169.254.169.254/"})

    receiver = Receiver(redirect)
    report = await sender(journal, receiver, clock, environ).deliver_due()
    assert report.failed == 1
    assert len(receiver.requests) == 1
    row = journal.outbox_event(event_id)
    assert row.last_status == 307
    assert "redirects are not followed" in (row.last_error or "")


class Endless(httpx.AsyncByteStream):
    """A response body that never ends."""

    def __init__(self) -> None:
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            self.sent += 1
            yield b"x" * 4096


@pytest.mark.anyio
@pytest.mark.parametrize(("status", "delivered"), [(200, 1), (500, 0)])
async def test_response_reads_are_bounded(
    journal: Journal,
    clock: FakeClock,
    environ: dict[str, str],
    status: int,
    delivered: int,
) -> None:
    """An endless response body is read only up to max_response_bytes."""
    enqueue(journal, clock)
    body = Endless()
    receiver = Receiver(lambda r, i: httpx.Response(status, stream=body))
    send = sender(journal, receiver, clock, environ, max_response_bytes=10_000)
    report = await send.deliver_due()
    assert report.delivered == delivered
    assert body.sent <= 3


@pytest.mark.anyio
async def test_a_hanging_endpoint_times_out(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """No answer within the timeout is a failed attempt, rescheduled."""
    event_id = enqueue(journal, clock)

    async def hang(request: httpx.Request, index: int) -> httpx.Response:
        await asyncio.sleep(3600)
        return httpx.Response(200)  # pragma: no cover - never reached

    send = sender(journal, Receiver(hang), clock, environ, timeout=0.05)
    report = await send.deliver_due()
    assert report.failed == 1
    row = journal.outbox_event(event_id)
    assert (row.status, row.last_status) == ("pending", None)
    assert "no answer within 0.05 s" in (row.last_error or "")


@pytest.mark.anyio
@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), ConnectionResetError()],
)
async def test_transport_errors_are_failures(
    journal: Journal, clock: FakeClock, environ: dict[str, str], error: Exception
) -> None:
    """Connection errors are recorded as failures, never raised."""
    event_id = enqueue(journal, clock)

    def fail(request: httpx.Request, index: int) -> httpx.Response:
        raise error

    report = await sender(journal, Receiver(fail), clock, environ).deliver_due()
    assert report.failed == 1
    row = journal.outbox_event(event_id)
    assert row.status == "pending"
    assert row.last_error is not None
    assert row.last_error.startswith(
        "webhook endpoint https://hooks.example.com/genesys"
    )


@pytest.mark.anyio
@pytest.mark.parametrize("value", [None, "", "not-a-whsec-secret"])
async def test_missing_secret_keeps_event_pending(
    journal: Journal, clock: FakeClock, value: str | None
) -> None:
    """No usable secret: nothing sent, the event waits, the error names the variable."""
    event_id = enqueue(journal, clock, retry=(1,))
    environ = {} if value is None else {SECRET_ENV: value}
    receiver = Receiver()
    send = sender(journal, receiver, clock, environ)
    for _ in range(4):
        report = await send.deliver_due()
        clock.advance(3600)
    assert receiver.requests == []
    row = journal.outbox_event(event_id)
    assert row.status == "pending"
    assert SECRET_ENV in (row.last_error or "")
    if value:
        assert value not in (row.last_error or "")
    assert report.dead == 0
    (await sender(journal, receiver, clock, {SECRET_ENV: SECRET}).deliver_due())
    assert journal.outbox_event(event_id).status == "delivered"


@pytest.mark.anyio
async def test_unsafe_address_is_dead_with_a_clear_error(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """A host resolving to a private address is refused for good, naming it."""
    event_id = enqueue(journal, clock)

    async def private(host: str, port: int) -> list[str]:
        return ["10.0.0.7"]

    receiver = Receiver()
    send = WebhookSender(
        journal,
        environ=environ,
        transport=receiver.transport,
        resolver=private,
        clock=clock,
    )
    report = await send.deliver_due()
    assert (report.dead, report.pending) == (1, 0)
    assert receiver.requests == []
    row = journal.outbox_event(event_id)
    assert row.status == "dead"
    assert row.last_error == (
        "webhook endpoint https://hooks.example.com/genesys: refused: "
        "hooks.example.com resolves to 10.0.0.7: 10.0.0.7 is a private "
        "(internal network) address"
    )


@pytest.mark.anyio
async def test_resolver_failure_is_temporary(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """A name that does not resolve now is retried later, not given up."""
    event_id = enqueue(journal, clock)

    async def broken(host: str, port: int) -> list[str]:
        raise OSError("temporary failure in name resolution")

    send = WebhookSender(
        journal,
        environ=environ,
        transport=Receiver().transport,
        resolver=broken,
        clock=clock,
    )
    report = await send.deliver_due()
    assert (report.failed, report.dead) == (1, 0)
    row = journal.outbox_event(event_id)
    assert row.status == "pending"
    assert "name resolution failed (OSError)" in (row.last_error or "")


@pytest.mark.anyio
async def test_a_down_endpoint_defers_its_other_events_only(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """After a 5xx its endpoint's later events wait; other endpoints still go."""
    down = endpoint("https://down.example/h")
    up = endpoint("https://up.example/h")
    for key in ("r1:1", "r1:2", "r1:3"):
        journal.add_events(make_events([down, up], key=key, now=clock.now))

    def answer(request: httpx.Request, index: int) -> httpx.Response:
        return httpx.Response(503 if request.headers["host"] == "down.example" else 200)

    receiver = Receiver(*(answer for _ in range(10)))
    report = await sender(journal, receiver, clock, environ).deliver_due()
    assert (report.delivered, report.failed, report.pending) == (3, 1, 3)
    hosts = [r.headers["host"] for r in receiver.requests]
    assert hosts.count("down.example") == 1
    untouched = [row for row in journal.pending_events() if row.attempts == 0]
    assert len(untouched) == 2


@pytest.mark.anyio
async def test_a_4xx_does_not_hold_back_the_next_event(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """A 400 for one event is that event's failure; the next one is still sent."""
    for key in ("r1:1", "r1:2"):
        journal.add_events(make_events([endpoint()], key=key, now=clock.now))
    receiver = Receiver(400, 200)
    report = await sender(journal, receiver, clock, environ).deliver_due()
    assert (report.delivered, report.failed) == (1, 1)


@pytest.mark.anyio
async def test_a_passed_deadline_sends_nothing(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """No attempt starts once the deadline (seconds from now) has passed."""
    enqueue(journal, clock)
    receiver = Receiver()
    send = sender(journal, receiver, clock, environ)
    report = await send.deliver_due(deadline=0)
    assert (report.delivered, report.failed, report.pending) == (0, 0, 1)
    assert receiver.requests == []


@pytest.mark.anyio
async def test_flush_sends_events_that_are_not_due(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """flush ignores next_attempt_at; a failed early attempt keeps the schedule."""
    event_id = enqueue(journal, clock, retry=(3600,))
    receiver = Receiver(500, 500, 200)
    send = sender(journal, receiver, clock, environ)
    await send.deliver_due()
    scheduled = journal.outbox_event(event_id)
    assert scheduled.attempts == 1

    early = await flush(
        journal,
        environ=environ,
        transport=receiver.transport,
        resolver=public_resolver,
        clock=clock,
    )
    assert early.failed == 1
    assert journal.outbox_event(event_id) == scheduled  # schedule not used up

    done = await flush(
        journal,
        environ=environ,
        transport=receiver.transport,
        resolver=public_resolver,
        clock=clock,
    )
    assert (done.delivered, done.pending) == (1, 0)
    assert {r.headers["webhook-id"] for r in receiver.requests} == {event_id}


@pytest.mark.anyio
async def test_delivery_attempts_are_reported_to_telemetry(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """Each attempt emits WebhookDelivered with the endpoint label and status."""
    enqueue(journal, clock)
    seen: list[Event] = []

    def hook(event: Event) -> None:
        seen.append(event)

    with hooks_installed(hook):
        await sender(journal, Receiver(500), clock, environ).deliver_due()
        clock.advance(5)
        await sender(journal, Receiver(202), clock, environ).deliver_due()
    assert seen == [
        WebhookDelivered(
            "https://hooks.example.com/genesys", "schedule.updated", 500, False
        ),
        WebhookDelivered(
            "https://hooks.example.com/genesys", "schedule.updated", 202, True
        ),
    ]


@pytest.mark.anyio
async def test_an_empty_outbox_is_a_quiet_report(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """Nothing pending: nothing sent, zeros reported."""
    report = await sender(journal, Receiver(), clock, environ).deliver_due()
    assert (report.delivered, report.failed, report.pending, report.disabled) == (
        0,
        0,
        0,
        0,
    )


@pytest.mark.anyio
async def test_journal_refusals_are_reported_not_raised(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """If another relay recorded the event meanwhile, the clash is only reported."""
    event_id = enqueue(journal, clock)

    def other_relay_wins(request: httpx.Request, index: int) -> httpx.Response:
        journal.mark_delivered(event_id, status=200)
        return httpx.Response(200)

    report = await sender(
        journal, Receiver(other_relay_wins), clock, environ
    ).deliver_due()
    assert report.delivered == 1
    assert any("already delivered" in error for error in report.errors)
    assert journal.outbox_event(event_id).status == "delivered"


@pytest.mark.anyio
async def test_an_unexpected_transport_error_is_reported_not_raised(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """Even a surprise exception from the transport never escapes deliver_due."""
    event_id = enqueue(journal, clock)

    def explode(request: httpx.Request, index: int) -> httpx.Response:
        raise RuntimeError("surprise")

    report = await sender(journal, Receiver(explode), clock, environ).deliver_due()
    assert report.errors == (
        "webhook endpoint https://hooks.example.com/genesys: delivery stopped by "
        "an unexpected RuntimeError",
    )
    assert journal.outbox_event(event_id).status == "pending"


@pytest.mark.anyio
async def test_an_unusable_journal_is_reported_not_raised(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """A closed journal gives a report with its error instead of an exception."""
    enqueue(journal, clock)
    journal.close()
    report = await sender(journal, Receiver(), clock, environ).deliver_due()
    assert (report.delivered, report.pending) == (0, -1)
    assert "is closed" in report.errors[0]


@pytest.mark.anyio
async def test_a_generous_deadline_still_delivers(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """deadline counts seconds from the call, not a clock reading."""
    enqueue(journal, clock)
    report = await sender(journal, Receiver(), clock, environ).deliver_due(deadline=1.0)
    assert report.delivered == 1


@pytest.mark.anyio
async def test_default_transport_refuses_before_connecting(
    journal: Journal, clock: FakeClock, tmp_path: Path
) -> None:
    """Without an injected transport, a private address is still never contacted."""
    event_id = enqueue(journal, clock)
    bundle = tmp_path / "ca.pem"
    bundle.write_text(ssl_ca_pem(), encoding="ascii")

    async def private(host: str, port: int) -> list[str]:
        return ["192.168.0.10"]

    send = WebhookSender(
        journal,
        environ={SECRET_ENV: SECRET, "SSL_CERT_FILE": str(bundle)},
        resolver=private,
        clock=clock,
    )
    report = await send.deliver_due()
    assert report.dead == 1
    assert journal.outbox_event(event_id).status == "dead"


@pytest.mark.anyio
async def test_default_transport_reports_unreachable_loopback(
    journal: Journal, clock: FakeClock, environ: dict[str, str]
) -> None:
    """A real connection attempt to a closed loopback port is a reported failure."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/h"
    (event,) = make_events([endpoint(url, allow_insecure_loopback=True)], now=clock.now)
    journal.add_events([event])
    send = WebhookSender(journal, environ=environ, clock=clock, timeout=5)
    report = await send.deliver_due()
    assert (report.failed, report.pending) == (1, 1)
    assert "connection failed (ConnectError)" in report.errors[0]

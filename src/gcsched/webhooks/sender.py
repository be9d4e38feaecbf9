"""The outbox relay: deliver pending webhook events, signed, at least once.

Each call makes at most one attempt per event. Events of one endpoint go in outbox
order; different endpoints are served concurrently. Once an endpoint fails in a call
(no answer, 3xx, 429, 5xx), its remaining events wait for the next call without
spending an attempt, so a dead receiver costs one timeout per call, not one per
event. A failed delivery never raises: it is recorded in the journal and reported.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

import httpx

from gcsched._version import __version__
from gcsched.errors import JournalError
from gcsched.journal import OutboxRecords, OutboxRow
from gcsched.telemetry import WebhookDelivered, emit, register_secret
from gcsched.webhooks.attempt import Attempt, post
from gcsched.webhooks.events import payload_bytes
from gcsched.webhooks.report import Borrowed, DeliveryReport, Tally
from gcsched.webhooks.signing import secret_problem, sign_headers
from gcsched.webhooks.urls import (
    PinnedTarget,
    RefusedEndpointError,
    Resolver,
    endpoint_label,
    pin,
    system_resolver,
)

__all__ = ["DeliveryReport", "WebhookSender", "enable", "flush"]

_THROTTLE = frozenset({429, 503})  # statuses whose Retry-After is honoured
_CONFIG_RETRY = 300.0  # seconds before retrying an event whose secret is missing


def _utcnow() -> datetime:
    return datetime.now(UTC)


class WebhookSender:
    """Delivers the journal's outbox events to their endpoints.

    Args:
        journal: the open journal holding the outbox.
        environ: where each event's secret variable is read, at send time.
        transport: the httpx transport (tests pass `MockTransport` or
            `ASGITransport`); None uses a direct connection, ignoring proxy
            variables so the pinned address is the one contacted.
        resolver: resolves (host, port) to IP strings; default `getaddrinfo`.
        clock: returns the current aware UTC time.
        timeout: seconds for one whole attempt (Standard Webhooks: 15 s).
        max_response_bytes: at most this much of a response is read.
    """

    def __init__(
        self,
        journal: OutboxRecords,
        *,
        environ: Mapping[str, str],
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
        clock: Callable[[], datetime] = _utcnow,
        timeout: float = 15.0,
        max_response_bytes: int = 65536,
    ) -> None:
        self._journal = journal
        self._environ = environ
        self._transport = transport
        self._resolver: Resolver = resolver or system_resolver
        self._clock = clock
        self._timeout = timeout
        self._max_bytes = max_response_bytes
        self._disabled: set[str] = set()

    async def deliver_due(self, *, deadline: float | None = None) -> DeliveryReport:
        """Attempt every event whose next attempt is due, once.

        Args:
            deadline: seconds from now after which no new attempt starts (the rest
                stays pending; an attempt already started may take up to `timeout`
                more). None: no limit.

        Returns:
            The `DeliveryReport`; failures are recorded and reported, never raised.
        """
        return await self._run(due_only=True, deadline=deadline)

    async def flush(self, *, deadline: float | None = None) -> DeliveryReport:
        """Attempt every pending event now, due or not (disabled endpoints wait).

        An attempt made before an event's scheduled time that fails does not use up
        its retry schedule: only due attempts count towards giving up.

        Args:
            deadline: as for `deliver_due`.

        Returns:
            The `DeliveryReport`.
        """
        return await self._run(due_only=False, deadline=deadline)

    async def _run(self, *, due_only: bool, deadline: float | None) -> DeliveryReport:
        stop_at = None if deadline is None else time.monotonic() + deadline
        now = self._clock()
        try:
            self._disabled = set(self._journal.disabled_endpoints())
            rows = [
                row
                for row in self._journal.pending_events()
                if row.endpoint_url not in self._disabled
                and (not due_only or row.next_attempt_at <= now)
            ]
        except JournalError as exc:
            return DeliveryReport(0, 0, -1, len(self._disabled), errors=(str(exc),))
        return await self._deliver(rows, stop_at=stop_at)

    async def _deliver(
        self, rows: Sequence[OutboxRow], *, stop_at: float | None
    ) -> DeliveryReport:
        tally = Tally()
        by_endpoint: dict[str, list[OutboxRow]] = {}
        for row in rows:
            by_endpoint.setdefault(row.endpoint_url, []).append(row)
        if by_endpoint:
            transport: httpx.AsyncBaseTransport = (
                Borrowed(self._transport)
                if self._transport
                else httpx.AsyncHTTPTransport(verify=self._tls(), trust_env=False)
            )
            async with httpx.AsyncClient(
                transport=transport,
                follow_redirects=False,
                timeout=self._timeout,
                trust_env=False,
            ) as client:
                await asyncio.gather(
                    *(
                        self._guarded(client, url, queue, tally, stop_at)
                        for url, queue in by_endpoint.items()
                    )
                )
        try:
            pending = len(self._journal.pending_events())
            disabled = len(self._journal.disabled_endpoints())
        except JournalError as exc:
            tally.errors.append(str(exc))
            pending, disabled = -1, len(self._disabled)
        return DeliveryReport(
            delivered=tally.delivered,
            failed=tally.failed,
            pending=pending,
            disabled=disabled,
            dead=tally.dead,
            errors=tuple(tally.errors),
        )

    def _tls(self) -> ssl.SSLContext | bool:
        """Certificate checks: the system's CA bundle override, else httpx's default.

        Proxy variables are ignored (the pinned address must be the one contacted),
        but `SSL_CERT_FILE` / `SSL_CERT_DIR` still name a private CA bundle.
        """
        cafile = self._environ.get("SSL_CERT_FILE") or None
        capath = self._environ.get("SSL_CERT_DIR") or None
        if cafile is None and capath is None:
            return True
        return ssl.create_default_context(cafile=cafile, capath=capath)

    async def _guarded(
        self,
        client: httpx.AsyncClient,
        url: str,
        queue: Sequence[OutboxRow],
        tally: Tally,
        stop_at: float | None,
    ) -> None:
        """`_serve`, but an unexpected error only ends this endpoint's round.

        A failed delivery must never fail the apply that called us; the events
        stay pending and the error is reported.
        """
        try:
            await self._serve(client, url, queue, tally, stop_at)
        except Exception as exc:  # reported, never raised (see above)
            tally.errors.append(
                f"webhook endpoint {endpoint_label(url)}: delivery stopped by "
                f"an unexpected {type(exc).__name__}"
            )

    async def _serve(
        self,
        client: httpx.AsyncClient,
        url: str,
        queue: Sequence[OutboxRow],
        tally: Tally,
        stop_at: float | None,
    ) -> None:
        """Deliver one endpoint's events in order until one fails at endpoint level."""
        label = endpoint_label(url)
        target: PinnedTarget | RefusedEndpointError | str | None = None
        for row in queue:
            if stop_at is not None and time.monotonic() >= stop_at:
                return
            if not self._claim(row, tally):
                continue  # another sender has it now, or it is done
            now = self._clock()
            secret = self._environ.get(row.secret_env)
            if secret:
                register_secret(secret)
            problem = secret_problem(secret, variable=row.secret_env)
            if problem is not None or secret is None:
                self._failed(row, Attempt(0, problem), tally, now, config=True)
                continue
            if target is None:
                target = await self._pin(url)
            if isinstance(target, RefusedEndpointError):
                emit(WebhookDelivered(label, row.event_type, 0, False))
                self._dead(row, None, target.message, tally)
                continue
            if isinstance(target, str):
                # The name did not resolve: a temporary failure for this endpoint.
                emit(WebhookDelivered(label, row.event_type, 0, False))
                self._failed(row, Attempt(0, target), tally, now)
                return
            body = payload_bytes(row.payload)
            headers = sign_headers(secret, msg_id=row.id, timestamp=now, body=body)
            headers["content-type"] = "application/json"
            headers["user-agent"] = f"gcsched/{__version__}"
            attempt = await self._post(client, target, body, headers, now)
            emit(WebhookDelivered(label, row.event_type, attempt.status, attempt.ok))
            if attempt.ok:
                self._record(
                    tally, self._journal.mark_delivered, row.id, status=attempt.status
                )
                tally.delivered += 1
                continue
            if attempt.status == 410:
                self._disable(url, label, tally, now)
                return
            self._failed(row, attempt, tally, now)
            if not 400 <= attempt.status < 500 or attempt.status == 429:
                return  # the endpoint is down, throttling or redirecting: rest waits

    async def _post(
        self,
        client: httpx.AsyncClient,
        target: PinnedTarget,
        body: bytes,
        headers: dict[str, str],
        now: datetime,
    ) -> Attempt:
        try:
            async with asyncio.timeout(self._timeout):
                return await post(
                    client,
                    target,
                    body=body,
                    headers=headers,
                    max_response_bytes=self._max_bytes,
                    now=now,
                )
        except TimeoutError:
            return Attempt(0, f"no answer within {self._timeout:g} s")

    async def _pin(self, url: str) -> PinnedTarget | RefusedEndpointError | str:
        try:
            return await pin(url, self._resolver)
        except RefusedEndpointError as exc:
            return exc
        except (OSError, UnicodeError) as exc:
            return (
                f"webhook endpoint {endpoint_label(url)}: "
                f"name resolution failed ({type(exc).__name__})"
            )

    def _claim(self, row: OutboxRow, tally: Tally) -> bool:
        """Claim `row` before attempting it: two senders never post one event
        at once (a claim of a sender that crashed is void: at least once)."""
        try:
            return self._journal.claim_event(row.id)
        except JournalError as exc:
            tally.errors.append(str(exc))
            return False

    def _record(
        self, tally: Tally, action: Callable[..., None], *args: object, **kw: object
    ) -> None:
        try:
            action(*args, **kw)
        except JournalError as exc:
            tally.errors.append(str(exc))

    def _disable(self, url: str, label: str, tally: Tally, now: datetime) -> None:
        self._disabled.add(url)
        reason = f"HTTP 410 Gone at {now.isoformat()}"
        self._record(tally, self._journal.disable_endpoint, url, reason=reason)
        tally.failed += 1
        tally.errors.append(
            f"webhook endpoint {label}: answered 410 Gone; disabled until "
            f"`gcsched webhooks enable {label}`"
        )

    def _dead(
        self, row: OutboxRow, status: int | None, error: str, tally: Tally
    ) -> None:
        self._record(
            tally, self._journal.mark_dead, row.id, last_status=status, last_error=error
        )
        tally.failed += 1
        tally.dead += 1
        tally.errors.append(f"{error} (event {row.id} given up)")

    def _failed(
        self,
        row: OutboxRow,
        attempt: Attempt,
        tally: Tally,
        now: datetime,
        *,
        config: bool = False,
    ) -> None:
        """Record a failed attempt: reschedule per the retry schedule, or give up."""
        label = endpoint_label(row.endpoint_url)
        error = attempt.error or f"HTTP {attempt.status}"
        if not error.startswith("webhook endpoint"):
            error = f"webhook endpoint {label}: {error}"
        status = attempt.status or None
        if config:
            emit(WebhookDelivered(label, row.event_type, 0, False))
        if row.next_attempt_at > now:
            # An early attempt forced by `flush`: it does not use up the schedule.
            tally.failed += 1
            tally.errors.append(error)
            return
        number = row.attempts + 1  # this attempt's number among the retries
        if config:
            # A missing secret is fixed by the operator: keep the event, never die,
            # and (nothing was sent) leave its retry schedule untouched.
            delay = max(row.retry[0] if row.retry else 0.0, _CONFIG_RETRY)
        elif number <= len(row.retry):
            delay = row.retry[number - 1]
            if attempt.status in _THROTTLE and attempt.retry_after is not None:
                delay = max(delay, attempt.retry_after)
        else:
            self._dead(row, status, error, tally)
            return
        self._record(
            tally,
            self._journal.reschedule,
            row.id,
            next_attempt_at=now + timedelta(seconds=delay),
            last_status=status,
            last_error=error,
            attempted=not config,
        )
        tally.failed += 1
        tally.errors.append(error)


async def flush(
    journal: OutboxRecords,
    *,
    environ: Mapping[str, str],
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: Resolver | None = None,
    clock: Callable[[], datetime] | None = None,
) -> DeliveryReport:
    """`gcsched webhooks flush`: attempt every pending event now.

    Args:
        journal: the open journal.
        environ: where secret variables are read.
        transport: optional httpx transport (tests).
        resolver: optional resolver (tests).
        clock: optional clock returning aware UTC time.

    Returns:
        The `DeliveryReport` (events of disabled endpoints stay pending).
    """
    sender = WebhookSender(
        journal,
        environ=environ,
        transport=transport,
        resolver=resolver,
        clock=clock or _utcnow,
    )
    return await sender.flush()


def enable(journal: OutboxRecords, url: str) -> bool:
    """`gcsched webhooks enable URL`: deliver to an endpoint disabled by a 410 again.

    Args:
        journal: the open journal.
        url: the endpoint URL exactly as in the schedule file, or as gcsched's
            messages name it (`endpoint_label`: without user info or query, which
            may hold credentials); a label re-enables every disabled endpoint
            that has it.

    Returns:
        True if it was disabled, False if it was not.
    """
    if journal.enable_endpoint(url):
        return True
    label = endpoint_label(url)
    matching = [d for d in journal.disabled_endpoints() if endpoint_label(d) == label]
    for disabled in matching:
        journal.enable_endpoint(disabled)
    return bool(matching)

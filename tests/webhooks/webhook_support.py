"""Helpers for the webhook tests: a fake clock, receivers, resolvers, events."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from standardwebhooks import Webhook

from gcsched.domain.model import WebhookEndpoint
from gcsched.journal import OutboxEvent
from gcsched.webhooks import EVENT_TYPES, build_events, schedule_event_data

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
SECRET_ENV = "TEST_WEBHOOK_SECRET"
URL = "https://hooks.example.com/genesys"
PUBLIC_IP = "93.184.216.34"


class FakeClock:
    """A settable clock; starts at the real time so receivers' ±5 min check passes."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Received:
    """One request a receiver got."""

    url: str
    headers: dict[str, str]
    body: bytes
    extensions: dict[str, Any] = field(default_factory=dict)

    @property
    def payload(self) -> Any:
        return json.loads(self.body)


Responder = Callable[[httpx.Request, int], Awaitable[httpx.Response] | httpx.Response]


class Receiver:
    """An `httpx.MockTransport` receiver answering from a script of responses.

    `answers` is consumed one per request; when it runs out, 204 is answered.
    Each entry is a status code or a callable (request, index) -> response.
    """

    def __init__(self, *answers: int | Responder) -> None:
        self.answers = list(answers)
        self.requests: list[Received] = []
        self.transport = httpx.MockTransport(self._handle)

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        self.requests.append(
            Received(
                str(request.url), dict(request.headers), body, dict(request.extensions)
            )
        )
        index = len(self.requests) - 1
        answer = self.answers.pop(0) if self.answers else 204
        if isinstance(answer, int):
            return httpx.Response(answer)
        result = answer(request, index)
        if isinstance(result, httpx.Response):
            return result
        return await result


def verify_signature(received: Received, secret: str = SECRET) -> None:
    """Check a delivery's signature at its own timestamp (no ±5 min window)."""
    stamp = datetime.fromtimestamp(int(received.headers["webhook-timestamp"]), UTC)
    expected = Webhook(secret).sign(
        received.headers["webhook-id"], stamp, received.body.decode()
    )
    assert expected in received.headers["webhook-signature"].split(" ")


async def public_resolver(host: str, port: int) -> list[str]:
    """Every name resolves to one public address."""
    return [PUBLIC_IP]


def endpoint(
    url: str = URL,
    *,
    events: tuple[str, ...] = EVENT_TYPES,
    retry: tuple[float, ...] = (5, 300, 1800),
    secret_env: str = SECRET_ENV,
    allow_insecure_loopback: bool = False,
) -> WebhookEndpoint:
    """A `webhooks:` entry for tests."""
    return WebhookEndpoint(
        url=url,
        secret_env=secret_env,
        events=frozenset(events),
        allow_insecure_loopback=allow_insecure_loopback,
        retry=tuple(timedelta(seconds=s) for s in retry),
    )


def make_events(
    endpoints: list[WebhookEndpoint],
    *,
    key: str = "r1:1",
    event_type: str = "schedule.updated",
    now: datetime | None = None,
) -> list[OutboxEvent]:
    """Outbox events for one schedule update."""
    data = schedule_event_data(
        run_id="r1",
        org={"id": "org-1", "name": "Example Org"},
        kind="campaign",
        target_id="c-1",
        target_name="Q4 Renewals",
        action="update",
        before={"name": "gcsched:old", "timeZone": "UTC", "version": 3},
        after={"name": "gcsched:new", "timeZone": "UTC", "version": 4},
        step_id=1,
    )
    return build_events(
        endpoints, event_type, data, key=key, now=now or datetime.now(UTC)
    )

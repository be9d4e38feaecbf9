"""The ASGI layer in front of every route: correlation ids, auth, rate
limits, permissions, faults, headers and stats.
"""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any, Final

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gcsched.sandbox.audit_trail import SCHEDULE_ENTITY_TYPES, StoreChange
from gcsched.sandbox.clients import sha256
from gcsched.sandbox.faults import Injection
from gcsched.sandbox.guesses import (
    BAD_TOKEN_CODE,
    BAD_TOKEN_MESSAGE,
    EXPIRED_TOKEN_CODE,
    EXPIRED_TOKEN_MESSAGE,
)
from gcsched.sandbox.notifications import event_body, schedule_topic
from gcsched.sandbox.problems import error_body
from gcsched.sandbox.ratelimit import RateDecision
from gcsched.sandbox.runtime import CID_KEY, CLIENT_KEY, Runtime, new_correlation_id
from gcsched.sandbox.state import COLLEAGUE, utc_stamp

__all__ = ["DroppedConnection", "Gateway"]

API_PREFIX: Final = "/api/v2/"
SERVER_ERROR_CODES: Final = {
    502: ("bad.gateway", "The server received an invalid response upstream."),
    503: ("service.unavailable", "The service is currently unavailable."),
    504: ("request.timeout", "The request timed out."),
}


class DroppedConnection(Exception):  # noqa: N818 - named after what happens
    """Raised to cut a response after its headers (the ``drop`` fault).

    It subclasses nothing of httpx on purpose; the in-process transport sees
    it as an exception from the app, a served client as a closed socket.
    """


class Gateway:
    """Pure ASGI middleware that plays the platform's edge.

    Args:
        app: the Starlette router stack.
        runtime: the shared runtime.
        routes: the app's routes (to find each request's route template).
        permissions: ANY-of permissions by (method, template).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        runtime: Runtime,
        routes: list[BaseRoute],
        permissions: dict[tuple[str, str], tuple[str, ...]],
    ) -> None:
        self.app = app
        self.rt = runtime
        self.routes = routes
        self.permissions = permissions

    def _template(self, scope: Scope) -> str:
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return str(getattr(route, "path", "?"))
        return "<unmatched>"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        path: str = scope["path"]
        cid = new_correlation_id()
        scope[CID_KEY] = cid
        template = self._template(scope)
        route = f"{method} {template}"
        is_api = path.startswith(API_PREFIX)
        extra: dict[str, str] = {"ININ-Correlation-Id": cid}
        if path == "/sandbox/stats":
            await self.app(scope, receive, send)
            return
        injection = self.rt.faults.draw(method, path)
        if injection.delay > 0:
            await asyncio.sleep(injection.delay)
        for kind in injection.kinds:
            self.rt.stats.fault(kind)
        status_seen: list[int] = []

        async def send_wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_seen.append(message["status"])
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in extra.items()]
                message = {**message, "headers": headers}
                self.rt.stats.record(route, message["status"])
                if injection.drop:
                    self.rt.stats.fault("drop")
                    await send(message)
                    msg = f"sandbox fault: connection dropped ({route})"
                    raise DroppedConnection(msg)
            await send(message)

        if is_api:
            refusal = await self._admit(scope, method, template, injection, extra)
            if refusal is not None:
                status, body, headers = refusal
                extra.update(headers)
                await _send_json(send_wrapped, status, body)
                return
        elif injection.status is not None and path != "/sandbox/stats":
            status, body, headers = self._fault_body(injection, cid, extra)
            extra.update(headers)  # Retry-After on the token endpoint too
            await _send_json(send_wrapped, status, body)
            return
        await self.app(scope, receive, send_wrapped)

    async def _admit(
        self,
        scope: Scope,
        method: str,
        template: str,
        injection: Injection,
        extra: dict[str, str],
    ) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        cid = scope[CID_KEY]
        token = _bearer(scope)
        headers_on = self.rt.guesses.ratelimit_headers
        if token is None:
            if headers_on:
                extra.update(self.rt.limiter.peek().headers())
            return (
                401,
                error_body(
                    401,
                    "authentication.required",
                    "No authentication bearer token specified in authorization header.",
                    cid,
                ),
                {},
            )
        state = self.rt.state
        record = state.tokens.get(sha256(token))
        expired = record is not None and record.expires_at <= state.clock()
        after = injection.token_after
        if record is not None and not expired and after is not None:
            expired = state.clock() - record.issued_at >= after
            if expired:
                self.rt.stats.fault("token-expiry")
        client = None if record is None else state.clients.get(record.client_id)
        if client is None or expired:
            if headers_on:
                extra.update(self.rt.limiter.peek().headers())
            code, message = (
                (EXPIRED_TOKEN_CODE, EXPIRED_TOKEN_MESSAGE)
                if expired and client is not None
                else (BAD_TOKEN_CODE, BAD_TOKEN_MESSAGE)
            )
            return 401, error_body(401, code, message, cid), {}
        decision: RateDecision = self.rt.limiter.hit(sha256(token))
        if headers_on:
            extra.update(decision.headers())
        if not decision.allowed:
            return _too_many(decision.reset, cid, decision.limit)
        if injection.status is not None:
            return self._fault_body(injection, cid, extra)
        wanted = self.permissions.get((method, template), ())
        if wanted and not any(client.allows(p) for p in wanted):
            names = ", ".join(wanted)
            body = error_body(
                403,
                "missing.any.permissions",
                "Unable to perform the requested action. You must have at least "
                f"one of the following permissions assigned: [{names}]",
                cid,
            )
            body["messageWithParams"] = (
                "Unable to perform the requested action. You must have at least "
                "one of the following permissions assigned: {permissions}"
            )
            body["messageParams"] = {"permissions": f"[{names}]"}
            return 403, body, {}
        scope[CLIENT_KEY] = client
        if injection.editor and method == "PUT" and "/outbound/schedules/" in template:
            await self._colleague_edits(scope)
        return None

    async def _colleague_edits(self, scope: Scope) -> None:
        parts = scope["path"].rstrip("/").split("/")
        family, id_ = parts[-2], parts[-1]
        state = self.rt.state
        async with state.lock:
            if family in state.schedules and id_ in state.schedules[family]:
                stored = state.schedules[family][id_]
                before = copy.deepcopy(stored)
                stored["version"] = int(stored["version"]) + 1
                stored["dateModified"] = utc_stamp(state.clock())
                self.rt.stats.fault("editor")
                state.changed(
                    StoreChange(
                        SCHEDULE_ENTITY_TYPES[family],
                        id_,
                        stored.get("name"),
                        before,
                        copy.deepcopy(stored),
                        client_id="",
                        user=COLLEAGUE,
                    )
                )
                self.rt.hub.publish(
                    schedule_topic(family, id_), event_body(stored), scope[CID_KEY]
                )

    def _fault_body(
        self, injection: Injection, cid: str, extra: dict[str, str]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        status = injection.status or 503
        headers: dict[str, str] = {}
        if injection.retry_after is not None:
            headers["Retry-After"] = str(injection.retry_after)
        if status == 429:
            return _too_many(injection.retry_after or 0, cid, self.rt.limiter.limit)
        code, message = SERVER_ERROR_CODES[status]
        return status, error_body(status, code, message, cid), headers


def _too_many(
    retry_after: int, cid: str, limit: int
) -> tuple[int, dict[str, Any], dict[str, str]]:
    body = error_body(
        429,
        "too.many.requests.retry.after",
        "Rate limit exceeded the maximum. "
        f"Retry the request in [{retry_after}] seconds",
        cid,
    )
    body["limit"] = {
        "key": "token.rate.per.minute",
        "namespace": "platform.api",
        "value": limit,
    }
    return 429, body, {"Retry-After": str(retry_after)}


def _bearer(scope: Scope) -> str | None:
    for key, value in scope["headers"]:
        if key == b"authorization":
            text: str = value.decode("latin-1")
            scheme, _, token = text.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
            return None
    return None


async def _send_json(send: Send, status: int, body: dict[str, Any], *_: Any) -> None:
    data = json.dumps(body, separators=(",", ":")).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})

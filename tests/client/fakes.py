"""Fakes for client tests: a fake clock and a scriptable fake Genesys API."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from gcsched.client import Credentials, GenesysClient

API = "https://api.mypurecloud.ie"
TOKEN_URL = "https://login.mypurecloud.ie/oauth/token"
CREDS = Credentials("client-id-1", "s3cr3t-value")

Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeClock:
    """A monotonic clock that only moves when the code sleeps."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)


def error(status: int, code: str, message: str = "", **headers: str) -> httpx.Response:
    """A Genesys ErrorBody answer."""
    body = {"status": status, "code": code, "message": message, "contextId": "ctx-1"}
    return httpx.Response(
        status, json=body, headers={"ININ-Correlation-Id": "corr-1", **headers}
    )


@dataclass
class FakeApi:
    """Token endpoint plus routes; records every request it sees."""

    routes: dict[tuple[str, str], Handler | list[httpx.Response]] = field(
        default_factory=dict
    )
    token_replies: list[httpx.Response] = field(default_factory=list)
    expires_in: int = 86400
    seen: list[httpx.Request] = field(default_factory=list)
    tokens_minted: int = 0
    valid_tokens: set[str] = field(default_factory=set)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(  # a copy: httpx re-sends the same object after a 401
            httpx.Request(
                request.method,
                request.url,
                headers=request.headers.copy(),
                content=request.content,
            )
        )
        if request.url.path == "/oauth/token":
            if self.token_replies:
                return self.token_replies.pop(0)
            self.tokens_minted += 1
            token = f"tok-{self.tokens_minted}"
            self.valid_tokens.add(token)
            return httpx.Response(
                200,
                json={
                    "access_token": token,
                    "token_type": "bearer",
                    "expires_in": self.expires_in,
                },
            )
        auth = request.headers.get("Authorization", "")
        if auth.removeprefix("Bearer ") not in self.valid_tokens:
            return error(401, "bad.credentials", "Invalid login credentials.")
        key = (request.method, request.url.path)
        route = self.routes.get(key)
        if route is None:
            return error(404, "not.found", "The requested resource was not found.")
        if isinstance(route, list):
            return route.pop(0) if len(route) > 1 else route[0]
        return route(request)

    def api_requests(self) -> list[httpx.Request]:
        """Requests other than the token endpoint."""
        return [r for r in self.seen if r.url.path != "/oauth/token"]

    def body_of(self, index: int) -> Any:
        """JSON body of the index-th API request."""
        return json.loads(self.api_requests()[index].content)


def make_client(
    api: FakeApi, clock: FakeClock | None = None, **kwargs: Any
) -> GenesysClient:
    """A client over MockTransport(api) with a fake clock and a fixed limit."""
    clock = clock or FakeClock()
    kwargs.setdefault("rate_limit", 300)
    return GenesysClient(
        API,
        CREDS,
        transport=httpx.MockTransport(api),
        clock=clock,
        sleep=clock.sleep,
        **kwargs,
    )

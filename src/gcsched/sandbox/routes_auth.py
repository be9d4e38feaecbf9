"""``POST /oauth/token`` (client credentials), org endpoints and stats."""

from __future__ import annotations

import base64
import binascii
from typing import Final
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response

from gcsched.sandbox.clients import ClientRecord
from gcsched.sandbox.guesses import (
    TOKEN_BAD_SECRET,
    TOKEN_UNKNOWN_CLIENT,
    UNLIMITED_ALLOWED,
)
from gcsched.sandbox.problems import OAuthProblem
from gcsched.sandbox.runtime import Runtime, json_response

__all__ = ["AuthRoutes"]

MINT_WINDOW: Final = 60.0


class AuthRoutes:
    """Handlers for the token endpoint, the org and the stats."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    async def token(self, request: Request) -> Response:
        """Mint a client-credentials token (Basic auth or form parameters)."""
        raw = (await request.body()).decode("utf-8", "replace")
        form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        grant = form.get("grant_type")
        if not grant:
            raise OAuthProblem(400, "invalid_request", "grant_type is required")
        if grant != "client_credentials":
            raise OAuthProblem(
                400,
                "unsupported_grant_type",
                f"grant type {grant!r} is not supported; use client_credentials",
            )
        client_id, secret = _credentials(request, form)
        status = self.rt.guesses.token_status
        if client_id is None or secret is None:
            raise OAuthProblem(
                status, "invalid_client", "client credentials are required"
            )
        state = self.rt.state
        if client_id not in state.clients:
            raise OAuthProblem(status, "invalid_client", TOKEN_UNKNOWN_CLIENT)
        client = state.check_client(client_id, secret)
        if client is None:
            raise OAuthProblem(status, "invalid_client", TOKEN_BAD_SECRET)
        async with state.lock:
            self._count_mint(client)
            ttl = client.token_ttl or self.rt.token_ttl
            token = state.mint(client, ttl)
        self.rt.stats.tokens_minted += 1
        return json_response(
            {"access_token": token, "token_type": "bearer", "expires_in": ttl},
            headers={"Cache-Control": "no-store"},
        )

    def _count_mint(self, client: ClientRecord) -> None:
        now = self.rt.state.clock()
        recent = [
            t
            for t in self.rt.state.mints.get(client.client_id, [])
            if now - t < MINT_WINDOW
        ]
        if self.rt.mint_limit > 0 and len(recent) >= self.rt.mint_limit:
            self.rt.state.mints[client.client_id] = recent
            raise OAuthProblem(
                400,
                "invalid_request",
                f"rate limit exceeded: at most {self.rt.mint_limit} tokens "
                "per client per minute",
            )
        recent.append(now)
        self.rt.state.mints[client.client_id] = recent

    async def org_me(self, request: Request) -> Response:
        """``GET /api/v2/organizations/me``."""
        return json_response(self.rt.state.org)

    async def limits(self, request: Request) -> Response:
        """``GET /api/v2/organizations/limits/namespaces/{namespaceName}``."""
        namespace = request.path_params["namespaceName"]
        if namespace != "platform.api":
            return json_response({"entities": []})
        limit = self.rt.limiter.limit or UNLIMITED_ALLOWED
        entities = [
            {"key": key, "namespace": "platform.api", "value": limit}
            for key in (
                "client.credentials.token.rate.per.minute",
                "token.rate.per.minute",
            )
        ]
        entities.append(
            {"key": "request.bytes.max", "namespace": "platform.api", "value": 512000}
        )
        return json_response({"entities": entities})

    async def stats(self, request: Request) -> Response:
        """``GET /sandbox/stats``: what clients really did."""
        return json_response(self.rt.stats.to_json())


def _credentials(
    request: Request, form: dict[str, str]
) -> tuple[str | None, str | None]:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic" and value:
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        client_id, sep, secret = decoded.partition(":")
        return (client_id, secret) if sep else (None, None)
    return form.get("client_id"), form.get("client_secret")

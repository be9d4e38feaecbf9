"""OAuth client credentials as an `httpx.Auth`: cached, renewed early, once on 401.

The token is minted at ``<login>/oauth/token`` with Basic auth and the form
``grant_type=client_credentials`` (genesys-api.md §4). It is reused until shortly
before ``expires_in`` runs out, and minted again once if the API answers 401 to
a request that carried the current token. The token endpoint's own limit answers
400 ``invalid_request`` "rate limit exceeded" (or, like every Platform API limit,
429 with ``Retry-After``): that is waited out a few times, never longer than
``_MINT_MAX_WAIT`` at once.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

import httpx
from pydantic import ValidationError

from gcsched.client.credentials import CLIENT_ID_VAR, CLIENT_SECRET_VAR, Credentials
from gcsched.client.deadline import extend_deadline
from gcsched.client.retry import retry_after_seconds
from gcsched.client.wire import TokenResponse
from gcsched.errors import ApiError, AuthenticationError
from gcsched.telemetry import TokenRenewed, emit, register_secret
from gcsched.telemetry.redact import register_basic_credential

__all__ = [
    "ClientCredentialsAuth",
    "TokenEndpointError",
    "basic_credential",
    "renew_after",
]

log = logging.getLogger("gcsched.client")

_MINT_LIMIT_WAITS = (2.0, 4.0, 8.0, 16.0, 30.0)  # ≈ 1 min, like the TF provider
_MINT_MAX_WAIT = 60.0  # a longer Retry-After is not waited for (the lock is held)


class TokenEndpointError(ApiError):
    """The token endpoint answered 5xx: transient, retried like any 5xx."""


def renew_after(expires_in: float) -> float:
    """Seconds after minting at which a token is renewed.

    At 90 % of its life or 60 s before expiry, whichever is earlier, but never
    before half its life (short sandbox tokens).
    """
    margin = min(max(expires_in * 0.1, 60.0), expires_in * 0.5)
    return expires_in - margin


def basic_credential(credentials: Credentials) -> str:
    """The ``Authorization: Basic`` value of an OAuth client."""
    return _basic(credentials)


def _basic(credentials: Credentials) -> str:
    raw = f"{credentials.client_id}:{credentials.client_secret}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def _oauth_error(response: httpx.Response) -> tuple[str, str]:
    try:
        data: Any = json.loads(response.content or b"null")
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    error = str(data.get("error") or data.get("code") or "")
    text = (
        data.get("error_description")
        or data.get("description")
        or data.get("message")
        or ""
    )
    return error, " ".join(str(text).split())[:200]


class ClientCredentialsAuth(httpx.Auth):
    """Client-credentials OAuth for httpx, shared by every request of a client.

    Args:
        credentials: the OAuth client.
        token_url: the absolute token endpoint, ``<login>/oauth/token``.
        clock: monotonic seconds (injected for tests).
        sleep: async sleep (injected for tests).
    """

    def __init__(
        self,
        credentials: Credentials,
        token_url: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._credentials = credentials
        register_secret(credentials.client_secret)
        register_basic_credential(credentials.client_id, credentials.client_secret)
        self._token_url = token_url
        self._clock = clock
        self._sleep = sleep
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()
        self.token_requests = 0
        self.renewals = 0

    def __repr__(self) -> str:
        return f"ClientCredentialsAuth(client_id={self._credentials.client_id!r})"

    @property
    def client_id(self) -> str:
        """The OAuth client id (not a secret)."""
        return self._credentials.client_id

    @property
    def token_url(self) -> str:
        """The absolute token endpoint."""
        return self._token_url

    def _valid_token(self) -> str | None:
        if self._token is not None and self._clock() < self._renew_at:
            return self._token
        return None

    def invalidate(self) -> None:
        """Forget the cached token (the next request mints a new one)."""
        self._token = None

    def _token_request(self) -> httpx.Request:
        return httpx.Request(
            "POST",
            self._token_url,
            headers={
                "Authorization": _basic(self._credentials),
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            content=b"grant_type=client_credentials",
        )

    def _read_token_reply(self, response: httpx.Response, attempt: int) -> str | float:
        """The new token, or seconds to wait before asking again; raises otherwise."""
        status = response.status_code
        if status == 200:
            try:
                data = TokenResponse.model_validate_json(response.content)
            except ValidationError:
                msg = (
                    f"The token endpoint {self._token_url} answered 200 without a "
                    "usable access_token"
                )
                raise AuthenticationError(msg, status=status, method="POST") from None
            register_secret(data.access_token)
            self._token = data.access_token
            self._renew_at = self._clock() + renew_after(data.expires_in)
            return data.access_token
        error, text = _oauth_error(response)
        limited = status == 429 or (
            status == 400 and "rate limit" in f"{error} {text}".lower()
        )
        if limited:
            after = retry_after_seconds(response)
            if after is not None and after > _MINT_MAX_WAIT:
                msg = (
                    f"The token endpoint {self._token_url} refuses new tokens for "
                    f"{after:.0f} s (token creation rate limit); run again later"
                )
                raise AuthenticationError(msg, status=status, code=error, method="POST")
            if attempt < len(_MINT_LIMIT_WAITS):
                wait = max(_MINT_LIMIT_WAITS[attempt], after or 0.0)
                log.warning("token endpoint rate limited; waiting %.1f s", wait)
                return wait
            msg = (
                f"The token endpoint {self._token_url} kept refusing new tokens "
                "(token creation rate limit); wait a minute and run again"
            )
            raise AuthenticationError(msg, status=status, code=error, method="POST")
        if status >= 500:
            msg = f"The token endpoint {self._token_url} is unavailable ({status})"
            raise TokenEndpointError(
                msg, status=status, method="POST", path="/oauth/token"
            )
        said = f"{status} {error}".strip()
        why = f": {text}" if text else ""
        msg = (
            f"The token endpoint {self._token_url} refused the OAuth client "
            f"({said}{why}); check {CLIENT_ID_VAR} and {CLIENT_SECRET_VAR}, and that "
            "the client uses the Client Credentials grant in this region"
        )
        raise AuthenticationError(
            msg, status=status, code=error or None, method="POST", path="/oauth/token"
        )

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Attach a bearer token; mint or renew it when needed; retry once on 401."""
        stale: str | None = None
        for round_ in range(2):
            token = self._valid_token()
            if token is None or token == stale:
                async with self._lock:
                    token = self._valid_token()
                    if token is None or token == stale:
                        if stale is not None:
                            reason = "401"
                        elif self._token is None and self.renewals == 0:
                            reason = "initial"
                        else:
                            reason = "expiring"
                        attempt = 0
                        while True:
                            self.token_requests += 1
                            reply = yield self._token_request()
                            await reply.aread()
                            result = self._read_token_reply(reply, attempt)
                            if isinstance(result, str):
                                token = result
                                break
                            extend_deadline(result)  # our own wait, not the server's
                            await self._sleep(result)
                            attempt += 1
                        self.renewals += 1
                        log.debug("new OAuth token (%s)", reason)
                        emit(TokenRenewed(reason=reason))
            request.headers["Authorization"] = f"Bearer {token}"
            response = yield request
            if response.status_code != 401 or round_ == 1:
                return
            stale = token

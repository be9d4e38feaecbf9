"""The plumbing of `GenesysClient`: connection, limits, decoding, paging.

Pacing, retries, the retry budget and the circuit breaker live in `sender.py`;
authentication in `auth.py`; the endpoint methods in `client.py`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final, Self
from urllib.parse import quote, urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from gcsched.client import wire
from gcsched.client.auth import ClientCredentialsAuth, basic_credential
from gcsched.client.bodies import (
    ACCEPT_ENCODING,
    DEFAULT_MAX_RESPONSE_BYTES,
    cap_bodies,
)
from gcsched.client.credentials import Credentials
from gcsched.client.failures import error_for_response
from gcsched.client.pacing import (
    BUDGET_SHARE,
    DEFAULT_RATE_LIMIT,
    MAX_CONCURRENCY,
    SlidingWindowPacer,
)
from gcsched.client.regions import login_url_for, refuse_cleartext
from gcsched.client.retry import CircuitBreaker, RetryBudget
from gcsched.client.sender import AMBIGUOUS, Sender
from gcsched.client.transport import SocketLikeTransport
from gcsched.errors import (
    ApiError,
    AuthenticationError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
)
from gcsched.genesys import FAMILIES

__all__ = ["FAMILIES", "ClientBase", "Observation"]

log = logging.getLogger("gcsched.client")

PAGE_SIZE = 100
_MAX_PAGES = 1000
_LIMIT_KEYS = ("client.credentials.token.rate.per.minute", "token.rate.per.minute")
_SCHEDULES = "/api/v2/outbound/schedules"
#: The lists that take ``allowEmptyResult`` (default false): without it an
#: empty page may be an error (the official provider always sends true).
ALLOW_EMPTY_RESULT: Final = {"allowEmptyResult": "true"}
DIVISION_HINT: Final = (
    "; if it appears in the org's lists, the OAuth client's role may not cover "
    "its division (grant the role in that division too)"
)


def _seg(value: str) -> str:
    """One path segment, escaped (ids never rewrite the path)."""
    return quote(str(value), safe="")


def _last_page(
    page: int, listing: wire.EntityListing, raw: dict[str, Any], seen: int
) -> bool:
    """Whether this page is the last, by the best evidence the listing gives."""
    if listing.page_count is not None:
        return page >= listing.page_count
    if listing.total is not None:
        return seen >= listing.total
    if any(key in raw for key in ("nextUri", "selfUri", "lastUri")):
        return not listing.next_uri
    return len(listing.entities) < PAGE_SIZE


@dataclass(frozen=True, slots=True)
class Observation:
    """One answer as `gcsched doctor` looks at it (never raised as an error).

    Attributes:
        status: the HTTP status.
        body: the decoded JSON body (None when empty or not JSON).
        date: the ``Date`` header, if any.
        ratelimit_headers: whether any ``inin-ratelimit-*`` header came back.
        error: the client's own message for a 4xx/5xx (names a missing
            permission on 403), None on success.
    """

    status: int
    body: Any
    date: str | None
    ratelimit_headers: bool
    error: str | None


class ClientBase:
    """Connection plumbing shared by the endpoint methods of `GenesysClient`.

    Args:
        api_url: API base URL (see `resolve_api_url`).
        credentials: the OAuth client.
        transport: an httpx transport (``MockTransport``, ``ASGITransport``);
            default: the network.
        rate_limit: requests per minute per token; None reads the limits API.
        target_utilisation: share of the ceiling let go per minute (`BUDGET_SHARE`).
        max_concurrency: requests in flight at once (writes are bounded by the
            apply's concurrency, `DEFAULT_CONCURRENCY`).
        clock: monotonic seconds (injected for tests).
        sleep: async sleep (injected for tests).
        retry_timeout: cap on one request's total retry time, seconds; longer
            than any Retry-After worth waiting for.
        breaker_threshold: consecutive 5xx/transport failures that stop the run.
        retry_budget: the retry budget (default: 20 + 10 % of requests).
        attempt_timeout: cap on one attempt, seconds: connect, send, the whole
            answer and the token request on the way (httpx's 30 s bounds only
            each read; a trickling server is cut off here).
        max_response_bytes: the most bytes (decoded) one answer may have;
            a longer one stops the request with `ResponseTooLargeError`.
        insecure_http: accept ``http://`` to a host that is not loopback
            (cleartext secret and tokens); in-process transports never need it.
    """

    def __init__(
        self,
        api_url: str,
        credentials: Credentials,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        rate_limit: int | None = None,
        target_utilisation: float = BUDGET_SHARE,
        max_concurrency: int = MAX_CONCURRENCY,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        retry_timeout: float = 300.0,
        breaker_threshold: int = 5,
        retry_budget: RetryBudget | None = None,
        attempt_timeout: float = 60.0,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        insecure_http: bool = False,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        in_process = isinstance(transport, httpx.ASGITransport | httpx.MockTransport)
        refuse_cleartext(
            self.api_url, "api_url", insecure_http=insecure_http or in_process
        )
        self._auth = ClientCredentialsAuth(
            credentials,
            login_url_for(self.api_url) + "/oauth/token",
            clock=clock,
            sleep=sleep,
        )
        if isinstance(transport, httpx.ASGITransport):
            transport = SocketLikeTransport(transport)
        self._http = httpx.AsyncClient(
            base_url=self.api_url,
            auth=self._auth,
            transport=transport,
            timeout=httpx.Timeout(30.0, connect=10.0),
            headers={
                "User-Agent": "gcsched",
                "Accept": "application/json",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            event_hooks={"response": [cap_bodies(max_response_bytes)]},
        )
        self._clock, self._sleep = clock, sleep
        self._limits_known = rate_limit is not None
        self._limits_lock = asyncio.Lock()
        bucket = SlidingWindowPacer(
            rate_limit if rate_limit is not None else DEFAULT_RATE_LIMIT,
            target_utilisation=target_utilisation,
            clock=clock,
            sleep=sleep,
        )
        self._sender = Sender(
            self._http,
            bucket=bucket,
            budget=retry_budget or RetryBudget(),
            breaker=CircuitBreaker(breaker_threshold),
            max_concurrency=max_concurrency,
            retry_timeout=retry_timeout,
            attempt_timeout=attempt_timeout,
            clock=clock,
            sleep=sleep,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_url={self.api_url!r})"

    async def __aenter__(self) -> Self:
        """Open the connection pool."""
        await self._http.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the connection pool."""
        await self._http.__aexit__(exc_type, exc, tb)

    async def aclose(self) -> None:
        """Close the connection pool (when not used as a context manager)."""
        await self._http.aclose()

    # ------------------------------------------------------------ counters
    @property
    def request_count(self) -> int:
        """HTTP requests sent so far: API attempts plus token requests."""
        return self._sender.attempts + self._auth.token_requests

    @property
    def rate_limit(self) -> float:
        """The ceiling (requests per minute) the pacer uses now."""
        return self._sender.bucket.limit_per_minute

    # ------------------------------------------------------------ plumbing
    async def _ensure_limits(self) -> None:
        if self._limits_known:
            return
        async with self._limits_lock:
            if self._limits_known:
                return
            self._limits_known = True
            try:
                limit = await self._read_rate_limit()
            except AuthenticationError:
                raise
            except ApiError as exc:
                log.warning(
                    "limits API unavailable (%s); pacing at %d/min",
                    exc.status,
                    DEFAULT_RATE_LIMIT,
                )
                return
            self._sender.bucket.set_limit(limit)

    async def _call(
        self,
        method: str,
        route: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        missing_ok: bool = False,
    ) -> Any:
        """Send a request; the decoded JSON body (None for no body or a 404)."""
        await self._ensure_limits()
        response = await self._sender.request(
            method, route, path, params=params, json=json
        )
        if missing_ok and response.status_code == 404:
            return None
        if response.status_code >= 400:
            error = error_for_response(response, method=method, route=route, path=path)
            if response.extensions.get(AMBIGUOUS):
                error.after_lost_attempt = True  # type: ignore[attr-defined]
            raise error
        if not response.content.strip():
            return None
        try:
            return response.json()
        except ValueError:
            msg = (
                f"{method} {path}: the API answered {response.status_code} "
                "with a body that is not JSON"
            )
            raise ApiError(
                msg, status=response.status_code, method=method, path=path
            ) from None

    @staticmethod
    def _listing(data: Any, path: str) -> dict[str, Any]:
        """A listing answer: a JSON object with an ``entities`` list.

        One without it is malformed, not an empty org: reading it as empty
        would plan creates for everything (or say "no campaign named …").
        """
        if isinstance(data, dict) and isinstance(data.get("entities"), list):
            return data
        what = (
            "not a JSON object" if not isinstance(data, dict) else ("no entities list")
        )
        msg = (
            f"Unexpected answer for GET {path}: a listing with {what}; nothing "
            "was read from it. Check that the API URL points at the Genesys API"
        )
        raise ApiError(msg, method="GET", path=path)

    @staticmethod
    def _check(data: Any, model: type[BaseModel], what: str) -> Any:
        try:
            model.model_validate(data)
        except ValidationError as exc:
            msg = f"Unexpected answer for {what}: {wire.describe_validation_error(exc)}"
            raise ApiError(msg) from None
        return data

    async def _get_one(
        self, route: str, path: str, model: type[BaseModel], **kw: Any
    ) -> Any:
        data = await self._call("GET", route, path, **kw)
        if data is None and kw.get("missing_ok"):
            return None
        if not isinstance(data, dict):
            msg = f"Unexpected answer for GET {path}: not a JSON object"
            raise ApiError(msg, method="GET", path=path)
        return self._check(data, model, f"GET {path}")

    async def _all_pages(
        self,
        path: str,
        model: type[BaseModel],
        params: Mapping[str, str | int] | None = None,
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for page in range(1, _MAX_PAGES + 1):
            query: dict[str, str | int] = {
                **(params or {}),
                "pageSize": PAGE_SIZE,
                "pageNumber": page,
            }
            data = self._listing(
                await self._call("GET", path, path, params=query), path
            )
            listing = self._check(data, wire.EntityListing, f"GET {path}")
            parsed = wire.EntityListing.model_validate(listing)
            for entity in parsed.entities:
                out.append(self._check(entity, model, f"GET {path} entity"))
            if not parsed.entities:
                break
            if _last_page(page, parsed, data, len(out)):
                break
        return out

    async def _listing_pages(self, path: str) -> list[dict[str, Any]]:
        """Every entity of a listing that takes no paging parameters.

        The first page is asked for without any (the SDKs send none); later
        pages follow ``nextUri``, or, without one, ``pageNumber`` up to
        ``pageCount``. What cannot be read whole is an error, never a partial
        list: a snapshot missing schedules would plan PUTs over them.
        """
        out: list[dict[str, Any]] = []
        query: dict[str, str | int] | None = None
        target = path
        for page in range(1, _MAX_PAGES + 1):
            data = self._listing(
                await self._call("GET", path, target, params=query), path
            )
            parsed = self._check(data, wire.EntityListing, f"GET {target}")
            listing = wire.EntityListing.model_validate(parsed)
            out.extend(listing.entities)
            next_target = self._next_page(path, listing, page)
            if next_target is None:
                if listing.total is not None and len(out) < listing.total:
                    msg = (
                        f"GET {path}: the listing says {listing.total} entities "
                        f"but its pages held {len(out)}; nothing was read from it "
                        "(a partial list would hide schedules)"
                    )
                    raise ApiError(msg, method="GET", path=path)
                return out
            target, query = next_target
        msg = f"GET {path}: more than {_MAX_PAGES} pages; nothing was read from it"
        raise ApiError(msg, method="GET", path=path)

    def _next_page(
        self, path: str, listing: wire.EntityListing, page: int
    ) -> tuple[str, dict[str, str | int] | None] | None:
        """Where the page after `page` is: (path, query), or None after the last."""
        if listing.next_uri:
            parts = urlsplit(listing.next_uri)
            own = urlsplit(self.api_url)
            elsewhere = (parts.scheme, parts.netloc) != (own.scheme, own.netloc)
            if (parts.scheme or parts.netloc) and elsewhere:
                # The token must never travel to another host.
                msg = (
                    f"GET {path}: the listing's nextUri points at another "
                    "host; nothing was read from it"
                )
                raise ApiError(msg, method="GET", path=path)
            if parts.path != path:
                msg = (
                    f"GET {path}: the listing's nextUri points at another "
                    f"path ({parts.path}); nothing was read from it"
                )
                raise ApiError(msg, method="GET", path=path)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            return target, None
        if listing.page_count is not None and page < listing.page_count:
            if not listing.entities:
                msg = (
                    f"GET {path}: page {page} of {listing.page_count} is empty; "
                    "nothing was read from it"
                )
                raise ApiError(msg, method="GET", path=path)
            size = listing.page_size or len(listing.entities)
            return path, {"pageSize": size, "pageNumber": page + 1}
        return None

    async def observe(
        self, path: str, params: Mapping[str, str | int] | None = None
    ) -> Observation:
        """GET `path` and return the answer as it is, errors included (doctor).

        Paced and retried like every request; an authentication failure still
        raises (nothing else can be observed without a token).
        """
        await self._ensure_limits()
        response = await self._sender.request("GET", path, path, params=params)
        error = None
        if response.status_code >= 400:
            error = str(
                error_for_response(response, method="GET", route=path, path=path)
            )
        try:
            body = response.json() if response.content.strip() else None
        except ValueError:
            body = None
        return Observation(
            status=response.status_code,
            body=body,
            date=response.headers.get("Date"),
            ratelimit_headers=any(
                key.lower().startswith("inin-ratelimit-") for key in response.headers
            ),
            error=error,
        )

    async def wrong_secret_status(self) -> int:
        """The token endpoint's status for this client id with a wrong secret.

        One request, never retried; the wrong secret is random and never
        logged. Settles how the org answers bad credentials (doctor --probe).
        """
        wrong = Credentials(
            self._auth.client_id, "gcsched-doctor-" + os.urandom(8).hex()
        )
        response = await self._http.post(
            self._auth.token_url,
            headers={
                "Authorization": basic_credential(wrong),
                "Content-Type": "application/x-www-form-urlencoded",
            },
            content=b"grant_type=client_credentials",
            auth=httpx.Auth(),  # no bearer token on this one
        )
        return response.status_code

    @staticmethod
    def _with_division_hint(exc: ApiError) -> ApiError:
        """A 403/404 on reading one target, naming divisions as a possible cause."""
        if not isinstance(exc, PermissionDeniedError | NotFoundError):
            return exc
        if "division" in str(exc):
            return exc
        return type(exc)(
            str(exc) + DIVISION_HINT,
            status=exc.status,
            code=exc.code,
            method=exc.method,
            path=exc.path,
            correlation_id=exc.correlation_id,
        )

    @staticmethod
    def _family(family: str) -> str:
        if family not in FAMILIES:
            msg = f"Unknown schedule family {family!r}; one of: {', '.join(FAMILIES)}"
            raise InputError(msg)
        return family

    @staticmethod
    def _outbound(check: Callable[[], object], what: str) -> None:
        try:
            check()
        except ValidationError as exc:
            problems = wire.describe_validation_error(exc)
            msg = f"Not sent: {what} is not a valid Genesys body: {problems}"
            raise InputError(msg) from None

    async def _read_rate_limit(self) -> int:
        path = "/api/v2/organizations/limits/namespaces/platform.api"
        data = self._listing(await self._call("GET", path, path), path)
        self._check(data, wire.LimitsListing, f"GET {path}")
        for entity in wire.LimitsListing.model_validate(data).entities:
            if entity.key in _LIMIT_KEYS and entity.value and entity.value > 0:
                return int(entity.value)
        return DEFAULT_RATE_LIMIT

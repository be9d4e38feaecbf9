"""Send one API request: pace it, retry it with stamina, report it, map errors.

Each logical request runs inside ``stamina.retry_context(on=hook)``. The hook
decides (see `retry.py`) and returns ``0.0`` so that stamina itself never
sleeps: the wait is done by the next attempt with the injected ``sleep``, so the
pacer knows about it and tests run on a fake clock. The total time of one
request's retries is capped by ``retry_timeout`` (on the injected clock; the same
value is given to stamina as its wall-clock timeout).

Every attempt has a total deadline, ``attempt_timeout`` (`deadline.py`): a
server that trickles its answer cannot hold the run. 429s spend time, not
attempts: a request is retried on 429 until its retry timeout, and once the API
has answered nothing but 429 for longer than the retry timeout (across all
requests) the client stops. Other failures count against ``MAX_ATTEMPTS`` and
the retry budget.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import stamina

from gcsched.client.auth import TokenEndpointError
from gcsched.client.deadline import AttemptTimeoutError, attempt_deadline
from gcsched.client.failures import error_for_response
from gcsched.client.pacing import SlidingWindowPacer
from gcsched.client.retry import (
    MAX_RETRY_AFTER,
    RETRY_STATUSES,
    CircuitBreaker,
    RetryBudget,
    full_jitter,
    may_retry_method,
    retry_after_seconds,
    retry_after_wait,
)
from gcsched.errors import ApiError, CircuitOpenError, NetworkError, RateLimitError
from gcsched.telemetry import RateLimited, RequestCompleted, RetryScheduled, emit

__all__ = ["Sender"]

log = logging.getLogger("gcsched.client")

MAX_ATTEMPTS = 12
"""Attempts of one request that failed other than by a 429."""
AMBIGUOUS = "gcsched.ambiguous"
"""Response extension set when an earlier attempt may have been processed."""


class _RetryableAnswerError(Exception):
    """An answer worth retrying (429 or 5xx); carries the response."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


@dataclass
class _RequestState:
    method: str
    route: str
    started: float
    attempt: int = 0
    failures: int = 0  # failed attempts other than 429s
    wait: float = 0.0
    ambiguous: bool = False  # an earlier attempt may have been processed
    gave_up: str | None = None  # why a 429 was not retried


class Sender:
    """Sends requests through pacing, retries, the breaker and the budget."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        bucket: SlidingWindowPacer,
        budget: RetryBudget,
        breaker: CircuitBreaker,
        max_concurrency: int,
        retry_timeout: float,
        attempt_timeout: float,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self._http = http
        self.bucket = bucket
        self.budget = budget
        self.breaker = breaker
        self.attempts = 0  # every attempt sent; the account of them is events
        self._semaphore = asyncio.Semaphore(max(1, max_concurrency))
        self._retry_timeout = retry_timeout
        self._attempt_timeout = attempt_timeout
        self._throttled_since: float | None = None  # first 429 since an answer
        self._clock = clock
        self._sleep = sleep
        self._refused = False  # the last attempt found nothing listening

    def _refused_text(self) -> str:
        """``connection refused to URL``: the API is not there at all."""
        return (
            f"connection refused to {self._http.base_url}: nothing is listening "
            "there (is the API URL right, or `gcsched sandbox serve` running?)"
        )

    def _circuit_error(self, method: str, path: str) -> CircuitOpenError:
        if self._refused:
            msg = (
                f"Stopped before {method} {path}: {self._refused_text()}. Nothing "
                "more is sent; run the same command again to resume."
            )
            return CircuitOpenError(msg, method=method, path=path)
        msg = (
            f"Stopped before {method} {path}: the API failed "
            f"{self.breaker.consecutive} times in a row (server errors or network "
            "failures). Nothing more is sent; run the same command again later "
            "to resume."
        )
        return CircuitOpenError(msg, method=method, path=path)

    def _held_error(self, method: str, path: str, held: float) -> RateLimitError:
        msg = (
            f"Not sent: {method} {path}: the API asked to wait {held:.0f} s more "
            f"(Retry-After), longer than the retry timeout ({self._retry_timeout:.0f}"
            " s); run the same command again later to resume"
        )
        return RateLimitError(msg, method=method, path=path)

    def _hook(self, state: _RequestState) -> Callable[[Exception], bool | float]:
        def decide(exc: Exception) -> bool | float:
            response: httpx.Response | None = None
            connect_error = False
            if isinstance(exc, _RetryableAnswerError):
                response = exc.response
                status: int | None = response.status_code
                reason = str(status)
            elif isinstance(exc, TokenEndpointError):
                status = exc.status or 503
                connect_error = True  # the API request itself was never sent
                reason = f"token {status}"
            elif isinstance(exc, httpx.TransportError):
                status = None
                connect_error = isinstance(
                    exc, httpx.ConnectError | httpx.ConnectTimeout
                )
                reason = "transport"
                state.ambiguous = state.ambiguous or not connect_error
            else:
                return False
            if self.breaker.is_open:
                return False
            if not may_retry_method(
                state.method, connect_error=connect_error, status=status
            ):
                return False
            if status is not None and status in (502, 504):
                state.ambiguous = True  # a gateway may have passed it on
            throttled = status == 429 and response is not None
            if throttled:
                assert response is not None
                floor, wait = retry_after_wait(response)
                if not self._may_wait_throttled(state, floor, wait):
                    return False
            else:
                state.failures += 1
                if state.failures >= MAX_ATTEMPTS:
                    return False
                wait = full_jitter(state.failures)
                hinted = retry_after_seconds(response) if response else None
                if hinted is not None:
                    wait = max(wait, hinted)
                if self._clock() - state.started + wait > self._retry_timeout:
                    return False
                if not self.budget.try_spend():
                    log.warning("retry budget spent; not retrying %s", state.route)
                    return False
            state.wait = wait
            emit(
                RetryScheduled(
                    method=state.method,
                    route=state.route,
                    reason=reason,
                    wait=wait,
                    attempt=state.attempt,
                )
            )
            return 0.0

        return decide

    def _may_wait_throttled(
        self, state: _RequestState, floor: float, wait: float
    ) -> bool:
        """Whether a 429 may be waited out: within this request's and the run's time."""
        now = self._clock()
        elapsed = now - state.started
        if elapsed + wait > self._retry_timeout:
            state.gave_up = (
                f"the API asked to wait {floor:.0f} s (Retry-After), longer than "
                f"the retry timeout ({self._retry_timeout:.0f} s)"
                if elapsed < 1.0
                else f"still rate limited after {elapsed:.0f} s; the next wait "
                f"({floor:.0f} s, Retry-After) would pass the retry timeout "
                f"({self._retry_timeout:.0f} s)"
            )
            return False
        since = self._throttled_since if self._throttled_since is not None else now
        if now - since + wait > self._retry_timeout:
            state.gave_up = (
                f"the API has answered only 429 for {now - since:.0f} s, longer "
                f"than the retry timeout ({self._retry_timeout:.0f} s)"
            )
            return False
        return True

    async def request(
        self,
        method: str,
        route: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """Send one request and return its final answer (any non-retried status).

        Raises:
            CircuitOpenError: the breaker is open (before or while sending).
            RateLimitError: 429 persisted past the budget or the timeout.
            ApiError: 5xx persisted.
            NetworkError: transport failures persisted.
            AuthenticationError: the token endpoint refused the client.
        """
        if self.breaker.is_open:
            raise self._circuit_error(method, path)
        self.budget.record_request()
        state = _RequestState(method=method, route=route, started=self._clock())
        try:
            async for attempt in stamina.retry_context(
                on=self._hook(state),
                attempts=None,  # the hook counts: 429s spend time, not attempts
                timeout=self._retry_timeout,
                wait_initial=0.0,
                wait_max=0.0,
                wait_jitter=0.0,
            ):
                with attempt:
                    response = await self._attempt(state, path, params, json)
                    if state.ambiguous:
                        response.extensions[AMBIGUOUS] = True
                    return response
        except _RetryableAnswerError as exc:
            status = exc.response.status_code
            if status >= 500 and self.breaker.is_open:
                raise self._circuit_error(method, path) from None
            if status == 429 and state.gave_up is not None:
                msg = (
                    f"Not done: {method} {path}: {state.gave_up}; nothing more is "
                    "sent for it. Run the same command again later to resume"
                )
                raise RateLimitError(
                    msg, status=429, method=method, path=path
                ) from None
            raise error_for_response(
                exc.response, method=method, route=route, path=path
            ) from None
        except TokenEndpointError as exc:
            if self.breaker.is_open:
                raise self._circuit_error(method, path) from None
            raise ApiError(
                exc.message, status=exc.status, method=method, path=path
            ) from None
        except httpx.TransportError as exc:
            if self.breaker.is_open:
                raise self._circuit_error(method, path) from None
            if isinstance(exc, AttemptTimeoutError):
                msg = (
                    f"{method} {path}: no complete answer within {exc.seconds:g} s "
                    f"(attempt {state.attempt}; the server answered too slowly or "
                    "not at all); check the network and the API URL, then run "
                    "again to resume"
                )
                raise NetworkError(msg) from None
            if self._refused:
                msg = f"{method} {path}: {self._refused_text()}; run again to resume"
                raise NetworkError(msg) from None
            msg = (
                f"{method} {path}: the API could not be reached "
                f"({type(exc).__name__}) after retries; check the network, "
                "HTTPS_PROXY and SSL_CERT_FILE, then run again to resume"
            )
            raise NetworkError(msg) from None
        msg = f"{method} {path}: no attempt was made"  # pragma: no cover
        raise ApiError(msg, method=method, path=path)  # pragma: no cover

    async def _attempt(
        self,
        state: _RequestState,
        path: str,
        params: Mapping[str, str | int] | None,
        json: Any,
    ) -> httpx.Response:
        state.attempt += 1
        if state.wait > 0:
            wait, state.wait = state.wait, 0.0
            await self._sleep(wait)
        if self.breaker.is_open:
            raise self._circuit_error(state.method, path)
        held = self.bucket.pause_left()
        if held > self._retry_timeout:
            # A Retry-After nobody will wait for: fail fast, do not park here.
            raise self._held_error(state.method, path, held)
        async with self._semaphore:
            await self.bucket.acquire()
            began = self._clock()
            try:
                async with attempt_deadline(self._attempt_timeout):
                    response = await self._http.request(
                        state.method, path, params=params, json=json
                    )
            except (httpx.TransportError, TokenEndpointError) as exc:
                self._refused = isinstance(exc, httpx.ConnectError)
                self._record(state, 0, began)
                self.breaker.record_failure()
                log.info("%s %s failed: %s", state.method, path, type(exc).__name__)
                raise
        self._refused = False
        status = response.status_code
        self._record(state, status, began)
        if status == 429:
            if self._throttled_since is None:
                self._throttled_since = self._clock()
        else:
            self._throttled_since = None
        if status >= 500:
            self.breaker.record_failure()
        else:
            self.breaker.record_success()
        if status == 429:
            floor = retry_after_seconds(response)
            emit(RateLimited(route=state.route, retry_after=floor))
            self.bucket.pause(min(floor, MAX_RETRY_AFTER) if floor is not None else 1.0)
        if status in RETRY_STATUSES:
            raise _RetryableAnswerError(response)
        return response

    def _record(self, state: _RequestState, status: int, began: float) -> None:
        seconds = max(0.0, self._clock() - began)
        self.attempts += 1
        emit(
            RequestCompleted(
                method=state.method,
                route=state.route,
                status=status,
                seconds=seconds,
                attempt=state.attempt,
            )
        )
        log.debug(
            "%s %s -> %s in %.3fs (attempt %d)",
            state.method,
            state.route,
            status or "transport error",
            seconds,
            state.attempt,
        )

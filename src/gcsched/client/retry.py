"""Retry policy: what is retried, how long to wait, and when to stop.

* 429: retried for every method (the server did not process it), after at
  least ``Retry-After`` seconds plus a little jitter (3 s when it is missing,
  as the vendor's SDKs do). ``Retry-After`` is read in both RFC 9110 forms
  (seconds or an HTTP-date) and clamped to [1 s, 1 day]; a wait longer than the
  retry timeout is not waited for. 429s spend time, not attempts: they are
  retried until the retry timeout, not counted against the attempt cap or the
  retry budget.
* 5xx and transport errors: full-jitter exponential backoff, capped at 30 s,
  only for idempotent methods (GET, PUT, DELETE); PATCH and POST only on a
  connect error, when nothing reached the server.
* A retry budget (AWS/SRE style): retries may not exceed a floor plus ~10 % of
  the requests made, so a sick API is not hammered.
* A circuit breaker: after N consecutive 5xx/transport failures the client
  refuses every further request; the run stops and can be resumed.
"""

from __future__ import annotations

import email.utils
import random
from datetime import UTC, datetime

import httpx

from gcsched.domain.retry_after import parse_retry_after

__all__ = [
    "IDEMPOTENT",
    "MAX_RETRY_AFTER",
    "MIN_RETRY_AFTER",
    "RETRY_STATUSES",
    "CircuitBreaker",
    "RetryBudget",
    "full_jitter",
    "retry_after_seconds",
]

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DEFAULT_RETRY_AFTER = 3.0
BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0
RETRY_AFTER_JITTER = 0.5
MIN_RETRY_AFTER = 1.0
"""A shorter (or negative, or past) ``Retry-After`` is read as 1 s."""
MAX_RETRY_AFTER = 24 * 3600.0
"""A longer ``Retry-After`` (``1e400``) is read as a day: never waited for."""


def full_jitter(
    attempt: int, *, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP
) -> float:
    """AWS full jitter: ``U(0, min(cap, base * 2**(attempt-1)))``."""
    ceiling = min(cap, base * (2 ** max(0, attempt - 1)))
    return random.uniform(0.0, ceiling)


def _answer_time(response: httpx.Response) -> datetime:
    """The answer's own ``Date`` (an HTTP-date is relative to it), else now."""
    value = response.headers.get("Date")
    if value:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            pass
        else:
            return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return datetime.now(UTC)


def retry_after_seconds(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds, clamped to [`MIN_RETRY_AFTER`, `MAX_RETRY_AFTER`].

    Both RFC 9110 forms: delay-seconds (decimals accepted) and an HTTP-date,
    read against the answer's ``Date``. None if absent or unreadable (``nan``).
    """
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    seconds = parse_retry_after(value, now=_answer_time(response))
    if seconds is None:
        return None
    return min(max(seconds, MIN_RETRY_AFTER), MAX_RETRY_AFTER)


def retry_after_wait(response: httpx.Response) -> tuple[float, float]:
    """(floor, wait) for a 429: the floor is Retry-After, the wait adds jitter."""
    floor = retry_after_seconds(response)
    if floor is None:
        floor = DEFAULT_RETRY_AFTER
    return floor, floor + random.uniform(0.0, RETRY_AFTER_JITTER)


def may_retry_method(method: str, *, connect_error: bool, status: int | None) -> bool:
    """Whether a failed attempt of `method` may be sent again."""
    if status == 429 or connect_error:
        return True
    return method.upper() in IDEMPOTENT


class RetryBudget:
    """Retries allowed: ``floor + ratio × requests`` over the client's life.

    Args:
        ratio: share of requests that may be retried (0.1 = 10 %).
        floor: retries always allowed, so short runs ride out a burst.
    """

    def __init__(self, *, ratio: float = 0.1, floor: int = 20) -> None:
        self.ratio = ratio
        self.floor = floor
        self.requests = 0
        self.retries = 0

    def record_request(self) -> None:
        """A logical request started (its first attempt)."""
        self.requests += 1

    def try_spend(self) -> bool:
        """Take one retry from the budget; False when it is spent."""
        if self.retries >= self.floor + self.ratio * self.requests:
            return False
        self.retries += 1
        return True


class CircuitBreaker:
    """Opens after `threshold` consecutive server or transport failures.

    Once open it stays open for the life of the client: the run stops cleanly
    and the next run resumes it.
    """

    def __init__(self, threshold: int = 5) -> None:
        self.threshold = max(1, threshold)
        self.consecutive = 0
        self.is_open = False

    def record_failure(self) -> None:
        """A 5xx or a transport failure."""
        self.consecutive += 1
        if self.consecutive >= self.threshold:
            self.is_open = True

    def record_success(self) -> None:
        """Any answer that is not a 5xx: the server is alive."""
        if not self.is_open:
            self.consecutive = 0

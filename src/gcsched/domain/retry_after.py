"""`Retry-After` values (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.

One parser for the API client and the webhook sender; each clamps the result to
its own bounds. Pure: only `email.utils`, `math`, `re` and `datetime`.
"""

from __future__ import annotations

import email.utils
import math
import re
from datetime import UTC, datetime

__all__ = ["parse_retry_after"]

# delay-seconds is 1*DIGIT; decimals, a sign and an exponent are read too, so a
# negative or absurd value is seen for what it is instead of being ignored.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds to wait that a `Retry-After` value asks for, unclamped.

    Args:
        value: the header value, or None when absent.
        now: the current time (aware), for the HTTP-date form; pass the answer's
            own ``Date`` when it has one, so clock skew does not count.

    Returns:
        Seconds: negative for a past date or a negative number, ``inf`` for a
        number too large for a float (``1e400``); None when absent or unreadable
        (``nan``, ``soon``, Unicode digits).
    """
    if value is None:
        return None
    text = value.strip()
    if not text or not text.isascii():
        return None
    if _NUMBER.fullmatch(text):
        seconds = float(text)
        return None if math.isnan(seconds) else seconds
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - now).total_seconds()

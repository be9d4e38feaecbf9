"""The ``--guess NAME=VALUE`` switches: one per answer no source settles.

The sandbox serves the default (first) value of each switch unless told
otherwise; every other value is an answer a real org may plausibly give, so
that gcsched can be tested against it. docs/sandbox.md ("Guesses") gives the
source of every value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any, Final, Literal

__all__ = ["GUESS_VALUES", "Guesses"]

ScheduleName = Literal["kept", "dropped"]
EmptyPage = Literal["empty", "error"]
IntervalTime = Literal["wall", "utc"]
PastIntervals = Literal["accepted", "rejected"]

#: Every switch and its values as written on the command line, default first.
#: ``listing_page_size`` also takes any whole number from 1 to 100.
GUESS_VALUES: Final[dict[str, tuple[str, ...]]] = {
    "schedule_name": ("kept", "dropped"),
    "listing_page_size": ("all", "N"),
    "empty_page": ("empty", "error"),
    "version_conflict": ("409", "400"),
    "token_status": ("401", "400"),
    "interval_time": ("wall", "utc"),
    "past_intervals": ("accepted", "rejected"),
    "ratelimit_headers": ("off", "on"),
}
MAX_LISTING_PAGE_SIZE: Final = 100


@dataclass(frozen=True, slots=True)
class Guesses:
    """Which plausible answer the sandbox gives where the sources disagree.

    Attributes:
        schedule_name: ``dropped``: a schedule's ``name`` is neither stored
            nor returned.
        listing_page_size: None serves the email/messaging/WhatsApp schedule
            lists on one page; N pages them at N with ``nextUri``.
        empty_page: ``error``: an empty page of a list that takes
            ``allowEmptyResult`` answers 404 unless ``allowEmptyResult=true``.
        version_conflict: the status of a stale ``version`` (409 or 400).
        token_status: the status of bad-credential answers from
            ``/oauth/token`` (401 or 400).
        interval_time: ``utc``: interval times must end in ``Z`` and are UTC
            instants; ``wall``: with or without ``Z``, wall time in
            ``timeZone``.
        past_intervals: ``rejected``: a schedule PUT whose interval or
            recurrence starts lie in the past answers 400.
        ratelimit_headers: True sends the retired ``inin-ratelimit-*``
            headers.
    """

    schedule_name: ScheduleName = "kept"
    listing_page_size: int | None = None
    empty_page: EmptyPage = "empty"
    version_conflict: Literal[409, 400] = 409
    token_status: Literal[401, 400] = 401
    interval_time: IntervalTime = "wall"
    past_intervals: PastIntervals = "accepted"
    ratelimit_headers: bool = False

    def __post_init__(self) -> None:
        """Refuse values outside each switch's set (typed callers included)."""
        for name, value in self.to_json().items():
            allowed = GUESS_VALUES[name]
            if name == "listing_page_size":
                size = self.listing_page_size
                ok = size is None or (
                    isinstance(size, int)
                    and not isinstance(size, bool)
                    and 1 <= size <= MAX_LISTING_PAGE_SIZE
                )
            else:
                ok = value in allowed
            if not ok:
                msg = f"guess {name}={value}: {_expected(name)}"
                raise ValueError(msg)

    @classmethod
    def parse(cls, items: Iterable[str]) -> Guesses:
        """Build the guesses from ``NAME=VALUE`` strings (later ones win).

        Args:
            items: e.g. ``["schedule_name=dropped", "listing_page_size=25"]``.

        Returns:
            The guesses, defaults for every switch not named.

        Raises:
            ValueError: a string is not NAME=VALUE, or an unknown name or
                value; the message lists what is allowed.
        """
        chosen: dict[str, Any] = {}
        for item in items:
            name, sep, value = item.partition("=")
            name, value = name.strip(), value.strip()
            if not sep or not name:
                msg = f"guess {item!r}: expected NAME=VALUE, e.g. schedule_name=dropped"
                raise ValueError(msg)
            if name not in GUESS_VALUES:
                msg = (
                    f"unknown guess {name!r}; known guesses: {', '.join(GUESS_VALUES)}"
                )
                raise ValueError(msg)
            chosen[name] = _value(name, value)
        return replace(cls(), **chosen)

    def to_json(self) -> dict[str, str]:
        """Return every switch as ``NAME: VALUE`` strings (the CLI's spelling)."""
        out: dict[str, str] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name == "listing_page_size":
                out[field.name] = "all" if value is None else str(value)
            elif field.name == "ratelimit_headers":
                out[field.name] = "on" if value else "off"
            else:
                out[field.name] = str(value)
        return out


def _expected(name: str) -> str:
    if name == "listing_page_size":
        return f"use all or a whole number from 1 to {MAX_LISTING_PAGE_SIZE}"
    return f"use one of {', '.join(GUESS_VALUES[name])}"


def _value(name: str, text: str) -> Any:
    bad = f"guess {name}={text}: {_expected(name)}"
    if name == "listing_page_size":
        if text == "all":
            return None
        if (
            not (text.isascii() and text.isdigit())
            or not 1 <= int(text) <= MAX_LISTING_PAGE_SIZE
        ):
            raise ValueError(bad)
        return int(text)
    if text not in GUESS_VALUES[name]:
        raise ValueError(bad)
    if name in ("version_conflict", "token_status"):
        return int(text)
    if name == "ratelimit_headers":
        return text == "on"
    return text

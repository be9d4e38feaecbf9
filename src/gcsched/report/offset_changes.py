"""The days a zone's UTC offset changes (DST), for the marks on the timeline rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from gcsched.domain.dst import utc_offset_label, zone

__all__ = ["OffsetChange", "offset_changes"]

_SECOND = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class OffsetChange:
    """One change of a zone's UTC offset: on local day `day`, at instant `at` (UTC).

    `before`/`after` are the offsets (``UTC-05:00`` style); `wall` is the local
    wall time at which it happens, read with the offset before (``02:00``), and
    `wall_after` the reading just after (``03:00`` when clocks go forward).
    """

    zone: str
    day: date
    at: datetime
    before: str
    after: str
    wall: datetime
    wall_after: datetime

    @property
    def forward(self) -> bool:
        """True when the clocks go forward (the offset grows)."""
        return self.wall_after > self.wall

    def describe(self) -> str:
        """``America/New_York: 8 Mar 2026 at 02:00, UTC-05:00 → UTC-04:00 ...``."""
        moved = "go forward to" if self.forward else "go back to"
        clock = "24:00" if self.wall.date() > self.day else f"{self.wall:%H:%M}"
        return (
            f"{self.zone}: offset changes on {self.day:%a %d %b %Y} at "
            f"{clock}, {self.before} → {self.after} "
            f"(clocks {moved} {self.wall_after:%H:%M})"
        )


def _midnight_utc(name: str, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone(name)).astimezone(UTC)


def _offset(name: str, instant: datetime) -> timedelta:
    return instant.astimezone(zone(name)).utcoffset() or timedelta(0)


def _first_change(name: str, lo: datetime, hi: datetime) -> datetime:
    """The first instant in (lo, hi] whose offset differs from lo's (to the second)."""
    base = _offset(name, lo)
    while hi - lo > timedelta(seconds=1):
        mid = (lo + (hi - lo) / 2).replace(microsecond=0)
        if mid <= lo:
            break
        if _offset(name, mid) == base:
            lo = mid
        else:
            hi = mid
    return hi


@lru_cache(maxsize=256)
def offset_changes(name: str, first: date, last: date) -> tuple[OffsetChange, ...]:
    """Every change of `name`'s UTC offset on the local days [first, last].

    Args:
        name: an IANA zone.
        first: the first local day looked at.
        last: the last local day looked at (inclusive).

    Returns:
        The changes in time order (none for UTC or a zone without DST).
    """
    out: list[OffsetChange] = []
    day = first
    start = _midnight_utc(name, day)
    while day <= last:
        following = day + timedelta(days=1)
        end = _midnight_utc(name, following)
        lo, hi = start - _SECOND, end - _SECOND  # a change at 00:00 is that day's
        if _offset(name, lo) != _offset(name, hi):
            at = _first_change(name, lo, hi)
            before = at - _SECOND
            out.append(
                OffsetChange(
                    zone=name,
                    day=day,
                    at=at,
                    before=utc_offset_label(before, name),
                    after=utc_offset_label(at, name),
                    wall=(at + _offset(name, before)).replace(tzinfo=None),
                    wall_after=(at + _offset(name, at)).replace(tzinfo=None),
                )
            )
        day, start = following, end
    return tuple(out)

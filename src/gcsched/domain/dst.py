"""Local wall time to UTC, by design.md's Time rules (gaps and folds).

A window boundary is a naive local datetime in an IANA zone. Converting it to UTC:

- normal time: the one reading;
- in a spring-forward *gap* (the wall time does not exist): the first instant after
  the gap (the transition instant itself), for starts and ends alike;
- in a fall-back *fold* (the wall time occurs twice): a start takes the earlier
  reading (``fold=0``), an end the later one (``fold=1``), so the window covers every
  instant whose wall time lies inside it.

Each adjustment comes back as a `Shift` so the caller can warn about it. Day offsets
are cached per (zone, date): a day without a transition converts with one
subtraction, which keeps the expansion of thousands of schedules fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

__all__ = ["Shift", "day_base", "local_to_utc", "utc_offset_label", "zone"]

_ONE_DAY = timedelta(days=1)
Edge = Literal["start", "end"]


@dataclass(frozen=True, slots=True)
class Shift:
    """A boundary that DST moved: what was asked and what it became.

    `kind` is "gap" (the wall time does not exist) or "fold" (it occurs twice).
    `local` is the wall time asked for; `utc` the instant chosen.
    """

    kind: Literal["gap", "fold"]
    edge: Edge
    local: datetime
    utc: datetime


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The `ZoneInfo` for an IANA name (cached).

    Args:
        name: an IANA zone name, already checked by the config layer.

    Returns:
        The zone.
    """
    return ZoneInfo(name)


@lru_cache(maxsize=1 << 18)
def _day_offset(name: str, ordinal: int) -> timedelta | None:
    """The UTC offset in force all day long, or None on a day with a transition."""
    tz = zone(name)
    midnight = datetime.fromordinal(ordinal)
    first = tz.utcoffset(midnight)
    last = tz.utcoffset((midnight + _ONE_DAY).replace(fold=1))
    if (
        first is None
        or first != last
        or first != tz.utcoffset(midnight.replace(fold=1))
    ):
        return None
    return first


@lru_cache(maxsize=1 << 18)
def day_base(name: str, ordinal: int) -> datetime | None:
    """The UTC instant of local midnight on a day without a DST transition.

    On such a day a wall time ``midnight + t`` is simply ``day_base + t``.

    Args:
        name: IANA zone.
        ordinal: the local date's ordinal.

    Returns:
        The aware UTC instant, or None on a day with a transition (use
        `local_to_utc` then).
    """
    offset = _day_offset(name, ordinal)
    if offset is None:
        return None
    return (datetime.fromordinal(ordinal) - offset).replace(tzinfo=UTC)


def _transition(tz: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first UTC instant in (low, high] whose offset differs from low's."""
    base = low.astimezone(tz).utcoffset()
    lo, hi = low, high
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        mid = mid.replace(microsecond=0)
        if mid <= lo:
            break
        if mid.astimezone(tz).utcoffset() == base:
            lo = mid
        else:
            hi = mid
    return hi


def local_to_utc(
    local: datetime, zone_name: str, edge: Edge
) -> tuple[datetime, Shift | None]:
    """Convert a naive local wall time to an aware UTC instant.

    Args:
        local: naive wall-clock time in `zone_name`.
        zone_name: IANA zone.
        edge: "start" or "end" of a window; decides the reading in a fold.

    Returns:
        The UTC instant and, when DST moved it, the `Shift` to warn about.
    """
    offset = _day_offset(zone_name, local.toordinal())
    if offset is not None:
        return (local - offset).replace(tzinfo=UTC), None
    tz = zone(zone_name)
    early = local.replace(tzinfo=tz, fold=0).astimezone(UTC)
    late = local.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if early == late:
        return early, None
    if early > late:
        # A gap: fold=0 reads with the offset before it, so `early` lies after the
        # transition and `late` before it.
        instant = _transition(tz, late, early)
        return instant, Shift("gap", edge, local, instant)
    chosen = early if edge == "start" else late
    return chosen, Shift("fold", edge, local, chosen)


def utc_offset_label(instant: datetime, zone_name: str) -> str:
    """``UTC-04:00`` style label of the offset in force at `instant` in a zone.

    Args:
        instant: an aware datetime.
        zone_name: IANA zone.

    Returns:
        The label.
    """
    offset = instant.astimezone(zone(zone_name)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"

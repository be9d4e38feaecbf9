"""Day arithmetic: which local dates a window runs on, and day ranges.

A window runs on a date when its pattern matches:

- weekly (`days` set): the weekday is in `days` and the date's week (Monday-based)
  is a multiple of `every` weeks from the week of the anchor;
- daily (`days` None): the date is a multiple of `every` days from the anchor.

The anchor is the window's effective `from`; without one it is `NO_FROM_ANCHOR`
(1970-01-05, a Monday) so that results never depend on "today".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from gcsched.domain.model import Alteration, DayRange, Weekday, Window
from gcsched.genesys import DAY_NAMES

__all__ = [
    "GENESYS_DAY_NAMES",
    "NO_FROM_ANCHOR",
    "day_extent",
    "day_ordinals",
    "first_match",
    "matches",
    "nth_match",
    "pattern_dates",
    "week_start",
]

NO_FROM_ANCHOR = date(1970, 1, 5)

#: Genesys `daysOfWeek` names by ISO weekday, Monday first.
GENESYS_DAY_NAMES: dict[Weekday, str] = {day: DAY_NAMES[day - 1] for day in Weekday}


def week_start(day: date) -> date:
    """The Monday of `day`'s week.

    Args:
        day: any date.

    Returns:
        The Monday on or before it.
    """
    return day - timedelta(days=day.weekday())


def matches(window: Window, day: date, anchor: date) -> bool:
    """True when `window`'s pattern runs on `day` (ignoring from/until/count).

    Args:
        window: the window.
        day: the local date asked about.
        anchor: the date `every` counts from (the effective `from`).

    Returns:
        Whether the pattern matches.
    """
    every = max(window.every, 1)
    if window.days is None:
        return (day.toordinal() - anchor.toordinal()) % every == 0
    if day.isoweekday() not in window.days:
        return False
    weeks = (week_start(day).toordinal() - week_start(anchor).toordinal()) // 7
    return weeks % every == 0


def pattern_dates(
    window: Window, start: date, end: date, anchor: date
) -> Iterator[date]:
    """Every date in [start, end] (inclusive) on which the pattern runs.

    Args:
        window: the window.
        start: first date considered.
        end: last date considered.
        anchor: the date `every` counts from.

    Yields:
        The matching dates, in order.
    """
    every = max(window.every, 1)
    if window.days is None:
        first = start.toordinal()
        skew = (first - anchor.toordinal()) % every
        if skew:
            first += every - skew
        for ordinal in range(first, end.toordinal() + 1, every):
            yield date.fromordinal(ordinal)
        return
    days = window.days
    anchor_week = week_start(anchor).toordinal()
    monday = week_start(start).toordinal()
    skew = ((monday - anchor_week) // 7) % every
    if skew:
        monday += 7 * (every - skew)
    last = end.toordinal()
    offsets = sorted(int(d) - 1 for d in days)
    while monday <= last:
        for offset in offsets:
            ordinal = monday + offset
            if ordinal > last:
                break
            if ordinal >= start.toordinal():
                yield date.fromordinal(ordinal)
        monday += 7 * every


def first_match(window: Window, on_or_after: date, anchor: date) -> date | None:
    """The first date on or after `on_or_after` on which the pattern runs.

    Args:
        window: the window.
        on_or_after: where to start looking.
        anchor: the date `every` counts from.

    Returns:
        The date, or None for a window with no days at all.
    """
    span = 7 * max(window.every, 1) + 7
    return next(
        iter(pattern_dates(window, on_or_after, on_or_after + timedelta(span), anchor)),
        None,
    )


def nth_match(window: Window, start: date, anchor: date, count: int) -> date | None:
    """The date of the `count`-th pattern occurrence counted from `start`.

    Args:
        window: the window.
        start: the first date counted (the effective `from`).
        anchor: the date `every` counts from.
        count: how many occurrences (>= 1).

    Returns:
        The date of the last counted occurrence, or None when the pattern never runs.
    """
    if count < 1:
        return None
    per_week = 1 if window.days is None else max(len(window.days), 1)
    weeks = count // per_week + 2
    days_needed = weeks * 7 * max(window.every, 1) + 7
    found: date | None = None
    for index, day in enumerate(
        pattern_dates(window, start, start + timedelta(days_needed), anchor), 1
    ):
        found = day
        if index == count:
            return day
    return found


def day_ordinals(
    ranges: Iterable[Alteration], *, low: int | None = None, high: int | None = None
) -> set[int]:
    """The ordinals of every date inside the `DayRange`s (inclusive) of `ranges`.

    Each range is clipped to ``[low, high]`` first (when given), so a range such
    as 0001-01-01..9999-12-31 costs only the days asked about.

    Args:
        ranges: alterations; timed ranges are ignored.
        low: the first ordinal wanted (inclusive), or None for no lower clip.
        high: the last ordinal wanted (inclusive), or None for no upper clip.

    Returns:
        The set of date ordinals covered.
    """
    covered: set[int] = set()
    for item in ranges:
        if isinstance(item, DayRange):
            first, last = item.start.toordinal(), item.end.toordinal()
            if low is not None:
                first = max(first, low)
            if high is not None:
                last = min(last, high)
            covered.update(range(first, last + 1))
    return covered


def day_extent(ranges: Iterable[Alteration]) -> tuple[date, date] | None:
    """The first and last date covered by the `DayRange`s of `ranges`, or None.

    Args:
        ranges: alterations; timed ranges are ignored.

    Returns:
        ``(first, last)`` inclusive, without listing the days in between.
    """
    spans = [(r.start, r.end) for r in ranges if isinstance(r, DayRange)]
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)

"""Bodies for an org that refuses starts in the past.

Such an org (doctor fact ``past_intervals_accepted=false``, the sandbox's
``--guess past_intervals=rejected``) answers 400 "start cannot be in the past"
to a schedule whose interval or recurrence starts before now. `from_instant`
renders a body as it can be sent at an instant: intervals that have ended are
dropped, one under way starts then, and a recurrence whose first occurrence
began before then starts at its first occurrence from then on (a numbered range
counts the skipped occurrences off; one with no occurrence left is dropped).

Rendering at one instant and then at a later one is the same as rendering at
the later one, so a body sent on Monday and the file's body compare equal on
Tuesday once both are rendered at Tuesday's instant: that is how the planner
compares them (and why the plan stays the same from day to day).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Final
from zoneinfo import ZoneInfo

from gcsched.genesys import DAY_NAMES

__all__ = ["MARGIN", "from_instant", "not_before"]

#: How far ahead of the clock a sent start must lie (the request's travel time).
MARGIN: Final = timedelta(seconds=5)
_DAY: Final = timedelta(days=1)
_LOCAL: Final = "%Y-%m-%dT%H:%M:%S"
_WALL: Final = "%Y-%m-%dT%H:%M:%S.000"
_UTC: Final = "%Y-%m-%dT%H:%M:%S.000Z"


def not_before(now: datetime) -> datetime:
    """The earliest start a body sent at `now` may have.

    The first whole minute at least `MARGIN` after `now` (naive: UTC).

    Args:
        now: the clock.

    Returns:
        An aware UTC instant on a whole minute.
    """
    aware = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    moment = aware.astimezone(UTC) + MARGIN
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)


def _zone(name: object) -> tzinfo:
    try:
        return ZoneInfo(str(name)) if name else UTC
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return UTC


def _parse(text: object) -> datetime | None:
    """A schedule time: naive (wall time) or aware (it ended in ``Z``)."""
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _instant(moment: datetime, tz: tzinfo) -> datetime:
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    return moment.replace(tzinfo=tz).astimezone(UTC)


def _interval(item: Any, tz: tzinfo, limit: datetime) -> Any | None:
    """An interval from `limit` on: None when it has ended, clipped if under way."""
    if not isinstance(item, Mapping):
        return item
    start, end = _parse(item.get("start")), _parse(item.get("end"))
    if start is None or end is None:
        return item
    if _instant(end, tz) <= limit:
        return None
    if _instant(start, tz) >= limit:
        return item
    text = (
        limit.strftime(_UTC)
        if start.tzinfo is not None
        else limit.astimezone(tz).replace(tzinfo=None).strftime(_WALL)
    )
    return {**item, "start": text}


def _occurs(pattern: Mapping[str, Any], first: date) -> Any:
    """(predicate over dates, days per period, occurrences per period) or None."""
    every = pattern.get("interval", 1)
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        return None
    if pattern.get("type") == "Daily":
        return (lambda day: (day - first).days % every == 0), every, 1
    if pattern.get("type") != "Weekly":
        return None
    names = pattern.get("daysOfWeek") or []
    days = {DAY_NAMES.index(n) for n in names if n in DAY_NAMES}
    if not days:
        return None
    monday = first - timedelta(days=first.weekday())

    def weekly(day: date) -> bool:
        week = (day - timedelta(days=day.weekday()) - monday).days // 7
        return day.weekday() in days and week % every == 0

    return weekly, 7 * every, len(days)


def _recurrence(rec: Any, body_zone: object, limit: datetime) -> Any | None:
    """A recurrence from `limit` on; None when it has no occurrence left."""
    if not isinstance(rec, Mapping):
        return rec
    start, end = _parse(rec.get("start")), _parse(rec.get("end"))
    tz = _zone(rec.get("timeZone") or body_zone)
    if start is None or end is None or start.tzinfo is not None:
        return rec
    if _instant(start, tz) >= limit:
        return rec
    pattern = rec.get("pattern")
    found = _occurs(pattern, start.date()) if isinstance(pattern, Mapping) else None
    if found is None:
        return rec
    occurs, period, per_period = found
    # Whole periods that end before the limit's local date, skipped at once.
    horizon = limit.astimezone(tz).date() - _DAY
    periods = max(0, (horizon - start.date()).days // period)
    day = start.date() + timedelta(days=periods * period)
    skipped = periods * per_period
    # Ends: every period holds an occurrence, and the limit is at most two away.
    while not (
        occurs(day) and _instant(datetime.combine(day, start.time()), tz) >= limit
    ):
        skipped += 1 if occurs(day) else 0
        day += _DAY
    moved = datetime.combine(day, start.time())
    out = {
        **rec,
        "start": moved.strftime(_LOCAL),
        "end": (moved + (end - start)).strftime(_LOCAL),
    }
    bounds = rec.get("range")
    if isinstance(bounds, Mapping):
        if bounds.get("type") == "EndDate":
            last = _parse(bounds.get("end"))
            if last is not None and moved > last.replace(tzinfo=None):
                return None
        elif bounds.get("type") == "Numbered":
            count = bounds.get("numberOfOccurrences")
            if isinstance(count, int) and not isinstance(count, bool):
                if count - skipped < 1:
                    return None
                out["range"] = {**bounds, "numberOfOccurrences": count - skipped}
    return out


def from_instant(body: Mapping[str, Any], limit: datetime) -> dict[str, Any]:
    """`body` as an org that refuses past starts takes it at `limit`.

    Args:
        body: a schedule body (rendered, or as read from the API); parts it
            cannot read are kept as they are.
        limit: the earliest start allowed (aware; see `not_before`).

    Returns:
        A new body: intervals ending by `limit` dropped, one under way
        starting at `limit` (written as the original was: wall time in
        `timeZone`, or UTC with ``Z``), recurrences starting before `limit`
        moved to their first occurrence from `limit` on, with the other keys
        as they were.
    """
    out = dict(body)
    tz = _zone(body.get("timeZone"))
    intervals = body.get("intervals")
    if isinstance(intervals, list):
        out["intervals"] = [
            kept
            for item in intervals
            if (kept := _interval(item, tz, limit)) is not None
        ]
    recurrences = body.get("recurrences")
    if isinstance(recurrences, list):
        out["recurrences"] = [
            kept
            for rec in recurrences
            if (kept := _recurrence(rec, body.get("timeZone"), limit)) is not None
        ]
    return out

"""Read a Genesys Cloud schedule body back into a `Schedule`, and compare bodies.

`parse_body` is the inverse of `render_body`: recurrences become windows, and any
value that every window shares (`from`, `until`, `count`, `except`, `include`) is
hoisted to the schedule, so ``parse_body(render_body(s)) == s`` for a schedule in
that normal form. Read-only fields are ignored.

`canonical_body` is the form two bodies are compared in (plan diffs): read-only and
reference fields dropped, time strings normalised, defaults filled in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from gcsched.domain.days import GENESYS_DAY_NAMES, first_match
from gcsched.domain.genesys import LOCAL_FORMAT, marker_label
from gcsched.domain.model import (
    Alteration,
    DayRange,
    Schedule,
    Target,
    TimedRange,
    Weekday,
    Window,
)
from gcsched.errors import InputError
from gcsched.genesys import REFERENCE_KEYS, SCHEDULE_READ_ONLY_KEYS

__all__ = ["canonical_body", "parse_body"]

_DAYS_BY_NAME = {name.lower(): day for day, name in GENESYS_DAY_NAMES.items()}
_DAY_ORDER = {name: int(day) for day, name in GENESYS_DAY_NAMES.items()}
_MIDNIGHT = time(0)
T = TypeVar("T")


def parse_local(text: object) -> datetime:
    """A Genesys time string as a naive local datetime.

    Accepts ``YYYY-MM-DDTHH:MM[:SS[.SSS]]`` with an optional ``Z`` or offset,
    which is ignored (GUESS: the wall time is read in the schedule's zone).

    Args:
        text: the string.

    Returns:
        The naive datetime, without microseconds.

    Raises:
        InputError: when it is not such a string.
    """
    if not isinstance(text, str):
        msg = f"expected a date-time string, got {text!r}"
        raise InputError(msg)
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        msg = f"not an ISO-8601 date-time: {text!r}"
        raise InputError(msg) from None
    return value.replace(tzinfo=None, microsecond=0)


def first_day(start: date, days: frozenset[Weekday] | None, every: int) -> date:
    """The first date on or after `start` that a recurrence runs on.

    A Weekly recurrence may start on a day outside its `daysOfWeek`; its first
    occurrence is then the next matching day (weeks counted from `start`, as the
    expansion does). gcsched renders that day as the recurrence `start`.

    Args:
        start: the recurrence's start date.
        days: its weekdays (None: Daily).
        every: its interval.

    Returns:
        The date of the first occurrence.
    """
    if not days:
        return start
    probe = Window(start=time(0), end=time(1), days=days, every=max(every, 1))
    return first_match(probe, start, start) or start


def last_day(range_end: datetime, start: time, first: date) -> date:
    """The last day an occurrence starts on, for an EndDate range ending at `range_end`.

    GUESS (genesys-api.md §1.2, "end date time of the last occurrence"): an
    occurrence belongs to the range when it starts at or before `range.end`, so
    ``2027-01-31T00:00:00`` with 09:00 occurrences ends on 2027-01-30, and gcsched's
    own ``T23:59:59`` always means the date itself. A range that ends before the
    first occurrence (`first`) cannot be written as `until`; it is read as ending
    on that first day.

    Args:
        range_end: the range's end, local wall time.
        start: the recurrence's start time of day.
        first: the date of its first occurrence.

    Returns:
        The inclusive `until` date.
    """
    day = range_end.date()
    if range_end.time() < start:
        day -= timedelta(days=1)
    return max(day, first)


def _alteration(item: Mapping[str, Any]) -> Alteration:
    start, end = parse_local(item.get("start")), parse_local(item.get("end"))
    if start.time() == _MIDNIGHT and end.time() == _MIDNIGHT and end > start:
        return DayRange(start.date(), end.date() - timedelta(days=1))
    return TimedRange(start, end)


def _window(rec: Mapping[str, Any], zone_name: str, where: str) -> dict[str, Any]:
    start, end = parse_local(rec.get("start")), parse_local(rec.get("end"))
    length = end - start
    if length <= timedelta(0) or length > timedelta(days=1):
        msg = f"{where}: a recurrence must last more than 0 and at most 24 hours"
        raise InputError(msg)
    if length == timedelta(days=1) and start.time() != _MIDNIGHT:
        msg = (
            f"{where}: a 24-hour recurrence that does not start at midnight has no "
            "window form (a window's end must differ from its start)"
        )
        raise InputError(msg)
    pattern = rec.get("pattern") or {}
    every = int(pattern.get("interval") or 1)
    if every < 1:
        msg = f"{where}: the pattern interval must be at least 1, not {every}"
        raise InputError(msg)
    days: frozenset[Any] | None = None
    if pattern.get("type") == "Weekly":
        names = pattern.get("daysOfWeek") or []
        try:
            days = frozenset(_DAYS_BY_NAME[str(n).lower()] for n in names)
        except KeyError as exc:
            msg = f"{where}: unknown day of week {exc.args[0]!r}"
            raise InputError(msg) from None
        if not days:
            msg = f"{where}: a Weekly recurrence names no day of the week"
            raise InputError(msg)
    elif pattern.get("type") != "Daily":
        msg = f"{where}: unknown pattern type {pattern.get('type')!r}"
        raise InputError(msg)
    rng = rec.get("range") or {"type": "NoEnd"}
    until: date | None = None
    count: int | None = None
    if rng.get("type") == "EndDate":
        first = first_day(start.date(), days, every)
        until = last_day(parse_local(rng.get("end")), start.time(), first)
    elif rng.get("type") == "Numbered":
        count = int(rng.get("numberOfOccurrences") or 0)
        if count < 1:
            msg = f"{where}: a Numbered range needs at least 1 occurrence, not {count}"
            raise InputError(msg)
    elif rng.get("type") != "NoEnd":
        msg = f"{where}: unknown range type {rng.get('type')!r}"
        raise InputError(msg)
    alterations = rec.get("alterations") or []
    rec_zone = rec.get("timeZone") or zone_name
    return {
        "start": start.time(),
        "end": end.time(),
        "end_of_day": end.time() == _MIDNIGHT,
        "days": days,
        "every": every,
        "time_zone": None if rec_zone == zone_name else rec_zone,
        "from_": start.date(),
        "until": until,
        "count": count,
        "except_": tuple(
            _alteration(a) for a in alterations if a.get("type") == "Exclusion"
        ),
        "include": tuple(
            _alteration(a) for a in alterations if a.get("type") == "Inclusion"
        ),
    }


def _hoist(raw: Sequence[dict[str, Any]], key: str, empty: T) -> T:
    """The value every window shares (removed from them), else `empty`."""
    values = [r[key] for r in raw]
    if values and all(v == values[0] for v in values):
        for r in raw:
            r[key] = None
        return values[0]  # type: ignore[no-any-return]
    return empty


def parse_body(body: Mapping[str, Any], *, target: Target) -> Schedule:
    """Read a Genesys schedule body into a `Schedule` for `target`.

    Args:
        body: the body as the API returns it (read-only fields are ignored).
        target: what it schedules.

    Returns:
        The schedule, with values shared by every window hoisted to it.

    Raises:
        InputError: when the body cannot be represented (unknown pattern or range
            type, a recurrence longer than 24 hours, malformed strings).
    """
    where = f"schedule of {target.kind} {target.ref!r}"
    zone_name = body.get("timeZone") or "UTC"
    name = body.get("name")
    label: str | None = None
    if isinstance(name, str):
        label = marker_label(name).strip() or None
        if label == target.ref:
            label = None
    try:
        intervals = tuple(
            TimedRange(parse_local(i.get("start")), parse_local(i.get("end")))
            for i in body.get("intervals") or []
        )
        raw = [
            _window(rec, zone_name, f"{where}: recurrence {n}")
            for n, rec in enumerate(body.get("recurrences") or [])
        ]
    except (AttributeError, TypeError, ValueError) as exc:
        msg = f"{where}: malformed body ({exc})"
        raise InputError(msg) from None
    schedule_from: date | None = _hoist(raw, "from_", None)
    schedule_until: date | None = _hoist(raw, "until", None)
    schedule_count: int | None = _hoist(raw, "count", None)
    excepts: tuple[Alteration, ...] = _hoist(raw, "except_", ())
    includes: tuple[Alteration, ...] = _hoist(raw, "include", ())
    return Schedule(
        target=target,
        time_zone=zone_name,
        windows=tuple(Window(**r) for r in raw),
        intervals=intervals,
        from_=schedule_from,
        until=schedule_until,
        count=schedule_count,
        except_=excepts or (),
        include=includes or (),
        name=label,
    )


def _norm_time(value: object) -> object:
    try:
        return parse_local(value).strftime(LOCAL_FORMAT)
    except InputError:
        return value


def _weekdays(pattern: Mapping[str, Any]) -> frozenset[Weekday] | None:
    """The Weekly pattern's days, or None (Daily, or names it cannot read)."""
    if pattern.get("type") != "Weekly":
        return None
    try:
        return frozenset(
            _DAYS_BY_NAME[str(n).lower()] for n in pattern.get("daysOfWeek") or []
        )
    except KeyError:
        return None


def _canonical_range(
    rng: Mapping[str, Any], start: datetime | None, first: date | None
) -> dict[str, Any]:
    kind = rng.get("type")
    if kind == "EndDate":
        try:
            end = parse_local(rng.get("end"))
        except InputError:
            end = None
        if end is None or start is None or first is None:
            return {"type": kind, "end": _norm_time(rng.get("end"))}
        # Ends that select the same last occurrence are the same range.
        until = last_day(end, start.time(), first)
        return {"type": kind, "end": f"{until.isoformat()}T23:59:59"}
    if kind == "Numbered":
        return {"type": kind, "numberOfOccurrences": rng.get("numberOfOccurrences")}
    return {k: rng[k] for k in sorted(rng)}


def _canonical_recurrence(rec: Mapping[str, Any], zone_name: str) -> dict[str, Any]:
    pattern = dict(rec.get("pattern") or {})
    out: dict[str, Any] = {
        "start": _norm_time(rec.get("start")),
        "end": _norm_time(rec.get("end")),
    }
    start: datetime | None = None
    first: date | None = None
    try:
        start, end = parse_local(rec.get("start")), parse_local(rec.get("end"))
    except InputError:
        pass
    else:
        # A start before the first matching weekday means that weekday.
        every = pattern.get("interval") or 1
        first = first_day(start.date(), _weekdays(pattern), int(every))
        shift = first - start.date()
        out["start"] = (start + shift).strftime(LOCAL_FORMAT)
        out["end"] = (end + shift).strftime(LOCAL_FORMAT)
    rec_zone = rec.get("timeZone")
    if rec_zone and rec_zone != zone_name:
        out["timeZone"] = rec_zone
    canon_pattern: dict[str, Any] = {
        "type": pattern.get("type"),
        "interval": pattern.get("interval") or 1,
    }
    if pattern.get("type") == "Weekly":
        days = {str(d) for d in pattern.get("daysOfWeek") or []}
        canon_pattern["daysOfWeek"] = sorted(days, key=lambda d: _DAY_ORDER.get(d, 99))
    out["pattern"] = canon_pattern
    out["range"] = _canonical_range(rec.get("range") or {"type": "NoEnd"}, start, first)
    alterations = [
        {
            "type": a.get("type"),
            "start": _norm_time(a.get("start")),
            "end": _norm_time(a.get("end")),
        }
        for a in rec.get("alterations") or []
    ]
    if alterations:
        alterations.sort(key=lambda a: (str(a["type"]), str(a["start"]), str(a["end"])))
        out["alterations"] = alterations
    return out


def canonical_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """The comparable form of a schedule body.

    Drops read-only and reference fields (and recurrence ids and next occurrence
    details), normalises time strings to ``YYYY-MM-DDTHH:MM:SS``, defaults a
    missing `timeZone` to "UTC", sorts `daysOfWeek` Monday first and alterations,
    drops empty `alterations` and a recurrence `timeZone` equal to the schedule's.

    Args:
        body: a schedule body (rendered or read from the API).

    Returns:
        A new dict with deterministic key order.
    """
    zone_name = body.get("timeZone") or "UTC"
    out: dict[str, Any] = {}
    if "name" in body:
        out["name"] = body["name"]
    out["timeZone"] = zone_name
    intervals = [
        {"start": _norm_time(i.get("start")), "end": _norm_time(i.get("end"))}
        for i in body.get("intervals") or []
    ]
    out["intervals"] = sorted(intervals, key=lambda i: (str(i["start"]), str(i["end"])))
    out["recurrences"] = [
        _canonical_recurrence(r, zone_name) for r in body.get("recurrences") or []
    ]
    skip = SCHEDULE_READ_ONLY_KEYS | REFERENCE_KEYS | set(out)
    for key in sorted(k for k in body if k not in skip):
        out[key] = body[key]
    return out

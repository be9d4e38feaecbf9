"""The constraints the Genesys API puts on a schedule body, checked before sending.

A reviewed plan must never fail on a rule the plan could have checked, so the
planner runs every body it will send through `body_problems`. These are the
rules the sandbox's validation enforces (with its default switches:
``interval_time=local``, ``past_intervals=accepted``); the sandbox is an
independent oracle that gcsched must not import, so they are written here once
more, and a property test (tests/domain/test_body_rules.py) shows both accept
and refuse the same bodies.

Pure: a body in, a list of ``(field, message)`` problems out (empty: valid).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gcsched.genesys import DAY_NAMES, SCHEDULE_READ_ONLY_KEYS

__all__ = ["EMPTY_SCHEDULE", "Problem", "body_problems"]

Problem = tuple[str, str]
"""``(field, message)``: the field at fault, as the API's error details name it."""

EMPTY_SCHEDULE: Final = "A schedule needs at least one interval or one recurrence"
"""The API's words for a body with neither intervals nor recurrences."""

_TIME: Final = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z)?$"
)
_SCHEDULE_KEYS: Final = SCHEDULE_READ_ONLY_KEYS - {"nextOccurrenceDetails"} | {
    "name",
    "intervals",
    "recurrences",
    "timeZone",
}
_RECURRENCE_KEYS: Final = frozenset(
    {"id", "start", "end", "timeZone", "pattern", "range", "alterations"}
    | {"nextOccurrenceDetails"}
)
_PATTERNS: Final = ("Daily", "Weekly")
_RANGES: Final = ("NoEnd", "EndDate", "Numbered")
_ALTERATIONS: Final = ("Exclusion", "Inclusion")
_MAX_OCCURRENCE_SECONDS: Final = 24 * 3600


def _time(text: object) -> datetime | None:
    if not isinstance(text, str) or _TIME.match(text) is None:
        return None
    try:
        return datetime.fromisoformat(text.removesuffix("Z"))
    except ValueError:
        return None


def _zone_ok(name: object) -> bool:
    if not isinstance(name, str) or not name or name != name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


class _Rules:
    def __init__(self) -> None:
        self.found: list[Problem] = []

    def add(self, field: str, message: str) -> None:
        self.found.append((field, message))

    def missing(self, field: str) -> None:
        self.add(field, f"{field} may not be null")

    def enum(self, value: object, allowed: tuple[str, ...], field: str) -> bool:
        if value in allowed:
            return True
        self.add(field, f"{value!r} is not one of {', '.join(allowed)}")
        return False

    def date(self, value: object, field: str) -> datetime | None:
        if value is None:
            self.missing(field)
            return None
        parsed = _time(value)
        if parsed is None:
            self.add(field, "not a time of the form yyyy-MM-ddTHH:mm:ss[.SSS]")
        return parsed

    def span(self, item: Mapping[str, Any], field: str) -> float | None:
        start = self.date(item.get("start"), f"{field}.start")
        end = self.date(item.get("end"), f"{field}.end")
        if start is None or end is None:
            return None
        if end <= start:
            self.add(f"{field}.end", f"{field}.end must be after {field}.start")
        return (end - start).total_seconds()

    def zone(self, value: object, field: str) -> None:
        if value is not None and not _zone_ok(value):
            self.add(field, f"{value!r} is not a valid time zone")

    def integer(self, value: object, field: str) -> None:
        if value is None:
            self.missing(field)
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.add(field, f"{field} must be an integer of at least 1")

    def objects(self, value: object, field: str) -> list[Mapping[str, Any]]:
        if not isinstance(value, list):
            self.add(field, f"{field} must be a list")
            return []
        items: list[Mapping[str, Any]] = []
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                items.append(item)
            else:
                self.add(f"{field}[{index}]", "must be an object")
        return items


def _pattern(rules: _Rules, pattern: object, field: str) -> None:
    if not isinstance(pattern, Mapping):
        rules.missing(field)
        return
    kind = pattern.get("type")
    if kind is None:
        rules.missing(f"{field}.type")
    else:
        rules.enum(kind, _PATTERNS, f"{field}.type")
    rules.integer(pattern.get("interval"), f"{field}.interval")
    days = pattern.get("daysOfWeek")
    if days is not None and not isinstance(days, list):
        rules.add(f"{field}.daysOfWeek", "must be a list")
    elif days:
        for index, day in enumerate(days):
            rules.enum(day, DAY_NAMES, f"{field}.daysOfWeek[{index}]")
    elif kind == "Weekly":
        rules.add(f"{field}.daysOfWeek", "daysOfWeek is required for a Weekly pattern")


def _range(rules: _Rules, range_: object, field: str) -> None:
    if not isinstance(range_, Mapping):
        rules.missing(field)
        return
    kind = range_.get("type")
    if kind is None:
        rules.missing(f"{field}.type")
    elif rules.enum(kind, _RANGES, f"{field}.type"):
        if kind == "EndDate":
            rules.date(range_.get("end"), f"{field}.end")
        elif kind == "Numbered":
            rules.integer(
                range_.get("numberOfOccurrences"), f"{field}.numberOfOccurrences"
            )


def _recurrence(rules: _Rules, rec: Mapping[str, Any], field: str) -> None:
    for key in rec:
        if key not in _RECURRENCE_KEYS:
            rules.add(f"{field}.{key}", f"{key!r} is not a recurrence property")
    seconds = rules.span(rec, field)
    if seconds is not None and not 0 < seconds <= _MAX_OCCURRENCE_SECONDS:
        rules.add(
            f"{field}.end",
            f"{field}: an occurrence must last more than 0 and at most 24 hours",
        )
    rules.zone(rec.get("timeZone"), f"{field}.timeZone")
    _pattern(rules, rec.get("pattern"), f"{field}.pattern")
    _range(rules, rec.get("range"), f"{field}.range")
    alterations = rec.get("alterations")
    if alterations is not None:
        for index, alt in enumerate(rules.objects(alterations, f"{field}.alterations")):
            where = f"{field}.alterations[{index}]"
            if alt.get("type") is None:
                rules.missing(f"{where}.type")
            else:
                rules.enum(alt.get("type"), _ALTERATIONS, f"{where}.type")
            rules.span(alt, where)


def body_problems(
    body: Mapping[str, Any], ref_field: str, target_id: str
) -> list[Problem]:
    """What the API would refuse in a schedule PUT body.

    Args:
        body: the body gcsched will send.
        ref_field: the family's reference field (``campaign``...).
        target_id: the id of the scheduled object (the id in the path).

    Returns:
        One ``(field, message)`` per problem, in the API's order; empty when
        the API would accept the body.
    """
    rules = _Rules()
    for key in body:
        if key not in _SCHEDULE_KEYS and key != ref_field:
            rules.add(key, f"{key!r} is not a schedule property")
    target = body.get(ref_field)
    if target is None:
        rules.missing(ref_field)
    elif not isinstance(target, Mapping) or target.get("id") != target_id:
        rules.add(f"{ref_field}.id", f"{ref_field}.id must be {target_id}")
    version = body.get("version")
    if version is not None and (
        isinstance(version, bool) or not isinstance(version, int)
    ):
        rules.add("version", "version must be an integer")
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        rules.add("name", "name must be a string")
    rules.zone(body.get("timeZone"), "timeZone")
    intervals: list[Mapping[str, Any]] = []
    if body.get("intervals") is None:
        rules.missing("intervals")
    else:
        intervals = rules.objects(body["intervals"], "intervals")
        for index, interval in enumerate(intervals):
            rules.span(interval, f"intervals[{index}]")
    recurrences: list[Mapping[str, Any]] = []
    if body.get("recurrences") is not None:
        recurrences = rules.objects(body["recurrences"], "recurrences")
        for index, rec in enumerate(recurrences):
            _recurrence(rules, rec, f"recurrences[{index}]")
    if "intervals" in body and not intervals and not recurrences and not rules.found:
        rules.add("intervals", EMPTY_SCHEDULE)
    return rules.found

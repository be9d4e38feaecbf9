"""Validation of schedule bodies, by hand, as the real API answers it.

Every problem is collected; the answer is one 400 ``ErrorBody`` whose ``code``
and ``message`` are those of the first problem and whose ``details`` name
every field at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gcsched.sandbox.guesses import MAX_OCCURRENCE_SECONDS, SCHEDULE_TIME_PATTERN
from gcsched.sandbox.problems import ApiProblem, Detail

__all__ = [
    "parse_schedule_time",
    "schedule_instant",
    "valid_time_zone",
    "validate_schedule",
]

DATE_MESSAGE: Final = (
    "Dates must be specified as ISO-8601 strings. For example: yyyy-MM-ddTHH:mm:ss.SSSZ"
)
# The admin UI's words for a start in the past (``past_intervals=rejected``).
PAST_MESSAGE: Final = "start cannot be in the past"
SCHEDULE_KEYS: Final = frozenset(
    [
        "id",
        "name",
        "dateCreated",
        "dateModified",
        "version",
        "intervals",
        "recurrences",
        "timeZone",
        "selfUri",
    ]
)
RECURRENCE_KEYS: Final = frozenset(
    [
        "id",
        "start",
        "end",
        "timeZone",
        "pattern",
        "range",
        "alterations",
        "nextOccurrenceDetails",
    ]
)
PATTERN_TYPES: Final = ("Daily", "Weekly")
RANGE_TYPES: Final = ("NoEnd", "EndDate", "Numbered")
ALTERATION_TYPES: Final = ("Exclusion", "Inclusion")
DAYS: Final = (
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
)


@dataclass(frozen=True, slots=True)
class _Problem:
    code: str
    message: str
    field: str


def parse_schedule_time(text: object) -> datetime | None:
    """Parse a schedule time string, or return None if it is not one.

    Args:
        text: the value from the body.

    Returns:
        A naive datetime (wall time), or None when the string is malformed.
    """
    if not isinstance(text, str):
        return None
    match = SCHEDULE_TIME_PATTERN.match(text)
    if match is None:
        return None
    try:
        return datetime.fromisoformat(text.removesuffix("Z"))
    except ValueError:
        return None


def valid_time_zone(name: object) -> bool:
    """Return True when `name` is an IANA zone zoneinfo knows."""
    if not isinstance(name, str) or not name or name != name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


class _Checker:
    def __init__(self) -> None:
        self.problems: list[_Problem] = []

    def add(self, code: str, message: str, field: str) -> None:
        self.problems.append(_Problem(code, message, field))

    def missing(self, field: str) -> None:
        self.add("constraint.validation", f"{field} may not be null", field)

    def enum(self, value: object, allowed: tuple[str, ...], field: str) -> bool:
        if value in allowed:
            return True
        self.add(
            "invalid.value",
            f"Value [{value}] is not valid for field type [{field}]. "
            f"Allowable values are: {', '.join(allowed)}",
            field,
        )
        return False

    def date(self, value: object, field: str) -> datetime | None:
        if value is None:
            self.missing(field)
            return None
        parsed = parse_schedule_time(value)
        if parsed is None:
            self.add("invalid.date", DATE_MESSAGE, field)
        return parsed

    def utc_date(self, value: object, field: str) -> None:
        if isinstance(value, str) and parse_schedule_time(value) and value[-1] != "Z":
            self.add("invalid.date", DATE_MESSAGE, field)

    def span(
        self, body: dict[str, Any], field: str, *, utc: bool = False
    ) -> float | None:
        start = self.date(body.get("start"), f"{field}.start")
        end = self.date(body.get("end"), f"{field}.end")
        if utc:
            self.utc_date(body.get("start"), f"{field}.start")
            self.utc_date(body.get("end"), f"{field}.end")
        if start is None or end is None:
            return None
        if end <= start:
            self.add(
                "constraint.validation",
                f"{field}.end must be after {field}.start",
                f"{field}.end",
            )
        return (end - start).total_seconds()

    def zone(self, value: object, field: str) -> None:
        if value is not None and not valid_time_zone(value):
            self.add(
                "invalid.value",
                f"Value [{value}] is not a valid time zone for field [{field}]",
                field,
            )

    def integer(self, value: object, field: str, *, minimum: int = 1) -> None:
        if value is None:
            self.missing(field)
        elif isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.add(
                "invalid.value",
                f"{field} must be an integer of at least {minimum}",
                field,
            )

    def object_list(self, value: object, field: str) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            self.add("bad.request", f"{field} must be a list", field)
            return []
        items: list[dict[str, Any]] = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                items.append(item)
            else:
                self.add("bad.request", "must be an object", f"{field}[{index}]")
        return items


def _check_recurrence(check: _Checker, rec: dict[str, Any], field: str) -> None:
    for key in rec:
        if key not in RECURRENCE_KEYS:
            check.add(
                "invalid.property",
                f"Value [{key}] is not a valid property for object [Reoccurrence]",
                f"{field}.{key}",
            )
    seconds = check.span(rec, field)
    if seconds is not None and not 0 < seconds <= MAX_OCCURRENCE_SECONDS:
        check.add(
            "constraint.validation",
            f"{field}: an occurrence must last more than 0 and at most 24 hours",
            f"{field}.end",
        )
    check.zone(rec.get("timeZone"), f"{field}.timeZone")
    pattern = rec.get("pattern")
    if not isinstance(pattern, dict):
        check.missing(f"{field}.pattern")
    else:
        kind = pattern.get("type")
        if kind is None:
            check.missing(f"{field}.pattern.type")
        else:
            check.enum(kind, PATTERN_TYPES, f"{field}.pattern.type")
        check.integer(pattern.get("interval"), f"{field}.pattern.interval")
        days = pattern.get("daysOfWeek")
        if days is not None and not isinstance(days, list):
            check.add("bad.request", "must be a list", f"{field}.pattern.daysOfWeek")
        elif days:
            for index, day in enumerate(days):
                check.enum(day, DAYS, f"{field}.pattern.daysOfWeek[{index}]")
        elif kind == "Weekly":
            check.add(
                "constraint.validation",
                "daysOfWeek is required for a Weekly pattern",
                f"{field}.pattern.daysOfWeek",
            )
    range_ = rec.get("range")
    if not isinstance(range_, dict):
        check.missing(f"{field}.range")
    else:
        kind = range_.get("type")
        if kind is None:
            check.missing(f"{field}.range.type")
        elif check.enum(kind, RANGE_TYPES, f"{field}.range.type"):
            if kind == "EndDate":
                check.date(range_.get("end"), f"{field}.range.end")
            elif kind == "Numbered":
                check.integer(
                    range_.get("numberOfOccurrences"),
                    f"{field}.range.numberOfOccurrences",
                )
    alterations = rec.get("alterations")
    if alterations is not None:
        items = check.object_list(alterations, f"{field}.alterations")
        for index, alt in enumerate(items):
            where = f"{field}.alterations[{index}]"
            if alt.get("type") is None:
                check.missing(f"{where}.type")
            else:
                check.enum(alt.get("type"), ALTERATION_TYPES, f"{where}.type")
            check.span(alt, where)


def schedule_instant(
    text: object, zone: object, *, utc: bool = False
) -> datetime | None:
    """Return the UTC instant a schedule time string means, or None.

    Args:
        text: the time string.
        zone: the time zone it is wall time in (None or invalid: UTC).
        utc: True (``interval_time=utc``) reads a trailing ``Z`` as UTC;
            otherwise the string is wall time in `zone`, ``Z`` or not.

    Returns:
        An aware UTC datetime, or None when `text` is not a schedule time.
    """
    wall = parse_schedule_time(text)
    if wall is None:
        return None
    if utc and isinstance(text, str) and text.endswith("Z"):
        return wall.replace(tzinfo=UTC)
    where: tzinfo = ZoneInfo(str(zone)) if valid_time_zone(zone) else UTC
    return wall.replace(tzinfo=where).astimezone(UTC)


def _past(
    check: _Checker,
    item: dict[str, Any],
    zone: object,
    field: str,
    *,
    utc: bool,
    not_before: datetime,
) -> None:
    start = schedule_instant(item.get("start"), zone, utc=utc)
    if start is not None and start < not_before:
        check.add("constraint.validation", PAST_MESSAGE, f"{field}.start")


def validate_schedule(
    body: object,
    ref_field: str,
    target_id: str,
    *,
    utc_intervals: bool = False,
    not_before: datetime | None = None,
) -> dict[str, Any]:
    """Check a schedule PUT body; return it as a dict or raise a 400.

    Args:
        body: the decoded JSON body.
        ref_field: the family's reference field (``campaign``...).
        target_id: the id in the path.
        utc_intervals: ``interval_time=utc``: interval times must end in
            ``Z`` (400 ``invalid.date`` otherwise) and mean UTC instants.
        not_before: ``past_intervals=rejected``: the current UTC time; an
            interval or recurrence that starts before it is a 400.

    Returns:
        The body, known to be well formed.

    Raises:
        ApiProblem: 400 with every field at fault in ``details``.
    """
    if not isinstance(body, dict):
        raise ApiProblem(
            400,
            "bad.request",
            "The request could not be understood by the server due to "
            "malformed syntax.",
        )
    check = _Checker()
    for key in body:
        if key not in SCHEDULE_KEYS and key != ref_field:
            check.add(
                "invalid.property",
                f"Value [{key}] is not a valid property for object [schedule]",
                key,
            )
    target = body.get(ref_field)
    if target is None:
        check.missing(ref_field)
    elif not isinstance(target, dict) or target.get("id") != target_id:
        check.add(
            "invalid.value",
            f"{ref_field}.id must be the id in the path ({target_id})",
            f"{ref_field}.id",
        )
    version = body.get("version")
    if version is not None and (
        isinstance(version, bool) or not isinstance(version, int)
    ):
        check.add("invalid.value", "version must be an integer", "version")
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        check.add("invalid.value", "name must be a string", "name")
    check.zone(body.get("timeZone"), "timeZone")
    intervals: list[dict[str, Any]] = []
    if "intervals" not in body or body["intervals"] is None:
        check.missing("intervals")
    else:
        intervals = check.object_list(body["intervals"], "intervals")
        for index, interval in enumerate(intervals):
            check.span(interval, f"intervals[{index}]", utc=utc_intervals)
            if not_before is not None:
                zone = body.get("timeZone")
                where = f"intervals[{index}]"
                _past(
                    check,
                    interval,
                    zone,
                    where,
                    utc=utc_intervals,
                    not_before=not_before,
                )
    recurrences: list[dict[str, Any]] = []
    if body.get("recurrences") is not None:
        recurrences = check.object_list(body["recurrences"], "recurrences")
        for index, rec in enumerate(recurrences):
            _check_recurrence(check, rec, f"recurrences[{index}]")
            if not_before is not None:
                zone = rec.get("timeZone") or body.get("timeZone")
                where = f"recurrences[{index}]"
                _past(check, rec, zone, where, utc=utc_intervals, not_before=not_before)
    if "intervals" in body and not intervals and not recurrences and not check.problems:
        check.add(
            "constraint.validation",
            "A schedule needs at least one interval or one recurrence",
            "intervals",
        )
    if check.problems:
        first = check.problems[0]
        details = tuple(Detail(p.code, p.field) for p in check.problems)
        raise ApiProblem(400, first.code, first.message, details)
    return body

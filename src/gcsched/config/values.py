"""Readers for the scalar values of a schedule file: dates, times, days, zones.

Each reader takes what YAML produced (or what a Python caller passed) and returns
the domain value it means (a `TimeOfDay`, a set of weekdays, a `timedelta`, ...),
so nothing downstream parses the text again; or it raises `PydanticCustomError`
with a message a person can act on. The models in `gcsched.config.models` attach
them to fields.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import cache
from importlib import resources
from typing import Any, Literal, NoReturn, TypeVar
from zoneinfo import available_timezones

from pydantic_core import PydanticCustomError

from gcsched.config.zones import NOT_ZONES, legacy_zone_hint, meant_zone
from gcsched.domain.genesys import PROJECT_PATTERN
from gcsched.domain.model import DayRange, TimedRange, TimeOfDay, Weekday
from gcsched.telemetry.printable import unsafe_characters

__all__ = [
    "CODE_INVALID",
    "DAILY",
    "DATETIME_LIKE_PATTERN",
    "DATE_LIKE_PATTERN",
    "DAY_NAMES",
    "DAY_TOKEN_PATTERN",
    "DURATION_PATTERN",
    "FIRST_DATE",
    "LAST_DATE",
    "LOCAL_DATETIME_PATTERN",
    "MAX_COUNT",
    "MAX_EVERY",
    "NAME_MAX",
    "NAME_PATTERN",
    "PROJECT_PATTERN",
    "SCHEMA_DATE_PATTERN",
    "TIME_PATTERN",
    "day_set",
    "describe",
    "fail",
    "parse_alteration",
    "parse_calendar_item",
    "parse_date",
    "parse_day_token",
    "parse_duration",
    "parse_local_datetime",
    "parse_name",
    "parse_project",
    "parse_secret_env",
    "parse_target_ref",
    "parse_time",
    "parse_zone",
    "zone_names",
]

NAME_MAX = 55  # Genesys allows 64 characters; gcsched adds "gcsched: " (9)
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2999, 12, 31)
"""The dates a file may name: far enough from the calendar's ends (0001, 9999)
that no expansion (count x every, horizon_days, DST look-ups) can leave it."""
MAX_COUNT = 3660
"""`count` at most: ten years of daily occurrences, the longest expansion."""
MAX_EVERY = 52
"""`every` at most: once a year for a weekly pattern."""
DAILY: Literal["daily"] = "daily"
"""The `days` word for every day (`every` then counts days, not weeks)."""
DAY_NAMES: dict[str, Weekday] = {}
for _day in Weekday:
    DAY_NAMES[_day.name.lower()] = _day
    DAY_NAMES[_day.name.lower()[:3]] = _day

_DATE_TEXT = r"\d{4}-\d{2}-\d{2}"
_SCHEMA_DATE_TEXT = r"(?:19|2\d)\d{2}-\d{2}-\d{2}"  # FIRST_DATE..LAST_DATE
_TIME_TEXT = r"([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?"
_END_OF_DAY_TEXT = r"24:00(?::00)?"
_DURATION_TEXT = r"(\d{1,6})\s*([smhd])"
_DATE = re.compile(f"^{_DATE_TEXT}$")
_DATETIME = re.compile(rf"^({_DATE_TEXT})[Tt ](\d{{1,2}}:\d{{2}}(?::\d{{2}})?)$")
_TIME = re.compile(f"^{_TIME_TEXT}$")
_END_OF_DAY = ("24:00", "24:00:00")
_DURATION = re.compile(f"^{_DURATION_TEXT}$")
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _padded(pattern: str) -> str:
    """A whole-text JSON Schema pattern; the readers strip surrounding blanks."""
    return rf"^\s*(?:{pattern})\s*$"


def _any_case(word: str) -> str:
    """`mon` as `[mM][oO][nN]`: JSON Schema patterns have no ignore-case flag."""
    return "".join(f"[{c}{c.upper()}]" for c in word)


# JSON Schema patterns (ECMA-262 subset) of exactly what the readers below accept.
TIME_PATTERN = _padded(f"{_TIME_TEXT}|{_END_OF_DAY_TEXT}")
LOCAL_DATETIME_PATTERN = _padded(
    f"{_SCHEMA_DATE_TEXT}[Tt ](?:{_TIME_TEXT}|{_END_OF_DAY_TEXT})"
)
SCHEMA_DATE_PATTERN = f"^{_SCHEMA_DATE_TEXT}$"
_DAY_NAME = "|".join(_any_case(n) for n in sorted(DAY_NAMES, key=len, reverse=True))
DAY_TOKEN_PATTERN = _padded(
    rf"{_any_case('daily')}|(?:{_DAY_NAME})(?:\s*-\s*(?:{_DAY_NAME}))?"
)
DURATION_PATTERN = _padded(
    rf"(?!0+\s*[smhdSMHD]\s*$){_DURATION_TEXT.replace('[smhd]', '[smhdSMHD]')}"
)
NAME_PATTERN = rf"^\s*(?:\S|\S[\s\S]{{0,{NAME_MAX - 2}}}\S)\s*$"
DATE_LIKE_PATTERN = _padded(_DATE_TEXT)
DATETIME_LIKE_PATTERN = _padded(rf"{_DATE_TEXT}[Tt ]\d{{1,2}}:\d{{2}}(?::\d{{2}})?")

CODE_INVALID = "invalid_value"
"""The problem code of a refused value that has no more precise one."""


def fail(message: str, code: str = CODE_INVALID) -> NoReturn:
    """Raise a validation error whose text is exactly `message`.

    `code` becomes the error's type, and so the problem's code (see
    `gcsched.config.problems.CODES`).
    """
    raise PydanticCustomError(code, message)


def describe(value: Any) -> str:
    """Name a YAML value's type the way a file author thinks of it."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a true/false value ({str(value).lower()})"
    if isinstance(value, int | float):
        text = repr(value)
        return f"a number ({text[:20]}{'...' if len(text) > 20 else ''})"
    if isinstance(value, datetime):
        return f"a date and time ({value.isoformat()})"
    if isinstance(value, date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if type(value).__name__ == "Invalid":  # yaml_source.Invalid, reported already
        return "a value that could not be read"
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _in_calendar(day: date) -> date:
    """`day`, when it lies between FIRST_DATE and LAST_DATE."""
    if not FIRST_DATE <= day <= LAST_DATE:
        fail(
            f"{day.isoformat()} is outside the dates a schedule may use "
            f"({FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()})",
            code="bad_date",
        )
    return day


def parse_date(value: Any) -> date:
    """A calendar date from a YAML date or an ISO `YYYY-MM-DD` string."""
    if isinstance(value, datetime):
        fail(f"expected a date (YYYY-MM-DD), found {describe(value)}", code="bad_date")
    if isinstance(value, date):
        return _in_calendar(value)
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError as exc:
            fail(f"{value.strip()!r} is not a valid date: {exc}", code="bad_date")
        return _in_calendar(day)
    fail(f"expected a date (YYYY-MM-DD), found {describe(value)}", code="bad_date")


def parse_local_datetime(value: Any) -> datetime:
    """A naive local date and time from `YYYY-MM-DDTHH:MM[:SS]`."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            fail(
                f"{value.isoformat()} has a UTC offset; write local wall time "
                "without one (the schedule's time_zone applies)",
                code="bad_date",
            )
        _in_calendar(value.date())
        return value
    if isinstance(value, str):
        match = _DATETIME.match(value.strip())
        if match:
            try:
                day = date.fromisoformat(match.group(1))
            except ValueError as exc:
                fail(f"{value.strip()!r} is not a valid date: {exc}", code="bad_date")
            _in_calendar(day)
            return datetime.combine(day, parse_time(match.group(2)).clock)
    fail(
        f"expected a local date and time (YYYY-MM-DDTHH:MM), found {describe(value)}",
        code="bad_date",
    )


#: Most texts most files repeat (a start and end per window, a token per
#: `days`) parsed once each: `parse_time` and `parse_day_token` are pure
#: functions of the text, their results immutable. Bounded, for a long-lived
#: process reading many files; a text that fails is never kept.
_PARSED_MAX = 4096
_T = TypeVar("_T")
_TIMES: dict[str, TimeOfDay] = {}
_DAY_TOKENS: dict[str, frozenset[Weekday] | Literal["daily"]] = {}


def _remembered(cache: dict[str, _T], value: Any, parse: Callable[[Any], _T]) -> _T:
    """`parse(value)`, kept in `cache` when `value` is a text (at most
    `_PARSED_MAX` texts; a failure raises and is never kept)."""
    if type(value) is not str:
        return parse(value)
    parsed = cache.get(value)
    if parsed is None:
        parsed = parse(value)
        if len(cache) < _PARSED_MAX:
            cache[value] = parsed
    return parsed


def parse_time(value: Any) -> TimeOfDay:
    """A time of day "HH:MM" or "HH:MM:SS" ("24:00" allowed); seconds are kept."""
    return _remembered(_TIMES, value, _parse_time)


def _parse_time(value: Any) -> TimeOfDay:
    if isinstance(value, time):
        return TimeOfDay(
            time(value.hour, value.minute, value.second, tzinfo=value.tzinfo)
        )
    if isinstance(value, str):
        text = value.strip()
        if text in _END_OF_DAY:
            return TimeOfDay(time(0), end_of_day=True)
        match = _TIME.match(text)
        if match:
            hour, minute, second = match.groups()
            return TimeOfDay(time(int(hour), int(minute), int(second or 0)))
        fail(
            f'{text!r} is not a time of day; write it as "HH:MM" (00:00-24:00)',
            code="bad_time",
        )
    hint = ' (quote it: "09:00")' if isinstance(value, int | float) else ""
    fail(f'expected a time "HH:MM", found {describe(value)}{hint}', code="bad_time")


def _day_span(first: Weekday, last: Weekday) -> frozenset[Weekday]:
    """`first` to `last` inclusive, wrapping past Sunday (fri-mon)."""
    span = (last - first) % 7
    return frozenset(Weekday((first - 1 + i) % 7 + 1) for i in range(span + 1))


def parse_day_token(value: Any) -> frozenset[Weekday] | Literal["daily"]:
    """One `days` item: a day name, a range `mon-fri` (its weekdays), or `daily`."""
    return _remembered(_DAY_TOKENS, value, _parse_day_token)


def _parse_day_token(value: Any) -> frozenset[Weekday] | Literal["daily"]:
    if not isinstance(value, str):
        fail(
            f"expected a day name such as mon or mon-fri, found {describe(value)}",
            code="bad_day",
        )
    word = value.strip().lower()
    if word == DAILY:
        return DAILY
    names = [part.strip() for part in word.split("-")]
    if len(names) in (1, 2) and all(name in DAY_NAMES for name in names):
        return _day_span(DAY_NAMES[names[0]], DAY_NAMES[names[-1]])
    wrong = next((n for n in names if n not in DAY_NAMES), word)
    close = difflib.get_close_matches(wrong, list(DAY_NAMES), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    fail(
        f"{value!r} is not a day: use mon..sun (or monday..sunday), "
        f"a range like mon-fri or fri-mon, or daily{hint}",
        code="bad_day",
    )


def day_set(tokens: list[str]) -> frozenset[Weekday]:
    """The weekdays named by day tokens such as ``["mon-fri", "sun"]``.

    Raises:
        PydanticCustomError: A token is not a day name or range (or is daily).
    """
    days: set[Weekday] = set()
    for token in tokens:
        span = parse_day_token(token)
        if isinstance(span, str):
            fail("daily cannot be combined with day names")
        days.update(span)
    return frozenset(days)


@cache
def zone_names() -> frozenset[str]:
    """Every IANA zone name tzdata knows (also the legacy ones)."""
    return frozenset(available_timezones()) - NOT_ZONES


@cache
def _shipped_zone_names() -> frozenset[str]:
    """The zone names of the tzdata package: one small file, read in well under a
    millisecond, where `zone_names` walks every zone directory on the machine.
    A subset of `zone_names` (`available_timezones` includes it), so a name found
    here is known without the walk; any other name takes the full check."""
    try:
        listing = resources.files("tzdata").joinpath("zones").read_text("utf-8")
    except (ModuleNotFoundError, OSError):  # pragma: no cover - tzdata is a dependency
        return frozenset()
    return frozenset(listing.split()) - NOT_ZONES


@cache
def _good_zone_names() -> tuple[str, ...]:
    """The zone names to suggest: no legacy or link names."""
    return tuple(sorted(z for z in zone_names() if legacy_zone_hint(z) is None))


def parse_zone(value: Any) -> str:
    """An IANA time zone name, checked against tzdata, with a suggestion.

    Legacy names (`EST`, `US/Eastern`) are read here and refused by a rule
    unless `allow_legacy_zone` is set; `localtime`, `posixrules` and `Factory`
    are no zones at all.
    """
    if not isinstance(value, str):
        fail(
            f"expected an IANA time zone name, found {describe(value)}", code="bad_zone"
        )
    name = value.strip()
    if name in NOT_ZONES:
        fail(
            f"{name!r} is a tzdata file, not a time zone (it depends on the "
            "machine or means nothing); use an IANA name such as America/Chicago",
            code="bad_zone",
        )
    if name in _shipped_zone_names() or name in zone_names():
        return name
    meant = meant_zone(name)
    lowered = {zone.lower(): zone for zone in _good_zone_names()}
    if meant is not None:
        return_hint = f"; did you mean {meant!r}?"
    elif name.lower() in lowered:
        return_hint = f"; did you mean {lowered[name.lower()]!r}?"
    else:
        close = difflib.get_close_matches(name, _good_zone_names(), n=1, cutoff=0.6)
        return_hint = f"; did you mean {close[0]!r}?" if close else ""
    fail(
        f"unknown time zone {name!r}: use an IANA name such as "
        f"America/Chicago{return_hint}",
        code="bad_zone",
    )


def parse_target_ref(value: Any) -> str:
    """A campaign, sequence or messaging campaign name or id."""
    if not isinstance(value, str):
        fail(
            f"expected a name or id as text, found {describe(value)} "
            "(quote names that YAML reads as numbers or true/false)"
        )
    if not value.strip():
        fail("the name or id is empty")
    return value.strip()


def parse_name(value: Any) -> str:
    """A schedule name that still fits Genesys's 64 characters once prefixed."""
    if not isinstance(value, str):
        fail(f"expected text, found {describe(value)}", code="bad_name")
    name = value.strip()
    if not name:
        fail("the name is empty; leave the key out instead", code="bad_name")
    unsafe = unsafe_characters(name)
    if unsafe:
        fail(
            f"the name holds control or bidi characters ({', '.join(unsafe)}); "
            "they would reach terminals and logs as they are, so remove them",
            code="bad_name",
        )
    if len(name) > NAME_MAX:
        fail(
            f"the name is {len(name)} characters; at most {NAME_MAX} fit "
            "(Genesys allows 64 and gcsched adds its 9-character 'gcsched: ' marker)",
            code="bad_name",
        )
    return name


def parse_project(value: Any) -> str:
    """A project slug (`PROJECT_PATTERN`): it is written into every name marker."""
    if not isinstance(value, str):
        fail(f"expected a project slug, found {describe(value)}", code="bad_project")
    if re.fullmatch(PROJECT_PATTERN, value) is None:
        fail(
            f"{value!r} is not a project slug: use 1 to 20 lowercase letters, "
            "digits and hyphens, starting and ending with a letter or digit "
            "(e.g. uk-retention)",
            code="bad_project",
        )
    return value


def parse_secret_env(value: Any) -> str:
    """The NAME of the environment variable that holds a webhook secret."""
    if not isinstance(value, str):
        fail(f"expected an environment variable name, found {describe(value)}")
    if value.startswith("whsec_"):
        fail(
            "this looks like a secret itself: put the secret in an environment "
            "variable and name it here (e.g. GCSCHED_WEBHOOK_SECRET)"
        )
    if not _ENV_NAME.match(value):
        fail(
            "expected an environment variable name like GCSCHED_WEBHOOK_SECRET "
            "(capital letters, digits and _)"
        )
    return value


def parse_duration(value: Any) -> timedelta:
    """A retry delay such as `5s`, `5m`, `2h` or `1d`."""
    if isinstance(value, str):
        match = _DURATION.match(value.strip().lower())
        if match and int(match.group(1)) > 0:
            return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])
    fail(f"expected a delay like 5s, 5m, 2h or 1d, found {describe(value)}")


def _range_keys(value: dict[Any, Any], what: str) -> None:
    unknown = [k for k in value if k not in ("from", "to", "name")]
    if unknown:
        fail(f"unknown key {unknown[0]!r} in {what}; use from, to and name")
    missing = [k for k in ("from", "to") if k not in value]
    if missing:
        fail(f"{what} needs both from and to (missing {missing[0]})")
    name = value.get("name")
    if name is not None and not isinstance(name, str):
        fail(f"the name of {what} must be text, found {describe(name)}")


def parse_calendar_item(value: Any) -> DayRange:
    """A calendar entry: a date, or `{from: date, to: date, name: str}`."""
    if isinstance(value, dict):
        _range_keys(value, "a calendar range")
        start, end = parse_date(value["from"]), parse_date(value["to"])
        if end < start:
            fail(f"to ({end}) is before from ({start})")
        return DayRange(start, end, value.get("name"))
    if isinstance(value, date | str) and not isinstance(value, datetime):
        return DayRange(parse_date(value), parse_date(value))
    fail(f"expected a date or {{from, to, name}}, found {describe(value)}")


def _is_datetime(value: Any) -> bool:
    return isinstance(value, datetime) or (
        isinstance(value, str) and bool(_DATETIME.match(value.strip()))
    )


def parse_alteration(value: Any) -> str | DayRange | TimedRange:
    """An `except`/`include` item: a calendar name, a date, or a from/to range."""
    if isinstance(value, dict):
        _range_keys(value, "a range")
        if _is_datetime(value["from"]) or _is_datetime(value["to"]):
            start = parse_local_datetime(value["from"])
            end = parse_local_datetime(value["to"])
            if end <= start:
                fail(f"to ({end.isoformat()}) must be after from")
            return TimedRange(start, end, value.get("name"))
        day_start, day_end = parse_date(value["from"]), parse_date(value["to"])
        if day_end < day_start:
            fail(f"to ({day_end}) is before from ({day_start})")
        return DayRange(day_start, day_end, value.get("name"))
    if isinstance(value, datetime) or _is_datetime(value):
        fail(
            "a single date and time is not a range: use a date, or "
            "{from: YYYY-MM-DDTHH:MM, to: YYYY-MM-DDTHH:MM}"
        )
    if isinstance(value, date):
        day = parse_date(value)
        return DayRange(day, day)
    if isinstance(value, str) and value.strip():
        if _DATE.match(value.strip()):
            day = parse_date(value)
            return DayRange(day, day)
        return value.strip()
    fail(f"expected a calendar name, a date or {{from, to}}, found {describe(value)}")

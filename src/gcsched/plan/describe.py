"""Human descriptions of Genesys schedule bodies and of the difference of two.

Pure string building used by `Change.describe()`. Read-only fields (ids,
versions, timestamps, `selfUri`, `nextOccurrenceDetails`) and the top-level
reference field (`campaign`, `sequence`, ...) are left out: they are not what a
reviewer decides on. Weekday lists read as ranges (``Monday–Friday``) and compare
as sets. Nothing here raises on an odd body: unexpected shapes are shown as JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard

from gcsched.genesys import DAY_NAMES, REFERENCE_KEYS, SCHEDULE_READ_ONLY_KEYS

__all__ = ["describe_body", "describe_update", "format_days", "format_value"]

_DAY_INDEX = {name.lower(): index for index, name in enumerate(DAY_NAMES)}
_TIMESTAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d)(?::00(?:\.0+)?)?(Z?)$")
_ABSENT = object()


def _is_days(value: object) -> TypeGuard[Sequence[str]]:
    """True for a non-empty list of weekday names."""
    return (
        isinstance(value, list | tuple)
        and bool(value)
        and all(isinstance(day, str) and day.lower() in _DAY_INDEX for day in value)
    )


def format_days(days: Sequence[str]) -> str:
    """Weekday names as ranges, Monday first: ``Monday–Friday, Sunday``.

    Args:
        days: weekday names in any order and case (Genesys writes ``Sunday`` ...
            ``Saturday``).

    Returns:
        Runs of three or more consecutive days as ``First–Last``, the rest
        listed; ``(no days)`` for an empty list.
    """
    indexes = sorted({_DAY_INDEX[day.lower()] for day in days})
    if not indexes:
        return "(no days)"
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAY_NAMES[run[0]]}–{DAY_NAMES[run[-1]]}")
        else:
            parts.extend(DAY_NAMES[index] for index in run)
    return ", ".join(parts)


def _short_time(value: object) -> str:
    """A Genesys timestamp without zero seconds or milliseconds."""
    if not isinstance(value, str):
        return format_value(value)
    match = _TIMESTAMP.match(value)
    if match is None:
        return value
    return match.group(1) + match.group(2)


def format_value(value: object) -> str:
    """One value as a reviewer reads it.

    Args:
        value: any JSON value (or the internal "absent" marker).

    Returns:
        Strings as they are (``""`` when empty), ``(none)`` for null,
        ``(absent)`` for a missing key, weekday lists as ranges, other values as
        compact JSON.
    """
    if value is _ABSENT:
        return "(absent)"
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value if value else '""'
    if _is_days(value):
        return format_days(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _normalise(value: Any, *, top: bool = False) -> Any:
    """The display form: read-only keys dropped, weekday lists in week order."""
    if isinstance(value, Mapping):
        return {
            str(key): _normalise(item)
            for key, item in value.items()
            if key not in SCHEDULE_READ_ONLY_KEYS
            and not (top and key in REFERENCE_KEYS)
        }
    if _is_days(value):
        return sorted(
            {day.capitalize() for day in value}, key=lambda d: _DAY_INDEX[d.lower()]
        )
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    return value


def _walk(path: str, old: Any, new: Any, out: list[str]) -> None:
    """Append one line per differing leaf between `old` and `new`."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            sub = f"{path}.{key}" if path else key
            _walk(sub, old.get(key, _ABSENT), new.get(key, _ABSENT), out)
        return
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and any(isinstance(item, dict) for item in [*old, *new])
    ):
        for index in range(max(len(old), len(new))):
            sub = f"{path}[{index}]"
            if index >= len(old):
                out.append(f"{sub}: added {_item_summary(path, new[index])}")
            elif index >= len(new):
                out.append(f"{sub}: removed {_item_summary(path, old[index])}")
            else:
                _walk(sub, old[index], new[index], out)
        return
    out.append(f"{path}: {format_value(old)} → {format_value(new)}")


def _item_summary(path: str, item: Any) -> str:
    """A list item added or removed: a recurrence or interval in words."""
    if isinstance(item, dict):
        if path.endswith("recurrences"):
            return _recurrence_line(item)
        if "start" in item and "end" in item:
            return _span(item)
    return format_value(item)


def describe_update(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Field-level differences between two bodies, one ``path: old → new`` each.

    Args:
        before: the body now (or, for pacing, the current field values).
        after: the body to send (or the desired field values).

    Returns:
        Lines in key order; a single note when only read-only or reference
        fields differ.
    """
    out: list[str] = []
    _walk("", _normalise(before, top=True), _normalise(after, top=True), out)
    return out or ["no field-level difference (only read-only or reference fields)"]


def _span(item: Mapping[str, Any]) -> str:
    """``start → end`` of an interval or alteration."""
    return f"{_short_time(item.get('start'))} → {_short_time(item.get('end'))}"


def _clock(value: object) -> str:
    """The HH:MM part of a local timestamp."""
    if isinstance(value, str) and "T" in value:
        return value.split("T", 1)[1][:5]
    return format_value(value)


def _recurrence_line(rec: Mapping[str, Any]) -> str:
    """One recurrence in words: pattern, days, hours, cadence, range, zone."""
    pattern = rec.get("pattern")
    pattern = pattern if isinstance(pattern, Mapping) else {}
    kind = str(pattern.get("type", "?"))
    interval = pattern.get("interval", 1)
    parts: list[str] = [kind]
    days = pattern.get("daysOfWeek")
    if _is_days(days):
        parts.append(format_days(days))
    parts.append(f"{_clock(rec.get('start'))}–{_clock(rec.get('end'))}")
    unit = "day" if kind == "Daily" else "week"
    every = f"every {unit}" if interval in (1, None) else f"every {interval} {unit}s"
    text = " ".join(parts) + f", {every}"
    start = rec.get("start")
    if isinstance(start, str):
        text += f", from {start.split('T', 1)[0]}"
    text += _range_text(rec.get("range"))
    if rec.get("timeZone"):
        text += f" ({rec['timeZone']})"
    return text


def _range_text(rng: object) -> str:
    """`, until D` / `, no end` / `, N occurrences`."""
    if not isinstance(rng, Mapping):
        return ""
    kind = rng.get("type")
    if kind == "EndDate":
        end = rng.get("end")
        return f", until {end.split('T', 1)[0] if isinstance(end, str) else '?'}"
    if kind == "Numbered":
        return f", {rng.get('numberOfOccurrences', '?')} occurrences"
    if kind == "NoEnd":
        return ", no end"
    return f", range {format_value(rng)}"


def describe_body(body: Mapping[str, Any]) -> list[str]:
    """A schedule body in words: name, zone, windows, range, alterations, intervals.

    Args:
        body: a Genesys schedule body (or, for pacing, a field mapping).

    Returns:
        One line per fact, e.g. ``recurrences[0]: Weekly Monday–Friday
        09:00–17:00, every week, from 2026-12-01, until 2026-12-31``.
    """
    lines: list[str] = []
    if "name" in body:
        lines.append(f"name: {format_value(body['name'])}")
    if "recurrences" in body or "intervals" in body:
        zone = body.get("timeZone")
        lines.append(f"timeZone: {zone if zone else 'UTC (not set)'}")
    recurrences = body.get("recurrences") or []
    intervals = body.get("intervals") or []
    for index, rec in enumerate(recurrences if isinstance(recurrences, list) else []):
        if not isinstance(rec, Mapping):
            lines.append(f"recurrences[{index}]: {format_value(rec)}")
            continue
        lines.append(f"recurrences[{index}]: {_recurrence_line(rec)}")
        for alt in rec.get("alterations") or []:
            if isinstance(alt, Mapping):
                label = "except" if alt.get("type") == "Exclusion" else "include"
                lines.append(f"  {label} {_span(alt)}")
    for index, item in enumerate(intervals if isinstance(intervals, list) else []):
        text = _span(item) if isinstance(item, Mapping) else format_value(item)
        lines.append(f"intervals[{index}]: {text}")
    known = {"name", "timeZone", "recurrences", "intervals"}
    for key in sorted(set(body) - known - SCHEDULE_READ_ONLY_KEYS - REFERENCE_KEYS):
        lines.append(f"{key}: {format_value(body[key])}")
    if ("recurrences" in body or "intervals" in body) and not (
        recurrences or intervals
    ):
        lines.append("no windows")
    return lines

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

__all__ = [
    "describe_body",
    "describe_difference",
    "describe_update",
    "format_days",
    "format_value",
]

SUMMARY_AT = 6
"""More one-off intervals or alterations than this read as counts and ranges."""

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
    """One recurrence in words: pattern, days, then `_window_text`."""
    pattern = rec.get("pattern")
    pattern = pattern if isinstance(pattern, Mapping) else {}
    parts: list[str] = [str(pattern.get("type", "?"))]
    days = pattern.get("daysOfWeek")
    if _is_days(days):
        parts.append(format_days(days))
    return " ".join(parts) + " " + _window_text(rec)


def _window_text(rec: Mapping[str, Any]) -> str:
    """A window named by its days (`_window_names`) in words: hours, cadence,
    first day, range, zone (``09:00–17:00, every week, from 2026-12-01, until
    2026-12-31``)."""
    pattern = rec.get("pattern")
    pattern = pattern if isinstance(pattern, Mapping) else {}
    interval = pattern.get("interval", 1)
    unit = "day" if pattern.get("type") == "Daily" else "week"
    every = f"every {unit}" if interval in (1, None) else f"every {interval} {unit}s"
    text = f"{_clock(rec.get('start'))}–{_clock(rec.get('end'))}, {every}"
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
        One line per fact, windows named in the file's terms as
        `describe_difference` names them, e.g. ``Monday–Friday window:
        09:00–17:00, every week, from 2026-12-01, until 2026-12-31``; many
        one-off intervals read as one line of counts and ranges.
    """
    lines: list[str] = []
    if "name" in body:
        lines.append(f"name: {format_value(body['name'])}")
    if "recurrences" in body or "intervals" in body:
        zone = body.get("timeZone")
        lines.append(f"timeZone: {zone if zone else 'UTC (not set)'}")
    recurrences = body.get("recurrences") or []
    intervals = body.get("intervals") or []
    recs = recurrences if isinstance(recurrences, list) else []
    readable = [rec for rec in recs if isinstance(rec, Mapping)]
    names = iter(_window_names(readable))
    for rec in recs:
        if not isinstance(rec, Mapping):
            lines.append(f"window: {format_value(rec)}")
            continue
        lines.append(f"{next(names)}: {_window_text(rec)}")
        lines.extend(
            f"  {_alteration_text(alt)}" for alt in rec.get("alterations") or []
        )
    items = intervals if isinstance(intervals, list) else []
    if len(items) > SUMMARY_AT and all(_is_span(item) for item in items):
        lines.append(_spans_summary(items))
    else:
        lines.extend(f"one-off window: {_span_or_value(item)}" for item in items)
    known = {"name", "timeZone", "recurrences", "intervals"}
    for key in sorted(set(body) - known - SCHEDULE_READ_ONLY_KEYS - REFERENCE_KEYS):
        lines.append(f"{key}: {format_value(body[key])}")
    if ("recurrences" in body or "intervals" in body) and not (
        recurrences or intervals
    ):
        lines.append("no windows")
    return lines


def _is_span(item: object) -> bool:
    return (
        isinstance(item, Mapping)
        and isinstance(item.get("start"), str)
        and isinstance(item.get("end"), str)
    )


def _spans_summary(items: Sequence[Any]) -> str:
    """Many one-off intervals as a count, the range they cover and their hours.

    ``97 one-off windows, 2026-12-01 → 2027-03-31: 60× 09:00–17:00, 37×
    17:00–20:00`` (local clock spans, the most frequent first).
    """
    starts = sorted(str(item["start"]) for item in items)
    ends = sorted(str(item["end"]) for item in items)
    spans: dict[str, int] = {}
    for item in items:
        key = f"{_clock(item['start'])}–{_clock(item['end'])}"
        spans[key] = spans.get(key, 0) + 1
    ranked = sorted(spans.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = ", ".join(f"{count}× {span}" for span, count in ranked[:4])
    more = f", {len(ranked) - 4} other spans" if len(ranked) > 4 else ""
    word = "window" if len(items) == 1 else "windows"
    return (
        f"{len(items)} one-off {word}, {starts[0].split('T', 1)[0]} → "
        f"{ends[-1].split('T', 1)[0]}: {shown}{more}"
    )


def _days_key(rec: Mapping[str, Any]) -> str:
    """What names a window in the file: its days (or its pattern when daily)."""
    pattern = rec.get("pattern")
    pattern = pattern if isinstance(pattern, Mapping) else {}
    days = pattern.get("daysOfWeek")
    if _is_days(days):
        return format_days(days)
    kind = pattern.get("type")
    return "daily" if kind == "Daily" else str(kind or "?")


def _window_names(recs: Sequence[Mapping[str, Any]]) -> list[str]:
    """``Saturday window``, or with its hours when two windows share the days."""
    keys = [_days_key(rec) for rec in recs]
    names = []
    for rec, key in zip(recs, keys, strict=True):
        hours = f" {_clock(rec.get('start'))}–{_clock(rec.get('end'))}"
        names.append(f"{key}{hours if keys.count(key) > 1 else ''} window")
    return names


def _pair_windows(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Match windows before and after: equal ones, then the same days, then
    what is left in order (a window whose days changed); the rest are removed
    and added."""
    left, right = list(range(len(old))), list(range(len(new)))
    pairs: list[tuple[int, int]] = []
    keys = (
        ([dict(rec) for rec in old], [dict(rec) for rec in new]),
        ([_days_key(rec) for rec in old], [_days_key(rec) for rec in new]),
    )
    for olds, news in keys:
        for a in list(left):
            match = next((b for b in right if olds[a] == news[b]), None)
            if match is not None:
                pairs.append((a, match))
                left.remove(a)
                right.remove(match)
    if len(left) == len(right):
        pairs.extend(zip(left, right, strict=True))
        left, right = [], []
    return sorted(pairs), left, right


def _date(value: object) -> str:
    return value.split("T", 1)[0] if isinstance(value, str) else format_value(value)


def _alteration_text(alt: Any) -> str:
    if not isinstance(alt, Mapping):
        return format_value(alt)
    label = "except" if alt.get("type") == "Exclusion" else "include"
    return f"{label} {_span(alt)}"


def _set_lines(what: str, old: Sequence[Any], new: Sequence[Any]) -> list[str]:
    """Items added and removed (as a set): each, or counts and ranges when many."""
    before = {format_value(item): item for item in old}
    after = {format_value(item): item for item in new}
    gone = [before[k] for k in before if k not in after]
    came = [after[k] for k in after if k not in before]
    if not gone and not came:
        return []
    many = len(gone) + len(came) > SUMMARY_AT
    if many and all(_is_span(item) for item in [*gone, *came]):
        lines = [f"{what}: {len(old)} → {len(new)}"]
        if gone:
            lines.append(f"  removed {_spans_summary(gone)}")
        if came:
            lines.append(f"  added {_spans_summary(came)}")
        return lines
    describe = _alteration_text if what.endswith("exceptions") else _span_or_value
    return [
        *(f"{what}: removed {describe(item)}" for item in gone),
        *(f"{what}: added {describe(item)}" for item in came),
    ]


def _span_or_value(item: Any) -> str:
    return _span(item) if isinstance(item, Mapping) else format_value(item)


def _window_lines(
    name: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[str]:
    """What changed in one window, in the file's words."""
    lines: list[str] = []
    if _days_key(old) != _days_key(new):
        lines.append(f"{name}: days {_days_key(old)} → {_days_key(new)}")
    facts = (
        ("starts", _clock(old.get("start")), _clock(new.get("start"))),
        ("ends", _clock(old.get("end")), _clock(new.get("end"))),
        ("from", _date(old.get("start")), _date(new.get("start"))),
        (
            "runs",
            _range_text(old.get("range")).lstrip(", ") or "(no range)",
            _range_text(new.get("range")).lstrip(", ") or "(no range)",
        ),
    )
    lines.extend(f"{name}: {word} {a} → {b}" for word, a, b in facts if a != b)
    for key in ("pattern", "timeZone"):
        a, b = old.get(key, _ABSENT), new.get(key, _ABSENT)
        if key == "pattern" and isinstance(a, Mapping) and isinstance(b, Mapping):
            a = {k: v for k, v in a.items() if k != "daysOfWeek"}
            b = {k: v for k, v in b.items() if k != "daysOfWeek"}
        if a != b:
            lines.append(f"{name}: {key} {format_value(a)} → {format_value(b)}")
    lines.extend(
        _set_lines(
            f"{name} exceptions",
            list(old.get("alterations") or []),
            list(new.get("alterations") or []),
        )
    )
    known = {"start", "end", "range", "pattern", "timeZone", "alterations"}
    out: list[str] = []
    for key in sorted((set(old) | set(new)) - known):
        _walk(f"{name} {key}", old.get(key, _ABSENT), new.get(key, _ABSENT), out)
    return lines + out


def _recurrences(body: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    recs = body.get("recurrences") or []
    if isinstance(recs, list) and all(isinstance(r, Mapping) for r in recs):
        return recs
    return None


def describe_difference(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[str]:
    """How two schedule bodies differ, in the schedule file's terms.

    Windows are named by their days (``Saturday window: ends 14:00 →
    16:00``), not by their place in the body (``recurrences[1].end``); many
    one-off intervals or exceptions read as counts and ranges, not one line
    each. Drift reports use this too: any two bodies of one schedule compare.

    Args:
        before: the body now (the org's).
        after: the body to send (the file's).

    Returns:
        One line per difference; a single note when only read-only or reference
        fields differ.
    """
    old, new = _normalise(before, top=True), _normalise(after, top=True)
    old_recs, new_recs = _recurrences(old), _recurrences(new)
    if old_recs is None or new_recs is None:
        return describe_update(before, after)
    lines: list[str] = []
    rest: list[str] = []
    for key in sorted((set(old) | set(new)) - {"recurrences", "intervals"}):
        _walk(key, old.get(key, _ABSENT), new.get(key, _ABSENT), rest)
    pairs, removed, added = _pair_windows(old_recs, new_recs)
    old_names, new_names = _window_names(old_recs), _window_names(new_recs)
    for a, b in pairs:
        lines.extend(_window_lines(old_names[a], old_recs[a], new_recs[b]))
    lines.extend(
        f"{old_names[a]}: removed ({_window_text(old_recs[a])})" for a in removed
    )
    lines.extend(f"{new_names[b]}: added ({_window_text(new_recs[b])})" for b in added)
    lines.extend(
        _set_lines(
            "one-off windows",
            list(old.get("intervals") or []),
            list(new.get("intervals") or []),
        )
    )
    lines = rest + lines
    return lines or ["no field-level difference (only read-only or reference fields)"]

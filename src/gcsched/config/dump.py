"""Writing schedules back as a schedule file (the inverse of `loads`, for export).

`loads(dump(x))` gives back the same schedules: dates are written as ISO dates,
times as quoted "HH:MM", day sets as compact ranges (`mon-fri`, `fri-mon`), and
window overrides only where they differ from the schedule's own value, and the
ranges of a calendar by the calendar's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import yaml

from gcsched.config.zones import legacy_zone_hint
from gcsched.domain.model import (
    DEFAULT_RETRY,
    Alteration,
    DayRange,
    Pacing,
    Policy,
    Schedule,
    ScheduleFile,
    TimedRange,
    WebhookEndpoint,
    Weekday,
    Window,
)
from gcsched.domain.webhook_events import WEBHOOK_EVENTS

__all__ = ["calendar_runs", "compress_days", "dump"]


class _Quoted(str):
    """A string always written in double quotes."""

    __slots__ = ()


class _Flow(list[Any]):
    """A list written inline: `[mon-fri, sat]`."""


class _FlowMap(dict[str, Any]):
    """A mapping written inline: `{from: ..., to: ...}`."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that keeps key order and knows the inline/quoted markers."""


def _quoted(dumper: yaml.SafeDumper, data: _Quoted) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


def _flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _flow_map(dumper: yaml.SafeDumper, data: _FlowMap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


_Dumper.add_representer(_Quoted, _quoted)
_Dumper.add_representer(_Flow, _flow)
_Dumper.add_representer(_FlowMap, _flow_map)

_SHORT = {day: day.name.lower()[:3] for day in Weekday}


def compress_days(days: frozenset[Weekday]) -> list[str]:
    """Day sets as the shortest tokens: runs of 3+ days become ranges (may wrap).

    Args:
        days: The weekdays (not empty).

    Returns:
        Tokens such as ``["mon-fri"]`` or ``["fri-mon", "wed"]``.
    """
    if len(days) == 7:
        return ["mon-sun"]
    tokens: list[str] = []
    for start in sorted(days):
        if Weekday((start - 2) % 7 + 1) in days:
            continue  # not the first day of its run
        run = [start]
        while Weekday(run[-1] % 7 + 1) in days:
            run.append(Weekday(run[-1] % 7 + 1))
        if len(run) >= 3:
            tokens.append(f"{_SHORT[run[0]]}-{_SHORT[run[-1]]}")
        else:
            tokens.extend(_SHORT[d] for d in run)
    return tokens


def _time(value: time, end_of_day: bool = False) -> _Quoted:
    if end_of_day:
        return _Quoted("24:00")
    return _Quoted(value.isoformat(timespec="seconds" if value.second else "minutes"))


def _datetime(value: datetime) -> str:
    return value.isoformat(timespec="seconds" if value.second else "minutes")


def _alteration(item: Alteration) -> Any:
    if isinstance(item, DayRange):
        if item.start == item.end and item.name is None:
            return item.start
        out = _FlowMap({"from": item.start, "to": item.end})
    else:
        out = _FlowMap({"from": _datetime(item.start), "to": _datetime(item.end)})
    if item.name is not None:
        out["name"] = item.name
    return out


Calendars = Sequence[tuple[str, tuple[DayRange, ...]]]


def calendar_runs(
    items: Sequence[Alteration], calendars: Calendars
) -> list[Alteration | str]:
    """`items` with each run equal to a calendar's ranges replaced by its name.

    The longest calendar is tried first at each place; an empty calendar is
    never used. `except: [us-holidays]` reads back as the same ranges.
    """
    ordered = sorted(
        ((name, ranges) for name, ranges in calendars if ranges),
        key=lambda kv: -len(kv[1]),
    )
    out: list[Alteration | str] = []
    index = 0
    while index < len(items):
        for name, ranges in ordered:
            if tuple(items[index : index + len(ranges)]) == ranges:
                out.append(name)
                index += len(ranges)
                break
        else:
            out.append(items[index])
            index += 1
    return out


def _alterations(items: tuple[Alteration, ...], calendars: Calendars = ()) -> list[Any]:
    return [
        item if isinstance(item, str) else _alteration(item)
        for item in calendar_runs(items, calendars)
    ]


def _window(window: Window, schedule: Schedule, calendars: Calendars) -> dict[str, Any]:
    out: dict[str, Any] = {
        "days": "daily" if window.days is None else _Flow(compress_days(window.days)),
        "start": _time(window.start),
        "end": _time(window.end, window.end_of_day),
    }
    if window.every != 1:
        out["every"] = window.every
    overrides: tuple[tuple[str, Any, Any], ...] = (
        ("time_zone", window.time_zone, schedule.time_zone),
        ("from", window.from_, schedule.from_),
        ("until", window.until, schedule.until),
        ("count", window.count, schedule.count),
        ("except", window.except_, schedule.except_),
        ("include", window.include, schedule.include),
    )
    for key, value, inherited in overrides:
        if value is None or value == inherited:
            continue
        alterations = key in ("except", "include")
        out[key] = _alterations(value, calendars) if alterations else value
    return out


def _pacing(pacing: Pacing) -> dict[str, Any]:
    fields = (
        ("max_calls_per_agent", pacing.max_calls_per_agent),
        ("outbound_line_count", pacing.outbound_line_count),
        ("abandon_rate", pacing.abandon_rate),
        ("messages_per_minute", pacing.messages_per_minute),
    )
    return _FlowMap({k: v for k, v in fields if v is not None})


def _interval(item: TimedRange) -> _FlowMap:
    out = _FlowMap({"start": _datetime(item.start), "end": _datetime(item.end)})
    if item.name is not None:
        out["name"] = item.name
    return out


def _schedule(schedule: Schedule, calendars: Calendars) -> dict[str, Any]:
    out: dict[str, Any] = {
        schedule.target.kind: schedule.target.ref,
        "time_zone": schedule.time_zone,
    }
    zones = {schedule.time_zone, *(w.time_zone for w in schedule.windows)}
    if any(legacy_zone_hint(z) is not None for z in zones if z is not None):
        out["allow_legacy_zone"] = True  # the org holds it; keep plans empty
    out["priority"] = schedule.priority
    optional: tuple[tuple[str, Any], ...] = (
        ("audience", schedule.audience),
        ("name", schedule.name),
    )
    out.update((k, v) for k, v in optional if v is not None)
    if schedule.windows:
        out["windows"] = [_window(w, schedule, calendars) for w in schedule.windows]
    if schedule.intervals:
        out["intervals"] = [_interval(i) for i in schedule.intervals]
    dates: tuple[tuple[str, date | int | None], ...] = (
        ("from", schedule.from_),
        ("until", schedule.until),
        ("count", schedule.count),
    )
    out.update((k, v) for k, v in dates if v is not None)
    if schedule.except_:
        out["except"] = _alterations(schedule.except_, calendars)
    if schedule.include:
        out["include"] = _alterations(schedule.include, calendars)
    if schedule.render != "recurrences":
        out["render"] = schedule.render
    if schedule.pacing is not None:
        out["pacing"] = _pacing(schedule.pacing)
    return out


def _policy(policy: Policy) -> dict[str, Any]:
    default = Policy()
    out: dict[str, Any] = {}
    for key in (
        "audience_conflicts",
        "horizon_days",
        "max_change_fraction",
        "min_existing",
        "map_priority",
    ):
        if getattr(policy, key) != getattr(default, key):
            out[key] = getattr(policy, key)
    if policy.allow_overlap:
        pairs = sorted(sorted(pair) for pair in policy.allow_overlap)
        out["allow_overlap"] = [_Flow(p if len(p) == 2 else p * 2) for p in pairs]
    out["manage"] = policy.manage
    return out


def _duration(delay: timedelta) -> str:
    seconds = int(delay.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _webhook(hook: WebhookEndpoint) -> dict[str, Any]:
    out: dict[str, Any] = {"url": hook.url, "secret_env": hook.secret_env}
    if hook.events != frozenset(WEBHOOK_EVENTS):
        out["events"] = _Flow(e for e in WEBHOOK_EVENTS if e in hook.events)
    if hook.allow_insecure_loopback:
        out["allow_insecure_loopback"] = True
    if hook.retry != DEFAULT_RETRY:
        out["retry"] = _Flow(_duration(d) for d in hook.retry)
    return out


def dump(file_or_schedules: ScheduleFile | Sequence[Schedule]) -> str:
    """Write schedules (or a whole file) as schedule-file YAML text.

    Args:
        file_or_schedules: A `ScheduleFile` (its policy, region, calendars and
            webhooks are kept; a run of `except`/`include` ranges equal to a
            calendar's is written as its name) or schedules alone (then
            `policy: {manage: owned}`).

    Returns:
        YAML text that `loads` reads back into equal schedules.
    """
    document: dict[str, Any] = {"version": 1}
    calendars: Calendars = ()
    if isinstance(file_or_schedules, ScheduleFile):
        source = file_or_schedules
        if source.region is not None:
            document["org"] = {"region": source.region}
        document["policy"] = _policy(source.policy)
        if source.calendars:
            document["calendars"] = {
                name: _alterations(ranges) for name, ranges in source.calendars
            }
        schedules: Sequence[Schedule] = source.schedules
        calendars = source.calendars
    else:
        document["policy"] = {"manage": "owned"}
        schedules = file_or_schedules
    document["schedules"] = [_schedule(s, calendars) for s in schedules]
    if isinstance(file_or_schedules, ScheduleFile) and file_or_schedules.webhooks:
        document["webhooks"] = [_webhook(h) for h in file_or_schedules.webhooks]
    text: str = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
    )
    return text

"""Build a `Report` from schedules: expand, check conflicts, apply trims, clip."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from gcsched.domain import CheckResult, Conflict, Expansion, expand, expansion_range
from gcsched.domain import check as run_check
from gcsched.domain.audience_note import audience_note
from gcsched.domain.model import DayRange, Policy, Schedule
from gcsched.errors import InputError
from gcsched.report.model import (
    Holiday,
    Report,
    ReportConflict,
    ReportOccurrence,
    ReportRow,
)

__all__ = ["build_report"]


def _day_start(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))


def _in_range(start: datetime, end: datetime, lo: datetime, hi: datetime) -> bool:
    return start < hi and end > lo


def _expansions_by_label(check: CheckResult) -> dict[str, Expansion]:
    found = check.expansions
    items: Iterable[Expansion] = found.values() if isinstance(found, Mapping) else found
    return {e.schedule.label: e for e in items}


_DayKey = tuple[date, date, str | None]


def _holidays(
    schedules: Sequence[Schedule],
    calendars: Sequence[tuple[str, Sequence[DayRange]]],
    lo: date,
    hi: date,
) -> tuple[Holiday, ...]:
    """Named day ranges of the calendars and the `except`s, each with the labels
    of the schedules that exclude it (a calendar's ranges are copied into the
    `except` of every schedule that names it, so equal ranges are the same day)."""
    calendar_of: dict[_DayKey, str] = {}
    for cal_name, ranges in calendars:
        for r in ranges:
            key = (r.start, r.end, r.name)
            known = calendar_of.get(key)
            if known is None:
                calendar_of[key] = cal_name
            elif cal_name not in known.split(", "):
                calendar_of[key] = f"{known}, {cal_name}"  # the same day in both
    keys: list[_DayKey] = list(calendar_of)
    labels: dict[_DayKey, list[str]] = {}
    for schedule in schedules:
        alterations = list(schedule.except_)
        for window in schedule.windows:
            alterations.extend(window.except_ or ())
        for alt in alterations:
            if not isinstance(alt, DayRange):
                continue
            key = (alt.start, alt.end, alt.name)
            if not alt.name and key not in calendar_of:
                continue  # an unnamed excluded day: hatched as excluded only
            if key not in labels and key not in calendar_of:
                keys.append(key)
            found = labels.setdefault(key, [])
            if schedule.label not in found:
                found.append(schedule.label)
    kept = [
        Holiday(k[0], k[1], k[2], calendar_of.get(k), tuple(labels.get(k, ())))
        for k in dict.fromkeys(keys)
        if k[0] <= hi and k[1] >= lo
    ]
    return tuple(sorted(kept, key=lambda h: (h.start, h.end, h.name or "")))


def _conflict(c: Conflict, list_names: Mapping[str, str]) -> ReportConflict:
    return ReportConflict(
        type=str(c.type),
        campaigns=(c.campaigns[0], c.campaigns[1]),
        contact_list=list_names.get(c.contact_list, c.contact_list)
        if c.contact_list
        else None,
        start=c.start,
        end=c.end,
        resolution=str(c.resolution),
        winner=c.winner,
        reason=c.reason,
    )


def build_report(
    schedules: Sequence[Schedule],
    policy: Policy,
    *,
    today: date,
    start: date | None = None,
    end: date | None = None,
    check: CheckResult | None = None,
    title: str = "",
    source: str = "",
    calendars: Sequence[tuple[str, Sequence[DayRange]]] = (),
    audiences: Mapping[str, frozenset[str]] | None = None,
    sizes: Mapping[str, int] | None = None,
    list_names: Mapping[str, str] | None = None,
) -> Report:
    """Build the report of `schedules` for the dates [start, end] (inclusive).

    Runs the domain's `check` unless a result is passed in. Without `start` or
    `end`, each schedule keeps its own expansion range (open-ended schedules over
    `policy.horizon_days` from max(`from`, today)) and the report spans them all;
    with them, every schedule is expanded over exactly that range (local days of
    each schedule's zone). A schedule that lost time under `trim` shows the
    occurrences left after trimming.

    Args:
        schedules: the schedules to draw, in row order.
        policy: the file's policy (horizon, conflict mode, acknowledged pairs).
        today: the day open-ended schedules start from (never read from a clock).
        start: first day shown; default: the earliest expansion start.
        end: last day shown (inclusive); default: the latest expansion end.
        check: a `CheckResult` already computed for these schedules.
        title: the report's heading (HTML title, calendar name).
        source: where the schedules came from (a file path or "live org").
        calendars: the file's named calendars, shown as holidays (each shades
            the rows of the schedules that exclude it).
        audiences: label → contact list ids read from the org (a sequence:
            its campaigns' lists), as the plan checks them; without it the
            schedules' own `audience:` keys are used and the report says loudly
            that it may miss conflicts (`Report.audience_warning`).
        sizes: contact list id → size (ranks conflicts, as the plan does).
        list_names: contact list id → name, to show audiences by name.

    Returns:
        The `Report` value.

    Raises:
        InputError: `start` is after `end`.
    """
    if start is not None and end is not None and start > end:
        msg = f"report range: --from {start} is after --to {end}; swap them"
        raise InputError(msg)
    result = (
        check
        if check is not None
        else run_check(schedules, policy, today=today, audiences=audiences, sizes=sizes)
    )
    names = list_names or {}
    by_label = _expansions_by_label(result)
    ranges = {
        s.label: expansion_range(s, today=today, horizon_days=policy.horizon_days)
        for s in schedules
    }
    lo = start or min((r[0] for r in ranges.values()), default=today)
    hi = end or max((r[1] for r in ranges.values()), default=today)
    hi = max(hi, lo)
    rows: list[ReportRow] = []
    spans: list[tuple[datetime, datetime]] = []
    for schedule in schedules:
        label = schedule.label
        own_lo, own_hi = ranges[label]
        row_lo = start or own_lo
        row_hi = end or own_hi
        expansion = by_label.get(label)
        if expansion is None or start is not None or end is not None:
            expansion = expand(schedule, start=row_lo, end=row_hi, today=today)
        zone = schedule.time_zone
        t_lo = _day_start(row_lo, zone)
        t_hi = _day_start(row_hi + timedelta(days=1), zone)
        spans.append((t_lo, t_hi))
        trimmed = result.trimmed.get(label)
        if trimmed is not None:
            occurrences = tuple(
                ReportOccurrence(s, e, zone, None)
                for s, e in sorted(trimmed)
                if _in_range(s, e, t_lo, t_hi)
            )
        else:
            occurrences = tuple(
                ReportOccurrence(o.start, o.end, o.zone, o.window)
                for o in expansion.occurrences
                if _in_range(o.start, o.end, t_lo, t_hi)
            )
        rows.append(
            ReportRow(
                label=label,
                kind=schedule.target.kind,
                name=schedule.name,
                zone=zone,
                priority=schedule.priority,
                audience=_audience_label(schedule, audiences, names),
                occurrences=occurrences,
                excluded=tuple(d for d in expansion.excluded if row_lo <= d <= row_hi),
                warnings=tuple(expansion.warnings),
                trimmed=trimmed is not None,
                schedule=schedule,
            )
        )
    r_lo = min((s[0] for s in spans), default=_day_start(lo, "UTC"))
    r_hi = max((s[1] for s in spans), default=_day_start(hi, "UTC"))
    conflicts = tuple(
        _conflict(c, names)
        for c in result.conflicts
        if _in_range(c.start, c.end, r_lo, r_hi)
    )
    return Report(
        start=lo,
        end=hi,
        rows=tuple(rows),
        conflicts=conflicts,
        holidays=_holidays(schedules, calendars, lo, hi),
        warnings=tuple(result.warnings),
        title=title,
        source=source,
        today=today,
        audiences="file" if audiences is None else "org",
        audience_warning=audience_note(schedules, audiences),
    )


def _audience_label(
    schedule: Schedule,
    audiences: Mapping[str, frozenset[str]] | None,
    names: Mapping[str, str],
) -> str | None:
    if audiences is None:
        return schedule.audience
    ids = audiences.get(schedule.label, frozenset())
    return ", ".join(sorted(names.get(i, i) for i in ids)) or None

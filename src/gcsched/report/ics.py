"""`report --format ics`: the report as an iCalendar file (RFC 5545).

Each window of each schedule becomes one event series (RRULE with a TZID'd
DTSTART and an exact DURATION), bounded to the report's range. The series is then
checked, instance by instance, against the occurrences gcsched itself expanded:

* an instance that matches is left to the RRULE;
* an instance that differs (a holiday clipping it, a timed exclusion, or a DST
  boundary where gcsched shrinks the window while RFC 5545 drops or stretches it)
  gets a RECURRENCE-ID override carrying gcsched's times, or an EXDATE when gcsched
  has nothing there;
* an occurrence no instance accounts for (includes, gap-shifted starts, pieces of
  split windows, one-off intervals, trimmed schedules) is a single event.

An instance only counts as matching when every reading a calendar app may take
agrees with gcsched: its start exists and is unambiguous, and "start + exact
duration" equals "wall-clock end" equals gcsched's end. So calendar apps show
gcsched's expansion whichever way they read DURATION around DST.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil import rrule
from icalendar import Calendar, Event

from gcsched.domain.model import Schedule, Window
from gcsched.report.model import Report, ReportConflict, ReportOccurrence, ReportRow

__all__ = ["PRODID", "local_reading", "to_ics"]

PRODID = "-//gcsched//schedule report//EN"
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def local_reading(naive: datetime, zone: tzinfo) -> datetime | None:
    """RFC 5545's reading of a local time: None when it does not exist (a gap).

    An ambiguous time (a fold) reads as its first occurrence (fold=0).
    """
    aware = naive.replace(tzinfo=zone, fold=0)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return aware.astimezone(UTC) if back == naive else None


def _ambiguous(naive: datetime, zone: tzinfo) -> bool:
    early = naive.replace(tzinfo=zone, fold=0).utcoffset()
    late = naive.replace(tzinfo=zone, fold=1).utcoffset()
    return early != late


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "schedule"


@dataclass(slots=True)
class _Builder:
    report: Report
    calendar: Calendar
    stamp: datetime

    def event(self, uid: str, summary: str, row: ReportRow | None) -> Event:
        ev = Event()
        ev.add("uid", uid)
        ev.add("dtstamp", self.stamp)
        ev.add("summary", summary)
        if row is not None:
            ev.add("x-gcsched-label", row.label)
            ev.add("description", _describe(self.report, row))
            ev.add("categories", [row.kind])
        self.calendar.add_component(ev)
        return ev


def _describe(report: Report, row: ReportRow) -> str:
    lines = [
        f"{row.kind}: {row.label}",
        f"priority {row.priority}, time zone {row.zone}",
    ]
    if row.audience:
        lines.append(f"audience: {row.audience}")
    if row.trimmed:
        lines.append("trimmed: lost overlapping time to a higher-ranked schedule")
    counts: dict[tuple[str, str, str], int] = {}
    for c in report.conflicts_of(row.label):
        key = (c.type, _other(c, row.label), c.resolution)
        counts[key] = counts.get(key, 0) + 1
    for (kind, other, resolution), n in counts.items():
        times = f" ({n} times)" if n > 1 else ""
        lines.append(f"{kind} conflict with {other}{times}: {resolution}")
    return "\n".join(lines)


def _other(conflict: ReportConflict, label: str) -> str:
    a, b = conflict.campaigns
    return b if a == label else a


def _add_time(ev: Event, name: str, moment: datetime, zone: tzinfo) -> None:
    """Write a moment with its TZID when the local reading is exact, else in UTC."""
    local = moment.astimezone(zone)
    naive = local.replace(tzinfo=None, fold=0)
    if not _ambiguous(naive, zone) and local_reading(naive, zone) == moment:
        ev.add(name, naive.replace(tzinfo=zone))
    else:
        ev.add(name, moment.astimezone(UTC))


def _single(b: _Builder, row: ReportRow, occ: ReportOccurrence, uid_base: str) -> None:
    stamp = occ.start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    ev = b.event(f"{uid_base}-{stamp}@gcsched", _summary(row), row)
    zone = ZoneInfo(occ.zone)
    _add_time(ev, "dtstart", occ.start, zone)
    _add_time(ev, "dtend", occ.end, zone)


def _summary(row: ReportRow) -> str:
    return row.name if row.name else row.label


@dataclass(frozen=True, slots=True)
class _Instance:
    nominal: datetime  # naive local start the RRULE generates
    start: datetime | None  # RFC reading (None: skipped, the time does not exist)
    end: datetime | None
    certain: bool  # every reading agrees


def _instance(nominal: datetime, length: timedelta, zone: tzinfo) -> _Instance:
    start = local_reading(nominal, zone)
    if start is None:
        return _Instance(nominal, None, None, certain=False)
    end = start + length
    wall_end = local_reading(nominal + length, zone)
    certain = (
        not _ambiguous(nominal, zone)
        and not _ambiguous(nominal + length, zone)
        and wall_end == end
    )
    return _Instance(nominal, start, end, certain)


def _rule_for(window: Window) -> tuple[Literal[2, 3], dict[str, object]]:
    if window.days is None:
        return rrule.DAILY, {"freq": "daily", "interval": window.every}
    days = sorted(int(d) for d in window.days)
    return rrule.WEEKLY, {
        "freq": "weekly",
        "interval": window.every,
        "byday": [_RRULE_DAYS[d - 1] for d in days],
        "wkst": "MO",
    }


def _series(
    b: _Builder,
    row: ReportRow,
    *,
    index: int,
    window: Window,
    zone_name: str,
    occurrences: list[ReportOccurrence],
) -> list[ReportOccurrence]:
    """Write one window's series; return the occurrences left for single events."""
    zone = ZoneInfo(zone_name)
    length = window.duration
    clean = [
        o
        for o in occurrences
        if (
            (local := o.start.astimezone(zone)).time().replace(tzinfo=None)
            == window.start
            and (inst := _instance(local.replace(tzinfo=None), length, zone)).certain
            and (inst.start, inst.end) == (o.start, o.end)
        )
    ]
    if not clean:
        return occurrences
    first = clean[0].start.astimezone(zone).replace(tzinfo=None, fold=0)
    last = clean[-1].start.astimezone(zone).replace(tzinfo=None, fold=0)
    freq, recur = _rule_for(window)
    weekdays = None
    if freq == rrule.WEEKLY:
        weekdays = [int(d) - 1 for d in window.days or ()]
    nominals = list(
        rrule.rrule(
            freq,
            dtstart=first,
            interval=window.every,
            byweekday=weekdays,
            wkst=rrule.MO,
            until=last,
        )
    )
    instances = [_instance(n, length, zone) for n in nominals]
    unused = sorted(occurrences, key=lambda o: (o.start, o.end))
    pending: list[_Instance] = []
    for inst in instances:
        hit = next(
            (
                o
                for o in unused
                if inst.certain and (o.start, o.end) == (inst.start, inst.end)
            ),
            None,
        )
        if hit is None:
            pending.append(inst)
        else:
            unused.remove(hit)
    overrides: list[tuple[_Instance, ReportOccurrence]] = []
    exdates: list[datetime] = []
    for inst in pending:
        lo = local_reading(inst.nominal, zone) or inst.nominal.replace(tzinfo=zone)
        span_end = lo + length
        match = None
        if inst.start is not None:
            match = next((o for o in unused if o.start < span_end and o.end > lo), None)
        if match is None:
            exdates.append(inst.nominal)
        else:
            unused.remove(match)
            overrides.append((inst, match))
    uid = f"{_slug(row.label)}-w{index}@gcsched"
    master = b.event(uid, _summary(row), row)
    master.add("dtstart", first.replace(tzinfo=zone))
    master.add("duration", length)
    recur["until"] = clean[-1].start.astimezone(UTC)
    master.add("rrule", recur)
    if exdates:
        master.add("exdate", [n.replace(tzinfo=zone) for n in exdates])
    for inst, occ in overrides:
        ev = b.event(uid, _summary(row), row)
        ev.add("recurrence-id", inst.nominal.replace(tzinfo=zone))
        _add_time(ev, "dtstart", occ.start, zone)
        _add_time(ev, "dtend", occ.end, zone)
    return unused


def _row_events(b: _Builder, row: ReportRow) -> None:
    uid_base = _slug(row.label)
    schedule: Schedule | None = row.schedule
    leftovers: list[ReportOccurrence] = []
    if row.trimmed or schedule is None:
        leftovers = list(row.occurrences)
    else:
        by_window: dict[int, list[ReportOccurrence]] = {}
        for occ in row.occurrences:
            if occ.window is None or occ.window >= len(schedule.windows):
                leftovers.append(occ)
            else:
                by_window.setdefault(occ.window, []).append(occ)
        for index, occs in sorted(by_window.items()):
            window = schedule.windows[index]
            zone = window.time_zone or schedule.time_zone
            leftovers.extend(
                _series(
                    b, row, index=index, window=window, zone_name=zone, occurrences=occs
                )
            )
    for occ in sorted(leftovers, key=lambda o: (o.start, o.end)):
        _single(b, row, occ, uid_base)


def _conflict_events(b: _Builder, conflicts: Iterable[ReportConflict]) -> None:
    for n, c in enumerate(conflicts):
        a, other = c.campaigns
        uid = f"conflict-{n}-{_slug(a)}-{_slug(other)}@gcsched"
        ev = b.event(uid, f"Conflict: {a} × {other}", None)
        ev.add("dtstart", c.start.astimezone(UTC))
        ev.add("dtend", c.end.astimezone(UTC))
        ev.add("categories", ["conflict"])
        ev.add("x-gcsched-conflict", c.type)
        winner = f", winner {c.winner}" if c.winner else ""
        audience = f" on {c.contact_list}" if c.contact_list else ""
        ev.add("description", f"{c.type}{audience}: {c.resolution}{winner}. {c.reason}")


def to_ics(report: Report) -> bytes:
    """Render a report as an iCalendar file.

    One VEVENT series per window of each schedule (TZID'd DTSTART, DURATION,
    RRULE bounded to the report's range) with EXDATEs and RECURRENCE-ID overrides
    so that the series shows exactly gcsched's expansion (holidays, timed
    exclusions and gcsched's DST rule); includes, one-off intervals and trimmed
    schedules are single events; conflicts are events in the category
    ``conflict``. VTIMEZONE components cover every zone used. Every gcsched event
    carries ``X-GCSCHED-LABEL`` naming its schedule.

    Args:
        report: the report to render.

    Returns:
        The calendar as bytes (UTF-8, CRLF line endings).
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if report.title:
        cal.add("x-wr-calname", report.title)
    day = report.today or report.start
    stamp = datetime.combine(day, time(0), tzinfo=UTC)
    builder = _Builder(report, cal, stamp)
    for row in report.rows:
        _row_events(builder, row)
    _conflict_events(builder, report.conflicts)
    cal.add_missing_timezones(
        first_date=report.start - timedelta(days=366),
        last_date=max(report.end, report.start) + timedelta(days=366),
    )
    return bytes(cal.to_ical())

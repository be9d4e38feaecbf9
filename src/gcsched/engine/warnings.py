"""Plan warnings about the live org: status, past starts, callable times, load."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from gcsched.domain import CheckResult, Expansion, owned
from gcsched.domain.intervals import from_micros
from gcsched.engine.resolve import Resolved
from gcsched.engine.snapshot import OrgSnapshot
from gcsched.plan import Change

__all__ = [
    "MAX_LIVE_VOICE",
    "emptied_warning",
    "live_peak",
    "plan_warnings",
    "sequence_member_warnings",
]

#: Genesys runs at most 50 voice campaigns at once per org (reliability.md [R4]).
MAX_LIVE_VOICE = 50

_FIRST = itemgetter(0)
_SECOND = itemgetter(1)

_STATUS_NOTES = {
    "on": "is running now; Genesys ignores a scheduled start while it is on",
    "complete": "is complete; a schedule will not dial anyone until it is reset",
    "invalid": "is invalid in Genesys (see its errors); the schedule cannot start it",
}


def emptied_warning(
    item: Resolved,
    check: CheckResult,
    existing: Mapping[str, Any] | None,
    *,
    is_owned: bool | None = None,
) -> str:
    """Why a schedule has nothing left to send, and what the plan does instead.

    Genesys refuses a schedule with neither intervals nor recurrences, so such
    a schedule is not sent: its schedule in the org (if gcsched owns one) is
    deleted by the plan, and none is created where there is none.
    """
    winners = sorted(
        {
            c.campaigns[0]
            for c in check.pairs
            if c.resolution == "trim" and c.campaigns[1] == item.label
        }
    )
    if winners:
        why = "audience conflicts under trim take all its time (it loses to " + (
            ", ".join(winners) + ")"
        )
    else:
        why = "it has no occurrence left to send (DST gap or empty range)"
    if existing is None:
        then = "no schedule is created for it"
    elif owned(existing) if is_owned is None else is_owned:
        then = "its schedule in the org is deleted"
    else:
        then = "its schedule in the org, which gcsched does not own, is left alone"
    return f"{item.label}: {why}; Genesys refuses an empty schedule, so {then}"


def _status_warnings(resolved: Sequence[Resolved], changed: set[str]) -> list[str]:
    out = []
    for item in resolved:
        status = str(item.entity.get("campaignStatus") or item.entity.get("status"))
        if item.target_id in changed and status in _STATUS_NOTES:
            out.append(f"{item.label}: the campaign {_STATUS_NOTES[status]}")
    return out


def _starts(body: Mapping[str, Any] | None) -> set[str]:
    """The local start dates of a body's recurrences and intervals."""
    if not body:
        return set()
    return {
        str(item.get("start", ""))[:10]
        for key in ("recurrences", "intervals")
        for item in body.get(key) or []
    } - {""}


def _past_warnings(changes: Sequence[Change], today: date) -> list[str]:
    """Starts before today that this plan introduces (kept ones are not news)."""
    out = []
    for change in changes:
        if change.action not in ("create", "update") or not change.after:
            continue
        new = _starts(change.after) - _starts(change.before)
        past = sorted(s for s in new if s < today.isoformat())
        if past:
            out.append(
                f"{change.target_name}: starts {past[0]}, before today "
                f"({today.isoformat()}); Genesys's admin UI refuses past start dates"
            )
    return out


def _slots(time_set: Mapping[str, Any]) -> list[tuple[ZoneInfo, int, time, time]]:
    slots = []
    for callable_time in time_set.get("callableTimes") or []:
        try:
            zone = ZoneInfo(str(callable_time.get("timeZoneId") or "UTC"))
        except (KeyError, ValueError):
            continue
        for slot in callable_time.get("timeSlots") or []:
            try:
                start = time.fromisoformat(str(slot["startTime"]))
                stop = time.fromisoformat(str(slot["stopTime"]))
                slots.append((zone, int(slot["day"]), start, stop))
            except (KeyError, ValueError):
                continue
    return slots


_LAST_SECOND = time(23, 59, 59)


def _slot_spans(
    day: date, slots: list[tuple[ZoneInfo, int, time, time]]
) -> list[tuple[datetime, datetime]]:
    """The callable spans (UTC) of the slots on local dates around `day`, merged.

    A `stopTime` of 23:59:59 runs to midnight, one at or before its
    `startTime` runs past midnight, and back-to-back slots join.
    """
    spans: list[tuple[datetime, datetime]] = []
    for offset in (-1, 0, 1, 2):
        local_day = day + timedelta(days=offset)
        for zone, weekday, slot_start, slot_stop in slots:
            if local_day.isoweekday() != weekday:
                continue
            begin = datetime.combine(local_day, slot_start, tzinfo=zone)
            finish = datetime.combine(local_day, slot_stop, tzinfo=zone)
            if slot_stop >= _LAST_SECOND or slot_stop <= slot_start:
                finish = datetime.combine(
                    local_day + timedelta(days=1),
                    time(0) if slot_stop >= _LAST_SECOND else slot_stop,
                    tzinfo=zone,
                )
            spans.append((begin.astimezone(UTC), finish.astimezone(UTC)))
    spans.sort()
    merged: list[tuple[datetime, datetime]] = []
    for begin, finish in spans:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged


def _inside(
    start: datetime, end: datetime, slots: list[tuple[ZoneInfo, int, time, time]]
) -> bool:
    """True when [start, end) lies within the callable time set's slots."""
    spans = _slot_spans(start.astimezone(UTC).date(), slots)
    return any(begin <= start and end <= finish for begin, finish in spans)


def _callable_warnings(
    resolved: Sequence[Resolved],
    snapshot: OrgSnapshot,
    expansions: Mapping[str, Expansion],
) -> list[str]:
    sets = {str(s.get("id")): s for s in snapshot.callable_time_sets}
    out = []
    for item in resolved:
        ref = item.entity.get("callableTimeSet")
        if not isinstance(ref, Mapping) or str(ref.get("id")) not in sets:
            continue
        time_set = sets[str(ref.get("id"))]
        slots = _slots(time_set)
        expansion = expansions.get(item.label)
        if not slots or expansion is None:
            continue
        outside = [
            occ
            for occ in expansion.occurrences
            if not _inside(occ.start, occ.end, slots)
        ]
        if outside:
            first = outside[0]
            local = first.local_start
            out.append(
                f"{item.label}: {len(outside)} of {len(expansion.occurrences)} windows "
                f"fall outside the callable time set {time_set.get('name')!r} "
                f"(first: {local:%Y-%m-%d %H:%M} {first.zone}); calls are only "
                "placed inside it"
            )
    return out


def live_peak(spans: Iterable[Sequence[tuple[int, int]]]) -> tuple[int, int | None]:
    """The most spans running at once, and the first instant it is reached.

    `spans`: per schedule, its ``(start, end)`` in epoch microseconds. An end
    and a start at one instant do not overlap. The starts and ends are counted
    per instant (schedules of a file share their instants: a few per zone and
    day), so memory follows the distinct instants, not the occurrences.
    """
    starts: Counter[int] = Counter()
    ends: Counter[int] = Counter()
    for own in spans:
        starts.update(map(_FIRST, own))
        ends.update(map(_SECOND, own))
    live = peak = 0
    peak_at: int | None = None
    for instant in sorted(starts.keys() | ends.keys()):
        live += starts[instant] - ends[instant]
        if live > peak:
            peak, peak_at = live, instant
    return peak, peak_at


def _live_voice_warning(
    resolved: Sequence[Resolved], expansions: Mapping[str, Expansion]
) -> list[str]:
    peak, peak_at = live_peak(
        expansions[item.label].micro_spans()
        for item in resolved
        if item.voice and item.label in expansions
    )
    if peak > MAX_LIVE_VOICE and peak_at is not None:
        return [
            f"{peak} voice campaigns would be live at once at "
            f"{from_micros(peak_at).isoformat()}; "
            f"Genesys runs at most {MAX_LIVE_VOICE} per org"
        ]
    return []


def plan_warnings(
    *,
    resolved: Sequence[Resolved],
    snapshot: OrgSnapshot,
    check: CheckResult,
    changes: Sequence[Change],
    today: date,
) -> list[str]:
    """Warnings that need the live org (the domain's own come from `check`)."""
    changed = {c.target_id for c in changes if c.action in ("create", "update")}
    expansions = {e.schedule.label: e for e in check.expansions}
    return [
        *_status_warnings(resolved, changed),
        *_past_warnings(changes, today),
        *_callable_warnings(resolved, snapshot, expansions),
        *_live_voice_warning(resolved, expansions),
        *sequence_member_warnings(resolved),
    ]


def sequence_member_warnings(resolved: Sequence[Resolved]) -> list[str]:
    """A campaign the file schedules on its own that is also a member of a
    sequence the file schedules: two schedules then decide when it dials."""
    campaigns = {
        r.target_id: r for r in resolved if r.schedule.target.kind == "campaign"
    }
    out: list[str] = []
    for sequence in resolved:
        if sequence.schedule.target.kind != "sequence":
            continue
        members = sequence.entity.get("campaigns") or []
        for ref in members if isinstance(members, list) else []:
            member = (
                campaigns.get(str(ref.get("id"))) if isinstance(ref, Mapping) else None
            )
            if member is not None:
                out.append(
                    f"{member.label}: this campaign is also a member of sequence "
                    f"{sequence.label}, which the file schedules too; the sequence's "
                    "schedule and its own both decide when it dials (schedule one "
                    "of them)"
                )
    return out

"""The iCalendar file, parsed back and expanded by RFC 5545, is gcsched's expansion."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Literal

import icalendar
import pytest
from dateutil import rrule
from report_fixtures import (
    TODAY,
    late_owls,
    london_override,
    lord_howe,
    ny_dst,
    ny_weekdays,
    winback,
)

from gcsched.domain import check, expand, expansion_range
from gcsched.domain.model import Policy, Schedule
from gcsched.report import build_report, to_ics

Span = tuple[datetime, datetime]
_FREQ: dict[str, Literal[2, 3]] = {"WEEKLY": rrule.WEEKLY, "DAILY": rrule.DAILY}
_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


def _exists(naive: datetime, zone: tzinfo) -> bool:
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


def _utc(value: datetime) -> datetime:
    """RFC 5545 reading: a local time in a fold is its first occurrence (fold=0)."""
    return value.replace(fold=0).astimezone(UTC)


def _series(master: Any, ends: str) -> dict[datetime, Span]:
    """Instances of a master VEVENT keyed by their UTC start (RFC 5545 rules)."""
    start = master.decoded("dtstart")
    zone = start.tzinfo
    naive = start.replace(tzinfo=None)
    length: timedelta = master.decoded("duration")
    recur = master["rrule"]
    until = recur["UNTIL"][0].astimezone(UTC)
    rule = rrule.rrule(
        _FREQ[recur["FREQ"][0]],
        dtstart=naive,
        interval=int(recur.get("INTERVAL", [1])[0]),
        byweekday=[_DAYS[d] for d in recur.get("BYDAY", [])] or None,
        wkst=rrule.MO,
        until=naive + (until - _utc(start)) + timedelta(days=1),
    )
    out: dict[datetime, Span] = {}
    for nominal in rule:
        if not _exists(nominal, zone):
            continue  # RFC 5545: instances at non-existent local times are ignored
        begin = _utc(nominal.replace(tzinfo=zone))
        if begin > until:
            break
        if ends == "exact":
            end = begin + length
        else:  # a calendar app that adds the duration in wall-clock time
            end = _utc((nominal + length).replace(tzinfo=zone))
        out[begin] = (begin, end)
    exdates = master.get("exdate")
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        for item in group.dts:
            out.pop(_utc(item.dt), None)
    return out


def read_calendar(data: bytes, *, ends: str = "exact") -> dict[str, list[Span]]:
    """Expand every gcsched event of an iCalendar file: label -> sorted UTC spans."""
    cal = icalendar.Calendar.from_ical(data)
    by_uid: dict[str, list[Any]] = defaultdict(list)
    for ev in cal.walk("VEVENT"):
        if "X-GCSCHED-LABEL" in ev:
            by_uid[str(ev["uid"])].append(ev)
    result: dict[str, list[Span]] = defaultdict(list)
    for events in by_uid.values():
        label = str(events[0]["X-GCSCHED-LABEL"])
        masters = [e for e in events if "rrule" in e]
        instances: dict[datetime, Span] = {}
        if masters:
            assert len(masters) == 1
            instances = _series(masters[0], ends)
        for ev in events:
            if "rrule" in ev:
                continue
            span = (_utc(ev.decoded("dtstart")), _utc(ev.decoded("dtend")))
            if "recurrence-id" in ev:
                rid = _utc(ev.decoded("recurrence-id"))
                assert rid in instances, f"override of a missing instance {rid}"
                instances[rid] = span
            else:
                instances[span[0]] = span
        result[label].extend(instances.values())
    return {k: sorted(v) for k, v in result.items()}


def expected(schedules: tuple[Schedule, ...], policy: Policy) -> dict[str, list[Span]]:
    """What gcsched itself says: the expansion, or the trimmed occurrences."""
    result = check(schedules, policy, today=TODAY)
    out: dict[str, list[Span]] = {}
    for s in schedules:
        if s.label in result.trimmed:
            out[s.label] = sorted(result.trimmed[s.label])
            continue
        lo, hi = expansion_range(s, today=TODAY, horizon_days=policy.horizon_days)
        out[s.label] = sorted(
            (o.start, o.end) for o in expand(s, start=lo, end=hi).occurrences
        )
    return {k: v for k, v in out.items() if v}


@pytest.mark.parametrize("ends", ["exact", "wall"])
@pytest.mark.parametrize(
    "make",
    [ny_weekdays, ny_dst, late_owls, lord_howe, london_override],
    ids=["holidays", "ny-gap-fold", "ny-overnight", "lord-howe", "window-zone"],
)
def test_ics_expands_to_the_domain_expansion(make: Any, ends: str) -> None:
    """Parsed back and expanded, each schedule's events are exactly its occurrences."""
    schedules = (make(),)
    report = build_report(schedules, Policy(), today=TODAY)
    assert read_calendar(to_ics(report), ends=ends) == expected(schedules, Policy())


def test_ics_with_trim_shows_the_trimmed_loser(
    schedules: tuple[Schedule, ...], trim_policy: Policy
) -> None:
    """A schedule that lost time under trim is written as its trimmed occurrences."""
    report = build_report(schedules, trim_policy, today=TODAY)
    assert any(r.trimmed for r in report.rows)
    assert read_calendar(to_ics(report)) == expected(schedules, trim_policy)


def test_ics_uses_one_series_per_window_and_few_overrides() -> None:
    """Regular weeks stay in the RRULE; only the holiday and the lunch hour differ."""
    report = build_report((ny_weekdays(),), Policy(), today=TODAY)
    cal = icalendar.Calendar.from_ical(to_ics(report))
    events = cal.walk("VEVENT")
    masters = [e for e in events if "rrule" in e]
    assert len(masters) == 1
    master = masters[0]
    assert master["dtstart"].params["TZID"] == "America/New_York"
    assert master["rrule"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    exdates = [d.dt.date().isoformat() for d in master["exdate"].dts]
    assert exdates == ["2026-03-17"]
    overrides = [e for e in events if "recurrence-id" in e]
    singles = [e for e in events if "rrule" not in e and "recurrence-id" not in e]
    assert len(overrides) == 1  # 19 March 09:00-12:00 (lunch hour excluded)
    assert len(singles) == 1  # 19 March 13:00-17:00


def test_ics_overrides_dst_where_rfc5545_differs() -> None:
    """The gap-shortened and fold-widened Sundays are explicit RECURRENCE-IDs."""
    report = build_report((ny_dst(),), Policy(), today=TODAY)
    cal = icalendar.Calendar.from_ical(to_ics(report))
    overrides = {
        e.decoded("recurrence-id").date().isoformat(): e
        for e in cal.walk("VEVENT")
        if "recurrence-id" in e
    }
    assert set(overrides) == {"2026-03-08", "2026-11-01"}
    march = overrides["2026-03-08"]
    assert _utc(march.decoded("dtend")) == datetime(
        2026, 3, 8, 7, tzinfo=UTC
    )  # 03:00 EDT
    november = overrides["2026-11-01"]
    assert _utc(november.decoded("dtstart")) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert _utc(november.decoded("dtend")) == datetime(2026, 11, 1, 7, 30, tzinfo=UTC)


def test_ics_has_a_vtimezone_for_every_tzid() -> None:
    """Every TZID used has its VTIMEZONE, and the file names its producer."""
    report = build_report(
        (ny_weekdays(), winback(), lord_howe()), Policy(), today=TODAY
    )
    cal = icalendar.Calendar.from_ical(to_ics(report))
    zones = {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")}
    assert zones >= {"America/New_York", "America/Chicago", "Australia/Lord_Howe"}
    assert str(cal["prodid"]).startswith("-//gcsched//")


def test_ics_lists_conflicts_as_their_own_events(
    schedules: tuple[Schedule, ...], trim_policy: Policy
) -> None:
    """Each conflict is an event in the `conflict` category naming both campaigns."""
    report = build_report(schedules, trim_policy, today=TODAY)
    cal = icalendar.Calendar.from_ical(to_ics(report))
    conflicts = [e for e in cal.walk("VEVENT") if "X-GCSCHED-CONFLICT" in e]
    assert len(conflicts) == len(report.conflicts) > 0
    assert Counter(str(e["summary"]) for e in conflicts) == {
        "Conflict: Q1 Renewals × Win-back": len(report.conflicts)
    }


def test_ics_window_zone_override_and_calendar_name() -> None:
    """A window in its own zone gets that TZID; the title names the calendar."""
    report = build_report((london_override(),), Policy(), today=TODAY, title="UK")
    cal = icalendar.Calendar.from_ical(to_ics(report))
    assert str(cal["x-wr-calname"]) == "UK"
    (master,) = [e for e in cal.walk("VEVENT") if "rrule" in e]
    assert master["dtstart"].params["TZID"] == "Europe/London"
    gap_day = [
        e
        for e in cal.walk("VEVENT")
        if "rrule" not in e and e.decoded("dtstart").date().isoformat() == "2026-03-29"
    ]
    starts = sorted(_utc(e.decoded("dtstart")) for e in gap_day)
    assert starts == [datetime(2026, 3, 29, 1, tzinfo=UTC)]  # 02:00 BST, after the gap

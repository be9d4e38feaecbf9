"""Guards through `ContactLocalGuard`: guarded, wider than the law, unverified."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from gcsched.domain.compliance import (
    ComplianceReport,
    ContactTarget,
    Finding,
    check_schedule,
    no_call_spans,
)
from gcsched.domain.legal_hours import HolidayCalendar, LegalRule

RULE = LegalRule(
    id="t-hours",
    pack="test",
    jurisdiction="US",
    purposes=frozenset({"telemarketing"}),
    hours=(((8 * 60, 21 * 60),),) * 7,
    citation="Test 1(a)",
    source_url="https://example.com/",
    tier="primary",
    verified_on=date(2026, 12, 1),
)
PHOENIX = ContactTarget("US-AZ", "US-AZ", "America/Phoenix")
# New York 08:00–21:00 EST on Mon 2027-01-04 = 13:00–02:00 UTC; Phoenix 06:00–19:00
WINDOW = (
    datetime(2027, 1, 4, 13, tzinfo=UTC),
    datetime(2027, 1, 5, 2, tzinfo=UTC),
)


class Fixed:
    """A hand-made guard: the same windows every day, for the zones it knows."""

    def __init__(self, windows: dict[str, tuple[tuple[time, time], ...]]) -> None:
        self._windows = windows
        self.asked: list[tuple[str, date]] = []

    def windows(self, zone: str, day: date) -> tuple[tuple[time, time], ...] | None:
        self.asked.append((zone, day))
        return self._windows.get(zone)


def _check(guard: Fixed | None, *, guarded_by: bool = False) -> tuple[Finding, ...]:
    return check_schedule(
        [WINDOW],
        schedule="Outbound",
        targets=[PHOENIX],
        rules={"US-AZ": [RULE]},
        calendars={},
        guard=guard,
        guarded_by=guarded_by,
    )


def test_no_guard_is_a_violation_of_two_hours() -> None:
    (found,) = _check(None)
    assert (found.status, found.minutes, found.rule_id) == ("violation", 120, "t-hours")
    assert found.sample == "2027-01-04 Mon 06:00–08:00 MST"
    assert found.first == datetime(2027, 1, 4, 13, tzinfo=UTC)


def test_a_guard_that_keeps_dialling_legal_makes_it_guarded() -> None:
    guard = Fixed({"America/Phoenix": ((time(8), time(21)),)})
    (found,) = _check(guard)
    assert found.status == "guarded"
    assert found.minutes == 120  # what the guard holds back
    assert ("America/Phoenix", date(2027, 1, 4)) in guard.asked


def test_a_guard_wider_than_the_law_is_still_a_violation() -> None:
    guard = Fixed({"America/Phoenix": ((time(7), time(21)),)})
    (found,) = _check(guard)
    assert found.status == "violation"
    assert found.minutes == 60  # 07:00–08:00 gets through
    assert found.sample == "2027-01-04 Mon 07:00–08:00 MST"


def test_a_guard_silent_about_the_zone_guards_nothing() -> None:
    (found,) = _check(Fixed({"America/Chicago": ((time(8), time(21)),)}))
    assert (found.status, found.minutes) == ("violation", 120)


def test_guard_windows_past_midnight_and_to_midnight() -> None:
    """(20:00, 00:00) runs to midnight; (22:00, 09:00) wraps on the same date."""
    guard = Fixed({"America/Phoenix": ((time(9), time(0)),)})
    assert _check(guard)[0].status == "guarded"
    guard = Fixed({"America/Phoenix": ((time(22), time(7)),)})
    (found,) = _check(guard)
    assert (found.status, found.minutes) == ("violation", 60)  # 06:00–07:00


def test_offline_guarded_by_genesys_is_unverified() -> None:
    (found,) = _check(None, guarded_by=True)
    assert found.status == "unverified"
    report = ComplianceReport(mode="enforce", findings=(found,))
    assert report.errors == ()
    assert any("unless the org's guard" in w for w in report.warnings())


def test_enforce_makes_violations_errors_and_warn_makes_them_warnings() -> None:
    (found,) = _check(None)
    assert ComplianceReport(mode="enforce", findings=(found,)).errors == (found,)
    warn = ComplianceReport(mode="warn", findings=(found,), notes=("a note",))
    assert warn.errors == ()
    assert warn.warnings() == (
        "calling hours: a note",
        f"calling hours: {found.message()}",
    )
    assert warn.data() == [found.data()]


def test_freeze_days_block_every_region_whole() -> None:
    frozen = HolidayCalendar("freeze", "freeze", frozenset({date(2027, 1, 4)}), 1, 9999)
    found = check_schedule(
        [WINDOW],
        schedule="Outbound",
        targets=[PHOENIX],
        rules={},
        calendars={},
        freeze=[frozen],
    )
    assert [(f.rule_id, f.region, f.minutes) for f in found] == [
        ("freeze:freeze", "US-AZ", 13 * 60)
    ]


def test_no_call_spans_are_the_union_over_zones_and_rules() -> None:
    day = (
        datetime(2027, 1, 4, 7, tzinfo=UTC),  # Phoenix midnight
        datetime(2027, 1, 5, 7, tzinfo=UTC),
    )
    spans = no_call_spans(day, targets=[PHOENIX], rules={"US-AZ": [RULE]}, calendars={})
    total = sum((b - a for a, b in spans), timedelta())
    assert total == timedelta(hours=11)  # 00:00–08:00 and 21:00–24:00

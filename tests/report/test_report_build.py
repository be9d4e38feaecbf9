"""`build_report`: ranges, trimmed losers, holidays, and clear errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from report_fixtures import TODAY, campaign, late_owls, ny_weekdays, winback

from gcsched.domain import check
from gcsched.domain.model import DayRange, Policy, Schedule, Window
from gcsched.errors import InputError
from gcsched.report import build_report


def test_default_range_spans_every_schedule(schedules: tuple[Schedule, ...]) -> None:
    """Without --from/--to the report covers each schedule's own expansion range."""
    report = build_report(schedules, Policy(), today=TODAY)
    assert report.start == date(2026, 2, 28)  # Late Owls starts on 28 February
    assert report.end == date(2026, 11, 15)
    assert [r.label for r in report.rows] == [s.label for s in schedules]


def test_open_ended_schedule_runs_over_the_horizon() -> None:
    """An open-ended schedule is drawn over `horizon_days` from today."""
    daily = campaign("Daily", windows=(Window(start=time(9), end=time(10)),))
    report = build_report((daily,), Policy(horizon_days=14), today=TODAY)
    assert (report.start, report.end) == (TODAY, date(2026, 3, 14))
    assert len(report.rows[0].occurrences) == 14


def test_explicit_range_clips_occurrences() -> None:
    """--from/--to keep only the occurrences of those local days."""
    report = build_report(
        (late_owls(),),
        Policy(),
        today=TODAY,
        start=date(2026, 3, 7),
        end=date(2026, 3, 7),
    )
    (occ,) = report.rows[0].occurrences
    assert occ.start == datetime(2026, 3, 8, 3, tzinfo=UTC)  # Sat 22:00 EST
    assert occ.end == datetime(2026, 3, 8, 7, tzinfo=UTC)  # Sun 03:00 EDT


def test_start_after_end_is_a_clear_input_error() -> None:
    """A reversed range is invalid input naming both dates, not a traceback."""
    with pytest.raises(InputError, match=r"2026-03-10 is after --to 2026-03-01"):
        build_report(
            (ny_weekdays(),),
            Policy(),
            today=TODAY,
            start=date(2026, 3, 10),
            end=date(2026, 3, 1),
        )


def test_trimmed_loser_shows_what_is_left(trim_policy: Policy) -> None:
    """Under trim the lower-ranked schedule keeps only its non-overlapping time."""
    schedules = (ny_weekdays(), winback())
    result = check(schedules, trim_policy, today=TODAY)
    report = build_report(schedules, trim_policy, today=TODAY, check=result)
    winner, loser = report.rows
    assert not winner.trimmed
    assert loser.trimmed
    assert [(o.start, o.end) for o in loser.occurrences] == sorted(
        result.trimmed["Win-back"]
    )
    for conflict in report.conflicts:
        for occ in loser.occurrences:
            assert occ.end <= conflict.start or occ.start >= conflict.end


def test_holidays_come_from_calendars_and_named_exclusions() -> None:
    """Named calendars and named `except` days are the report's holidays."""
    calendars = (("us", (DayRange(date(2026, 3, 20), date(2026, 3, 21), "Spring"),)),)
    report = build_report((ny_weekdays(),), Policy(), today=TODAY, calendars=calendars)
    names = [(h.name, h.calendar) for h in report.holidays]
    assert names == [("St Patrick", None), ("Spring", "us")]


def test_conflicts_outside_the_range_are_left_out(trim_policy: Policy) -> None:
    """Only conflicts in the report's range are listed."""
    schedules = (ny_weekdays(), winback())
    full = build_report(schedules, trim_policy, today=TODAY)
    part = build_report(
        schedules,
        trim_policy,
        today=TODAY,
        start=date(2026, 3, 1),
        end=date(2026, 3, 11),
    )
    assert len(part.conflicts) == 1 < len(full.conflicts)

"""Expansion: every, count, include/except, intervals, merging, ranges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain_factories import EVERY_DAY, WEEKDAYS, schedule, window

from gcsched.domain import expand, expansion_range
from gcsched.domain.model import DayRange, TimedRange, Weekday


def _dates(result) -> list[date]:  # type: ignore[no-untyped-def]
    return [o.local_start.date() for o in result.occurrences]


def test_weekly_every_two_counts_weeks_from_the_week_of_from() -> None:
    """every: 2 with from on a Wednesday runs that week, skips the next, and so on."""
    s = schedule(
        windows=(window(days=frozenset({Weekday.MONDAY, Weekday.FRIDAY}), every=2),),
        from_=date(2026, 1, 7),
        until=date(2026, 2, 1),
    )
    result = expand(s, start=date(2026, 1, 1), end=date(2026, 2, 28))
    assert _dates(result) == [date(2026, 1, 9), date(2026, 1, 19), date(2026, 1, 23)]


def test_daily_every_three_counts_days_from_from() -> None:
    """daily with every: 3 runs every third day from `from`."""
    s = schedule(windows=(window(days=None, every=3),), from_=date(2026, 1, 2))
    result = expand(s, start=date(2026, 1, 1), end=date(2026, 1, 12))
    assert _dates(result) == [
        date(2026, 1, 2),
        date(2026, 1, 5),
        date(2026, 1, 8),
        date(2026, 1, 11),
    ]


def test_without_from_every_is_anchored_in_1970_not_today() -> None:
    """No `from`: the weeks that run do not depend on the range expanded."""
    s = schedule(windows=(window(every=2),), from_=None, until=None)
    wide = set(_dates(expand(s, start=date(2026, 1, 1), end=date(2026, 3, 31))))
    narrow = set(_dates(expand(s, start=date(2026, 2, 10), end=date(2026, 3, 31))))
    assert narrow == {d for d in wide if d >= date(2026, 2, 10)}
    weeks = {(d - date(1970, 1, 5)).days // 7 % 2 for d in wide}
    assert weeks == {0}


def test_count_counts_pattern_occurrences_and_exclusions_do_not_give_back() -> None:
    """count: 5 weekdays from Monday ends on Friday even when Wednesday is excluded."""
    s = schedule(
        from_=date(2026, 1, 5),
        until=None,
        count=5,
        except_=(DayRange(date(2026, 1, 7), date(2026, 1, 7)),),
    )
    result = expand(s, start=date(2026, 1, 1), end=date(2026, 3, 1))
    assert _dates(result) == [
        date(2026, 1, 5),
        date(2026, 1, 6),
        date(2026, 1, 8),
        date(2026, 1, 9),
    ]
    assert result.excluded == (date(2026, 1, 7),)


def test_until_is_inclusive_and_from_bounds_the_start() -> None:
    """from/until bound the local start dates, inclusive on both ends."""
    s = schedule(from_=date(2026, 1, 6), until=date(2026, 1, 8))
    result = expand(s, start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert _dates(result) == [date(2026, 1, 6), date(2026, 1, 7), date(2026, 1, 8)]


def test_included_day_adds_the_windows_even_on_a_weekend() -> None:
    """include: a Saturday runs the weekday window that day."""
    s = schedule(
        from_=date(2026, 1, 5),
        until=date(2026, 1, 11),
        include=(DayRange(date(2026, 1, 10), date(2026, 1, 10)),),
    )
    result = expand(s, start=date(2026, 1, 5), end=date(2026, 1, 11))
    assert date(2026, 1, 10) in _dates(result)
    assert len(result.occurrences) == 6


def test_included_day_wins_over_an_excluded_day() -> None:
    """A day both excluded and included runs (Genesys: inclusion takes precedence)."""
    day = DayRange(date(2026, 1, 6), date(2026, 1, 6))
    s = schedule(until=date(2026, 1, 6), except_=(day,), include=(day,))
    result = expand(s, start=date(2026, 1, 5), end=date(2026, 1, 6))
    assert _dates(result) == [date(2026, 1, 5), date(2026, 1, 6)]
    assert result.excluded == ()


def test_timed_exclusion_cuts_an_occurrence_in_two() -> None:
    """A 12:00-13:00 timed exclusion leaves 09:00-12:00 and 13:00-17:00."""
    s = schedule(
        zone="UTC",
        from_=date(2026, 1, 5),
        until=date(2026, 1, 5),
        except_=(TimedRange(datetime(2026, 1, 5, 12), datetime(2026, 1, 5, 13)),),
    )
    result = expand(s, start=date(2026, 1, 5), end=date(2026, 1, 5))
    assert [(o.start.hour, o.end.hour) for o in result.occurrences] == [
        (9, 12),
        (13, 17),
    ]
    assert {o.window for o in result.occurrences} == {0}


def test_timed_inclusion_and_intervals_are_occurrences_without_window() -> None:
    """Timed inclusions and one-off intervals have window None; each appears once."""
    extra = TimedRange(datetime(2026, 1, 10, 10), datetime(2026, 1, 10, 12))
    s = schedule(
        zone="UTC",
        windows=(window(), window("18:00", "19:00")),
        from_=date(2026, 1, 9),
        until=date(2026, 1, 9),
        include=(extra,),
        intervals=(TimedRange(datetime(2026, 1, 11, 8), datetime(2026, 1, 11, 9)),),
    )
    result = expand(s, start=date(2026, 1, 9), end=date(2026, 1, 11))
    assert [(o.start.day, o.start.hour, o.window) for o in result.occurrences] == [
        (9, 9, 0),
        (9, 18, 1),
        (10, 10, None),
        (11, 8, None),
    ]
    assert result.warnings == ()


def test_intervals_ignore_exclusions() -> None:
    """Alterations belong to recurrences: a one-off interval on a holiday still runs."""
    s = schedule(
        zone="UTC",
        windows=(),
        except_=(DayRange(date(2026, 1, 10), date(2026, 1, 10)),),
        intervals=(TimedRange(datetime(2026, 1, 10, 8), datetime(2026, 1, 10, 9)),),
    )
    result = expand(s, start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert len(result.occurrences) == 1


def test_overlapping_windows_of_one_schedule_are_merged_with_a_warning() -> None:
    """09-13 and 12-17 on the same day become one 09-17 occurrence, reported."""
    s = schedule(
        zone="UTC",
        windows=(window("09:00", "13:00"), window("12:00", "17:00")),
        from_=date(2026, 12, 2),
        until=date(2026, 12, 2),
    )
    result = expand(s, start=date(2026, 12, 2), end=date(2026, 12, 2))
    (occ,) = result.occurrences
    assert (occ.start.hour, occ.end.hour, occ.window) == (9, 17, 0)
    assert result.warnings == (
        "Q4 Renewals: windows 0 and 1 overlap on 2026-12-02; merged",
    )


def test_touching_windows_are_not_merged() -> None:
    """09-12 and 12-17 touch but do not overlap: two occurrences, no warning."""
    s = schedule(
        zone="UTC",
        windows=(window("09:00", "12:00"), window("12:00", "17:00")),
        from_=date(2026, 12, 2),
        until=date(2026, 12, 2),
    )
    result = expand(s, start=date(2026, 12, 2), end=date(2026, 12, 2))
    assert len(result.occurrences) == 2
    assert result.warnings == ()


def test_interval_overlapping_a_window_is_merged_and_named() -> None:
    """A one-off interval inside a window is merged and the warning names it."""
    s = schedule(
        zone="UTC",
        from_=date(2026, 12, 2),
        until=date(2026, 12, 2),
        intervals=(TimedRange(datetime(2026, 12, 2, 16), datetime(2026, 12, 2, 18)),),
    )
    result = expand(s, start=date(2026, 12, 2), end=date(2026, 12, 2))
    assert [(o.start.hour, o.end.hour) for o in result.occurrences] == [(9, 18)]
    assert "window 0 and a one-off interval overlap on 2026-12-02" in result.warnings[0]


def test_window_zone_override_is_used() -> None:
    """A window's time_zone override decides its UTC instants and its zone."""
    s = schedule(
        zone="UTC",
        windows=(window(time_zone="Asia/Kolkata"),),
        from_=date(2026, 1, 5),
        until=date(2026, 1, 5),
    )
    (occ,) = expand(s, start=date(2026, 1, 5), end=date(2026, 1, 5)).occurrences
    assert occ.zone == "Asia/Kolkata"
    assert occ.start == datetime(2026, 1, 5, 3, 30, tzinfo=UTC)
    assert occ.local_start.hour == 9
    assert occ.local_end.hour == 17


def test_expansion_range_open_ended_uses_horizon_from_today() -> None:
    """Open-ended: horizon_days from max(from, today)."""
    s = schedule(from_=date(2025, 1, 1), until=None)
    assert expansion_range(s, today=date(2026, 3, 1), horizon_days=90) == (
        date(2026, 3, 1),
        date(2026, 5, 29),
    )
    later = schedule(from_=date(2026, 6, 1), until=None)
    assert expansion_range(later, today=date(2026, 3, 1), horizon_days=10) == (
        date(2026, 6, 1),
        date(2026, 6, 10),
    )


def test_expansion_range_finite_uses_from_until_and_count() -> None:
    """Finite: from to until; count-limited: to the count-th occurrence."""
    s = schedule(from_=date(2026, 1, 5), until=date(2026, 2, 1))
    assert expansion_range(s, today=date(2027, 1, 1), horizon_days=90) == (
        date(2026, 1, 5),
        date(2026, 2, 1),
    )
    counted = schedule(from_=date(2026, 1, 5), until=None, count=10)
    assert expansion_range(counted, today=date(2025, 1, 1), horizon_days=90) == (
        date(2026, 1, 5),
        date(2026, 1, 16),
    )
    no_from = schedule(from_=None, until=None, count=1)
    assert expansion_range(no_from, today=date(2026, 1, 10), horizon_days=90) == (
        date(2026, 1, 10),
        date(2026, 1, 12),
    )


def test_expansion_range_covers_window_overrides_and_intervals() -> None:
    """The earliest window-level from and the one-off intervals widen the range."""
    s = schedule(
        windows=(window(), window(from_=date(2025, 12, 1))),
        from_=date(2026, 1, 5),
        until=date(2026, 1, 31),
        intervals=(TimedRange(datetime(2026, 3, 1, 9), datetime(2026, 3, 1, 10)),),
    )
    assert expansion_range(s, today=date(2026, 1, 1), horizon_days=90) == (
        date(2025, 12, 1),
        date(2026, 3, 1),
    )


def test_expansion_range_is_capped_and_empty_schedule_is_today() -> None:
    """At most 3660 days; a schedule with nothing to run expands over today only."""
    s = schedule(from_=date(2020, 1, 1), until=date(2099, 1, 1))
    first, last = expansion_range(s, today=date(2026, 1, 1), horizon_days=90)
    assert last - first == timedelta(days=3660)
    empty = schedule(windows=())
    assert expansion_range(empty, today=date(2026, 1, 1), horizon_days=90) == (
        date(2026, 1, 1),
        date(2026, 1, 1),
    )


def test_occurrences_are_sorted_by_start_then_window() -> None:
    """Two windows at the same start sort by window index."""
    s = schedule(
        zone="UTC",
        windows=(
            window("09:00", "10:00", EVERY_DAY),
            window("20:00", "21:00", WEEKDAYS),
        ),
        from_=date(2026, 1, 1),
        until=date(2026, 1, 31),
    )
    result = expand(s, start=date(2026, 1, 1), end=date(2026, 1, 31))
    starts = [(o.start, o.window or 0) for o in result.occurrences]
    assert starts == sorted(starts)
    assert len(result.occurrences) == 31 + 22

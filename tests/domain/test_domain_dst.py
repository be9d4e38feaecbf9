"""DST behaviour of expansion in five zones (gap, fold, overnight, clipping)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain_factories import EVERY_DAY, schedule, window

from gcsched.domain import expand
from gcsched.domain.model import DayRange


def _one_day(zone: str, day: date, start: str, end: str):  # type: ignore[no-untyped-def]
    s = schedule(
        zone=zone, windows=(window(start, end, EVERY_DAY),), from_=day, until=day
    )
    return expand(s, start=day, end=day)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_new_york_gap_moves_start_to_first_instant_after_gap() -> None:
    """02:30 does not exist on 2026-03-08 in New York: the window starts at 03:00."""
    result = _one_day("America/New_York", date(2026, 3, 8), "02:30", "05:00")
    (occ,) = result.occurrences
    assert (occ.start, occ.end) == (utc(2026, 3, 8, 7), utc(2026, 3, 8, 9))
    assert result.warnings == (
        "Q4 Renewals: 2026-03-08 America/New_York: 02:30 does not exist (spring "
        "forward); the window starts at 03:00",
    )


def test_new_york_gap_moves_end_too() -> None:
    """An end inside the gap moves to 03:00 EDT and is reported."""
    result = _one_day("America/New_York", date(2026, 3, 8), "01:00", "02:30")
    (occ,) = result.occurrences
    assert (occ.start, occ.end) == (utc(2026, 3, 8, 6), utc(2026, 3, 8, 7))
    assert "the window ends at 03:00" in result.warnings[0]


def test_window_wholly_inside_gap_is_dropped_that_day_only() -> None:
    """02:10-02:50 on spring-forward day is dropped with a warning; other days run."""
    s = schedule(
        zone="America/New_York",
        windows=(window("02:10", "02:50", EVERY_DAY),),
        from_=date(2026, 3, 7),
        until=date(2026, 3, 9),
    )
    result = expand(s, start=date(2026, 3, 7), end=date(2026, 3, 9))
    assert [o.local_start.date() for o in result.occurrences] == [
        date(2026, 3, 7),
        date(2026, 3, 9),
    ]
    assert result.warnings == (
        "Q4 Renewals: 2026-03-08 America/New_York: the window 02:10–02:50 lies "
        "inside the spring-forward gap; dropped that day",
    )


def test_new_york_fold_covers_both_readings() -> None:
    """01:00-01:30 on fall-back day: from the first 01:00 to the second 01:30."""
    result = _one_day("America/New_York", date(2026, 11, 1), "01:00", "01:30")
    (occ,) = result.occurrences
    assert (occ.start, occ.end) == (utc(2026, 11, 1, 5), utc(2026, 11, 1, 6, 30))
    assert result.warnings == (
        "Q4 Renewals: 2026-11-01 America/New_York: 01:00 occurs twice (fall back); "
        "the window starts at the first 01:00 (UTC-04:00)",
        "Q4 Renewals: 2026-11-01 America/New_York: 01:30 occurs twice (fall back); "
        "the window ends at the second 01:30 (UTC-05:00)",
    )


def test_london_overnight_window_across_spring_forward_is_shorter() -> None:
    """22:00-06:00 across the London gap lasts 7 real hours, without warnings."""
    result = _one_day("Europe/London", date(2026, 3, 28), "22:00", "06:00")
    (occ,) = result.occurrences
    assert (occ.start, occ.end) == (utc(2026, 3, 28, 22), utc(2026, 3, 29, 5))
    assert occ.end - occ.start == timedelta(hours=7)
    assert result.warnings == ()


def test_london_overnight_window_across_fall_back_is_longer() -> None:
    """22:00-06:00 across the London fold lasts 9 real hours."""
    result = _one_day("Europe/London", date(2026, 10, 24), "22:00", "06:00")
    (occ,) = result.occurrences
    assert (occ.start, occ.end) == (utc(2026, 10, 24, 21), utc(2026, 10, 25, 6))
    assert result.warnings == ()


def test_london_gap_hour_is_one_oclock() -> None:
    """In London the gap is 01:00-02:00: a 01:30 start moves to 02:00 BST."""
    result = _one_day("Europe/London", date(2026, 3, 29), "01:30", "04:00")
    (occ,) = result.occurrences
    assert occ.start == utc(2026, 3, 29, 1)
    assert "the window starts at 02:00" in result.warnings[0]


def test_sydney_gap_in_october() -> None:
    """Sydney springs forward on 2026-10-04: 02:00 moves to 03:00 AEDT."""
    result = _one_day("Australia/Sydney", date(2026, 10, 4), "02:00", "04:00")
    (occ,) = result.occurrences
    assert (occ.start, occ.end) == (utc(2026, 10, 3, 16), utc(2026, 10, 3, 17))
    assert "Australia/Sydney: 02:00 does not exist" in result.warnings[0]


def test_sydney_fold_in_april() -> None:
    """A window inside the repeated hour in Sydney covers both passes (90 minutes)."""
    result = _one_day("Australia/Sydney", date(2026, 4, 5), "02:15", "02:45")
    (occ,) = result.occurrences
    assert (occ.start, occ.end) == (utc(2026, 4, 4, 15, 15), utc(2026, 4, 4, 16, 45))
    assert len(result.warnings) == 2


def test_lord_howe_half_hour_gap() -> None:
    """Lord Howe skips 02:00-02:30: a 02:15 start moves to 02:30 (+11:00)."""
    result = _one_day("Australia/Lord_Howe", date(2026, 10, 4), "02:15", "03:00")
    (occ,) = result.occurrences
    assert (occ.start, occ.end) == (utc(2026, 10, 3, 15, 30), utc(2026, 10, 3, 16))
    assert result.warnings == (
        "Q4 Renewals: 2026-10-04 Australia/Lord_Howe: 02:15 does not exist (spring "
        "forward); the window starts at 02:30",
    )


def test_lord_howe_half_hour_fold() -> None:
    """Lord Howe repeats 01:30-02:00: a 01:45 start takes the first reading (+11:00)."""
    result = _one_day("Australia/Lord_Howe", date(2026, 4, 5), "01:45", "03:00")
    (occ,) = result.occurrences
    assert (occ.start, occ.end) == (utc(2026, 4, 4, 14, 45), utc(2026, 4, 4, 16, 30))
    assert "(UTC+11:00)" in result.warnings[0]


def test_kolkata_has_no_dst_and_no_warnings() -> None:
    """Kolkata is +05:30 all year: a year of daily windows is uniform and silent."""
    s = schedule(
        zone="Asia/Kolkata",
        windows=(window("21:00", "03:00", None),),
        from_=date(2026, 1, 1),
        until=date(2026, 12, 31),
    )
    result = expand(s, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert len(result.occurrences) == 365
    assert {o.end - o.start for o in result.occurrences} == {timedelta(hours=6)}
    assert result.occurrences[0].start == utc(2026, 1, 1, 15, 30)
    assert result.warnings == ()


def test_kolkata_excluded_day_clips_overnight_windows_both_ways() -> None:
    """Excluding 2026-05-02 clips the windows of May 1st and May 2nd at midnight."""
    s = schedule(
        zone="Asia/Kolkata",
        windows=(window("21:00", "03:00", None),),
        from_=date(2026, 5, 1),
        until=date(2026, 5, 2),
        except_=(DayRange(date(2026, 5, 2), date(2026, 5, 2)),),
    )
    result = expand(s, start=date(2026, 5, 1), end=date(2026, 5, 2))
    spans = [(o.start, o.end) for o in result.occurrences]
    assert spans == [
        (utc(2026, 5, 1, 15, 30), utc(2026, 5, 1, 18, 30)),
        (utc(2026, 5, 2, 18, 30), utc(2026, 5, 2, 21, 30)),
    ]
    assert result.excluded == (date(2026, 5, 2),)


def test_excluded_spring_forward_day_clips_overnight_window_in_new_york() -> None:
    """Excluding 2026-03-08 ends Saturday's 22:00-06:00 window at Sunday 00:00 EST."""
    s = schedule(
        zone="America/New_York",
        windows=(window("22:00", "06:00", EVERY_DAY),),
        from_=date(2026, 3, 7),
        until=date(2026, 3, 8),
        except_=(DayRange(date(2026, 3, 8), date(2026, 3, 8)),),
    )
    result = expand(s, start=date(2026, 3, 7), end=date(2026, 3, 8))
    spans = [(o.start, o.end) for o in result.occurrences]
    assert spans == [
        (utc(2026, 3, 8, 3), utc(2026, 3, 8, 5)),
        (utc(2026, 3, 9, 4), utc(2026, 3, 9, 10)),
    ]

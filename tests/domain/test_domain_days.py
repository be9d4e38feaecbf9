"""Day patterns and the small interval helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain_factories import schedule, window

from gcsched.domain import expand, expansion_range, merge, subtract, subtract_all
from gcsched.domain.days import first_match, matches, nth_match
from gcsched.domain.model import TimedRange, Weekday


def t(hour: int) -> datetime:
    return datetime(2026, 1, 1, hour, tzinfo=UTC)


def test_matches_agrees_with_weekly_every() -> None:
    """matches: weekday in the set and the week a multiple of every from the anchor."""
    w = window(days=frozenset({Weekday.TUESDAY}), every=2)
    anchor = date(2026, 1, 5)
    assert matches(w, date(2026, 1, 6), anchor)
    assert not matches(w, date(2026, 1, 13), anchor)
    assert not matches(w, date(2026, 1, 7), anchor)
    assert matches(window(days=None, every=3), date(2026, 1, 8), anchor)


def test_first_and_nth_match_of_an_empty_pattern_are_none() -> None:
    """A weekly window without days never runs."""
    w = window(days=frozenset())
    assert first_match(w, date(2026, 1, 1), date(2026, 1, 1)) is None
    assert nth_match(w, date(2026, 1, 1), date(2026, 1, 1), 3) is None
    assert nth_match(window(), date(2026, 1, 1), date(2026, 1, 1), 0) is None


def test_daily_every_skips_to_the_anchor_phase() -> None:
    """daily every 2 from an anchor on an odd offset starts on the next phase day."""
    s = schedule(zone="UTC", windows=(window(days=None, every=2),), from_=None)
    got = expand(s, start=date(1970, 1, 6), end=date(1970, 1, 9))
    assert [o.start.day for o in got.occurrences] == [7, 9]


def test_timed_inclusion_widens_the_range_and_is_dropped_outside_it() -> None:
    """expansion_range covers timed inclusions; expand keeps only those in range."""
    extra = TimedRange(datetime(2026, 3, 1, 9), datetime(2026, 3, 1, 10))
    s = schedule(
        zone="UTC", from_=date(2026, 1, 5), until=date(2026, 1, 5), include=(extra,)
    )
    assert expansion_range(s, today=date(2026, 1, 1), horizon_days=9) == (
        date(2026, 1, 5),
        date(2026, 3, 1),
    )
    assert len(expand(s, start=date(2026, 1, 5), end=date(2026, 1, 5)).occurrences) == 1


def test_overlapping_one_off_intervals_are_merged_and_named() -> None:
    """Two overlapping one-off intervals merge with a warning naming them."""
    s = schedule(
        zone="UTC",
        windows=(),
        intervals=(
            TimedRange(datetime(2026, 1, 5, 9), datetime(2026, 1, 5, 11)),
            TimedRange(datetime(2026, 1, 5, 10), datetime(2026, 1, 5, 12)),
        ),
    )
    result = expand(s, start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert [(o.start.hour, o.end.hour) for o in result.occurrences] == [(9, 12)]
    assert result.warnings == (
        "Q4 Renewals: a one-off interval and a one-off interval overlap on "
        "2026-01-05; merged",
    )


def test_same_window_overlapping_itself_is_reported() -> None:
    """Two identical windows are reported as windows 0 and 1; merged."""
    s = schedule(zone="UTC", windows=(window(), window()), until=date(2026, 1, 5))
    result = expand(s, start=date(2026, 1, 5), end=date(2026, 1, 5))
    assert len(result.occurrences) == 1
    assert "windows 0 and 1 overlap" in result.warnings[0]


def test_merge_subtract_helpers() -> None:
    """merge joins overlapping (and touching) spans; subtract cuts holes."""
    spans = [(t(5), t(6)), (t(1), t(3)), (t(3), t(4)), (t(2), t(2))]
    assert merge(spans) == ((t(1), t(4)), (t(5), t(6)))
    assert merge(spans, touching=False) == ((t(1), t(3)), (t(3), t(4)), (t(5), t(6)))
    assert subtract((t(1), t(10)), [(t(0), t(2)), (t(4), t(5)), (t(9), t(12))]) == (
        (t(2), t(4)),
        (t(5), t(9)),
    )
    assert subtract((t(1), t(2)), [(t(3), t(4))]) == ((t(1), t(2)),)
    assert subtract_all([(t(1), t(3)), (t(5), t(7))], [(t(2), t(6))]) == (
        (t(1), t(2)),
        (t(6), t(7)),
    )

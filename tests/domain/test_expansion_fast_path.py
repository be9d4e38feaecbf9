"""The fast expansion equals the straightforward one (`expansion_reference`).

`expand` lists a pattern's first period and shifts it by whole periods, skips
the hole bookkeeping on days without alterations, and merges per-window runs
without rebuilding occurrences; whatever the schedule (zones with DST and
half-hour shifts, overnight windows, every 1-3, counts, exclusions, inclusions,
one-off intervals), the result must be the same, warnings included.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

import pytest
from expansion_reference import reference_expand
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_domain_properties import schedules

from gcsched.domain import expand
from gcsched.domain.days import pattern_dates
from gcsched.domain.expansion import Occurrence, _occurrence, _pattern_ordinals
from gcsched.domain.intervals import to_micros
from gcsched.domain.model import DayRange, Schedule, Target, Weekday, Window

FAST = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
days = st.dates(date(2025, 1, 1), date(2027, 12, 31))
_WEEKEND = frozenset({Weekday.SATURDAY, Weekday.SUNDAY})


@FAST
@given(schedules(), st.integers(-10, 10), st.integers(0, 400), st.booleans())
def test_expand_equals_the_straightforward_expansion(
    s: Schedule, lead: int, length: int, counted_from_today: bool
) -> None:
    """Occurrences, warnings and excluded days are identical."""
    assert s.from_ is not None
    start = s.from_ + timedelta(days=lead)
    end = start + timedelta(days=length)
    today = s.from_ + timedelta(days=3) if counted_from_today else None
    assert expand(s, start=start, end=end, today=today) == reference_expand(
        s, start=start, end=end, today=today
    )


@FAST
@given(
    st.none() | st.frozensets(st.sampled_from(list(Weekday))),
    st.integers(1, 5),
    days,
    days,
    st.integers(0, 800),
)
def test_pattern_ordinals_equal_listing_every_date(
    weekdays: frozenset[Weekday] | None,
    every: int,
    anchor: date,
    low: date,
    length: int,
) -> None:
    """Shifting the first period lists exactly the dates `pattern_dates` lists."""
    window = Window(start=time(9), end=time(17), days=weekdays, every=every)
    for high in (low + timedelta(days=length), low - timedelta(days=1)):
        listed = {d.toordinal() for d in pattern_dates(window, low, high, anchor)}
        assert _pattern_ordinals(window, low, high, anchor) == listed


def test_a_year_across_both_dst_changes_matches_the_reference() -> None:
    """Two windows a day in a DST zone, a holiday, an overnight window: same."""
    s = Schedule(
        target=Target("campaign", "Q4 Renewals"),
        time_zone="America/New_York",
        windows=(
            Window(start=time(9), end=time(17), days=frozenset(Weekday)),
            Window(start=time(1, 30), end=time(3), days=None),
            Window(start=time(22), end=time(2), days=frozenset({Weekday.SATURDAY})),
        ),
        from_=date(2026, 1, 1),
        until=date(2026, 12, 31),
        except_=(DayRange(date(2026, 11, 1), date(2026, 11, 1)),),
    )
    fast = expand(s, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert fast == reference_expand(s, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert len(fast.occurrences) > 600
    assert any("spring forward" in w for w in fast.warnings)


def test_the_fast_constructor_builds_the_same_occurrence() -> None:
    """Writing the slots directly gives an equal, equally frozen Occurrence."""
    start = datetime(2026, 3, 2, 14, tzinfo=UTC)
    end = datetime(2026, 3, 2, 22, tzinfo=UTC)
    fast = _occurrence(start, end, "America/Chicago", 1)
    slow = Occurrence(start, end, "America/Chicago", 1)
    assert type(fast) is Occurrence
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.zone = "UTC"  # type: ignore[misc]


@FAST
@given(schedules(), st.integers(-10, 10), st.integers(0, 400))
def test_micro_spans_equal_the_straightforward_occurrences(
    s: Schedule, lead: int, length: int
) -> None:
    """The spans (read without making occurrences) are the reference's, in order."""
    assert s.from_ is not None
    start = s.from_ + timedelta(days=lead)
    end = start + timedelta(days=length)
    want = reference_expand(s, start=start, end=end).occurrences
    spans = expand(s, start=start, end=end).micro_spans()
    assert spans == [(to_micros(o.start), to_micros(o.end)) for o in want]


def test_one_pattern_in_many_zones_keeps_each_zone_s_days() -> None:
    """The day bases kept per pattern and zone never leak into another zone.

    One pattern (weekdays and Saturdays of 2026, holidays on both DST Sundays
    and a Saturday) in zones whose offsets and transitions differ (a half-hour
    DST in Lord Howe), expanded in turn, then again: each equals the reference.
    """
    holidays = (
        DayRange(date(2026, 3, 8), date(2026, 3, 9)),
        DayRange(date(2026, 10, 24), date(2026, 10, 26)),
    )
    windows = (
        Window(start=time(9), end=time(17), days=frozenset(Weekday) - _WEEKEND),
        Window(start=time(1, 30), end=time(2, 30), days=_WEEKEND),
    )
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    zones = ("America/New_York", "Europe/London", "Australia/Lord_Howe", "UTC")
    for _ in range(2):
        for zone_name in zones:
            s = Schedule(
                target=Target("campaign", "Q4 Renewals"),
                time_zone=zone_name,
                windows=windows,
                from_=first,
                until=last,
                except_=holidays,
            )
            fast = expand(s, start=first, end=last)
            want = reference_expand(s, start=first, end=last)
            assert fast == want
            assert fast.micro_spans() == [
                (to_micros(o.start), to_micros(o.end)) for o in want.occurrences
            ]

"""Expansions kept as microsecond rows: made on demand, equal to the reference.

`expand` keeps occurrences as integer rows and, where no two windows of one zone
run on the same day, leaves even those unmade until read. Whatever is read
first (the count, the microsecond spans or the occurrences), it must agree with
the straightforward expansion; and an `Expansion` stays immutable and equal by
value whichever form it holds.
"""

from __future__ import annotations

import tracemalloc
from datetime import UTC, date, datetime, time, timedelta

import pytest
from expansion_reference import reference_expand
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_domain_properties import schedules

from gcsched.domain import expand
from gcsched.domain import expansion as expansion_module
from gcsched.domain.expansion import Expansion, Occurrence
from gcsched.domain.intervals import from_micros, to_micros
from gcsched.domain.model import DayRange, Schedule, Target, Weekday, Window

FAST = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
WEEKDAYS = frozenset(Weekday) - {Weekday.SATURDAY, Weekday.SUNDAY}


def _year(*windows: Window, zone: str = "America/New_York") -> Schedule:
    return Schedule(
        target=Target("campaign", "Q4 Renewals"),
        time_zone=zone,
        windows=windows,
        from_=date(2026, 1, 1),
        until=date(2026, 12, 31),
        except_=(DayRange(date(2026, 7, 3), date(2026, 7, 3)),),
    )


def _check(s: Schedule, start: date, end: date, today: date | None = None) -> None:
    """Count, spans and occurrences, each read first, equal the reference."""
    want = reference_expand(s, start=start, end=end, today=today)
    spans = [(to_micros(o.start), to_micros(o.end)) for o in want.occurrences]
    first = expand(s, start=start, end=end, today=today)
    assert first.occurrence_count == len(want.occurrences)
    assert first == want
    second = expand(s, start=start, end=end, today=today)
    assert second.micro_spans() == spans
    assert second.occurrences == want.occurrences
    assert second.warnings == want.warnings
    assert second.excluded == want.excluded


@FAST
@given(
    schedules(includes=False, intervals=False, zones=False),
    st.integers(-10, 10),
    st.integers(0, 400),
)
def test_windows_of_one_zone_equal_the_reference(
    s: Schedule, lead: int, length: int
) -> None:
    """The rows left unmade (one zone, no intervals) read as the reference's."""
    assert s.from_ is not None
    start = s.from_ + timedelta(days=lead)
    _check(s, start, start + timedelta(days=length))


@FAST
@given(schedules(), st.integers(-10, 10), st.integers(0, 400))
def test_any_schedule_reads_the_same_whatever_is_read_first(
    s: Schedule, lead: int, length: int
) -> None:
    """Merged or not, count and spans agree with the occurrences."""
    assert s.from_ is not None
    start = s.from_ + timedelta(days=lead)
    _check(s, start, start + timedelta(days=length), today=s.from_)


def test_weekdays_and_saturday_are_left_unmade_until_read() -> None:
    """Two windows on different days of one zone: rows made on first read."""
    s = _year(
        Window(start=time(9), end=time(17), days=WEEKDAYS),
        Window(start=time(10), end=time(14), days=frozenset({Weekday.SATURDAY})),
    )
    found = expand(s, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert isinstance(found._rows, expansion_module._Deferred)
    assert found.occurrence_count == 260 + 52
    want = reference_expand(s, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert found.micro_spans() == [
        (to_micros(o.start), to_micros(o.end)) for o in want.occurrences
    ]
    assert isinstance(found._rows, expansion_module._Deferred)
    assert found.occurrences == want.occurrences
    # The occurrences are kept once made; the rows stay unmade (no second copy).
    assert found.occurrences is found.occurrences
    assert isinstance(found._rows, expansion_module._Deferred)


@pytest.mark.parametrize(
    ("second", "zone"),
    [
        # Same days, other hours: they overlap on every weekday (merged, warned).
        (Window(start=time(16), end=time(18), days=WEEKDAYS), None),
        # Other days but another zone: the local days differ, so rows are made.
        (
            Window(start=time(10), end=time(14), days=frozenset({Weekday.SATURDAY})),
            "Europe/Berlin",
        ),
    ],
)
def test_windows_that_may_meet_are_made_and_merged_at_once(
    second: Window, zone: str | None
) -> None:
    """Shared days or two zones: the rows are made and merged by `expand`."""
    if zone is not None:
        second = Window(
            start=second.start, end=second.end, days=second.days, time_zone=zone
        )
    s = _year(Window(start=time(9), end=time(17), days=WEEKDAYS), second)
    found = expand(s, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert isinstance(found._rows, expansion_module._Packed)
    assert found == reference_expand(s, start=date(2026, 1, 1), end=date(2026, 12, 31))


def test_an_expansion_is_immutable_and_equal_by_value() -> None:
    """Either form: no attribute can be set or deleted; equal, same hash, repr."""
    s = _year(Window(start=time(9), end=time(17), days=WEEKDAYS))
    made = expand(s, start=date(2026, 3, 2), end=date(2026, 3, 3))
    given_ = Expansion(s, made.occurrences, made.warnings, made.excluded)
    assert made == given_
    assert hash(made) == hash(given_)
    assert repr(made) == repr(given_)
    assert made != "an expansion"
    assert given_.occurrence_count == 2
    start = datetime(2026, 3, 2, 14, tzinfo=UTC)
    assert given_.micro_spans()[0] == (
        to_micros(start),
        to_micros(start + timedelta(hours=8)),
    )
    assert given_.occurrences[0] == Occurrence(
        start, start + timedelta(hours=8), "America/New_York", 0
    )
    for value in (made, given_):
        with pytest.raises(AttributeError, match="immutable"):
            value.warnings = ()  # type: ignore[misc]
        with pytest.raises(AttributeError, match="immutable"):
            del value.schedule  # type: ignore[misc]


def test_an_expansion_takes_occurrences_or_rows_not_both() -> None:
    """Neither or both is a programming error."""
    s = _year(Window(start=time(9), end=time(17), days=WEEKDAYS))
    with pytest.raises(TypeError, match="either occurrences or rows"):
        Expansion(s)
    with pytest.raises(TypeError, match="either occurrences or rows"):
        Expansion(s, (), rows=())


def test_the_day_caches_are_bounded_and_refill_the_same() -> None:
    """Past their limit the per-zone and per-pattern tables start afresh."""
    s = _year(Window(start=time(9), end=time(17), days=WEEKDAYS))
    before = expand(s, start=date(2026, 1, 1), end=date(2026, 12, 31))
    zone_table = expansion_module._BASES["America/New_York"]
    for ordinal in range(expansion_module._BASES_LIMIT + 1):
        zone_table.setdefault(-ordinal - 1, None)
    expansion_module._DAYS.clear()
    for n in range(expansion_module._DAYS_LIMIT):
        expansion_module._DAYS.setdefault(("filler", n), before_days(n))
    expansion_module._INSTANTS.clear()
    for n in range(expansion_module._INSTANTS_LIMIT):
        expansion_module._INSTANTS[-n - 1] = datetime(2000, 1, 1, tzinfo=UTC)
    after = expand(s, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert after == before
    assert len(expansion_module._BASES["America/New_York"]) < 1000
    assert len(expansion_module._DAYS) == 1
    assert len(expansion_module._INSTANTS) == 2 * len(after.occurrences)


def before_days(n: int) -> expansion_module._Days:
    """A filler entry for the per-pattern table."""
    return expansion_module._Days((n,), (n,), frozenset(), frozenset(), frozenset({n}))


def test_microseconds_round_trip_exactly() -> None:
    """Whole seconds and odd microseconds, before and after the epoch."""
    for instant in (
        datetime(2026, 3, 8, 7, tzinfo=UTC),
        datetime(2026, 3, 8, 7, 0, 0, 999_999, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    ):
        assert from_micros(to_micros(instant)) == instant
        assert from_micros(to_micros(instant)).tzinfo is UTC


def test_a_merged_expansion_holds_its_occurrences_packed() -> None:
    """Two windows a weekday for five years: ~20 bytes an occurrence, not ~150.

    The rows of windows that share days are merged, then kept in arrays; the
    spans read them in place, and no `Occurrence` is made until asked for.
    """
    s = Schedule(
        target=Target("campaign", "Q4 Renewals"),
        time_zone="America/Chicago",
        windows=(
            Window(start=time(9), end=time(12), days=WEEKDAYS),
            Window(start=time(13), end=time(17), days=WEEKDAYS),
        ),
        from_=date(2027, 1, 1),
        until=date(2031, 12, 31),
    )
    first, last = date(2027, 1, 1), date(2031, 12, 31)
    expand(s, start=first, end=last)  # warm the per-zone and per-pattern caches
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        found = expand(s, start=first, end=last)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert isinstance(found._rows, expansion_module._Packed)
    count = found.occurrence_count
    assert count == 2 * 1304  # weekdays of 2027-2031, two windows each
    assert held < 40 * count, held
    spans = found.micro_spans()
    assert found._occurrences is None
    assert spans == [(to_micros(o.start), to_micros(o.end)) for o in found.occurrences]


def test_micro_spans_read_like_a_list_of_pairs() -> None:
    """Index, slice, iterate, compare with lists and with each other."""
    s = _year(
        Window(start=time(9), end=time(12), days=WEEKDAYS),
        Window(start=time(13), end=time(17), days=WEEKDAYS),
    )
    spans = expand(s, start=date(2026, 3, 2), end=date(2026, 3, 3)).micro_spans()
    day = to_micros(datetime(2026, 3, 2, 14, tzinfo=UTC))
    hour = 3600 * 10**6
    pairs = [
        (day, day + 3 * hour),
        (day + 4 * hour, day + 8 * hour),
        (day + 24 * hour, day + 27 * hour),
        (day + 28 * hour, day + 32 * hour),
    ]
    assert len(spans) == 4
    assert spans[1] == pairs[1]
    assert spans[-1] == pairs[-1]
    assert list(spans) == pairs
    assert spans == pairs
    assert spans != pairs[:3]
    assert spans[1:3] == pairs[1:3]
    assert (
        spans[1:3]
        == expand(s, start=date(2026, 3, 2), end=date(2026, 3, 3)).micro_spans()[1:3]
    )
    assert spans != 42
    assert repr(spans[:1]) == f"MicroSpans([({day}, {day + 3 * hour})])"


def test_many_windows_keep_their_indices() -> None:
    """130 windows on one day: window indices past one byte's range survive."""
    windows = tuple(
        Window(
            start=time(i * 10 // 60, i * 10 % 60),
            end=time(i * 10 // 60, i * 10 % 60 + 5),
            days=frozenset({Weekday.MONDAY}),
        )
        for i in range(130)
    )
    s = _year(*windows)
    found = expand(s, start=date(2026, 3, 2), end=date(2026, 3, 8))
    assert isinstance(found._rows, expansion_module._Packed)
    assert [o.window for o in found.occurrences] == list(range(130))
    assert found == reference_expand(s, start=date(2026, 3, 2), end=date(2026, 3, 8))

"""Day ranges as wide as the calendar cost only the days that are expanded.

An `except: [{from: 0001-01-01, to: 9999-12-31}]` once listed 3.65 million days
(708 MB, 34 s in `validate`): ranges are clipped to the expansion window first.
"""

from __future__ import annotations

import tracemalloc
from datetime import date

from domain_factories import schedule

from gcsched.domain.days import day_extent, day_ordinals
from gcsched.domain.expansion import expand, expansion_range
from gcsched.domain.model import DayRange

WHOLE_CALENDAR = DayRange(date.min, date.max)


def _peak_bytes(run: object) -> int:
    tracemalloc.start()
    try:
        assert callable(run)
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_exclusion_over_the_whole_calendar_is_clipped_before_expansion() -> None:
    plan = schedule(except_=(WHOLE_CALENDAR,))
    result = None

    def run() -> None:
        nonlocal result
        result = expand(plan, start=date(2026, 1, 5), end=date(2026, 3, 31))

    assert _peak_bytes(run) < 4 * 1024 * 1024
    assert result is not None
    assert result.occurrences == ()
    assert result.excluded[0] == date(2026, 1, 5)
    assert result.excluded[-1] == date(2026, 3, 31)


def test_an_inclusion_over_the_whole_calendar_sets_the_range_without_listing_days() -> (
    None
):
    plan = schedule(include=(DayRange(date(2026, 1, 1), date(2999, 12, 31)),))

    def run() -> None:
        expansion_range(plan, today=date(2026, 1, 1), horizon_days=90)

    assert _peak_bytes(run) < 4 * 1024 * 1024
    low, high = expansion_range(plan, today=date(2026, 1, 1), horizon_days=90)
    assert low == date(2026, 1, 1)
    assert (high - low).days == 3660


def test_day_ordinals_clips_and_day_extent_spans() -> None:
    ranges = (DayRange(date(2026, 1, 1), date(2026, 1, 10)), WHOLE_CALENDAR)
    low, high = date(2026, 1, 5).toordinal(), date(2026, 1, 6).toordinal()
    assert day_ordinals(ranges, low=low, high=high) == {low, high}
    assert day_extent(ranges) == (date.min, date.max)
    assert day_extent(()) is None

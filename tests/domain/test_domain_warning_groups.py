"""Repeated warnings are grouped: one line per kind and schedule, with a count.

720 overlapping windows once gave 263,637 warning lines (and a minute of output).
"""

from __future__ import annotations

from datetime import date

from domain_factories import EVERY_DAY, schedule, window

from gcsched.domain.expansion import expand


def test_overlaps_repeated_every_day_are_one_line_with_count_and_dates() -> None:
    many = tuple(window("09:00", "17:00", EVERY_DAY) for _ in range(30))
    result = expand(
        schedule(windows=many, from_=date(2026, 1, 5), until=date(2026, 1, 11)),
        start=date(2026, 1, 5),
        end=date(2026, 1, 11),
    )
    assert result.warnings == (
        "Q4 Renewals: windows 0 and 1 overlap on 2026-01-05; merged "
        "(203 times, 2026-01-05 to 2026-01-11)",
    )


def test_a_single_warning_reads_as_before() -> None:
    two = (window("09:00", "17:00", EVERY_DAY), window("16:00", "18:00", EVERY_DAY))
    result = expand(
        schedule(windows=two, from_=date(2026, 1, 5), until=date(2026, 1, 5)),
        start=date(2026, 1, 5),
        end=date(2026, 1, 5),
    )
    assert result.warnings == (
        "Q4 Renewals: windows 0 and 1 overlap on 2026-01-05; merged",
    )


def test_dst_shifts_over_several_years_group_by_kind_and_edge() -> None:
    night = (window("02:30", "03:30", EVERY_DAY),)
    result = expand(
        schedule(windows=night, from_=date(2026, 1, 1), until=date(2028, 12, 31)),
        start=date(2026, 1, 1),
        end=date(2028, 12, 31),
    )
    assert result.warnings == (
        "Q4 Renewals: 2026-03-08 America/New_York: 02:30 does not exist "
        "(spring forward); the window starts at 03:00 "
        "(3 times, 2026-03-08 to 2028-03-12)",
    )

"""Fixture schedules for the report tests.

DST in New York and on Lord Howe, holidays, overnight windows, one-off intervals,
and an audience conflict under `trim`.
"""

from __future__ import annotations

from datetime import date, datetime, time

from gcsched.domain.model import (
    DayRange,
    Schedule,
    Target,
    TimedRange,
    Weekday,
    Window,
)

WEEKDAYS = frozenset(
    {
        Weekday.MONDAY,
        Weekday.TUESDAY,
        Weekday.WEDNESDAY,
        Weekday.THURSDAY,
        Weekday.FRIDAY,
    }
)
TODAY = date(2026, 3, 1)
SPRING_NY = date(2026, 3, 8)  # 02:00 -> 03:00
FALL_NY = date(2026, 11, 1)  # 02:00 -> 01:00
LORD_HOWE_BACK = date(2026, 4, 5)  # 02:00 -> 01:30
LORD_HOWE_FWD = date(2026, 10, 4)  # 02:00 -> 02:30


def campaign(ref: str, **kwargs: object) -> Schedule:
    """A campaign schedule with defaults for the fields a test does not care about."""
    values: dict[str, object] = {"time_zone": "America/New_York"}
    values.update(kwargs)
    return Schedule(target=Target("campaign", ref), **values)  # type: ignore[arg-type]


def ny_weekdays() -> Schedule:
    """Plain weekday calling 09:00-17:00 with a holiday and a timed exclusion."""
    return campaign(
        "Q1 Renewals",
        priority=7,
        audience="retail",
        name="weekday calling",
        windows=(Window(start=time(9), end=time(17), days=WEEKDAYS),),
        from_=date(2026, 3, 2),
        until=date(2026, 3, 31),
        except_=(
            DayRange(date(2026, 3, 17), date(2026, 3, 17), "St Patrick"),
            TimedRange(datetime(2026, 3, 19, 12), datetime(2026, 3, 19, 13), "lunch"),
        ),
    )


def ny_dst() -> Schedule:
    """Sunday-night windows on both New York transitions (gap and fold)."""
    return campaign(
        "Night Shift",
        priority=3,
        windows=(
            # Sundays 01:30-02:30: the end is in the gap in March, the start in the
            # fold in November.
            Window(
                start=time(1, 30), end=time(2, 30), days=frozenset({Weekday.SUNDAY})
            ),
            # Daily at noon, with an extra day and a one-off interval.
            Window(start=time(12), end=time(13), days=frozenset({Weekday.WEDNESDAY})),
            # Sundays 02:10-02:40: wholly inside the gap in March (dropped).
            Window(
                start=time(2, 40), end=time(2, 50), days=frozenset({Weekday.SUNDAY})
            ),
        ),
        from_=date(2026, 3, 1),
        until=date(2026, 11, 15),
        include=(DayRange(date(2026, 3, 12), date(2026, 3, 12)),),
        intervals=(TimedRange(datetime(2026, 3, 10, 10), datetime(2026, 3, 10, 12)),),
    )


def late_owls() -> Schedule:
    """Saturday 22:00 to Sunday 03:00: overnight across both DST changes."""
    return campaign(
        "Late Owls",
        priority=2,
        windows=(
            Window(start=time(22), end=time(3), days=frozenset({Weekday.SATURDAY})),
        ),
        from_=date(2026, 2, 28),
        until=date(2026, 11, 14),
        except_=(DayRange(date(2026, 4, 5), date(2026, 4, 5), "Easter"),),
    )


def lord_howe() -> Schedule:
    """Australia/Lord_Howe has a 30-minute DST shift at 02:00."""
    return campaign(
        "Lord Howe",
        time_zone="Australia/Lord_Howe",
        priority=5,
        windows=(
            Window(start=time(1, 45), end=time(2, 15)),
            # every other day, 02:20-02:40: starts in the gap on 4 October
            Window(start=time(2, 20), end=time(2, 40), every=2),
        ),
        from_=date(2026, 3, 28),
        until=date(2026, 10, 10),
    )


def winback() -> Schedule:
    """Overlaps Q1 Renewals on the same audience with a lower priority."""
    return campaign(
        "Win-back",
        time_zone="America/Chicago",
        priority=4,
        audience="retail",
        windows=(
            Window(
                start=time(15),
                end=time(18),
                days=frozenset({Weekday.TUESDAY, Weekday.THURSDAY}),
                every=2,
            ),
        ),
        from_=date(2026, 3, 1),
        until=date(2026, 3, 31),
    )


HOLIDAYS = (
    DayRange(date(2026, 1, 1), date(2026, 1, 1), "New Year"),
    DayRange(date(2026, 1, 19), date(2026, 1, 19), "MLK Day"),
    DayRange(date(2026, 2, 16), date(2026, 2, 16), "Presidents' Day"),
)
ZONES = ("America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London")


def many_campaigns(count: int) -> tuple[Schedule, ...]:
    """`count` weekday campaigns over Q1 2026 in four zones; every tenth one shares
    its audience with the next and calls on Fridays too (conflicts)."""
    out = []
    for i in range(count):
        pair = i - 1 if i % 10 == 1 else i
        days = set(WEEKDAYS) if i % 10 else {Weekday.FRIDAY, Weekday.SATURDAY}
        start = 8 + i % 5
        out.append(
            campaign(
                f"Campaign {i:03d}",
                time_zone=ZONES[i % 4],
                priority=1 + i % 10,
                audience=f"list-{pair}",
                windows=(
                    Window(
                        start=time(start),
                        end=time(start + 4 + i % 5),
                        days=frozenset(days),
                    ),
                ),
                from_=date(2026, 1, 1),
                until=date(2026, 3, 31),
                except_=HOLIDAYS,
            )
        )
    return tuple(out)


def london_override() -> Schedule:
    """A New York schedule with windows in Europe/London (spring forward 29 March)."""
    return campaign(
        "UK Desk",
        windows=(
            Window(start=time(8), end=time(9), time_zone="Europe/London"),
            # only on the transition day: starts in the gap, so no RRULE instance
            # matches and the window is one single event
            Window(
                start=time(1, 30),
                end=time(2, 30),
                time_zone="Europe/London",
                from_=date(2026, 3, 29),
                until=date(2026, 3, 29),
            ),
        ),
        from_=date(2026, 3, 20),
        until=date(2026, 4, 5),
    )


US_HOLIDAYS = (
    DayRange(date(2026, 12, 25), date(2026, 12, 25), "Christmas Day"),
    DayRange(date(2027, 1, 1), date(2027, 1, 1), "New Year's Day"),
)
UK_HOLIDAYS = (
    DayRange(date(2026, 12, 25), date(2026, 12, 25), "Christmas Day"),
    DayRange(date(2026, 12, 28), date(2026, 12, 28), "Boxing Day (substitute)"),
    DayRange(date(2027, 1, 1), date(2027, 1, 1), "New Year's Day"),
)
CALENDARS = (("us-holidays", US_HOLIDAYS), ("uk-holidays", UK_HOLIDAYS))
YEAR_END = (date(2026, 12, 14), date(2027, 1, 10))  # the windows start on 21 Dec


def year_end() -> tuple[Schedule, ...]:
    """A US and a UK schedule over the year end, each excluding its own calendar
    (copied into `except`, as the config layer does), with a UTC one excluding none."""
    return (
        campaign(
            "US Collections",
            audience="us-list",
            windows=(Window(start=time(9), end=time(17), days=WEEKDAYS),),
            from_=date(2026, 12, 21),
            until=date(2027, 1, 8),
            except_=US_HOLIDAYS,
        ),
        campaign(
            "UK Renewals",
            time_zone="Europe/London",
            windows=(Window(start=time(9), end=time(20), days=WEEKDAYS),),
            from_=date(2026, 12, 21),
            until=date(2027, 1, 8),
            except_=UK_HOLIDAYS,
        ),
        campaign(
            "Ops Check",
            time_zone="UTC",
            audience="ops",
            windows=(Window(start=time(6), end=time(7), days=WEEKDAYS),),
            from_=date(2026, 12, 21),
            until=date(2027, 1, 8),
        ),
    )

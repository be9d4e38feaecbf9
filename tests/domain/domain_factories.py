"""Small builders for domain tests."""

from __future__ import annotations

from datetime import date, time

from gcsched.domain.model import Alteration, Schedule, Target, Weekday, Window

WEEKDAYS = frozenset(
    {
        Weekday.MONDAY,
        Weekday.TUESDAY,
        Weekday.WEDNESDAY,
        Weekday.THURSDAY,
        Weekday.FRIDAY,
    }
)
EVERY_DAY = frozenset(Weekday)


def window(
    start: str = "09:00",
    end: str = "17:00",
    days: frozenset[Weekday] | None = WEEKDAYS,
    **overrides: object,
) -> Window:
    """A window from "HH:MM" strings."""
    return Window(
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        days=days,
        **overrides,  # type: ignore[arg-type]
    )


def schedule(
    ref: str = "Q4 Renewals",
    zone: str = "America/New_York",
    windows: tuple[Window, ...] | None = None,
    *,
    from_: date | None = date(2026, 1, 5),
    until: date | None = date(2026, 12, 31),
    except_: tuple[Alteration, ...] = (),
    include: tuple[Alteration, ...] = (),
    **fields: object,
) -> Schedule:
    """A campaign schedule with weekday 09:00-17:00 by default."""
    return Schedule(
        target=Target("campaign", ref),
        time_zone=zone,
        windows=(window(),) if windows is None else windows,
        from_=from_,
        until=until,
        except_=except_,
        include=include,
        **fields,  # type: ignore[arg-type]
    )

"""The settings a window actually runs with: its overrides, else the schedule's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gcsched.domain.days import NO_FROM_ANCHOR
from gcsched.domain.model import Alteration, Schedule, Window

__all__ = ["Effective", "effective"]


@dataclass(frozen=True, slots=True)
class Effective:
    """A window's effective zone, bounds and alterations."""

    zone: str
    from_: date | None
    until: date | None
    count: int | None
    except_: tuple[Alteration, ...]
    include: tuple[Alteration, ...]

    @property
    def anchor(self) -> date:
        """The date `every` counts from: `from`, else 1970-01-05 (a Monday)."""
        return self.from_ or NO_FROM_ANCHOR

    @property
    def finite(self) -> bool:
        """True when the window ends (until or count)."""
        return self.until is not None or self.count is not None


def effective(window: Window, schedule: Schedule) -> Effective:
    """Resolve a window's overrides against its schedule.

    Args:
        window: one of `schedule.windows`.
        schedule: its schedule.

    Returns:
        The effective settings (a window override wins when not None).
    """
    return Effective(
        zone=window.time_zone or schedule.time_zone,
        from_=window.from_ if window.from_ is not None else schedule.from_,
        until=window.until if window.until is not None else schedule.until,
        count=window.count if window.count is not None else schedule.count,
        except_=window.except_ if window.except_ is not None else schedule.except_,
        include=window.include if window.include is not None else schedule.include,
    )

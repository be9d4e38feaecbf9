"""Windows inside a callable time set: slots join, 23:59:59 means midnight."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from gcsched.engine.warnings import _inside

CHICAGO = ZoneInfo("America/Chicago")
MON, TUE = 1, 2


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """A Chicago wall time in the week of Monday 2026-12-07, in UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=CHICAGO).astimezone(UTC)


@pytest.mark.parametrize(
    ("slots", "start", "end", "inside"),
    [
        # back-to-back slots cover a window across their seam
        (
            [(MON, time(8), time(12)), (MON, time(12), time(21))],
            _at(7, 10),
            _at(7, 14),
            True,
        ),
        # a gap between slots does not
        (
            [(MON, time(8), time(12)), (MON, time(13), time(21))],
            _at(7, 10),
            _at(7, 14),
            False,
        ),
        # 23:59:59 runs to midnight
        ([(MON, time(18), time(23, 59, 59))], _at(7, 20), _at(8, 0), True),
        # an overnight window over two days' slots
        (
            [(MON, time(20), time(23, 59, 59)), (TUE, time(0), time(2))],
            _at(7, 22),
            _at(8, 1),
            True,
        ),
        # the wrong weekday
        ([(TUE, time(8), time(21))], _at(7, 9), _at(7, 10), False),
        # starts before the slot
        ([(MON, time(9), time(21))], _at(7, 8, 30), _at(7, 10), False),
    ],
)
def test_coverage(
    slots: list[tuple[int, time, time]], start: datetime, end: datetime, inside: bool
) -> None:
    """A window is inside when the joined slots cover all of it."""
    full = [(CHICAGO, day, begin, stop) for day, begin, stop in slots]
    assert _inside(start, end, full) is inside

"""Bodies the schedule file cannot say are refused by name, never half-parsed."""

from __future__ import annotations

from typing import Any

import pytest

from gcsched.domain import parse_body
from gcsched.domain.model import Target
from gcsched.errors import InputError

TARGET = Target(kind="campaign", ref="Q4 Renewals")


def _body(**recurrence: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "start": "2026-12-01T09:00:00",
        "end": "2026-12-01T17:00:00",
        "pattern": {"type": "Weekly", "interval": 1, "daysOfWeek": ["Tuesday"]},
        "range": {"type": "NoEnd"},
    }
    rec.update(recurrence)
    return {"name": "x", "timeZone": "UTC", "intervals": [], "recurrences": [rec]}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (_body(pattern={"type": "Weekly", "interval": 1, "daysOfWeek": []}), "no day"),
        (_body(pattern={"type": "Daily", "interval": -2}), "at least 1"),
        (_body(range={"type": "Numbered", "numberOfOccurrences": 0}), "at least 1"),
        (
            _body(start="2026-12-01T09:30:00", end="2026-12-02T09:30:00"),
            "24-hour",
        ),
    ],
)
def test_inexpressible_bodies_raise_input_error(
    body: dict[str, Any], words: str
) -> None:
    """Each shape names what it cannot express."""
    with pytest.raises(InputError, match=words):
        parse_body(body, target=TARGET)


def test_a_whole_day_from_midnight_is_a_window() -> None:
    """00:00 to 00:00 the next day reads as a window ending at 24:00."""
    schedule = parse_body(
        _body(start="2026-12-01T00:00:00", end="2026-12-02T00:00:00"), target=TARGET
    )
    assert schedule.windows[0].end_of_day

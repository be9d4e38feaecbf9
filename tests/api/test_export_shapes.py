"""Shapes hypothesis found where export → plan was not empty (regressions)."""

from __future__ import annotations

from typing import Any

import pytest
from test_export_roundtrip import round_trip

from gcsched.config import loads


def _daily(start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {
        "start": start,
        "end": end,
        "pattern": {"type": "Daily", "interval": 1},
        "range": {"type": "NoEnd"},
        **extra,
    }


CASES = {
    "EndDate ending at midnight": _daily(
        "2026-01-01T09:00:00",
        "2026-01-01T17:00:00",
        range={"type": "EndDate", "end": "2026-03-01T00:00:00"},
    ),
    "EndDate before the first occurrence": _daily(
        "2026-01-01T00:01:00",
        "2026-01-01T00:02:00",
        range={"type": "EndDate", "end": "2026-01-01T00:00:00"},
    ),
    "Weekly starting off its days": _daily(
        "2026-01-01T09:00:00",
        "2026-01-01T10:00:00",
        pattern={"type": "Weekly", "interval": 2, "daysOfWeek": ["Monday"]},
    ),
    "the same day twice": _daily(
        "2026-01-05T09:00:00",
        "2026-01-05T10:00:00",
        pattern={"type": "Weekly", "interval": 1, "daysOfWeek": ["Monday", "Monday"]},
    ),
}


@pytest.mark.parametrize("owned", [True, False], ids=["owned", "not-owned"])
@pytest.mark.parametrize("name", list(CASES))
def test_shape_round_trips(name: str, owned: bool) -> None:
    """The exported file plans to zero changes for this recurrence shape."""
    body = {
        "timeZone": "America/Chicago",
        "intervals": [],
        "recurrences": [CASES[name]],
    }
    if owned:
        body["name"] = "gcsched: Q4 Renewals"
    text, plan = round_trip([("campaigns", "campaign", "Q4 Renewals", body)])
    assert not plan.has_changes, (text, [c.describe() for c in plan.changes])


def test_end_date_at_midnight_reads_as_the_day_before() -> None:
    """A range ending 00:00 on March 1 with 09:00 occurrences ends February 28."""
    recurrence = CASES["EndDate ending at midnight"]
    body = {"timeZone": "UTC", "intervals": [], "recurrences": [recurrence]}
    text, _ = round_trip([("campaigns", "campaign", "Q4 Renewals", body)])
    assert loads(text).schedules[0].until is not None
    assert str(loads(text).schedules[0].until) == "2026-02-28"

"""Conflicts grouped per pair for people to read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gcsched.domain import Conflict
from gcsched.plan import group_conflicts


def _c(day: int, hours: int, resolution: str = "trim") -> Conflict:
    start = datetime(2026, 12, day, 15, tzinfo=UTC)
    return Conflict(
        type="audience",
        campaigns=("A", "B"),
        contact_list="list-1",
        start=start,
        end=start + timedelta(hours=hours),
        resolution=resolution,  # type: ignore[arg-type]
        winner="A",
        reason="priority 7 vs 5",
    )


def test_one_group_per_pair_and_outcome() -> None:
    """Overlaps of one pair with one outcome make one group with count and total."""
    groups = group_conflicts(
        [_c(1, 2), _c(2, 1), _c(3, 2, "allowed")], {"list-1": "Retail"}
    )
    assert [(g.count, g.hours(), g.resolution) for g in groups] == [
        (2, "3 h", "trim"),
        (1, "2 h", "allowed"),
    ]
    first = groups[0]
    assert first.audience == "Retail"
    assert first.first == datetime(2026, 12, 1, 15, tzinfo=UTC)
    assert first.last == datetime(2026, 12, 2, 16, tzinfo=UTC)


def test_fractional_hours_and_unknown_names() -> None:
    """Half hours show one decimal; a list without a name shows its id."""
    conflict = _c(1, 1)
    half = Conflict(
        **{
            **{f: getattr(conflict, f) for f in conflict.__dataclass_fields__},
            "end": conflict.start + timedelta(minutes=90),
        }
    )
    (group,) = group_conflicts([half])
    assert group.hours() == "1.5 h"
    assert group.audience == "list-1"

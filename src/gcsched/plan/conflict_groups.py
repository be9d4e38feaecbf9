"""Conflicts grouped per pair: how people want to read them.

The domain reports one conflict per overlapping span (a weekday clash over a
quarter is sixty of them); people read one line per pair of campaigns with the
count, the total time and the first and last day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from gcsched.domain import Conflict

__all__ = ["ConflictGroup", "group_conflicts"]


@dataclass(frozen=True, slots=True)
class ConflictGroup:
    """Every overlap of one pair with the same resolution."""

    type: str
    campaigns: tuple[str, str]
    contact_list: str | None
    contact_list_name: str | None
    resolution: str
    winner: str | None
    reason: str
    count: int
    total: timedelta
    first: datetime
    last: datetime

    @property
    def audience(self) -> str:
        """The contact list's name where known, else its id (or `-`)."""
        return self.contact_list_name or self.contact_list or "-"

    def hours(self) -> str:
        """The total overlap as hours, e.g. ``80 h`` or ``1.5 h``."""
        hours = self.total.total_seconds() / 3600
        return f"{hours:.0f} h" if hours.is_integer() else f"{hours:.1f} h"


def group_conflicts(
    conflicts: Iterable[Conflict], names: Mapping[str, str] | None = None
) -> tuple[ConflictGroup, ...]:
    """Group conflicts by pair, list, resolution and winner, in order of first overlap.

    Args:
        conflicts: the domain's conflicts.
        names: contact list id → name, for display.

    Returns:
        One group per pair and outcome, ordered by first overlap then names.
    """
    labels = names or {}
    groups: dict[tuple[object, ...], list[Conflict]] = {}
    for conflict in conflicts:
        key = (
            conflict.type,
            conflict.campaigns,
            conflict.contact_list,
            conflict.resolution,
            conflict.winner,
            conflict.reason,
        )
        groups.setdefault(key, []).append(conflict)
    out = [
        ConflictGroup(
            type=items[0].type,
            campaigns=items[0].campaigns,
            contact_list=items[0].contact_list,
            contact_list_name=labels.get(items[0].contact_list or ""),
            resolution=items[0].resolution,
            winner=items[0].winner,
            reason=items[0].reason,
            count=len(items),
            total=sum((c.end - c.start for c in items), timedelta()),
            first=min(c.start for c in items),
            last=max(c.end for c in items),
        )
        for items in groups.values()
    ]
    return tuple(sorted(out, key=lambda g: (g.first, g.campaigns, g.resolution)))

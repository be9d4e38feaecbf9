"""Conflicts grouped per pair and per cluster: how people want to read them.

The offline check can report one conflict per overlapping span (a weekday clash
over a quarter is sixty of them); people read one line per pair of campaigns
with the count, the total time and the first and last day (`group_conflicts`,
`group_pairs`). Many schedules on one contact list make a pair for every two of
them (350 campaigns: 61,075 pairs), so the plan reads one line per cluster
(`cluster_pairs`): the schedules of one list whose conflicts with the same
resolution connect them, with their pairs, overlaps and hours summed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from gcsched.domain import Conflict, ConflictPair

__all__ = [
    "ConflictCluster",
    "ConflictGroup",
    "cluster_pairs",
    "group_conflicts",
    "group_pairs",
]


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
        return hours_text(self.total)


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


def hours_text(total: timedelta) -> str:
    """A length as hours, e.g. ``80 h``, ``1.5 h`` or ``12,345 h``."""
    hours = total.total_seconds() / 3600
    return f"{hours:,.0f} h" if hours.is_integer() else f"{hours:,.1f} h"


def group_pairs(
    pairs: Iterable[ConflictPair], names: Mapping[str, str] | None = None
) -> tuple[ConflictGroup, ...]:
    """The domain's conflicting pairs as groups (one each), in order of first overlap.

    Args:
        pairs: the domain's pairs (`CheckResult.pairs`, `Plan.conflicts`).
        names: contact list id → name, for display.

    Returns:
        One group per pair, ordered by first overlap then names.
    """
    labels = names or {}
    out = [
        ConflictGroup(
            type=p.type,
            campaigns=p.campaigns,
            contact_list=p.contact_list,
            contact_list_name=labels.get(p.contact_list or ""),
            resolution=p.resolution,
            winner=p.winner,
            reason=p.reason,
            count=p.count,
            total=p.total,
            first=p.first,
            last=p.last,
        )
        for p in pairs
    ]
    return tuple(sorted(out, key=lambda g: (g.first, g.campaigns, g.resolution)))


@dataclass(frozen=True, slots=True)
class ConflictCluster:
    """Schedules of one contact list connected by conflicts of one resolution.

    `members` are in rank order as far as the pairs tell (most pairs won
    first, then by name); `pairs` keeps the pairs (one alone reads as a pair).
    """

    type: str
    contact_list: str | None
    contact_list_name: str | None
    resolution: str
    members: tuple[str, ...]
    pairs: tuple[ConflictPair, ...]
    count: int
    total: timedelta
    first: datetime
    last: datetime

    @property
    def audience(self) -> str:
        """The contact list's name where known, else its id (or `-`)."""
        return self.contact_list_name or self.contact_list or "-"

    def hours(self) -> str:
        """The summed overlap of every pair as hours."""
        return hours_text(self.total)

    def group(self) -> ConflictGroup:
        """The cluster's one pair as a group (a cluster of two schedules)."""
        names: dict[str, str] = {}
        if self.contact_list is not None and self.contact_list_name is not None:
            names[self.contact_list] = self.contact_list_name
        return group_pairs(self.pairs[:1], names)[0]


def _find(parent: dict[str, str], label: str) -> str:
    root = label
    while parent[root] != root:
        root = parent[root]
    while parent[label] != root:  # path compression
        parent[label], label = root, parent[label]
    return root


def cluster_pairs(
    pairs: Iterable[ConflictPair], names: Mapping[str, str] | None = None
) -> tuple[ConflictCluster, ...]:
    """Cluster conflicting pairs per type, contact list and resolution.

    Two schedules are in one cluster when a chain of conflicts with that
    resolution on that list joins them.

    Args:
        pairs: the domain's pairs.
        names: contact list id → name, for display.

    Returns:
        The clusters, ordered by first overlap then members.
    """
    labels = names or {}
    by_kind: dict[tuple[str, str | None, str], list[ConflictPair]] = {}
    for pair in pairs:
        by_kind.setdefault((pair.type, pair.contact_list, pair.resolution), []).append(
            pair
        )
    out: list[ConflictCluster] = []
    for (kind, contact_list, resolution), items in by_kind.items():
        parent: dict[str, str] = {}
        for pair in items:
            for label in pair.campaigns:
                parent.setdefault(label, label)
            a, b = (_find(parent, label) for label in pair.campaigns)
            if a != b:
                parent[max(a, b)] = min(a, b)
        clusters: dict[str, list[ConflictPair]] = {}
        for pair in items:
            clusters.setdefault(_find(parent, pair.campaigns[0]), []).append(pair)
        for members in clusters.values():
            wins: dict[str, int] = {}
            for pair in members:
                wins[pair.campaigns[0]] = wins.get(pair.campaigns[0], 0) + 1
                wins.setdefault(pair.campaigns[1], 0)
            out.append(
                ConflictCluster(
                    type=kind,
                    contact_list=contact_list,
                    contact_list_name=labels.get(contact_list or ""),
                    resolution=resolution,
                    members=tuple(sorted(wins, key=lambda m: (-wins[m], m))),
                    pairs=tuple(members),
                    count=sum(p.count for p in members),
                    total=sum((p.total for p in members), timedelta()),
                    first=min(p.first for p in members),
                    last=max(p.last for p in members),
                )
            )
    return tuple(sorted(out, key=lambda c: (c.first, c.members, c.resolution)))

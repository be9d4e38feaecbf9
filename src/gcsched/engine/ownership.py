"""Which project owns each schedule in the org (design.md "Ownership").

A schedule is owned by a project when its ownership record (the state store's,
read through `gcsched.journal.OwnershipRecords`) names it, or else when its
name marker (`gcsched:` + project + label) does; markers written before projects
existed count as the default project. A record no longer describes the schedule
when someone else recreated it since: a ``dateCreated`` other than recorded, or
a version lower than the one recorded. Such a schedule is foreign (owned by
nobody, whatever its name says) until `gcsched adopt` records it again. A
version above the recorded one means the owned schedule was edited outside
gcsched since: it stays owned, and the plan says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gcsched.domain import marker_project
from gcsched.genesys import Family
from gcsched.journal import OwnershipRecord

__all__ = ["Owner", "OwnerMap", "owner_of", "owners"]

Key = tuple[Family, str]


@dataclass(frozen=True, slots=True)
class Owner:
    """Who owns one schedule in the org, and how gcsched knows.

    Attributes:
        project: the owning project; None when gcsched does not own it.
        record: the ownership record that decided it (None: the marker did,
            or nothing did).
        recreated: a record exists but the schedule was recreated since.
        edited: owned, with a version above the one gcsched wrote.
    """

    project: str | None
    record: OwnershipRecord | None = None
    recreated: bool = False
    edited: bool = False


def _version(body: Mapping[str, Any]) -> int | None:
    value = body.get("version")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def owner_of(body: Mapping[str, Any], record: OwnershipRecord | None) -> Owner:
    """The owner of one schedule body, given its record (if any).

    Args:
        body: the schedule as the org holds it (with ``version``, maybe
            ``dateCreated`` and ``name``).
        record: the state store's record for its target, if there is one.

    Returns:
        The decision (module docstring).
    """
    if record is None:
        return Owner(marker_project(body.get("name")))
    created = body.get("dateCreated")
    version = _version(body)
    if (
        record.date_created is not None
        and created is not None
        and str(created) != record.date_created
    ) or (
        record.version is not None and version is not None and version < record.version
    ):
        return Owner(None, record, recreated=True)
    edited = (
        record.version is not None and version is not None and version > record.version
    )
    return Owner(record.project, record, edited=edited)


@dataclass(frozen=True, slots=True)
class OwnerMap:
    """The owner of every schedule in the org, by (family, target id)."""

    by_key: Mapping[Key, Owner]

    def owner(self, key: Key) -> Owner:
        """The owner of the schedule at `key` (nobody when it is not known)."""
        return self.by_key.get(key, Owner(None))

    def owns(self, key: Key, project: str) -> bool:
        """Whether `project` owns the schedule at `key`."""
        return self.owner(key).project == project


def owners(
    schedules: Mapping[Key, Mapping[str, Any]], records: Iterable[OwnershipRecord]
) -> OwnerMap:
    """Decide the owner of every schedule in `schedules` (the org's, by key)."""
    by_record = {(Family(r.family), r.target_id): r for r in records}
    return OwnerMap(
        {key: owner_of(body, by_record.get(key)) for key, body in schedules.items()}
    )

"""`gcsched adopt TARGET...`: which schedules the targets name, and their records.

A TARGET is a campaign, sequence or messaging campaign, by id or by name, that
has a schedule in the org. Adopting records the schedule as owned by the file's
project (an ownership record with the version and ``dateCreated`` the org
holds now, no run), so that the next plan creates, updates and deletes it like
one gcsched wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gcsched.engine.live import existing_schedules, target_names
from gcsched.engine.ownership import owner_of
from gcsched.engine.ports import Json
from gcsched.engine.snapshot import OrgSnapshot
from gcsched.errors import InputError
from gcsched.genesys import TARGET_KIND, Family
from gcsched.journal import DEFAULT_ENVIRONMENT, OwnershipRecord

__all__ = ["Adoption", "adoptions"]


@dataclass(frozen=True, slots=True)
class Adoption:
    """One schedule to adopt: what it is now, and the record adopting writes.

    Attributes:
        family: the schedule family.
        target_id: the target's id.
        target_name: the target's name.
        body: the schedule as the org holds it (shown before adopting).
        owner_before: the project that owned it (None: nobody).
        record: the ownership record adopting writes.
    """

    family: Family
    target_id: str
    target_name: str
    body: Json
    owner_before: str | None
    record: OwnershipRecord


def _version(body: Json) -> int | None:
    value = body.get("version")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def adoptions(
    snap: OrgSnapshot,
    targets: Sequence[str],
    *,
    project: str,
    records: Sequence[OwnershipRecord] = (),
    environment: str | None = None,
) -> list[Adoption]:
    """The schedules `targets` name, each with the record adopting it writes.

    The records name `environment` (the file's; `DEFAULT_ENVIRONMENT` for a
    file without environments).

    Raises:
        InputError: a target names no scheduled object, or several.
    """
    names = target_names(snap)
    existing = existing_schedules(snap)
    by_record = {(Family(r.family), r.target_id): r for r in records}
    out: list[Adoption] = []
    problems: list[str] = []
    for ref in targets:
        matches = sorted(key for key in existing if ref in (key[1], names.get(key[1])))
        if len(matches) != 1:
            problems.append(
                f"{ref!r} names no campaign, sequence or messaging campaign with a "
                "schedule in the org"
                if not matches
                else f"{ref!r} names {len(matches)} scheduled targets; give the id "
                "of one: " + ", ".join(f"{TARGET_KIND[f]} {i}" for f, i in matches)
            )
            continue
        family, target_id = matches[0]
        body = existing[(family, target_id)]
        created = body.get("dateCreated")
        out.append(
            Adoption(
                family=family,
                target_id=target_id,
                target_name=names.get(target_id, target_id),
                body=body,
                owner_before=owner_of(body, by_record.get(matches[0])).project,
                record=OwnershipRecord(
                    org_id=snap.org_id,
                    environment=environment or DEFAULT_ENVIRONMENT,
                    family=str(family),
                    target_id=target_id,
                    project=project,
                    version=_version(body),
                    date_created=None if created is None else str(created),
                    run_id=None,
                ),
            )
        )
    if problems:
        raise InputError("\n".join(problems))
    return out

"""What the org already holds: existing schedules, names, and fixed participants.

Conflicts are checked against the live schedules a plan leaves in place too:
every existing schedule whose target is not in the file and that the plan will
not delete (one the file's project does not own, `gcsched.engine.ownership`;
in `scoped` mode, any schedule of another target). Each is parsed back into a
`Schedule`, given its live audience and passed to the domain's `check` as a
fixed participant: it never loses time, a conflict with it is rejected, trimmed
from the file's side or reported as the policy says, and nothing is ever
planned for it. Its label is its target's name (the id where two such targets
share a name), suffixed " (in org)" where that would collide with a label of
the file. Only those that share a contact list with a file schedule are
considered; a body that cannot be parsed is skipped with a plan warning. No
request is added: bodies and audiences come from the org snapshot, and sizes
are fetched only for conflicts between file schedules (a conflict with a fixed
schedule is decided without them).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gcsched.domain import FixedSet, LiveSchedule, fixed_participants
from gcsched.domain.model import DEFAULT_PROJECT, Schedule
from gcsched.engine.guard_reads import LiveGuards
from gcsched.engine.ownership import OwnerMap, owners
from gcsched.engine.ports import Json, Org
from gcsched.engine.resolve import Resolved
from gcsched.engine.snapshot import OrgSnapshot
from gcsched.genesys import REFERENCE_FIELD, TARGET_KIND, Family

__all__ = [
    "LiveCalendar",
    "existing_schedules",
    "fixed_schedules",
    "list_names",
    "list_sizes",
    "live_calendar",
    "target_names",
]


def existing_schedules(snapshot: OrgSnapshot) -> dict[tuple[Family, str], Json]:
    """Every schedule in the org keyed by (family, target id)."""
    out: dict[tuple[Family, str], Json] = {}
    for family, items in snapshot.schedules.items():
        ref_field = REFERENCE_FIELD[family]
        for body in items:
            ref = body.get(ref_field)
            target_id = ref.get("id") if isinstance(ref, Mapping) else body.get("id")
            if target_id:
                out[(family, str(target_id))] = body
    return out


def list_names(snapshot: OrgSnapshot) -> dict[str, str]:
    """Contact list id → name, from the campaigns' references."""
    names: dict[str, str] = {}
    for item in (*snapshot.campaigns, *snapshot.messaging_campaigns):
        ref = item.get("contactList")
        if isinstance(ref, Mapping) and ref.get("id") and ref.get("name"):
            names[str(ref["id"])] = str(ref["name"])
    return names


def target_names(snapshot: OrgSnapshot) -> dict[str, str]:
    """Campaign, messaging campaign and sequence id → name."""
    names: dict[str, str] = {}
    for pool in (snapshot.campaigns, snapshot.messaging_campaigns, snapshot.sequences):
        for item in pool:
            names[str(item.get("id"))] = str(item.get("name", item.get("id")))
    return names


def _live_audience(
    family: Family, entity: Mapping[str, Any], snap: OrgSnapshot
) -> frozenset[str]:
    """A target's contact lists: its own, or a sequence's member campaigns' lists."""
    entities: Sequence[Mapping[str, Any]] = [entity]
    if family == Family.SEQUENCES:
        refs = entity.get("campaigns") or []
        ids = {str(r.get("id")) for r in refs if isinstance(r, Mapping)}
        entities = [c for c in snap.campaigns if str(c.get("id")) in ids]
    refs = [item.get("contactList") for item in entities]
    return frozenset(
        str(r["id"]) for r in refs if isinstance(r, Mapping) and r.get("id")
    )


def fixed_schedules(
    snap: OrgSnapshot,
    resolved: Sequence[Resolved],
    *,
    scoped: bool,
    owner_map: OwnerMap | None = None,
    project: str = DEFAULT_PROJECT,
) -> FixedSet:
    """The live schedules this plan leaves in place, as fixed conflict participants.

    Args:
        snap: the org as read.
        resolved: the file's schedules matched to their targets.
        scoped: owned schedules of other targets are kept (`provision`,
            ``--scope file``).
        owner_map: who owns each schedule (default: by name marker alone).
        project: the file's project; only its schedules are deleted.

    Returns:
        Those that share a contact list with a file schedule (module docstring).
    """
    wanted = {(r.family, r.target_id) for r in resolved}
    file_lists = {i for r in resolved for i in r.audience}
    pools = snap.targets()
    entities = {
        (family, str(e.get("id"))): e for family, pool in pools.items() for e in pool
    }
    live: list[LiveSchedule] = []
    existing = existing_schedules(snap)
    owner_map = owner_map or owners(existing, ())
    for (family, target_id), body in sorted(existing.items()):
        entity = entities.get((family, target_id))
        if entity is None or (family, target_id) in wanted:
            continue
        if owner_map.owns((family, target_id), project) and not scoped:
            continue  # deleted by this plan
        audience = _live_audience(family, entity, snap)
        if audience & file_lists:
            name = str(entity.get("name") or target_id)
            kind = TARGET_KIND[family]
            live.append(LiveSchedule(kind, target_id, name, body, audience))
    return fixed_participants(live, taken={r.label for r in resolved})


@dataclass(frozen=True, slots=True)
class LiveCalendar:
    """The org's schedules with their audiences as the plan checks them.

    `audiences` maps each label to its contact list ids (a sequence: its member
    campaigns' lists); `sizes` holds the size of every list two schedules share
    (only those can decide a conflict); `list_names` names the lists;
    `target_ids` maps each label to its target's id; `guards` holds the
    contact-local guards and list zones when they were read (``report --live``
    with a calling-hour check).
    """

    schedules: tuple[Schedule, ...]
    audiences: Mapping[str, frozenset[str]]
    sizes: Mapping[str, int]
    list_names: Mapping[str, str]
    org_name: str
    skipped: tuple[str, ...] = ()
    target_ids: Mapping[str, str] = field(default_factory=dict)
    guards: LiveGuards | None = None


async def list_sizes(org: Org, list_ids: Collection[str]) -> dict[str, int]:
    """The sizes of the contact lists `list_ids`, listed 100 ids a request.

    Not one GET each: an org with 250 contested lists would spend most of a
    minute's request budget on them. A list the listing leaves out is read on
    its own, so its error (a 404, a division the client cannot see) is the one
    a plan has always reported.
    """
    wanted = set(list_ids)

    def size_of(body: Json) -> int:
        size = body.get("size")
        return size if isinstance(size, int) else 0

    listed = await org.list_contact_lists(wanted, include_size=True)
    sizes = {str(b["id"]): size_of(b) for b in listed if b.get("id") in wanted}

    async def one(list_id: str) -> tuple[str, int]:
        return list_id, size_of(await org.get_contact_list(list_id, include_size=True))

    missing = sorted(wanted - sizes.keys())
    sizes.update(await asyncio.gather(*(one(i) for i in missing)))
    return sizes


async def live_calendar(
    org: Org,
    snap: OrgSnapshot,
    schedules: Sequence[Schedule],
    skipped: Sequence[str] = (),
) -> LiveCalendar:
    """The audiences of `schedules` (the org's, labelled by target name or id)
    and the sizes of the contact lists they share (`list_sizes`)."""
    pools = {
        "campaign": (Family.CAMPAIGNS, snap.campaigns),
        "sequence": (Family.SEQUENCES, snap.sequences),
        "messaging_campaign": (Family.MESSAGING_CAMPAIGNS, snap.messaging_campaigns),
    }
    audiences: dict[str, frozenset[str]] = {}
    target_ids: dict[str, str] = {}
    for schedule in schedules:
        family, pool = pools[schedule.target.kind]
        ref = schedule.target.ref
        entity = next((e for e in pool if str(e.get("id")) == ref), None) or next(
            (e for e in pool if str(e.get("name")) == ref), None
        )
        if entity is not None:
            audiences[schedule.label] = _live_audience(family, entity, snap)
            target_ids[schedule.label] = str(entity.get("id"))
    shared = Counter(i for ids in audiences.values() for i in ids)
    wanted = {i for i, n in shared.items() if n > 1}
    sizes = await list_sizes(org, wanted) if wanted else {}
    return LiveCalendar(
        schedules=tuple(schedules),
        audiences=audiences,
        sizes=sizes,
        list_names=list_names(snap),
        org_name=snap.org_name,
        skipped=tuple(skipped),
        target_ids=target_ids,
    )

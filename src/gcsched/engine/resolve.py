"""Names to ids: which org object each schedule of the file is for."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gcsched.domain.model import Schedule
from gcsched.engine.ports import Json
from gcsched.engine.snapshot import OrgSnapshot
from gcsched.errors import ResolveError
from gcsched.genesys import Family, TargetKind, messaging_family

__all__ = ["Resolved", "resolve_targets"]


@dataclass(frozen=True, slots=True)
class Resolved:
    """A schedule of the file matched to its org object."""

    schedule: Schedule
    family: Family
    target_id: str
    target_name: str
    entity: Mapping[str, Any]
    audience: frozenset[str]
    voice: bool

    @property
    def label(self) -> str:
        """The schedule's label (its target reference in the file)."""
        return self.schedule.label


def _where(schedule: Schedule) -> str:
    return f"{schedule.source}: " if schedule.source else ""


def _find(
    schedule: Schedule,
    pool: Sequence[Json],
    what: str,
    others: Mapping[TargetKind, Sequence[Json]],
) -> tuple[Json | None, str | None]:
    ref = schedule.target.ref
    by_id = [item for item in pool if item.get("id") == ref]
    if by_id:
        return by_id[0], None
    by_name = [item for item in pool if item.get("name") == ref]
    if len(by_name) == 1:
        return by_name[0], None
    if len(by_name) > 1:
        ids = ", ".join(str(item.get("id")) for item in by_name)
        return None, (
            f"{_where(schedule)}{what} {ref!r} is ambiguous: {len(by_name)} {what}s "
            f"have that name (ids {ids}); use the id instead"
        )
    elsewhere = _other_kind(schedule, others)
    if elsewhere:
        return (
            None,
            f"{_where(schedule)}no {what} named {ref!r} in the org; {elsewhere}",
        )
    names = [str(item.get("name")) for item in pool]
    close = difflib.get_close_matches(ref, names, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return None, f"{_where(schedule)}no {what} named {ref!r} in the org{hint}"


def _other_kind(schedule: Schedule, others: Mapping[TargetKind, Sequence[Json]]) -> str:
    """Where a name of the wrong kind is found: which key to use instead."""
    ref = schedule.target.ref
    for kind, pool in others.items():
        if kind == schedule.target.kind:
            continue
        if any(item.get("id") == ref or item.get("name") == ref for item in pool):
            noun = kind.replace("_", " ")
            return (
                f"{ref!r} is a {noun}: write `{kind}: {ref}` instead of "
                f"`{schedule.target.kind}: {ref}`"
            )
    return ""


def _list_id(entity: Mapping[str, Any]) -> str | None:
    ref = entity.get("contactList")
    if isinstance(ref, Mapping) and ref.get("id"):
        return str(ref["id"])
    return None


def resolve_targets(
    schedules: Sequence[Schedule], snapshot: OrgSnapshot
) -> tuple[Resolved, ...]:
    """Match every schedule to its campaign, sequence or messaging campaign.

    Audiences come from the live contact lists (a sequence: the union of its
    campaigns' lists).

    Raises:
        ResolveError: listing every unknown or ambiguous name at once.
    """
    campaigns_by_id = {str(c.get("id")): c for c in snapshot.campaigns}
    pools: dict[TargetKind, Sequence[Json]] = {
        "campaign": list(snapshot.campaigns),
        "sequence": list(snapshot.sequences),
        "messaging_campaign": list(snapshot.messaging_campaigns),
    }
    problems: list[str] = []
    out: list[Resolved] = []
    for schedule in schedules:
        kind = schedule.target.kind
        if kind == "campaign":
            entity, problem = _find(schedule, pools[kind], "campaign", pools)
            family = Family.CAMPAIGNS
        elif kind == "sequence":
            entity, problem = _find(schedule, pools[kind], "sequence", pools)
            family = Family.SEQUENCES
        else:
            entity, problem = _find(schedule, pools[kind], "messaging campaign", pools)
            family = messaging_family(entity) if entity else Family.MESSAGING_CAMPAIGNS
        if entity is None:
            problems.append(problem or f"cannot resolve {schedule.target.ref!r}")
            continue
        if kind == "sequence":
            members = [
                campaigns_by_id.get(str(ref.get("id")), {})
                for ref in entity.get("campaigns", [])
                if isinstance(ref, Mapping)
            ]
            audience = frozenset(
                list_id for m in members if (list_id := _list_id(m)) is not None
            )
        else:
            list_id = _list_id(entity)
            audience = frozenset({list_id}) if list_id else frozenset()
        out.append(
            Resolved(
                schedule=schedule,
                family=family,
                target_id=str(entity["id"]),
                target_name=str(entity.get("name", entity["id"])),
                entity=entity,
                audience=audience,
                voice=kind == "campaign",
            )
        )
    if problems:
        raise ResolveError(problems)
    return tuple(out)

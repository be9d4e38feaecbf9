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


class _Pool:
    """The org's targets of one kind, indexed by id and by name once, so a file
    of N schedules against an org of M campaigns costs N lookups, not N × M
    comparisons (5,000 campaigns: 12 % of a 1,000-schedule plan's CPU)."""

    def __init__(self, items: Sequence[Json]) -> None:
        self.items = items
        self.by_id: dict[str, list[Json]] = {}
        self.by_name: dict[str, list[Json]] = {}
        for item in items:  # a reference is text: only text ids and names match
            if isinstance(ident := item.get("id"), str):
                self.by_id.setdefault(ident, []).append(item)
            if isinstance(name := item.get("name"), str):
                self.by_name.setdefault(name, []).append(item)

    def has(self, ref: str) -> bool:
        return ref in self.by_id or ref in self.by_name


def _find(
    schedule: Schedule,
    pool: _Pool,
    what: str,
    others: Mapping[TargetKind, _Pool],
) -> tuple[Json | None, str | None]:
    ref = schedule.target.ref
    by_id = pool.by_id.get(ref)
    if by_id:
        return by_id[0], None
    by_name = pool.by_name.get(ref, [])
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
    names = [str(item.get("name")) for item in pool.items]
    close = difflib.get_close_matches(ref, names, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return None, f"{_where(schedule)}no {what} named {ref!r} in the org{hint}"


def _other_kind(schedule: Schedule, others: Mapping[TargetKind, _Pool]) -> str:
    """Where a name of the wrong kind is found: which key to use instead."""
    ref = schedule.target.ref
    for kind, pool in others.items():
        if kind == schedule.target.kind:
            continue
        if pool.has(ref):
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
    pools: dict[TargetKind, _Pool] = {
        "campaign": _Pool(list(snapshot.campaigns)),
        "sequence": _Pool(list(snapshot.sequences)),
        "messaging_campaign": _Pool(list(snapshot.messaging_campaigns)),
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

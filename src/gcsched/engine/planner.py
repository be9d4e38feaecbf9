"""Build a plan: read the org, resolve names, check conflicts, render, diff.

Conflicts are also checked against the live schedules the plan leaves in place
(see `gcsched.engine.live`).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from gcsched.domain import CheckResult, check, owned, render_body
from gcsched.domain.model import ScheduleFile
from gcsched.engine.facts import FactsLookup, render_facts
from gcsched.engine.live import (
    existing_schedules,
    fixed_schedules,
    list_names,
    target_names,
)
from gcsched.engine.ports import Org
from gcsched.engine.resolve import Resolved, resolve_targets
from gcsched.engine.snapshot import OrgSnapshot, read_org
from gcsched.engine.warnings import plan_warnings
from gcsched.genesys import REFERENCE_FIELD, TARGET_KIND
from gcsched.plan import Desired, Existing, PacingDesired, Plan, diff, index_targets

__all__ = [
    "PlannedRun",
    "build_plan",
    "existing_schedules",
    "fixed_schedules",
    "pacing_of",
]

_VOICE_PACING = {
    "max_calls_per_agent": "maxCallsPerAgent",
    "outbound_line_count": "outboundLineCount",
    "abandon_rate": "abandonRate",
}


@dataclass(frozen=True, slots=True)
class PlannedRun:
    """A plan plus what was read to make it (the apply needs both)."""

    plan: Plan
    snapshot: OrgSnapshot
    resolved: tuple[Resolved, ...]
    check: CheckResult
    fixed: frozenset[str] = frozenset()
    """Labels of the live schedules the check saw as fixed (see the module doc)."""
    file: ScheduleFile | None = None
    """The schedule file the plan was made from."""


def _anchors(existing: Mapping[str, Any] | None) -> dict[int, date]:
    """Start dates of an owned schedule's recurrences, so bodies stay stable."""
    if not existing or not owned(existing):
        return {}
    out: dict[int, date] = {}
    for index, rec in enumerate(existing.get("recurrences") or []):
        start = str(rec.get("start", ""))[:10]
        try:
            out[index] = date.fromisoformat(start)
        except ValueError:
            continue
    return out


def _wire_number(field: str, value: float) -> float | int:
    """Genesys takes whole numbers for calls per agent and line count."""
    if field in ("maxCallsPerAgent", "outboundLineCount") and float(value).is_integer():
        return int(value)
    return value


def pacing_of(resolved: Resolved, *, map_priority: bool) -> PacingDesired | None:
    """The pacing (and opt-in priority) change a schedule asks of its campaign."""
    schedule = resolved.schedule
    desired: dict[str, Any] = {}
    entity = resolved.entity
    if schedule.pacing is not None:
        if resolved.voice:
            for attr, field in _VOICE_PACING.items():
                value = getattr(schedule.pacing, attr)
                if value is not None:
                    desired[field] = _wire_number(field, value)
        elif (
            resolved.schedule.target.kind == "messaging_campaign"
            and schedule.pacing.messages_per_minute is not None
        ):
            desired["messagesPerMinute"] = schedule.pacing.messages_per_minute
    if map_priority and resolved.voice:
        desired["priority"] = math.ceil(schedule.priority / 2)
    if not desired:
        return None
    current = {field: entity.get(field) for field in desired}
    version = entity.get("version")
    return PacingDesired(
        target_kind="campaign" if resolved.voice else "messaging_campaign",
        target_id=resolved.target_id,
        target_name=resolved.target_name,
        current=current,
        desired=desired,
        version=int(version) if isinstance(version, int) else None,
    )


async def _sizes(org: Org, list_ids: set[str]) -> dict[str, int]:
    async def one(list_id: str) -> tuple[str, int]:
        body = await org.get_contact_list(list_id, include_size=True)
        size = body.get("size")
        return list_id, int(size) if isinstance(size, int) else 0

    pairs = await asyncio.gather(*(one(i) for i in sorted(list_ids)))
    return dict(pairs)


def _check_duplicates(resolved: Sequence[Resolved]) -> None:
    index_targets(
        resolved,
        lambda item: (item.family, item.target_id),
        lambda item, first: (
            f"{item.schedule.source or ''}: {item.label!r} and "
            f"{first.label!r} are the same "
            f"{TARGET_KIND[item.family].replace('_', ' ')} "
            f"({item.target_name}, {item.target_id}); keep one entry"
        ),
    )


async def build_plan(
    org: Org,
    file: ScheduleFile,
    *,
    today: date,
    snapshot: OrgSnapshot | None = None,
    scoped: bool = False,
    facts: FactsLookup | None = None,
) -> PlannedRun:
    """Read the org and compute what applying `file` would change.

    Args:
        org: the org to plan against.
        file: the validated schedule file.
        today: the local date that open-ended schedules start from.
        snapshot: an already-read org (else it is read now).
        scoped: consider only the file's own targets (the one-shot `provision`):
            owned schedules of other targets are neither compared nor deleted.
        facts: the org's stored doctor facts (interval format, past intervals).

    Returns:
        The plan and what it was computed from.

    Raises:
        ResolveError: names in the file that match nothing (or several things).
    """
    snap = snapshot or await read_org(org)
    adopted = render_facts(facts(snap.org_id) if facts else None, today=today)
    resolved = resolve_targets(file.schedules, snap)
    _check_duplicates(resolved)
    policy = file.policy
    kept = fixed_schedules(snap, resolved, scoped=scoped)
    fixed = kept.labels
    schedules = [*(r.schedule for r in resolved), *kept.schedules]
    audiences = {**{r.label: r.audience for r in resolved}, **kept.audiences}
    result = check(schedules, policy, today=today, audiences=audiences, fixed=fixed)
    involved = {
        label
        for c in result.conflicts
        if not fixed & set(c.campaigns)
        for label in c.campaigns
    }
    contested = {i for label in involved for i in audiences.get(label, ())}
    if contested:
        sizes = await _sizes(org, contested)
        result = check(
            schedules,
            policy,
            today=today,
            audiences=audiences,
            sizes=sizes,
            fixed=fixed,
        )
    existing_by_key = existing_schedules(snap)
    desired: list[Desired] = []
    pacing: list[PacingDesired] = []
    for item in resolved:
        current = existing_by_key.get((item.family, item.target_id))
        body = render_body(
            item.schedule,
            today=today,
            anchors=_anchors(current),
            intervals_override=result.trimmed.get(item.label),
            horizon_days=policy.horizon_days,
            interval_time=adopted.interval_time,
            drop_before=adopted.drop_before,
        )
        body[REFERENCE_FIELD[item.family]] = {"id": item.target_id}
        desired.append(Desired(item.family, item.target_id, item.target_name, body))
        wanted = pacing_of(item, map_priority=policy.map_priority)
        if wanted is not None:
            pacing.append(wanted)
    names = target_names(snap)
    wanted_keys = {(d.family, d.target_id) for d in desired}
    existing = [
        Existing(family, target_id, names.get(target_id, target_id), body)
        for (family, target_id), body in sorted(existing_by_key.items())
        if not scoped or (family, target_id) in wanted_keys
    ]
    delta = diff(desired, existing, manage=policy.manage, pacing=pacing)
    warnings = plan_warnings(
        resolved=resolved,
        snapshot=snap,
        check=result,
        changes=delta.changes,
        today=today,
    )
    plan = Plan(
        org_id=snap.org_id,
        org_name=snap.org_name,
        file_path=file.path,
        file_sha256=file.sha256,
        policy=policy,
        changes=delta.changes,
        unchanged=delta.unchanged,
        existing_count=delta.existing_count,
        conflicts=result.conflicts,
        warnings=(*result.warnings, *kept.warnings, *warnings),
        not_managed=delta.not_managed,
        contact_lists=list_names(snap),
        facts=adopted.lines,
    )
    return PlannedRun(
        plan=plan,
        snapshot=snap,
        resolved=resolved,
        check=result,
        fixed=fixed,
        file=file,
    )

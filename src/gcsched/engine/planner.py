"""Build a plan: read the org, resolve names, check conflicts, render, diff.

Conflicts are also checked against the live schedules the plan leaves in place
(see `gcsched.engine.live`). Ownership is per project (`gcsched.engine.ownership`):
the file creates, updates and deletes only schedules its project owns, by the
state store's ownership records or else the name marker.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from typing import Any

from gcsched.domain import CheckResult, canonical_body, detect, render_body, resolve
from gcsched.domain.body_rules import EMPTY_SCHEDULE, body_problems
from gcsched.domain.compliance import ComplianceHook
from gcsched.domain.effective import effective
from gcsched.domain.model import Schedule, ScheduleFile
from gcsched.domain.past import from_instant, not_before
from gcsched.engine.facts import FactsLookup, render_facts
from gcsched.engine.guard_reads import LiveGuards, read_guards
from gcsched.engine.live import (
    existing_schedules,
    fixed_schedules,
    list_names,
    list_sizes,
    target_names,
)
from gcsched.engine.ownership import OwnerMap, owners
from gcsched.engine.ports import Org
from gcsched.engine.resolve import Resolved, resolve_targets
from gcsched.engine.snapshot import OrgSnapshot, read_org
from gcsched.engine.steps import campaign_value
from gcsched.engine.warnings import emptied_warning, plan_warnings
from gcsched.errors import InputError, OrgMismatchError
from gcsched.genesys import REFERENCE_FIELD, TARGET_KIND, Action, Family
from gcsched.journal import OwnershipRecords
from gcsched.plan import (
    Change,
    Desired,
    Existing,
    PacingDesired,
    Plan,
    diff,
    index_targets,
)
from gcsched.plan.basis import change_basis

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
    guards: LiveGuards = field(default_factory=LiveGuards)
    """Genesys's contact-local guards of the file's campaigns (`guard_for`,
    `zones_of`), read once for this plan."""


def _anchors(existing: Mapping[str, Any] | None, ours: bool) -> dict[int, date]:
    """Start dates of an owned schedule's recurrences, so bodies stay stable."""
    if not existing or not ours:
        return {}
    out: dict[int, date] = {}
    for index, rec in enumerate(existing.get("recurrences") or []):
        start = str(rec.get("start", ""))[:10]
        try:
            out[index] = date.fromisoformat(start)
        except ValueError:
            continue
    return out


def _start_day(existing: Mapping[str, Any] | None, ours: bool, today: date) -> date:
    """Where windows without `from` start: the start the org already holds.

    The earliest local date among an owned schedule's recurrence starts and
    intervals, but never after today (a later first date only means the first
    days were trimmed away); today when gcsched has not written it yet. Passed
    to `check` and to the rendering of explicit intervals, so that the same file
    and the same org give the same plan on any day.
    """
    if not existing or not ours:
        return today
    days = [today]
    for item in (
        *(existing.get("recurrences") or []),
        *(existing.get("intervals") or []),
    ):
        try:
            days.append(date.fromisoformat(str(item.get("start", ""))[:10]))
        except ValueError:
            continue
    return min(days)


def _clock(now: datetime | None, today: date) -> datetime:
    """The instant bodies are rendered at on an org that refuses past starts.

    `now` when given; else the later of this instant and the start of `today`
    (UTC), so that a plan for a later `today` renders at that day.
    """
    if now is not None:
        return now
    return max(datetime.now(UTC), datetime.combine(today, time(), UTC))


def _rendered_at(
    compare: Callable[[Mapping[str, Any]], Mapping[str, Any]], limit: datetime
) -> Callable[[Mapping[str, Any]], Mapping[str, Any]]:
    """`compare` of a body as it would be sent at `limit` (`from_instant`).

    Both sides of the diff are brought to the same instant, so a body sent on
    an earlier day equals the file's body today when neither changed.
    """

    def at(body: Mapping[str, Any]) -> Mapping[str, Any]:
        return compare(from_instant(body, limit))

    return at


def starts_on_the_day(schedule: Schedule) -> bool:
    """True when a window of `schedule` has no `from` (its own or the
    schedule's): its recurrence starts on the day the body is rendered (until
    the org holds a start to keep), so the body depends on the day and the
    checksum must cover the change's basis instead."""
    return any(effective(window, schedule).from_ is None for window in schedule.windows)


def _with_bases(
    changes: Sequence[Change],
    resolved: Sequence[Resolved],
    result: CheckResult,
    schedules: Sequence[Schedule],
    render: Mapping[str, Any],
    *,
    only: Callable[[Schedule], bool] | None = None,
) -> tuple[Change, ...]:
    """The changes, each schedule create and update with its day-independent
    basis (`gcsched.plan.basis`), which the checksum covers in place of the
    body rendered for today. Only a trimmed schedule's body depends on its
    conflicts, so only its basis names them (a reported conflict whose
    overlaps have all passed must not change the checksum of the others).
    With `only`, just the changes of the schedules it picks get a basis."""
    by_key = {(r.family, r.target_id): r for r in resolved}
    partners = {s.label: s for s in schedules}
    out: list[Change] = []
    for change in changes:
        family = change.family
        item = None if family is None else by_key.get((family, change.target_id))
        if (
            item is None
            or change.action not in (Action.CREATE, Action.UPDATE)
            or (only is not None and not only(item.schedule))
        ):
            out.append(change)
            continue
        basis = change_basis(
            item.schedule,
            label=item.label,
            conflicts=result.conflicts if item.label in result.trimmed else (),
            partners=partners,
            render=render,
        )
        out.append(replace(change, basis=basis))
    return tuple(out)


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
    current = {field: campaign_value(entity, field) for field in desired}
    version = entity.get("version")
    return PacingDesired(
        target_kind="campaign" if resolved.voice else "messaging_campaign",
        target_id=resolved.target_id,
        target_name=resolved.target_name,
        current=current,
        desired=desired,
        version=int(version) if isinstance(version, int) else None,
    )


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


def _nameless(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """The comparable form of a body without its `name`."""
    return {k: v for k, v in canonical_body(body).items() if k != "name"}


def _ownership_warnings(
    owner_map: OwnerMap,
    project: str,
    changes: Sequence[Change],
    names: Mapping[str, str],
    listed: set[tuple[Family, str]],
) -> list[str]:
    """Other projects' schedules left alone, edits outside gcsched, recreations."""
    out: list[str] = []
    others = sorted(
        {
            o.project
            for o in owner_map.by_key.values()
            if o.project is not None and o.project != project
        }
    )
    count = sum(
        1
        for o in owner_map.by_key.values()
        if o.project is not None and o.project != project
    )
    if count:
        out.append(
            f"the org holds {count} schedule(s) of other gcsched projects "
            f"({', '.join(others)}); this file (project {project}) never changes "
            "or deletes them"
        )
    changed = {(c.family, c.target_id) for c in changes if c.family is not None}
    for (family, target_id), owner in sorted(owner_map.by_key.items()):
        record = owner.record
        name = names.get(target_id, target_id)
        if (
            owner.edited
            and record is not None
            and owner.project == project
            and (family, target_id) in changed
        ):
            out.append(
                f"{name}: its schedule was edited outside gcsched since run "
                f"{record.run_id or '(adopted)'} wrote version {record.version}; "
                "the plan puts it back to the file"
            )
        elif owner.recreated and record is not None and (family, target_id) in listed:
            out.append(
                f"{name}: its schedule was deleted and recreated outside gcsched "
                f"since run {record.run_id or '(adopted)'} wrote version "
                f"{record.version}; gcsched no longer owns it (`gcsched adopt` "
                "takes it back)"
            )
    return out


def check_org(file: ScheduleFile, snapshot: OrgSnapshot) -> None:
    """Refuse an org other than the file's environment names (`org_id`).

    Raises:
        OrgMismatchError: the org connected to has another id.
    """
    if file.org_id is None or file.org_id == snapshot.org_id:
        return
    msg = (
        f"environment {file.environment} is org {file.org_id}, but the "
        f"credentials reach org {snapshot.org_name} ({snapshot.org_id}); "
        "nothing was read further or changed (check --env, the region and the "
        "OAuth client)"
    )
    raise OrgMismatchError(msg)


async def build_plan(
    org: Org,
    file: ScheduleFile,
    *,
    today: date,
    snapshot: OrgSnapshot | None = None,
    scoped: bool = False,
    ownership: OwnershipRecords | None = None,
    facts: FactsLookup | None = None,
    now: datetime | None = None,
    compliance: ComplianceHook | None = None,
) -> PlannedRun:
    """Read the org and compute what applying `file` would change.

    Args:
        org: the org to plan against.
        file: the validated schedule file.
        today: the local date that open-ended schedules start from.
        snapshot: an already-read org (else it is read now).
        scoped: consider only the file's own targets (the one-shot `provision`,
            ``--scope file``): schedules of other targets are neither compared
            nor deleted.
        ownership: the state store's ownership records (None: the name
            markers alone decide).
        facts: the org's stored doctor facts (interval format, past intervals).
        now: the clock (aware). On an org whose facts say it refuses starts in
            the past, bodies are rendered as they would be sent then
            (`gcsched.domain.past`), both sides of the diff are compared so,
            and the checksum covers each change's day-independent basis.
            Default: the later of this instant and the start of `today` (UTC).
        compliance: the calling-hour check (given the expansions and each
            schedule's campaign id); its findings go into the plan.

    Returns:
        The plan and what it was computed from.

    Raises:
        ResolveError: names in the file that match nothing (or several things).
    """
    snap = snapshot or await read_org(org)
    check_org(file, snap)
    adopted = render_facts(facts(snap.org_id) if facts else None)
    limit = not_before(_clock(now, today)) if adopted.past_refused else None
    resolved = resolve_targets(file.schedules, snap)
    _check_duplicates(resolved)
    guards = await read_guards(org, snap, resolved)
    policy = file.policy
    project = file.project
    existing_by_key = existing_schedules(snap)
    # Ownership belongs to the org, whichever environment wrote the record.
    records = ownership.ownership(snap.org_id) if ownership else ()
    owner_map = owners(existing_by_key, records)
    ours = {key for key in existing_by_key if owner_map.owns(key, project)}
    kept = fixed_schedules(
        snap, resolved, scoped=scoped, owner_map=owner_map, project=project
    )
    fixed = kept.labels
    schedules = [*(r.schedule for r in resolved), *kept.schedules]
    audiences = {**{r.label: r.audience for r in resolved}, **kept.audiences}
    starts = {
        r.label: _start_day(
            existing_by_key.get((r.family, r.target_id)),
            (r.family, r.target_id) in ours,
            today,
        )
        for r in resolved
        if r.schedule.finite
    }
    # Detected once: sizes change the ranking only, never which pairs meet.
    found = detect(
        schedules,
        policy,
        today=today,
        audiences=audiences,
        fixed=fixed,
        starts=starts,
        spans=False,
    )
    involved = {
        label for pair in found.pair_labels() if not fixed & set(pair) for label in pair
    }
    contested = {i for label in involved for i in audiences.get(label, ())}
    sizes = await list_sizes(org, contested) if contested else None
    result = resolve(found, policy, sizes=sizes)
    desired: list[Desired] = []
    pacing: list[PacingDesired] = []
    dropped: list[str] = []
    emptied: set[tuple[Family, str]] = set()
    refused: list[str] = []
    for item in resolved:
        current = existing_by_key.get((item.family, item.target_id))
        explicit = item.label in result.trimmed or item.schedule.render == "intervals"
        body = render_body(
            item.schedule,
            today=starts.get(item.label, today) if explicit else today,
            anchors=_anchors(current, (item.family, item.target_id) in ours),
            intervals_override=result.trimmed.get(item.label),
            horizon_days=policy.horizon_days,
            project=project,
            interval_time=adopted.interval_time,
        )
        if limit is not None:
            body = from_instant(body, limit)
        body[REFERENCE_FIELD[item.family]] = {"id": item.target_id}
        problems = body_problems(body, REFERENCE_FIELD[item.family], item.target_id)
        if problems == [("intervals", EMPTY_SCHEDULE)]:
            dropped.append(
                emptied_warning(
                    item,
                    result,
                    current,
                    is_owned=(item.family, item.target_id) in ours,
                )
            )
            emptied.add((item.family, item.target_id))
        elif problems:
            refused.extend(
                f"{item.schedule.source or item.label}: the body for "
                f"{item.target_name} breaks an API rule at {field}: {message}"
                for field, message in problems
            )
        else:
            desired.append(Desired(item.family, item.target_id, item.target_name, body))
        wanted = pacing_of(item, map_priority=policy.map_priority)
        if wanted is not None:
            pacing.append(wanted)
    if refused:
        raise InputError(
            "the plan would send bodies the API refuses (a gcsched bug; please "
            "report it with the file):\n" + "\n".join(refused)
        )
    names = target_names(snap)
    wanted_keys = {(d.family, d.target_id) for d in desired} | emptied
    existing = [
        Existing(family, target_id, names.get(target_id, target_id), body)
        for (family, target_id), body in sorted(existing_by_key.items())
        if not scoped or (family, target_id) in wanted_keys
    ]
    # `diff` asks about bodies: those of the schedules the file's project owns.
    ours_bodies = {id(existing_by_key[key]) for key in ours}
    # An org that does not keep `name` (a GUESS, genesys-api.md) would otherwise
    # show every schedule as changed on every plan: compare without it there.
    names_kept = all("name" in body for body in existing_by_key.values())
    compare = canonical_body if names_kept else _nameless
    delta = diff(
        desired,
        existing,
        manage=policy.manage,
        pacing=pacing,
        canonical=compare if limit is None else _rendered_at(compare, limit),
        is_owned=lambda body: id(body) in ours_bodies,
    )
    changes = tuple(delta.changes)
    render = {"project": project, "interval_time": adopted.interval_time}
    if limit is not None:
        changes = _with_bases(changes, resolved, result, schedules, render)
    elif any(starts_on_the_day(item.schedule) for item in resolved):
        changes = _with_bases(
            changes, resolved, result, schedules, render, only=starts_on_the_day
        )
    warnings = plan_warnings(
        resolved=resolved,
        snapshot=snap,
        check=result,
        changes=delta.changes,
        today=today,
    )
    # The calling-hour check covers the file's schedules only: the org's own
    # schedules that share a list with them are there for the conflict check,
    # hold no purpose or contacts of the file's, and this run cannot change
    # them (`report --live --purpose` checks those).
    file_targets = {item.label: item.target_id for item in resolved}
    hours = (
        None
        if compliance is None
        else compliance(
            [e for e in result.expansions if e.schedule.label in file_targets],
            file_targets,
            guards.guard_for,
            guards.zones_for,
        )
    )
    plan = Plan(
        org_id=snap.org_id,
        org_name=snap.org_name,
        file_path=file.path,
        file_sha256=file.sha256,
        environment=file.environment,
        policy=policy,
        changes=changes,
        unchanged=delta.unchanged,
        existing_count=delta.existing_count,
        conflicts=result.pairs,
        fixed_conflicts=result.fixed_pairs,
        warnings=(
            *file.warnings,
            *result.warnings,
            *kept.warnings,
            *dropped,
            *warnings,
            *guards.warnings,
            *_ownership_warnings(
                owner_map,
                project,
                delta.changes,
                names,
                {(r.family, r.target_id) for r in resolved},
            ),
            *(() if hours is None else hours.warnings()),
        ),
        compliance=hours,
        not_managed=delta.not_managed,
        contact_lists=list_names(snap),
        facts=adopted.lines,
        past_refused=limit is not None,
    )
    return PlannedRun(
        plan=plan,
        snapshot=snap,
        resolved=resolved,
        check=result,
        fixed=fixed,
        file=file,
        guards=guards,
    )

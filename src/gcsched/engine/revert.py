"""`runs revert`: the inverse of a run, planned from the journal's before-bodies.

Every confirmed step of the run is undone against the org as it is now: a
create becomes a delete, a delete re-creates the schedule's prior body, an
update PUTs the prior body back (with the version the org holds now), a
pacing change sets the fields back. The prior body is the full body the
journal kept when the run started (`Step.prior`), so a schedule gcsched did
not create (adopted) comes back as it was, name included.

A schedule changed since the run (its version is not the one the run wrote,
or one the run deleted exists again) is refused unless ``force``; the refusal
names who changed it when the platform audit trail says so, else the versions.
The inverse is a plain `Plan`: shown, confirmed and applied like any other,
as a run of its own, in the reverted run's environment, notifying the webhook
endpoints that run notified. Each step puts back the ownership record its
target had before the reverted run (an adopted schedule stays owned; one the
run took over is released): `gcsched.journal.ownership.record_confirmed_step`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from gcsched.domain import canonical_body
from gcsched.domain.model import Policy
from gcsched.engine.drift import (
    AUDIT_ENTITY_TYPES,
    CLOCK_SLACK,
    QUERY_LEAD,
    author_of,
)
from gcsched.engine.ports import Json, Org
from gcsched.engine.runner import Progress, Runner
from gcsched.engine.steps import campaign_value, current_of
from gcsched.engine.sync import ApplyOutcome, Confirm
from gcsched.errors import GcSchedError, RefusedError
from gcsched.genesys import REFERENCE_FIELD, Action, Family
from gcsched.journal import Run, StateStore, Step, StepStatus
from gcsched.plan import Plan
from gcsched.plan.changes import Change, hashed_body
from gcsched.telemetry.metrics import RunMetrics

__all__ = [
    "Changed",
    "RevertPlan",
    "apply_revert",
    "plan_revert",
    "revert_file_sha256",
]


@dataclass(frozen=True, slots=True)
class Changed:
    """A target changed since the run: the run wrote `version_run`, the org
    holds `version_now` (None: gone); `by` names who changed it, if known."""

    kind: str
    target_name: str
    version_run: int | None
    version_now: int | None
    by: str | None = None
    recreated: bool = False

    def describe(self) -> str:
        """``campaign "X": the run left version 3, the org has 5 (changed by
        Jane Admin)``."""
        left = (
            "no schedule"
            if self.version_run is None
            else (f"version {self.version_run}")
        )
        now = "none" if self.version_now is None else f"version {self.version_now}"
        if self.recreated:
            now += ", made again since"
        who = f" (changed by {self.by})" if self.by else ""
        return (
            f'{self.kind} "{self.target_name}": the run left {left}, '
            f"the org has {now}{who}"
        )


@dataclass(frozen=True, slots=True)
class RevertPlan:
    """The inverse of `run`: the plan, the targets changed since, what is skipped.

    `priors` holds the bodies read now, by ``(kind, target_id)``, for the
    revert run's own journal (`Runner.apply`'s ``priors``).
    """

    run: Run
    plan: Plan
    changed: tuple[Changed, ...]
    skipped: tuple[str, ...]
    priors: Mapping[tuple[str, str], Json]


def revert_file_sha256(run_id: str) -> str:
    """The `file_sha256` a revert run is journaled under: never a file's, so an
    interrupted revert is not resumed by an apply of the reverted run's file."""
    return hashlib.sha256(f"gcsched revert {run_id}".encode()).hexdigest()


def _version(body: Mapping[str, Any] | None) -> int | None:
    value = (body or {}).get("version")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _shown(body: Mapping[str, Any]) -> dict[str, Any]:
    """A body as a plan's `before` shows it: canonical, with its version."""
    shown = dict(canonical_body(body))
    version = _version(body)
    if version is not None:
        shown["version"] = version
    return shown


def _sendable(step: Step) -> dict[str, Any]:
    """The prior body of a schedule step, ready to send (no read-only fields).

    The full body the journal kept; for a step journaled before gcsched kept
    it, the canonical `before` (which lacks only the reference field).
    """
    change = step.change
    body = dict(hashed_body(step.prior or change.before or {}))
    family = Family(str(change.family))  # a schedule step: never None
    body.setdefault(REFERENCE_FIELD[family], {"id": change.target_id})
    return body


def _schedule_change(
    step: Step, action: Action, current: Json | None, after: Mapping[str, Any] | None
) -> Change:
    change = step.change
    return Change(
        action=action,
        family=change.family,
        target_kind=change.target_kind,
        target_id=change.target_id,
        target_name=change.target_name,
        version_seen=_version(current),
        before=None if current is None else _shown(current),
        after=None if after is None else dict(after),
    )


def _moved(step: Step, current: Json) -> bool:
    """Whether the schedule a create or update wrote is no longer what it left:
    another version, or another ``dateCreated`` (deleted and made again)."""
    if _version(current) != step.version_new:
        return True
    created = (step.result or {}).get("dateCreated")
    return created is not None and current.get("dateCreated") not in (None, created)


def _inverse_schedule(
    step: Step, current: Json | None
) -> tuple[Change | None, bool, str | None]:
    """One confirmed schedule step undone: (change, changed since, skip note)."""
    action = step.change.action
    name = f"{step.change.stored_kind} {step.change.target_name!r}"
    if action == Action.CREATE:
        if current is None:
            return None, False, f"{name}: already gone; nothing to delete"
        changed = _moved(step, current)
        return _schedule_change(step, Action.DELETE, current, None), changed, None
    prior = _sendable(step)
    if action == Action.UPDATE:
        if current is None:
            return _schedule_change(step, Action.CREATE, None, prior), True, None
        changed = _moved(step, current)
        return _schedule_change(step, Action.UPDATE, current, prior), changed, None
    # A delete: re-create the prior body (an update if one exists again).
    if current is not None:
        return _schedule_change(step, Action.UPDATE, current, prior), True, None
    return _schedule_change(step, Action.CREATE, None, prior), False, None


def _inverse_pacing(step: Step, current: Json | None) -> tuple[Change | None, bool]:
    change = step.change
    if current is None:
        return None, True
    after = change.after or {}
    now = {key: campaign_value(current, key) for key in after}
    changed = any(now[k] != v for k, v in after.items())
    inverse = Change(
        action=Action.PACING,
        family=None,
        target_kind=change.target_kind,
        target_id=change.target_id,
        target_name=change.target_name,
        version_seen=(None if change.target_kind == "campaign" else _version(current)),
        before=now,
        after=dict(change.before or {}),
    )
    return inverse, changed


async def _authors(
    org: Org, run: Run, changed: Sequence[tuple[Step, Changed]], own_client_id: str
) -> dict[int, str]:
    """Who changed each target since the run, by step id, from the platform
    audit trail (its newest entry not written by gcsched's own client); empty
    when the org has no trail to read or refuses it."""
    query = getattr(org, "query_audits", None)
    if query is None or not changed:
        return {}
    # whole seconds: from a little before the run to a little after now
    start = run.created_at - CLOCK_SLACK
    end = datetime.now(UTC) + QUERY_LEAD
    found: dict[int, str] = {}
    wanted = {
        (Family(str(s.change.family)), s.change.target_id): s.id
        for s, _ in changed
        if s.change.is_schedule
    }
    for family in sorted({f for f, _ in wanted}):
        try:
            entries = await query(
                start, end, filters=[("EntityType", AUDIT_ENTITY_TYPES[family])]
            )
        except GcSchedError:
            return found  # no audit permission (or no trail): name the versions
        for entry in entries:  # oldest first: the newest author wins
            entity = entry.get("entity")
            target = str(entity.get("id")) if isinstance(entity, Mapping) else ""
            step_id = wanted.get((family, target))
            author = author_of(entry)
            if step_id is None or (
                author.kind == "client" and author.id == own_client_id
            ):
                continue
            found[step_id] = author.label()
    return found


async def plan_revert(
    org: Org,
    journal: StateStore,
    ref: str,
    *,
    force: bool = False,
    own_client_id: str = "",
) -> RevertPlan:
    """Plan the inverse of run `ref` (an id or unique prefix) against the org now.

    Args:
        org: the org the run wrote to.
        journal: the state store holding the run.
        ref: the run id or a unique prefix of one.
        force: plan the inverse even of targets changed since the run.
        own_client_id: gcsched's OAuth client id (its own writes are not
            "changed by" anyone).

    Raises:
        JournalError: no such run.
        RefusedError: another org's run, or targets changed since the run
            (without `force`), each named.
    """
    run = journal.get_run(ref)
    info = await org.get_organization()
    org_id = str(info.get("id", ""))
    if run.org_id != org_id:
        msg = (
            f"run {run.id} wrote to org {run.org_name} ({run.org_id}), not to "
            f"{info.get('name', '')} ({org_id}); connect to that org to revert it"
        )
        raise RefusedError(msg)
    changes: list[Change] = []
    changed: list[tuple[Step, Changed]] = []
    skipped: list[str] = []
    priors: dict[tuple[str, str], Json] = {}
    confirmed = [s for s in journal.steps(run.id) if s.status == StepStatus.CONFIRMED]
    for step in reversed(confirmed):
        current = await current_of(org, step)
        if step.change.is_schedule:
            inverse, moved, note = _inverse_schedule(step, current)
            if current is not None:
                priors[(step.change.stored_kind, step.change.target_id)] = current
        else:
            inverse, moved = _inverse_pacing(step, current)
            note = None if inverse else f"campaign {step.change.target_name!r}: gone"
        if note is not None:
            skipped.append(note)
        if moved:
            deleted = step.change.action == Action.DELETE
            again = (
                current is not None
                and _version(current) == step.version_new
                and not deleted
            )
            found = Changed(
                step.change.stored_kind,
                step.change.target_name,
                None if deleted else step.version_new,
                _version(current),
                recreated=again,
            )
            changed.append((step, found))
        if inverse is not None:
            changes.append(inverse)
    authors = await _authors(org, run, changed, own_client_id)
    named = tuple(dataclasses.replace(c, by=authors.get(s.id)) for s, c in changed)
    if named and not force:
        lines = "\n".join(f"  {c.describe()}" for c in named)
        msg = (
            f"run {run.id} cannot be reverted safely: changed since that run:\n"
            f"{lines}\npass --force to put the prior bodies back anyway"
        )
        raise RefusedError(msg)
    warnings = [f"reverts run {run.id} ({run.file_path}, {run.created_at:%Y-%m-%d})"]
    warnings += [f"forced over a change since the run: {c.describe()}" for c in named]
    warnings += skipped
    plan = Plan(
        org_id=org_id,
        org_name=str(info.get("name", "")),
        file_path=f"revert of {run.id}",
        file_sha256=revert_file_sha256(run.id),
        environment=run.environment,
        policy=Policy(),
        changes=tuple(changes),
        unchanged=0,
        existing_count=0,
        warnings=tuple(warnings),
    )
    return RevertPlan(run, plan, named, tuple(skipped), priors)


async def apply_revert(
    org: Org,
    journal: StateStore,
    runner: Runner,
    ref: str,
    *,
    metrics: RunMetrics,
    force: bool = False,
    confirm: Confirm | None = None,
    progress: Progress | None = None,
    own_client_id: str = "",
) -> ApplyOutcome:
    """Plan the inverse of run `ref`, confirm it, and apply it as a run of its own.

    The caller holds the writer lock of `journal` and has `metrics` installed
    as a telemetry hook; `runner` writes to the same org, journal and audit log
    (each confirmed step gets its audit entry, as in any apply).

    Raises:
        JournalError: no such run.
        RefusedError: see `plan_revert`.
    """
    planned = await plan_revert(
        org, journal, ref, force=force, own_client_id=own_client_id
    )
    plan = planned.plan
    if not plan.has_changes:
        return ApplyOutcome(plan, None, metrics=metrics.summary())
    if confirm is not None and not confirm(plan):
        return ApplyOutcome(plan, None, declined=True)
    result = await runner.apply(
        plan,
        checksum=plan.checksum(),
        progress=progress,
        metrics=metrics.summary,
        priors=planned.priors,
        reverts=planned.run.id,
    )
    return ApplyOutcome(plan, result, metrics=metrics.summary())

"""The apply flow, top to bottom (octoDNS's `Manager.sync` is the model).

`apply_file` is the one way an apply goes: recover the runs an earlier apply
left unfinished, plan against the org, refuse through the plan's one gate
(`Plan.raise_if_unsafe`: reviewed checksum, rejected conflicts, safety
thresholds) before anything is written, confirm, run the steps, and summarise.
The caller (the `gcsched.api` facade) wires the lock, the journal, the
telemetry hooks and the sandbox around it. docs/apply-lifecycle.md tells the
whole story.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from gcsched.audit import AuditLog
from gcsched.domain.compliance import ComplianceHook
from gcsched.domain.model import ScheduleFile
from gcsched.engine.live import existing_schedules
from gcsched.engine.planner import build_plan, check_org
from gcsched.engine.ports import Org
from gcsched.engine.recovery import audit_unaudited, interrupted, recover
from gcsched.engine.runner import Progress, Runner, RunResult
from gcsched.engine.snapshot import read_org
from gcsched.genesys import ChangeSpec
from gcsched.journal import StateStore
from gcsched.plan import Plan
from gcsched.telemetry.metrics import RunMetrics
from gcsched.telemetry.prometheus import write_textfile

__all__ = ["ApplyOutcome", "Confirm", "apply_file"]

Confirm = Callable[[Plan], bool]
"""Asked with the plan before anything is written; False declines."""


@dataclass(frozen=True, slots=True)
class ApplyOutcome:
    """What `apply` did: the plan it applied and the run (None when nothing to do)."""

    plan: Plan
    run: RunResult | None
    recovered: tuple[str, ...] = ()
    declined: bool = False
    metrics: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every step was confirmed (or there was nothing to do)."""
        return self.run is None or self.run.status == "succeeded"


async def apply_file(
    org: Org,
    file: ScheduleFile,
    *,
    journal: StateStore,
    runner: Runner,
    audit: AuditLog,
    actor: str,
    metrics: RunMetrics,
    today: date,
    checksum: str | None = None,
    force: bool = False,
    confirm: Confirm | None = None,
    progress: Progress | None = None,
    metrics_file: str | os.PathLike[str] | None = None,
    scoped: bool = False,
    now: datetime | None = None,
    compliance: ComplianceHook | None = None,
) -> ApplyOutcome:
    """Recover, plan, refuse, confirm, run and summarise one apply of `file`.

    The caller holds the writer lock of `journal` and has `metrics` installed as
    a telemetry hook; `runner` writes to the same org, journal and audit log.

    Args:
        org: the org to apply to.
        file: the schedule file.
        journal: the state store (runs, steps, outbox).
        runner: runs the plan's steps.
        audit: the audit log.
        actor: the OAuth client id the audit names.
        metrics: the run's telemetry totals (stored with the run).
        today: the date open-ended schedules start from.
        checksum: apply only if it covers the plan (see `Plan.covered_by`).
        force: apply even when the plan changes more than the policy allows.
        confirm: asked with the plan before anything is written.
        progress: receives progress while the run goes.
        metrics_file: write the run's metrics there (Prometheus text).
        scoped: only the file's own targets are considered (`provision`).
        now: the clock the plan renders at on an org that refuses past starts
            (see `build_plan`); the runner renders again by its own clock as
            it sends each body.
        compliance: the calling-hour check (see `build_plan`); under
            ``enforce`` its violations refuse the plan.

    Raises:
        RefusedError: checksum mismatch, rejected conflicts, unsafe plan.
    """
    # Recovery only reads the org back (it never writes), so one read of the
    # org serves both it and the plan.
    snapshot = await read_org(org)
    check_org(file, snapshot)
    found = interrupted(journal, snapshot.org_id)
    resumed: Sequence[tuple[str, Sequence[ChangeSpec]]] = [
        (item.run.checksum, [step.change for step in item.steps])
        for item in found
        if item.run.file_sha256 == file.sha256
    ]
    notes = await recover(
        org,
        journal,
        found,
        file_sha256=file.sha256,
        events=runner.events,
    )
    audit_unaudited(journal, audit, actor=actor)
    planned = await build_plan(
        org,
        file,
        today=today,
        scoped=scoped,
        snapshot=snapshot,
        ownership=journal,
        facts=journal.facts_for,
        now=now,
        compliance=compliance,
    )
    plan = planned.plan
    plan.raise_if_unsafe(force=force, checksum=checksum, resumed=resumed)
    if not plan.has_changes:
        await runner.deliver_pending()
        if metrics_file is not None:
            # A no-op run is news too: the collector must not keep stale data.
            write_textfile(metrics, metrics_file)
        return ApplyOutcome(plan, None, notes, metrics=metrics.summary())
    if confirm is not None and not confirm(plan):
        return ApplyOutcome(plan, None, notes, declined=True)
    # A run resumed under a reviewed checksum keeps recording that checksum,
    # so a resume of the resume is still covered by the same review.
    result = await runner.apply(
        plan,
        checksum=checksum if checksum is not None else plan.checksum(),
        progress=progress,
        resumed_from=notes,
        metrics=metrics.summary,
        priors={
            (str(family), target_id): body
            for (family, target_id), body in existing_schedules(snapshot).items()
        },
    )
    if metrics_file is not None:
        write_textfile(metrics, metrics_file)
    return ApplyOutcome(plan, result, notes, metrics=metrics.summary())

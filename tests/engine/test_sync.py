"""The apply flow (`engine.apply_file`): its order, its one gate, one summary."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from engine_support import TODAY

from gcsched.audit import AuditLog
from gcsched.client import GenesysClient
from gcsched.config import loads
from gcsched.domain.model import ScheduleFile
from gcsched.engine import ApplyOutcome, Runner, apply_file, build_plan
from gcsched.errors import (
    ChecksumMismatchError,
    ConflictsRejectedError,
    UnsafePlanError,
)
from gcsched.journal import Journal
from gcsched.plan import Change, Plan
from gcsched.sandbox import SandboxState
from gcsched.telemetry import hooks_installed
from gcsched.telemetry.metrics import RunMetrics

pytestmark = pytest.mark.anyio

ACTOR = "sandbox-client-id"

ONE = """
version: 1
policy: {max_change_fraction: 0.1, min_existing: 1, audience_conflicts: warn}
schedules:
  - campaign: Win-back
    time_zone: America/New_York
    windows: [{days: [mon-fri], start: "16:00", end: "20:00"}]
    from: 2026-12-01
    until: 2027-02-28
"""

_OVERLAP = """time_zone: America/Chicago
    windows: [{days: [tue, thu], start: "11:00", end: "15:00"}]
    from: 2026-12-01
    until: 2026-12-31"""

REJECTED = f"""
version: 1
policy: {{audience_conflicts: reject}}
schedules:
  - campaign: Win-back
    {_OVERLAP}
  - campaign: Lapsed Survey
    {_OVERLAP}
"""


async def _apply(
    client: GenesysClient,
    journal: Journal,
    audit: AuditLog,
    file: ScheduleFile,
    **options: object,
) -> ApplyOutcome:
    metrics = RunMetrics()
    runner = Runner(client, journal, audit, actor=ACTOR, endpoints=file.webhooks)
    with hooks_installed(metrics):
        return await apply_file(
            client,
            file,
            journal=journal,
            runner=runner,
            audit=audit,
            actor=ACTOR,
            metrics=metrics,
            today=TODAY,
            **options,  # type: ignore[arg-type]
        )


def _bodies(state: SandboxState) -> object:
    """Every schedule and campaign body in the org (what a write would change)."""
    return copy.deepcopy((state.schedules, state.campaigns()))


async def test_rejected_conflicts_refuse_before_any_write(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """Refused by the gate: no run, no step, no PUT, no confirm asked."""
    before = _bodies(state)
    asked: list[Plan] = []
    with pytest.raises(ConflictsRejectedError, match="rejected by policy"):
        await _apply(
            client,
            journal,
            audit,
            loads(REJECTED, "r.yaml"),
            confirm=lambda plan: asked.append(plan) or True,
        )
    assert journal.list_runs() == []
    assert asked == []
    assert _bodies(state) == before


async def test_a_checksum_that_does_not_cover_the_plan_refuses(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """The same message as the facade always gave; nothing written, even forced."""
    before = _bodies(state)
    file = loads(ONE, "one.yaml")
    planned = await build_plan(client, file, today=TODAY)
    with pytest.raises(ChecksumMismatchError) as caught:
        await _apply(client, journal, audit, file, checksum="0" * 64, force=True)
    assert caught.value.message == (
        f"the plan now has checksum {planned.plan.checksum()}, not {'0' * 64}: "
        "the file or the org changed since it was reviewed; run "
        "`gcsched plan` again"
    )
    assert journal.list_runs() == []
    assert _bodies(state) == before


async def test_an_unsafe_plan_refuses_unless_forced(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """An update over max_change_fraction: refused and unwritten; --force applies."""
    assert (await _apply(client, journal, audit, loads(ONE, "one.yaml"))).ok
    (first,) = journal.list_runs()
    before = _bodies(state)
    changed = loads(ONE.replace('"20:00"', '"19:00"'), "one.yaml")
    with pytest.raises(UnsafePlanError, match="max_change_fraction 10%"):
        await _apply(client, journal, audit, changed)
    assert [run.id for run in journal.list_runs()] == [first.id]
    assert _bodies(state) == before
    forced = await _apply(client, journal, audit, changed, force=True)
    assert forced.ok
    assert forced.run is not None
    assert forced.run.count("confirmed") == 1


async def test_recovery_runs_before_the_plan_and_confirm_before_the_run(
    client: GenesysClient, journal: Journal, audit: AuditLog
) -> None:
    """Order: recover (old run closed) → plan → confirm (no new run yet) → run."""
    file = loads(ONE, "one.yaml")
    planned = await build_plan(client, file, today=TODAY)
    (change,) = planned.plan.changes
    old = journal.create_run(
        org_id=planned.plan.org_id,
        org_name=planned.plan.org_name,
        file_path="one.yaml",
        file_sha256=file.sha256,
        checksum=planned.plan.checksum(),
        plan=planned.plan.data(),
        steps=[change],
    )
    seen: list[tuple[str, int]] = []

    def confirm(plan: Plan) -> bool:
        runs = journal.list_runs()
        seen.append((journal.get_run(old.id).status, len(runs)))
        return True

    outcome = await _apply(client, journal, audit, file, confirm=confirm)
    assert seen == [("superseded", 1)]
    assert outcome.recovered
    assert "interrupted run" in outcome.recovered[0]
    assert outcome.ok


async def test_declining_writes_nothing(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """confirm() says no: declined, no run, the org unchanged."""
    before = _bodies(state)
    outcome = await _apply(
        client, journal, audit, loads(ONE, "one.yaml"), confirm=lambda _plan: False
    )
    assert outcome.declined
    assert outcome.run is None
    assert journal.list_runs() == []
    assert _bodies(state) == before


async def _stopped_run(
    client: GenesysClient, journal: Journal, file: ScheduleFile
) -> tuple[str, Change]:
    """A run of `file` stopped before its one step was sent: its checksum."""
    planned = await build_plan(client, file, today=TODAY)
    (change,) = planned.plan.changes
    reviewed = "f" * 64
    run = journal.create_run(
        org_id=planned.plan.org_id,
        org_name=planned.plan.org_name,
        file_path="one.yaml",
        file_sha256=file.sha256,
        checksum=reviewed,
        plan=planned.plan.data(),
        steps=[change],
    )
    journal.finish_run(run.id, "failed", summary={"error": "network"})
    return reviewed, change


async def test_a_stopped_runs_checksum_covers_what_is_left_of_it(
    client: GenesysClient, journal: Journal, audit: AuditLog
) -> None:
    """Resume coverage by Change.key(): the reviewed checksum still applies."""
    file = loads(ONE, "one.yaml")
    reviewed, change = await _stopped_run(client, journal, file)
    outcome = await _apply(client, journal, audit, file, checksum=reviewed)
    assert outcome.ok
    assert outcome.run is not None
    assert journal.get_run(outcome.run.run_id).checksum == reviewed
    (step,) = journal.steps(outcome.run.run_id)
    assert Change.of(step.change).key() == change.key()


async def test_a_change_the_stopped_run_never_had_is_not_covered(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """Same file, but the org moved: the plan's change has another key → refused."""
    file = loads(ONE, "one.yaml")
    reviewed, change = await _stopped_run(client, journal, file)
    before = _bodies(state)
    other = dataclasses.replace(change, version_seen=7)
    assert other.key() != change.key()
    edited = loads(ONE.replace('"16:00"', '"15:00"'), "one.yaml")
    edited = dataclasses.replace(edited, sha256=file.sha256)
    with pytest.raises(ChecksumMismatchError):
        await _apply(client, journal, audit, edited, checksum=reviewed)
    assert _bodies(state) == before


async def test_the_run_summary_is_written_once_with_its_metrics(
    client: GenesysClient, journal: Journal, audit: AuditLog
) -> None:
    """The journal row holds what the run closed with: steps and metrics together."""
    outcome = await _apply(client, journal, audit, loads(ONE, "one.yaml"))
    assert outcome.run is not None
    row = journal.get_run(outcome.run.run_id)
    assert row.summary == outcome.run.summary
    assert row.summary["steps"] == {"confirmed": 1}
    metrics = row.summary["metrics"]
    assert metrics["run_id"] == row.id
    assert metrics["status"] == "succeeded"
    assert metrics["requests"]["by_route"]

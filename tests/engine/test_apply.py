"""Applying plans: convergence, conflicts, resume, audit and outbox."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from engine_support import EXAMPLE, TODAY

from gcsched.audit import AuditLog
from gcsched.client import GenesysClient
from gcsched.config import load, loads
from gcsched.engine import (
    Runner,
    audit_unaudited,
    build_plan,
    interrupted,
    recover,
)
from gcsched.genesys import REFERENCE_FIELD
from gcsched.journal import Journal
from gcsched.sandbox import SandboxState

pytestmark = pytest.mark.anyio

ONE = """
version: 1
webhooks:
  - url: https://hooks.example.com/gc
    secret_env: HOOK_SECRET
schedules:
  - campaign: Win-back
    time_zone: America/New_York
    windows: [{days: [mon-fri], start: "16:00", end: "20:00"}]
    from: 2026-12-01
    until: 2027-02-28
"""


def _runner(
    client: GenesysClient, journal: Journal, audit: AuditLog, file: object = None
) -> Runner:
    endpoints = getattr(file, "webhooks", ())
    return Runner(
        client, journal, audit, actor="sandbox-client-id", endpoints=endpoints
    )


async def _recover(
    client: GenesysClient, journal: Journal, audit: AuditLog, org_id: str, sha: str
) -> tuple[str, ...]:
    """Recovery as an apply starts it: find, read back, then audit."""
    runner = _runner(client, journal, audit)
    notes = await recover(
        client,
        journal,
        interrupted(journal, org_id),
        file_sha256=sha,
        events=runner.events,
    )
    audit_unaudited(journal, audit, actor="sandbox-client-id")
    return notes


async def test_apply_converges_and_replan_is_empty(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """Apply the example; the next plan has no changes; versions are 1."""
    file = load(EXAMPLE)
    planned = await build_plan(client, file, today=TODAY)
    runner = _runner(client, journal, audit)
    result = await runner.apply(planned.plan, checksum=planned.plan.checksum())
    assert result.status == "succeeded", result.outcomes
    assert result.count("confirmed") == len(planned.plan.changes)
    again = await build_plan(client, file, today=TODAY)
    assert not again.plan.has_changes, [c.data() for c in again.plan.changes]
    assert again.plan.unchanged == len(file.schedules)
    for change in planned.plan.changes:
        if change.action == "create":
            body = state.schedule(change.stored_kind, change.target_id)
            assert body is not None
            assert body["version"] == 1


async def test_every_confirmed_step_is_audited_once(
    client: GenesysClient, journal: Journal, audit: AuditLog
) -> None:
    """One audit entry per confirmed step; the chain reaches the journal's heads."""
    planned = await build_plan(client, load(EXAMPLE), today=TODAY)
    result = await _runner(client, journal, audit).apply(
        planned.plan, checksum=planned.plan.checksum()
    )
    entries = audit.entries(run_id=result.run_id)
    assert len(entries) == result.count("confirmed")
    assert audit.verify(journal.audit_hashes()).ok
    assert journal.unaudited_steps() == []


async def test_concurrent_edit_becomes_a_conflict_not_an_overwrite(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """A colleague edits between plan and apply: the step is `conflict`, not sent."""
    file = loads(ONE, "one.yaml")
    first = await build_plan(client, file, today=TODAY)
    await _runner(client, journal, audit).apply(first.plan, checksum="x")
    changed = loads(ONE.replace('"20:00"', '"19:00"'), "one.yaml")
    planned = await build_plan(client, changed, today=TODAY)
    (change,) = planned.plan.changes
    assert change.action == "update"
    state.edit_behind_back(change.stored_kind, change.target_id)  # a colleague saves it
    version_now = state.schedule(change.stored_kind, change.target_id)["version"]
    result = await _runner(client, journal, audit).apply(planned.plan, checksum="y")
    assert result.status == "partial"
    (outcome,) = result.outcomes
    assert outcome.status == "conflict"
    assert (
        state.schedule(change.stored_kind, change.target_id)["version"] == version_now
    )
    (step,) = journal.steps(result.run_id)
    assert step.status == "conflict"


async def test_conflict_and_completion_events_go_to_the_outbox(
    client: GenesysClient, journal: Journal, audit: AuditLog
) -> None:
    """Created schedules and the run end are in the outbox, one id each."""
    file = loads(ONE, "one.yaml")
    planned = await build_plan(client, file, today=TODAY)
    result = await _runner(client, journal, audit, file).apply(
        planned.plan, checksum="z"
    )
    types = sorted(row.event_type for row in journal.pending_events())
    assert types == ["run.completed", "schedule.created"]
    assert all(
        row.payload["data"]["run_id"] == result.run_id
        for row in journal.pending_events()
    )


async def test_resume_reads_back_a_sent_step_instead_of_replaying(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """Killed after its PUT landed: the re-run confirms it by GET, no second PUT."""
    file = loads(ONE, "one.yaml")
    planned = await build_plan(client, file, today=TODAY)
    (change,) = planned.plan.changes
    run = journal.create_run(
        org_id=planned.plan.org_id,
        org_name=planned.plan.org_name,
        file_path="one.yaml",
        file_sha256=file.sha256,
        checksum=planned.plan.checksum(),
        plan=planned.plan.data(),
        steps=[change],
    )
    (step,) = journal.steps(run.id)
    journal.mark_sent(step.id)
    assert change.after is not None
    await client.put_schedule(
        change.stored_kind, change.target_id, change.after
    )  # then "crash"
    notes = await _recover(client, journal, audit, planned.plan.org_id, file.sha256)
    assert notes
    assert "1 sent step(s) had landed" in notes[0]
    assert journal.step(step.id).status == "confirmed"
    assert journal.get_run(run.id).status == "superseded"
    again = await build_plan(client, file, today=TODAY)
    assert not again.plan.has_changes
    assert state.schedule(change.stored_kind, change.target_id)["version"] == 1
    assert len(audit.entries()) == 1


async def test_resume_marks_a_step_that_never_landed_failed(
    client: GenesysClient, journal: Journal, audit: AuditLog
) -> None:
    """Killed before its PUT landed: the step is failed, a fresh plan redoes it."""
    file = loads(ONE, "one.yaml")
    planned = await build_plan(client, file, today=TODAY)
    (change,) = planned.plan.changes
    run = journal.create_run(
        org_id=planned.plan.org_id,
        org_name=planned.plan.org_name,
        file_path="one.yaml",
        file_sha256=file.sha256,
        checksum="c",
        plan={},
        steps=[dataclasses.replace(change, version_seen=None, before=None)],
    )
    (step,) = journal.steps(run.id)
    journal.mark_sent(step.id)
    notes = await _recover(client, journal, audit, planned.plan.org_id, file.sha256)
    assert "0 sent step(s) had landed, 1 had not" in notes[0]
    assert journal.step(step.id).status == "failed"
    again = await build_plan(client, file, today=TODAY)
    assert [c.action for c in again.plan.changes] == ["create"]


async def test_deleting_an_owned_schedule_no_longer_in_the_file(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """Owned schedules dropped from the file are deleted first; others stay."""
    file = load(EXAMPLE)
    planned = await build_plan(client, file, today=TODAY)
    await _runner(client, journal, audit).apply(planned.plan, checksum="a")
    smaller = loads(
        ONE.replace(
            "webhooks:\n  - url: https://hooks.example.com/gc\n"
            "    secret_env: HOOK_SECRET\n",
            "",
        ),
        "one.yaml",
    )
    planned = await build_plan(client, smaller, today=TODAY)
    actions = [c.action for c in planned.plan.changes]
    assert actions[0] == "delete"
    assert "create" not in actions
    result = await _runner(client, journal, audit).apply(planned.plan, checksum="b")
    assert result.status == "succeeded"
    lapsed = [
        s
        for s in state.schedules["campaigns"].values()
        if s["name"] == "Manual survey schedule"
    ]
    assert lapsed, "the schedule gcsched does not own was kept"
    assert REFERENCE_FIELD["campaigns"] == "campaign"


def test_example_exists() -> None:
    """The example file the demo uses is in the repository."""
    assert Path(EXAMPLE).is_file()


async def test_webhooks_and_audit_name_the_target_kind_not_the_family(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """A real apply reports `kind` as campaign | sequence | messaging_campaign.

    The example plans every schedule family and both pacing kinds; Renewal
    Emails' campaign is edited after planning, so its pacing step is a conflict.
    The journal keeps the stored kinds (families) so older runs still resume.
    """
    planned = await build_plan(client, load(EXAMPLE), today=TODAY)
    emails = state.find("messaging_campaigns", "Renewal Emails")
    assert emails is not None
    stored = state.stores["messaging_campaigns"][emails["id"]]
    stored["messagesPerMinute"] = 1 + int(stored.get("messagesPerMinute") or 0)
    endpoints = loads(ONE, "one.yaml").webhooks
    runner = Runner(client, journal, audit, actor="a", endpoints=endpoints)
    result = await runner.apply(planned.plan, checksum=planned.plan.checksum())
    assert result.status == "partial"

    sent = {
        (row.event_type, row.payload["data"]["schedule"]["name"]): row.payload["data"][
            "schedule"
        ]["kind"]
        for row in journal.pending_events()
        if row.event_type.startswith("schedule.")
    }
    assert sent[("schedule.created", "Q4 Renewals")] == "campaign"
    assert sent[("schedule.created", "Collections Ladder")] == "sequence"
    assert sent[("schedule.created", "Renewal Emails")] == "messaging_campaign"
    assert sent[("schedule.created", "Payment SMS")] == "messaging_campaign"
    assert sent[("schedule.conflict", "Renewal Emails")] == "messaging_campaign"
    assert set(sent.values()) == {"campaign", "sequence", "messaging_campaign"}

    audited = {
        (e["action"], e["target"]["name"]): e["target"]["kind"]
        for e in audit.entries(run_id=result.run_id)
    }
    assert audited[("create", "Collections Ladder")] == "sequence"
    assert audited[("create", "Renewal Emails")] == "messaging_campaign"
    assert audited[("pacing", "Q4 Renewals")] == "campaign"
    assert set(audited.values()) == {"campaign", "sequence", "messaging_campaign"}
    assert audit.verify(journal.audit_hashes()).ok

    stored_kinds = {
        (s.change.action, s.change.target_name): s.change.stored_kind
        for s in journal.steps(result.run_id)
    }
    assert stored_kinds[("create", "Renewal Emails")] == "emailcampaigns"
    assert stored_kinds[("pacing", "Renewal Emails")] == "messagingcampaign"

"""Planning the demo file against the demo org."""

from __future__ import annotations

import dataclasses

import pytest
from engine_support import EXAMPLE, TODAY

from gcsched.client import GenesysClient
from gcsched.config import load, loads
from gcsched.engine import build_plan
from gcsched.errors import ResolveError
from gcsched.sandbox import SandboxState

pytestmark = pytest.mark.anyio


async def test_plan_of_the_example_creates_every_schedule(
    client: GenesysClient,
) -> None:
    """A fresh org gets one create per schedule, plus the pacing changes."""
    file = load(EXAMPLE)
    planned = await build_plan(client, file, today=TODAY)
    summary = planned.plan.summary()
    assert summary["create"] == len(file.schedules)
    assert summary["update"] == summary["delete"] == 0
    assert summary["pacing"] == 3  # Q4 Renewals, EMEA Prospecting, Renewal Emails
    assert planned.plan.org_name == "Acme Outbound (sandbox)"


async def test_trimmed_losers_are_rendered_as_intervals(client: GenesysClient) -> None:
    """Under `trim`, the lower-ranked schedule on a shared list loses the overlap."""
    planned = await build_plan(client, load(EXAMPLE), today=TODAY)
    bodies = {
        c.target_name: c.after for c in planned.plan.changes if c.action == "create"
    }
    follow_up = bodies["Renewals Follow-up"]
    assert follow_up is not None
    assert follow_up["recurrences"] == []
    assert follow_up["intervals"]
    starts = {iv["start"][:10]: iv["start"][11:16] for iv in follow_up["intervals"]}
    # Q4 Renewals stops at 13:00 on Christmas Eve, so Follow-up keeps 15:00 there.
    assert starts.pop("2026-12-24") == "15:00"
    assert set(starts.values()) == {"17:00"}
    winners = {c.winner for c in planned.plan.conflicts if c.resolution == "trim"}
    assert "Q4 Renewals" in winners


async def test_allowed_pairs_are_reported_not_trimmed(client: GenesysClient) -> None:
    """Pairs in allow_overlap show up as `allowed` conflicts."""
    planned = await build_plan(client, load(EXAMPLE), today=TODAY)
    allowed = [c for c in planned.plan.conflicts if c.resolution == "allowed"]
    assert {frozenset(c.campaigns) for c in allowed} == {
        frozenset({"Renewals Follow-up", "Loyalty Upsell"})
    }


async def test_unknown_names_list_candidates(client: GenesysClient) -> None:
    """A misspelt campaign is an error that suggests the close names."""
    text = """
version: 1
schedules:
  - campaign: Q4 Renewal
    time_zone: UTC
    windows: [{days: [mon], start: "09:00", end: "10:00"}]
    from: 2026-12-01
    until: 2026-12-31
"""
    with pytest.raises(ResolveError) as info:
        await build_plan(client, loads(text, "f.yaml"), today=TODAY)
    assert "'Q4 Renewals'" in str(info.value)
    assert "f.yaml:4" in str(info.value)


async def test_not_owned_schedules_are_left_alone(
    client: GenesysClient, state: SandboxState
) -> None:
    """A listed campaign with someone else's schedule is reported, not changed."""
    text = """
version: 1
schedules:
  - campaign: Lapsed Survey
    time_zone: America/Chicago
    windows: [{days: [mon], start: "09:00", end: "10:00"}]
    from: 2026-12-01
    until: 2026-12-31
"""
    planned = await build_plan(client, loads(text, "f.yaml"), today=TODAY)
    assert not planned.plan.has_changes
    assert any("Lapsed Survey" in note for note in planned.plan.not_managed)
    adopt = loads(text.replace("version: 1", "version: 1\npolicy: {manage: all}"), "f")
    planned = await build_plan(client, adopt, today=TODAY)
    assert [c.action for c in planned.plan.changes] == ["update"]
    assert planned.plan.changes[0].version_seen == 3


async def test_warns_about_a_running_campaign(client: GenesysClient) -> None:
    """Payment Reminders is on in the demo org: the plan says so."""
    planned = await build_plan(client, load(EXAMPLE), today=TODAY)
    assert any(
        "Payment Reminders" in w and "running" in w for w in planned.plan.warnings
    )


async def test_checksum_is_stable_across_reads(client: GenesysClient) -> None:
    """Two plans of the same file and org have the same checksum."""
    file = load(EXAMPLE)
    first = await build_plan(client, file, today=TODAY)
    second = await build_plan(client, file, today=TODAY)
    assert first.plan.checksum() == second.plan.checksum()
    other = dataclasses.replace(
        file, policy=dataclasses.replace(file.policy, horizon_days=30)
    )
    third = await build_plan(client, other, today=TODAY)
    assert third.plan.checksum() != first.plan.checksum()


async def test_checksum_of_the_example_plan_is_pinned(client: GenesysClient) -> None:
    """The example's plan over the demo org hashes as before typed changes
    (base commit 42463cf): `plan --json` kinds stay the families."""
    planned = await build_plan(client, load(EXAMPLE), today=TODAY)
    assert planned.plan.checksum() == (
        "caf54ef6d8515bccb404b7ae60350e334e9d9c503bb9c952e99971bdd6314054"
    )
    kinds = {entry["kind"] for entry in planned.plan.data()["changes"]}
    assert kinds == {
        "campaigns",
        "sequences",
        "emailcampaigns",
        "messagingcampaigns",
        "campaign",
        "messagingcampaign",
    }


async def test_one_target_named_twice_is_one_resolve_error(
    client: GenesysClient, state: SandboxState
) -> None:
    """By name and by id, one campaign listed twice: refused with both labels."""
    winback = state.find("campaigns", "Win-back")
    assert winback is not None
    text = """
version: 1
schedules:
  - campaign: Win-back
    time_zone: America/New_York
    windows: [{days: [mon-fri], start: "16:00", end: "20:00"}]
  - campaign: ID
    time_zone: America/New_York
    windows: [{days: [sat], start: "10:00", end: "12:00"}]
""".replace("ID", winback["id"])
    with pytest.raises(ResolveError) as info:
        await build_plan(client, loads(text, "twice.yaml"), today=TODAY)
    (reason,) = info.value.reasons
    assert "'Win-back' are the same campaign" in reason
    assert winback["id"] in reason

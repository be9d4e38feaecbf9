"""`await org.revert(run)` over the sandbox: the inverse of a run, from the
journal's before-bodies, applied as a run of its own.

The sandbox is the oracle: after apply → revert the org holds what it held
before the apply (every schedule's body and the pacing fields), including a
schedule gcsched did not create (adopted by ``manage: all``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

import gcsched
from gcsched.api import Connection
from gcsched.audit import AuditLog
from gcsched.client import Credentials
from gcsched.domain import canonical_body
from gcsched.engine.live import existing_schedules
from gcsched.engine.snapshot import read_org
from gcsched.errors import JournalError, RefusedError
from gcsched.journal import Journal
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
    entity_id,
)
from gcsched.sandbox.audit_trail import ACT_AS_USER_HEADER

pytestmark = pytest.mark.anyio
TODAY = date(2026, 11, 27)
BASE = "http://sandbox.test"
CREDS = Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)

FIRST = """\
version: 1
policy: {min_existing: 0, max_change_fraction: 1, audience_conflicts: warn}
schedules:
  - campaign: Win-back
    time_zone: America/New_York
    windows:
      - {days: [mon-fri], start: "16:00", end: "20:00"}
    from: 2026-12-01
    until: 2027-02-26
  - campaign: Q4 Renewals
    time_zone: America/Chicago
    windows:
      - {days: [mon-fri], start: "09:00", end: "17:00"}
    from: 2026-12-01
    until: 2027-01-29
"""

#: Win-back changed (an update), Q4 Renewals gone (a delete), Nurture Calls new
#: (a create, with a pacing change).
SECOND = """\
version: 1
policy: {min_existing: 0, max_change_fraction: 1, audience_conflicts: warn}
schedules:
  - campaign: Win-back
    time_zone: America/New_York
    windows:
      - {days: [mon-fri], start: "15:00", end: "20:00"}
    from: 2026-12-01
    until: 2027-02-26
  - campaign: Nurture Calls
    time_zone: Europe/London
    windows:
      - {days: [mon-thu], start: "18:00", end: "20:00"}
    from: 2026-12-07
    until: 2027-01-29
    pacing: {max_calls_per_agent: 2}
"""

#: Takes over the demo org's hand-made schedule of Lapsed Survey.
ADOPTING = """\
version: 1
policy: {manage: all, min_existing: 0, max_change_fraction: 1, audience_conflicts: warn}
schedules:
  - campaign: Lapsed Survey
    time_zone: America/Chicago
    windows: [{days: [tue, thu], start: "11:00", end: "15:00"}]
    from: 2026-12-01
    until: 2027-01-31
"""


@asynccontextmanager
async def _org(state: SandboxState, tmp_path: Path) -> AsyncIterator[Connection]:
    transport = httpx.ASGITransport(app=create_app(state, rate_limit=0))
    async with gcsched.connect(
        api_url=BASE,
        credentials=CREDS,
        transport=transport,
        state_dir=tmp_path / "state",
        rate_limit=6000,
    ) as org:
        yield org


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


async def _picture(org: Connection) -> dict[str, Any]:
    """What a revert must restore: every schedule's body, and the pacing."""
    snapshot = await read_org(org.client)
    schedules = {
        f"{family}:{target}": canonical_body(body)
        for (family, target), body in existing_schedules(snapshot).items()
    }
    pacing = {
        str(c["id"]): (c.get("abandonRate"), c.get("maxCallsPerAgent"))
        for c in snapshot.campaigns
    }
    return {"schedules": schedules, "pacing": pacing}


async def _as_user(
    state: SandboxState, user: str, campaign: str, body: dict[str, Any] | None
) -> None:
    """`user` PUTs `body` as `campaign`'s schedule "in the UI" (None: deletes
    it); the sandbox's audit trail names the user."""
    transport = httpx.ASGITransport(app=create_app(state, rate_limit=0))
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as raw:
        token = await raw.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(CREDS.client_id, CREDS.client_secret),
        )
        raw.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        raw.headers[ACT_AS_USER_HEADER] = user
        oid = entity_id("campaign", campaign)
        url = f"/api/v2/outbound/schedules/campaigns/{oid}"
        if body is None:
            assert (await raw.delete(url)).status_code == 204
            return
        answer = await raw.put(url, json={**body, "campaign": {"id": oid}})
        assert answer.status_code == 200, answer.text


async def _edit_as(state: SandboxState, user: str, campaign: str) -> None:
    """`user` moves `campaign`'s schedule to another time zone."""
    body = state.schedule("campaigns", entity_id("campaign", campaign))
    assert body is not None
    await _as_user(state, user, campaign, {**body, "timeZone": "America/Denver"})


HAND_MADE: dict[str, Any] = {
    "name": "Hand-made",
    "timeZone": "America/Chicago",
    "intervals": [{"start": "2026-12-01T09:00:00", "end": "2026-12-01T10:00:00"}],
}


async def test_apply_then_revert_restores_the_org(tmp_path: Path) -> None:
    state = SandboxState.demo()
    async with _org(state, tmp_path) as org:
        await org.apply(_file(tmp_path, "first", FIRST), today=TODAY)
        before = await _picture(org)
        applied = await org.apply(_file(tmp_path, "second", SECOND), today=TODAY)
        assert applied.run is not None
        actions = sorted(o.action for o in applied.run.outcomes)
        assert actions == ["create", "delete", "pacing", "update"]
        assert await _picture(org) != before
        shown: list[str] = []
        reverted = await org.revert(
            applied.run.run_id[:-2],
            confirm=lambda plan: shown.append(plan.file_path) is None,
        )
        assert await _picture(org) == before
        again = await org.plan(_file(tmp_path, "first", FIRST), today=TODAY)
    assert shown == [f"revert of {applied.run.run_id}"]
    assert reverted.run is not None
    assert reverted.run.status == "succeeded"
    assert sorted(o.action for o in reverted.run.outcomes) == [
        "create",
        "delete",
        "pacing",
        "update",
    ]
    assert not again.plan.has_changes  # the first file's plan is empty again
    # a run of its own: journaled, and each confirmed step audited
    with Journal.open(tmp_path / "state" / "journal.sqlite") as journal:
        runs = journal.list_runs()
        assert runs[0].id == reverted.run.run_id
        assert runs[0].file_path == f"revert of {applied.run.run_id}"
        steps = journal.steps(applied.run.run_id)
    audited = AuditLog(tmp_path / "state" / "audit.jsonl").entries()
    assert {e["run_id"] for e in audited} >= {reverted.run.run_id}
    assert sum(e["run_id"] == reverted.run.run_id for e in audited) == 4
    # the journal kept the full prior body of what the run changed
    priors = {s.change.action: s.prior for s in steps}
    assert priors["create"] is None
    assert priors["update"] is not None
    assert priors["update"]["version"] == 1
    assert "dateCreated" in priors["update"]


async def test_revert_of_a_schedule_changed_since_is_refused_unless_forced(
    tmp_path: Path,
) -> None:
    state = SandboxState.demo()
    async with _org(state, tmp_path) as org:
        applied = await org.apply(_file(tmp_path, "first", FIRST), today=TODAY)
        assert applied.run is not None
        run_id = applied.run.run_id
    await _edit_as(state, "Jane Admin", "Win-back")
    async with _org(state, tmp_path) as org:
        with pytest.raises(RefusedError) as refused:
            await org.revert(run_id)
        text = str(refused.value)
        assert (
            'campaigns "Win-back": the run left version 1, the org has version 2'
            in text
        )
        assert "changed by Jane Admin" in text
        assert "--force" in text
        assert state.schedule("campaigns", entity_id("campaign", "Win-back"))
        forced = await org.revert(run_id, force=True)
    assert forced.run is not None
    assert forced.run.status == "succeeded"
    assert any("forced over a change" in w for w in forced.plan.warnings)
    for campaign in ("Win-back", "Q4 Renewals"):  # both created by the run: gone
        assert state.schedule("campaigns", entity_id("campaign", campaign)) is None


async def test_revert_of_an_adopted_schedule_puts_its_own_body_back(
    tmp_path: Path,
) -> None:
    state = SandboxState.demo()
    target = entity_id("campaign", "Lapsed Survey")
    original = state.schedule("campaigns", target)
    assert original is not None
    assert original["name"] == "Manual survey schedule"
    async with _org(state, tmp_path) as org:
        applied = await org.apply(_file(tmp_path, "adopt", ADOPTING), today=TODAY)
        assert applied.run is not None
        assert [o.action for o in applied.run.outcomes] == ["update"]
        taken = state.schedule("campaigns", target)
        assert taken is not None
        assert str(taken["name"]).startswith("gcsched:")
        reverted = await org.revert(applied.run.run_id)
    assert reverted.run is not None
    assert reverted.run.status == "succeeded"
    back = state.schedule("campaigns", target)
    assert back is not None
    assert back["name"] == "Manual survey schedule"
    assert canonical_body(back) == canonical_body(original)
    assert back["version"] == int(taken["version"]) + 1
    # someone else's again: no ownership record, and a file that does not
    # list it (manage: owned) leaves it alone instead of deleting it
    with Journal.open(tmp_path / "state" / "journal.sqlite") as journal:
        records = journal.ownership(str(state.org["id"]))
    assert target not in {r.target_id for r in records}
    async with _org(state, tmp_path) as org:
        planned = await org.plan(_file(tmp_path, "first", FIRST), today=TODAY)
    assert target not in {c.target_id for c in planned.plan.changes}


async def test_declined_and_unknown_and_empty_reverts(tmp_path: Path) -> None:
    state = SandboxState.demo()
    async with _org(state, tmp_path) as org:
        applied = await org.apply(_file(tmp_path, "first", FIRST), today=TODAY)
        assert applied.run is not None
        declined = await org.revert(applied.run.run_id, confirm=lambda plan: False)
        assert declined.declined
        assert declined.run is None
        assert state.schedule("campaigns", entity_id("campaign", "Win-back"))
        with pytest.raises(JournalError):
            await org.revert("r1999")
        done = await org.revert(applied.run.run_id)
        assert done.run is not None
        # reverting the revert brings the run's schedules back
        redone = await org.revert(done.run.run_id)
        assert redone.run is not None
        assert redone.run.status == "succeeded"
        # the first run's creates are there again, but made again since: its
        # revert finds them changed (same version, another dateCreated)
        with pytest.raises(RefusedError, match="version 1, made again since"):
            await org.revert(applied.run.run_id)


async def test_forced_revert_over_deleted_and_recreated_schedules(
    tmp_path: Path,
) -> None:
    """The run updated Win-back and deleted Q4 Renewals; since then someone
    deleted Win-back and made Q4 Renewals again. Refused, naming both; forced,
    the org is back as it was before the run."""
    state = SandboxState.demo()
    async with _org(state, tmp_path) as org:
        await org.apply(_file(tmp_path, "first", FIRST), today=TODAY)
        before = await _picture(org)
        applied = await org.apply(_file(tmp_path, "second", SECOND), today=TODAY)
        assert applied.run is not None
    await _as_user(state, "Jane Admin", "Win-back", None)
    await _as_user(state, "Sam Ops", "Q4 Renewals", HAND_MADE)
    async with _org(state, tmp_path) as org:
        with pytest.raises(RefusedError) as refused:
            await org.revert(applied.run.run_id)
        text = str(refused.value)
        assert '"Win-back": the run left version 2, the org has none' in text
        assert '"Q4 Renewals": the run left no schedule, the org has version 1' in text
        assert "(changed by Sam Ops)" in text
        forced = await org.revert(applied.run.run_id, force=True)
        assert forced.run is not None
        assert forced.run.status == "succeeded"
        assert await _picture(org) == before


async def test_nothing_to_revert_when_the_runs_schedules_are_gone(
    tmp_path: Path,
) -> None:
    state = SandboxState.demo()
    async with _org(state, tmp_path) as org:
        applied = await org.apply(_file(tmp_path, "first", FIRST), today=TODAY)
        assert applied.run is not None
    for campaign in ("Win-back", "Q4 Renewals"):
        await _as_user(state, "Jane Admin", campaign, None)
    async with _org(state, tmp_path) as org:
        outcome = await org.revert(applied.run.run_id)
    assert outcome.run is None
    assert not outcome.plan.has_changes
    assert (
        sum("already gone; nothing to delete" in w for w in outcome.plan.warnings) == 2
    )


async def test_a_run_of_another_org_is_refused(tmp_path: Path) -> None:
    state = SandboxState.demo()
    (tmp_path / "state").mkdir()
    with Journal.open(tmp_path / "state" / "journal.sqlite") as journal:
        other = journal.create_run(
            org_id="another-org",
            org_name="Elsewhere",
            file_path="f.yaml",
            file_sha256="a",
            checksum="c",
            plan={},
            steps=[],
        )
    async with _org(state, tmp_path) as org:
        with pytest.raises(RefusedError, match="wrote to org Elsewhere"):
            await org.revert(other.id)


async def test_without_the_audit_trail_the_refusal_names_the_versions(
    tmp_path: Path,
) -> None:
    """A client that may not read the platform audit trail: refused all the
    same, naming the versions (nobody as the author)."""
    state = SandboxState.demo()
    async with _org(state, tmp_path) as org:
        applied = await org.apply(_file(tmp_path, "first", FIRST), today=TODAY)
        assert applied.run is not None
    await _edit_as(state, "Jane Admin", "Win-back")
    state.clients[DEFAULT_CLIENT_ID].permissions = frozenset(
        {
            "outbound:campaign:view",
            "outbound:campaign:edit",
            "outbound:schedule:view",
            "outbound:schedule:edit",
            "outbound:schedule:delete",
        }
    )
    async with _org(state, tmp_path) as org:
        with pytest.raises(RefusedError) as refused:
            await org.revert(applied.run.run_id)
    text = str(refused.value)
    assert '"Win-back": the run left version 1, the org has version 2\n' in text
    assert "changed by" not in text

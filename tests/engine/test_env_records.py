"""Over the sandbox: ownership belongs to the org, whatever environment wrote
it; a run, its audit entries and its records name environment and org; a
revert keeps an adopted schedule owned."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

import gcsched
from gcsched.audit import AuditLog
from gcsched.client import Credentials
from gcsched.config import load
from gcsched.journal import Journal
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
    entity_id,
)
from gcsched.sandbox.demo import DEMO_ORG_ID

pytestmark = pytest.mark.anyio
TODAY = date(2026, 11, 27)

SCHEDULES = """\
schedules:
  - campaign: Win-back
    time_zone: America/New_York
    windows: [{days: [mon-fri], start: "16:00", end: "20:00"}]
    from: 2026-12-01
    until: 2027-02-26
  - campaign: Q4 Renewals
    time_zone: America/Chicago
    windows: [{days: [mon-fri], start: "09:00", end: "17:00"}]
    from: 2026-12-01
    until: 2027-01-29
"""
POLICY = (
    "version: 1\npolicy: {min_existing: 0, max_change_fraction: 1,"
    " audience_conflicts: warn}\n"
)
#: The same schedules, for two environment names of one org.
WITH_ENVS = (
    POLICY
    + f"""environments:
  staging: {{org_id: {DEMO_ORG_ID}}}
  prod: {{org_id: {DEMO_ORG_ID}}}
"""
    + SCHEDULES
)


def _connect(state: SandboxState, tmp_path: Path) -> Any:
    return gcsched.connect(
        api_url="http://sandbox.test",
        transport=httpx.ASGITransport(app=create_app(state, rate_limit=0)),
        credentials=Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        state_dir=tmp_path / "state",
        today=lambda: TODAY,
    )


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


async def test_adding_environments_keeps_what_gcsched_wrote(tmp_path: Path) -> None:
    """Applied without environments (records under "default"), then the file
    gains two environment names for the same org: each plans nothing (no
    deletes, nothing "not managed"); a change applied in prod is recorded
    under prod, in the run, its records and its audit entries."""
    state = SandboxState.demo()
    plain = _write(tmp_path, "plain.yaml", POLICY + SCHEDULES)
    async with _connect(state, tmp_path) as org:
        first = await org.apply(plain)
        assert first.run is not None
        assert first.run.status == "succeeded"
    with Journal.open(tmp_path / "state" / "journal.sqlite") as journal:
        before = journal.ownership(DEMO_ORG_ID)
        assert journal.get_run(first.run.run_id).environment is None
    assert {r.environment for r in before} == {"default"}
    assert len(before) == 2
    envs = _write(tmp_path, "envs.yaml", WITH_ENVS)
    async with _connect(state, tmp_path) as org:
        for name in ("staging", "prod"):
            planned = (await org.plan(load(envs, env=name))).plan
            assert planned.environment == name
            assert planned.changes == (), (name, planned.changes)
            assert not any("not managed" in w for w in planned.warnings)
    changed = WITH_ENVS.replace(
        "  prod: {org_id: " + DEMO_ORG_ID + "}",
        "  prod: {org_id: " + DEMO_ORG_ID + ", until: 2027-01-15}",
    )
    assert changed != WITH_ENVS
    envs.write_text(changed, encoding="utf-8")
    async with _connect(state, tmp_path) as org:
        prod = await org.apply(load(envs, env="prod"))
        assert prod.run is not None
        assert prod.run.status == "succeeded"
        assert {o.action for o in prod.run.outcomes} == {"update"}
    with Journal.open(tmp_path / "state" / "journal.sqlite") as journal:
        run = journal.get_run(prod.run.run_id)
        after = {r.target_id: r for r in journal.ownership(DEMO_ORG_ID)}
    assert run.environment == "prod"
    assert len(after) == 2  # one record per target: the org's
    assert {r.environment for r in after.values() if r.run_id == run.id} == {"prod"}
    entries = [
        e
        for e in AuditLog(tmp_path / "state" / "audit.jsonl").entries()
        if e["run_id"] == run.id
    ]
    assert entries
    assert {e["environment"] for e in entries} == {"prod"}
    assert {e["org"]["id"] for e in entries} == {DEMO_ORG_ID}


ADOPTED = """\
version: 1
policy: {min_existing: 0, max_change_fraction: 1, audience_conflicts: warn}
schedules:
  - campaign: Lapsed Survey
    time_zone: America/Chicago
    windows: [{days: [tue, thu], start: "11:00", end: "15:00"}]
    from: 2026-12-01
    until: 2027-01-31
"""


async def test_reverting_an_update_of_an_adopted_schedule_keeps_it_owned(
    tmp_path: Path,
) -> None:
    """`gcsched adopt`, an apply that updates the schedule, its revert: the
    schedule's own body is back and it is still the project's (the next plan
    updates it again instead of calling it not managed)."""
    state = SandboxState.demo()
    target = entity_id("campaign", "Lapsed Survey")
    original = state.schedule("campaigns", target)
    assert original is not None
    path = _write(tmp_path, "adopt.yaml", ADOPTED)
    async with _connect(state, tmp_path) as org:
        unmanaged = (await org.plan(path)).plan
        assert unmanaged.changes == ()  # someone else's: left alone
        adopted = await org.adopt(path, ["Lapsed Survey"])
        assert [a.target_id for a in adopted] == [target]
        applied = await org.apply(path)
        assert applied.run is not None
        assert [o.action for o in applied.run.outcomes] == ["update"]
        reverted = await org.revert(applied.run.run_id)
        assert reverted.run is not None
        assert reverted.run.status == "succeeded"
        back = state.schedule("campaigns", target)
        assert back is not None
        assert back["name"] == original["name"]
        with Journal.open(tmp_path / "state" / "journal.sqlite") as journal:
            (record,) = [
                r for r in journal.ownership(DEMO_ORG_ID) if r.target_id == target
            ]
        assert record.project == "default"
        assert record.version == back["version"]
        again = (await org.plan(path)).plan
    assert [(c.action, c.target_id) for c in again.changes] == [("update", target)]

"""One step against the sandbox (`gcsched.engine.steps`): the checks and read-backs
that the apply scenarios rarely reach."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from gcsched.client import GenesysClient
from gcsched.engine.steps import campaign_value, execute, read_back, stale_reason
from gcsched.genesys import Action, ChangeSpec, Family
from gcsched.journal import Step
from gcsched.journal.records import StepStatus
from gcsched.sandbox import SandboxState, entity_id

pytestmark = pytest.mark.anyio

WIN_BACK = entity_id("campaign", "Win-back")
SURVEY = entity_id("campaign", "Lapsed Survey")  # agentless: no max calls per agent


def _step(**change: Any) -> Step:
    spec = {
        "action": Action.UPDATE,
        "family": Family.CAMPAIGNS,
        "target_kind": "campaign",
        "target_id": WIN_BACK,
        "target_name": "Win-back",
        "version_seen": None,
        "before": None,
        "after": None,
        **change,
    }
    return Step(
        change=ChangeSpec(**spec),
        id=1,
        run_id="run",
        seq=1,
        status=StepStatus.SENT,
        result=None,
        error=None,
        version_new=None,
        audit_hash=None,
        updated_at=datetime(2026, 12, 1, tzinfo=UTC),
    )


def _pacing(target_id: str, after: dict[str, Any], **more: Any) -> Step:
    return _step(
        action=Action.PACING,
        family=None,
        target_id=target_id,
        after=after,
        **more,
    )


def test_campaign_value_of_no_campaign_is_none() -> None:
    assert campaign_value(None, "priority") is None


def test_stale_reason_of_a_delete() -> None:
    """A PUT never needs one; a delete of a schedule recreated since does."""
    put = _step()
    assert stale_reason(put, {"version": 9}) is None
    delete = _step(
        action=Action.DELETE,
        version_seen=3,
        before={"dateCreated": "2026-11-01T00:00:00Z"},
    )
    assert stale_reason(delete, None) is None
    recreated = {"version": 3, "dateCreated": "2026-11-30T00:00:00Z"}
    assert stale_reason(delete, recreated) == "recreated since plan"
    assert stale_reason(delete, {"version": 3}) is None
    assert stale_reason(delete, {"version": 4}) == "changed since plan"
    marked = _step(action=Action.DELETE, before={"name": "gcsched: Win-back"})
    assert stale_reason(marked, {"name": "a colleague's"}) == (
        "no longer owned by gcsched"
    )
    assert stale_reason(marked, {"name": "gcsched: Win-back"}) is None


async def test_a_priority_change_on_an_agentless_campaign_sends_no_max_calls(
    client: GenesysClient, state: SandboxState
) -> None:
    """Lapsed Survey has no max calls per agent: the PUT leaves both fields out."""
    landed = await execute(client, _pacing(SURVEY, {"priority": 2}))
    assert landed.landed
    stored = state.stores["campaigns"][SURVEY]
    assert stored["priority"] == 2
    assert "maxCallsPerAgentDecimal" not in stored


async def test_read_back_of_a_schedule_not_there_did_not_land(
    client: GenesysClient,
) -> None:
    create = _step(action=Action.CREATE, after={"timeZone": "UTC", "intervals": []})
    result = await read_back(client, create)
    assert not result.landed
    assert result.body is None


async def test_read_back_of_a_pacing_step_compares_the_fields(
    client: GenesysClient,
) -> None:
    current = await client.get_campaign(WIN_BACK)
    same = _pacing(WIN_BACK, {"priority": current["priority"]})
    assert (await read_back(client, same)).landed
    other = _pacing(WIN_BACK, {"priority": current["priority"] + 1})
    assert not (await read_back(client, other)).landed

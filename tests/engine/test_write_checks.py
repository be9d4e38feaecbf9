"""No write without a check (issue 11 #1-#4): deletes, voice pacing, lost answers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest
from engine_support import TODAY, URL

from gcsched.audit import AuditLog
from gcsched.client import Credentials, GenesysClient
from gcsched.config import loads
from gcsched.engine import Runner, build_plan
from gcsched.journal import Journal
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
    entity_id,
)

pytestmark = pytest.mark.anyio

WINBACK = entity_id("campaign", "Win-back")

ONE = """
version: 1
schedules:
  - campaign: Win-back
    time_zone: America/New_York
    windows: [{days: [mon-fri], start: "16:00", end: "20:00"}]
    from: 2026-12-01
    until: 2027-02-28
"""
EMPTY = "version: 1\nschedules: []\n"


async def _no_sleep(seconds: float) -> None:
    del seconds
    await asyncio.sleep(0)


class LosingGateway(httpx.AsyncBaseTransport):
    """A gateway in front of the sandbox: passes requests on, loses some answers.

    A request whose method and path match is processed by the sandbox; its
    answer is replaced by a 502 (the first `lose` times; -1: always). Before
    a matching request, `before` may play a colleague's write.
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        method: str,
        path: str,
        *,
        lose: int = 0,
        before: Callable[[], None] | None = None,
    ) -> None:
        self.inner = inner
        self.method = method
        self.path = path
        self.lose = lose
        self.before = before
        self.seen = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Forward; for a matching request maybe replace the answer with a 502."""
        match = request.method == self.method and self.path in request.url.path
        if match and self.before is not None:
            before, self.before = self.before, None
            before()
        response = await self.inner.handle_async_request(request)
        if not match:
            return response
        self.seen += 1
        if self.lose == 0:
            return response
        self.lose -= 1
        await response.aread()
        return httpx.Response(
            502,
            json={"status": 502, "code": "bad.gateway", "message": "Bad Gateway"},
            request=request,
        )


def _client(
    state: SandboxState, method: str = "", path: str = "-", **kw: object
) -> tuple[GenesysClient, LosingGateway]:
    app = create_app(state, rate_limit=0)
    gateway = LosingGateway(httpx.ASGITransport(app=app), method, path, **kw)  # type: ignore[arg-type]
    creds = Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    client = GenesysClient(
        URL,
        creds,
        transport=gateway,
        rate_limit=6000,
        sleep=_no_sleep,
        insecure_http=True,  # an in-process gateway in front of the sandbox
    )
    return client, gateway


def _runner(client: GenesysClient, journal: Journal, audit: AuditLog) -> Runner:
    return Runner(client, journal, audit, actor=DEFAULT_CLIENT_ID)


async def _apply(client: GenesysClient, text: str, journal: Journal, audit: AuditLog):  # type: ignore[no-untyped-def]
    planned = await build_plan(client, loads(text, "one.yaml"), today=TODAY)
    return planned, await _runner(client, journal, audit).apply(
        planned.plan, checksum=planned.plan.checksum()
    )


# ---------------------------------------------------------------- 11#1 deletes
@pytest.mark.parametrize("edit", ["version", "marker"])
async def test_delete_of_a_schedule_edited_after_the_plan_is_a_conflict(
    state: SandboxState, journal: Journal, audit: AuditLog, edit: str
) -> None:
    """A colleague's edit after the plan survives; the step is `conflict`."""
    client, _ = _client(state)
    async with client:
        await _apply(client, ONE, journal, audit)
        planned = await build_plan(client, loads(EMPTY, "e.yaml"), today=TODAY)
        (change,) = planned.plan.changes
        assert change.action == "delete"
        if edit == "version":
            state.edit_behind_back(change.stored_kind, change.target_id)
        else:  # taken over by hand: the gcsched marker is gone
            body = state.schedules[change.stored_kind][change.target_id]
            body["name"] = "Win-back (hand edited)"
        result = await _runner(client, journal, audit).apply(planned.plan, checksum="d")
    assert result.status == "partial"
    (outcome,) = result.outcomes
    assert outcome.status == "conflict", outcome
    assert state.schedule(change.stored_kind, change.target_id) is not None
    (step,) = journal.steps(result.run_id)
    assert step.status == "conflict"


# ---------------------------------------------------------------- 11#2 voice pacing
PACED = ONE + "    pacing: {max_calls_per_agent: 3}\n"


async def test_voice_pacing_racing_a_colleague_is_a_conflict_not_a_lost_update(
    state: SandboxState, journal: Journal, audit: AuditLog
) -> None:
    """A colleague saves the campaign between the pre-read and the write."""
    campaign = state.stores["campaigns"][WINBACK]

    def colleague() -> None:
        campaign["outboundLineCount"] = 7
        campaign["version"] += 1

    client, _ = _client(
        state, "PUT", f"/outbound/campaigns/{WINBACK}", before=colleague
    )
    async with client:
        _, result = await _apply(client, PACED, journal, audit)
    pacing = [o for o in result.outcomes if o.action == "pacing"]
    assert [o.status for o in pacing] == ["conflict"], result.outcomes
    assert campaign["outboundLineCount"] == 7  # the colleague's write stands


async def test_decimal_max_calls_per_agent_is_applied_and_kept(
    state: SandboxState, journal: Journal, audit: AuditLog
) -> None:
    """1.5 in the file lands as 1.5 (useMaxCallsPerAgentDecimal); re-plan empty."""
    text = ONE + "    pacing: {max_calls_per_agent: 1.5}\n"
    client, _ = _client(state)
    async with client:
        _, result = await _apply(client, text, journal, audit)
        assert result.status == "succeeded", result.outcomes
        campaign = state.stores["campaigns"][WINBACK]
        assert campaign["maxCallsPerAgentDecimal"] == 1.5
        assert campaign["maxCallsPerAgent"] == 1
        again = await build_plan(client, loads(text, "one.yaml"), today=TODAY)
    assert not again.plan.has_changes, [c.data() for c in again.plan.changes]


async def test_a_priority_only_put_keeps_a_real_decimal(
    state: SandboxState, journal: Journal, audit: AuditLog
) -> None:
    """A campaign at 1.5 calls per agent keeps 1.5 when only priority changes."""
    campaign = state.stores["campaigns"][WINBACK]
    campaign["maxCallsPerAgent"] = 1
    campaign["maxCallsPerAgentDecimal"] = 1.5
    text = "version: 1\npolicy: {map_priority: true}\n" + ONE.split("\n", 2)[2]
    text = text.replace("    from:", "    priority: 9\n    from:")
    client, _ = _client(state)
    async with client:
        _, result = await _apply(client, text, journal, audit)
    assert "pacing" in [o.action for o in result.outcomes], result.outcomes
    assert result.status == "succeeded", result.outcomes
    stored = state.stores["campaigns"][WINBACK]
    assert stored["priority"] == 5
    assert stored["maxCallsPerAgentDecimal"] == 1.5


# ---------------------------------------------------------------- 11#3 ambiguous
async def test_a_write_whose_answers_are_all_lost_is_read_back_and_audited(
    state: SandboxState, journal: Journal, audit: AuditLog
) -> None:
    """Every answer to the PUT is a 502 after it landed: confirmed and audited."""
    client, gateway = _client(state, "PUT", "/schedules/campaigns/", lose=-1)
    async with client:
        _, result = await _apply(client, ONE, journal, audit)
        assert gateway.seen >= 1
        (outcome,) = result.outcomes
        assert outcome.status == "confirmed", outcome
        assert len(audit.entries(run_id=result.run_id)) == 1
        again = await build_plan(client, loads(ONE, "one.yaml"), today=TODAY)
    assert not again.plan.has_changes
    (step,) = journal.steps(result.run_id)
    assert step.status == "confirmed"


# ---------------------------------------------------------------- 11#4 lost answers
async def test_a_lost_answer_on_a_messaging_pacing_put_is_our_write(
    state: SandboxState, journal: Journal, audit: AuditLog
) -> None:
    """The first answer lost, the retry meets its own version bump: confirmed."""
    name = "Payment SMS"
    cid = next(
        c["id"]
        for c in state.stores["messaging_campaigns"].values()
        if c["name"] == name
    )
    text = (
        "version: 1\nschedules:\n"
        f"  - messaging_campaign: {name}\n"
        "    time_zone: America/New_York\n"
        '    windows: [{days: [mon-fri], start: "09:00", end: "17:00"}]\n'
        "    from: 2026-12-01\n    until: 2027-02-28\n"
        "    pacing: {messages_per_minute: 33}\n"
    )
    client, gateway = _client(
        state, "PUT", f"/outbound/messagingcampaigns/{cid}", lose=1
    )
    async with client:
        _, result = await _apply(client, text, journal, audit)
    assert gateway.seen == 2
    pacing = [o for o in result.outcomes if o.action == "pacing"]
    assert [o.status for o in pacing] == ["confirmed"], result.outcomes
    assert result.status == "succeeded"
    assert len(audit.entries(run_id=result.run_id)) == len(result.outcomes)


async def test_a_lost_answer_on_a_voice_campaign_put_is_our_write(
    state: SandboxState, journal: Journal, audit: AuditLog
) -> None:
    """Same for the voice campaign PUT."""
    client, gateway = _client(state, "PUT", f"/outbound/campaigns/{WINBACK}", lose=1)
    async with client:
        _, result = await _apply(client, PACED, journal, audit)
    assert gateway.seen == 2
    assert result.status == "succeeded", result.outcomes
    assert state.stores["campaigns"][WINBACK]["maxCallsPerAgent"] == 3

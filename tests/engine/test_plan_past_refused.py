"""An org that refuses starts in the past (issue 10#1, issue 12 `past_intervals`).

The sandbox runs with ``--guess past_intervals=rejected`` and a clock the test
moves; the journal holds doctor's fact ``past_intervals_accepted=false``. The
same file and the same org give the same checksum today, tomorrow and next
week; an apply on any of those days succeeds with the checksum reviewed on the
first (bodies are rendered on the day apply runs); a re-plan after it is empty.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from engine_support import URL

from gcsched.audit import AuditLog
from gcsched.client import Credentials, GenesysClient
from gcsched.config import loads
from gcsched.domain.model import ScheduleFile
from gcsched.engine import ApplyOutcome, Runner, apply_file, build_plan
from gcsched.engine.planner import PlannedRun
from gcsched.journal import Journal
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
)
from gcsched.telemetry import hooks_installed
from gcsched.telemetry.metrics import RunMetrics

pytestmark = pytest.mark.anyio

# Thursday 2026-12-10, 15:30 UTC (09:30 in Chicago): the demo's Lapsed Survey
# (Tue/Thu 10-16 Chicago, NoEnd, from 2026-12-01) has begun its occurrences.
FIRST = datetime(2026, 12, 10, 15, 30, tzinfo=UTC)
DAYS = (FIRST, FIRST + timedelta(days=1), FIRST + timedelta(days=7))

RECURRING = """
version: 1
policy: {audience_conflicts: warn}
schedules:
  - campaign: Q4 Renewals
    time_zone: America/Chicago
    windows:
      - {days: [mon-fri], start: "09:00", end: "17:00", until: 2027-03-31}
      - {days: [sat], start: "10:00", end: "14:00", count: 20}
    from: 2026-12-01
  - campaign: Collections 30
    time_zone: Europe/London
    windows: [{days: [mon, wed], start: "10:00", end: "12:00"}]
    until: 2027-02-28
"""

TRIMMED = """
version: 1
policy: {audience_conflicts: trim}
schedules:
  - campaign: Win-back
    time_zone: America/Chicago
    windows: [{days: [tue, thu], start: "09:00", end: "17:00"}]
    from: 2026-12-01
    until: 2027-01-31
"""


@dataclass
class Clock:
    """One clock for the sandbox, the planner and the runner."""

    at: datetime

    def seconds(self) -> float:
        return self.at.timestamp()

    def moment(self) -> datetime:
        return self.at


@dataclass
class Org:
    """A sandboxed org that refuses past starts, and its state dir."""

    state: SandboxState
    client: GenesysClient
    journal: Journal
    audit: AuditLog
    clock: Clock

    async def plan(self, file: ScheduleFile) -> PlannedRun:
        return await build_plan(
            self.client,
            file,
            today=self.clock.at.date(),
            ownership=self.journal,
            facts=self.journal.facts_for,
            now=self.clock.at,
        )

    async def apply(
        self,
        file: ScheduleFile,
        checksum: str,
        runner_clock: Callable[[], datetime] | None = None,
    ) -> ApplyOutcome:
        metrics = RunMetrics()
        runner = Runner(
            self.client,
            self.journal,
            self.audit,
            actor=DEFAULT_CLIENT_ID,
            clock=runner_clock or self.clock.moment,
        )
        with hooks_installed(metrics):
            return await apply_file(
                self.client,
                file,
                journal=self.journal,
                runner=runner,
                audit=self.audit,
                actor=DEFAULT_CLIENT_ID,
                metrics=metrics,
                today=self.clock.at.date(),
                checksum=checksum,
                now=self.clock.at,
            )


class LostAnswers(httpx.AsyncBaseTransport):
    """Passes requests on; every schedule PUT lands but its answer is a 502."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.lost = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "PUT" and "/outbound/schedules/" in request.url.path:
            await response.aread()
            self.lost += 1
            return httpx.Response(502, json={"message": "bad gateway"})
        return response


@asynccontextmanager
async def _org(
    tmp_path: Path, at: datetime, *, fact: bool = True, lose: bool = False
) -> AsyncIterator[Org]:
    clock = Clock(at)
    state = SandboxState.demo()
    state.clock = clock.seconds
    app = create_app(state, rate_limit=0, guesses=["past_intervals=rejected"])
    creds = Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    journal = Journal.open(tmp_path / "journal.sqlite")
    transport: httpx.AsyncBaseTransport = httpx.ASGITransport(app=app)
    if lose:
        transport = LostAnswers(transport)
    async with GenesysClient(
        URL, creds, transport=transport, rate_limit=6000, insecure_http=lose
    ) as c:
        if fact:
            me = await c.get_organization()
            journal.save_facts(
                org_id=me["id"],
                org_name=me["name"],
                facts={"past_intervals_accepted": False},
                probed=True,
            )
        yield Org(state, c, journal, AuditLog(tmp_path / "audit.jsonl"), clock)


async def _checksums(tmp_path: Path, text: str) -> list[str]:
    file = loads(text, "s.yaml")
    async with _org(tmp_path, FIRST) as org:
        out = []
        for day in DAYS:
            org.clock.at = day
            out.append((await org.plan(file)).plan.checksum())
        return out


@pytest.mark.parametrize("text", [RECURRING, TRIMMED], ids=["recurring", "trimmed"])
async def test_the_checksum_is_the_same_on_any_day(tmp_path: Path, text: str) -> None:
    """Today, tomorrow and next week: one checksum for the same file and org."""
    sums = await _checksums(tmp_path, text)
    assert len(set(sums)) == 1, sums


@pytest.mark.parametrize("text", [RECURRING, TRIMMED], ids=["recurring", "trimmed"])
@pytest.mark.parametrize("day", DAYS, ids=["today", "tomorrow", "next-week"])
async def test_yesterdays_checksum_applies_and_the_re_plan_is_empty(
    tmp_path: Path, text: str, day: datetime
) -> None:
    """Reviewed on the first day, applied on `day`: accepted, every PUT lands,
    no start in the past was sent; the re-plan then and a day later is empty."""
    file = loads(text, "s.yaml")
    (tmp_path / "review").mkdir()
    async with _org(tmp_path / "review", FIRST) as org:
        reviewed = (await org.plan(file)).plan
    assert reviewed.past_refused
    async with _org(tmp_path, day) as org:
        outcome = await org.apply(file, reviewed.checksum())
        assert outcome.ok, outcome.run and outcome.run.outcomes
        assert outcome.run is not None
        assert {o.status for o in outcome.run.outcomes} == {"confirmed"}
        for body in _written(org.state):
            _assert_nothing_before(body, day)
        again = await org.plan(file)
        assert not again.plan.has_changes, [c.data() for c in again.plan.changes]
        org.clock.at = day + timedelta(days=1)
        later = await org.plan(file)
        assert not later.plan.has_changes, [c.data() for c in later.plan.changes]


async def test_a_recurrence_moves_to_the_apply_day_and_counts_off_the_past(
    tmp_path: Path,
) -> None:
    """The weekday window (from 2026-12-01) starts Friday 09:00 Chicago when
    applied on Thursday 09:30; the Saturday window's 20 occurrences lose the
    Saturdays already gone; the window without `from` starts on the apply day."""
    file = loads(RECURRING, "s.yaml")
    async with _org(tmp_path, FIRST) as org:
        outcome = await org.apply(file, (await org.plan(file)).plan.checksum())
        assert outcome.ok
        bodies = {b["campaign"]["name"]: b for b in _written(org.state)}
    weekday, saturday = bodies["Q4 Renewals"]["recurrences"]
    assert weekday["start"] == "2026-12-11T09:00:00"
    assert weekday["end"] == "2026-12-11T17:00:00"
    assert weekday["range"] == {"type": "EndDate", "end": "2027-03-31T23:59:59"}
    assert saturday["start"] == "2026-12-12T10:00:00"
    # Saturday 2026-12-05 is gone: 19 of the 20 are left
    assert saturday["range"] == {"type": "Numbered", "numberOfOccurrences": 19}
    (london,) = bodies["Collections 30"]["recurrences"]
    assert london["start"] == "2026-12-14T10:00:00"


async def test_an_interval_under_way_starts_when_it_is_sent(tmp_path: Path) -> None:
    """Win-back keeps 09-10 and 16-17 on Tue/Thu (Lapsed Survey wins 10-16):
    at 09:30 on Thursday its 09-10 interval is sent from 09:31."""
    file = loads(TRIMMED, "s.yaml")
    async with _org(tmp_path, FIRST) as org:
        outcome = await org.apply(file, (await org.plan(file)).plan.checksum())
        assert outcome.ok
        (body,) = [
            b for b in _written(org.state) if b["campaign"]["name"] == "Win-back"
        ]
    first, second = body["intervals"][:2]
    assert first == {
        "start": "2026-12-10T09:31:00.000",
        "end": "2026-12-10T10:00:00.000",
    }
    assert second["start"] == "2026-12-10T16:00:00.000"


async def test_a_lost_answer_is_read_back_as_sent_not_as_planned(
    tmp_path: Path,
) -> None:
    """The runner's clock runs an hour on at each reading: the body sent (and
    read back) is rendered later than the plan's. Every PUT's answer is lost;
    the read-back compares both at one instant and confirms the step."""
    file = loads(TRIMMED, "s.yaml")
    async with _org(tmp_path, FIRST, lose=True) as org:
        ticks = iter(FIRST + timedelta(hours=n) for n in range(1, 100))
        plan = (await org.plan(file)).plan
        outcome = await org.apply(
            file, plan.checksum(), runner_clock=lambda: next(ticks)
        )
        assert outcome.run is not None
        assert [o.status for o in outcome.run.outcomes] == ["confirmed"]
        (body,) = [
            b for b in _written(org.state) if b["campaign"]["name"] == "Win-back"
        ]
        # sent at 10:31 Chicago at the earliest: the 09-10 interval is gone
        assert body["intervals"][0]["start"] >= "2026-12-10T16:00:00.000"
        org.clock.at = next(ticks)  # planned after the last send
        assert not (await org.plan(file)).plan.has_changes


async def test_orgs_that_accept_past_starts_get_the_body_as_before(
    tmp_path: Path,
) -> None:
    """Without the fact nothing is rendered on the apply day: the recurrence
    keeps its start in the past and the checksum covers the body itself."""
    file = loads(RECURRING, "s.yaml")
    async with _org(tmp_path, FIRST, fact=False) as org:
        plan = (await org.plan(file)).plan
    assert not plan.past_refused
    change = next(c for c in plan.changes if c.target_name == "Q4 Renewals")
    assert change.basis is None
    assert change.key() == change.step_key()
    assert change.after is not None
    assert change.after["recurrences"][0]["start"] == "2026-12-01T09:00:00"


def _written(state: SandboxState) -> list[dict[str, Any]]:
    """The schedules gcsched wrote (the demo's manual one left out)."""
    return [
        body
        for bodies in state.schedules.values()
        for body in bodies.values()
        if str(body.get("name", "")).startswith("gcsched")
    ]


def _assert_nothing_before(body: dict[str, Any], day: datetime) -> None:
    """No interval or recurrence of `body` starts before `day` (the clock)."""
    zone = ZoneInfo(body["timeZone"])
    for item in [*body["intervals"], *body["recurrences"]]:
        assert datetime.fromisoformat(item["start"]).replace(tzinfo=zone) >= day, body
    assert body["intervals"] or body["recurrences"]
    assert date.fromisoformat(body["dateCreated"][:10]) == day.date()

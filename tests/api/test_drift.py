"""`await org.drift(file)`: who changed a managed schedule outside gcsched, and what.

The sandbox is the oracle: its audit trail attributes each write to the OAuth
client, or to the user a ``X-Sandbox-Act-As-User`` header names (an edit "in
the UI"). gcsched's own writes are never drift.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

import gcsched
from gcsched.api import Connection
from gcsched.audit import AuditLog
from gcsched.audit.external import EXTERNAL_ACTION
from gcsched.client import Credentials
from gcsched.config.loader import loads
from gcsched.engine.drift import UNKNOWN_AUTHOR
from gcsched.journal import Journal
from gcsched.sandbox import SandboxState, create_app, entity_id
from gcsched.sandbox.audit_trail import ACT_AS_USER_HEADER

pytestmark = pytest.mark.anyio
TODAY = date(2026, 11, 27)
BASE = "http://sandbox.test"
ADMIN = Credentials("gcsched-ci", "ci-secret-5f1e")
READER = Credentials("reader", "reader-secret-77")
#: Everything drift reads, but not the audit trail.
READ_ONLY = [
    "outbound:campaign:view",
    "outbound:schedule:view",
    "outbound:messagingCampaign:view",
    "outbound:campaignSequence:view",
    "outbound:callableTimeSet:view",
    "outbound:contactList:view",
    "outbound:emailCampaignSchedule:view",
    "outbound:messagingCampaignSchedule:view",
    "outbound:whatsAppCampaignSchedule:view",
    "outbound:settings:view",
    "outbound:campaignRule:view",
]

FILE = """\
version: 1
policy:
  manage: owned
  audience_conflicts: warn
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


def _state() -> SandboxState:
    demo = SandboxState.demo()
    seeded = SandboxState.from_seed(
        {
            "defaultClient": False,
            "clients": [
                {"id": ADMIN.client_id, "secret": ADMIN.client_secret},
                {
                    "id": READER.client_id,
                    "secret": READER.client_secret,
                    "permissions": READ_ONLY,
                },
            ],
        }
    )
    demo.clients = seeded.clients
    return demo


@pytest.fixture
def state() -> SandboxState:
    return _state()


@pytest.fixture
def file(tmp_path: Path) -> Path:
    path = tmp_path / "drift.yaml"
    path.write_text(FILE, encoding="utf-8")
    return path


@asynccontextmanager
async def _org(
    state: SandboxState,
    tmp_path: Path,
    creds: Credentials = ADMIN,
    guesses: tuple[str, ...] = (),
) -> AsyncIterator[Connection]:
    app = create_app(state, rate_limit=0, guesses=guesses)
    transport = httpx.ASGITransport(app=app)
    async with gcsched.connect(
        api_url=BASE,
        credentials=creds,
        transport=transport,
        state_dir=tmp_path / "state",
        rate_limit=6000,
    ) as org:
        yield org


async def _as_user(
    state: SandboxState, user: str, target: str, change: dict[str, Any]
) -> None:
    """`user` edits `target`'s schedule "in the UI" (through the sandbox's API)."""
    transport = httpx.ASGITransport(app=create_app(state, rate_limit=0))
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as raw:
        token = await raw.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(ADMIN.client_id, ADMIN.client_secret),
        )
        raw.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        raw.headers[ACT_AS_USER_HEADER] = user
        oid = entity_id("campaign", target)
        url = f"/api/v2/outbound/schedules/campaigns/{oid}"
        if change.get("delete"):
            assert (await raw.delete(url)).status_code == 204
            return
        current = await raw.get(url)
        body = current.json() if current.status_code == 200 else {}
        body.update(change)
        r = await raw.put(url, json=body)
        assert r.status_code == 200, r.text


def _later_end(body: dict[str, Any]) -> dict[str, Any]:
    recurrences = json.loads(json.dumps(body["recurrences"]))
    for recurrence in recurrences:
        recurrence["end"] = recurrence["end"].replace("T20:00", "T21:00")
    return {"recurrences": recurrences}


async def test_own_apply_is_not_drift(
    state: SandboxState, tmp_path: Path, file: Path
) -> None:
    async with _org(state, tmp_path) as org:
        outcome = await org.apply(file, today=TODAY)
        assert outcome.run is not None
        report = await org.drift(file, today=TODAY)
    assert not report.has_drift
    assert report.checked == 2
    assert report.recorded == 0
    # the sandbox did audit gcsched's two writes, by its client
    clients = {e["client"]["id"] for e in state.audit_trail.entries}
    assert clients == {ADMIN.client_id}


async def test_an_edit_as_a_named_user_names_the_user_and_the_fields(
    state: SandboxState, tmp_path: Path, file: Path
) -> None:
    async with _org(state, tmp_path) as org:
        await org.apply(file, today=TODAY)
    live = state.schedule("campaigns", entity_id("campaign", "Win-back"))
    assert live is not None
    await _as_user(state, "Jane Admin", "Win-back", _later_end(live))
    async with _org(state, tmp_path) as org:
        report = await org.drift(file, today=TODAY)
        again = await org.drift(file, today=TODAY)
    assert report.has_drift
    (found,) = report.drifted
    assert found.target_name == "Win-back"
    assert found.how == "edited"
    assert found.authors() == ("Jane Admin",)
    assert found.version_now == (found.version_written or 0) + 1
    assert found.when() is not None
    assert any("20:00 → 21:00" in line for line in found.fields), found.fields
    assert found.changes[0].properties == ("recurrences",)
    shown = report.to_json()["drift"][0]
    assert shown["authors"] == ["Jane Admin"]
    assert shown["changes"][0]["author"]["kind"] == "user"
    # one external-change entry in gcsched's own chain, not repeated
    assert report.recorded == 1
    assert again.recorded == 0
    log = AuditLog(tmp_path / "state" / "audit.jsonl")
    external = [e for e in log.entries() if e["action"] == EXTERNAL_ACTION]
    assert len(external) == 1
    entry = external[0]
    assert entry["actor"] == "Jane Admin"
    assert entry["external"]["platform_audit_ids"] == [found.changes[0].audit_id]
    assert entry["external"]["fields"] == list(found.fields)
    assert entry["org"] == {"id": report.org_id, "name": report.org_name}
    assert entry["environment"] is None
    with Journal.open(tmp_path / "state" / "journal.sqlite") as journal:
        hashes = journal.audit_hashes()
    assert entry["hash"] in hashes
    assert log.verify(hashes).ok


async def test_an_edited_external_entry_fails_verify(
    state: SandboxState, tmp_path: Path, file: Path
) -> None:
    async with _org(state, tmp_path) as org:
        await org.apply(file, today=TODAY)
    await _as_user(state, "Jane Admin", "Q4 Renewals", {"timeZone": "America/Denver"})
    async with _org(state, tmp_path) as org:
        report = await org.drift(file, today=TODAY)
    assert report.recorded == 1
    path = tmp_path / "state" / "audit.jsonl"
    text = path.read_text(encoding="utf-8")
    assert '"actor":"Jane Admin"' in text
    path.write_text(text.replace('"actor":"Jane Admin"', '"actor":"Someone"'))
    with Journal.open(tmp_path / "state" / "journal.sqlite") as journal:
        verdict = AuditLog(path).verify(journal.audit_hashes())
    assert not verdict.ok
    assert "edited" in (verdict.problem or "")
    # a later drift refuses to add to the broken chain, and says so
    await _as_user(state, "Jane Admin", "Win-back", {"timeZone": "America/Denver"})
    async with _org(state, tmp_path) as org:
        later = await org.drift(file, today=TODAY)
    assert later.recorded == 0
    assert any("not written to the audit log" in n for n in later.notes)


async def test_without_the_audit_permission_the_author_is_unknown(
    state: SandboxState, tmp_path: Path, file: Path
) -> None:
    async with _org(state, tmp_path) as org:
        await org.apply(file, today=TODAY)
    await _as_user(state, "Jane Admin", "Win-back", {"timeZone": "America/Denver"})
    async with _org(state, tmp_path, READER) as org:
        report = await org.drift(file, today=TODAY)
    (found,) = report.drifted
    assert found.note == UNKNOWN_AUTHOR
    assert "audits:audit:view" in found.note
    assert found.authors() == ("unknown",)
    assert any("audits:audit:view" in n for n in report.notes)
    assert found.fields == ("timeZone: America/New_York → America/Denver",)


async def test_deleted_and_own_unjournaled_writes(
    state: SandboxState, tmp_path: Path, file: Path
) -> None:
    async with _org(state, tmp_path) as org:
        await org.apply(file, today=TODAY)
        # gcsched's own client writes Q4 Renewals outside this journal
        q4 = entity_id("campaign", "Q4 Renewals")
        body = await org.client.get_schedule("campaigns", q4)
        assert body is not None
        await org.client.put_schedule("campaigns", q4, body)
    await _as_user(state, "Ops Bot", "Win-back", {"delete": True})
    async with _org(state, tmp_path) as org:
        report = await org.drift(file, today=TODAY, record=False)
    (found,) = report.drifted
    assert (found.target_name, found.how) == ("Win-back", "deleted")
    assert found.fields == ("the schedule was deleted",)
    assert found.authors() == ("Ops Bot",)
    assert found.changes[0].action == "Delete"
    assert any("gcsched's own client" in n for n in report.notes)
    assert report.recorded == 0


async def test_no_journal_means_no_drift(
    state: SandboxState, tmp_path: Path, file: Path
) -> None:
    async with _org(state, tmp_path) as org:
        report = await org.drift(file, today=TODAY)
    assert not report.has_drift
    assert report.checked == 0


async def test_doctor_checks_the_audit_permission(
    state: SandboxState, tmp_path: Path
) -> None:
    async with _org(state, tmp_path, READER) as org:
        report = await org.doctor()
    failed = {c.name: c for c in report.checks if not c.ok}
    assert set(failed) == {"read the audit trail"}
    assert "audits:audit:view" in failed["read the audit trail"].detail
    assert "gcsched drift" in (failed["read the audit trail"].fix or "")
    async with _org(state, tmp_path) as org:
        assert (await org.doctor()).ok


async def test_recreated_and_dropped_from_the_file(
    state: SandboxState, tmp_path: Path, file: Path
) -> None:
    async with _org(state, tmp_path) as org:
        await org.apply(file, today=TODAY)
    # Ops Bot deletes Win-back's schedule and makes a new one; Jane edits Q4
    live = state.schedule("campaigns", entity_id("campaign", "Win-back"))
    assert live is not None
    await _as_user(state, "Ops Bot", "Win-back", {"delete": True})
    state.clock = lambda: 4_102_444_800.0  # 2100: another dateCreated
    fresh = {k: v for k, v in live.items() if k not in ("version", "dateCreated")}
    await _as_user(state, "Ops Bot", "Win-back", fresh)
    state.clock = time.time
    await _as_user(state, "Jane Admin", "Q4 Renewals", {"timeZone": "America/Denver"})
    win_back = FILE.split("  - campaign: Q4", maxsplit=1)[0]
    paced = win_back + "    pacing: {max_calls_per_agent: 3}\n"  # a pacing change too
    smaller = loads(paced, "smaller.yaml")
    async with _org(state, tmp_path) as org:
        report = await org.drift(smaller, today=TODAY, record=False)
    by_name = {d.target_name: d for d in report.drifted}
    assert by_name["Win-back"].how == "recreated"
    assert "no longer gcsched's" in by_name["Win-back"].fields[0]
    assert by_name["Q4 Renewals"].how == "edited"
    assert by_name["Q4 Renewals"].fields == ("the file no longer has this schedule",)
    assert by_name["Q4 Renewals"].authors() == ("Jane Admin",)


async def test_no_audit_entry_in_the_window_is_said(
    state: SandboxState, tmp_path: Path, file: Path
) -> None:
    async with _org(state, tmp_path) as org:
        await org.apply(file, today=TODAY)
    await _as_user(state, "Jane Admin", "Win-back", {"timeZone": "America/Denver"})
    state.audit_trail.entries.clear()  # older than the platform keeps, say
    async with _org(state, tmp_path) as org:
        report = await org.drift(file, today=TODAY, record=False)
    (found,) = report.drifted
    assert found.authors() == ("unknown",)
    assert (found.note or "").startswith("no audit entry found since ")


async def test_recreated_under_manage_all_says_what_differs(
    state: SandboxState, tmp_path: Path, file: Path
) -> None:
    async with _org(state, tmp_path) as org:
        await org.apply(file, today=TODAY)
    live = state.schedule("campaigns", entity_id("campaign", "Win-back"))
    assert live is not None
    await _as_user(state, "Ops Bot", "Win-back", {"delete": True})
    state.clock = lambda: 4_102_444_800.0
    fresh = {k: v for k, v in live.items() if k not in ("version", "dateCreated")}
    await _as_user(state, "Ops Bot", "Win-back", {**fresh, "timeZone": "UTC"})
    every = loads(FILE.replace("manage: owned", "manage: all"), "all.yaml")
    async with _org(state, tmp_path) as org:
        report = await org.drift(every, today=TODAY, record=False)
    (found,) = report.drifted
    assert found.how == "recreated"
    assert found.fields == (
        "recreated outside gcsched",
        "timeZone: America/New_York → UTC",
    )


async def test_an_org_that_drops_names_shows_no_name_difference(
    state: SandboxState, tmp_path: Path, file: Path
) -> None:
    dropped = ("schedule_name=dropped",)
    async with _org(state, tmp_path, guesses=dropped) as org:
        await org.apply(file, today=TODAY)
    await _as_user(state, "Jane Admin", "Win-back", {"timeZone": "America/Denver"})
    async with _org(state, tmp_path, guesses=dropped) as org:
        report = await org.drift(file, today=TODAY, record=False)
    (found,) = report.drifted
    assert found.fields == ("timeZone: America/New_York → America/Denver",)


async def test_drift_on_the_embedded_sandbox_never_saves_its_org(
    tmp_path: Path,
) -> None:
    """An audit query is a POST, but drift must not save a stale org over writes."""
    example = Path(__file__).parents[2] / "examples" / "q4.yaml"
    async with gcsched.connect(sandbox=True, state_dir=tmp_path) as reader:
        async with gcsched.connect(sandbox=True, state_dir=tmp_path) as writer:
            await writer.apply(example)
        applied = SandboxState.load(tmp_path / "sandbox.json").schedules
        # the reader's org predates the apply: every schedule looks deleted
        report = await reader.drift(example, record=False)
        assert {d.how for d in report.drifted} == {"deleted"}
    assert SandboxState.load(tmp_path / "sandbox.json").schedules == applied


@pytest.mark.parametrize(
    ("days", "route"),
    [(14, "POST /api/v2/audits/query/realtime"), (15, "POST /api/v2/audits/query")],
)
async def test_fourteen_days_are_realtime_and_more_are_async(
    state: SandboxState, tmp_path: Path, file: Path, days: int, route: str
) -> None:
    async with _org(state, tmp_path) as org:
        await org.apply(file, today=TODAY)
    await _as_user(state, "Jane Admin", "Win-back", {"timeZone": "America/Denver"})
    app = create_app(state, rate_limit=0)
    async with gcsched.connect(
        api_url=BASE,
        credentials=ADMIN,
        transport=httpx.ASGITransport(app=app),
        state_dir=tmp_path / "state",
        rate_limit=6000,
    ) as org:
        report = await org.drift(file, today=TODAY, since=timedelta(days=days))
    assert report.drifted[0].authors() == ("Jane Admin",)
    audit_routes = {r for r in app.state.stats.requests if "/audits/" in r}
    assert route in audit_routes
    assert (route.endswith("realtime")) == (len(audit_routes) == 1)

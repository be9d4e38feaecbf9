"""`gcsched doctor` against the sandbox: it reports exactly what the switches say.

Every value of every `--guess` switch is run; the probe stays within 30
requests (counted by the sandbox's /sandbox/stats), puts the probe campaign's
schedule back, refuses a campaign that is not off, and no secret reaches the
report.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from gcsched.api import connect
from gcsched.client import Credentials
from gcsched.domain.genesys_parse import canonical_body
from gcsched.engine.doctor import FACT_NAMES, MAX_REQUESTS
from gcsched.errors import RefusedError
from gcsched.journal import Journal
from gcsched.sandbox import GUESS_VALUES, SandboxState, create_app, entity_id

CLIENT_ID = "doctor-client"
SECRET = "canary-doctor-secret-6a1f93"
SMS_SCHEDULES = 30  # more than one default page (25): paging can be told


def _seed(zulu: str = "") -> dict[str, Any]:
    """The org; `zulu` ("Z") writes the colleague's intervals as UTC instants."""
    return {
        "org": {"name": "Doctor Org"},
        "defaultClient": False,
        "clients": [{"id": CLIENT_ID, "secret": SECRET}],
        "contactLists": [{"name": "L", "size": 10}],
        "campaigns": [
            {"name": "Scratch", "contactList": "L", "dialingMode": "preview"},
            {"name": "Scheduled", "contactList": "L", "dialingMode": "preview"},
            {
                "name": "Live",
                "contactList": "L",
                "dialingMode": "preview",
                "campaignStatus": "on",
            },
        ],
        "messagingCampaigns": [
            {
                "name": "SMS {n}",
                "count": SMS_SCHEDULES,
                "channel": "sms",
                "contactList": "L",
            }
        ],
        "schedules": [
            {
                "family": "campaigns",
                "target": "Scheduled",
                "name": "Colleague's schedule",
                "timeZone": "America/New_York",
                "intervals": [
                    {
                        "start": f"2099-03-01T09:00:00{zulu}",
                        "end": f"2099-03-01T17:00:00{zulu}",
                    }
                ],
            },
            *(
                {
                    "family": "messagingcampaigns",
                    "target": f"SMS {n}",
                    "intervals": [
                        {"start": "2099-03-01T09:00:00", "end": "2099-03-01T10:00:00"}
                    ],
                }
                for n in range(1, SMS_SCHEDULES + 1)
            ),
        ],
    }


def _expected(name: str, value: str) -> dict[str, Any]:
    """The facts doctor must report when only `name=value` differs."""
    facts: dict[str, Any] = {
        "schedule_name_kept": True,
        "schedule_lists_paged": False,
        "empty_page_needs_allow_empty_result": False,
        "version_conflict_status": 409,
        "token_error_status": 401,
        "interval_time": "wall",
        "past_intervals_accepted": True,
        "ratelimit_headers": False,
    }
    number = int(value) if value.isdigit() else None
    fact, seen = {
        "schedule_name": ("schedule_name_kept", value == "kept"),
        "listing_page_size": ("schedule_lists_paged", value != "all"),
        "empty_page": ("empty_page_needs_allow_empty_result", value == "error"),
        "version_conflict": ("version_conflict_status", number),
        "token_status": ("token_error_status", number),
        "interval_time": ("interval_time", value),
        "past_intervals": ("past_intervals_accepted", value == "accepted"),
        "ratelimit_headers": ("ratelimit_headers", value == "on"),
    }[name]
    facts[fact] = seen
    return facts


CASES = [
    (name, "10" if value == "N" else value)
    for name, values in GUESS_VALUES.items()
    for value in values
]


async def _doctor(
    app: Any, tmp_path: Path, probe: str | None
) -> tuple[Any, dict[str, Any]]:
    transport = httpx.ASGITransport(app=app)
    async with connect(
        api_url="http://sandbox.test",
        credentials=Credentials(CLIENT_ID, SECRET),
        transport=transport,
        state_dir=tmp_path / "state",
        rate_limit=6000,
    ) as conn:
        report = await conn.doctor(probe=probe)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox.test"
    ) as raw:
        stats = (await raw.get("/sandbox/stats")).json()
    return report, stats


@pytest.mark.anyio
@pytest.mark.parametrize(("name", "value"), CASES)
async def test_doctor_reports_what_each_switch_says(
    tmp_path: Path, name: str, value: str
) -> None:
    state = SandboxState.from_seed(_seed())
    app = create_app(state, rate_limit=0, guesses=[f"{name}={value}"])
    scheduled = entity_id("campaign", "Scheduled")
    before = canonical_body(state.schedules["campaigns"][scheduled])
    report, stats = await _doctor(app, tmp_path, "Scratch")
    assert report.ok, [c for c in report.checks if not c.ok]
    assert report.facts == _expected(name, value)
    assert list(report.facts) == list(FACT_NAMES)
    # at most 30 requests, the stats call itself aside
    assert stats["requests_total"] <= MAX_REQUESTS, stats["requests"]
    # the probe campaign is back to no schedule; nothing else was touched
    assert entity_id("campaign", "Scratch") not in state.schedules["campaigns"]
    assert canonical_body(state.schedules["campaigns"][scheduled]) == before
    writes = {r for r in stats["requests"] if r.startswith(("PUT", "DELETE"))}
    assert writes <= {
        "PUT /api/v2/outbound/schedules/campaigns/{campaignId}",
        "DELETE /api/v2/outbound/schedules/campaigns/{campaignId}",
    }
    # the facts are stored for the org
    with Journal.open(tmp_path / "state" / "journal.sqlite") as journal:
        stored = journal.facts_for(report.org["id"])
    assert stored is not None
    assert dict(stored.facts) == report.facts
    assert stored.probed


@pytest.mark.anyio
@pytest.mark.parametrize("guess", ["interval_time=wall", "interval_time=utc"])
async def test_probe_on_a_scheduled_campaign_puts_the_same_body_back(
    tmp_path: Path, guess: str
) -> None:
    # an org that reads intervals as UTC answers them with a Z
    state = SandboxState.from_seed(_seed("Z" if guess.endswith("utc") else ""))
    app = create_app(state, rate_limit=0, guesses=[guess])
    scheduled = entity_id("campaign", "Scheduled")
    before = dict(state.schedules["campaigns"][scheduled])
    report, _ = await _doctor(app, tmp_path, "Scheduled")
    after = state.schedules["campaigns"][scheduled]
    assert canonical_body(after) == canonical_body(before)
    assert after["name"] == "Colleague's schedule"
    assert int(after["version"]) > int(before["version"])  # written, then put back
    assert report.ok


@pytest.mark.anyio
async def test_read_only_doctor_leaves_the_probe_facts_unsettled(
    tmp_path: Path,
) -> None:
    state = SandboxState.from_seed(_seed())
    app = create_app(state, rate_limit=0, guesses=["empty_page=error"])
    report, stats = await _doctor(app, tmp_path, None)
    assert report.ok
    assert report.facts["empty_page_needs_allow_empty_result"] is True
    assert report.facts["schedule_name_kept"] is None
    assert report.facts["token_error_status"] is None
    assert not any(r.startswith(("PUT", "DELETE")) for r in stats["requests"])


@pytest.mark.anyio
async def test_probe_refuses_a_campaign_that_is_not_off(tmp_path: Path) -> None:
    state = SandboxState.from_seed(_seed())
    app = create_app(state, rate_limit=0)
    with pytest.raises(RefusedError, match="is on, not off"):
        await _doctor(app, tmp_path, "Live")
    assert entity_id("campaign", "Live") not in state.schedules["campaigns"]


@pytest.mark.anyio
async def test_a_missing_permission_is_named(tmp_path: Path) -> None:
    seed = _seed()
    seed["clients"] = [
        {
            "id": CLIENT_ID,
            "secret": SECRET,
            "permissions": ["outbound:campaign:view", "outbound:schedule:view"],
        }
    ]
    report, _ = await _doctor(create_app(SandboxState.from_seed(seed)), tmp_path, None)
    assert not report.ok
    failed = {c.name: c for c in report.checks if not c.ok}
    assert "read callable time sets" in failed
    assert "outbound:callableTimeSet:view" in failed["read callable time sets"].detail
    assert failed["read callable time sets"].fix
    assert "read voice campaigns" not in failed
    settings = failed["read outbound settings (time-zone guards)"]
    assert "outbound:settings:view" in settings.detail
    assert settings.fix is not None
    assert "plan still runs" in settings.fix
    assert "automatic time-zone mapping windows are unknown" in settings.fix
    rules = failed["read campaign rules"]
    assert rules.fix is not None
    assert "outbound:campaignRule:view" in rules.fix


@pytest.mark.anyio
async def test_the_guard_reads_pass_with_the_permissions(tmp_path: Path) -> None:
    """With every permission, both time-zone guard reads pass."""
    report, _ = await _doctor(
        create_app(SandboxState.from_seed(_seed())), tmp_path, None
    )
    checks = {c.name: c for c in report.checks}
    assert checks["read outbound settings (time-zone guards)"].ok
    assert checks["read campaign rules"].detail.endswith(": 200")


# ------------------------------------------------------------------ adoption
_FILE = """\
version: 1
schedules:
  - campaign: Scratch
    time_zone: Europe/Paris
    render: intervals
    windows: [{days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00"}]
    from: 2099-01-01
    until: 2099-01-09
"""


@pytest.mark.anyio
async def test_later_plans_adopt_the_stored_facts(tmp_path: Path) -> None:
    """utc + past rejected: intervals as UTC instants, none in the past, header."""
    state = SandboxState.from_seed(_seed("Z"))
    app = create_app(
        state,
        rate_limit=0,
        guesses=["interval_time=utc", "past_intervals=rejected"],
    )
    await _doctor(app, tmp_path, "Scratch")
    schedule_file = tmp_path / "s.yaml"
    schedule_file.write_text(_FILE)
    async with connect(
        api_url="http://sandbox.test",
        credentials=Credentials(CLIENT_ID, SECRET),
        transport=httpx.ASGITransport(app=app),
        state_dir=tmp_path / "state",
        rate_limit=6000,
        today=lambda: date(2099, 1, 6),
    ) as conn:
        planned = await conn.plan(schedule_file)
    plan = planned.plan
    (change,) = plan.changes
    intervals = change.after["intervals"]
    assert intervals, change.after
    assert all(i["start"].endswith("Z") for i in intervals)
    # 09:00 Paris in January is 08:00 UTC; nothing before 2099-01-06 is sent
    assert intervals[0]["start"] == "2099-01-06T08:00:00.000Z"
    assert len(plan.facts) == 2
    assert plan.data()["facts"] == list(plan.facts)
    assert "interval_time=utc" in plan.facts[0]

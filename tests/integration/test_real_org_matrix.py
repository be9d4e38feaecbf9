"""The first-real-org scenario under every plausible answer (issue 12 item 6).

Over the sandbox served by uvicorn, once per `--guess` value and once with all
the pessimistic values together: doctor (with the probe) first, then apply;
the second plan is empty; an entry removed from the file is deleted; a
colleague's manual schedule is never touched; the SMS schedules lie past one
page of their list; a schedule that began years ago is applied (on an org that
refuses past starts its body is rendered on the apply day).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from gcsched.api import connect
from gcsched.client import Credentials
from gcsched.sandbox import GUESS_VALUES
from served_sandbox import served_sandbox

CLIENT_ID = "matrix-client"
SECRET = "matrix-secret-not-a-real-one"
SMS = 12  # past one page at listing_page_size=5

# Every value, schedule_name=dropped included: with no name the marker cannot
# say which schedules gcsched owns, and the state store's ownership records do.
LEFT_OUT: set[tuple[str, str]] = set()
PESSIMISTIC = (
    "schedule_name=dropped",
    "listing_page_size=5",
    "empty_page=error",
    "version_conflict=400",
    "token_status=400",
    "interval_time=utc",
    "past_intervals=rejected",
    "ratelimit_headers=on",
)
CASES = [
    *(
        (f"{name}={'5' if value == 'N' else value}",)
        for name, values in GUESS_VALUES.items()
        for value in values
        if (name, value) not in LEFT_OUT
    ),
    PESSIMISTIC,
]


def _seed() -> dict[str, Any]:
    window = {"start": "2099-03-02T09:00:00", "end": "2099-03-02T17:00:00"}
    return {
        "defaultClient": False,
        "clients": [{"id": CLIENT_ID, "secret": SECRET}],
        "contactLists": [{"name": "L", "size": 10}],
        "campaigns": [
            {"name": name, "contactList": "L", "dialingMode": "preview"}
            for name in ("Scratch", "Renewals", "Colleague", "Ongoing")
        ],
        "messagingCampaigns": [
            {"name": "SMS {n}", "count": SMS, "channel": "sms", "contactList": "L"}
        ],
        "schedules": [
            {
                "family": "campaigns",
                "target": "Colleague",
                "name": "Colleague's manual schedule",
                "timeZone": "America/New_York",
                "intervals": [window],
            }
        ],
    }


def _entry(key: str, target: str) -> str:
    return (
        f"  - {key}: {target}\n"
        "    time_zone: Europe/Paris\n"
        '    windows: [{days: [mon, wed], start: "10:00", end: "12:00"}]\n'
        "    from: 2099-01-05\n"
        "    until: 2099-06-30\n"
    )


# Began in 2020: under past_intervals=rejected the recurrence's start is moved
# to the apply day, and the re-plan is still empty.
ONGOING = (
    "  - campaign: Ongoing\n"
    "    time_zone: America/Chicago\n"
    '    windows: [{days: [mon-fri], start: "09:00", end: "17:00"}]\n'
    "    from: 2020-01-06\n"
    "    until: 2099-06-30\n"
)


def _file(sms: int) -> str:
    body = "version: 1\npolicy: {audience_conflicts: warn}\nschedules:\n"
    body += _entry("campaign", "Renewals") + ONGOING
    body += "".join(_entry("messaging_campaign", f"SMS {n}") for n in range(1, sms + 1))
    return body


@pytest.mark.parametrize("guesses", CASES, ids="+".join)
def test_first_run_scenario(tmp_path: Path, guesses: tuple[str, ...]) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(_seed()))
    args = ["--seed", str(seed), "--rate-limit", "0"]
    for guess in guesses:
        args += ["--guess", guess]
    with served_sandbox(*args) as url:
        anyio.run(_scenario, url, tmp_path)


async def _scenario(url: str, tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    schedule_file = tmp_path / "schedules.yaml"

    def session() -> Any:
        return connect(
            api_url=url,
            credentials=Credentials(CLIENT_ID, SECRET),
            state_dir=state_dir,
        )

    async with httpx.AsyncClient(base_url=url) as raw:
        colleague_before = await _colleague(raw, url)
    async with session() as conn:
        report = await conn.doctor(probe="Scratch")
        assert report.ok, [c for c in report.checks if not c.ok]
        schedule_file.write_text(_file(SMS))
        first = await conn.apply(schedule_file, force=True)
        assert first.ok
        assert first.plan.summary()["create"] == SMS + 2
        again = await conn.plan(schedule_file)
        assert not again.plan.has_changes, again.plan.summary()
        # one SMS entry (past page 1 of the list) removed from the file: deleted
        schedule_file.write_text(_file(SMS - 1))
        removed = await conn.apply(schedule_file, force=True)
        assert removed.ok
        deletes = [c for c in removed.plan.changes if c.action == "delete"]
        assert [c.target_name for c in deletes] == [f"SMS {SMS}"]
        assert not (await conn.plan(schedule_file)).plan.has_changes
    async with httpx.AsyncClient(base_url=url) as raw:
        assert await _colleague(raw, url) == colleague_before


async def _colleague(raw: httpx.AsyncClient, url: str) -> Any:
    token = (
        await raw.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(CLIENT_ID, SECRET),
        )
    ).json()["access_token"]
    listing = (
        await raw.get(
            "/api/v2/outbound/schedules/campaigns",
            headers={"Authorization": f"Bearer {token}"},
        )
    ).json()
    return [s for s in listing if s.get("name") == "Colleague's manual schedule"]

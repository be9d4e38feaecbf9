"""Seeds, the demo org, persistence and the serve command's argument errors."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from conftest import BASE, Mint
from gcsched.api import sandbox as api_sandbox
from gcsched.cli.app import app as cli_app
from gcsched.sandbox import (
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    asgi_transport,
    create_app,
    entity_id,
    load_or_seed,
    load_seed,
)

THREE = {
    "org": {"name": "Tiny Org"},
    "clients": [{"id": "ci", "secret": "ci-secret-123", "permissions": None}],
    "contactLists": [{"name": "L1", "size": 10}],
    "callableTimeSets": [
        {
            "name": "Hours",
            "timeZone": "Europe/Paris",
            "slots": [{"days": [1, 2, 3], "start": "09:00", "stop": "17:30:00"}],
        }
    ],
    "campaigns": [
        {
            "name": "A",
            "dialingMode": "predictive",
            "contactList": "L1",
            "callableTimeSet": "Hours",
        },
        {"name": "B", "dialingMode": "preview", "contactList": "L1", "priority": 2},
        {
            "name": "C",
            "dialingMode": "agentless",
            "contactList": "L1",
            "campaignStatus": "on",
        },
    ],
    "sequences": [{"name": "S", "campaigns": ["A", "B"]}],
    "messagingCampaigns": [
        {"name": "M", "channel": "sms", "contactList": "L1", "messagesPerMinute": 5}
    ],
    "schedules": [
        {
            "family": "messagingcampaigns",
            "target": "M",
            "name": "existing",
            "intervals": [
                {"start": "2026-12-01T09:00:00", "end": "2026-12-01T10:00:00"}
            ],
        }
    ],
}


def test_demo_org_matches_the_brief() -> None:
    """The demo org has the agreed names, sizes, modes and one manual schedule."""
    demo = SandboxState.demo()
    campaigns = {c["name"]: c for c in demo.campaigns()}
    assert len(campaigns) == 12
    assert sum(c["dialingMode"] == "predictive" for c in campaigns.values()) == 4
    assert campaigns["Payment Reminders"]["campaignStatus"] == "on"
    assert (
        campaigns["Nurture Calls"]["callableTimeSet"]["name"] == "EMEA Business Hours"
    )
    assert campaigns["Q4 Renewals"]["id"] == entity_id("campaign", "Q4 Renewals")
    assert "queue" not in campaigns["Lapsed Survey"]
    lists = demo.stores["contact_lists"].values()
    assert {c["name"]: c["size"] for c in lists}["Prospects EMEA"] == 95000
    assert len(demo.stores["sequences"]) == 2
    assert len(demo.stores["messaging_campaigns"]) == 3
    manual = demo.schedule("campaigns", entity_id("campaign", "Lapsed Survey"))
    assert manual is not None
    assert manual["name"] == "Manual survey schedule"


def test_seed_with_three_campaigns() -> None:
    """A small seed builds every kind of object, clients included."""
    state = SandboxState.from_seed(THREE)
    assert state.org["name"] == "Tiny Org"
    assert [c["name"] for c in state.campaigns()] == ["A", "B", "C"]
    assert state.check_client("ci", "ci-secret-123") is not None
    assert state.check_client("ci", "wrong") is None
    assert state.check_client("sandbox-client-id", DEFAULT_CLIENT_SECRET) is not None
    hours = state.find("callable_time_sets", "Hours")
    assert hours is not None
    assert hours["callableTimes"][0]["timeSlots"][0] == {
        "startTime": "09:00:00.000",
        "stopTime": "17:30:00.000",
        "day": 1,
    }
    sched = state.schedule("messagingcampaigns", entity_id("messagingCampaign", "M"))
    assert sched is not None
    assert sched["version"] == 1
    assert state.find("campaigns", "nope") is None


@pytest.mark.anyio
async def test_seed_of_600_campaigns_in_one_entry(mint: Mint) -> None:
    """count expands one entry into many campaigns; paging walks them all."""
    seed = {
        "contactLists": [{"name": "Big", "size": 1_000_000}],
        "campaigns": [
            {
                "name": "Bulk {n:04d}",
                "count": 600,
                "dialingMode": "power",
                "contactList": "Big",
            }
        ],
    }
    app = create_app(SandboxState.from_seed(seed), rate_limit=0)
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        c.headers["Authorization"] = f"Bearer {await mint(c)}"
        body = (
            await c.get("/api/v2/outbound/campaigns?pageSize=100&pageNumber=6")
        ).json()
        assert body["total"] == 600
        assert body["pageCount"] == 6
        assert body["entities"][-1]["name"] == "Bulk 0600"


@pytest.mark.parametrize(
    ("seed", "words"),
    [
        ({"bogus": 1}, "unknown keys"),
        ({"org": []}, "org"),
        ({"campaigns": {}}, "must be a list"),
        ({"campaigns": [1]}, "must be an object"),
        (
            {"campaigns": [{"name": "A", "dialingMode": "x", "contactList": "L"}]},
            "dialingMode",
        ),
        (
            {"campaigns": [{"name": "A", "dialingMode": "power", "contactList": "L"}]},
            "matches no contactList",
        ),
        ({"contactLists": [{"name": "L", "size": -1}]}, "size"),
        ({"contactLists": [{"name": "L"}, {"name": "L"}]}, "duplicate"),
        ({"contactLists": [{"name": "L", "colour": 1}]}, "unknown field"),
        ({"contactLists": [{"name": "L {n}", "count": 0}]}, "count"),
        ({"contactLists": [{"name": "L", "count": 2}]}, "{n}"),
        ({"contactLists": [{"name": 3}]}, "name"),
        ({"clients": [{"id": "x"}]}, "secret"),
        ({"clients": [{"secret": "x"}]}, "id"),
        (
            {"clients": [{"id": "x", "secret": "y", "permissions": "all"}]},
            "permissions",
        ),
        ({"clients": [{"id": "x", "secret": "y", "tokenTtl": 0}]}, "tokenTtl"),
        ({"clients": {}}, "must be a list"),
        ({"callableTimeSets": [{"name": "H"}]}, "timeZone"),
        (
            {
                "callableTimeSets": [
                    {
                        "name": "H",
                        "timeZone": "UTC",
                        "slots": [{"days": [8], "start": "1:00", "stop": "2:00"}],
                    }
                ]
            },
            "1-7",
        ),
        (
            {
                "callableTimeSets": [
                    {"name": "H", "timeZone": "UTC", "slots": [{"days": [1]}]}
                ]
            },
            "days, start and stop",
        ),
        (
            {
                "callableTimeSets": [
                    {
                        "name": "H",
                        "timeZone": "UTC",
                        "slots": [{"days": [1], "start": "9", "stop": "10"}],
                    }
                ]
            },
            "HH:MM",
        ),
        ({"callableTimeSets": [{"name": "H", "callableTimes": {}}]}, "callableTimes"),
        (
            {
                "messagingCampaigns": [
                    {"name": "M", "channel": "fax", "contactList": "L"}
                ]
            },
            "channel",
        ),
        (
            {
                "contactLists": [{"name": "L"}],
                "messagingCampaigns": [
                    {
                        "name": "M",
                        "channel": "sms",
                        "contactList": "L",
                        "messagesPerMinute": 0,
                    }
                ],
            },
            "messagesPerMinute",
        ),
        ({"sequences": [{"name": "S", "campaigns": []}]}, "non-empty"),
        ({"schedules": {}}, "must be a list"),
        ({"schedules": [1]}, "must be an object"),
        ({"schedules": [{"family": "x"}]}, "family"),
    ],
)
def test_bad_seeds_say_where(seed: dict[str, object], words: str) -> None:
    """A malformed seed raises ValueError naming the place and the problem."""
    with pytest.raises(ValueError, match="seed: ") as info:
        SandboxState.from_seed(seed)
    assert words in str(info.value)


def test_bad_seed_schedule_and_status() -> None:
    """Seed schedules are validated like PUT bodies; sequence status is checked."""
    base = {
        "contactLists": [{"name": "L"}],
        "campaigns": [{"name": "A", "dialingMode": "power", "contactList": "L"}],
    }
    with pytest.raises(ValueError, match="intervals"):
        SandboxState.from_seed(
            {**base, "schedules": [{"family": "campaigns", "target": "A"}]}
        )
    with pytest.raises(ValueError, match="status"):
        SandboxState.from_seed(
            {**base, "sequences": [{"name": "S", "campaigns": ["A"], "status": "x"}]}
        )
    with pytest.raises(ValueError, match="campaignStatus"):
        SandboxState.from_seed(
            {
                "contactLists": [{"name": "L"}],
                "campaigns": [
                    {
                        "name": "A",
                        "dialingMode": "power",
                        "contactList": "L",
                        "campaignStatus": "x",
                    }
                ],
            }
        )
    sms = {
        **base,
        "messagingCampaigns": [{"name": "M", "channel": "sms", "contactList": "L"}],
    }
    with pytest.raises(ValueError, match="wrong family"):
        SandboxState.from_seed(
            {
                **sms,
                "schedules": [
                    {"family": "emailcampaigns", "target": "M", "intervals": []}
                ],
            }
        )


def test_load_seed(tmp_path: Path) -> None:
    """load_seed reads JSON and explains unreadable, YAML or non-object files."""
    good = tmp_path / "seed.json"
    good.write_text(json.dumps(THREE))
    assert load_seed(good)["org"]["name"] == "Tiny Org"
    with pytest.raises(ValueError, match="cannot read"):
        load_seed(tmp_path / "missing.json")
    yaml = tmp_path / "seed.yaml"
    yaml.write_text("org:\n  name: x\n")
    with pytest.raises(ValueError, match="convert the YAML"):
        load_seed(yaml)
    listy = tmp_path / "list.json"
    listy.write_text("[]")
    with pytest.raises(ValueError, match="JSON object"):
        load_seed(listy)


@pytest.mark.anyio
async def test_save_and_load_keep_only_hashes(tmp_path: Path, mint: Mint) -> None:
    """Saved state reloads, tokens still work, no secret or token is on disk."""
    state = SandboxState.from_seed(THREE)
    app = create_app(state)
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        token = await mint(c, "ci", "ci-secret-123")
        c.headers["Authorization"] = f"Bearer {token}"
        aid = entity_id("campaign", "A")
        await c.put(
            f"/api/v2/outbound/schedules/campaigns/{aid}",
            json={
                "campaign": {"id": aid},
                "intervals": [
                    {"start": "2026-12-01T09:00:00", "end": "2026-12-01T10:00:00"}
                ],
            },
        )
    path = tmp_path / "state" / "sandbox.json"
    state.save(path)
    text = path.read_text()
    for secret in (token, "ci-secret-123", DEFAULT_CLIENT_SECRET):
        assert secret not in text
    loaded = load_or_seed(path)
    assert loaded.schedule("campaigns", aid) == state.schedule("campaigns", aid)
    app2 = create_app(loaded)
    async with httpx.AsyncClient(transport=asgi_transport(app2), base_url=BASE) as c:
        r = await c.get(
            "/api/v2/organizations/me", headers={"Authorization": f"Bearer {token}"}
        )
        assert r.json()["name"] == "Tiny Org"
        assert await mint(c, "ci", "ci-secret-123")


def test_load_rejects_other_files(tmp_path: Path) -> None:
    """SandboxState.load refuses files that are not saved states."""
    bad = tmp_path / "x.json"
    bad.write_text("{}")
    with pytest.raises(ValueError, match="not a sandbox state"):
        SandboxState.load(bad)
    with pytest.raises(ValueError, match="cannot read"):
        SandboxState.load(tmp_path / "none.json")


def test_load_or_seed_fallbacks(tmp_path: Path) -> None:
    """Without a saved state, a seed file or the demo org is served."""
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(THREE))
    assert load_or_seed(tmp_path / "absent.json", seed).org["name"] == "Tiny Org"
    assert load_or_seed().org["name"] == "Acme Outbound (sandbox)"


def test_create_app_rejects_bad_numbers() -> None:
    """Negative limits or a zero TTL are refused."""
    with pytest.raises(ValueError, match="rate_limit"):
        create_app(rate_limit=-1)
    with pytest.raises(ValueError, match="token_ttl"):
        create_app(token_ttl=0)


def test_api_module_reexports_the_sandbox() -> None:
    """gcsched.api.sandbox exposes the same entry points."""
    assert api_sandbox.create_app is create_app
    assert api_sandbox.SandboxState is SandboxState
    assert api_sandbox.DEFAULT_CLIENT_ID == "sandbox-client-id"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--fault", "nope"], "unknown fault kind"),
        (["--seed", "/nonexistent/seed.json"], "cannot read seed"),
        (["--rate-limit", "-1"], "rate_limit"),
        (["--host", "203.0.113.1", "--port", "1"], "cannot listen"),
    ],
)
def test_serve_command_errors(args: list[str], words: str) -> None:
    """Bad serve arguments exit non-zero with a one-line message, no traceback."""
    result = CliRunner().invoke(cli_app, ["sandbox", "serve", *args])
    assert result.exit_code in (1, 2)
    assert words in result.output
    assert "Traceback" not in result.output

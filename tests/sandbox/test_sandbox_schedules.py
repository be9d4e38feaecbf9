"""The five schedule families: shapes, versions, validation, errors."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from gcsched.sandbox import SandboxState, entity_id

pytestmark = pytest.mark.anyio
SCH = "/api/v2/outbound/schedules"

# family path -> (reference field, entity kind, target name)
TARGETS = {
    "campaigns": ("campaign", "campaign", "Q4 Renewals"),
    "sequences": ("sequence", "sequence", "Collections Ladder"),
    "emailcampaigns": ("emailCampaign", "messagingCampaign", "Renewal Emails"),
    "messagingcampaigns": ("messagingCampaign", "messagingCampaign", "Payment SMS"),
    "whatsappcampaigns": ("whatsAppCampaign", "messagingCampaign", "WhatsApp Offers"),
}


def body_for(family: str, **extra: Any) -> tuple[str, dict[str, Any]]:
    ref, kind, name = TARGETS[family]
    oid = entity_id(kind, name)
    body: dict[str, Any] = {
        "name": f"gcsched: {name}",
        "timeZone": "America/Chicago",
        "intervals": [
            {"start": "2026-12-01T09:00:00.000", "end": "2026-12-01T17:00:00.000"}
        ],
        ref: {"id": oid},
    }
    body.update(extra)
    return oid, body


@pytest.mark.parametrize("family", list(TARGETS))
async def test_put_get_list_delete(client: httpx.AsyncClient, family: str) -> None:
    """Each family: PUT creates v1, PUT with version bumps, GET/list/DELETE work."""
    oid, body = body_for(family)
    url = f"{SCH}/{family}/{oid}"
    assert (await client.get(url)).status_code == 404
    created = (await client.put(url, json=body)).json()
    ref = TARGETS[family][0]
    assert created["id"] == oid
    assert created["version"] == 1
    assert created["intervals"] == body["intervals"]
    assert created[ref]["name"] == TARGETS[family][2]
    assert created["selfUri"] == url
    assert created["dateCreated"] == created["dateModified"]
    again = (
        await client.put(url, json={**body, "version": 1, "name": "renamed"})
    ).json()
    assert (again["version"], again["name"]) == (2, "renamed")
    assert (await client.get(url)).json() == again
    listed = (await client.get(f"{SCH}/{family}")).json()
    items = listed if isinstance(listed, list) else listed["entities"]
    assert family in ("campaigns", "sequences") or isinstance(listed, dict)
    assert again in items
    deleted = await client.delete(url)
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert (await client.get(url)).status_code == 404
    second = await client.delete(url)
    assert second.status_code == 404
    assert second.json()["code"] == "not.found"


async def test_campaign_and_sequence_lists_are_bare_arrays(
    client: httpx.AsyncClient,
) -> None:
    """Campaign and sequence schedule lists are arrays; the others listings."""
    campaigns = (await client.get(f"{SCH}/campaigns")).json()
    assert isinstance(campaigns, list)
    assert campaigns[0]["name"] == "Manual survey schedule"
    assert isinstance((await client.get(f"{SCH}/sequences")).json(), list)
    email = (await client.get(f"{SCH}/emailcampaigns")).json()
    assert email["entities"] == []
    assert email["total"] == 0


async def test_existing_manual_schedule(client: httpx.AsyncClient) -> None:
    """The demo org has one schedule not made by gcsched, at version 3."""
    oid = entity_id("campaign", "Lapsed Survey")
    body = (await client.get(f"{SCH}/campaigns/{oid}")).json()
    assert body["version"] == 3
    rec = body["recurrences"][0]
    assert rec["pattern"]["daysOfWeek"] == ["Tuesday", "Thursday"]
    assert (rec["start"], rec["end"]) == ("2026-12-01T10:00:00", "2026-12-01T16:00:00")


@pytest.mark.parametrize("version", [None, 2, 4])
async def test_missing_or_stale_version_is_409(
    client: httpx.AsyncClient, version: int | None
) -> None:
    """On an existing schedule a missing or stale version is 409 general.conflict."""
    oid = entity_id("campaign", "Lapsed Survey")
    current = (await client.get(f"{SCH}/campaigns/{oid}")).json()
    body = copy.deepcopy(current)
    if version is None:
        del body["version"]
    else:
        body["version"] = version
    r = await client.put(f"{SCH}/campaigns/{oid}", json=body)
    assert r.status_code == 409
    err = r.json()
    assert err["code"] == "general.conflict"
    assert err["message"] == "Version does not match current version."
    assert err["contextId"] == r.headers["ININ-Correlation-Id"]
    ok = await client.put(f"{SCH}/campaigns/{oid}", json=current)
    assert ok.json()["version"] == 4


async def test_round_trip_of_a_get_is_accepted(client: httpx.AsyncClient) -> None:
    """A GET body PUT back (read-only fields included) is accepted."""
    oid = entity_id("campaign", "Lapsed Survey")
    current = (await client.get(f"{SCH}/campaigns/{oid}")).json()
    r = await client.put(f"{SCH}/campaigns/{oid}", json=current)
    assert r.status_code == 200
    assert r.json()["recurrences"] == current["recurrences"]


async def test_times_are_echoed_verbatim(client: httpx.AsyncClient) -> None:
    """With or without Z and milliseconds, interval strings come back as sent."""
    intervals = [
        {"start": "2026-12-01T09:00:00Z", "end": "2026-12-01T10:00:00Z"},
        {"start": "2026-12-02T09:00:00", "end": "2026-12-02T10:00:00.5"},
    ]
    oid, body = body_for("campaigns", intervals=intervals)
    r = await client.put(f"{SCH}/campaigns/{oid}", json=body)
    assert r.json()["intervals"] == intervals


async def test_recurrence_gets_an_id(client: httpx.AsyncClient) -> None:
    """A recurrence without id gets a server id; nextOccurrenceDetails is dropped."""
    rec = {
        "start": "2026-12-01T09:00:00",
        "end": "2026-12-01T12:00:00",
        "pattern": {"type": "Daily", "interval": 1},
        "range": {"type": "Numbered", "numberOfOccurrences": 5},
        "nextOccurrenceDetails": {},
        "alterations": [
            {
                "type": "Exclusion",
                "start": "2026-12-03T00:00:00",
                "end": "2026-12-04T00:00:00",
            }
        ],
    }
    oid, body = body_for("campaigns", intervals=[], recurrences=[rec])
    out = (await client.put(f"{SCH}/campaigns/{oid}", json=body)).json()
    assert out["recurrences"][0]["id"]
    assert "nextOccurrenceDetails" not in out["recurrences"][0]


WEEKLY = {
    "start": "2026-12-01T09:00:00",
    "end": "2026-12-01T12:00:00",
    "pattern": {"type": "Weekly", "interval": 1, "daysOfWeek": ["Monday"]},
    "range": {"type": "EndDate", "end": "2027-01-01T00:00:00"},
}


def _rec(**change: Any) -> list[dict[str, Any]]:
    rec = copy.deepcopy(WEEKLY)
    for key, value in change.items():
        if value is None:
            rec.pop(key, None)
        else:
            rec[key] = value
    return [rec]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"intervals": None}, "constraint.validation", "intervals"),
        ({"intervals": []}, "constraint.validation", "intervals"),
        ({"intervals": [], "recurrences": []}, "constraint.validation", "intervals"),
        ({"timeZone": "Mars/Olympus"}, "invalid.value", "timeZone"),
        ({"timeZone": ""}, "invalid.value", "timeZone"),
        (
            {
                "intervals": [
                    {"start": "2026-12-01T10:00:00", "end": "2026-12-01T09:00:00"}
                ]
            },
            "constraint.validation",
            "intervals[0].end",
        ),
        (
            {
                "intervals": [
                    {"start": "2026-12-01 10:00", "end": "2026-12-01T11:00:00"}
                ]
            },
            "invalid.date",
            "intervals[0].start",
        ),
        (
            {
                "intervals": [
                    {"start": "2026-13-01T10:00:00", "end": "2026-12-01T11:00:00"}
                ]
            },
            "invalid.date",
            "intervals[0].start",
        ),
        (
            {"intervals": [{"end": "2026-12-01T11:00:00"}]},
            "constraint.validation",
            "intervals[0].start",
        ),
        ({"intervals": "soon"}, "bad.request", "intervals"),
        ({"intervals": [3]}, "bad.request", "intervals[0]"),
        ({"colour": "blue"}, "invalid.property", "colour"),
        ({"campaign": None}, "constraint.validation", "campaign"),
        ({"campaign": {"id": "other"}}, "invalid.value", "campaign.id"),
        ({"version": "3"}, "invalid.value", "version"),
        ({"name": 5}, "invalid.value", "name"),
        (
            {"recurrences": _rec(pattern={"type": "Monthly", "interval": 1})},
            "invalid.value",
            "recurrences[0].pattern.type",
        ),
        (
            {"recurrences": _rec(pattern=None)},
            "constraint.validation",
            "recurrences[0].pattern",
        ),
        (
            {"recurrences": _rec(range=None)},
            "constraint.validation",
            "recurrences[0].range",
        ),
        (
            {"recurrences": _rec(start=None)},
            "constraint.validation",
            "recurrences[0].start",
        ),
        (
            {"recurrences": _rec(end="2026-12-02T12:00:01")},
            "constraint.validation",
            "recurrences[0].end",
        ),
        (
            {"recurrences": _rec(range={"type": "Forever"})},
            "invalid.value",
            "recurrences[0].range.type",
        ),
        (
            {"recurrences": _rec(range={"type": "EndDate", "end": "soon"})},
            "invalid.date",
            "recurrences[0].range.end",
        ),
        (
            {"recurrences": _rec(range={"type": "Numbered"})},
            "constraint.validation",
            "recurrences[0].range.numberOfOccurrences",
        ),
        (
            {"recurrences": _rec(range={})},
            "constraint.validation",
            "recurrences[0].range.type",
        ),
        (
            {
                "recurrences": _rec(
                    pattern={"type": "Weekly", "interval": 1, "daysOfWeek": ["Funday"]}
                )
            },
            "invalid.value",
            "recurrences[0].pattern.daysOfWeek[0]",
        ),
        (
            {"recurrences": _rec(pattern={"type": "Weekly", "interval": 1})},
            "constraint.validation",
            "recurrences[0].pattern.daysOfWeek",
        ),
        (
            {
                "recurrences": _rec(
                    pattern={"type": "Weekly", "interval": 1, "daysOfWeek": "Monday"}
                )
            },
            "bad.request",
            "recurrences[0].pattern.daysOfWeek",
        ),
        (
            {"recurrences": _rec(pattern={"interval": 1})},
            "constraint.validation",
            "recurrences[0].pattern.type",
        ),
        (
            {"recurrences": _rec(pattern={"type": "Daily", "interval": 0})},
            "invalid.value",
            "recurrences[0].pattern.interval",
        ),
        (
            {"recurrences": _rec(pattern={"type": "Daily"})},
            "constraint.validation",
            "recurrences[0].pattern.interval",
        ),
        (
            {"recurrences": _rec(timeZone="Nowhere/Land")},
            "invalid.value",
            "recurrences[0].timeZone",
        ),
        (
            {
                "recurrences": _rec(
                    alterations=[
                        {
                            "type": "Maybe",
                            "start": "2026-12-01T00:00:00",
                            "end": "2026-12-02T00:00:00",
                        }
                    ]
                )
            },
            "invalid.value",
            "recurrences[0].alterations[0].type",
        ),
        (
            {
                "recurrences": _rec(
                    alterations=[
                        {"start": "2026-12-01T00:00:00", "end": "2026-12-02T00:00:00"}
                    ]
                )
            },
            "constraint.validation",
            "recurrences[0].alterations[0].type",
        ),
        (
            {
                "recurrences": _rec(
                    alterations=[
                        {
                            "type": "Exclusion",
                            "start": "x",
                            "end": "2026-12-02T00:00:00",
                        }
                    ]
                )
            },
            "invalid.date",
            "recurrences[0].alterations[0].start",
        ),
        (
            {"recurrences": _rec(alterations="none")},
            "bad.request",
            "recurrences[0].alterations",
        ),
        ({"recurrences": _rec(extra=1)}, "invalid.property", "recurrences[0].extra"),
    ],
)
async def test_validation_names_the_field(
    client: httpx.AsyncClient, change: dict[str, Any], code: str, field: str
) -> None:
    """A bad schedule body is 400 with code, message and details naming the field."""
    oid, body = body_for("campaigns")
    for key, value in change.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    if "recurrences" in change and "intervals" not in change:
        body["intervals"] = []
    r = await client.put(f"{SCH}/campaigns/{oid}", json=body)
    assert r.status_code == 400, r.text
    err = r.json()
    assert err["code"] == code
    assert err["message"]
    assert field in [d["fieldName"] for d in err["details"]]


async def test_body_that_is_not_an_object(client: httpx.AsyncClient) -> None:
    """A JSON array or garbage is 400 bad.request."""
    oid, _ = body_for("campaigns")
    assert (await client.put(f"{SCH}/campaigns/{oid}", json=[])).json()[
        "code"
    ] == "bad.request"
    r = await client.put(f"{SCH}/campaigns/{oid}", content=b"\xff")
    assert r.status_code == 400


async def test_unknown_target_is_404(client: httpx.AsyncClient) -> None:
    """A schedule for an object that does not exist is 404 not.found."""
    r = await client.put(
        f"{SCH}/campaigns/nope", json={"campaign": {"id": "nope"}, "intervals": []}
    )
    assert r.status_code == 404
    assert r.json()["code"] == "not.found"


async def test_family_must_match_channel(client: httpx.AsyncClient) -> None:
    """An SMS campaign cannot get an email schedule."""
    sms = entity_id("messagingCampaign", "Payment SMS")
    _, body = body_for("campaigns")
    del body["campaign"]
    body["emailCampaign"] = {"id": sms}
    r = await client.put(f"{SCH}/emailcampaigns/{sms}", json=body)
    assert r.status_code == 400
    assert r.json()["details"][0]["fieldName"] == "emailCampaign"


async def test_edit_behind_back_makes_put_stale(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    """A colleague's edit bumps the version, so the client's next PUT is 409."""
    oid, body = body_for("campaigns")
    url = f"{SCH}/campaigns/{oid}"
    created = (await client.put(url, json=body)).json()
    edited = state.edit_behind_back("campaigns", oid, {"name": "colleague"})
    assert edited["version"] == 2
    assert state.schedule("campaigns", oid) == edited
    r = await client.put(url, json={**body, "version": created["version"]})
    assert r.status_code == 409
    assert state.schedule("campaigns", "missing") is None

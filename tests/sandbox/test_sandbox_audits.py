"""The sandbox's platform audit API: every change audited, queried three ways."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import BASE, FakeClock, Mint
from gcsched.sandbox import SandboxState, asgi_transport, create_app, entity_id
from gcsched.sandbox.audit_trail import ACT_AS_USER_HEADER, user_id
from gcsched.sandbox.state import COLLEAGUE

pytestmark = pytest.mark.anyio
QUERY = "/api/v2/audits/query"
SCHEDULES = "/api/v2/outbound/schedules/campaigns/"


def _window(clock: FakeClock, days: float = 1) -> str:
    now = datetime.fromtimestamp(clock.now, tz=UTC)
    start = now - timedelta(days=days)
    end = now + timedelta(minutes=1)
    return f"{start:%Y-%m-%dT%H:%M:%S}Z/{end:%Y-%m-%dT%H:%M:%S}Z"


def _body(oid: str, start: str = "09:00", version: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "campaign": {"id": oid},
        "timeZone": "Europe/Paris",
        "intervals": [
            {"start": f"2027-02-01T{start}:00", "end": "2027-02-01T17:00:00"}
        ],
    }
    if version is not None:
        body["version"] = version
    return body


async def _realtime(
    client: httpx.AsyncClient, clock: FakeClock, **extra: Any
) -> dict[str, Any]:
    body = {"interval": _window(clock), "serviceName": "Outbound", **extra}
    r = await client.post(f"{QUERY}/realtime", json=body, params={"expand": "user"})
    assert r.status_code == 200, r.text
    found: dict[str, Any] = r.json()
    return found


async def test_a_put_by_the_client_and_one_as_a_user_are_both_audited(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    oid = entity_id("campaign", "Win-back")
    assert (await client.put(SCHEDULES + oid, json=_body(oid))).status_code == 200
    clock.advance(60)
    r = await client.put(
        SCHEDULES + oid,
        json=_body(oid, "10:00", version=1),
        headers={ACT_AS_USER_HEADER: "Jane Admin"},
    )
    assert r.status_code == 200, r.text
    clock.advance(60)
    assert (await client.delete(SCHEDULES + oid)).status_code == 204
    found = await _realtime(
        client,
        clock,
        filters=[
            {"property": "EntityType", "value": "CampaignSchedule"},
            {"property": "EntityId", "value": oid},
        ],
    )
    entries = found["entities"]
    assert [e["action"] for e in entries] == ["Create", "Update", "Delete"]
    create, update, delete = entries
    assert create["client"]["id"] == "sandbox-client-id"
    assert "user" not in create
    assert update["client"]["id"] == ""  # a UI action: no client id
    assert update["user"] == {
        "id": user_id("Jane Admin"),
        "name": "Jane Admin",
        "selfUri": f"/api/v2/users/{user_id('Jane Admin')}",
    }
    assert update["entity"] == {"id": oid, "name": "Win-back"}
    changes = {c["property"]: c for c in update["propertyChanges"]}
    assert set(changes) == {"intervals"}
    assert "09:00" in changes["intervals"]["oldValues"][0]
    assert "10:00" in changes["intervals"]["newValues"][0]
    assert delete["propertyChanges"][0]["newValues"] == []
    assert (found["total"], found["pageCount"], found["pageNumber"]) == (3, 1, 1)
    # filtered by user: only hers
    by_user = await _realtime(
        client, clock, filters=[{"property": "UserId", "value": user_id("Jane Admin")}]
    )
    assert [e["action"] for e in by_user["entities"]] == ["Update"]


async def test_campaign_writes_are_audited_and_edit_behind_back_names_a_user(
    client: httpx.AsyncClient, clock: FakeClock, state: SandboxState
) -> None:
    cid = entity_id("campaign", "Q4 Renewals")
    patch = await client.patch(
        f"/api/v2/outbound/campaigns/{cid}", json={"outboundLineCount": 7}
    )
    assert patch.status_code == 204
    current = (await client.get(f"/api/v2/outbound/campaigns/{cid}")).json()
    put = await client.put(
        f"/api/v2/outbound/campaigns/{cid}", json={**current, "priority": 2}
    )
    assert put.status_code == 200, put.text
    sms = entity_id("messagingCampaign", "Payment SMS")
    body = (await client.get(f"/api/v2/outbound/messagingcampaigns/{sms}")).json()
    r = await client.put(
        f"/api/v2/outbound/messagingcampaigns/{sms}",
        json={**body, "messagesPerMinute": 40},
    )
    assert r.status_code == 200, r.text
    new = {
        "name": "Audited",
        "contactList": {"id": entity_id("contactList", "Retail Renewals")},
        "dialingMode": "power",
        "phoneColumns": [{"columnName": "Phone", "type": "cell"}],
        "callerName": "Acme",
        "callerAddress": "+13175550100",
        "abandonRate": 3.0,
    }
    posted = await client.post("/api/v2/outbound/campaigns", json=new)
    assert posted.status_code == 200, posted.text
    survey = entity_id("campaign", "Lapsed Survey")
    state.edit_behind_back("campaigns", survey, {"timeZone": "Europe/Oslo"})
    found = await _realtime(client, clock)
    kinds = [(e["entityType"], e["action"]) for e in found["entities"]]
    assert kinds == [
        ("Campaign", "Update"),
        ("Campaign", "Update"),
        ("MessagingCampaign", "Update"),
        ("Campaign", "Create"),
        ("CampaignSchedule", "Update"),
    ]
    assert found["entities"][0]["propertyChanges"] == [
        {"property": "outboundLineCount", "oldValues": ["60"], "newValues": ["7"]}
    ]
    assert found["entities"][-1]["user"]["name"] == COLLEAGUE


async def test_async_query_goes_queued_running_succeeded_and_pages_by_cursor(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    oid = entity_id("campaign", "Win-back")
    for version in (None, 1, 2, 3, 4):
        body = _body(oid, f"0{(version or 0) + 1}:00", version=version)
        assert (await client.put(SCHEDULES + oid, json=body)).status_code == 200
    r = await client.post(
        QUERY,
        json={
            "interval": _window(clock),
            "serviceName": "Outbound",
            "filters": [{"property": "EntityId", "value": oid}],
            "sort": [{"name": "Timestamp", "sortOrder": "descending"}],
        },
    )
    assert r.status_code == 200, r.text
    status = r.json()
    assert status["state"] == "Queued"
    tid = status["id"]
    early = await client.get(f"{QUERY}/{tid}/results")
    assert early.status_code == 400
    assert "Queued" in early.json()["message"]
    states = [(await client.get(f"{QUERY}/{tid}")).json()["state"] for _ in range(3)]
    assert states == ["Running", "Succeeded", "Succeeded"]
    pages: list[dict[str, Any]] = []
    params: dict[str, str] = {"pageSize": "2", "expand": "user"}
    while True:
        page = (await client.get(f"{QUERY}/{tid}/results", params=params)).json()
        pages.append(page)
        if "cursor" not in page:
            break
        params["cursor"] = page["cursor"]
    assert [len(p["entities"]) for p in pages] == [2, 2, 1]
    actions = [e["action"] for p in pages for e in p["entities"]]
    assert actions == ["Update"] * 4 + ["Create"]  # newest first
    assert all(p["id"] == tid for p in pages)


async def test_the_trail_survives_save_and_load(
    client: httpx.AsyncClient, state: SandboxState, tmp_path: Path
) -> None:
    oid = entity_id("campaign", "Win-back")
    assert (await client.put(SCHEDULES + oid, json=_body(oid))).status_code == 200
    state.save(tmp_path / "state.json")
    again = SandboxState.load(tmp_path / "state.json")
    assert again.audit_trail.entries == state.audit_trail.entries
    assert len(again.audit_trail.entries) == 1


async def test_user_names_need_expand_and_unknown_queries_are_404(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    oid = entity_id("campaign", "Win-back")
    r = await client.put(
        SCHEDULES + oid, json=_body(oid), headers={ACT_AS_USER_HEADER: "Jane Admin"}
    )
    assert r.status_code == 200
    plain = await client.post(f"{QUERY}/realtime", json={"interval": _window(clock)})
    assert plain.json()["entities"][0]["user"] == {
        "id": user_id("Jane Admin"),
        "selfUri": f"/api/v2/users/{user_id('Jane Admin')}",
    }
    tid = (await client.post(QUERY, json={"interval": _window(clock)})).json()["id"]
    assert (await client.get(f"{QUERY}/nope")).status_code == 404
    assert (await client.get(f"{QUERY}/{tid}")).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "interval"),
        ({"interval": "yesterday"}, "interval"),
        ({"interval": "2027-01-02T00:00:00Z/2027-01-01T00:00:00Z"}, "interval"),
        ({"interval": "2027-01-0xT00:00:00Z/2027-01-01T00:00:00Z"}, "interval"),
        ({"interval": "2026-01-01T00:00:00Z/2027-01-01T00:00:00Z"}, "interval"),
        ({"interval": "W", "nope": 1}, "nope"),
        ({"interval": "W", "serviceName": 3}, "serviceName"),
        (
            {"interval": "W", "filters": [{"property": "Colour", "value": "x"}]},
            "filters",
        ),
        ({"interval": "W", "sort": [{"name": "Size"}]}, "sort"),
        ({"interval": "W", "pageSize": 501}, "pageSize"),
        ({"interval": "W", "pageNumber": 0}, "pageNumber"),
    ],
)
async def test_bad_realtime_queries_name_the_field(
    client: httpx.AsyncClient, clock: FakeClock, body: dict[str, Any], field: str
) -> None:
    if body.get("interval") == "W":
        body = {**body, "interval": _window(clock)}
    r = await client.post(f"{QUERY}/realtime", json=body)
    assert r.status_code == 400, r.text
    assert r.json()["details"][0]["fieldName"] == field


async def test_bad_cursor_and_non_object_body(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    assert (await client.post(QUERY, json=[1])).status_code == 400
    tid = (await client.post(QUERY, json={"interval": _window(clock)})).json()["id"]
    for _ in range(2):
        await client.get(f"{QUERY}/{tid}")
    for cursor in ("!!", "b2Zmc2V0Oi0x", "bm9wZTox"):  # junk, offset:-1, nope:1
        r = await client.get(f"{QUERY}/{tid}/results", params={"cursor": cursor})
        assert r.status_code == 400, cursor
    r = await client.get(f"{QUERY}/{tid}/results", params={"pageSize": "x"})
    assert r.json()["details"][0]["fieldName"] == "pageSize"


async def test_audits_need_audits_audit_view_and_queries_are_per_client(
    clock: FakeClock, mint: Mint
) -> None:
    seed = {
        "defaultClient": False,
        "clients": [
            {"id": "viewer", "secret": "s3", "permissions": ["outbound:campaign:view"]},
            {"id": "auditor", "secret": "s4"},
            {"id": "other", "secret": "s5"},
        ],
    }
    state = SandboxState.from_seed(seed)
    state.clock = clock
    app = create_app(state)
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        viewer = {"Authorization": f"Bearer {await mint(c, 'viewer', 's3')}"}
        auditor = {"Authorization": f"Bearer {await mint(c, 'auditor', 's4')}"}
        other = {"Authorization": f"Bearer {await mint(c, 'other', 's5')}"}
        body = {"interval": _window(clock)}
        r = await c.post(f"{QUERY}/realtime", json=body, headers=viewer)
        assert r.status_code == 403
        assert "audits:audit:view" in r.json()["message"]
        tid = (await c.post(QUERY, json=body, headers=auditor)).json()["id"]
        assert (await c.get(f"{QUERY}/{tid}", headers=auditor)).status_code == 200
        assert (await c.get(f"{QUERY}/{tid}", headers=other)).status_code == 404


async def test_service_mapping_names_the_audited_entity_types(
    client: httpx.AsyncClient,
) -> None:
    r = await client.get(f"{QUERY}/servicemapping")
    assert r.status_code == 200
    (service,) = r.json()["services"]
    assert service["name"] == "Outbound"
    names = {e["name"] for e in service["entities"]}
    assert {"Campaign", "CampaignSchedule", "WhatsAppCampaignSchedule"} <= names


async def test_the_editor_faults_colleague_is_audited(
    clock: FakeClock, mint: Mint
) -> None:
    state = SandboxState.demo()
    state.clock = clock
    app = create_app(state, faults=["editor:rate=1"])
    oid = entity_id("campaign", "Lapsed Survey")  # scheduled in the demo org
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        c.headers["Authorization"] = f"Bearer {await mint(c)}"
        current = (await c.get(SCHEDULES + oid)).json()
        r = await c.put(SCHEDULES + oid, json=current)
        assert r.status_code == 409
        found = await _realtime(c, clock)
    (entry,) = found["entities"]
    assert entry["user"]["name"] == COLLEAGUE
    assert entry["action"] == "Update"
    assert entry["propertyChanges"] == []

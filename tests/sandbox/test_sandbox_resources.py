"""Org, campaigns, contact lists, callable time sets, messaging campaigns, sequences."""

from __future__ import annotations

import httpx
import pytest

from gcsched.sandbox import SandboxState, entity_id

pytestmark = pytest.mark.anyio
OUT = "/api/v2/outbound"


async def test_org_me(client: httpx.AsyncClient) -> None:
    """organizations/me names the demo org with its fixed id."""
    r = await client.get("/api/v2/organizations/me")
    assert r.status_code == 200
    assert r.json()["name"] == "Acme Outbound (sandbox)"
    assert r.json()["id"] == "8a3c7f42-5d1e-4b6a-9c0f-2e7d4a1b6c93"


async def test_platform_limits(client: httpx.AsyncClient) -> None:
    """The limits namespace reports the effective per-token limit."""
    r = await client.get("/api/v2/organizations/limits/namespaces/platform.api")
    values = {e["key"]: e["value"] for e in r.json()["entities"]}
    assert values["token.rate.per.minute"] == 300
    other = await client.get("/api/v2/organizations/limits/namespaces/outbound")
    assert other.json() == {"entities": []}


async def test_campaign_paging(client: httpx.AsyncClient) -> None:
    """pageSize/pageNumber page the 12 demo campaigns with total, pageCount, nextUri."""
    names: list[str] = []
    uri: str | None = f"{OUT}/campaigns?pageSize=5&pageNumber=1"
    pages = 0
    while uri:
        body = (await client.get(uri)).json()
        assert body["total"] == 12
        assert body["pageCount"] == 3
        names += [c["name"] for c in body["entities"]]
        uri = body.get("nextUri")
        pages += 1
    assert pages == 3
    assert len(names) == 12
    assert names == sorted(names, key=str.casefold)
    last = (await client.get(f"{OUT}/campaigns?pageSize=5&pageNumber=3")).json()
    assert "nextUri" not in last
    assert last["previousUri"].endswith("pageNumber=2")


@pytest.mark.parametrize("query", ["pageSize=0", "pageNumber=0", "pageSize=x"])
async def test_bad_paging_is_400(client: httpx.AsyncClient, query: str) -> None:
    """pageSize or pageNumber below 1, or not a number: 400."""
    r = await client.get(f"{OUT}/campaigns?{query}")
    assert r.status_code == 400
    assert r.json()["code"] == "invalid.query.param.value"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("name=Collections", ["Collections 30", "Collections 60"]),
        ("name=q4%20renewals&filterType=Prefix", ["Q4 Renewals"]),
        ("name=Callbacks&filterType=Contains", ["EMEA Callbacks"]),
        ("name=Win-back&filterType=Equals", ["Win-back"]),
        ("name=%5EEMEA&filterType=RegEx", ["EMEA Callbacks", "EMEA Prospecting"]),
    ],
)
async def test_campaign_name_filter(
    client: httpx.AsyncClient, query: str, expected: list[str]
) -> None:
    """The name filter follows filterType (default Prefix)."""
    body = (await client.get(f"{OUT}/campaigns?{query}")).json()
    assert [c["name"] for c in body["entities"]] == expected


async def test_bad_filter_type(client: httpx.AsyncClient) -> None:
    """An unknown filterType or a bad regex is a 400."""
    assert (
        await client.get(f"{OUT}/campaigns?name=a&filterType=Fuzzy")
    ).status_code == 400
    assert (
        await client.get(f"{OUT}/campaigns?name=(&filterType=RegEx")
    ).status_code == 400


async def test_campaign_get_and_404(client: httpx.AsyncClient) -> None:
    """GET one campaign by its deterministic id; unknown ids are 404 not.found."""
    cid = entity_id("campaign", "Q4 Renewals")
    body = (await client.get(f"{OUT}/campaigns/{cid}")).json()
    assert body["dialingMode"] == "predictive"
    assert body["contactList"]["name"] == "Retail Renewals"
    assert body["callableTimeSet"]["name"] == "US Business Hours"
    r = await client.get(f"{OUT}/campaigns/nope")
    assert r.status_code == 404
    assert r.json()["code"] == "not.found"


async def test_campaign_filters_by_id_and_contact_list(
    client: httpx.AsyncClient,
) -> None:
    """id and contactListId narrow the list."""
    ids = [entity_id("campaign", "Q4 Renewals"), entity_id("campaign", "Win-back")]
    body = (await client.get(f"{OUT}/campaigns?id={','.join(ids)}")).json()
    assert body["total"] == 2
    lapsed = entity_id("contactList", "Lapsed Customers")
    body = (await client.get(f"{OUT}/campaigns?contactListId={lapsed}")).json()
    assert {c["name"] for c in body["entities"]} == {
        "Win-back",
        "Lapsed Survey",
        "Holiday Offers",
    }


def _new_campaign(contact_list_id: str) -> dict[str, object]:
    return {
        "name": "New Campaign",
        "contactList": {"id": contact_list_id},
        "dialingMode": "power",
        "phoneColumns": [{"columnName": "Phone", "type": "cell"}],
        "callerName": "Acme",
        "callerAddress": "+13175550100",
        "abandonRate": 3.0,
    }


async def test_campaign_post_put_patch(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    """POST creates version 1, PUT needs the version, PATCH changes pacing."""
    body = _new_campaign(entity_id("contactList", "Retail Renewals"))
    created = (await client.post(f"{OUT}/campaigns", json=body)).json()
    assert created["version"] == 1
    assert created["contactList"]["name"] == "Retail Renewals"
    assert (await client.post(f"{OUT}/campaigns", json=body)).status_code == 400
    url = f"{OUT}/campaigns/{created['id']}"
    stale = await client.put(url, json={**created, "version": 7})
    assert stale.status_code == 409
    assert stale.json()["code"] == "general.conflict"
    updated = (await client.put(url, json={**created, "priority": 2})).json()
    assert (updated["version"], updated["priority"]) == (2, 2)
    r = await client.patch(url, json={"abandonRate": 4.5, "outboundLineCount": 12})
    assert r.status_code == 204
    assert r.content == b""
    after = (await client.get(url)).json()
    assert (after["abandonRate"], after["outboundLineCount"], after["version"]) == (
        4.5,
        12,
        3,
    )
    assert any(c["name"] == "New Campaign" for c in state.campaigns())


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"bogus": 1}, "invalid.property"),
        ({"name": None}, "constraint.validation"),
        ({"dialingMode": "telepathic"}, "invalid.value"),
        ({"campaignStatus": "maybe"}, "invalid.value"),
        ({"contactList": {"id": "nope"}}, "invalid.value"),
        ({"callableTimeSet": {"id": "nope"}}, "invalid.value"),
    ],
)
async def test_campaign_post_validation(
    client: httpx.AsyncClient, change: dict[str, object], code: str
) -> None:
    """A bad Campaign body is a 400 naming the field."""
    body = {**_new_campaign(entity_id("contactList", "Retail Renewals")), **change}
    r = await client.post(f"{OUT}/campaigns", json=body)
    assert r.status_code == 400
    assert r.json()["code"] == code
    assert r.json()["details"]


@pytest.mark.parametrize(
    "patch",
    [
        {"abandonRate": 101},
        {"outboundLineCount": -1},
        {"maxCallsPerAgent": 0},
        {"queue": "x"},
        {"dynamicLineBalancingSettings": 3},
        {"priority": 1},
    ],
)
async def test_campaign_patch_validation(
    client: httpx.AsyncClient, patch: dict[str, object]
) -> None:
    """PATCH accepts only valid pacing fields."""
    url = f"{OUT}/campaigns/{entity_id('campaign', 'Win-back')}"
    assert (await client.patch(url, json=patch)).status_code == 400


async def test_bad_json_is_bad_request(client: httpx.AsyncClient) -> None:
    """A body that is not JSON is 400 bad.request."""
    r = await client.post(f"{OUT}/campaigns", content=b"{nope")
    assert r.status_code == 400
    assert r.json()["code"] == "bad.request"
    assert (await client.post(f"{OUT}/campaigns", json=[1])).status_code == 400
    assert (await client.patch(f"{OUT}/campaigns/x", json=[1])).status_code == 400


async def test_contact_list_size_only_on_request(client: httpx.AsyncClient) -> None:
    """size appears only with includeSize=true."""
    plain = (await client.get(f"{OUT}/contactlists")).json()
    assert all("size" not in c for c in plain["entities"])
    sized = (await client.get(f"{OUT}/contactlists?includeSize=true")).json()
    sizes = {c["name"]: c["size"] for c in sized["entities"]}
    assert sizes == {
        "Retail Renewals": 48000,
        "Lapsed Customers": 12500,
        "Collections Early": 6200,
        "Prospects EMEA": 95000,
    }
    one = entity_id("contactList", "Prospects EMEA")
    assert (await client.get(f"{OUT}/contactlists/{one}?includeSize=true")).json()[
        "size"
    ] == 95000
    assert "size" not in (await client.get(f"{OUT}/contactlists/{one}")).json()


async def test_contact_list_post(client: httpx.AsyncClient) -> None:
    """POST creates an empty contact list; names are unique."""
    body = {
        "name": "Fresh",
        "columnNames": ["Phone"],
        "phoneColumns": [{"columnName": "Phone", "type": "cell"}],
    }
    created = await client.post(f"{OUT}/contactlists", json=body)
    assert created.status_code == 200
    got = await client.get(
        f"{OUT}/contactlists/{created.json()['id']}?includeSize=true"
    )
    assert got.json()["size"] == 0
    assert (await client.post(f"{OUT}/contactlists", json=body)).status_code == 400
    assert (
        await client.post(f"{OUT}/contactlists", json={"name": "x"})
    ).status_code == 400
    assert (
        await client.post(f"{OUT}/contactlists", json={"columnNames": ["a"]})
    ).status_code == 400
    assert (await client.post(f"{OUT}/contactlists", json=[])).status_code == 400


async def test_callable_time_sets(client: httpx.AsyncClient) -> None:
    """The two callable time sets carry their zones and slots (day 1 = Monday)."""
    body = (await client.get(f"{OUT}/callabletimesets")).json()
    assert body["total"] == 2
    us = entity_id("callableTimeSet", "US Business Hours")
    one = (await client.get(f"{OUT}/callabletimesets/{us}")).json()
    times = one["callableTimes"][0]
    assert times["timeZoneId"] == "America/Chicago"
    assert {"startTime": "09:00:00.000", "stopTime": "18:00:00.000", "day": 6} in times[
        "timeSlots"
    ]
    assert len(times["timeSlots"]) == 6


async def test_messaging_campaigns(client: httpx.AsyncClient) -> None:
    """Email, SMS and WhatsApp campaigns, filterable by type."""
    body = (await client.get(f"{OUT}/messagingcampaigns")).json()
    assert body["total"] == 3
    sms = (await client.get(f"{OUT}/messagingcampaigns?type=SMS")).json()
    assert [c["name"] for c in sms["entities"]] == ["Payment SMS"]
    assert sms["entities"][0]["messagesPerMinute"] == 60
    wid = entity_id("messagingCampaign", "WhatsApp Offers")
    one = (await client.get(f"{OUT}/messagingcampaigns/{wid}")).json()
    assert "whatsAppConfig" in one


async def test_sequences(client: httpx.AsyncClient) -> None:
    """Sequences list their campaigns in order."""
    body = (await client.get(f"{OUT}/sequences")).json()
    assert [s["name"] for s in body["entities"]] == [
        "Collections Ladder",
        "EMEA Sequence",
    ]
    sid = entity_id("sequence", "Collections Ladder")
    one = (await client.get(f"{OUT}/sequences/{sid}")).json()
    assert [c["name"] for c in one["campaigns"]] == ["Collections 30", "Collections 60"]


async def test_unknown_route_and_method(client: httpx.AsyncClient) -> None:
    """Unknown paths are 404 ErrorBody; wrong methods 405."""
    r = await client.get("/api/v2/outbound/segments/1")
    assert r.status_code == 404
    assert r.json()["code"] == "not.found"
    assert (await client.delete(f"{OUT}/campaigns")).status_code == 405

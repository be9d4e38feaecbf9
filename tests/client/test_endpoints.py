"""Endpoints: paths, paging, shapes of the five schedule families."""

from __future__ import annotations

import json

import httpx
import pytest

from gcsched.client import FAMILIES

from .fakes import FakeApi, make_client

CAMPAIGNS = ("GET", "/api/v2/outbound/campaigns")


def paged(items: list[dict[str, str]], *, with_page_count: bool = True):  # type: ignore[no-untyped-def]
    def handler(request: httpx.Request) -> httpx.Response:
        size = int(request.url.params["pageSize"])
        number = int(request.url.params["pageNumber"])
        chunk = items[(number - 1) * size : number * size]
        count = max(1, -(-len(items) // size))
        body: dict[str, object] = {
            "entities": chunk,
            "pageSize": size,
            "pageNumber": number,
            "total": len(items),
        }
        if with_page_count:
            body["pageCount"] = count
        if number < count:
            body["nextUri"] = (
                f"{request.url.path}?pageSize={size}&pageNumber={number + 1}"
            )
        return httpx.Response(200, json=body)

    return handler


@pytest.mark.parametrize("with_page_count", [True, False])
@pytest.mark.parametrize(("n", "pages"), [(0, 1), (1, 1), (100, 1), (101, 2), (250, 3)])
@pytest.mark.anyio
async def test_campaign_paging_exact_requests(
    n: int, pages: int, with_page_count: bool
) -> None:
    """All campaigns in ceil(n/100) requests of pageSize 100 (one when empty)."""
    items = [{"id": f"c{i}", "name": f"Campaign {i}"} for i in range(n)]
    api = FakeApi(routes={CAMPAIGNS: paged(items, with_page_count=with_page_count)})
    async with make_client(api) as client:
        got = await client.list_campaigns()
    assert [c["id"] for c in got] == [c["id"] for c in items]
    sent = api.api_requests()
    assert len(sent) == pages
    assert all(r.url.params["pageSize"] == "100" for r in sent)
    assert [r.url.params["pageNumber"] for r in sent] == [
        str(i) for i in range(1, pages + 1)
    ]
    assert client.request_count == pages + 1  # + the token


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("list_messaging_campaigns", "/api/v2/outbound/messagingcampaigns"),
        ("list_sequences", "/api/v2/outbound/sequences"),
        ("list_callable_time_sets", "/api/v2/outbound/callabletimesets"),
    ],
)
@pytest.mark.anyio
async def test_other_paged_lists(method: str, path: str) -> None:
    """Messaging campaigns, sequences and callable time sets page the same way."""
    items = [{"id": f"x{i}", "name": f"X {i}"} for i in range(150)]
    api = FakeApi(routes={("GET", path): paged(items)})
    async with make_client(api) as client:
        got = await getattr(client, method)()
    assert len(got) == 150
    assert len(api.api_requests()) == 2


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.anyio
async def test_list_schedules_shapes(family: str) -> None:
    """Campaigns/sequences answer a bare array, the rest an entity listing."""
    schedule = {"id": "t1", "version": 2, "intervals": [], "timeZone": "UTC"}
    bare = family in ("campaigns", "sequences")
    reply = [schedule] if bare else {"entities": [schedule], "pageCount": 1}
    path = f"/api/v2/outbound/schedules/{family}"
    api = FakeApi(routes={("GET", path): [httpx.Response(200, json=reply)]})
    async with make_client(api) as client:
        got = await client.list_schedules(family)
    assert got == [schedule]
    assert len(api.api_requests()) == 1
    assert api.api_requests()[0].url.params == httpx.QueryParams()


@pytest.mark.anyio
async def test_put_get_delete_schedule() -> None:
    """PUT sends the body as JSON and returns the stored schedule."""
    path = "/api/v2/outbound/schedules/messagingcampaigns/m%2F1"
    stored = {
        "id": "m/1",
        "version": 1,
        "messagingCampaign": {"id": "m/1"},
        "intervals": [
            {"start": "2026-12-01T09:00:00.000", "end": "2026-12-01T17:00:00.000"}
        ],
    }
    api = FakeApi(
        routes={
            ("PUT", "/api/v2/outbound/schedules/messagingcampaigns/m/1"): [
                httpx.Response(200, json=stored)
            ],
            ("GET", "/api/v2/outbound/schedules/messagingcampaigns/m/1"): [
                httpx.Response(200, json=stored)
            ],
            ("DELETE", "/api/v2/outbound/schedules/messagingcampaigns/m/1"): [
                httpx.Response(204)
            ],
        }
    )
    body = {k: v for k, v in stored.items() if k not in ("id", "version")}
    async with make_client(api) as client:
        assert await client.put_schedule("messagingcampaigns", "m/1", body) == stored
        assert await client.get_schedule("messagingcampaigns", "m/1") == stored
        assert await client.delete_schedule("messagingcampaigns", "m/1") is None
    sent = api.api_requests()
    assert sent[0].url.raw_path.decode() == path  # the id is one escaped segment
    assert json.loads(sent[0].content) == body
    assert [r.method for r in sent] == ["PUT", "GET", "DELETE"]


@pytest.mark.anyio
async def test_contact_list_size_and_campaign_calls() -> None:
    """Contact lists ask includeSize; PATCH sends only the pacing fields."""
    api = FakeApi(
        routes={
            ("GET", "/api/v2/outbound/contactlists/cl1"): [
                httpx.Response(200, json={"id": "cl1", "name": "L", "size": 1234})
            ],
            ("PATCH", "/api/v2/outbound/campaigns/c1"): [httpx.Response(202)],
            ("GET", "/api/v2/outbound/campaigns/c1"): [
                httpx.Response(
                    200,
                    json={
                        "id": "c1",
                        "name": "Q4",
                        "campaignStatus": "off",
                        "contactList": {"id": "cl1"},
                        "maxCallsPerAgent": 3,
                    },
                )
            ],
            ("GET", "/api/v2/outbound/callabletimesets/t1"): [
                httpx.Response(
                    200,
                    json={
                        "id": "t1",
                        "callableTimes": [
                            {
                                "timeZoneId": "UTC",
                                "timeSlots": [
                                    {
                                        "startTime": "09:00:00",
                                        "stopTime": "17:00:00",
                                        "day": 1,
                                    }
                                ],
                            }
                        ],
                    },
                )
            ],
        }
    )
    async with make_client(api) as client:
        cl = await client.get_contact_list("cl1")
        await client.patch_campaign("c1", {"maxCallsPerAgent": 4})
        campaign = await client.get_campaign("c1")
        ts = await client.get_callable_time_set("t1")
    assert cl["size"] == 1234
    assert campaign["contactList"] == {"id": "cl1"}
    assert ts["callableTimes"][0]["timeSlots"][0]["day"] == 1
    sent = api.api_requests()
    assert sent[0].url.params["includeSize"] == "true"
    assert json.loads(sent[1].content) == {"maxCallsPerAgent": 4}


@pytest.mark.anyio
async def test_put_messaging_campaign() -> None:
    """A messaging campaign PUT carries its version and messagesPerMinute."""
    body = {
        "name": "SMS",
        "version": 4,
        "contactList": {"id": "cl1"},
        "messagesPerMinute": 150,
        "smsConfig": {"messageColumn": "m"},
    }
    api = FakeApi(
        routes={
            ("PUT", "/api/v2/outbound/messagingcampaigns/m1"): [
                httpx.Response(200, json={"id": "m1", **body, "version": 5})
            ]
        }
    )
    async with make_client(api) as client:
        got = await client.put_messaging_campaign("m1", body)
    assert got["version"] == 5
    assert json.loads(api.api_requests()[0].content) == body

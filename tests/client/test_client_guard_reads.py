"""The guard reads: outbound settings, time-zone mapping preview, campaign rules."""

from __future__ import annotations

import httpx
import pytest

from gcsched.client import Credentials
from gcsched.errors import ApiError, PermissionDeniedError
from gcsched.sandbox import entity_id
from gcsched.sandbox.clients import ClientRecord, sha256

from .fakes import FakeApi, FakeClock, make_client
from .test_against_sandbox import client, sandbox
from .test_endpoints import paged

pytestmark = pytest.mark.anyio


async def test_guard_reads_against_the_sandbox() -> None:
    """Settings, a list's ATZM fields and preview, and the rules, read and checked."""
    clock = FakeClock()
    _state, transport = sandbox(clock)
    async with client(transport, clock, rate_limit=300) as api:
        settings = await api.get_outbound_settings()
        florida = entity_id("contactList", "Retail Renewals")
        preview = await api.get_time_zone_mapping_preview(florida)
        listing = await api.get_contact_list(florida, include_size=False)
        rules = await api.list_campaign_rules()
        one = await api.get_campaign_rule(rules[0]["id"])
        time_set = await api.get_callable_time_set(
            entity_id("callableTimeSet", "US Business Hours")
        )
    window = settings["automaticTimeZoneMapping"]["callableWindows"][0]
    assert window["mapped"] == {
        "earliestCallableTime": "08:00",
        "latestCallableTime": "21:00",
    }
    zones = set(preview["contactsPerTimeZone"])
    assert zones == {"America/New_York", "America/Chicago"}
    assert (listing["automaticTimeZoneMapping"], listing["zipCodeColumnName"]) == (
        True,
        "Zip",
    )
    assert [r["name"] for r in rules] == ["Win-back evening stop"]
    assert one == rules[0]
    assert time_set["callableTimes"][0]["timeZoneId"] == "America/Chicago"


async def test_missing_permissions_name_what_to_grant() -> None:
    """A role without the view permissions: 403s that say which one to add."""
    clock = FakeClock()
    state, transport = sandbox(clock)
    state.clients["narrow"] = ClientRecord(
        "narrow", sha256("s3cret"), frozenset({"outbound:campaign:view"})
    )
    creds = Credentials("narrow", "s3cret")
    async with client(transport, clock, rate_limit=300, creds=creds) as api:
        with pytest.raises(PermissionDeniedError, match="outbound:settings:view"):
            await api.get_outbound_settings()
        with pytest.raises(PermissionDeniedError, match="outbound:campaignRule:view"):
            await api.list_campaign_rules()
        with pytest.raises(PermissionDeniedError, match="outbound:contactList:view"):
            await api.get_time_zone_mapping_preview("some-list")


async def test_campaign_rules_page_like_the_other_lists() -> None:
    """All rules in pages of 100, with allowEmptyResult=true."""
    items = [{"id": f"r{i}", "name": f"Rule {i}"} for i in range(130)]
    api = FakeApi(routes={("GET", "/api/v2/outbound/campaignrules"): paged(items)})
    async with make_client(api) as gc:
        got = await gc.list_campaign_rules()
    assert len(got) == 130
    sent = api.api_requests()
    assert len(sent) == 2
    assert all(r.url.params["allowEmptyResult"] == "true" for r in sent)


@pytest.mark.parametrize(
    ("route", "body"),
    [
        (
            "/api/v2/outbound/settings",
            {"automaticTimeZoneMapping": {"callableWindows": "all day"}},
        ),
        (
            "/api/v2/outbound/contactlists/l1/timezonemappingpreview",
            {"contactsPerTimeZone": {"America/Chicago": "many"}},
        ),
    ],
)
async def test_malformed_guard_answers_are_errors(
    route: str, body: dict[str, object]
) -> None:
    """An answer that is not the model is an ApiError, never a guess."""
    api = FakeApi(routes={("GET", route): [httpx.Response(200, json=body)]})
    async with make_client(api) as gc:
        read = (
            gc.get_outbound_settings()
            if "settings" in route
            else gc.get_time_zone_mapping_preview("l1")
        )
        with pytest.raises(ApiError, match="Unexpected answer"):
            await read


async def test_preview_404_hints_at_divisions() -> None:
    """A list the role cannot see answers 404 with the division hint."""
    route = "/api/v2/outbound/contactlists/l1/timezonemappingpreview"
    api = FakeApi(routes={("GET", route): [httpx.Response(404, json={})]})
    async with make_client(api) as gc:
        with pytest.raises(ApiError, match="division"):
            await gc.get_time_zone_mapping_preview("l1")


async def test_contact_lists_by_id_in_chunks_of_100() -> None:
    """150 ids: two listing requests, each with ≤ 100 ids comma-joined, no sizes."""
    ids = [f"l{i:03d}" for i in range(150)]

    def handler(request: httpx.Request) -> httpx.Response:
        asked = request.url.params["id"].split(",")
        body = {"entities": [{"id": i} for i in asked], "pageCount": 1}
        return httpx.Response(200, json=body)

    api = FakeApi(routes={("GET", "/api/v2/outbound/contactlists"): handler})
    async with make_client(api) as gc:
        got = await gc.list_contact_lists([*ids, "l000"])
    assert [c["id"] for c in got] == ids
    sent = api.api_requests()
    assert [len(r.url.params["id"].split(",")) for r in sent] == [100, 50]
    assert all(r.url.params["includeSize"] == "false" for r in sent)

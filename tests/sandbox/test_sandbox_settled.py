"""Defaults that fidelity-audit.md settles from official (or live-org) sources."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from conftest import BASE, FakeClock, token_for
from gcsched.sandbox import SandboxState, asgi_transport, create_app, entity_id

pytestmark = pytest.mark.anyio
OUT = "/api/v2/outbound"
SCH = f"{OUT}/schedules"
TOKEN = {"grant_type": "client_credentials"}


@pytest.mark.parametrize(
    ("auth", "description"),
    [
        (("sandbox-client-id", "wrong"), "authentication failed"),
        (("nobody", "x"), "client not found"),
    ],
)
async def test_token_errors_have_the_live_body(
    anon: httpx.AsyncClient, auth: tuple[str, str], description: str
) -> None:
    """Audit #13: {error, description, error_description} with the live texts."""
    r = await anon.post("/oauth/token", data=TOKEN, auth=auth)
    assert r.status_code == 401
    assert r.json() == {
        "error": "invalid_client",
        "description": description,
        "error_description": description,
    }


async def test_page_size_over_100_is_clamped(client: httpx.AsyncClient) -> None:
    """Audit #15: "the max that will be returned is 100" is a clamp, not a 400."""
    r = await client.get(f"{OUT}/campaigns?pageSize=400")
    assert r.status_code == 200
    body = r.json()
    assert body["pageSize"] == 100
    assert body["total"] == len(body["entities"]) == 12
    assert "pageSize=100" in body["selfUri"]


@pytest.mark.parametrize("path", ["sequences", "callabletimesets", "contactlists"])
async def test_allow_empty_result_is_accepted(
    client: httpx.AsyncClient, path: str
) -> None:
    """Audit #4: the lists that take allowEmptyResult accept it (and check it)."""
    r = await client.get(f"{OUT}/{path}?pageNumber=50&allowEmptyResult=true")
    assert r.status_code == 200
    assert r.json()["entities"] == []
    assert (await client.get(f"{OUT}/{path}?pageNumber=50")).status_code == 200
    bad = await client.get(f"{OUT}/{path}?allowEmptyResult=maybe")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid.query.param.value"


DIVISIONED = [
    ("campaigns", "campaign", "campaign", "Q4 Renewals", True),
    ("sequences", "sequence", "sequence", "Collections Ladder", False),
    ("emailcampaigns", "emailCampaign", "messagingCampaign", "Renewal Emails", True),
    (
        "messagingcampaigns",
        "messagingCampaign",
        "messagingCampaign",
        "Payment SMS",
        True,
    ),
    (
        "whatsappcampaigns",
        "whatsAppCampaign",
        "messagingCampaign",
        "WhatsApp Offers",
        True,
    ),
]


@pytest.mark.parametrize(("family", "ref", "kind", "name", "divisioned"), DIVISIONED)
async def test_divisioned_references_carry_the_division(
    client: httpx.AsyncClient,
    family: str,
    ref: str,
    kind: str,
    name: str,
    divisioned: bool,
) -> None:
    """Audit #19: DivisionedDomainEntityRef adds division; a sequence ref does not."""
    oid = entity_id(kind, name)
    target_path = "sequences" if kind == "sequence" else f"{kind.lower()}s"
    target = (await client.get(f"{OUT}/{target_path}/{oid}")).json()
    body = {
        ref: {"id": oid},
        "intervals": [
            {"start": "2026-12-01T09:00:00.000", "end": "2026-12-01T17:00:00.000"}
        ],
    }
    answer = (await client.put(f"{SCH}/{family}/{oid}", json=body)).json()
    if divisioned:
        division = target["division"]
        assert answer[ref]["division"] == {
            "id": division["id"],
            "selfUri": f"/api/v2/authorization/divisions/{division['id']}",
        }
    else:
        assert "division" not in answer[ref]
    assert set(answer[ref]) >= {"id", "name", "selfUri"}


async def test_messaging_put_needs_only_contact_list_and_rate(
    client: httpx.AsyncClient,
) -> None:
    """Audit #17: name is not required; name and division stay when left out."""
    url = f"{OUT}/messagingcampaigns/{entity_id('messagingCampaign', 'Payment SMS')}"
    current = (await client.get(url)).json()
    body = {k: v for k, v in current.items() if k not in ("name", "division")}
    r = await client.put(url, json={**body, "messagesPerMinute": 90})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Payment SMS"
    assert r.json()["division"] == current["division"]
    assert r.json()["messagesPerMinute"] == 90
    missing = {k: v for k, v in r.json().items() if k != "messagesPerMinute"}
    refused = await client.put(url, json=missing)
    assert refused.status_code == 400
    assert refused.json()["details"][0]["fieldName"] == "messagesPerMinute"


def _decimal_org(clock: FakeClock) -> SandboxState:
    state = SandboxState.from_seed(
        {
            "contactLists": [{"name": "L", "size": 10}],
            "campaigns": [
                {
                    "name": "Half",
                    "dialingMode": "power",
                    "contactList": "L",
                    "maxCallsPerAgent": 1,
                    "maxCallsPerAgentDecimal": 1.5,
                },
                {"name": "Whole", "dialingMode": "power", "contactList": "L"},
            ],
        }
    )
    state.clock = clock
    return state


@pytest.fixture
async def decimal(clock: FakeClock) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an org with a campaign at 1.5 calls per agent and one at 2."""
    app = create_app(_decimal_org(clock))
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        c.headers["Authorization"] = f"Bearer {await token_for(c)}"
        yield c


async def test_put_without_the_decimal_flag_takes_the_integer(
    decimal: httpx.AsyncClient,
) -> None:
    """Audit #5: a PUT as read, without the flag, loses a real 1.5."""
    url = f"{OUT}/campaigns/{entity_id('campaign', 'Half')}"
    c = decimal
    current = (await c.get(url)).json()
    assert (current["maxCallsPerAgent"], current["maxCallsPerAgentDecimal"]) == (
        1,
        1.5,
    )
    saved = (await c.put(url, json={**current, "priority": 2})).json()
    assert (saved["maxCallsPerAgent"], saved["maxCallsPerAgentDecimal"]) == (1, 1.0)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, (1, 1.5)),
        ({"maxCallsPerAgentDecimal": 2.5}, (2, 2.5)),
        ({"maxCallsPerAgent": 4, "maxCallsPerAgentDecimal": 1.5}, (1, 1.5)),
    ],
)
async def test_put_with_the_decimal_flag_takes_the_decimal(
    decimal: httpx.AsyncClient, change: dict[str, Any], expected: tuple[int, float]
) -> None:
    """useMaxCallsPerAgentDecimal=true: the decimal is the value, the int its floor."""
    url = f"{OUT}/campaigns/{entity_id('campaign', 'Half')}"
    c = decimal
    current = (await c.get(url)).json()
    r = await c.put(
        f"{url}?useMaxCallsPerAgentDecimal=true", json={**current, **change}
    )
    assert r.status_code == 200, r.text
    got = (r.json()["maxCallsPerAgent"], r.json()["maxCallsPerAgentDecimal"])
    assert got == expected
    assert (await c.get(url)).json() == r.json()


@pytest.mark.parametrize(
    ("query", "change", "field"),
    [
        ("?useMaxCallsPerAgentDecimal=yes", {}, "useMaxCallsPerAgentDecimal"),
        ("?useMaxCallsPerAgentDecimal=true", {"maxCallsPerAgentDecimal": 0.5}, None),
        ("", {"maxCallsPerAgent": 1.5}, "maxCallsPerAgent"),
    ],
)
async def test_bad_max_calls_on_put_is_400(
    decimal: httpx.AsyncClient, query: str, change: dict[str, Any], field: str | None
) -> None:
    """A bad flag, a decimal below 1 or a non-integer maxCallsPerAgent: 400."""
    url = f"{OUT}/campaigns/{entity_id('campaign', 'Half')}"
    c = decimal
    current = (await c.get(url)).json()
    r = await c.put(f"{url}{query}", json={**current, **change})
    assert r.status_code == 400
    fields = [d["fieldName"] for d in r.json()["details"]]
    assert (field or "maxCallsPerAgentDecimal") in fields


async def test_patch_max_calls_takes_a_float(decimal: httpx.AsyncClient) -> None:
    """Audit #8: CampaignPatchRequest.maxCallsPerAgent is a double >= 1."""
    half = f"{OUT}/campaigns/{entity_id('campaign', 'Half')}"
    whole = f"{OUT}/campaigns/{entity_id('campaign', 'Whole')}"
    c = decimal
    assert (await c.patch(whole, json={"maxCallsPerAgent": 3.0})).status_code == 204
    got = (await c.get(whole)).json()
    assert got["maxCallsPerAgent"] == 3
    assert "maxCallsPerAgentDecimal" not in got
    assert (await c.patch(whole, json={"maxCallsPerAgent": 2.5})).status_code == 204
    got = (await c.get(whole)).json()
    assert (got["maxCallsPerAgent"], got["maxCallsPerAgentDecimal"]) == (2, 2.5)
    assert (await c.patch(half, json={"maxCallsPerAgent": 2})).status_code == 204
    got = (await c.get(half)).json()
    assert (got["maxCallsPerAgent"], got["maxCallsPerAgentDecimal"]) == (2, 2.0)
    for bad in (0.5, True, "2", float("inf")):
        r = await c.patch(half, content=_json({"maxCallsPerAgent": bad}))
        assert r.status_code == 400, bad


def _json(body: dict[str, Any]) -> bytes:
    import json

    return json.dumps(body).encode()

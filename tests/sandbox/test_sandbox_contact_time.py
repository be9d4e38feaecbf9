"""Outbound settings, time-zone mapping previews and campaign rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import BASE, token_for
from gcsched.sandbox import SandboxState, asgi_transport, entity_id
from gcsched.sandbox.clients import ClientRecord, sha256

pytestmark = pytest.mark.anyio
OUT = "/api/v2/outbound"
ATZM = "automaticTimeZoneMapping"


async def test_settings_default_and_patch(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    """GET answers the org's ATZM windows; PATCH changes them and answers no body."""
    before = (await client.get(f"{OUT}/settings")).json()
    assert before[ATZM]["supportedCountries"] == ["US", "CA"]
    windows = [
        {
            "mapped": {"earliestCallableTime": "09:00", "latestCallableTime": "20:00"},
            "unmapped": {
                "earliestCallableTime": "13:00",
                "latestCallableTime": "19:00",
                "timeZoneId": "America/Chicago",
            },
        }
    ]
    r = await client.patch(
        f"{OUT}/settings",
        json={ATZM: {"callableWindows": windows}, "id": "ignored"},
    )
    assert (r.status_code, r.content) == (204, b"")
    after = (await client.get(f"{OUT}/settings")).json()
    assert after[ATZM] == {"callableWindows": windows}
    assert after["version"] == before["version"] + 1
    assert after["id"] == before["id"]
    assert state.settings == after


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"nope": 1}, "nope"),
        ({ATZM: []}, ATZM),
        ({ATZM: {"other": 1}}, f"{ATZM}.other"),
        ({ATZM: {"callableWindows": {}}}, f"{ATZM}.callableWindows"),
        ({ATZM: {"callableWindows": [{"x": {}}]}}, f"{ATZM}.callableWindows[0]"),
        (
            {ATZM: {"callableWindows": [{"mapped": []}]}},
            f"{ATZM}.callableWindows[0].mapped",
        ),
        (
            {
                ATZM: {
                    "callableWindows": [
                        {
                            "mapped": {
                                "earliestCallableTime": "8:00",
                                "latestCallableTime": "21:00",
                            }
                        }
                    ]
                }
            },
            f"{ATZM}.callableWindows[0].mapped.earliestCallableTime",
        ),
        (
            {
                ATZM: {
                    "callableWindows": [
                        {
                            "mapped": {
                                "earliestCallableTime": "21:00",
                                "latestCallableTime": "08:00",
                            }
                        }
                    ]
                }
            },
            f"{ATZM}.callableWindows[0].mapped",
        ),
        (
            {
                ATZM: {
                    "callableWindows": [
                        {
                            "mapped": {
                                "earliestCallableTime": "08:00",
                                "latestCallableTime": "21:00",
                                "timeZoneId": "UTC",
                            }
                        }
                    ]
                }
            },
            f"{ATZM}.callableWindows[0].mapped.timeZoneId",
        ),
        (
            {
                ATZM: {
                    "callableWindows": [
                        {
                            "unmapped": {
                                "earliestCallableTime": "08:00",
                                "latestCallableTime": "21:00",
                            }
                        }
                    ]
                }
            },
            f"{ATZM}.callableWindows[0].unmapped.timeZoneId",
        ),
        ({ATZM: {"supportedCountries": "US"}}, f"{ATZM}.supportedCountries"),
        ({"rescheduleTimeZoneSkippedContacts": "yes"}, "rescheduleTimeZone"),
    ],
)
async def test_settings_patch_refuses_bad_bodies(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    """A bad PATCH is a 400 naming the field; nothing changes."""
    before = (await client.get(f"{OUT}/settings")).json()
    r = await client.patch(f"{OUT}/settings", json=body)
    assert r.status_code == 400
    assert r.json()["code"] == "invalid.value"
    assert r.json()["details"][0]["fieldName"].startswith(field)
    assert (await client.get(f"{OUT}/settings")).json() == before


async def test_settings_patch_needs_an_object(client: httpx.AsyncClient) -> None:
    """A body that is not an object is a 400 too."""
    r = await client.patch(f"{OUT}/settings", json=[1])
    assert r.status_code == 400


async def test_preview_of_seeded_and_unseeded_lists(client: httpx.AsyncClient) -> None:
    """Seeded counts come back; an unseeded list has everyone in the default window."""
    florida = entity_id("contactList", "Retail Renewals")
    body = (
        await client.get(f"{OUT}/contactlists/{florida}/timezonemappingpreview")
    ).json()
    assert body["contactList"]["name"] == "Retail Renewals"
    assert body["contactsPerTimeZone"] == {
        "America/New_York": 41200,
        "America/Chicago": 5300,
    }
    assert body["contactsInDefaultWindow"] == 1500
    assert body["contactsMappedToASingleZone"] == 46500
    emea = entity_id("contactList", "Prospects EMEA")
    plain = (
        await client.get(f"{OUT}/contactlists/{emea}/timezonemappingpreview")
    ).json()
    assert plain["contactsPerTimeZone"] == {}
    assert plain["contactsInDefaultWindow"] == plain["contactListSize"] == 95000
    missing = await client.get(f"{OUT}/contactlists/nope/timezonemappingpreview")
    assert missing.status_code == 404


async def test_campaign_rules_listing_and_one(client: httpx.AsyncClient) -> None:
    """The demo rule is listed (paged, by name) and readable by id."""
    listed = (await client.get(f"{OUT}/campaignrules?pageSize=1")).json()
    assert listed["total"] == 1
    rule = listed["entities"][0]
    assert rule["campaignRuleEntities"]["campaigns"][0]["id"] == entity_id(
        "campaign", "Win-back"
    )
    one = (await client.get(f"{OUT}/campaignrules/{rule['id']}")).json()
    assert one == rule
    named = (await client.get(f"{OUT}/campaignrules?name=nothing")).json()
    assert named["entities"] == []
    assert (await client.get(f"{OUT}/campaignrules/nope")).status_code == 404


async def test_new_routes_need_their_permissions(app: Any) -> None:
    """Without outbound:settings:view or campaignRule:view: 403 naming them."""
    state: SandboxState = app.state.sandbox
    state.clients["narrow"] = ClientRecord(
        "narrow", sha256("s3cret"), frozenset({"outbound:campaign:view"})
    )
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        c.headers["Authorization"] = f"Bearer {await token_for(c, 'narrow', 's3cret')}"
        for path, permission in (
            ("/settings", "outbound:settings:view"),
            ("/campaignrules", "outbound:campaignRule:view"),
        ):
            r = await c.get(OUT + path)
            assert r.status_code == 403
            assert permission in r.text
        r = await c.patch(f"{OUT}/settings", json={})
        assert r.status_code == 403
        assert "outbound:settings:edit" in r.text


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (
            {"zipCodeColumnName": "Zip", "columnNames": ["Phone", "Zip"]},
            "zipCodeColumnName",
        ),
        (
            {
                ATZM: True,
                "columnNames": ["Phone", "TZ"],
                "phoneColumns": [
                    {"columnName": "Phone", "type": "cell", "callableTimeColumn": "TZ"}
                ],
            },
            "phoneColumns[0].callableTimeColumn",
        ),
        (
            {
                "columnNames": ["Phone"],
                "phoneColumns": [
                    {
                        "columnName": "Phone",
                        "type": "cell",
                        "callableTimeColumnName": "TZ",
                    }
                ],
            },
            "phoneColumns[0].callableTimeColumnName",
        ),
        (
            {ATZM: True, "zipCodeColumnName": "Zip", "columnNames": ["Phone"]},
            "zipCodeColumnName",
        ),
        ({ATZM: "yes", "columnNames": ["Phone"]}, ATZM),
    ],
)
async def test_contact_list_zone_fields_are_checked(
    client: httpx.AsyncClient, extra: dict[str, Any], field: str
) -> None:
    """zipCodeColumnName only with ATZM, callable time columns only without it."""
    body = {"name": "New list", **extra}
    r = await client.post(f"{OUT}/contactlists", json=body)
    assert r.status_code == 400, r.text
    assert r.json()["details"][0]["fieldName"] == field


async def test_contact_list_with_atzm_is_created(client: httpx.AsyncClient) -> None:
    """ATZM with a zip column of the list is accepted and read back."""
    body = {
        "name": "Zip list",
        "columnNames": ["Phone", "Zip"],
        ATZM: True,
        "zipCodeColumnName": "Zip",
        "phoneColumns": [{"columnName": "Phone", "type": "cell"}],
    }
    r = await client.post(f"{OUT}/contactlists", json=body)
    assert r.status_code == 200, r.text
    assert (r.json()[ATZM], r.json()["zipCodeColumnName"]) == (True, "Zip")


def _seed(**parts: Any) -> dict[str, Any]:
    return {
        "contactLists": [{"name": "L", "size": 10}],
        "campaigns": [{"name": "C", "dialingMode": "preview", "contactList": "L"}],
        **parts,
    }


RULE = {
    "name": "R",
    "campaignRuleEntities": {"campaigns": ["C"]},
    "campaignRuleConditions": [{"conditionType": "dayOfWeek"}],
    "campaignRuleActions": [
        {"actionType": "turnOnCampaign", "campaignRuleActionEntities": {}}
    ],
}


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        (_seed(outboundSettings=[]), "outboundSettings: must be an object"),
        (_seed(outboundSettings={"bad": 1}), "outboundSettings: bad"),
        (
            _seed(campaignRules=[{**RULE, "name": ""}]),
            "campaignRules[0]: name: is required",
        ),
        (_seed(campaignRules=[{**RULE, "x": 1}]), "campaignRules[0]: x: is not"),
        (
            _seed(campaignRules=[{**RULE, "campaignRuleEntities": []}]),
            "campaignRuleEntities: must be an object",
        ),
        (
            _seed(campaignRules=[{**RULE, "campaignRuleEntities": {"queues": []}}]),
            "campaignRuleEntities.queues",
        ),
        (
            _seed(
                campaignRules=[
                    {**RULE, "campaignRuleEntities": {"useTriggeringEntity": 1}}
                ]
            ),
            "useTriggeringEntity: must be true or false",
        ),
        (
            _seed(
                campaignRules=[{**RULE, "campaignRuleEntities": {"campaigns": ["Z"]}}]
            ),
            "campaignRules[0]: campaign 'Z' matches no campaign",
        ),
        (
            _seed(campaignRules=[{**RULE, "campaignRuleConditions": {}}]),
            "campaignRuleConditions: must be a list",
        ),
        (
            _seed(
                campaignRules=[
                    {**RULE, "campaignRuleConditions": [{"conditionType": "x"}]}
                ]
            ),
            "campaignRuleConditions[0].conditionType",
        ),
        (
            _seed(campaignRules=[{**RULE, "campaignRuleActions": []}]),
            "campaignRuleActions: must be a non-empty list",
        ),
        (
            _seed(campaignRules=[{**RULE, "campaignRuleActions": [{"actionType": 1}]}]),
            "campaignRuleActions[0].actionType",
        ),
        (
            _seed(campaignRules=[{**RULE, "conditionGroups": {}}]),
            "conditionGroups: must be a list",
        ),
        (
            _seed(campaignRules=[{**RULE, "conditionGroups": [{"conditions": [1]}]}]),
            "conditionGroups[0].conditions[0].conditionType",
        ),
        (
            _seed(contactLists=[{"name": "L", "timeZoneMappingPreview": []}]),
            "timeZoneMappingPreview: must be an object",
        ),
        (
            _seed(
                contactLists=[
                    {"name": "L", "timeZoneMappingPreview": {"contactsPerTimeZone": 1}}
                ]
            ),
            "contactsPerTimeZone: must map zones to counts",
        ),
        (
            _seed(contactLists=[{"name": "L", "timeZoneMappingPreview": {"x": 1}}]),
            "timeZoneMappingPreview.x",
        ),
        (
            _seed(
                contactLists=[
                    {
                        "name": "L",
                        "timeZoneMappingPreview": {"contactsInDefaultWindow": -1},
                    }
                ]
            ),
            "contactsInDefaultWindow: must be a non-negative integer",
        ),
        (
            _seed(contactLists=[{"name": "L", "zipCodeColumnName": "Zip"}]),
            "contactLists[0]: zipCodeColumnName",
        ),
    ],
)
def test_bad_seeds_say_where(seed: dict[str, Any], message: str) -> None:
    """Malformed guard data in a seed is a ValueError naming the entry and field."""
    with pytest.raises(ValueError, match="seed: ") as caught:
        SandboxState.from_seed(seed)
    assert message in str(caught.value)


def test_rule_with_groups_and_settings_survive_save_and_load(tmp_path: Path) -> None:
    """Condition groups, seeded settings and previews are kept by save/load."""
    group = {"matchAnyConditions": True, "conditions": [{"conditionType": "timeOfDay"}]}
    rule = {
        **RULE,
        "conditionGroups": [group],
        "campaignRuleProcessing": "v2",
        "campaignRuleActions": [
            {
                "actionType": "turnOffCampaign",
                "campaignRuleActionEntities": {"campaigns": [{"id": "C"}]},
            }
        ],
    }
    seed = _seed(
        campaignRules=[rule],
        outboundSettings={"rescheduleTimeZoneSkippedContacts": True},
        contactLists=[
            {
                "name": "L",
                "size": 10,
                "timeZoneMappingPreview": {
                    "contactsPerTimeZone": {"America/Denver": 4}
                },
            }
        ],
    )
    state = SandboxState.from_seed(seed)
    path = tmp_path / "state.json"
    state.save(path)
    again = SandboxState.load(path)
    saved = next(iter(again.stores["campaign_rules"].values()))
    assert saved["conditionGroups"] == [group]
    assert (
        saved["campaignRuleActions"][0]["campaignRuleActionEntities"]["campaigns"][0][
            "name"
        ]
        == "C"
    )
    assert again.settings["rescheduleTimeZoneSkippedContacts"] is True
    assert again.previews == state.previews

"""PUT of a messaging campaign: versioned replace (messaging pacing goes this way)."""

from __future__ import annotations

import httpx
import pytest

from gcsched.sandbox import entity_id

pytestmark = pytest.mark.anyio
PATH = "/api/v2/outbound/messagingcampaigns/"


async def _current(client: httpx.AsyncClient, name: str) -> dict[str, object]:
    r = await client.get(PATH + entity_id("messagingCampaign", name))
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


async def test_put_with_the_current_version_replaces_and_bumps(
    client: httpx.AsyncClient,
) -> None:
    """The body is stored, the version rises by one, read-only fields stay."""
    body = await _current(client, "Renewal Emails")
    version = body["version"]
    assert isinstance(version, int)
    r = await client.put(
        PATH + str(body["id"]), json={**body, "messagesPerMinute": 150}
    )
    assert r.status_code == 200, r.text
    saved = r.json()
    assert saved["messagesPerMinute"] == 150
    assert saved["version"] == version + 1
    assert saved["dateCreated"] == body["dateCreated"]
    assert saved["emailConfig"] == body["emailConfig"]
    again = await _current(client, "Renewal Emails")
    assert again["messagesPerMinute"] == 150


async def test_stale_version_is_409(client: httpx.AsyncClient) -> None:
    """A PUT with an old version is refused with the ErrorBody of a conflict."""
    body = await _current(client, "Payment SMS")
    version = body["version"]
    assert isinstance(version, int)
    r = await client.put(PATH + str(body["id"]), json={**body, "version": version - 1})
    assert r.status_code == 409
    assert r.json()["code"] == "general.conflict"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"messagesPerMinute": 0}, "messagesPerMinute"),
        ({"messagesPerMinute": "fast"}, "messagesPerMinute"),
        ({"contactList": None}, "contactList"),
    ],
)
async def test_bad_bodies_name_the_field(
    client: httpx.AsyncClient, change: dict[str, object], field: str
) -> None:
    """Invalid values answer 400 with details naming the field."""
    body = await _current(client, "WhatsApp Offers")
    payload = {k: v for k, v in {**body, **change}.items() if v is not None}
    r = await client.put(PATH + str(body["id"]), json=payload)
    assert r.status_code == 400
    fields = [d.get("fieldName") for d in r.json().get("details", [])]
    assert field in fields


async def test_unknown_campaign_is_404(client: httpx.AsyncClient) -> None:
    """An id that is no messaging campaign is not found."""
    body = await _current(client, "Payment SMS")
    r = await client.put(PATH + "no-such-id", json=body)
    assert r.status_code == 404

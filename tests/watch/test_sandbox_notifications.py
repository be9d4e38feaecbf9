"""The sandbox's Notifications API: REST in-process, the socket served on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from served_app import Served, serve_app
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from gcsched.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, create_app
from gcsched.sandbox.clients import ClientRecord, sha256
from gcsched.sandbox.notifications import (
    HEARTBEAT,
    NotificationHub,
    NotificationSettings,
    event_body,
)
from gcsched.sandbox.state import SandboxState

CHANNELS = "/api/v2/notifications/channels"
SCHEDULES = "/api/v2/outbound/schedules/campaigns"


def token(client: httpx.Client, client_id: str = DEFAULT_CLIENT_ID) -> dict[str, str]:
    reply = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, DEFAULT_CLIENT_SECRET),
    )
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def first_campaign(state: SandboxState) -> str:
    return str(state.campaigns()[0]["id"])


def schedule_body(campaign: str, version: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "campaign": {"id": campaign},
        "intervals": [],
        "timeZone": "UTC",
        "recurrences": [
            {
                "start": "2027-01-04T09:00:00",
                "end": "2027-01-04T17:00:00",
                "timeZone": "UTC",
                "pattern": {"type": "Weekly", "interval": 1, "daysOfWeek": ["Monday"]},
                "range": {"type": "NoEnd"},
            }
        ],
    }
    if version is not None:
        body["version"] = version
    return body


@pytest.fixture
def state() -> SandboxState:
    return SandboxState.demo()


def served(state: SandboxState, **settings: Any) -> Any:
    app = create_app(
        state,
        rate_limit=0,
        token_mint_limit=0,
        notifications=NotificationSettings(**settings),
    )
    return serve_app(app)


@pytest.fixture
def server(state: SandboxState) -> Iterator[Served]:
    with served(state, heartbeat=3600) as running:
        yield running


def open_channel(
    client: httpx.Client, headers: dict[str, str], topics: list[str]
) -> dict[str, Any]:
    channel = client.post(CHANNELS, headers=headers).json()
    reply = client.put(
        f"{CHANNELS}/{channel['id']}/subscriptions",
        params={"ignoreErrors": "true"},
        headers=headers,
        json=[{"id": t} for t in topics],
    )
    assert reply.status_code == 200, reply.text
    return dict(channel)


def receive(ws: ClientConnection) -> dict[str, Any]:
    return dict(json.loads(ws.recv(timeout=10)))


def drain(ws: ClientConnection, into: list[dict[str, Any]] | None = None) -> None:
    """Read until the socket closes (ConnectionClosed)."""
    while True:
        message = json.loads(ws.recv(timeout=10))
        if into is not None:
            into.append(message)


# ------------------------------------------------------------------ REST
def test_channels_subscriptions_and_topic_states(
    server: Served, state: SandboxState
) -> None:
    """A channel is made, listed, subscribed (Permitted/Rejected), emptied."""
    camp = first_campaign(state)
    with httpx.Client(base_url=server.url) as client:
        headers = token(client)
        channel = client.post(CHANNELS, headers=headers).json()
        assert set(channel) == {"connectUri", "id", "expires"}
        assert (
            channel["connectUri"] == f"ws://{server.url[7:]}/channels/{channel['id']}"
        )
        topics = [
            {"id": f"v2.outbound.schedules.campaigns.{camp}"},
            {"id": f"v2.outbound.campaigns.{camp}"},
            {"id": "v2.users.nobody"},
        ]
        sub = f"{CHANNELS}/{channel['id']}/subscriptions"
        refused = client.put(sub, headers=headers, json=topics)
        assert refused.status_code == 403
        assert "v2.users.nobody" in refused.json()["message"]
        reply = client.put(
            sub, params={"ignoreErrors": "true"}, headers=headers, json=topics
        )
        states = {e["id"]: e for e in reply.json()["entities"]}
        assert states[topics[0]["id"]]["state"] == "Permitted"
        assert states[topics[1]["id"]]["state"] == "Permitted"
        assert states["v2.users.nobody"]["state"] == "Rejected"
        assert states["v2.users.nobody"]["rejectionReason"] == "Topic not found"
        added = client.post(
            sub,
            params={"ignoreErrors": "true"},
            headers=headers,
            json=[{"id": "v2.outbound.sequences.x"}],
        )
        assert [e["id"] for e in added.json()["entities"]] == [
            "v2.outbound.sequences.x"
        ]
        listed = client.get(sub, headers=headers).json()["entities"]
        assert len(listed) == 4
        assert (
            client.head(f"{CHANNELS}/{channel['id']}", headers=headers).status_code
            == 200
        )
        assert client.head(f"{CHANNELS}/nope", headers=headers).status_code == 404
        assert client.delete(sub, headers=headers).status_code == 204
        assert client.get(sub, headers=headers).json()["entities"] == []
        mine = client.get(CHANNELS, headers=headers).json()["entities"]
        assert [c["id"] for c in mine] == [channel["id"]]
        other = token(client)
        assert client.get(CHANNELS, headers=other).json()["entities"] == []
        every = client.get(
            CHANNELS, params={"includechannels": "oauthclient"}, headers=other
        ).json()["entities"]
        assert [c["id"] for c in every] == [channel["id"]]
        bad = client.get(CHANNELS, params={"includechannels": "x"}, headers=headers)
        assert bad.status_code == 400
        assert client.put(sub, headers=headers, json={"id": "x"}).status_code == 400
        assert (
            client.get(f"{CHANNELS}/nope/subscriptions", headers=headers).status_code
            == 404
        )


def test_missing_permissions_are_named(server: Served, state: SandboxState) -> None:
    """A topic the client may not read is Rejected with its missing permissions."""
    server.call(
        lambda: state.clients.__setitem__(
            "viewer",
            ClientRecord("viewer", sha256(DEFAULT_CLIENT_SECRET), frozenset()),
        )
    )
    with httpx.Client(base_url=server.url) as client:
        headers = token(client, "viewer")
        channel = client.post(CHANNELS, headers=headers).json()
        reply = client.put(
            f"{CHANNELS}/{channel['id']}/subscriptions",
            params={"ignoreErrors": "true"},
            headers=headers,
            json=[{"id": "v2.outbound.schedules.campaigns.c1"}],
        )
        entity = reply.json()["entities"][0]
        assert entity["state"] == "Rejected"
        assert "outbound:schedule:view" in entity["missingPermissions"]


def test_topic_limit_and_channel_limit(state: SandboxState) -> None:
    """More topics than the limit is a 400; a 21st channel replaces the oldest."""
    with (
        served(state, topic_limit=2, channel_limit=3) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        headers = token(client)
        channel = client.post(CHANNELS, headers=headers).json()
        reply = client.put(
            f"{CHANNELS}/{channel['id']}/subscriptions",
            headers=headers,
            json=[{"id": f"v2.outbound.campaigns.c{i}"} for i in range(3)],
        )
        assert reply.status_code == 400
        assert reply.json()["code"] == "notification.topic.limit"
        ids = [channel["id"]] + [
            client.post(CHANNELS, headers=headers).json()["id"] for _ in range(3)
        ]
        left = client.get(
            CHANNELS, params={"includechannels": "oauthclient"}, headers=headers
        ).json()["entities"]
        assert sorted(c["id"] for c in left) == sorted(ids[1:])


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="heartbeat"):
        NotificationSettings(heartbeat=0)


def test_event_body_has_the_notification_shape() -> None:
    body = event_body(
        {
            "id": "s1",
            "selfUri": "/x",
            "campaign": {"id": "c1", "name": "C", "selfUri": "/c"},
            "version": 2,
        }
    )
    assert body == {
        "id": "s1",
        "campaign": {"id": "c1", "name": "C"},
        "version": 2,
        "additionalProperties": {},
    }


def test_channels_expire(state: SandboxState) -> None:
    clock = [1000.0]
    hub = NotificationHub(NotificationSettings(channel_ttl=10), lambda: clock[0])
    channel = hub.create("c", "t", 2000.0)
    assert hub.get(channel.id) is channel
    clock[0] += 11
    assert hub.get(channel.id) is None


# ------------------------------------------------------------------ the socket
def test_socket_carries_changes_pings_and_replacement(
    server: Served, state: SandboxState
) -> None:
    """A PUT by any client arrives as a notification; ping → pong; a second
    socket on the channel closes the first."""
    camp = first_campaign(state)
    topic = f"v2.outbound.schedules.campaigns.{camp}"
    with httpx.Client(base_url=server.url) as client:
        headers = token(client)
        channel = open_channel(
            client, headers, [topic, f"v2.outbound.campaigns.{camp}"]
        )
        with connect(channel["connectUri"]) as ws:
            put = client.put(
                f"{SCHEDULES}/{camp}", headers=headers, json=schedule_body(camp)
            )
            assert put.status_code == 200, put.text
            message = receive(ws)
            assert message["topicName"] == topic
            assert message["version"] == "2"
            assert message["eventBody"]["campaign"]["id"] == camp
            assert "selfUri" not in message["eventBody"]
            assert message["metadata"]["CorrelationId"]
            ws.send(json.dumps({"message": "ping"}))
            assert receive(ws)["eventBody"] == {"message": "pong"}
            ws.send("not json")
            assert receive(ws)["result"] == "400"
            client.delete(f"{SCHEDULES}/{camp}", headers=headers)
            assert receive(ws)["topicName"] == topic
            campaign = client.get(
                f"/api/v2/outbound/campaigns/{camp}", headers=headers
            ).json()
            client.patch(
                f"/api/v2/outbound/campaigns/{camp}",
                headers=headers,
                json={"outboundLineCount": 3},
            )
            assert receive(ws)["topicName"] == f"v2.outbound.campaigns.{camp}"
            del campaign
            with connect(channel["connectUri"]) as second:
                with pytest.raises(ConnectionClosed):
                    ws.recv(timeout=10)
                assert ws.close_code == 1001
                client.put(
                    f"{SCHEDULES}/{camp}", headers=headers, json=schedule_body(camp)
                )
                assert receive(second)["topicName"] == topic


def test_socket_heartbeats_closing_and_drop(state: SandboxState) -> None:
    with (
        served(state, heartbeat=0.05, closing_grace=0) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        headers = token(client)
        channel = open_channel(client, headers, [])
        with connect(channel["connectUri"]) as ws:
            assert receive(ws) == HEARTBEAT
            assert client.post("/sandbox/notifications/closing").json() == {"warned": 1}
            seen: list[dict[str, Any]] = []
            with pytest.raises(ConnectionClosed):
                drain(ws, seen)
            assert any(m.get("topicName") == "v2.system.socket_closing" for m in seen)
        with connect(channel["connectUri"]) as ws:
            receive(ws)
            assert client.post("/sandbox/notifications/drop").json() == {"dropped": 1}
            with pytest.raises(ConnectionClosed):
                drain(ws)
        with connect("ws" + server.url[4:] + "/channels/nope") as ws:
            assert receive(ws)["result"] == "404"


def test_socket_closes_when_the_channel_or_token_expires(state: SandboxState) -> None:
    with (
        served(state, heartbeat=3600, channel_ttl=0.3) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        channel = open_channel(client, token(client), [])
        with connect(channel["connectUri"]) as ws:
            with pytest.raises(ConnectionClosed):
                ws.recv(timeout=10)
            assert ws.close_code == 1001
        with connect(channel["connectUri"]) as ws:
            assert receive(ws)["result"] == "404"
    app = create_app(state, rate_limit=0, token_mint_limit=0, token_ttl=1)
    with serve_app(app) as server, httpx.Client(base_url=server.url) as client:
        channel = open_channel(client, token(client), [])
        with connect(channel["connectUri"]) as ws:
            with pytest.raises(ConnectionClosed):
                ws.recv(timeout=10)
            assert ws.close_code == 1001

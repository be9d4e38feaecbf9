"""The Notifications REST routes through the official Genesys Python SDK 269."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import PureCloudPlatformClientV2 as sdk  # noqa: N813
import pytest

from gcsched.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from served_sandbox import served_sandbox

pytestmark = pytest.mark.slow


def model_keys(value: Any, type_name: str, where: str = "$") -> None:
    """Fail when `value` has a JSON key the SDK model `type_name` lacks."""
    if type_name in {"str", "int", "datetime", "bool"}:
        return
    if type_name.startswith("list["):
        for index, item in enumerate(value):
            model_keys(item, type_name[5:-1], f"{where}[{index}]")
        return
    model = getattr(sdk, type_name)()
    by_json = {j: attr for attr, j in model.attribute_map.items()}
    for key, item in value.items():
        assert key in by_json, f"{where}.{key} is not a field of {type_name}"
        model_keys(item, model.swagger_types[by_json[key]], f"{where}.{key}")


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with served_sandbox("--rate-limit", "0", "--topic-limit", "3") as base:
        yield base


@pytest.fixture(scope="module")
def api(url: str) -> sdk.ApiClient:
    return sdk.ApiClient(host=url).get_client_credentials_token(
        DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
    )


def topic(name: str) -> sdk.ChannelTopic:
    made = sdk.ChannelTopic()
    made.id = name
    return made


def test_channels_and_subscriptions_deserialize(url: str, api: sdk.ApiClient) -> None:
    notifications = sdk.NotificationsApi(api)
    channel = notifications.post_notifications_channels()
    assert channel.connect_uri == f"ws://{url[7:]}/channels/{channel.id}"
    assert channel.expires is not None
    listed = notifications.get_notifications_channels(includechannels="oauthclient")
    assert channel.id in [c.id for c in listed.entities]
    notifications.head_notifications_channel(channel.id)
    topics = [
        topic("v2.outbound.schedules.campaigns.c1"),
        topic("v2.nothing.here"),
    ]
    put = notifications.put_notifications_channel_subscriptions(
        channel.id, topics, ignore_errors=True
    )
    assert [t.state for t in put.entities] == ["Permitted", "Rejected"]
    added = notifications.post_notifications_channel_subscriptions(
        channel.id,
        [topic("v2.outbound.campaigns.c1")],
        ignore_errors=True,
    )
    assert added.entities[0].state == "Permitted"
    got = notifications.get_notifications_channel_subscriptions(channel.id)
    assert len(got.entities) == 3
    notifications.delete_notifications_channel_subscriptions(channel.id)
    assert (
        notifications.get_notifications_channel_subscriptions(channel.id).entities == []
    )
    with pytest.raises(sdk.rest.ApiException) as refused:
        notifications.put_notifications_channel_subscriptions(
            channel.id,
            [topic(f"v2.outbound.campaigns.c{i}") for i in range(4)],
        )
    assert refused.value.status == 400


def test_raw_answers_have_only_sdk_fields(url: str, api: sdk.ApiClient) -> None:
    headers = {"Authorization": f"Bearer {api.access_token}"}
    with httpx.Client(base_url=url, headers=headers) as raw:
        channel = raw.post("/api/v2/notifications/channels").json()
        model_keys(channel, "Channel")
        model_keys(
            raw.get("/api/v2/notifications/channels").json(), "ChannelEntityListing"
        )
        answer = raw.put(
            f"/api/v2/notifications/channels/{channel['id']}/subscriptions",
            params={"ignoreErrors": "true"},
            json=[{"id": "v2.outbound.schedules.campaigns.c1"}, {"id": "v2.x"}],
        ).json()
        model_keys(answer, "ChannelTopicEntityListing")

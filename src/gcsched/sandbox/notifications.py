"""The sandbox's Notifications service: channels, topics and what they carry.

compliance-drift-research.md §2.1–2.4 is the model: a channel (``POST
/api/v2/notifications/channels``) has an id, a ``connectUri`` and an
``expires`` time; its topics are subscribed over REST, each answered
``Permitted`` or ``Rejected`` (with the missing permissions); one WebSocket at
a time receives the messages of its topics (`routes_notifications`). Every
schedule and campaign change made through the sandbox is published here by the
write paths (`NotificationHub.publish`), whichever client made it.

The answers no source settles are GUESSES, kept together below.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from gcsched.sandbox.clients import ClientRecord
from gcsched.sandbox.families import FAMILIES

__all__ = [
    "HEARTBEAT",
    "Channel",
    "ChannelLimitError",
    "NotificationHub",
    "NotificationSettings",
    "Socket",
    "campaign_topic",
    "event_body",
    "schedule_topic",
]

#: What the server sends every `NotificationSettings.heartbeat` seconds.
HEARTBEAT: Final = {
    "topicName": "channel.metadata",
    "eventBody": {"message": "WebSocket Heartbeat"},
}
PONG: Final = {"topicName": "channel.metadata", "eventBody": {"message": "pong"}}
SOCKET_CLOSING: Final = "v2.system.socket_closing"
#: The ``version`` of every notification message (GUESS: the SDKs treat it as
#: an opaque string).
MESSAGE_VERSION: Final = "2"
#: A topic the sandbox does not know is rejected with this reason (GUESS: the
#: real service may answer 400 instead).
UNKNOWN_TOPIC: Final = "Topic not found"
MISSING_PERMISSIONS: Final = "Missing permissions"
#: Close codes: 1001 (going away) for expiry, token expiry and replacement, as
#: the community thread of §2.3 reports; 1000 after a 404 message.
GOING_AWAY: Final = 1001

#: Campaign topics per target store (§2.4), with the permissions they need.
_CAMPAIGN_TOPICS: Final = {
    "campaigns": ("outbound:campaign:view",),
    "sequences": ("outbound:campaignSequence:view",),
    "messagingcampaigns": (
        "outbound:messagingCampaign:view",
        "outbound:emailCampaign:view",
        "outbound:whatsAppCampaign:view",
    ),
}
_SCHEDULE_TOPIC: Final = re.compile(r"^v2\.outbound\.schedules\.([a-z]+)\.([^.\s]+)$")
_CAMPAIGN_TOPIC: Final = re.compile(r"^v2\.outbound\.([a-z]+)\.([^.\s]+)$")


def schedule_topic(family: str, target_id: str) -> str:
    """The topic of one schedule (``family`` as its path: ``campaigns``...)."""
    return f"v2.outbound.schedules.{family}.{target_id}"


def campaign_topic(store_path: str, target_id: str) -> str:
    """The topic of one campaign, sequence or messaging campaign."""
    return f"v2.outbound.{store_path}.{target_id}"


def event_body(record: Mapping[str, Any]) -> dict[str, Any]:
    """A stored object as a notification carries it (§2.4).

    No ``selfUri`` or ``nextOccurrenceDetails``; references as ``{id, name}``
    (a ``UriReference``: no ``selfUri``, no division).
    """
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in ("selfUri", "nextOccurrenceDetails"):
            continue
        if isinstance(value, dict) and "id" in value:
            out[key] = {k: value[k] for k in ("id", "name") if k in value}
        else:
            out[key] = value
    out.setdefault("additionalProperties", {})
    return out


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    """The service's numbers; all shortenable for tests.

    Attributes:
        heartbeat: seconds between heartbeats on an open socket (real: ~30).
        channel_ttl: seconds a channel lives after its last subscription
            (real: 24 h).
        topic_limit: topics per channel (real: 1,000; more is a 400).
        channel_limit: channels per OAuth client (real: 20; the 21st replaces
            the oldest unused one).
        closing_grace: seconds between ``v2.system.socket_closing`` and the
            close (real: "about 1 minute").
    """

    heartbeat: float = 30.0
    channel_ttl: float = 86400.0
    topic_limit: int = 1000
    channel_limit: int = 20
    closing_grace: float = 60.0

    def __post_init__(self) -> None:
        if (
            self.heartbeat <= 0
            or self.channel_ttl <= 0
            or self.topic_limit < 1
            or self.channel_limit < 1
            or self.closing_grace < 0
        ):
            msg = (
                "notification heartbeat and channel ttl must be > 0, the topic "
                "and channel limits >= 1, the closing grace >= 0"
            )
            raise ValueError(msg)


@dataclass(slots=True)
class Socket:
    """One open WebSocket of a channel: what the endpoint is to send next.

    Items are messages (dicts), or a close code (int) to close with.
    """

    queue: asyncio.Queue[dict[str, Any] | int] = field(default_factory=asyncio.Queue)

    def send(self, message: dict[str, Any]) -> None:
        """Queue `message` for the socket."""
        self.queue.put_nowait(message)

    def close(self, code: int = GOING_AWAY) -> None:
        """Ask the socket to close with `code`."""
        self.queue.put_nowait(code)


@dataclass(slots=True)
class Channel:
    """One notification channel.

    Attributes:
        id: the channel id (the secret part of ``connectUri``).
        client_id: the OAuth client that created it.
        token_sha256: the token that created it or last subscribed.
        token_expires: when that token expires (a socket closes then).
        expires: when the channel expires (wall seconds).
        last_used: last creation, subscription or connection.
        topics: ``ChannelTopic`` bodies by topic name, in subscription order.
        socket: the open WebSocket, if any.
    """

    id: str
    client_id: str
    token_sha256: str
    token_expires: float
    expires: float
    last_used: float
    topics: dict[str, dict[str, Any]] = field(default_factory=dict)
    socket: Socket | None = None


class ChannelLimitError(Exception):
    """A subscription would pass the topic limit (the route answers 400)."""


class NotificationHub:
    """Every channel of the sandbox, and the fan-out of published changes.

    Args:
        settings: the limits and periods.
        clock: wall-clock seconds (the state's).
    """

    def __init__(
        self, settings: NotificationSettings, clock: Callable[[], float]
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.channels: dict[str, Channel] = {}
        self.published = 0

    # ------------------------------------------------------------ channels
    def create(
        self, client_id: str, token_sha256: str, token_expires: float
    ) -> Channel:
        """Open a channel for `client_id`; past the limit the oldest goes.

        The channel removed is the one with the oldest last use, preferring
        channels without an open socket (§2.1).
        """
        now = self.clock()
        self.expire()
        own = [c for c in self.channels.values() if c.client_id == client_id]
        if len(own) >= self.settings.channel_limit:
            victim = min(own, key=lambda c: (c.socket is not None, c.last_used))
            self.remove(victim.id)
        channel = Channel(
            id=str(uuid.uuid4()),
            client_id=client_id,
            token_sha256=token_sha256,
            token_expires=token_expires,
            expires=now + self.settings.channel_ttl,
            last_used=now,
        )
        self.channels[channel.id] = channel
        return channel

    def get(self, channel_id: str) -> Channel | None:
        """The live channel `channel_id` (expired ones are removed first)."""
        self.expire()
        return self.channels.get(channel_id)

    def owned(self, client_id: str, token_sha256: str | None) -> list[Channel]:
        """The client's live channels (only `token_sha256`'s unless None)."""
        self.expire()
        return [
            c
            for c in self.channels.values()
            if c.client_id == client_id
            and (token_sha256 is None or c.token_sha256 == token_sha256)
        ]

    def remove(self, channel_id: str) -> None:
        """Drop a channel, closing its socket."""
        channel = self.channels.pop(channel_id, None)
        if channel is not None and channel.socket is not None:
            channel.socket.close(GOING_AWAY)
            channel.socket = None

    def expire(self) -> None:
        """Remove every channel past its ``expires``."""
        now = self.clock()
        for channel in [c for c in self.channels.values() if c.expires <= now]:
            self.remove(channel.id)

    # ------------------------------------------------------------ topics
    @staticmethod
    def topic_state(client: ClientRecord, topic: str) -> dict[str, Any]:
        """The ``ChannelTopic`` answer for `topic` subscribed by `client`."""
        needed = _needed(topic)
        if needed is None:
            return {"id": topic, "state": "Rejected", "rejectionReason": UNKNOWN_TOPIC}
        if needed and not any(client.allows(p) for p in needed):
            return {
                "id": topic,
                "state": "Rejected",
                "rejectionReason": MISSING_PERMISSIONS,
                "missingPermissions": list(needed),
            }
        return {"id": topic, "state": "Permitted"}

    def subscribe(
        self,
        channel: Channel,
        client: ClientRecord,
        topics: Iterable[str],
        *,
        replace: bool,
        token_sha256: str,
        token_expires: float,
    ) -> list[dict[str, Any]]:
        """Add (or with `replace`, set) the topics of `channel`.

        A subscription renews the channel's lifetime and binds it to the token
        that made it (§2.3: "resubscribe to topics" to keep a channel).

        Returns:
            The ``ChannelTopic`` answers of the topics asked for.

        Raises:
            ChannelLimitError: the channel would hold more topics than allowed.
        """
        asked = list(dict.fromkeys(topics))
        answers = [self.topic_state(client, t) for t in asked]
        kept = {} if replace else dict(channel.topics)
        for answer in answers:
            kept[answer["id"]] = answer
        if len(kept) > self.settings.topic_limit:
            msg = (
                f"A channel can hold at most {self.settings.topic_limit} topics; "
                f"this request would make {len(kept)}"
            )
            raise ChannelLimitError(msg)
        channel.topics = kept
        now = self.clock()
        channel.expires = now + self.settings.channel_ttl
        channel.last_used = now
        channel.token_sha256 = token_sha256
        channel.token_expires = token_expires
        return answers

    # ------------------------------------------------------------ sockets
    def attach(self, channel: Channel) -> Socket:
        """Open a socket on `channel`; a socket already open is closed (§2.3)."""
        if channel.socket is not None:
            channel.socket.close(GOING_AWAY)
        channel.socket = Socket()
        channel.last_used = self.clock()
        return channel.socket

    def detach(self, channel_id: str, socket: Socket) -> None:
        """Forget `socket` when it is still the channel's."""
        channel = self.channels.get(channel_id)
        if channel is not None and channel.socket is socket:
            channel.socket = None

    def publish(self, topic: str, body: Mapping[str, Any], correlation_id: str) -> int:
        """Send a change to every open socket subscribed to `topic`.

        Returns:
            How many sockets it was queued for.
        """
        message = {
            "topicName": topic,
            "version": MESSAGE_VERSION,
            "eventBody": dict(body),
            "metadata": {"CorrelationId": correlation_id},
        }
        sent = 0
        for channel in self.channels.values():
            entry = channel.topics.get(topic)
            if (
                channel.socket is not None
                and entry is not None
                and entry["state"] == "Permitted"
            ):
                channel.socket.send(message)
                sent += 1
        self.published += 1
        return sent

    def warn_closing(self) -> int:
        """Send ``v2.system.socket_closing`` to every open socket, then close
        each after the grace period. Returns how many sockets were warned."""
        sockets = [c.socket for c in self.channels.values() if c.socket is not None]
        for socket in sockets:
            socket.send(
                {
                    "topicName": SOCKET_CLOSING,
                    "version": MESSAGE_VERSION,
                    "eventBody": {"message": "The socket is closing for maintenance"},
                    "metadata": {"CorrelationId": str(uuid.uuid4())},
                }
            )
        if sockets:
            loop = asyncio.get_running_loop()
            for socket in sockets:
                loop.call_later(self.settings.closing_grace, socket.close, GOING_AWAY)
        return len(sockets)

    def drop_sockets(self) -> int:
        """Close every open socket at once (a dropped connection); channels stay."""
        dropped = 0
        for channel in self.channels.values():
            if channel.socket is not None:
                channel.socket.close(GOING_AWAY)
                channel.socket = None
                dropped += 1
        return dropped


def _needed(topic: str) -> tuple[str, ...] | None:
    """The ANY-of permissions `topic` needs; None for a topic not known."""
    match = _SCHEDULE_TOPIC.match(topic)
    if match is not None:
        family = FAMILIES.get(match.group(1))
        return None if family is None else family.view
    match = _CAMPAIGN_TOPIC.match(topic)
    if match is not None:
        return _CAMPAIGN_TOPICS.get(match.group(1))
    return None

"""The Notifications API: channels and subscriptions over REST, the channel's
WebSocket with the ``websockets`` library (compliance-drift-research.md §2.1–2.3).

Why ``websockets`` and not ``httpx-ws``: it is the library uvicorn itself
upgrades with (one implementation on both ends of the tests), it is asyncio
native, well kept, and handles close codes, pings, size limits and
``HTTPS_PROXY`` itself; ``httpx-ws`` would reuse the httpx pool, which brings
nothing to one long-lived socket and adds a smaller project to trust. REST
calls go through the client's own plumbing (token, pacing, retries).

`Notifications` satisfies `gcsched.engine.watch.NotificationService` by shape.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import websockets
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from gcsched.client.base import ClientBase, _seg
from gcsched.errors import ApiError, NetworkError

__all__ = ["CHANNELS", "ChannelInfo", "Notifications", "Socket"]

CHANNELS: Final = "/api/v2/notifications/channels"
#: The largest message accepted on the socket (a schedule body is a few kB).
MAX_MESSAGE_BYTES: Final = 1 << 20


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    """A channel as ``POST /api/v2/notifications/channels`` answers it.

    Attributes:
        id: the channel id.
        connect_uri: the WebSocket URL.
        lifetime: seconds from now to its ``expires`` (at least 1).
    """

    id: str
    connect_uri: str
    lifetime: float


def _lifetime(expires: Any) -> float:
    """Seconds until an ``expires`` timestamp; a day when it cannot be read."""
    if not isinstance(expires, str):
        return 86400.0
    try:
        moment = datetime.fromisoformat(expires.replace("Z", "+00:00"))
    except ValueError:
        return 86400.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(1.0, (moment - datetime.now(UTC)).total_seconds())


class Socket:
    """One open channel WebSocket (satisfies the engine's `Stream`)."""

    def __init__(self, connection: ClientConnection) -> None:
        self._connection = connection

    async def receive(self, wait: float) -> dict[str, Any] | None:
        """The next JSON message; None once the socket is closed.

        Raises:
            TimeoutError: nothing arrived within `wait` seconds.
        """
        try:
            raw = await asyncio.wait_for(self._connection.recv(), wait)
        except ConnectionClosed:
            return None
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    async def close(self) -> None:
        """Close the socket (normal closure)."""
        await self._connection.close()


class Notifications:
    """Channels, subscriptions and sockets for one `ClientBase`.

    Args:
        client: the API client whose token, pacing and retries the REST calls use.
        open_timeout: seconds to open a WebSocket.
    """

    def __init__(self, client: ClientBase, *, open_timeout: float = 10.0) -> None:
        self._client = client
        self._open_timeout = open_timeout

    @property
    def token_renewals(self) -> int:
        """How many tokens the client has minted (a change: resubscribe)."""
        return self._client._auth.renewals

    async def create_channel(self) -> ChannelInfo:
        """``POST /api/v2/notifications/channels``.

        Raises:
            ApiError: the API refused or answered something else than a Channel.
        """
        data = await self._client._call("POST", f"POST {CHANNELS}", CHANNELS)
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("id"), str)
            or not isinstance(data.get("connectUri"), str)
        ):
            msg = f"Unexpected answer for POST {CHANNELS}: not a Channel"
            raise ApiError(msg, method="POST", path=CHANNELS)
        return ChannelInfo(
            data["id"], data["connectUri"], _lifetime(data.get("expires"))
        )

    async def subscribe(
        self, channel_id: str, topics: list[str]
    ) -> list[dict[str, Any]]:
        """Set the channel's topics (``PUT …/subscriptions?ignoreErrors=true``).

        ``ignoreErrors`` keeps a topic that fails its permission check from
        failing the others: each answer's ``state`` says (``Permitted`` or
        ``Rejected`` with ``missingPermissions``). A PUT also renews the
        channel's lifetime.

        Returns:
            The ``ChannelTopic`` answers.
        """
        path = f"{CHANNELS}/{_seg(channel_id)}/subscriptions"
        data = await self._client._call(
            "PUT",
            f"PUT {CHANNELS}/{{channelId}}/subscriptions",
            path,
            params={"ignoreErrors": "true"},
            json=[{"id": topic} for topic in topics],
        )
        entities = data.get("entities") if isinstance(data, dict) else None
        if not isinstance(entities, list):
            msg = f"Unexpected answer for PUT {path}: no entities list"
            raise ApiError(msg, method="PUT", path=path)
        return [e for e in entities if isinstance(e, dict)]

    async def connect(self, uri: str) -> Socket:
        """Open the channel's WebSocket.

        Raises:
            NetworkError: it could not be opened.
        """
        try:
            connection = await websockets.connect(
                uri,
                open_timeout=self._open_timeout,
                max_size=MAX_MESSAGE_BYTES,
                user_agent_header="gcsched",
            )
        except (OSError, InvalidHandshake, InvalidURI, TimeoutError) as exc:
            msg = f"cannot open the notification socket: {type(exc).__name__}: {exc}"
            raise NetworkError(msg) from None
        return Socket(connection)

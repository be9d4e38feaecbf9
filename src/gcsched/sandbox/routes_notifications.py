"""Notifications routes: channels and subscriptions (REST), the channel's
WebSocket, and the sandbox-only switches that close sockets.

REST: ``POST/GET /api/v2/notifications/channels``, ``HEAD .../{channelId}``,
``GET/POST/PUT/DELETE .../{channelId}/subscriptions`` (compliance-drift-research.md
§2.1; no permissions at channel level, each topic checks its own). The socket
is served at ``/channels/{channelId}`` (the ``connectUri``): heartbeats, the
messages of the channel's topics, ``{"message": "ping"}`` answered with a pong,
a ``{"result": "404"}`` message for a channel that is gone, and a close (1001)
when the channel or the token that last subscribed it expires.
``POST /sandbox/notifications/closing`` sends ``v2.system.socket_closing``
to every socket (then closes them after the grace period);
``POST /sandbox/notifications/drop`` drops every socket at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket, WebSocketDisconnect

from gcsched.sandbox.clients import sha256
from gcsched.sandbox.notifications import (
    HEARTBEAT,
    PONG,
    Channel,
    ChannelLimitError,
    NotificationHub,
)
from gcsched.sandbox.problems import ApiProblem
from gcsched.sandbox.routes_outbound import not_found, read_json
from gcsched.sandbox.runtime import Runtime, json_response
from gcsched.sandbox.state import utc_stamp

__all__ = ["CHANNELS", "NotificationRoutes"]

CHANNELS = "/api/v2/notifications/channels"


def _bearer_sha(request: Request) -> str:
    text = request.headers.get("authorization", "")
    return sha256(text.partition(" ")[2].strip())


class NotificationRoutes:
    """Handlers of the Notifications API and the channel socket."""

    def __init__(self, rt: Runtime, hub: NotificationHub) -> None:
        self.rt = rt
        self.hub = hub

    # ------------------------------------------------------------ helpers
    def _token(self, request: Request) -> tuple[str, float]:
        digest = _bearer_sha(request)
        record = self.rt.state.tokens.get(digest)
        return digest, (record.expires_at if record is not None else 0.0)

    def _channel(self, request: Request) -> Channel:
        channel = self.hub.get(request.path_params["channelId"])
        if channel is None or channel.client_id != Runtime.client(request).client_id:
            raise not_found()
        return channel

    @staticmethod
    def _connect_uri(request: Request, channel_id: str) -> str:
        scheme = "wss" if request.url.scheme == "https" else "ws"
        return f"{scheme}://{request.url.netloc}/channels/{channel_id}"

    def _channel_body(self, request: Request, channel: Channel) -> dict[str, Any]:
        return {
            "connectUri": self._connect_uri(request, channel.id),
            "id": channel.id,
            "expires": utc_stamp(channel.expires),
        }

    @staticmethod
    def _topics(channel: Channel, entities: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "entities": [
                {**e, "selfUri": f"{CHANNELS}/{channel.id}/subscriptions"}
                for e in entities
            ]
        }

    # ------------------------------------------------------------ channels
    async def create_channel(self, request: Request) -> Response:
        """``POST /api/v2/notifications/channels``."""
        digest, expires = self._token(request)
        client = Runtime.client(request)
        channel = self.hub.create(client.client_id, digest, expires)
        return json_response(self._channel_body(request, channel))

    async def list_channels(self, request: Request) -> Response:
        """``GET /api/v2/notifications/channels`` (``includechannels``)."""
        include = request.query_params.get("includechannels", "token")
        if include not in ("token", "oauthclient"):
            raise ApiProblem(
                400,
                "invalid.value",
                f"includechannels={include!r} is invalid: use token or oauthclient",
            )
        digest, _ = self._token(request)
        client = Runtime.client(request)
        channels = self.hub.owned(
            client.client_id, digest if include == "token" else None
        )
        return json_response(
            {"entities": [self._channel_body(request, c) for c in channels]}
        )

    async def head_channel(self, request: Request) -> Response:
        """``HEAD .../channels/{channelId}``: 200 when it exists, else 404."""
        self._channel(request)
        return Response(status_code=200)

    # ------------------------------------------------------------ subscriptions
    async def get_subscriptions(self, request: Request) -> Response:
        """``GET .../{channelId}/subscriptions``."""
        channel = self._channel(request)
        return json_response(self._topics(channel, list(channel.topics.values())))

    async def post_subscriptions(self, request: Request) -> Response:
        """``POST .../{channelId}/subscriptions``: add topics."""
        return await self._subscribe(request, replace=False)

    async def put_subscriptions(self, request: Request) -> Response:
        """``PUT .../{channelId}/subscriptions``: replace the topics."""
        return await self._subscribe(request, replace=True)

    async def delete_subscriptions(self, request: Request) -> Response:
        """``DELETE .../{channelId}/subscriptions``: remove every topic."""
        channel = self._channel(request)
        channel.topics = {}
        return Response(status_code=204)

    async def _subscribe(self, request: Request, *, replace: bool) -> Response:
        channel = self._channel(request)
        raw = await read_json(request)
        if not isinstance(raw, list) or not all(
            isinstance(t, dict) and isinstance(t.get("id"), str) and t["id"]
            for t in raw
        ):
            raise ApiProblem(
                400,
                "bad.request",
                "The body must be a list of ChannelTopic objects with an id.",
            )
        ignore = request.query_params.get("ignoreErrors", "false").lower() == "true"
        client = Runtime.client(request)
        topics = [t["id"] for t in raw]
        if not ignore:
            refused = [
                a
                for a in (self.hub.topic_state(client, t) for t in topics)
                if a["state"] == "Rejected"
            ]
            if refused:
                names = ", ".join(a["id"] for a in refused)
                raise ApiProblem(
                    403,
                    "missing.permissions",
                    f"Unable to subscribe to topics [{names}]: permission or "
                    "topic checks failed (ignoreErrors=true subscribes the rest)",
                )
        digest, expires = self._token(request)
        try:
            answers = self.hub.subscribe(
                channel,
                client,
                topics,
                replace=replace,
                token_sha256=digest,
                token_expires=expires,
            )
        except ChannelLimitError as exc:
            raise ApiProblem(400, "notification.topic.limit", str(exc)) from None
        return json_response(self._topics(channel, answers))

    # ------------------------------------------------------------ sandbox only
    async def closing(self, request: Request) -> Response:
        """``POST /sandbox/notifications/closing``: warn, then close, every socket."""
        return json_response({"warned": self.hub.warn_closing()})

    async def drop(self, request: Request) -> Response:
        """``POST /sandbox/notifications/drop``: close every socket now."""
        return json_response({"dropped": self.hub.drop_sockets()})

    # ------------------------------------------------------------ the socket
    async def socket(self, websocket: WebSocket) -> None:
        """The channel's WebSocket (``connectUri``)."""
        await websocket.accept()
        channel_id = websocket.path_params["channelId"]
        channel = self.hub.get(channel_id)
        if channel is None:
            await websocket.send_text(
                json.dumps(
                    {"result": "404", "message": f"Channel {channel_id} not found"}
                )
            )
            await websocket.close(1000)
            return
        socket = self.hub.attach(channel)
        reader = asyncio.create_task(self._read(websocket, socket.queue))
        try:
            await self._pump(websocket, channel, socket.queue)
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
            self.hub.detach(channel_id, socket)

    async def _pump(
        self,
        websocket: WebSocket,
        channel: Channel,
        queue: asyncio.Queue[dict[str, Any] | int],
    ) -> None:
        clock = self.hub.clock
        period = self.hub.settings.heartbeat
        beat = clock() + period
        while True:
            now = clock()
            if now >= channel.expires or now >= channel.token_expires:
                if now >= channel.expires:
                    self.hub.remove(channel.id)
                await websocket.close(1001)
                return
            wait = max(0.0, min(beat, channel.expires, channel.token_expires) - now)
            try:
                item = await asyncio.wait_for(queue.get(), wait)
            except TimeoutError:
                if clock() >= beat:
                    await websocket.send_text(json.dumps(HEARTBEAT))
                    beat = clock() + period
                continue
            if isinstance(item, int):
                if item:
                    await websocket.close(item)
                return
            await websocket.send_text(json.dumps(item))

    @staticmethod
    async def _read(
        websocket: WebSocket, queue: asyncio.Queue[dict[str, Any] | int]
    ) -> None:
        """Answer pings; a closed socket ends the pump (close code 0)."""
        try:
            while True:
                text = await websocket.receive_text()
                try:
                    data = json.loads(text)
                except json.JSONDecodeError:
                    data = None
                if isinstance(data, dict) and data.get("message") == "ping":
                    queue.put_nowait(dict(PONG))
                else:
                    queue.put_nowait(
                        {
                            "result": "400",
                            "status": "error",
                            "message": "Unknown request",
                        }
                    )
        except (WebSocketDisconnect, RuntimeError):
            queue.put_nowait(0)

"""Helpers for the watch tests: a schedule file, a webhook receiver, edits made
"in the UI" (straight to the API, as another client would), and a running watch.

Nothing here times anything: `Running.until` waits for a condition with a
generous limit that only bounds a hung test.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from standardwebhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gcsched.api import Connection, connect
from gcsched.api.watch import watch
from gcsched.client import Credentials
from gcsched.engine.watch import Watcher, WatchSettings, WatchSummary
from gcsched.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
SECRET_ENV = "TEST_WATCH_WEBHOOK_SECRET"
CAMPAIGNS = ("Win-back", "Collections 30", "EMEA Prospecting")
LIMIT = 60.0  # seconds before a wait gives up: bounds a hung test only


def schedule_file(
    tmp_path: Path,
    hook_url: str,
    campaigns: tuple[str, ...] = CAMPAIGNS,
    *,
    max_change_fraction: float = 1.0,
) -> Path:
    """A file managing `campaigns` (weekday windows) with a drift webhook."""
    entries = "".join(
        f"""  - campaign: {name}
    time_zone: America/Chicago
    windows:
      - {{days: [mon-fri], start: "09:00", end: "17:00"}}
    from: 2027-01-04
"""
        for name in campaigns
    )
    path = tmp_path / "watched.yaml"
    path.write_text(
        f"""version: 1
project: watched
policy:
  audience_conflicts: warn
  max_change_fraction: {max_change_fraction}
  min_existing: 1
schedules:
{entries}webhooks:
  - url: {hook_url}
    secret_env: {SECRET_ENV}
    allow_insecure_loopback: true
    events: [schedule.drifted, schedule.updated]
""",
        encoding="utf-8",
    )
    return path


class Hooks:
    """A Standard Webhooks receiver: verifies every request, keeps each id once."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.app = Starlette(routes=[Route("/hook", self.receive, methods=["POST"])])

    async def receive(self, request: Request) -> Response:
        body = await request.body()
        try:
            payload = Webhook(SECRET).verify(body, dict(request.headers))
        except WebhookVerificationError:
            return Response(status_code=401)
        self.received.append((request.headers["webhook-id"], payload))
        return Response(status_code=204)

    def of(self, event_type: str) -> list[tuple[str, dict[str, Any]]]:
        return [(i, p) for i, p in self.received if p["type"] == event_type]


class Org:
    """Changes made to the sandbox by someone else than gcsched.

    Every call opens (and closes) its own connection: nothing outlives it.
    """

    def __init__(self, url: str) -> None:
        self.url = url

    async def _send(self, method: str, path: str, **kw: Any) -> httpx.Response:
        async with httpx.AsyncClient(base_url=self.url, timeout=30) as http:
            if path.startswith("/api/"):
                reply = await http.post(
                    "/oauth/token",
                    data={"grant_type": "client_credentials"},
                    auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
                )
                token = reply.json()["access_token"]
                kw["headers"] = {"Authorization": f"Bearer {token}"}
            return await http.request(method, path, **kw)

    async def campaign_id(self, name: str) -> str:
        reply = await self._send(
            "GET", "/api/v2/outbound/campaigns", params={"name": name}
        )
        return str(next(c["id"] for c in reply.json()["entities"] if c["name"] == name))

    async def schedule(self, campaign_id: str) -> dict[str, Any]:
        reply = await self._send(
            "GET", f"/api/v2/outbound/schedules/campaigns/{campaign_id}"
        )
        assert reply.status_code == 200, reply.text
        return dict(reply.json())

    async def edit(self, name: str, time_zone: str) -> dict[str, Any]:
        """Change the schedule's zone, as an admin in the UI would."""
        cid = await self.campaign_id(name)
        body = await self.schedule(cid)
        skip = ("selfUri", "dateCreated", "dateModified", "nextOccurrenceDetails")
        sent = {k: v for k, v in body.items() if k not in skip}
        sent["timeZone"] = time_zone
        for recurrence in sent.get("recurrences", []):
            recurrence["timeZone"] = time_zone
        reply = await self._send(
            "PUT", f"/api/v2/outbound/schedules/campaigns/{cid}", json=sent
        )
        assert reply.status_code == 200, reply.text
        return dict(reply.json())

    async def post(self, path: str) -> None:
        reply = await self._send("POST", path)
        assert reply.status_code == 200, reply.text


@dataclass
class Running:
    """A watch running in a task, and what it has printed."""

    conn: Connection
    task: asyncio.Task[WatchSummary]
    lines: list[str] = field(default_factory=list)
    watchers: list[Watcher] = field(default_factory=list)

    @property
    def watcher(self) -> Watcher:
        return self.watchers[0]

    @property
    def summary(self) -> WatchSummary:
        return self.watcher.summary

    def drift_lines(self) -> list[str]:
        return [line for line in self.lines if line.startswith("drift:")]

    async def until(self, condition: Callable[[], bool], what: str) -> None:
        """Wait until `condition()` holds (the task failing ends the wait)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LIMIT
        while not condition():
            if self.task.done():
                self.task.result()  # raises what ended it
                raise AssertionError(f"the watch ended before {what}")
            if loop.time() > deadline:
                raise AssertionError(f"still waiting for {what}: {self.lines}")
            await asyncio.sleep(0.02)

    async def connected(self) -> None:
        """Wait for the first snapshot (the sockets are open by then)."""
        await self.until(
            lambda: bool(self.watchers) and self.summary.checks >= 1,
            "the first snapshot",
        )

    async def settled(self) -> None:
        """Wait until every event seen so far has been checked."""
        await self.until(
            lambda: not self.watcher._pending and self.watcher._due is None,
            "the checks",
        )

    async def stop(self) -> WatchSummary:
        self.watcher.stop("the test")
        return await asyncio.wait_for(self.task, LIMIT)


@asynccontextmanager
async def connection(url: str, state_dir: Path) -> AsyncIterator[Connection]:
    async with connect(
        api_url=url,
        credentials=Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        environ={SECRET_ENV: SECRET},
        state_dir=state_dir,
        rate_limit=6000,
    ) as conn:
        yield conn


@asynccontextmanager
async def running_watch(
    conn: Connection, file: Path, settings: WatchSettings, metrics: Path | None = None
) -> AsyncIterator[Running]:
    """Start `watch` on `file`; stop it (if still running) on the way out."""
    lines: list[str] = []
    watchers: list[Watcher] = []
    task = asyncio.create_task(
        watch(
            conn,
            file,
            report=lines.append,
            settings=settings,
            metrics_file=metrics,
            on_start=watchers.append,
        )
    )
    run = Running(conn, task, lines, watchers)
    try:
        yield run
    finally:
        if not task.done():
            if watchers:
                watchers[0].stop("the test")
            with suppress(Exception):  # the test reports its own failure
                await asyncio.wait_for(task, LIMIT)

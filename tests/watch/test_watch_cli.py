"""`gcsched watch` as a command: exit codes, the summary, SIGTERM, and the
rejected-topic report."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
import pytest
from served_app import serve_app
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket
from typer.testing import CliRunner
from watch_support import SECRET, SECRET_ENV, Org, schedule_file

from gcsched.api import connect, load
from gcsched.cli.app import app, hoist_globals
from gcsched.client import Credentials, GenesysClient
from gcsched.client.notifications import Notifications, _lifetime
from gcsched.engine.watch import Watcher
from gcsched.errors import ApiError, NetworkError
from gcsched.journal import Journal
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
)
from gcsched.sandbox.clients import ClientRecord, sha256

pytestmark = pytest.mark.slow

ENV = {
    "GENESYSCLOUD_OAUTHCLIENT_ID": DEFAULT_CLIENT_ID,
    "GENESYSCLOUD_OAUTHCLIENT_SECRET": DEFAULT_CLIENT_SECRET,
    SECRET_ENV: SECRET,
}
HOOK = "http://127.0.0.1:9/hook"  # never called: these tests make no drift


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, hoist_globals(list(args)), env=ENV, catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    file = schedule_file(tmp_path, HOOK)
    code, _, err = invoke("watch", str(file), "--heal-cap", "0")
    assert code == 2
    assert "--heal-cap" in err
    code, _, err = invoke("watch", str(file), "--heartbeat-timeout", "0")
    assert code == 2
    code, _, err = invoke("watch", str(file), "--sandbox")
    assert code == 2
    assert "gcsched sandbox serve" in err


def test_giving_up_exits_1_with_the_summary(tmp_path: Path) -> None:
    fault = "5xx:rate=1,status=503,path=/api/v2/notifications/channels"
    app_ = create_app(SandboxState.demo(), rate_limit=0, faults=[fault])
    file = schedule_file(tmp_path, HOOK)
    with serve_app(app_) as served:
        code, out, err = invoke(
            "watch",
            str(file),
            "--api-url",
            served.url,
            "--state-dir",
            str(tmp_path / "state"),
            "--give-up-after",
            "1",
        )
    assert code == 1, err
    assert "giving up after 1" in err
    assert "reconnects: 0" in out


def test_heal_cap_exits_3(tmp_path: Path) -> None:
    """Past its cap `watch --heal` exits 3 (design.md's exit table)."""
    file = schedule_file(tmp_path, HOOK, ("Win-back",))
    state = tmp_path / "state"
    with serve_app(create_app(SandboxState.demo(), rate_limit=0)) as served:
        code, _, err = invoke(
            "apply",
            str(file),
            "--yes",
            "--api-url",
            served.url,
            "--state-dir",
            str(state),
        )
        assert code == 0, err
        org = Org(served.url)

        async def main() -> tuple[int, str, str]:
            task = asyncio.create_task(
                asyncio.to_thread(
                    invoke,
                    "watch",
                    str(file),
                    "--heal",
                    "--heal-cap",
                    "1",
                    "--heal-cooldown",
                    "0",
                    "--debounce",
                    "0",
                    "--api-url",
                    served.url,
                    "--state-dir",
                    str(state),
                )
            )
            await _subscribed(served.url, 1)
            await org.edit("Win-back", "America/Denver")
            await _healed(state)
            await org.edit("Win-back", "America/New_York")
            return await task

        code, out, err = asyncio.run(main())
    assert code == 3, (out, err)
    assert "cap of 1 heals per hour" in err
    assert "healed 1" in out


async def _subscribed(url: str, times: int) -> None:
    route = "PUT /api/v2/notifications/channels/{channelId}/subscriptions"
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=url) as http:
        while True:
            stats = (await http.get("/sandbox/stats")).json()
            if sum(stats["requests"].get(route, {}).values()) >= times:
                return
            assert time.monotonic() < deadline, "the watch never subscribed"
            await asyncio.sleep(0.05)


async def _healed(state: Path) -> None:
    """Wait until a heal's run is in the journal, with its reason."""
    deadline = time.monotonic() + 60
    while True:
        with Journal.open(state / "journal.sqlite") as journal:
            if any("reason" in run.summary for run in journal.list_runs()):
                return
        assert time.monotonic() < deadline, "no heal run"
        await asyncio.sleep(0.05)


def test_sigterm_ends_the_watch_with_exit_0(tmp_path: Path) -> None:
    """The console script, stopped by SIGTERM, prints its summary and exits 0."""
    file = schedule_file(tmp_path, HOOK)
    env = {**os.environ, **ENV, "PYTHONUNBUFFERED": "1"}
    with serve_app(create_app(SandboxState.demo(), rate_limit=0)) as served:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from gcsched.cli.app import main; main()",
                "watch",
                str(file),
                "--api-url",
                served.url,
                "--state-dir",
                str(tmp_path / "state"),
                "--metrics-file",
                str(tmp_path / "watch.prom"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            asyncio.run(_subscribed(served.url, 1))
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err
    assert "stopped: SIGTERM" in out
    assert "watched 6 topics on 1 channel(s)" in out
    assert (
        "gcsched_watch_drifted_schedules 0.0" in (tmp_path / "watch.prom").read_text()
    )


def test_a_rejected_topic_is_reported_with_its_missing_permissions(
    tmp_path: Path,
) -> None:
    """The sandbox answers Rejected for a client without the permission; the
    watch names the topic and what is missing."""
    state = SandboxState.demo()
    state.clients["viewer"] = ClientRecord(
        "viewer", sha256(DEFAULT_CLIENT_SECRET), frozenset()
    )
    lines: list[str] = []

    async def main() -> None:
        async with GenesysClient(
            served.url, Credentials("viewer", DEFAULT_CLIENT_SECRET), rate_limit=6000
        ) as client:
            service = Notifications(client)
            async with connect(
                api_url=served.url,
                credentials=Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
                state_dir=tmp_path / "state",
                rate_limit=6000,
            ) as conn:
                conn.state.make()
                with Journal.open(conn.state.journal) as journal:
                    watcher = Watcher(
                        client,
                        service,
                        load(schedule_file(tmp_path, HOOK)),
                        journal=journal,
                        report=lines.append,
                        today=lambda: date(2027, 1, 1),
                    )
                    channel = await service.create_channel()
                    topic = "v2.outbound.schedules.campaigns.c1"
                    await watcher._subscribe(channel, [topic, topic])
                    assert watcher.summary.rejected == [topic]

    with serve_app(create_app(state, rate_limit=0)) as served:
        asyncio.run(main())
    assert len(lines) == 1
    assert "rejected (Missing permissions; missing permissions: " in lines[0]
    assert "outbound:schedule:view" in lines[0]


def test_channel_expiry_is_read_from_the_answer() -> None:
    assert _lifetime(None) == 86400.0
    assert _lifetime("not a date") == 86400.0
    assert _lifetime("2000-01-01T00:00:00") == 1.0
    assert _lifetime("2999-01-01T00:00:00.000Z") > 86400.0


def test_odd_answers_and_unreachable_sockets() -> None:
    """The client names an answer that is not a Channel or a topic listing, and
    a socket it cannot open; a message that is not a JSON object reads as {}."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(
                200,
                json={"access_token": "t", "token_type": "bearer", "expires_in": 3600},
            )
        return httpx.Response(200, json={"entities": "no"})

    async def main() -> None:
        async with GenesysClient(
            "https://api.mypurecloud.com",
            Credentials("id", "secret"),
            transport=httpx.MockTransport(answer),
            rate_limit=6000,
        ) as client:
            service = Notifications(client)
            with pytest.raises(ApiError, match="not a Channel"):
                await service.create_channel()
            with pytest.raises(ApiError, match="no entities list"):
                await service.subscribe("c1", ["t"])
            with pytest.raises(
                NetworkError, match="cannot open the notification socket"
            ):
                await service.connect("ws://127.0.0.1:9/channels/x")
            with serve_app(_odd_socket()) as served:
                socket = await service.connect("ws" + served.url[4:] + "/s")
                assert await socket.receive(10) == {}
                assert await socket.receive(10) == {}
                assert await socket.receive(10) is None
                await socket.close()

    asyncio.run(main())


def _odd_socket() -> Starlette:
    async def odd(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("not json")
        await websocket.send_text("[1, 2]")
        await websocket.close()

    return Starlette(routes=[WebSocketRoute("/s", odd)])


def test_a_missing_webhook_secret_is_invalid_input(tmp_path: Path) -> None:
    file = schedule_file(tmp_path, HOOK)
    env = {k: v for k, v in ENV.items() if k != SECRET_ENV}
    result = CliRunner().invoke(
        app,
        hoist_globals(["watch", str(file), "--api-url", "http://127.0.0.1:9"]),
        env=env,
        catch_exceptions=False,
    )
    assert result.exit_code == 2
    assert SECRET_ENV in result.stderr

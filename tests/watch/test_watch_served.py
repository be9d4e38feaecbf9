"""`gcsched watch` against the sandbox served by uvicorn on loopback."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from served_app import serve_app
from watch_support import Hooks, Org, connection, running_watch, schedule_file

from gcsched.api.state import StatePaths
from gcsched.engine.watch import HealCapReachedError, WatchGaveUpError, WatchSettings
from gcsched.journal import Journal
from gcsched.sandbox import SandboxState, create_app
from gcsched.sandbox.notifications import NotificationSettings
from required_tools import require_tool

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture(scope="module")
def hooks() -> Iterator[tuple[Hooks, str]]:
    receiver = Hooks()
    with serve_app(receiver.app) as running:
        yield receiver, f"{running.url}/hook"


def sandbox(**kw: Any) -> Any:
    notifications = NotificationSettings(
        heartbeat=kw.pop("heartbeat", 3600.0),
        channel_ttl=kw.pop("channel_ttl", 86400.0),
        topic_limit=kw.pop("topic_limit", 1000),
        closing_grace=kw.pop("closing_grace", 0.1),
    )
    app = create_app(
        SandboxState.demo(),
        rate_limit=0,
        token_mint_limit=0,
        notifications=notifications,
        **kw,
    )
    return serve_app(app)


def _promtool(text: str) -> subprocess.CompletedProcess[str]:
    """``promtool check metrics`` on a metrics file's text (the watch has ended)."""
    return subprocess.run(
        [require_tool("promtool"), "check", "metrics"],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def applied(url: str, tmp_path: Path, file: Path) -> None:
    """gcsched writes the file's schedules first: they are owned from then on."""
    async with connection(url, tmp_path / "state") as conn:
        outcome = await conn.apply(file)
        assert outcome.ok


async def test_reports_each_real_change_once_and_survives_sockets(
    tmp_path: Path, hooks: tuple[Hooks, str]
) -> None:
    """A change is reported before any heartbeat (the period is an hour); its
    webhook goes once; gcsched's own writes are no drift; a dropped socket and
    a socket_closing each end in a reconnect and a snapshot that repeats nothing."""
    receiver, hook_url = hooks
    receiver.received.clear()
    file = schedule_file(tmp_path, hook_url)
    metrics = tmp_path / "watch.prom"
    with sandbox() as served:
        await applied(served.url, tmp_path, file)
        org = Org(served.url)
        async with (
            connection(served.url, tmp_path / "state") as conn,
            running_watch(conn, file, WatchSettings(debounce=0.05), metrics) as run,
        ):
            await run.connected()
            assert run.summary.topics == 6
            assert run.summary.channels == 1
            await org.edit("Win-back", "America/Denver")
            await run.until(lambda: len(run.drift_lines()) == 1, "the first drift")
            assert run.summary.heartbeats == 0
            assert "'Win-back'" in run.drift_lines()[0]
            assert "differs from the file" in run.drift_lines()[0]
            await run.until(lambda: len(receiver.of("schedule.drifted")) == 1, "a hook")

            # gcsched's own write (putting it back) is not drift.
            events = run.summary.events
            outcome = await conn.apply(file)
            assert outcome.ok
            assert outcome.run is not None
            org_id = str((await conn.client.get_organization())["id"])
            await run.until(lambda: run.summary.events > events, "the apply's event")
            await run.settled()
            assert len(run.drift_lines()) == 1

            # A dropped socket: reconnect, snapshot, nothing new to say.
            checks = run.summary.checks
            await org.post("/sandbox/notifications/drop")
            await run.until(lambda: run.summary.reconnects == 1, "the reconnect")
            await run.until(lambda: run.summary.checks > checks, "the snapshot")
            assert len(run.drift_lines()) == 1
            await org.edit("Collections 30", "America/New_York")
            await run.until(lambda: len(run.drift_lines()) == 2, "the second drift")

            # socket_closing: a new connection on the same channel.
            await org.post("/sandbox/notifications/closing")
            await run.until(lambda: run.summary.reconnects == 2, "the handover")
            await org.edit("EMEA Prospecting", "Europe/London")
            await run.until(lambda: len(run.drift_lines()) == 3, "the third drift")

            # A snapshot that sees the same unhealed drifts says nothing again.
            await org.post("/sandbox/notifications/drop")
            await run.until(lambda: run.summary.reconnects == 3, "the last reconnect")
            await run.settled()
            await run.until(lambda: run.summary.checks >= 1, "a check")
            summary = await run.stop()
    drifted = receiver.of("schedule.drifted")
    assert len(drifted) == 3 == summary.drifts
    assert len({i for i, _ in drifted}) == 3
    names = [p["data"]["schedule"]["name"] for _, p in drifted]
    assert names == ["Win-back", "Collections 30", "EMEA Prospecting"]
    assert drifted[0][1]["data"]["change"] == "edited"
    # where it was seen, as run events say it: the org, and no environment
    assert drifted[0][1]["data"]["org"]["id"] == org_id
    assert drifted[0][1]["data"]["environment"] is None
    assert summary.stopped_by == "the test"
    text = metrics.read_text()
    assert "gcsched_watch_drifted_schedules 2.0" in text
    assert "gcsched_watch_reconnects_total 3.0" in text
    # Prometheus reads this file: its own checker must accept it
    checked = _promtool(text)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert any("reconnecting" in line for line in run.lines)
    # each drift is an external change in gcsched's own audit log, once
    state = StatePaths.at(tmp_path / "state")
    with state.open_store() as journal:
        log = state.audit_log(journal)
        external = [e for e in log.entries() if e["action"] == "external_change"]
    assert [(e["target"]["name"], e["external"]["seen_by"]) for e in external] == [
        ("Win-back", "watch"),
        ("Collections 30", "watch"),
        ("EMEA Prospecting", "watch"),
    ]
    assert all(e["external"]["authors"] == [] for e in external)
    assert {e["org"]["id"] for e in external} == {org_id}
    assert {e["environment"] for e in external} == {None}


async def test_survives_token_expiry_and_renews_the_channel(
    tmp_path: Path, hooks: tuple[Hooks, str]
) -> None:
    """Tokens of 2 s close the socket they subscribed; channels of 3 s are
    resubscribed before they expire; changes still arrive after both."""
    _, hook_url = hooks
    file = schedule_file(tmp_path, hook_url)
    with sandbox(token_ttl=2, channel_ttl=3.0, heartbeat=0.2) as served:
        await applied(served.url, tmp_path, file)
        org = Org(served.url)
        async with (
            connection(served.url, tmp_path / "state") as conn,
            running_watch(
                conn, file, WatchSettings(debounce=0.05, resubscribe_margin=0.3)
            ) as run,
        ):
            await run.connected()
            await run.until(
                lambda: run.summary.reconnects + run.summary.resubscriptions >= 3,
                "token and channel renewals",
            )
            await run.until(lambda: run.summary.heartbeats >= 1, "a heartbeat")
            await org.edit("Win-back", "America/Denver")
            await run.until(lambda: len(run.drift_lines()) == 1, "the drift")
            await run.stop()


async def test_a_heartbeat_watchdog_reconnects(
    tmp_path: Path, hooks: tuple[Hooks, str]
) -> None:
    _, hook_url = hooks
    file = schedule_file(tmp_path, hook_url)
    with sandbox() as served:
        async with (
            connection(served.url, tmp_path / "state") as conn,
            running_watch(conn, file, WatchSettings(heartbeat_timeout=0.3)) as run,
        ):
            await run.connected()
            await run.until(lambda: run.summary.reconnects >= 1, "the watchdog")
            assert any("no heartbeat" in line for line in run.lines)
            await run.stop()


async def test_past_the_topic_limit_a_second_channel(
    tmp_path: Path, hooks: tuple[Hooks, str]
) -> None:
    _, hook_url = hooks
    file = schedule_file(tmp_path, hook_url)
    with sandbox(topic_limit=4) as served:
        await applied(served.url, tmp_path, file)
        org = Org(served.url)
        async with (
            connection(served.url, tmp_path / "state") as conn,
            running_watch(
                conn, file, WatchSettings(debounce=0.05, max_topics=4)
            ) as run,
        ):
            await run.connected()
            assert run.summary.channels == 2
            await org.edit("EMEA Prospecting", "Europe/London")
            await run.until(lambda: len(run.drift_lines()) == 1, "the drift")
            await run.stop()


async def test_heal_converges_and_stops_at_its_cap(
    tmp_path: Path, hooks: tuple[Hooks, str]
) -> None:
    _, hook_url = hooks
    file = schedule_file(tmp_path, hook_url)
    settings = WatchSettings(debounce=0.05, heal=True, heal_cooldown=0, heal_cap=2)
    with sandbox() as served:
        await applied(served.url, tmp_path, file)
        org = Org(served.url)
        cid = await org.campaign_id("Win-back")
        async with (
            connection(served.url, tmp_path / "state") as conn,
            running_watch(conn, file, settings) as run,
        ):
            await run.connected()
            for healed in (1, 2):
                await org.edit("Win-back", "America/Denver")
                await run.until(
                    lambda n=healed: run.summary.healed == n,  # type: ignore[misc]
                    f"heal {healed}",
                )
                assert (await org.schedule(cid))["timeZone"] == "America/Chicago"
            await org.edit("Win-back", "America/Denver")
            with pytest.raises(HealCapReachedError, match="cap of 2 heals"):
                await run.task
        assert (await org.schedule(cid))["timeZone"] == "America/Denver"
    assert any("heal: re-applying the file" in line for line in run.lines)
    with Journal.open(tmp_path / "state" / "journal.sqlite") as journal:
        reasons = [r.summary.get("reason", "") for r in journal.list_runs()]
    assert sum("watch --heal" in str(r) for r in reasons) == 2


async def test_gives_up_when_channels_cannot_be_made(
    tmp_path: Path, hooks: tuple[Hooks, str]
) -> None:
    _, hook_url = hooks
    file = schedule_file(tmp_path, hook_url)
    fault = "5xx:rate=1,status=503,path=/api/v2/notifications/channels"
    with sandbox(faults=[fault]) as served:
        async with (
            connection(served.url, tmp_path / "state") as conn,
            running_watch(
                conn, file, WatchSettings(give_up_after=2, backoff=0.01)
            ) as run,
        ):
            with pytest.raises(WatchGaveUpError, match="giving up after 2"):
                await run.task
    assert any("retrying in" in line for line in run.lines)


async def test_a_deleted_schedule_is_drift_and_heal_puts_it_back(
    tmp_path: Path, hooks: tuple[Hooks, str]
) -> None:
    _, hook_url = hooks
    file = schedule_file(tmp_path, hook_url)
    settings = WatchSettings(debounce=0.05, heal=True, heal_cooldown=0)
    with sandbox() as served:
        await applied(served.url, tmp_path, file)
        org = Org(served.url)
        cid = await org.campaign_id("Collections 30")
        async with (
            connection(served.url, tmp_path / "state") as conn,
            running_watch(conn, file, settings) as run,
        ):
            await run.connected()
            reply = await org._send(
                "DELETE", f"/api/v2/outbound/schedules/campaigns/{cid}"
            )
            assert reply.status_code == 204
            await run.until(lambda: run.summary.healed == 1, "the heal")
            assert "'Collections 30'" in run.drift_lines()[0]
            assert "deleted (gcsched wrote version" in run.drift_lines()[0]
            assert (await org.schedule(cid))["timeZone"] == "America/Chicago"
            await run.settled()
            summary = await run.stop()
    assert summary.drifts == 1


async def test_a_webhook_that_fails_is_reported_and_left_in_the_outbox(
    tmp_path: Path,
) -> None:
    file = schedule_file(tmp_path, "http://127.0.0.1:9/hook", ("Win-back",))
    with sandbox() as served:
        await applied(served.url, tmp_path, file)
        org = Org(served.url)
        async with (
            connection(served.url, tmp_path / "state") as conn,
            running_watch(conn, file, WatchSettings(debounce=0.05)) as run,
        ):
            await run.connected()
            await org.edit("Win-back", "America/Denver")
            await run.until(
                lambda: any("webhook attempt(s) failed" in x for x in run.lines),
                "the failed delivery",
            )
            await run.stop()
    with Journal.open(tmp_path / "state" / "journal.sqlite") as journal:
        pending = [
            e for e in journal.pending_events() if e.event_type == "schedule.drifted"
        ]
    assert len(pending) == 1


async def test_a_heal_the_plan_refuses_is_reported_and_the_watch_goes_on(
    tmp_path: Path, hooks: tuple[Hooks, str]
) -> None:
    """An unsafe plan (more change than the policy allows) is not healed."""
    _, hook_url = hooks
    file = schedule_file(tmp_path, hook_url, max_change_fraction=0.01)
    settings = WatchSettings(debounce=0.05, heal=True, heal_cooldown=0)
    with sandbox() as served:
        async with connection(served.url, tmp_path / "state") as conn:
            assert (await conn.apply(file, force=True)).ok
        org = Org(served.url)
        async with (
            connection(served.url, tmp_path / "state") as conn,
            running_watch(conn, file, settings) as run,
        ):
            await run.connected()
            await org.edit("Win-back", "America/Denver")
            await run.until(lambda: run.summary.heal_skipped == 1, "the heal attempt")
            assert any("the apply was refused" in line for line in run.lines)
            assert run.summary.healed == 0
            assert not run.task.done()
            await run.stop()


async def test_the_channel_is_resubscribed_before_it_expires(
    tmp_path: Path, hooks: tuple[Hooks, str]
) -> None:
    """Channels of 2 s, resubscribed at half their life: changes keep arriving."""
    _, hook_url = hooks
    file = schedule_file(tmp_path, hook_url)
    with sandbox(channel_ttl=2.0) as served:
        await applied(served.url, tmp_path, file)
        org = Org(served.url)
        async with (
            connection(served.url, tmp_path / "state") as conn,
            running_watch(
                conn, file, WatchSettings(debounce=0.05, resubscribe_margin=0.5)
            ) as run,
        ):
            await run.connected()
            await run.until(lambda: run.summary.resubscriptions >= 3, "renewals")
            await org.edit("Win-back", "America/Denver")
            await run.until(lambda: len(run.drift_lines()) == 1, "the drift")
            await run.stop()


async def test_a_check_waits_while_another_gcsched_applies(
    tmp_path: Path, hooks: tuple[Hooks, str]
) -> None:
    """While another process holds the writer lock, its writes are not drift
    yet (their records land after them): the check looks again later."""
    _, hook_url = hooks
    file = schedule_file(tmp_path, hook_url)
    with sandbox() as served:
        await applied(served.url, tmp_path, file)
        org = Org(served.url)
        async with (
            connection(served.url, tmp_path / "state") as conn,
            running_watch(conn, file, WatchSettings(debounce=0.05)) as run,
        ):
            await run.connected()
            with Journal.open(tmp_path / "state" / "journal.sqlite") as other:
                other.lock.acquire(command="apply elsewhere")
                try:
                    checks = run.summary.checks
                    await org.edit("Win-back", "America/Denver")
                    await run.until(lambda: run.summary.checks > checks, "a check")
                    await run.until(lambda: bool(run.watcher._pending), "the requeue")
                    assert run.drift_lines() == []
                finally:
                    other.lock.release()
            await run.until(lambda: len(run.drift_lines()) == 1, "the drift")
            await run.stop()

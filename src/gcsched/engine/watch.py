"""`gcsched watch`: notifications as hints, the org as the truth, the journal as
the memory of what gcsched wrote (compliance-drift-research.md §2.6).

One or more notification channels (1,000 topics each) carry every managed
target's schedule topic and its campaign topic. An event never says what
changed: it only names a target to look at again. Events are debounced into a
batch; each batch, and a full snapshot after every (re)connect, plans the file
against a fresh read of the org and asks, for each schedule, whether its live
version is the one gcsched's ownership record says it wrote (`owner_of`). A
schedule edited, recreated or deleted by someone else is **drift**: one line,
one ``schedule.drifted`` webhook (its id stable per change, so a snapshot that
sees the same change again sends nothing), and a gauge in the metrics file.
gcsched's own writes are not drift: the apply records their versions.

The socket is watched too: a heartbeat watchdog, reconnects with backoff (and
then the snapshot: events in the gap are lost), ``v2.system.socket_closing``
answered by a new connection on the same channel, resubscription before the
channel expires and after each token renewal. With `heal`, an owned schedule
that drifted is put back by the normal apply (journal, audit, pacing), at most
`WatchSettings.heal_cap` times an hour and not more often than the cooldown.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final, Literal, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, write_to_textfile

from gcsched.domain.model import ScheduleFile
from gcsched.engine.live import existing_schedules
from gcsched.engine.ownership import owner_of
from gcsched.engine.planner import build_plan
from gcsched.engine.ports import Json, Org
from gcsched.errors import ApiError, NetworkError, RefusedError
from gcsched.genesys import TARGET_KIND, Family, TargetKind
from gcsched.journal import OwnershipRecord, StateStore
from gcsched.webhooks import WebhookSender
from gcsched.webhooks.events import build_events, summarize_schedule

__all__ = [
    "Drift",
    "HealCapReachedError",
    "NotificationService",
    "Stream",
    "Target",
    "WatchGaveUpError",
    "WatchSettings",
    "WatchSummary",
    "Watcher",
    "campaign_topic",
    "heal_reason",
    "schedule_topic",
]

#: The campaign topic of each family's target (§2.4). The messaging families
#: share ``messagingcampaigns`` (a GUESS: §2.4 lists ``email`` as well).
CAMPAIGN_TOPIC_PATH: Final[Mapping[Family, str]] = {
    Family.CAMPAIGNS: "campaigns",
    Family.SEQUENCES: "sequences",
    Family.EMAIL_CAMPAIGNS: "messagingcampaigns",
    Family.MESSAGING_CAMPAIGNS: "messagingcampaigns",
    Family.WHATSAPP_CAMPAIGNS: "messagingcampaigns",
}
HEARTBEAT_TOPIC: Final = "channel.metadata"
#: Seconds between two passes over the outbox (retries of webhooks that failed).
DELIVERY_PERIOD: Final = 60.0
#: Seconds a pass over the outbox may start attempts for (each then up to 15 s).
DELIVERY_DEADLINE: Final = 30.0
SOCKET_CLOSING: Final = "v2.system.socket_closing"

Key = tuple[Family, str]
ChangeKind = Literal["edited", "recreated", "deleted"]


def schedule_topic(family: Family, target_id: str) -> str:
    """The notification topic of one target's schedule."""
    return f"v2.outbound.schedules.{family.value}.{target_id}"


def campaign_topic(family: Family, target_id: str) -> str:
    """The notification topic of the target itself (campaign, sequence...)."""
    return f"v2.outbound.{CAMPAIGN_TOPIC_PATH[family]}.{target_id}"


class Stream(Protocol):
    """One open channel socket (the client's `Socket` by shape)."""

    async def receive(self, wait: float) -> Json | None:
        """The next message; None once closed; TimeoutError when quiet."""
        ...

    async def close(self) -> None: ...


class ChannelLike(Protocol):
    """A channel: id, socket URL, seconds left to live."""

    @property
    def id(self) -> str: ...

    @property
    def connect_uri(self) -> str: ...

    @property
    def lifetime(self) -> float: ...


class NotificationService(Protocol):
    """The Notifications API as the watcher needs it (`client.Notifications`)."""

    @property
    def token_renewals(self) -> int: ...

    async def create_channel(self) -> ChannelLike: ...

    async def subscribe(self, channel_id: str, topics: list[str]) -> list[Json]: ...

    async def connect(self, uri: str) -> Stream: ...


class WatchGaveUpError(NetworkError):
    """The notification service stayed unreachable (exit 1)."""


class HealCapReachedError(RefusedError):
    """``--heal`` reached its cap per hour (exit 3)."""


@dataclass(frozen=True, slots=True)
class Target:
    """One managed target: where its schedule lives and what it is called."""

    family: Family
    target_id: str
    name: str

    @property
    def key(self) -> Key:
        """(family, target id), as the plan and ownership records key it."""
        return (self.family, self.target_id)

    @property
    def kind(self) -> TargetKind:
        """campaign | sequence | messaging_campaign."""
        return TARGET_KIND[self.family]

    @property
    def topics(self) -> tuple[str, str]:
        """Its schedule topic and its campaign topic."""
        return (
            schedule_topic(self.family, self.target_id),
            campaign_topic(self.family, self.target_id),
        )


@dataclass(frozen=True, slots=True)
class Drift:
    """One change made outside gcsched to a schedule gcsched owns.

    Attributes:
        target: the target whose schedule changed.
        change: edited | recreated | deleted.
        version_recorded: the version gcsched last wrote.
        version_now: the live version (None: deleted).
        date_modified: the live ``dateModified``, when there is one.
        differs_from_file: whether the file would change it back.
        live: the live schedule body (None: deleted).
    """

    target: Target
    change: ChangeKind
    version_recorded: int | None
    version_now: int | None
    date_modified: str | None
    differs_from_file: bool
    live: Json | None = None

    @property
    def id(self) -> str:
        """Stable per change: the same change seen twice has the same id."""
        parts = (
            self.target.family.value,
            self.target.target_id,
            self.change,
            str(self.version_now),
            str(self.date_modified),
        )
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:26]

    def line(self) -> str:
        """One line for stdout."""
        if self.change == "deleted":
            what = f"deleted (gcsched wrote version {self.version_recorded})"
        elif self.change == "recreated":
            what = f"recreated by someone else (now version {self.version_now})"
        else:
            what = (
                f"edited outside gcsched (version {self.version_recorded} → "
                f"{self.version_now}, modified {self.date_modified})"
            )
        file_says = (
            "differs from the file" if self.differs_from_file else "matches the file"
        )
        return (
            f"drift: {self.target.kind} {self.target.name!r} "
            f"({self.target.target_id}): {what}; {file_says}"
        )

    def data(self, org: Mapping[str, Any], environment: str | None = None) -> Json:
        """The ``data`` of its ``schedule.drifted`` webhook (`environment`: the
        file's, None when it has none, as run events name theirs)."""
        return {
            "org": {"id": org.get("id"), "name": org.get("name")},
            "environment": environment,
            "schedule": {
                "kind": self.target.kind,
                "id": self.target.target_id,
                "name": self.target.name,
            },
            "change": self.change,
            "drift_id": self.id,
            "version_recorded": self.version_recorded,
            "version_now": self.version_now,
            "date_modified": self.date_modified,
            "differs_from_file": self.differs_from_file,
            "after": summarize_schedule(self.live),
        }


@dataclass(frozen=True, slots=True)
class WatchSettings:
    """How the watcher behaves; every period in seconds.

    Attributes:
        debounce: quiet time after an event before its batch is checked.
        heartbeat_timeout: silence on a socket that means it is dead (3 × 30 s).
        resubscribe_margin: share of a channel's lifetime left when it is
            resubscribed (renewed).
        max_topics: topics per channel (the API's limit).
        backoff: first reconnect wait; doubles up to `backoff_cap`.
        backoff_cap: longest reconnect wait.
        give_up_after: consecutive failed (re)connects before giving up.
        heal: re-apply the file when an owned schedule drifts.
        heal_cooldown: least time between two heals.
        heal_cap: most heals in any hour; one more drift past it stops the watch.
    """

    debounce: float = 0.5
    heartbeat_timeout: float = 90.0
    resubscribe_margin: float = 0.1
    max_topics: int = 1000
    backoff: float = 1.0
    backoff_cap: float = 60.0
    give_up_after: int = 10
    heal: bool = False
    heal_cooldown: float = 300.0
    heal_cap: int = 6


@dataclass(slots=True)
class WatchSummary:
    """What the watch saw, for the closing summary."""

    events: int = 0
    heartbeats: int = 0
    checks: int = 0
    drifts: int = 0
    healed: int = 0
    heal_skipped: int = 0
    reconnects: int = 0
    resubscriptions: int = 0
    channels: int = 0
    topics: int = 0
    rejected: list[str] = field(default_factory=list)
    stopped_by: str = ""

    def lines(self) -> list[str]:
        """The summary, one fact per line."""
        out = [
            f"watched {self.topics} topics on {self.channels} channel(s); "
            f"{self.events} events, {self.heartbeats} heartbeats, "
            f"{self.checks} checks",
            f"drift: {self.drifts} change(s) outside gcsched; healed {self.healed}"
            + (f", {self.heal_skipped} not healed" if self.heal_skipped else ""),
            f"reconnects: {self.reconnects}; resubscriptions: {self.resubscriptions}",
        ]
        if self.rejected:
            out.append(f"rejected topics: {len(self.rejected)}")
        if self.stopped_by:
            out.append(f"stopped: {self.stopped_by}")
        return out


Heal = Callable[[Drift], Awaitable[tuple[bool, str]]]
"""Re-applies the file for a drift; returns whether it did, and what (one line)."""


@dataclass(slots=True)
class _Open:
    channel: ChannelLike
    topics: list[str]
    stream: Stream
    expires_at: float
    last_seen: float


class _Reconnect(Exception):  # noqa: N818 - control flow, not an error
    """The connection must be opened again (why: the message)."""

    def __init__(self, why: str, *, same_channel: bool = False) -> None:
        super().__init__(why)
        self.same_channel = same_channel


class Watcher:
    """Watches the org for drift of the file's schedules (module docstring).

    Args:
        org: the org (reads; writes only through `heal`).
        service: the Notifications API.
        file: the schedule file.
        journal: the state store (ownership records, writer lock, outbox).
        report: receives each line to print.
        today: the date open-ended schedules start from.
        settings: timings, limits and healing.
        webhooks: delivers ``schedule.drifted`` events from the outbox.
        heal: re-applies the file (with ``settings.heal``).
        metrics_file: the Prometheus text file to keep current.
        clock: monotonic seconds.
        on_drift: called with each drift once reported (the audit log entry).
    """

    def __init__(
        self,
        org: Org,
        service: NotificationService,
        file: ScheduleFile,
        *,
        journal: StateStore,
        report: Callable[[str], None],
        today: Callable[[], date],
        settings: WatchSettings | None = None,
        webhooks: WebhookSender | None = None,
        heal: Heal | None = None,
        metrics_file: str | os.PathLike[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        on_drift: Callable[[Drift], None] | None = None,
    ) -> None:
        self.org = org
        self.service = service
        self.file = file
        self.journal = journal
        self.report = report
        self.today = today
        self.settings = settings or WatchSettings()
        self.webhooks = webhooks
        self.heal = heal
        self.metrics_file = metrics_file
        self.clock = clock
        self.on_drift = on_drift
        self.summary = WatchSummary()
        self.targets: dict[Key, Target] = {}
        self.by_topic: dict[str, Target] = {}
        self.seen: set[str] = set()
        self.drifted: dict[Key, Drift] = {}
        self.heals: deque[float] = deque()
        self.org_info: Json = {}
        self._open: list[_Open] = []
        self._pending: set[Key] = set()
        self._due: float | None = None
        self._renewals = -1
        self._stop = asyncio.Event()
        self._delivery: asyncio.Task[None] | None = None
        self._next_delivery = clock() + DELIVERY_PERIOD

    # ------------------------------------------------------------ control
    def stop(self, why: str = "stopped") -> None:
        """Ask `run` to end after what it is doing (Ctrl-C, SIGTERM)."""
        if not self._stop.is_set():
            self.summary.stopped_by = why
            self._stop.set()

    async def run(self) -> WatchSummary:
        """Watch until `stop`; the summary of what was seen.

        Raises:
            WatchGaveUpError: the service stayed unreachable.
            HealCapReachedError: ``heal`` reached its cap.
        """
        failures = 0
        same_channel = False
        first = True
        try:
            while not self._stop.is_set():
                try:
                    await self._connect(reuse=same_channel)
                    failures = 0
                    if not first:
                        self.summary.reconnects += 1
                    first = False
                    await self._check(None)
                    await self._listen()
                except _Reconnect as why:
                    same_channel = why.same_channel
                    self.report(f"watch: reconnecting ({why})")
                    continue
                except (ApiError, NetworkError) as exc:
                    failures += 1
                    same_channel = False
                    if failures >= self.settings.give_up_after:
                        msg = (
                            f"watch: giving up after {failures} failed attempts: {exc}"
                        )
                        raise WatchGaveUpError(msg) from None
                    wait = min(
                        self.settings.backoff_cap,
                        self.settings.backoff * 2 ** (failures - 1),
                    ) * random.uniform(0.8, 1.2)
                    self.report(f"watch: {exc}; retrying in {wait:.1f} s")
                    await self._wait(wait)
        finally:
            await self._close_all()
            await self._delivered()
            self._write_metrics()
        return self.summary

    async def _wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)

    # ------------------------------------------------------------ targets
    def _records(self) -> list[OwnershipRecord]:
        return [
            r
            for r in self.journal.ownership(str(self.org_info.get("id", "")))
            if r.project == self.file.project
        ]

    async def _plan(self) -> tuple[dict[Key, Json], set[Key], list[Target]]:
        planned = await build_plan(
            self.org,
            self.file,
            today=self.today(),
            ownership=self.journal,
            facts=self.journal.facts_for,
        )
        self.org_info = {"id": planned.plan.org_id, "name": planned.plan.org_name}
        live = existing_schedules(planned.snapshot)
        changed = {
            (c.family, c.target_id)
            for c in planned.plan.changes
            if c.family is not None
        }
        targets = [
            Target(r.family, r.target_id, r.target_name) for r in planned.resolved
        ]
        return live, changed, targets

    # ------------------------------------------------------------ connection
    async def _connect(self, *, reuse: bool) -> None:
        _, _, targets = await self._plan()
        known = {t.key for t in targets}
        for record in self._records():  # owned, no longer in the file: still ours
            key = (Family(record.family), record.target_id)
            if key not in known:
                targets.append(Target(key[0], key[1], record.target_id))
        self.targets = {t.key: t for t in targets}
        self.by_topic = {topic: t for t in targets for topic in t.topics}
        topics = list(self.by_topic)
        size = self.settings.max_topics
        chunks = [topics[i : i + size] for i in range(0, len(topics), size)] or [[]]
        old, self._open = self._open, []
        try:
            for index, chunk in enumerate(chunks):
                previous = old[index] if reuse and index < len(old) else None
                channel = (
                    previous.channel
                    if previous is not None
                    else await self.service.create_channel()
                )
                expires = await self._subscribe(channel, chunk)
                stream = await self.service.connect(channel.connect_uri)
                self._open.append(_Open(channel, chunk, stream, expires, self.clock()))
        except BaseException:
            await self._close(old)
            await self._close_all()
            raise
        await self._close(old)  # after the new sockets: a handover, not a gap
        self.summary.channels = max(self.summary.channels, len(self._open))
        self.summary.topics = len(topics)
        self._renewals = self.service.token_renewals

    async def _subscribe(self, channel: ChannelLike, topics: list[str]) -> float:
        answers = await self.service.subscribe(channel.id, topics)
        for answer in answers:
            if answer.get("state") == "Rejected":
                topic = str(answer.get("id"))
                missing = answer.get("missingPermissions") or []
                reason = answer.get("rejectionReason") or "rejected"
                needs = (
                    f"; missing permissions: {', '.join(missing)}" if missing else ""
                )
                if topic not in self.summary.rejected:
                    self.summary.rejected.append(topic)
                    self.report(f"watch: topic {topic} rejected ({reason}{needs})")
        lifetime = max(1.0, channel.lifetime)
        return self.clock() + lifetime * (1 - self.settings.resubscribe_margin)

    async def _resubscribe(self) -> None:
        for item in self._open:
            item.expires_at = await self._renew(item)
        self.summary.resubscriptions += 1
        self._renewals = self.service.token_renewals

    async def _renew(self, item: _Open) -> float:
        """Subscribe the same topics again: the channel lives a full lifetime
        more, bound to the current token."""
        return await self._subscribe(item.channel, item.topics)

    @staticmethod
    async def _close(items: list[_Open]) -> None:
        for item in items:
            with contextlib.suppress(Exception):
                await item.stream.close()

    async def _close_all(self) -> None:
        await self._close(self._open)
        self._open = []

    # ------------------------------------------------------------ listening
    async def _listen(self) -> None:
        queue: asyncio.Queue[tuple[int, Json | None]] = asyncio.Queue()
        readers = [
            asyncio.create_task(self._read(index, item.stream, queue))
            for index, item in enumerate(self._open)
        ]
        stopper = asyncio.create_task(self._stop.wait())
        try:
            while not self._stop.is_set():
                timeout = self._next_deadline()
                getter = asyncio.create_task(queue.get())
                done, _ = await asyncio.wait(
                    {getter, stopper},
                    timeout=timeout,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if getter in done:
                    index, message = getter.result()
                    await self._handle(index, message)
                else:
                    getter.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await getter
                await self._tick()
        finally:
            stopper.cancel()
            for reader in readers:
                reader.cancel()
            await asyncio.gather(stopper, *readers, return_exceptions=True)

    @staticmethod
    async def _read(
        index: int, stream: Stream, queue: asyncio.Queue[tuple[int, Json | None]]
    ) -> None:
        while True:
            try:
                message = await stream.receive(3600.0)
            except TimeoutError:
                continue
            await queue.put((index, message))
            if message is None:
                return

    def _next_deadline(self) -> float:
        now = self.clock()
        deadlines = [
            item.last_seen + self.settings.heartbeat_timeout for item in self._open
        ]
        deadlines += [item.expires_at for item in self._open]
        if self.webhooks is not None:
            deadlines.append(self._next_delivery)
        if self._due is not None:
            deadlines.append(self._due)
        return max(0.0, min(deadlines, default=now + 60.0) - now)

    async def _handle(self, index: int, message: Json | None) -> None:
        if message is None:
            msg = "the socket closed"
            raise _Reconnect(msg)
        item = self._open[index]
        item.last_seen = self.clock()
        if message.get("result") == "404":
            msg = "the channel is gone"
            raise _Reconnect(msg)
        topic = message.get("topicName")
        if topic == HEARTBEAT_TOPIC:
            self.summary.heartbeats += 1
            return
        if topic == SOCKET_CLOSING:
            msg = "the service is closing the socket"
            raise _Reconnect(msg, same_channel=True)
        target = self.by_topic.get(str(topic))
        if target is None:
            return
        self.summary.events += 1
        self._pending.add(target.key)
        self._due = self.clock() + self.settings.debounce

    async def _tick(self) -> None:
        now = self.clock()
        if now >= self._next_delivery:
            self._deliver()
        if self._due is not None and now >= self._due:
            batch, self._pending, self._due = set(self._pending), set(), None
            await self._check(batch)
        for item in self._open:
            if now - item.last_seen >= self.settings.heartbeat_timeout:
                msg = f"no heartbeat for {self.settings.heartbeat_timeout:.0f} s"
                raise _Reconnect(msg)
        if any(now >= item.expires_at for item in self._open) or (
            self.service.token_renewals != self._renewals
        ):
            await self._resubscribe()

    # ------------------------------------------------------------ drift
    async def _check(self, keys: Iterable[Key] | None) -> None:
        """Compare the org with the file and the journal (None: every target)."""
        self.summary.checks += 1
        live, changed, _ = await self._plan()
        by_key = {(Family(r.family), r.target_id): r for r in self._records()}
        wanted = set(by_key) if keys is None else set(keys) & set(by_key)
        found: list[Drift] = []
        for key in sorted(wanted):
            record = by_key[key]
            body = live.get(key)
            target = self.targets.get(key) or Target(key[0], key[1], key[1])
            drift = self._drift(target, record, body, differs=key in changed)
            if drift is None:
                self.drifted.pop(key, None)
                continue
            if drift.id in self.seen:
                continue
            if self.journal.lock.holder_alive() and not self.journal.lock.held:
                # Another gcsched is applying: its writes land before its
                # records do. Look again once it is done.
                self._pending.add(key)
                self._due = self.clock() + max(self.settings.debounce, 1.0)
                continue
            found.append(drift)
        for drift in found:
            await self._drifted(drift)
        self._write_metrics()

    @staticmethod
    def _drift(
        target: Target, record: OwnershipRecord, body: Json | None, *, differs: bool
    ) -> Drift | None:
        if body is None:
            if record.version is None:
                return None
            return Drift(target, "deleted", record.version, None, None, differs)
        owner = owner_of(body, record)
        version = body.get("version")
        now = version if isinstance(version, int) else None
        modified = body.get("dateModified")
        stamp = str(modified) if modified is not None else None
        if owner.recreated:
            return Drift(target, "recreated", record.version, now, stamp, differs, body)
        if owner.edited:
            return Drift(target, "edited", record.version, now, stamp, differs, body)
        return None

    async def _drifted(self, drift: Drift) -> None:
        self.seen.add(drift.id)
        self.drifted[drift.target.key] = drift
        self.summary.drifts += 1
        self.report(drift.line())
        if self.on_drift is not None:
            self.on_drift(drift)
        events = build_events(
            self.file.webhooks,
            "schedule.drifted",
            drift.data(self.org_info, self.file.environment),
            key=f"drift:{drift.id}",
            now=datetime.now(UTC),
        )
        if events:
            self.journal.add_events(events)
            self._deliver()
        if self.settings.heal and self.heal is not None:
            await self._heal(drift, self.heal)

    async def _heal(self, drift: Drift, heal: Heal) -> None:
        if drift.change == "recreated":
            self.summary.heal_skipped += 1
            self.report(
                f"heal: not healing {drift.target.name!r}: it was recreated by "
                "someone else and is foreign now (gcsched adopt takes it back)"
            )
            return
        if not drift.differs_from_file:
            self.report(f"heal: {drift.target.name!r} already matches the file")
            return
        now = self.clock()
        while self.heals and now - self.heals[0] >= 3600.0:
            self.heals.popleft()
        if len(self.heals) >= self.settings.heal_cap:
            msg = (
                f"heal: cap of {self.settings.heal_cap} heals per hour reached; "
                f"{drift.target.name!r} drifted again and stays as it is"
            )
            self.report(msg)
            self.stop("the heal cap")
            raise HealCapReachedError(msg)
        if self.heals and now - self.heals[-1] < self.settings.heal_cooldown:
            wait = self.settings.heal_cooldown - (now - self.heals[-1])
            self.report(f"heal: cooling down {wait:.0f} s before healing again")
            await self._wait(wait)
            if self._stop.is_set():
                return
        self.heals.append(self.clock())
        self.report(
            f"heal: re-applying the file: {drift.target.kind} "
            f"{drift.target.name!r} was {drift.change} outside gcsched"
        )
        applied, outcome = await heal(drift)
        if applied:
            self.summary.healed += 1
            self.drifted.pop(drift.target.key, None)
        else:
            self.summary.heal_skipped += 1
        self.report(f"heal: {outcome}")

    # ------------------------------------------------------------ webhooks
    def _deliver(self) -> None:
        """Deliver what the outbox holds, in the background (no event waits)."""
        if self.webhooks is None or (
            self._delivery is not None and not self._delivery.done()
        ):
            return
        self._next_delivery = self.clock() + DELIVERY_PERIOD
        self._delivery = asyncio.create_task(self._deliver_due(self.webhooks))

    async def _deliver_due(self, webhooks: WebhookSender) -> None:
        report = await webhooks.deliver_due(deadline=DELIVERY_DEADLINE)
        if report.failed:
            self.report(
                f"watch: {report.failed} webhook attempt(s) failed; "
                "retried later (or by gcsched webhooks flush)"
            )

    async def _delivered(self) -> None:
        """Let a delivery under way finish (what it leaves stays in the outbox)."""
        if self._delivery is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._delivery, DELIVERY_DEADLINE)

    # ------------------------------------------------------------ metrics
    def _write_metrics(self) -> None:
        if self.metrics_file is None:
            return
        registry = CollectorRegistry()
        Gauge(
            "gcsched_watch_drifted_schedules",
            "Managed schedules changed outside gcsched and not (yet) healed.",
            registry=registry,
        ).set(len(self.drifted))
        Gauge(
            "gcsched_watch_watched_topics",
            "Notification topics the watch subscribed.",
            registry=registry,
        ).set(self.summary.topics)
        for name, value, text in (
            ("gcsched_watch_events", self.summary.events, "Notification events."),
            ("gcsched_watch_drifts", self.summary.drifts, "Drift changes seen."),
            ("gcsched_watch_heals", self.summary.healed, "Heals applied."),
            ("gcsched_watch_reconnects", self.summary.reconnects, "Reconnects."),
        ):
            Counter(name, text, registry=registry).inc(value)
        path = Path(self.metrics_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_to_textfile(str(path), registry)


def heal_reason(drift: Drift) -> str:
    """Why a heal ran, as the journal keeps it with the run."""
    return (
        f"watch --heal: {drift.target.kind} {drift.target.name} "
        f"({drift.target.target_id}) {drift.change} outside gcsched "
        f"(version {drift.version_recorded} → {drift.version_now})"
    )

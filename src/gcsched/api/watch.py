"""`gcsched watch` wiring: the connection's client, the Notifications API, the
journal and the apply path put together for `gcsched.engine.watch.Watcher`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from gcsched.api.connection import Connection
from gcsched.audit import ensure_appendable
from gcsched.audit.external import external_change_entry, record_external_changes
from gcsched.client.notifications import Notifications
from gcsched.config import load
from gcsched.domain.model import ScheduleFile
from gcsched.engine.watch import (
    Drift,
    Watcher,
    WatchSettings,
    WatchSummary,
    heal_reason,
)
from gcsched.errors import GcSchedError, InputError, RefusedError
from gcsched.webhooks import WebhookSender, check_endpoints

__all__ = ["watch"]


@contextlib.contextmanager
def _signals(watcher: Watcher) -> Iterator[None]:
    """SIGINT and SIGTERM stop the watch cleanly (the summary is still shown)."""
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, watcher.stop, sig.name)
        except (NotImplementedError, RuntimeError):  # not the main thread
            continue
        installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


async def watch(
    conn: Connection,
    file: ScheduleFile | str | os.PathLike[str],
    *,
    report: Callable[[str], None],
    settings: WatchSettings | None = None,
    metrics_file: str | os.PathLike[str] | None = None,
    on_start: Callable[[Watcher], None] | None = None,
) -> WatchSummary:
    """Watch the org for drift of `file`'s schedules until stopped.

    Args:
        conn: an open connection.
        file: the schedule file or its path.
        report: receives each line to show (drift, reconnects, heals).
        settings: timings, limits and ``heal``.
        metrics_file: a Prometheus text file kept current.
        on_start: called with the watcher before it starts (tests stop it).

    Returns:
        What was seen.

    Raises:
        InputError: a webhook secret variable is missing.
        WatchGaveUpError: the notification service stayed unreachable.
        HealCapReachedError: ``--heal`` reached its cap per hour.
    """
    schedule_file = file if isinstance(file, ScheduleFile) else load(Path(file))
    environ = conn._environ
    problems = check_endpoints(schedule_file.webhooks, environ)
    if problems:
        raise InputError("\n".join(problems))
    conn.state.make()
    org_id = await conn._locking_org()
    with conn.state.open_store(org_id=org_id) as journal:

        def log_drift(drift: Drift) -> None:
            """An ``external_change`` entry in gcsched's audit log, once per change."""
            entry = external_change_entry(
                seen_at=datetime.now(UTC),
                seen_by="watch",
                observer=conn._actor,
                family=drift.target.family.value,
                target_kind=drift.target.kind,
                target_id=drift.target.target_id,
                target_name=drift.target.name,
                how=drift.change,
                version_written=drift.version_recorded,
                body=drift.live,
                authors=[],
                platform_audit_ids=[],
                fields=[],
                note="watch does not read the platform audit trail: "
                "`gcsched drift` names who changed it and what",
                org=watcher.org_info,
                environment=schedule_file.environment,
            )
            try:
                with journal.lock.holding(f"watch {schedule_file.path}"):
                    audit = conn.state.audit_log(journal)
                    ensure_appendable(audit, journal)
                    record_external_changes(
                        audit, [entry], record=journal.record_external_audit
                    )
            except GcSchedError as exc:
                report(f"the drift was not written to the audit log: {exc.message}")

        async def heal(drift: Drift) -> tuple[bool, str]:
            try:
                outcome = await conn.apply(schedule_file)
            except RefusedError as exc:
                return False, f"not healed, the apply was refused: {exc}"
            run = outcome.run
            if run is None:
                return False, "nothing to apply (the org matches the file again)"
            stored = journal.get_run(run.run_id)
            journal.set_run_summary(
                run.run_id, {**stored.summary, "reason": heal_reason(drift)}
            )
            return True, f"run {run.run_id} {run.status}"

        watcher = Watcher(
            conn.client,
            Notifications(conn.client),
            schedule_file,
            journal=journal,
            report=report,
            today=conn._today,
            settings=settings,
            webhooks=WebhookSender(journal, environ=environ),
            heal=heal,
            metrics_file=metrics_file,
            on_drift=log_drift,
        )
        if on_start is not None:
            on_start(watcher)
        with _signals(watcher):
            return await watcher.run()

"""One apply run: journal every transition, audit every confirmed step, notify.

The lifecycle is written up in docs/apply-lifecycle.md.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from gcsched.audit import AuditLog, record_steps
from gcsched.domain.model import WebhookEndpoint
from gcsched.domain.past import not_before
from gcsched.engine.events import RunEvents, endpoints_data
from gcsched.engine.ports import Org
from gcsched.engine.steps import (
    Landed,
    current_of,
    execute,
    needs_pre_read,
    read_back,
    stale_reason,
)
from gcsched.errors import (
    ApiError,
    CircuitOpenError,
    GcSchedError,
    NetworkError,
    VersionConflictError,
)
from gcsched.journal import Run, StateStore, Step
from gcsched.plan import Plan
from gcsched.telemetry import ApplyStepFinished, RunFinished, RunStarted, emit
from gcsched.webhooks import run_event_data

__all__ = ["Progress", "RunResult", "Runner", "StepOutcome"]

logger = logging.getLogger(__name__)

_PHASES: tuple[tuple[str, ...], ...] = (("delete",), ("create", "update"), ("pacing",))

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """How one step ended."""

    step_id: int
    action: str
    kind: str
    target_name: str
    status: str  # confirmed | failed | conflict | skipped
    detail: str = ""


@dataclass(frozen=True, slots=True)
class RunResult:
    """How a run ended."""

    run_id: str
    status: str  # succeeded | partial | failed (then `error` says why; resumable)
    outcomes: tuple[StepOutcome, ...]
    recovered: tuple[str, ...] = ()
    summary: Mapping[str, Any] = field(default_factory=dict)
    error: GcSchedError | None = None

    def count(self, status: str) -> int:
        """How many steps ended with `status`."""
        return sum(1 for o in self.outcomes if o.status == status)


class Progress(Protocol):
    """Receives progress while a run goes (the CLI draws a bar from it)."""

    def start(self, total: int) -> None: ...

    def advance(self, outcome: StepOutcome) -> None: ...


class Deliverer(Protocol):
    """What the runner needs of the webhook sender."""

    async def deliver_due(self, *, deadline: float | None = None) -> object: ...


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Runner:
    """Applies plans to one org, with a journal, an audit log and webhooks."""

    def __init__(
        self,
        org: Org,
        journal: StateStore,
        audit: AuditLog,
        *,
        actor: str,
        endpoints: Sequence[WebhookEndpoint] = (),
        webhooks: Deliverer | None = None,
        concurrency: int = 4,
        clock: Callable[[], datetime] = _utcnow,
        webhook_wait: float = 10.0,
    ) -> None:
        self._org = org
        self._journal = journal
        self._audit = audit
        self._actor = actor
        self._endpoints = tuple(endpoints)
        self._webhooks = webhooks
        self._concurrency = max(1, concurrency)
        self._clock = clock
        self._past_refused = False
        self._webhook_wait = webhook_wait
        self._events = RunEvents(self._endpoints, clock)
        self._store_thread: ThreadPoolExecutor | None = None

    @property
    def events(self) -> RunEvents:
        """The webhook events of this runner's endpoints (recovery sends them too)."""
        return self._events

    # ---------------------------------------------------------------- store
    async def _stored(self, work: Callable[[], _T]) -> _T:
        """Run a step's journal and audit writes on the run's store thread.

        One thread, so the writes keep their order (the audit chain appends one
        entry after the other) and never interleave; the event loop meanwhile
        serves the other steps' requests instead of waiting for each commit's
        fsync. The calling step still waits for its commit: its intent is
        durable before its request goes out, its result before it goes on.
        """
        thread = self._store_thread
        assert thread is not None, "steps run inside `apply` only"
        return await asyncio.get_running_loop().run_in_executor(thread, work)

    def _confirm_and_audit(self, run: Run, step: Step, landed: Landed) -> None:
        """Confirm `step` with its events and ownership, then audit it."""
        self._journal.mark_confirmed(
            step.id,
            result=landed.body,
            version_new=landed.version,
            events=self._events.of_confirmed(run, step),
        )
        record_steps(
            self._audit,
            [self._journal.step(step.id)],
            actor=self._actor,
            record=self._journal.set_audit_hash,
            run_of=lambda _run_id: run,
        )

    # ---------------------------------------------------------------- apply
    async def apply(
        self,
        plan: Plan,
        *,
        checksum: str,
        progress: Progress | None = None,
        resumed_from: Sequence[str] = (),
        metrics: Callable[[], Mapping[str, Any]] | None = None,
        priors: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
        reverts: str | None = None,
    ) -> RunResult:
        """Apply `plan` as a new run; deletes, then creates and updates, then pacing.

        On an org that refuses starts in the past (`Plan.past_refused`) each
        schedule body is rendered again, by the runner's clock, as it is sent.

        Args:
            plan: the plan (already checked: this runs no refusal).
            checksum: the checksum recorded with the run.
            progress: receives progress while the run goes.
            resumed_from: notes of the interrupted runs this one continues.
            metrics: read once the steps are done; its value is stored as the
                summary's ``metrics`` in the same write that closes the run.
            priors: the full body of each schedule the plan changes as read
                before it, by ``(kind, target_id)``: journaled with its step
                (what `runs revert` restores).
            reverts: the run this one reverts (`runs revert`), journaled with it.

        The run is journaled with the plan's environment and this runner's
        webhook endpoints.
        """
        started = time.monotonic()
        self._past_refused = plan.past_refused
        self._store_thread = ThreadPoolExecutor(1, thread_name_prefix="gcsched-store")
        try:
            return await self._apply(
                plan,
                started,
                checksum=checksum,
                progress=progress,
                resumed_from=resumed_from,
                metrics=metrics,
                priors=priors,
                reverts=reverts,
            )
        finally:
            # Nothing queued may run once the run is over (or interrupted): a
            # write already on the thread finishes, the rest are dropped.
            self._store_thread.shutdown(wait=True, cancel_futures=True)
            self._store_thread = None

    async def _apply(
        self,
        plan: Plan,
        started: float,
        *,
        checksum: str,
        progress: Progress | None,
        resumed_from: Sequence[str],
        metrics: Callable[[], Mapping[str, Any]] | None,
        priors: Mapping[tuple[str, str], Mapping[str, Any]] | None,
        reverts: str | None,
    ) -> RunResult:
        run = self._journal.create_run(
            org_id=plan.org_id,
            org_name=plan.org_name,
            file_path=plan.file_path,
            file_sha256=plan.file_sha256,
            checksum=checksum,
            plan=plan.data(),
            steps=plan.changes,
            priors=priors,
            environment=plan.environment,
            reverts=reverts,
            webhooks=endpoints_data(self._endpoints),
        )
        steps = self._journal.steps(run.id)
        emit(RunStarted(run_id=run.id, steps=len(steps), resumed=bool(resumed_from)))
        if progress is not None:
            progress.start(len(steps))
        outcomes: list[StepOutcome] = []
        failure: GcSchedError | None = None
        for phase in _PHASES:
            batch = [s for s in steps if s.change.action in phase]
            if not batch:
                continue
            try:
                outcomes.extend(await self._run_batch(run, batch, progress))
            except (CircuitOpenError, NetworkError) as exc:
                failure = exc
                break
            await self._deliver(deadline=1.0)
        return await self._finish(
            run, outcomes, failure, started, resumed_from, metrics=metrics
        )

    async def _run_batch(
        self, run: Run, batch: Sequence[Step], progress: Progress | None
    ) -> list[StepOutcome]:
        semaphore = asyncio.Semaphore(self._concurrency)
        stop: list[BaseException] = []

        async def one(step: Step) -> StepOutcome | None:
            async with semaphore:
                if stop:
                    return None
                try:
                    outcome = await self._run_step(run, step)
                except (CircuitOpenError, NetworkError) as exc:
                    stop.append(exc)
                    return None
                if progress is not None:
                    progress.advance(outcome)
                return outcome

        results = await asyncio.gather(*(one(s) for s in batch))
        if stop:
            raise stop[0]
        return [r for r in results if r is not None]

    async def _run_step(self, run: Run, step: Step) -> StepOutcome:
        started = time.monotonic()
        try:
            return await self._attempt(run, step, started)
        except (CircuitOpenError, NetworkError):
            raise  # a sent step stays `sent`: the next run reads it back
        except ApiError as exc:
            # The pacing pre-read or a conflict's re-read failed (e.g. a 404):
            # this step fails, the others go on and the run still finishes.
            error = str(exc)
            await self._stored(lambda: self._journal.mark_failed(step.id, error=error))
            return self._done(run, step, "failed", started, error)

    async def _attempt(self, run: Run, step: Step, started: float) -> StepOutcome:
        fresh = None
        if needs_pre_read(step):
            fresh = await current_of(self._org, step)
            why = stale_reason(step, fresh)
            if why is not None:
                return await self._conflict(run, step, fresh, started, why)
        await self._stored(lambda: self._journal.mark_sent(step.id))
        try:
            landed = await execute(
                self._org, step, fresh=fresh, not_before=self._not_before()
            )
        except VersionConflictError:
            current = await current_of(self._org, step)
            return await self._conflict(run, step, current, started, "version changed")
        except (ApiError, NetworkError) as exc:
            if not _ambiguous(exc):
                raise
            landed = await self._read_back_now(step, exc)
        await self._stored(lambda: self._confirm_and_audit(run, step, landed))
        return self._done(
            run, step, "confirmed", started, _versions(step, landed.version)
        )

    def _not_before(self) -> datetime | None:
        """The earliest start a body sent now may have, on an org that refuses
        past starts; None elsewhere."""
        return not_before(self._clock()) if self._past_refused else None

    async def _read_back_now(self, step: Step, exc: ApiError | NetworkError) -> Landed:
        """After an ambiguous answer, a GET decides whether the step landed.

        Landed: the caller confirms (and audits) it. Not landed: a 5xx is this
        step's failure; a transport failure stops the run with the step `sent`.
        Undecided (the read fails too): the step stays `sent` and the run stops,
        so the next run reads it back; never a replay.
        """
        try:
            landed = await read_back(self._org, step, not_before=self._not_before())
        except (CircuitOpenError, NetworkError):
            raise
        except ApiError as again:
            msg = (
                f"{step.change.target_name}: the answer to its write was lost and "
                f"reading it back failed too ({again.message}); the step stays "
                "sent: run the same command again to resume"
            )
            raise NetworkError(msg) from again
        if landed.landed:
            return landed
        raise exc

    async def _conflict(
        self,
        run: Run,
        step: Step,
        current: Mapping[str, Any] | None,
        started: float,
        why: str,
    ) -> StepOutcome:
        version_now = current.get("version") if current else None
        seen = step.change.version_seen
        detail = {
            "reason": why,
            "version_seen": seen,
            "version_now": version_now,
            "before_seen": step.change.before,
            "current": dict(current) if current else None,
        }
        events = self._events.of_step(
            run, step, "schedule.conflict", conflict={"version_now": version_now}
        )
        await self._stored(
            lambda: self._journal.mark_conflict(step.id, detail=detail, events=events)
        )
        text = (
            f"{why}: plan saw version {seen}, the org has {version_now}; "
            "nothing was sent — re-run `gcsched plan` to see the new state"
        )
        return self._done(run, step, "conflict", started, text)

    def _done(
        self, run: Run, step: Step, status: str, started: float, detail: str
    ) -> StepOutcome:
        change = step.change
        emit(
            ApplyStepFinished(
                run_id=run.id,
                step_id=step.id,
                action=str(change.action),
                kind=change.stored_kind,
                target_name=change.target_name,
                status=status,
                seconds=time.monotonic() - started,
            )
        )
        return StepOutcome(
            step.id,
            str(change.action),
            change.stored_kind,
            change.target_name,
            status,
            detail,
        )

    async def deliver_pending(self) -> None:
        """Deliver webhook events that are due now (a no-op without webhooks)."""
        await self._deliver(deadline=self._webhook_wait)

    async def _deliver(self, *, deadline: float) -> None:
        if self._webhooks is None:
            return
        try:
            await asyncio.wait_for(
                self._webhooks.deliver_due(deadline=deadline), timeout=deadline + 15
            )
        except (TimeoutError, GcSchedError, OSError) as exc:
            # Undelivered events stay pending in the outbox: the next run or
            # `gcsched webhooks flush` sends them.
            logger.debug("webhook delivery stopped: %s", exc)

    async def _finish(
        self,
        run: Run,
        outcomes: list[StepOutcome],
        failure: GcSchedError | None,
        started: float,
        resumed_from: Sequence[str],
        *,
        metrics: Callable[[], Mapping[str, Any]] | None,
    ) -> RunResult:
        bad = any(o.status in ("conflict", "failed") for o in outcomes)
        status = "failed" if failure else ("partial" if bad else "succeeded")
        counts: dict[str, int] = {}
        for outcome in outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        summary: dict[str, Any] = {"steps": counts, "resumed_from": list(resumed_from)}
        if failure is not None:
            summary["error"] = str(failure)
        org = {"id": run.org_id, "name": run.org_name}
        if failure is None:
            data = run_event_data(
                run_id=run.id,
                org=org,
                outcome="partial" if bad else "succeeded",
                counts=counts,
                environment=run.environment,
            )
            events = self._events.build("run.completed", data, key=f"{run.id}:run")
        else:
            data = run_event_data(
                run_id=run.id,
                org=org,
                outcome="failed",
                counts=counts,
                error=str(failure),
                environment=run.environment,
            )
            events = self._events.build("run.failed", data, key=f"{run.id}:run")
        emit(
            RunFinished(
                run_id=run.id, status=status, seconds=time.monotonic() - started
            )
        )
        if metrics is not None:
            summary["metrics"] = dict(metrics())
        self._journal.finish_run(run.id, status, summary=summary, events=events)
        await self._deliver(deadline=self._webhook_wait)
        return RunResult(
            run.id, status, tuple(outcomes), tuple(resumed_from), summary, failure
        )


def _ambiguous(exc: ApiError | NetworkError) -> bool:
    """Whether a failed write may still have been applied (its answer was lost).

    Transport failures and 5xx (a 502/504 gateway may have passed the request
    on); a 4xx is the API refusing, nothing was written.
    """
    if isinstance(exc, NetworkError | CircuitOpenError):
        return True
    return exc.status is None or exc.status >= 500


def _versions(step: Step, version_new: int | None) -> str:
    if step.change.action == "delete":
        return "deleted"
    if version_new is None:
        return "done"
    return f"version {step.change.version_seen or '-'} → {version_new}"

"""`gcsched.connect(...)`: a live (or sandboxed) org to plan, apply and export."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from gcsched.api.compliance import GuardProvider, compliance_hook
from gcsched.api.export import LiveEntry, export_text
from gcsched.api.state import STATE_URL_VARIABLE, StatePaths
from gcsched.audit import ensure_appendable
from gcsched.client import (
    Credentials,
    GenesysClient,
    credentials_from_env,
    resolve_api_url,
)
from gcsched.client.pacing import DEFAULT_CONCURRENCY
from gcsched.config import load, schedule_from_mapping
from gcsched.domain import ConflictPair, parse_body
from gcsched.domain.model import Policy, Schedule, ScheduleFile, Target
from gcsched.engine import (
    ApplyOutcome,
    Confirm,
    PlannedRun,
    Progress,
    Runner,
    apply_file,
    build_plan,
    read_org,
)
from gcsched.engine.adopt import Adoption, adoptions
from gcsched.engine.drift import DriftReport
from gcsched.engine.live import LiveCalendar, live_calendar
from gcsched.engine.planner import check_org
from gcsched.engine.snapshot import OrgSnapshot
from gcsched.errors import InputError
from gcsched.genesys import (
    FAMILIES,
    REFERENCE_FIELD,
    TARGET_KIND,
    Family,
    TargetKind,
)
from gcsched.journal import StateStore
from gcsched.plan import Plan
from gcsched.plan.plan import policy_data
from gcsched.telemetry import LoggingHook, get_hooks, hooks_installed
from gcsched.telemetry.metrics import RunMetrics
from gcsched.webhooks import WebhookSender, check_endpoints

__all__ = ["DEFAULT_DRIFT_WINDOW", "ApplyOutcome", "Connection", "connect"]

#: How far back `Connection.drift` reads the platform audit trail by default.
DEFAULT_DRIFT_WINDOW = timedelta(days=7)


def _today() -> date:
    return datetime.now(UTC).date()


def rejected(planned: PlannedRun | Plan) -> tuple[ConflictPair, ...]:
    """The conflicting pairs the policy refuses (`audience_conflicts: reject`)."""
    return (planned.plan if isinstance(planned, PlannedRun) else planned).rejected


class Connection:
    """An open connection to one org, with the local state dir.

    Use `gcsched.connect(...)` to make one; all methods are coroutines.
    """

    def __init__(
        self,
        client: GenesysClient,
        *,
        state: StatePaths,
        environ: Mapping[str, str],
        actor: str,
        today: Callable[[], date] = _today,
        lock_timeout: float = 0.0,
    ) -> None:
        self.client = client
        self.state = state
        self._lock_timeout = lock_timeout
        self._environ = environ
        self._actor = actor
        self._today = today
        self.guard_provider: GuardProvider | None = None
        """Campaign id → the org's contact-local guard (read at plan time),
        for the calling-hour check; None: none known (findings of
        ``guarded_by: genesys`` schedules are then `unverified`)."""

    # ------------------------------------------------------------------ plan
    async def plan(
        self,
        file: ScheduleFile | str | os.PathLike[str],
        *,
        today: date | None = None,
        scoped: bool = False,
        guards: GuardProvider | None = None,
    ) -> PlannedRun:
        """Compute what applying `file` would change; changes nothing.

        Args:
            file: the schedule file or its path.
            today: the date open-ended schedules start from (default: today, UTC).
            scoped: only the targets the file names (``--scope file``): no
                deletes; apply the plan with ``scoped=True`` too.
            guards: campaign id → the org's contact-local guard, for the
                calling-hour check (default `guard_provider`).

        Returns:
            The plan (with conflicts, warnings and calling-hour findings) and
            what it was computed from.
        """
        schedule_file = file if isinstance(file, ScheduleFile) else load(file)
        with self._ownership() as records:
            return await build_plan(
                self.client,
                schedule_file,
                today=today or self._today(),
                scoped=scoped,
                ownership=records,
                facts=records.facts_for if records is not None else None,
                compliance=compliance_hook(
                    schedule_file, guards or self.guard_provider
                ),
            )

    @contextlib.contextmanager
    def _ownership(self) -> Iterator[StateStore | None]:
        """The journal, for a plan's ownership records and doctor facts, if it
        exists (opened once for both).

        A plan only reads: no state dir or journal is created for it.
        """
        if not self.state.has_journal():
            yield None
            return
        with self.state.open_store() as journal:
            yield journal

    async def _locking_org(self) -> str | None:
        """The org whose apply lock a state database's store takes (the
        SQLite lock is the state dir's: no read for it)."""
        if self.state.url is None:
            return None
        return str((await self.client.get_organization())["id"])

    async def adopt(
        self,
        file: ScheduleFile | str | os.PathLike[str],
        targets: Sequence[str],
        *,
        confirm: Callable[[Sequence[Adoption]], bool] | None = None,
    ) -> tuple[Adoption, ...]:
        """Record the schedules of `targets` as owned by the file's project.

        Args:
            file: the schedule file (its `project:` adopts them).
            targets: campaigns, sequences or messaging campaigns, by id or name.
            confirm: shown the schedules first; False adopts nothing.

        Returns:
            The schedules adopted (empty when declined).

        Raises:
            InputError: a target names no scheduled object, or several.
            RefusedError: the writer lock is held, or the org is not the
                file's environment's `org_id`.
        """
        schedule_file = file if isinstance(file, ScheduleFile) else load(file)
        snapshot = await read_org(self.client)
        check_org(schedule_file, snapshot)
        self.state.make()
        org_id = await self._locking_org()
        with (
            self.state.open_store(org_id=org_id) as journal,
            journal.lock.holding(
                f"adopt {schedule_file.path}", timeout=self._lock_timeout
            ),
        ):
            found = adoptions(
                snapshot,
                targets,
                project=schedule_file.project,
                records=journal.ownership(snapshot.org_id),
                environment=schedule_file.environment,
            )
            if confirm is not None and not confirm(found):
                return ()
            journal.record_ownership([a.record for a in found])
        return tuple(found)

    # ------------------------------------------------------------------ apply
    async def apply(
        self,
        file: ScheduleFile | PlannedRun | Plan | str | os.PathLike[str],
        *,
        checksum: str | None = None,
        force: bool = False,
        confirm: Confirm | None = None,
        concurrency: int | None = None,
        progress: Progress | None = None,
        metrics_file: str | os.PathLike[str] | None = None,
        today: date | None = None,
        scoped: bool = False,
    ) -> ApplyOutcome:
        """Plan, check safety, confirm, and apply `file`; resumes interrupted runs.

        Args:
            file: the schedule file (or its path) — or a plan from `plan()`:
                then exactly that plan is applied (its checksum must still be
                what the org and file give now, else `ChecksumMismatchError`).
            checksum: apply only if the plan's checksum equals this.
            force: apply even when the plan changes more than the policy allows.
            confirm: asked with the plan before anything is written; False aborts.
            concurrency: how many API writes may be in flight at once
                (default `DEFAULT_CONCURRENCY`, 16).
            progress: receives progress while the run goes.
            metrics_file: write the run's metrics there (Prometheus text).
            today: the date open-ended schedules start from (default: today, UTC).
            scoped: only the file's own targets are considered (`provision`,
                ``--scope file``): schedules not in the file are not deleted.

        Raises:
            InputError: a webhook secret variable is missing.
            RefusedError: rejected conflicts, checksum mismatch, unsafe plan, lock held.
        """
        schedule_file, checksum = _to_apply(file, checksum)
        problems = check_endpoints(schedule_file.webhooks, self._environ)
        if problems:
            raise InputError("\n".join(problems))
        self.state.make()
        metrics = RunMetrics()
        org_id = await self._locking_org()
        with (
            self.state.open_store(org_id=org_id) as journal,
            journal.lock.holding(
                f"apply {schedule_file.path}", timeout=self._lock_timeout
            ),
            hooks_installed(metrics, *_logging_hook()),
        ):
            audit = self.state.audit_log(journal)
            ensure_appendable(audit, journal)
            runner = Runner(
                self.client,
                journal,
                audit,
                actor=self._actor,
                endpoints=schedule_file.webhooks,
                webhooks=WebhookSender(journal, environ=self._environ),
                concurrency=concurrency or DEFAULT_CONCURRENCY,
            )
            return await apply_file(
                self.client,
                schedule_file,
                journal=journal,
                runner=runner,
                audit=audit,
                actor=self._actor,
                metrics=metrics,
                today=today or self._today(),
                checksum=checksum,
                force=force,
                confirm=confirm,
                progress=progress,
                metrics_file=metrics_file,
                scoped=scoped,
                compliance=compliance_hook(schedule_file, self.guard_provider),
            )

    async def revert(
        self,
        run: str,
        *,
        force: bool = False,
        confirm: Confirm | None = None,
        concurrency: int | None = None,
        progress: Progress | None = None,
    ) -> ApplyOutcome:
        """Undo run `run` (an id or unique prefix): plan its inverse, confirm, apply.

        The inverse comes from the journal's before-bodies (see
        `gcsched.engine.revert`) and runs as a run of its own, journaled and
        audited like any apply.

        Args:
            run: the run id, or a unique prefix of one.
            force: revert even targets changed since that run.
            confirm: asked with the plan before anything is written; False aborts.
            concurrency: how many API writes may be in flight at once.
            progress: receives progress while the run goes.

        The revert notifies the webhook endpoints the reverted run notified
        (their secrets read from `environ` as for an apply).

        Raises:
            JournalError: no such run.
            InputError: a webhook secret variable is missing.
            RefusedError: targets changed since the run (without `force`),
                another org's run, or the lock is held.
        """
        from gcsched.engine.events import endpoints_of
        from gcsched.engine.revert import apply_revert

        self.state.make()
        metrics = RunMetrics()
        org_id = await self._locking_org()
        with (
            self.state.open_store(org_id=org_id) as journal,
            journal.lock.holding(f"runs revert {run}", timeout=self._lock_timeout),
            hooks_installed(metrics, *_logging_hook()),
        ):
            # The revert notifies the endpoints the reverted run notified.
            endpoints = endpoints_of(journal.get_run(run).webhooks)
            problems = check_endpoints(endpoints, self._environ)
            if problems:
                raise InputError("\n".join(problems))
            audit = self.state.audit_log(journal)
            ensure_appendable(audit, journal)
            runner = Runner(
                self.client,
                journal,
                audit,
                actor=self._actor,
                endpoints=endpoints,
                webhooks=WebhookSender(journal, environ=self._environ),
                concurrency=concurrency or DEFAULT_CONCURRENCY,
            )
            return await apply_revert(
                self.client,
                journal,
                runner,
                run,
                metrics=metrics,
                force=force,
                confirm=confirm,
                progress=progress,
                own_client_id=self._actor,
            )

    async def provision(
        self,
        *,
        schedule: Mapping[str, Any],
        campaign: str | None = None,
        sequence: str | None = None,
        messaging_campaign: str | None = None,
        policy: Policy | None = None,
        **options: Any,
    ) -> ApplyOutcome:
        """Create or replace ONE schedule: the tutorial's one-shot call, done safely.

        `schedule` is one `schedules[]` entry without its target key. The same
        validation, conflict checks, journal, webhooks and audit as a file apply;
        other schedules in the org are left alone.
        """
        targets: tuple[tuple[TargetKind, str | None], ...] = (
            ("campaign", campaign),
            ("sequence", sequence),
            ("messaging_campaign", messaging_campaign),
        )
        given = [(kind, ref) for kind, ref in targets if ref is not None]
        if len(given) != 1:
            msg = (
                "provision takes exactly one of campaign=, sequence= or "
                "messaging_campaign="
            )
            raise InputError(msg)
        kind, ref = given[0]
        target = Target(kind=kind, ref=ref)
        entry = schedule_from_mapping(schedule, target=target)
        rules = policy or Policy()
        raw = json.dumps(
            {"target": [kind, ref], "schedule": schedule, "policy": policy_data(rules)},
            sort_keys=True,
            default=str,
        ).encode()
        schedule_file = ScheduleFile(
            path=f"<provision {kind}={ref}>",
            sha256=hashlib.sha256(raw).hexdigest(),
            schedules=(entry,),
            policy=rules,
        )
        if "scoped" in options:
            msg = "provision is always scoped to its one target; drop scoped="
            raise InputError(msg)
        return await self.apply(schedule_file, scoped=True, **options)

    # ------------------------------------------------------------------ read
    async def live_schedules(self) -> tuple[Schedule, ...]:
        """Every schedule in the org, as schedule-file entries (names where unique)."""
        schedules, _ = await self._live()
        return schedules

    async def live_calendar(self, *, guards: bool = False) -> LiveCalendar:
        """The org's schedules with the audiences the plan would check them by
        (a sequence: its campaigns' contact lists) and the sizes of shared lists,
        for `report --live`; with `guards`, also their contact-local guards and
        the zones their lists span, read as a plan reads them."""
        from gcsched.engine.guard_reads import read_guards
        from gcsched.engine.resolve import Resolved

        snapshot = await read_org(self.client)
        entries, skipped = _live_entries(snapshot)
        schedules = tuple(entry.schedule for entry in entries)
        calendar = await live_calendar(self.client, snapshot, schedules, skipped)
        if not guards:
            return calendar
        resolved = [
            Resolved(
                schedule=e.schedule,
                family=e.family,
                target_id=e.target_id,
                target_name=str(e.target.get("name") or e.target_id),
                entity=e.target,
                audience=calendar.audiences.get(e.schedule.label, frozenset()),
                voice=e.family == Family.CAMPAIGNS,
            )
            for e in entries
        ]
        read = await read_guards(self.client, snapshot, resolved)
        return dataclasses.replace(calendar, guards=read)

    async def _live(
        self, snapshot: OrgSnapshot | None = None
    ) -> tuple[tuple[Schedule, ...], tuple[str, ...]]:
        """The org's schedules as entries, and a note per body that cannot be read.

        A target is named by its name when no other scheduled target (of any
        kind) and no other object of its kind shares it, else by its id.
        """
        entries, skipped = _live_entries(snapshot or await read_org(self.client))
        return tuple(entry.schedule for entry in entries), skipped

    async def export(self) -> str:
        """The org's schedules as a schedule file (YAML text, `manage: owned`).

        Pacing is read from the campaigns; exception and calendar names from
        the journal of the runs that wrote a schedule (the API keeps none);
        comments at the top say what an export cannot know (priorities,
        policy) and name each schedule gcsched cannot express (left out).
        """
        snapshot = await read_org(self.client)
        entries, skipped = _live_entries(snapshot)
        with self._ownership() as journal:
            return export_text(
                entries, skipped, org_id=snapshot.org_id, journal=journal
            )

    async def doctor(self, *, probe: str | None = None) -> Any:
        """Check this org and settle its unsettled answers (`gcsched.api.doctor`)."""
        from gcsched.api.doctor import doctor

        return await doctor(self.client, self.state, probe=probe)

    async def drift(
        self,
        file: ScheduleFile | str | os.PathLike[str],
        *,
        since: timedelta = DEFAULT_DRIFT_WINDOW,
        record: bool = True,
        today: date | None = None,
    ) -> DriftReport:
        """Managed schedules changed outside gcsched: who, when and what.

        Args:
            file: the schedule file or its path.
            since: how far back the platform audit trail is read (default 7 days).
            record: append an ``external_change`` entry per change to the audit log.
            today: the plan's "today" (default: today, UTC).

        Returns:
            A `DriftReport` (``report.has_drift``: something drifted).
        """
        from gcsched.api.drift import drift

        schedule_file = file if isinstance(file, ScheduleFile) else load(file)
        return await drift(
            self.client,
            self.state,
            schedule_file,
            own_client_id=self._actor,
            since=since,
            today=today or self._today(),
            record=record,
        )

    async def organization(self) -> dict[str, Any]:
        """The org's id and name."""
        return await self.client.get_organization()


def _live_entries(
    snapshot: OrgSnapshot,
) -> tuple[list[LiveEntry], tuple[str, ...]]:
    """The org's schedules as entries, and a note per body that cannot be read.

    A target is named by its name when no other scheduled target (of any
    kind) and no other object of its kind shares it, else by its id.
    """
    pools = snapshot.targets()
    found: list[tuple[Family, Mapping[str, Any], str | None, Mapping[str, Any]]] = []
    for family in FAMILIES:
        pool = pools[family]
        counts = Counter(str(item.get("name")) for item in pool)
        by_id = {str(item.get("id")): item for item in pool}
        for body in snapshot.schedules.get(family, ()):
            ref_obj = body.get(REFERENCE_FIELD[family]) or {}
            target_id = str(ref_obj.get("id") or body.get("id"))
            target = by_id.get(target_id, {"id": target_id})
            name = str(target.get("name")) if target_id in by_id else None
            unique = name is not None and counts[name] == 1
            found.append((family, target, name if unique else None, body))
    across = Counter(name for _, _, name, _ in found if name is not None)
    lists = {
        str(item.get("id")): _list_name(item)
        for pool in pools.values()
        for item in pool
    }
    out: list[LiveEntry] = []
    skipped: list[str] = []
    for family, of, name, live in found:
        target_id = str(of["id"])
        ref = name if name is not None and across[name] == 1 else target_id
        try:
            schedule = parse_body(
                live, target=Target(kind=TARGET_KIND[family], ref=ref)
            )
        except InputError as exc:
            skipped.append(f"{family[:-1]} {ref}: {exc.message}")
            continue
        if lists.get(target_id):
            # The contact list's name, so offline checks see the audience.
            schedule = dataclasses.replace(schedule, audience=lists[target_id])
        out.append(LiveEntry(family, target_id, of, live, schedule))
    return out, tuple(skipped)


def _to_apply(
    file: ScheduleFile | PlannedRun | Plan | str | os.PathLike[str],
    checksum: str | None,
) -> tuple[ScheduleFile, str | None]:
    """The schedule file to apply and the checksum it must match.

    A plan from `plan()` is applied under its own checksum (unless one is
    given), re-read from the file it was made of.
    """
    if isinstance(file, PlannedRun | Plan):
        reviewed = file.plan if isinstance(file, PlannedRun) else file
        source = file.file if isinstance(file, PlannedRun) else None
        checksum = checksum or reviewed.checksum()
        if source is None and reviewed.file_path.startswith("<"):
            msg = (
                f"the plan of {reviewed.file_path} has no file to re-read; pass "
                "the PlannedRun that plan() returned"
            )
            raise InputError(msg)
        file = source or reviewed.file_path
    return (file if isinstance(file, ScheduleFile) else load(file)), checksum


def _logging_hook() -> tuple[LoggingHook, ...]:
    """A LoggingHook for the run (events → log records), unless one is installed.

    Without it, run, step, retry and 429 events never reach the log and `-v`
    shows next to nothing; the logging level still decides what is written.
    """
    if any(isinstance(hook, LoggingHook) for hook in get_hooks()):
        return ()
    return (LoggingHook(),)


def _list_name(entity: Mapping[str, Any]) -> str | None:
    ref = entity.get("contactList")
    if isinstance(ref, Mapping):
        return str(ref.get("name") or ref.get("id") or "") or None
    return None


@contextlib.asynccontextmanager
async def connect(
    *,
    api_url: str | None = None,
    region: str | None = None,
    file_region: str | None = None,
    file_api_url: str | None = None,
    environment: str | None = None,
    credentials: Credentials | None = None,
    environ: Mapping[str, str] | None = None,
    sandbox: bool = False,
    state_dir: str | os.PathLike[str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    rate_limit: int | None = None,
    today: Callable[[], date] | None = None,
    insecure_http: bool = False,
    state_url: str | None = None,
    lock_timeout: float = 0.0,
) -> AsyncIterator[Connection]:
    """Connect to an org (or the embedded sandbox) for planning and applying.

    Args:
        api_url: the API base URL (wins over everything else).
        region: a Genesys region (`us-east-1`, `us_east_1` or a host).
        file_region: the schedule file's `org.region`, or its environment's
            `region` (the last resort).
        file_api_url: the file's environment's `api_url` (wins over
            `file_region`, never over `api_url`, `region` or their variables).
        environment: the file's environment (``--env NAME``): its credentials
            ``GENESYSCLOUD_OAUTHCLIENT_ID_<ENV>`` / ``..._SECRET_<ENV>`` come
            first.
        credentials: the OAuth client; default from the environment
            (`GENESYSCLOUD_OAUTHCLIENT_ID` / `GENESYSCLOUD_OAUTHCLIENT_SECRET`).
        environ: the environment to read (default `os.environ`).
        sandbox: use the embedded sandbox, persisted under the state dir.
        state_dir: where the journal, audit log and lock live (default `.gcsched/`).
        transport: an httpx transport (tests; a sandbox app through ASGITransport).
        rate_limit: requests per minute to pace at (default: read from the org).
        today: the clock for "today" (tests).
        state_url: keep the journal, outbox, audit chain, ownership records,
            doctor facts and the apply lock in this PostgreSQL database
            (``postgresql://...``; default ``GCSCHED_STATE_URL`` from `environ`,
            else the state dir).
        lock_timeout: how many seconds `apply` and `adopt` wait for another
            writer's lock (default 0: refuse at once, naming the holder).
        insecure_http: accept a plain ``http://`` API URL to a host that is not
            loopback (the secret then travels in cleartext; CLI ``--insecure-http``).
            In-process transports (``ASGITransport``, ``MockTransport``) never
            need it.

    Yields:
        A `Connection`.
    """
    env = dict(os.environ if environ is None else environ)
    state = StatePaths.at(
        Path(state_dir) if state_dir is not None else None,
        state_url or env.get(STATE_URL_VARIABLE) or None,
    )
    if sandbox:
        from gcsched.api.sandbox import (
            DEFAULT_CLIENT_ID,
            DEFAULT_CLIENT_SECRET,
            SandboxState,
            SavingWrites,
            create_app,
        )

        state.make()
        path = state.sandbox
        sandbox_state = (
            SandboxState.load(path) if state.check_sandbox() else SandboxState.demo()
        )

        def save() -> None:
            state.check_sandbox()
            sandbox_state.save(path)

        # Saved after each write, never on the way out: a read-only command
        # must not put its (possibly stale) copy over another process's writes.
        app = SavingWrites(create_app(sandbox_state, rate_limit=0), save)
        transport = httpx.ASGITransport(app=app)
        url = "http://sandbox.gcsched.invalid"
        creds = credentials or Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
        rate_limit = rate_limit or 6000

    else:
        in_process = isinstance(transport, httpx.ASGITransport | httpx.MockTransport)
        spoken = api_url or region or env.get("GCSCHED_API_URL")
        if not (spoken or env.get("GENESYSCLOUD_REGION")) and file_api_url:
            api_url = file_api_url
        url = resolve_api_url(
            api_url=api_url,
            env=env,
            region=region,
            file_region=file_region,
            insecure_http=insecure_http or in_process,
        )
        creds = credentials or credentials_from_env(env, environment=environment)
    client = GenesysClient(
        url,
        creds,
        transport=transport,
        rate_limit=rate_limit,
        insecure_http=insecure_http,
    )
    async with client:
        yield Connection(
            client,
            state=state,
            environ=env,
            actor=creds.client_id,
            today=today or _today,
            lock_timeout=lock_timeout,
        )

"""How an apply writes its journal: the plan once, then small writes per step."""

from __future__ import annotations

import itertools
import threading

import pytest
from engine_support import EXAMPLE, TODAY

from gcsched.audit import AuditLog
from gcsched.client import GenesysClient
from gcsched.config import load
from gcsched.engine import Runner, build_plan
from gcsched.journal import Journal

pytestmark = pytest.mark.anyio


async def test_the_plan_is_written_once_and_each_step_writes_only_itself(
    client: GenesysClient, journal: Journal, audit: AuditLog
) -> None:
    """One transaction stores run, plan and steps; then 3 per step; then 1."""
    planned = await build_plan(client, load(EXAMPLE), today=TODAY)
    steps = len(planned.plan.changes)
    assert steps >= 3
    seen: list[str] = []
    journal.db._conn.set_trace_callback(seen.append)
    runner = Runner(client, journal, audit, actor="sandbox-client-id")
    result = await runner.apply(planned.plan, checksum=planned.plan.checksum())
    journal.db._conn.set_trace_callback(None)
    assert result.status == "succeeded", result.outcomes
    begins = [i for i, sql in enumerate(seen) if sql == "BEGIN IMMEDIATE"]
    # create_run; per step sent, confirmed and its audit hash; finish_run.
    assert len(begins) == 1 + 3 * steps + 1
    plan_writes = [sql for sql in seen if "run_plans" in sql]
    assert len(plan_writes) == 1
    assert plan_writes[0].startswith("INSERT INTO run_plans")
    assert seen.index(plan_writes[0]) < begins[1]  # in the first transaction
    # Each later transaction touches only its step (and the run's small row).
    for start, end in itertools.pairwise(begins[1:]):
        writes = [
            sql
            for sql in seen[start:end]
            if sql.split(" ", 1)[0] in ("INSERT", "UPDATE", "DELETE")
        ]
        tables = {sql.split()[1 if sql.startswith("UPDATE") else 2] for sql in writes}
        assert tables <= {"steps", "runs", "ownership", "audit_hashes"}, writes
    stored = journal.get_run(result.run_id).plan
    assert stored["format_version"] == 2
    assert stored["checksum"] == planned.plan.checksum()


async def test_step_writes_leave_the_event_loop_free(
    client: GenesysClient, journal: Journal, audit: AuditLog
) -> None:
    """Each step's commits run on one store thread, never on the event loop's.

    The loop keeps serving the other steps' requests while SQLite commits; one
    thread keeps the writes (and the audit chain) in order. The run's first
    and last writes stay on the loop: nothing else runs then.
    """
    planned = await build_plan(client, load(EXAMPLE), today=TODAY)
    loop_thread = threading.get_ident()
    seen: list[tuple[int, str]] = []
    journal.db._conn.set_trace_callback(
        lambda sql: seen.append((threading.get_ident(), sql))
    )
    runner = Runner(client, journal, audit, actor="sandbox-client-id")
    result = await runner.apply(planned.plan, checksum=planned.plan.checksum())
    journal.db._conn.set_trace_callback(None)
    assert result.status == "succeeded", result.outcomes
    begins = [thread for thread, sql in seen if sql == "BEGIN IMMEDIATE"]
    assert begins[0] == loop_thread  # create_run
    assert begins[-1] == loop_thread  # finish_run
    step_threads = set(begins[1:-1])
    assert len(step_threads) == 1
    assert loop_thread not in step_threads
    appended = [line for line in audit.path.read_text().splitlines() if line]
    assert len(appended) == len(planned.plan.changes)

"""Runs and steps: transitions, atomic outbox rows, lookups and pruning."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from journal_helpers import FakeClock, SpecFactory

from gcsched.errors import JournalError
from gcsched.journal import Journal, OutboxEvent, PruneResult, Run


def _event(event_id: str, payload: object = None, **kw: object) -> OutboxEvent:
    return OutboxEvent(
        id=event_id,
        endpoint_url="https://hooks.example.com/genesys",
        secret_env="GCSCHED_WEBHOOK_SECRET",
        retry=(5.0, 300.0),
        event_type="schedule.updated",
        payload={"type": "schedule.updated"} if payload is None else payload,  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def _run(journal: Journal, spec: SpecFactory, n: int = 3, sha: str = "a" * 64) -> Run:
    return journal.create_run(
        org_id="org-1",
        org_name="Acme",
        file_path="schedules.yaml",
        file_sha256=sha,
        checksum="c" * 64,
        plan={"summary": {"update": n}},
        steps=[spec(f"C{i}") for i in range(n)],
    )


def test_create_run_stores_planned_steps_in_order(
    journal: Journal, spec: SpecFactory
) -> None:
    """A new run is open and holds one planned step per spec, by seq."""
    run = _run(journal, spec)
    assert run.status == "open"
    assert run.id.startswith("r20261127-205301-")
    assert run.plan == {"summary": {"update": 3}}
    steps = journal.steps(run.id)
    assert [s.seq for s in steps] == [1, 2, 3]
    assert [s.change.target_name for s in steps] == ["C0", "C1", "C2"]
    assert {s.status for s in steps} == {"planned"}
    assert steps[0].change.before == {"name": "C0", "version": 3}
    assert steps[0].change.version_seen == 3


def test_step_goes_planned_sent_confirmed(journal: Journal, spec: SpecFactory) -> None:
    """The normal path records the result, the new version and the events."""
    run = _run(journal, spec, 1)
    step = journal.steps(run.id)[0]
    journal.mark_sent(step.id)
    assert journal.step(step.id).status == "sent"
    journal.mark_confirmed(
        step.id,
        result={"version": 4},
        version_new=4,
        events=[_event("ev-1", run_id=run.id, step_id=step.id)],
    )
    done = journal.step(step.id)
    assert (done.status, done.version_new, done.result) == (
        "confirmed",
        4,
        {"version": 4},
    )
    [row] = journal.pending_events()
    assert (row.id, row.run_id, row.step_id, row.attempts) == (
        "ev-1",
        run.id,
        step.id,
        0,
    )


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        (["sent", "confirmed"], "sent"),
        (["sent", "confirmed"], "failed"),
        (["failed"], "sent"),
        (["conflict"], "confirmed"),
        (["skipped"], "sent"),
        (["sent", "failed"], "confirmed"),
    ],
)
def test_illegal_transitions_raise(
    journal: Journal, spec: SpecFactory, path: list[str], illegal: str
) -> None:
    """A final status never changes again."""
    step = journal.steps(_run(journal, spec, 1).id)[0]
    moves = {
        "sent": lambda: journal.mark_sent(step.id),
        "confirmed": lambda: journal.mark_confirmed(
            step.id, result=None, version_new=1
        ),
        "failed": lambda: journal.mark_failed(step.id, error="boom"),
        "conflict": lambda: journal.mark_conflict(step.id, detail={"theirs": 5}),
        "skipped": lambda: journal.mark_skipped(step.id, reason="not managed"),
    }
    for status in path:
        moves[status]()
    with pytest.raises(JournalError, match=f"cannot go from {path[-1]} to {illegal}"):
        moves[illegal]()
    assert journal.step(step.id).status == path[-1]


def test_conflict_and_skip_keep_their_detail(
    journal: Journal, spec: SpecFactory
) -> None:
    """A conflict stores its detail as the result; a skip stores its reason."""
    a, b = journal.steps(_run(journal, spec, 2).id)
    journal.mark_sent(a.id)
    journal.mark_conflict(a.id, detail={"ours": 3, "theirs": 5})
    journal.mark_skipped(b.id, reason="not managed")
    assert journal.step(a.id).result == {"ours": 3, "theirs": 5}
    assert journal.step(b.id).error == "not managed"


def test_sent_may_be_sent_again(journal: Journal, spec: SpecFactory) -> None:
    """A sent step read back as not landed may be re-sent."""
    step = journal.steps(_run(journal, spec, 1).id)[0]
    journal.mark_sent(step.id)
    journal.mark_sent(step.id)
    assert journal.step(step.id).status == "sent"


def test_unknown_step_and_action_raise(journal: Journal, spec: SpecFactory) -> None:
    """Unknown step ids and actions are clear errors."""
    with pytest.raises(JournalError, match="no step 999"):
        journal.mark_sent(999)
    with pytest.raises(JournalError, match="no step 999"):
        journal.step(999)
    with pytest.raises(ValueError, match="'rename' is not a valid Action"):
        _run_with(journal, spec("X", action="rename"))


def _run_with(journal: Journal, *specs: object) -> Run:
    return journal.create_run(
        org_id="o",
        org_name="O",
        file_path="f",
        file_sha256="s",
        checksum="c",
        plan={},
        steps=specs,  # type: ignore[arg-type]
    )


def test_failing_event_rolls_back_the_transition(
    journal: Journal, spec: SpecFactory
) -> None:
    """An error mid-transaction leaves neither the step change nor any outbox row."""
    step = journal.steps(_run(journal, spec, 1).id)[0]
    journal.mark_sent(step.id)
    bad = _event("ev-2", payload={"not json": {1, 2}})
    with pytest.raises(JournalError, match="payload of event ev-2"):
        journal.mark_confirmed(
            step.id, result={"v": 4}, version_new=4, events=[_event("ev-1"), bad]
        )
    assert journal.step(step.id).status == "sent"
    assert journal.step(step.id).version_new is None
    assert journal.pending_events() == []


def test_exception_inside_transaction_rolls_back(
    journal: Journal, spec: SpecFactory
) -> None:
    """Anything raised inside `transaction()` undoes the whole transaction."""
    run = _run(journal, spec, 1)

    def fail_midway() -> None:
        with journal.db.transaction() as conn:
            conn.execute("UPDATE runs SET status = 'failed' WHERE id = ?", (run.id,))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_midway()
    assert journal.get_run(run.id).status == "open"


def test_finish_run_once_with_its_events(journal: Journal, spec: SpecFactory) -> None:
    """A run finishes once, storing its summary and run events atomically."""
    run = _run(journal, spec, 1)
    journal.finish_run(
        run.id, "partial", summary={"conflicts": 1}, events=[_event("run-done")]
    )
    finished = journal.get_run(run.id)
    assert (finished.status, finished.summary) == ("partial", {"conflicts": 1})
    assert [e.id for e in journal.pending_events()] == ["run-done"]
    with pytest.raises(JournalError, match="already partial"):
        journal.finish_run(run.id, "succeeded", summary={})
    with pytest.raises(JournalError, match="cannot finish run"):
        journal.finish_run(run.id, "open", summary={})
    with pytest.raises(JournalError, match="no run 'nope'"):
        journal.finish_run("nope", "failed", summary={})


def test_set_run_summary(journal: Journal, spec: SpecFactory) -> None:
    """The telemetry summary can be stored after the run finished."""
    run = _run(journal, spec, 0)
    journal.finish_run(run.id, "succeeded", summary={})
    journal.set_run_summary(run.id, {"requests": {"total": 7}})
    assert journal.get_run(run.id).summary == {"requests": {"total": 7}}
    with pytest.raises(JournalError, match="no run"):
        journal.set_run_summary("missing", {})


def test_open_run_is_keyed_by_org_and_file(
    journal: Journal, spec: SpecFactory, clock: FakeClock
) -> None:
    """Only an open run of the same org and file SHA-256 is resumed."""
    run = _run(journal, spec, 1, sha="a" * 64)
    clock.advance(seconds=1)
    other = _run(journal, spec, 1, sha="b" * 64)
    # Lists of runs read the run rows only: the plan is empty there.
    assert journal.open_run("org-1", "a" * 64) == dataclasses.replace(run, plan={})
    assert journal.get_run(run.id) == run
    assert journal.open_run("org-2", "a" * 64) is None
    assert [r.id for r in journal.open_runs("org-1")] == [run.id, other.id]
    journal.finish_run(run.id, "superseded", summary={})
    assert journal.open_run("org-1", "a" * 64) is None
    assert [r.id for r in journal.open_runs("org-1")] == [other.id]


def test_list_and_get_run_by_prefix(
    journal: Journal, spec: SpecFactory, clock: FakeClock
) -> None:
    """Runs list newest first; a unique prefix finds one, an ambiguous one lists."""
    first = _run(journal, spec, 0)
    clock.advance(days=1)
    second = _run(journal, spec, 0)
    assert [r.id for r in journal.list_runs()] == [second.id, first.id]
    assert [r.id for r in journal.list_runs(limit=1)] == [second.id]
    assert journal.get_run(first.id[:12]) == first
    assert journal.get_run(first.id) == first
    with pytest.raises(JournalError, match="ambiguous") as info:
        journal.get_run("r2026112")
    assert first.id in str(info.value)
    assert second.id in str(info.value)
    with pytest.raises(JournalError, match="no run 'zzz'"):
        journal.get_run("zzz")
    with pytest.raises(JournalError, match="give a run id"):
        journal.get_run("  ")
    with pytest.raises(JournalError, match="no run"):
        journal.get_run("r%")


def test_prune_keeps_open_runs_pending_events_and_audit_hashes(
    journal: Journal, spec: SpecFactory, clock: FakeClock
) -> None:
    """Prune deletes old finished runs and steps, never pending events or hashes."""
    old = _run(journal, spec, 1)
    step = journal.steps(old.id)[0]
    journal.mark_sent(step.id)
    journal.mark_confirmed(
        step.id,
        result=None,
        version_new=4,
        events=[_event("pending", run_id=old.id), _event("done", run_id=old.id)],
    )
    journal.mark_delivered("done", status=200)
    journal.set_audit_hash(step.id, "h" * 64)
    journal.finish_run(old.id, "succeeded", summary={})
    still_open = _run(journal, spec, 1)
    clock.advance(days=40)
    recent = _run(journal, spec, 0)
    journal.finish_run(recent.id, "failed", summary={})
    assert journal.prune(timedelta(days=30)) == PruneResult(1)
    assert {r.id for r in journal.list_runs()} == {still_open.id, recent.id}
    assert journal.steps(old.id) == []
    assert [e.id for e in journal.pending_events()] == ["pending"]
    assert journal.audit_hashes() == ["h" * 64]
    assert journal.prune(timedelta(days=30)) == PruneResult(0)


def test_prune_keeps_resumable_runs_unless_forced(
    journal: Journal, spec: SpecFactory, clock: FakeClock
) -> None:
    """A failed run with a sent (or planned) step is resumed later: prune keeps it."""
    stopped = _run(journal, spec, 2)
    sent, planned = journal.steps(stopped.id)
    journal.mark_sent(sent.id)
    journal.mark_confirmed(planned.id, result=None, version_new=1)
    journal.finish_run(stopped.id, "failed", summary={"error": "network down"})
    waiting = _run(journal, spec, 1)
    journal.finish_run(waiting.id, "failed", summary={})  # its step still planned
    settled = _run(journal, spec, 1)
    journal.mark_failed(journal.steps(settled.id)[0].id, error="404")
    journal.finish_run(settled.id, "partial", summary={})
    clock.advance(days=40)
    kept = tuple(sorted((stopped.id, waiting.id)))
    assert journal.prune(timedelta(days=30)) == PruneResult(1, kept)
    assert {r.id for r in journal.list_runs()} == set(kept)
    assert [s.status for s in journal.steps(stopped.id)] == ["sent", "confirmed"]
    assert journal.prune(timedelta(days=30), force=True) == PruneResult(2)
    assert journal.list_runs() == []


def test_audit_bookkeeping(journal: Journal, spec: SpecFactory) -> None:
    """Confirmed steps are unaudited until their hash is recorded, exactly once."""
    a, b = journal.steps(_run(journal, spec, 2).id)
    for step in (a, b):
        journal.mark_sent(step.id)
        journal.mark_confirmed(step.id, result=None, version_new=1)
    assert [s.id for s in journal.unaudited_steps()] == [a.id, b.id]
    journal.set_audit_hash(a.id, "1" * 64)
    journal.set_audit_hash(a.id, "1" * 64)  # idempotent
    assert [s.id for s in journal.unaudited_steps()] == [b.id]
    assert journal.step(a.id).audit_hash == "1" * 64
    with pytest.raises(JournalError, match="already has audit entry"):
        journal.set_audit_hash(a.id, "2" * 64)
    assert journal.audit_hashes() == ["1" * 64]


def test_audit_hash_only_for_confirmed_steps(
    journal: Journal, spec: SpecFactory
) -> None:
    """Unconfirmed or unknown steps cannot carry an audit hash."""
    step = journal.steps(_run(journal, spec, 1).id)[0]
    with pytest.raises(JournalError, match="only confirmed steps"):
        journal.set_audit_hash(step.id, "1" * 64)
    with pytest.raises(JournalError, match="no step"):
        journal.set_audit_hash(12345, "1" * 64)


def test_closed_journal_refuses_work(journal: Journal) -> None:
    """Using a closed journal is a clear error; closing twice is fine."""
    journal.close()
    journal.close()
    with pytest.raises(JournalError, match="closed"):
        journal.list_runs()
    with pytest.raises(JournalError, match="closed"):
        journal.add_events([])

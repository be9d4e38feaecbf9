"""A writer SIGKILLed at random points leaves a consistent journal."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from gcsched.journal import Journal

_WRITER = """
import sys
from gcsched.genesys import ChangeSpec, Family
from gcsched.journal import Journal, OutboxEvent

def event(run_id, step_id, kind):
    return OutboxEvent(
        id=f"{run_id}/{step_id}/{kind}", endpoint_url="https://h.example/x",
        secret_env="S", retry=(1.0,), event_type=kind,
        payload={"run": run_id, "step": step_id}, run_id=run_id, step_id=step_id,
    )

journal = Journal.open(sys.argv[1])
print("ready", flush=True)
n = 0
while True:
    n += 1
    specs = [ChangeSpec("update", Family.CAMPAIGNS, "campaign",
                        f"c{i}", f"C{i}", 1, {"v": 1}, {"v": 2})
             for i in range(5)]
    run = journal.create_run(org_id="o", org_name="O", file_path="f",
                             file_sha256=str(n), checksum="c", plan={}, steps=specs)
    for step in journal.steps(run.id):
        journal.mark_sent(step.id)
        if step.seq == 3:
            journal.mark_conflict(step.id, detail={"theirs": 9},
                                  events=[event(run.id, step.id, "schedule.conflict")])
            continue
        journal.mark_confirmed(step.id, result={"v": 2}, version_new=2,
                               events=[event(run.id, step.id, "schedule.updated")])
    journal.finish_run(run.id, "partial", summary={"n": n},
                       events=[event(run.id, 0, "run.completed")])
"""


def _check(path: Path) -> int:
    with Journal.open(path) as journal:
        assert journal.db.query("PRAGMA integrity_check")[0][0] == "ok"
        events = {e.id: e for e in journal.pending_events()}
        runs = journal.list_runs(limit=100_000)
        for run in runs:
            steps = journal.steps(run.id)
            assert [s.seq for s in steps] == [1, 2, 3, 4, 5]
            for step in steps:
                kind = {
                    "confirmed": "schedule.updated",
                    "conflict": "schedule.conflict",
                }
                has = f"{run.id}/{step.id}/{kind.get(step.status, '-')}" in events
                assert has == (step.status in kind), (run.id, step.seq, step.status)
                if step.status == "confirmed":
                    assert step.version_new == 2
            finished = run.status == "partial"
            assert finished == (f"{run.id}/0/run.completed" in events)
            if finished:
                assert [s.status for s in steps] == ["confirmed"] * 2 + ["conflict"] + [
                    "confirmed"
                ] * 2
        for event_id in events:
            run_id, step_id, _ = event_id.split("/")
            assert any(r.id == run_id for r in runs)
            if step_id != "0":
                assert journal.step(int(step_id)).status in {"confirmed", "conflict"}
        return len(runs)


def test_sigkill_at_random_points_leaves_consistent_journal(tmp_path: Path) -> None:
    """Every committed transition has exactly its outbox rows, whenever we die."""
    path = tmp_path / "journal.db"
    rng = random.Random(20261127)
    total = 0
    for _ in range(8):
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        total = _check(path)
    assert total > 0

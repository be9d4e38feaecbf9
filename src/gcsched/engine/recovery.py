"""Recovery: close the runs an earlier apply of this org did not finish.

Never replays a call: a sent step is confirmed when a GET (`read_back`) shows it
landed, otherwise marked failed, and the fresh plan covers what is left
(docs/apply-lifecycle.md, "Resume"). The apply reads the interrupted runs once
(`interrupted`), and both the reviewed-checksum check and `recover` use them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gcsched.audit import AuditLog, record_steps
from gcsched.engine.events import RunEvents
from gcsched.engine.ports import Org
from gcsched.engine.steps import read_back
from gcsched.journal import Run, StateStore, Step

__all__ = ["Interrupted", "audit_unaudited", "interrupted", "recover"]

#: How many of the newest runs are searched for failed runs with steps left.
RECENT_RUNS = 200

_UNFINISHED = ("sent", "planned")


@dataclass(frozen=True, slots=True)
class Interrupted:
    """A run that did not finish its steps, with its steps as read."""

    run: Run
    steps: tuple[Step, ...]


def interrupted(journal: StateStore, org_id: str) -> list[Interrupted]:
    """Runs of this org that did not finish their steps, each with its steps.

    Open runs (killed mid-run), and failed runs (stopped by the circuit breaker
    or the network) that still have sent or planned steps. The steps of each
    candidate are read once here, and recovery works from them.
    """
    found = [
        Interrupted(run, tuple(journal.steps(run.id)))
        for run in journal.open_runs(org_id)
    ]
    for run in journal.list_runs(RECENT_RUNS):
        if run.org_id != org_id or run.status != "failed":
            continue
        steps = tuple(journal.steps(run.id))
        if any(step.status in _UNFINISHED for step in steps):
            found.append(Interrupted(run, steps))
    return found


async def recover(
    org: Org,
    journal: StateStore,
    found: Sequence[Interrupted],
    *,
    file_sha256: str,
    events: RunEvents,
) -> tuple[str, ...]:
    """Close the interrupted runs `found`: read back their sent steps.

    A sent step that landed is confirmed (with its webhook events), one that did
    not is failed; planned steps are skipped; an open run is superseded.

    Returns:
        One note per interrupted run.
    """
    notes = []
    for item in found:
        run = item.run
        confirmed = failed = 0
        for step in item.steps:
            if step.status == "sent":
                landed = await read_back(org, step)
                if landed.landed:
                    journal.mark_confirmed(
                        step.id,
                        result=landed.body,
                        version_new=landed.version,
                        events=events.of_confirmed(run, step),
                    )
                    confirmed += 1
                else:
                    journal.mark_failed(
                        step.id,
                        error="interrupted before the API applied it; re-planned",
                    )
                    failed += 1
            elif step.status == "planned":
                reason = (
                    "resumed with a fresh plan"
                    if run.file_sha256 == file_sha256
                    else "the schedule file changed; planned afresh"
                )
                journal.mark_skipped(step.id, reason=reason)
        if run.status == "open":
            journal.finish_run(
                run.id, "superseded", summary={**run.summary, "superseded": True}
            )
        same = "same file" if run.file_sha256 == file_sha256 else "changed file"
        notes.append(
            f"interrupted run {run.id} ({same}): {confirmed} sent step(s) had "
            f"landed, {failed} had not; continuing with a fresh plan"
        )
    return tuple(notes)


def audit_unaudited(journal: StateStore, audit: AuditLog, *, actor: str) -> int:
    """Write audit entries for confirmed steps the journal marks as unaudited.

    Run on start (after recovery): an entry already in the log for such a step
    (a crash between writing it and recording its hash) is recorded, never
    written twice. Returns how many steps were recorded.
    """
    return len(
        record_steps(
            audit,
            journal.unaudited_steps(),
            actor=actor,
            record=journal.set_audit_hash,
            run_of=journal.get_run,
        )
    )

"""Every sandbox fault kind, in process: the apply converges or reports conflicts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stamina
from integration_support import (
    EXAMPLE,
    TODAY,
    client_for,
    connection_for,
)

from gcsched.api import ApplyOutcome
from gcsched.audit import AuditLog
from gcsched.config import load, loads
from gcsched.domain.model import ScheduleFile
from gcsched.errors import GcSchedError
from gcsched.journal import Journal
from gcsched.sandbox import SandboxState, create_app, entity_id

pytestmark = pytest.mark.anyio

SURVEY = entity_id("campaign", "Lapsed Survey")


def _content(body: dict[str, Any]) -> dict[str, Any]:
    """A schedule body without the fields the server sets on every save."""
    return {
        k: v
        for k, v in body.items()
        if k not in ("version", "dateModified", "dateCreated")
    }


class Ticking:
    """A sandbox clock that moves `step` seconds each time it is read."""

    def __init__(self, start: float, step: float) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture(autouse=True)
def _more_attempts() -> Iterator[None]:
    """Faults need more than the suite's 3 attempts per request (still no waits)."""
    stamina.set_testing(True, attempts=12)
    yield
    stamina.set_testing(True, attempts=3)


async def _apply_until_converged(
    app: Any, file: ScheduleFile, state_dir: Path, *, max_runs: int = 8
) -> list[ApplyOutcome | GcSchedError]:
    """Run `apply` (fresh client each time, as a user re-running would) until ok."""
    runs: list[ApplyOutcome | GcSchedError] = []
    for _ in range(max_runs):
        async with client_for(app) as client:
            try:
                outcome = await connection_for(client, state_dir).apply(
                    file, today=TODAY
                )
            except GcSchedError as exc:
                runs.append(exc)
                continue
        runs.append(outcome)
        if outcome.ok:
            return runs
    pytest.fail(f"no convergence after {max_runs} runs: {runs}")


async def _assert_converged(
    state: SandboxState, file: ScheduleFile, state_dir: Path
) -> None:
    """Seen through a fault-free sandbox on the same org, the next plan is empty."""
    async with client_for(create_app(state, rate_limit=0)) as client:
        planned = await connection_for(client, state_dir).plan(file, today=TODAY)
    assert not planned.plan.has_changes, [c.data() for c in planned.plan.changes]
    assert planned.plan.unchanged == len(file.schedules)
    with Journal.open(state_dir / "journal.sqlite") as journal:
        assert AuditLog(state_dir / "audit.jsonl").verify(journal.audit_hashes()).ok
        assert journal.unaudited_steps() == []


def _versions(state: SandboxState) -> dict[tuple[str, str], int]:
    out = {}
    for family, items in state.schedules.items():
        for id_, body in items.items():
            out[(family, id_)] = int(body["version"])
    return out


FAULTS = {
    "429 bursts": ("429:rate=0.15,burst=3,retry_after=2", "429"),
    "5xx": ("5xx:rate=0.12", "5xx"),
    "dropped connections": ("drop:rate=0.1", "drop"),
    "token expiry": ("token-expiry:after=15", "token-expiry"),
}


@pytest.mark.parametrize(("spec", "kind"), FAULTS.values(), ids=list(FAULTS))
async def test_apply_under_fault_converges_with_each_change_once(
    tmp_path: Path, spec: str, kind: str
) -> None:
    """The example applies under the fault; re-plan is empty; every create is v1."""
    state = SandboxState.demo()
    state.clock = Ticking(state.clock(), 0.5)
    app = create_app(state, rate_limit=0, faults=[spec], fault_seed=7)
    file = load(EXAMPLE)
    runs = await _apply_until_converged(app, file, tmp_path)
    assert app.state.stats.faults.get(kind, 0) > 0, "the fault never fired"
    await _assert_converged(state, file, tmp_path)
    versions = _versions(state)
    ours = {k: v for k, v in versions.items() if k[1] != SURVEY}
    assert len(ours) == len(file.schedules)
    assert set(ours.values()) == {1}, ours  # created once, never written twice
    assert versions[("campaigns", SURVEY)] == 3  # the manual schedule untouched
    last = runs[-1]
    assert isinstance(last, ApplyOutcome)


async def test_5xx_storm_opens_the_breaker_and_the_rerun_resumes(
    tmp_path: Path,
) -> None:
    """Every PUT fails 503: the run stops (failed, resumable); later it converges."""
    state = SandboxState.demo()
    file = load(EXAMPLE)
    storm = create_app(state, rate_limit=0, faults=["5xx:rate=1,status=503,method=PUT"])
    async with client_for(storm) as client:
        outcome = await connection_for(client, tmp_path).apply(file, today=TODAY)
    assert outcome.run is not None
    assert outcome.run.status == "failed"
    assert outcome.run.error is not None
    assert "run the same command again" in outcome.run.error.message
    assert _versions(state).keys() == {("campaigns", SURVEY)}  # nothing written
    calm = create_app(state, rate_limit=0)
    runs = await _apply_until_converged(calm, file, tmp_path)
    assert len(runs) == 1
    await _assert_converged(state, file, tmp_path)


ONE_CHANGED = ("Win-back", '"16:00", end: "20:00"', '"16:00", end: "19:30"')


def _changed_example() -> ScheduleFile:
    text = EXAMPLE.read_text()
    old, new = ONE_CHANGED[1], ONE_CHANGED[2]
    assert old in text
    return loads(text.replace(old, new), "q4-changed.yaml")


async def test_concurrent_editor_yields_conflict_and_keeps_their_edit(
    tmp_path: Path,
) -> None:
    """A colleague saves Win-back mid-apply: conflict, not overwritten; re-run ok."""
    state = SandboxState.demo()
    file = load(EXAMPLE)
    await _apply_until_converged(create_app(state, rate_limit=0), file, tmp_path)
    winback = entity_id("campaign", "Win-back")
    changed = _changed_example()
    editor = create_app(
        state, rate_limit=0, faults=[f"editor:rate=1,path={winback}"], fault_seed=1
    )
    before = state.schedule("campaigns", winback)
    assert before is not None
    async with client_for(editor) as client:
        outcome = await connection_for(client, tmp_path).apply(changed, today=TODAY)
    assert outcome.run is not None
    assert outcome.run.status == "partial"
    (conflict,) = [o for o in outcome.run.outcomes if o.status == "conflict"]
    assert conflict.target_name == "Win-back"
    assert "version 1" in conflict.detail
    assert "has 2" in conflict.detail
    theirs = state.schedule("campaigns", winback)
    assert theirs is not None
    assert theirs["version"] == 2  # the colleague's save, not ours
    assert _content(theirs) == _content(before)  # our change not written
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        steps = journal.steps(outcome.run.run_id)
    (step,) = [
        s
        for s in steps
        if s.change.target_id == winback and s.change.family == "campaigns"
    ]
    assert step.status == "conflict"
    runs = await _apply_until_converged(
        create_app(state, rate_limit=0), changed, tmp_path
    )
    assert len(runs) == 1
    await _assert_converged(state, changed, tmp_path)
    final = state.schedule("campaigns", winback)
    assert final is not None
    assert final["version"] == 3  # theirs (2) + our reviewed update, once
    assert _content(final) != _content(before)

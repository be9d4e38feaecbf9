"""A split file's run key covers every included file: an edited team file
starts a new run instead of resuming the old one."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_resume_after_breaker import CAMPAIGN_GETS_FAIL, EXAMPLE, _client, _connection

from gcsched.api import StatePaths
from gcsched.api.local import list_runs
from gcsched.config import load
from gcsched.sandbox import SandboxState, create_app

pytestmark = pytest.mark.anyio


def _split(tmp_path: Path) -> tuple[Path, Path]:
    """examples/q4.yaml as a main file and a team file holding its schedules."""
    text = EXAMPLE.read_text(encoding="utf-8")
    cut = text.index("\nschedules:") + 1
    main = tmp_path / "q4.yaml"
    main.write_text(text[:cut] + "include: [teams/*.yaml]\n", encoding="utf-8")
    team = tmp_path / "teams" / "renewals.yaml"
    team.parent.mkdir()
    team.write_text(text[cut:], encoding="utf-8")
    return main, team


async def _stopped_run(tmp_path: Path, state: SandboxState, main: Path) -> str:
    storm = create_app(state, rate_limit=0, faults=[CAMPAIGN_GETS_FAIL])
    async with _client(storm) as client:
        stopped = await _connection(client, tmp_path / "state").apply(load(main))
    assert stopped.run is not None
    assert stopped.run.status == "failed"
    return stopped.run.run_id


async def test_the_same_split_file_resumes_its_run(tmp_path: Path) -> None:
    main, _ = _split(tmp_path)
    assert load(main).schedules == load(EXAMPLE).schedules
    state = SandboxState.demo()
    first = await _stopped_run(tmp_path, state, main)
    async with _client(create_app(state, rate_limit=0)) as client:
        again = await _connection(client, tmp_path / "state").apply(load(main))
    assert again.ok, again.run
    (note,) = again.recovered
    assert note.startswith(f"interrupted run {first} (same file)")


async def test_an_edited_team_file_does_not_resume_the_old_run(tmp_path: Path) -> None:
    main, team = _split(tmp_path)
    state = SandboxState.demo()
    first = await _stopped_run(tmp_path, state, main)
    team.write_text(
        team.read_text(encoding="utf-8").replace("priority: 8", "priority: 7", 1),
        encoding="utf-8",
    )
    async with _client(create_app(state, rate_limit=0)) as client:
        again = await _connection(client, tmp_path / "state").apply(load(main))
    assert again.ok, again.run
    (note,) = again.recovered
    assert note.startswith(f"interrupted run {first} (changed file)")
    assert again.run is not None
    runs = {r.id: r for r in list_runs(StatePaths.at(tmp_path / "state"))}
    assert runs[first].file_sha256 != runs[again.run.run_id].file_sha256
